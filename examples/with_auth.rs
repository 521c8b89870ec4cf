//! `#[cors]` routes behind authentication: bearer tokens checked by `actix-web-httpauth` on a
//! scope, and the App wrapped in the [`static_cors::Cors`] layer so that browsers can still
//! reach the API.
//!
//! ```text
//! cargo run --example with_auth
//! ```
//!
//! It prints the routes the layer found (log target `static_cors`, info level) and three
//! `curl` commands to try: a preflight answered `204` without any token, a PUT without a token
//! answered `401` *with* `Access-Control-Allow-Origin` (so page script reads the 401 instead of
//! a CORS error), and the same PUT with the token answered `200`.
//!
//! # Why the layer is wrapped last
//!
//! Authentication middleware on a scope (or on the App) runs before the router picks a
//! handler, so before a `#[cors]` route's own CORS handling. Without the layer it would
//!
//! - answer every preflight `401`: a browser never sends credentials or an `Authorization`
//!   header with a preflight, so the preflight fails and the page never sends its call;
//! - answer a call without a valid token with a `401` that carries no CORS header: the page
//!   sees a CORS error (`TypeError: Failed to fetch`) and cannot tell "log in again" from
//!   "server down".
//!
//! actix-web runs the middleware wrapped last first. Wrapped last, `static_cors::Cors` sees
//! each request before the authentication: it answers the preflights of every `#[cors]` route
//! with that route's policy (the validator never runs for them), and it puts the route's
//! CORS headers on the `401` the authentication answers with, for the origins the route's
//! policy grants. Everything else passes through to the authentication unchanged.
//!
//! `static_cors::scope("/api")` is `web::scope("/api")` with the same builder methods; it
//! tells the layer the path prefix of the `#[cors]` routes inside it.

use actix_web::dev::ServiceRequest;
use actix_web::{get, put, web, App, Error, HttpResponse, HttpServer, Responder};
use actix_web_httpauth::extractors::bearer::{self, BearerAuth};
use actix_web_httpauth::extractors::AuthenticationError;
use actix_web_httpauth::middleware::HttpAuthentication;
use static_cors::cors;

/// Where the example listens.
const ADDR: &str = "127.0.0.1:8084";

/// The page origin the policies grant.
const PAGE: &str = "https://app.example.com";

/// The one token the validator accepts; a real app verifies a signed token or asks a session
/// store.
const TOKEN: &str = "let-me-in";

/// Lets [`TOKEN`] in. Any other token gets `401` with an `invalid_token` challenge; a request
/// with no bearer token at all never gets here (the middleware answers it `401` itself).
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

/// Reads an item. `authorization` must be listed: it is never safelisted, so sending it makes
/// even a GET preflighted. `www-authenticate` is exposed so the page can read the challenge of
/// a `401`.
#[cors(
    origins = ["https://app.example.com"],
    headers = ["authorization"],
    expose = ["www-authenticate"],
    max_age = 600,
)]
#[get("/items/{id}")]
async fn get_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "id": *id, "name": "lamp" }))
}

/// Updates an item from a JSON body.
#[cors(
    origins = ["https://app.example.com"],
    headers = ["authorization", "content-type"],
    expose = ["www-authenticate"],
    max_age = 600,
)]
#[put("/items/{id}")]
async fn put_item(id: web::Path<u32>, item: web::Json<serde_json::Value>) -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "id": *id, "updated": item.into_inner() }))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // The layer logs, at start-up, one info line per `#[cors]` route it answers preflights for.
    env_logger::Builder::new()
        .parse_filters("static_cors=info")
        .parse_default_env()
        .target(env_logger::Target::Stdout)
        .init();
    let url = format!("http://{ADDR}/api/items/7");
    println!("listening on http://{ADDR}; try:\n");
    println!("# the preflight, answered 204 by the layer: no token, the validator never runs");
    println!(
        "curl -si -X OPTIONS {url} -H 'Origin: {PAGE}' \\\n    \
         -H 'Access-Control-Request-Method: PUT' \
         -H 'Access-Control-Request-Headers: authorization, content-type'\n"
    );
    println!("# no token: the authentication's 401, with Access-Control-Allow-Origin");
    println!(
        "curl -si -X PUT {url} -H 'Origin: {PAGE}' \\\n    \
         -H 'Content-Type: application/json' -d '{{\"name\":\"desk lamp\"}}'\n"
    );
    println!("# the token: 200 from the handler");
    println!(
        "curl -si -X PUT {url} -H 'Origin: {PAGE}' \\\n    \
         -H 'Authorization: Bearer {TOKEN}' \
         -H 'Content-Type: application/json' -d '{{\"name\":\"desk lamp\"}}'\n"
    );
    HttpServer::new(|| {
        App::new()
            .service(
                // `static_cors::scope`, not `web::scope`: the layer learns the `/api` prefix.
                static_cors::scope("/api")
                    .wrap(HttpAuthentication::bearer(validator))
                    .service(get_item)
                    .service(put_item),
            )
            // The last wrap runs first: before the authentication, and before any other
            // middleware added above this line.
            .wrap(static_cors::Cors::default())
    })
    .workers(1)
    .bind(ADDR)?
    .run()
    .await
}
