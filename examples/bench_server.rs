//! The server of the over-the-wire benchmark (`scripts/bench.sh`): one handler, one worker, on
//! loopback, served three ways built alike — `bare` (no CORS), `static-cors`, `actix-cors`
//! (0.7, configured with the same policy).
//!
//! ```sh
//! cargo run --release --example bench_server -- static-cors 127.0.0.1:9400
//! ```
//!
//! The policy is the one of the in-process benchmark: origin `https://app.example.com`,
//! request headers `content-type` and `x-token`, exposed `x-request-id`, credentials,
//! max-age 600, on `GET /items`.

use actix_web::{get, App, HttpResponse, HttpServer};
use static_cors::cors;

/// The handler, bare or wrapped by actix-cors.
#[get("/items")]
async fn item() -> HttpResponse {
    HttpResponse::Ok().body("item")
}

/// The same handler with static-cors.
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
    if !["bare", "static-cors", "actix-cors"].contains(&mode.as_str()) {
        eprintln!("usage: bench_server bare|static-cors|actix-cors [127.0.0.1:port]");
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
        _ => {
            HttpServer::new(|| App::new().wrap(actix_cors()).service(item))
                .workers(1)
                .bind(&address)?
                .run()
                .await
        }
    }
}
