//! Origins from configuration: the same binary serves staging and production with different
//! origin lists, checked when the app starts.
//!
//! ```text
//! APP_CORS_ORIGINS=https://staging.example.com,https://*.preview.example.com \
//!     cargo run --example configured_origins
//! ```
//!
//! Try `APP_CORS_ORIGINS=https://staging.example.com/` (a trailing slash): the app refuses to
//! start and says which entry is wrong, where it came from and how to write it.

use actix_web::{get, put, web, App, HttpResponse, HttpServer, Responder};
use static_cors::cors;

/// The app's own settings; here a fixed list, in a real app read from its config file.
mod settings {
    /// Partner origins, one per line of the app's settings.
    pub fn partner_origins() -> Vec<String> {
        [
            "https://partner-a.example.net",
            "https://partner-b.example.net",
        ]
        .map(String::from)
        .to_vec()
    }
}

/// Production's origin is written down; staging and preview origins come from the
/// environment of each deployment.
#[cors(
    origins = ["https://app.example.com", env("APP_CORS_ORIGINS")],
    headers = ["content-type"],
    credentials = true,
)]
#[put("/api/profile")]
async fn update_profile(body: web::Json<serde_json::Value>) -> impl Responder {
    HttpResponse::Ok().json(body.into_inner())
}

/// Partners come from the app's settings.
#[cors(origins = config(settings::partner_origins), expose = ["x-request-id"])]
#[get("/api/catalogue")]
async fn catalogue() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "catalogue-1"))
        .json(serde_json::json!({ "items": ["a", "b"] }))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Registration checks the configured origins and stops the app on a bad entry; checking
    // first turns that into a clean error message and exit status of our own.
    for policy in [update_profile::cors_policy(), catalogue::cors_policy()] {
        if let Err(error) = policy.load_configured() {
            eprintln!("error: {error}");
            std::process::exit(2);
        }
        println!("{policy}");
    }
    let addr = "127.0.0.1:8082";
    println!("listening on http://{addr}");
    HttpServer::new(|| App::new().service(update_profile).service(catalogue))
        .workers(1)
        .bind(addr)?
        .run()
        .await
}
