//! The server of the over-the-wire benchmark (`scripts/bench.sh`): one handler, one worker, on
//! loopback, served five ways built alike — `bare` (no CORS), `static-cors`,
//! `static-cors-layer` (the same `#[cors]` route, and static-cors's App-level layer
//! `static_cors::Cors` wrapped on the App, which answers its preflights before routing),
//! `actix-cors` (0.7, configured with the same policy), and `floor` (the in-process bench's
//! middleware floor, the same code: a hand-written `wrap_fn` with static headers that answers
//! preflights before routing).
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

/// The floor and actix-cors, as the in-process benches build them.
#[path = "../benches/support/floor.rs"]
mod floor;

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
            HttpServer::new(|| App::new().wrap_fn(floor::floor_middleware).service(item))
                .workers(1)
                .bind(&address)?
                .run()
                .await
        }
        _ => {
            HttpServer::new(|| App::new().wrap(floor::actix_cors()).service(item))
                .workers(1)
                .bind(&address)?
                .run()
                .await
        }
    }
}
