//! The static-cors demo: an API origin with handlers under different policies, and a page on a
//! second origin that calls it with `fetch()` and shows, per call, whether the browser allowed
//! it and why that was expected.
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! Then open the page URL it prints. Open it also at `http://app.localhost:8081` (browsers
//! resolve `*.localhost` to loopback) to see the wildcard-subdomain policy grant that origin.
//!
//! `/api/account` is behind bearer authentication (`actix-web-httpauth`), as real APIs are;
//! the App is wrapped last in `static_cors::Cors`, which answers that scope's preflights before
//! the authentication and puts CORS headers on its `401`s, so the page reads them.
//!
//! `/api/tenant` grants the origins of a live set, which `/admin/tenant-origins` edits while
//! the server runs (same-origin only: `curl -d https://shop.example http://127.0.0.1:8080/admin/tenant-origins`;
//! `curl -X DELETE 'http://127.0.0.1:8080/admin/tenant-origins?origin=https://shop.example'`).

use actix_web::dev::ServiceRequest;
use actix_web::{
    get, middleware, route, web, App, Error, HttpRequest, HttpResponse, HttpServer, Responder,
};
use actix_web_httpauth::extractors::bearer::{self, BearerAuth};
use actix_web_httpauth::extractors::AuthenticationError;
use actix_web_httpauth::middleware::HttpAuthentication;
use static_cors::{cors, OriginSet};

const API: &str = "127.0.0.1:8080";
const PAGE: &str = "127.0.0.1:8081";

/// The bearer token `/api/account` accepts (the page sends it in one row).
const TOKEN: &str = "demo-token";

/// Origins tenants registered, edited through `/admin/tenant-origins` while the server runs.
static TENANT_ORIGINS: OriginSet = OriginSet::new();

/// The origins of the live set only.
#[cors(origins = [set(TENANT_ORIGINS)], max_age = 0)]
#[get("/api/tenant")]
async fn tenant() -> impl Responder {
    HttpResponse::Ok()
        .json(serde_json::json!({ "policy": "live set", "origins": TENANT_ORIGINS.len() }))
}

/// Adds the origin in the body to the live set; `400` with the rule and the fix if it breaks
/// one. Same-origin only: it has no `#[cors]`.
async fn add_tenant_origin(origin: String) -> HttpResponse {
    match TENANT_ORIGINS.insert(origin.trim()) {
        Ok(true) => HttpResponse::Created().finish(),
        Ok(false) => HttpResponse::Ok().finish(),
        Err(error) => HttpResponse::BadRequest().body(format!("{error}\n")),
    }
}

/// Replaces the live set with the origins of the body, one per line: all or nothing.
async fn replace_tenant_origins(body: String) -> HttpResponse {
    match TENANT_ORIGINS.replace(body.lines().map(str::trim).filter(|l| !l.is_empty())) {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(error) => HttpResponse::BadRequest().body(format!("{error}\n")),
    }
}

#[derive(serde::Deserialize)]
struct OriginQuery {
    origin: String,
}

/// Removes an origin from the live set.
async fn remove_tenant_origin(query: web::Query<OriginQuery>) -> HttpResponse {
    if TENANT_ORIGINS.remove(&query.origin) {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::NotFound().finish()
    }
}

/// An exact list of origins: the demo page, on either loopback name.
#[cors(origins = ["http://127.0.0.1:8081", "http://localhost:8081"])]
#[get("/api/exact")]
async fn exact() -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "policy": "exact list" }))
}

/// Every subdomain of `localhost` on the page's port.
#[cors(origins = ["http://*.localhost:8081"])]
#[get("/api/wildcard")]
async fn wildcard() -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "policy": "wildcard subdomain" }))
}

/// Any origin; every response header readable.
#[cors(origins = "*", expose = "*")]
#[get("/api/public")]
async fn public() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-served-by", "static-cors demo"))
        .json(serde_json::json!({ "policy": "any origin" }))
}

/// Read and update items cross-origin; DELETE stays same-origin only.
#[cors(
    origins = ["http://127.0.0.1:8081", "http://localhost:8081", "http://*.localhost:8081"],
    methods = [GET, PUT],
    headers = ["content-type", "x-token"],
    expose = ["x-request-id"],
    max_age = 600,
)]
#[route("/api/items/{id}", method = "GET", method = "PUT", method = "DELETE")]
async fn item(
    req: HttpRequest,
    id: web::Path<u32>,
    body: Option<web::Json<serde_json::Value>>,
) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "demo-42"))
        .json(serde_json::json!({ "id": *id, "method": req.method().as_str(), "body": body.map(|b| b.into_inner()) }))
}

/// Credentialed: the page's cookie is sent and read back.
#[cors(origins = ["http://127.0.0.1:8081", "http://localhost:8081"], credentials = true)]
#[get("/api/me")]
async fn me(req: HttpRequest) -> impl Responder {
    let session = req
        .headers()
        .get_all("cookie")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("demo_session="))
        .map(str::to_owned);
    HttpResponse::Ok().json(serde_json::json!({ "session": session }))
}

/// Only for an origin the page is not.
#[cors(origins = ["https://app.example.com"])]
#[get("/api/partner")]
async fn partner() -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "policy": "partner only" }))
}

/// Lets [`TOKEN`] in; any other token gets a `401` with an `invalid_token` challenge. A call
/// without a token never gets here: the middleware answers it `401` itself.
async fn validator(
    req: ServiceRequest,
    credentials: BearerAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    if credentials.token() == TOKEN {
        Ok(req)
    } else {
        let config = req
            .app_data::<bearer::Config>()
            .cloned()
            .unwrap_or_default();
        let challenge = AuthenticationError::from(config).with_error(bearer::Error::InvalidToken);
        Err((challenge.into(), req))
    }
}

/// The signed-in user's orders, in the authenticated `/api/account` scope. The challenge of a
/// `401` (`www-authenticate`) is exposed to the page.
#[cors(
    origins = ["http://127.0.0.1:8081", "http://localhost:8081", "http://*.localhost:8081"],
    headers = ["authorization", "content-type"],
    expose = ["www-authenticate"],
    max_age = 600,
)]
#[route("/orders/{id}", method = "GET", method = "PUT")]
async fn order(
    req: HttpRequest,
    id: web::Path<u32>,
    body: Option<web::Json<serde_json::Value>>,
) -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "order": *id, "method": req.method().as_str(), "body": body.map(|b| b.into_inner()) }))
}

#[get("/")]
async fn demo_page() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(include_str!("page.html"))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let api = HttpServer::new(|| {
        App::new()
            .wrap(middleware::Logger::new("%r %s"))
            .service(exact)
            .service(wildcard)
            .service(public)
            .service(item)
            .service(me)
            .service(partner)
            .service(tenant)
            .service(
                web::resource("/admin/tenant-origins")
                    .post(add_tenant_origin)
                    .put(replace_tenant_origins)
                    .delete(remove_tenant_origin),
            )
            .service(
                // `static_cors::scope`, not `web::scope`: the layer learns the prefix.
                static_cors::scope("/api/account")
                    .wrap(HttpAuthentication::bearer(validator))
                    .service(order),
            )
            // Wrapped last, so it runs first: before the authentication.
            .wrap(static_cors::Cors::default())
    })
    .workers(1)
    .bind(API)?
    .run();
    let page_server = HttpServer::new(|| App::new().service(demo_page))
        .workers(1)
        .bind(PAGE)?
        .run();
    println!("static-cors demo");
    println!("  API  origin: http://{API}");
    println!("  page origin: http://{PAGE}/   (open it in a browser)");
    println!("  also try     http://app.localhost:8081/   (the wildcard policy grants it)");
    println!("  /api/account needs `Authorization: Bearer {TOKEN}`");
    futures_util::future::try_join(api, page_server)
        .await
        .map(|_| ())
}
