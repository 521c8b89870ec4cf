//! Finding out why a browser's call was refused: static-cors logs every refusal through the
//! `log` facade (target `static_cors`) with the reason, the handler and its source location —
//! at warn level the first time per handler and cause, at debug level always.
//!
//! ```text
//! RUST_LOG=static_cors=debug cargo run --example diagnostics
//! ```
//!
//! The example sends a few refused requests to the app in-process and prints what the log
//! says about each.

use actix_web::http::Method;
use actix_web::test::{call_service, init_service, TestRequest};
use actix_web::{route, App, HttpResponse, Responder};
use static_cors::cors;

/// DELETE is served, but only to same-origin pages.
#[cors(
    origins = ["https://app.example.com"],
    methods = [PUT],
    headers = ["content-type", "x-token"],
    max_age = 60,
)]
#[route("/items/{id}", method = "PUT", method = "DELETE")]
async fn update_item() -> impl Responder {
    HttpResponse::Ok().finish()
}

fn preflight(origin: &str, method: &str, headers: &str) -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/items/7")
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", method))
        .insert_header(("access-control-request-headers", headers))
}

#[actix_web::main]
async fn main() {
    env_logger::Builder::new()
        .parse_filters("static_cors=debug")
        .parse_default_env()
        .target(env_logger::Target::Stdout)
        .init();
    let app = init_service(App::new().service(update_item)).await;
    let requests = [
        (
            "a header the policy does not list",
            preflight("https://app.example.com", "PUT", "x-trace"),
        ),
        (
            "an origin the policy does not list",
            preflight("https://evil.example", "PUT", "x-token"),
        ),
        (
            "a method the policy keeps same-origin",
            preflight("https://app.example.com", "DELETE", ""),
        ),
        (
            "an actual request from a refused origin",
            TestRequest::put()
                .uri("/items/7")
                .insert_header(("origin", "https://evil.example")),
        ),
    ];
    for (what, request) in requests {
        println!("\n{what}:");
        let response = call_service(&app, request.to_request()).await;
        println!("  -> {}", response.status());
    }
}
