//! The server of the over-the-wire benchmark (`scripts/bench.sh`): one handler, one worker, on
//! loopback, served five ways built alike — `bare` (no CORS), `static-cors`,
//! `static-cors-layer` (the same `#[cors]` route, and static-cors's App-level layer
//! `static_cors::Cors` wrapped on the App, which answers its preflights before routing),
//! `actix-cors` (0.7, configured with the same policy), and `floor` (the in-process bench's
//! middleware floor: a hand-written `wrap_fn` with static headers that answers preflights
//! before routing).
//!
//! ```sh
//! cargo run --release --example bench_server -- static-cors 127.0.0.1:9400
//! ```
//!
//! The policy is the one of the in-process benchmark: origin `https://app.example.com`,
//! request headers `content-type` and `x-token`, exposed `x-request-id`, credentials,
//! max-age 600, on `GET /items`.

use std::future::{ready, Future};

use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::Method;
use actix_web::{get, App, Error, HttpResponse, HttpServer};
use futures_util::future::Either;
use static_cors::cors;

/// The handler, bare or wrapped by actix-cors.
#[get("/items")]
async fn item() -> HttpResponse {
    HttpResponse::Ok().body("item")
}

/// The same handler with static-cors (with or without the App-level layer).
#[cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-token"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600,
)]
#[get("/items")]
async fn static_cors_item() -> HttpResponse {
    HttpResponse::Ok().body("item")
}

const ACAO: HeaderValue = HeaderValue::from_static("https://app.example.com");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const EXPOSE: HeaderValue = HeaderValue::from_static("x-request-id");
const METHODS: HeaderValue = HeaderValue::from_static("GET");
const HEADERS: HeaderValue = HeaderValue::from_static("content-type, x-token");
const MAX_AGE: HeaderValue = HeaderValue::from_static("600");
const VARY: HeaderValue = HeaderValue::from_static("Origin");
const VARY_PREFLIGHT: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

fn origin_allowed(headers: &HeaderMap) -> bool {
    headers
        .get(header::ORIGIN)
        .is_some_and(|o| o.as_bytes() == ACAO.as_bytes())
}

/// The floor: static headers by hand, preflights answered before routing after checking the
/// origin, the method and every requested header.
fn floor<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<BoxBody>, Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error>,
    S::Future: 'static,
{
    let headers = req.headers();
    if req.method() == Method::OPTIONS
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        let method_ok = headers
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .is_some_and(|m| m == "GET");
        let headers_ok = headers
            .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .flat_map(|line| line.as_bytes().split(|&b| b == b','))
            .map(<[u8]>::trim_ascii)
            .filter(|name| !name.is_empty())
            .all(|name| {
                name.eq_ignore_ascii_case(b"content-type") || name.eq_ignore_ascii_case(b"x-token")
            });
        let response = if origin_allowed(headers) && method_ok && headers_ok {
            let mut response = HttpResponse::NoContent().finish();
            let out = response.headers_mut();
            out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, ACAO);
            out.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            out.insert(header::ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            out.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HEADERS);
            out.insert(header::ACCESS_CONTROL_MAX_AGE, MAX_AGE);
            out.insert(header::VARY, VARY_PREFLIGHT);
            response
        } else {
            HttpResponse::Forbidden().finish()
        };
        return Either::Left(ready(Ok(req.into_response(response))));
    }
    let allowed = origin_allowed(headers);
    let call = srv.call(req);
    Either::Right(async move {
        let mut response = call.await?;
        let out = response.headers_mut();
        if allowed {
            out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, ACAO);
            out.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            out.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE);
        }
        out.append(header::VARY, VARY);
        Ok(response)
    })
}

/// actix-cors with the same policy.
fn actix_cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin("https://app.example.com")
        .allowed_methods(["GET"])
        .allowed_headers(["content-type", "x-token"])
        .expose_headers(["x-request-id"])
        .supports_credentials()
        .max_age(600)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "static-cors".into());
    let address = args.next().unwrap_or_else(|| "127.0.0.1:9400".into());
    let modes = [
        "bare",
        "static-cors",
        "static-cors-layer",
        "actix-cors",
        "floor",
    ];
    if !modes.contains(&mode.as_str()) {
        eprintln!("usage: bench_server {} [127.0.0.1:port]", modes.join("|"));
        std::process::exit(2);
    }
    println!("bench_server: {mode} on http://{address}");
    // A server per mode, so that no mode pays for another's middleware.
    match mode.as_str() {
        "bare" => {
            HttpServer::new(|| App::new().service(item))
                .workers(1)
                .bind(&address)?
                .run()
                .await
        }
        "static-cors" => {
            HttpServer::new(|| App::new().service(static_cors_item))
                .workers(1)
                .bind(&address)?
                .run()
                .await
        }
        "static-cors-layer" => {
            HttpServer::new(|| {
                App::new()
                    .service(static_cors_item)
                    .wrap(static_cors::Cors::default())
            })
            .workers(1)
            .bind(&address)?
            .run()
            .await
        }
        "floor" => {
            HttpServer::new(|| App::new().wrap_fn(floor).service(item))
                .workers(1)
                .bind(&address)?
                .run()
                .await
        }
        _ => {
            HttpServer::new(|| App::new().wrap(actix_cors()).service(item))
                .workers(1)
                .bind(&address)?
                .run()
                .await
        }
    }
}
