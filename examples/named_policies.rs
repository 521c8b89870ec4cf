//! Named and scope-wide policies: declare a policy once, apply it to many handlers, override
//! single keys where one handler differs, and opt a handler out.
//!
//! ```text
//! cargo run --example named_policies
//! curl -si -X OPTIONS http://127.0.0.1:8083/items/1 \
//!     -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT'
//! ```

use actix_web::{delete, get, put, App, HttpResponse, HttpServer, Responder};
use static_cors::{cors, cors_policy, cors_scope};

cors_policy! {
    /// The public API: the app and every preview deployment, with its session cookie.
    pub(crate) API = (
        origins = ["https://app.example.com", "https://*.preview.example.com"],
        headers = ["content-type", "x-csrf-token"],
        expose = ["x-request-id"],
        credentials = true,
        max_age = 600,
    );
    /// Partners read the catalogue without credentials.
    pub(crate) PARTNERS = (origins = ["https://partner.example.net"], max_age = 3600);
}

/// Exactly the named policy.
#[cors(policy = API)]
#[get("/items/{id}")]
async fn get_item() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "1"))
        .body("item")
}

/// The named policy with one key overridden: this handler accepts no custom header.
#[cors(policy = API, headers = ["content-type"])]
#[put("/items/{id}")]
async fn put_item() -> impl Responder {
    HttpResponse::Ok().body("updated")
}

/// Every handler of the module gets `PARTNERS`, with actix-web's own `#[scope]` prefix.
#[cors_scope(policy = PARTNERS)]
#[actix_web::scope("/partners")]
mod partners {
    use super::*;

    #[get("/catalogue")]
    pub async fn catalogue() -> impl Responder {
        HttpResponse::Ok().body("catalogue")
    }

    /// Narrower than the scope: only this handler's own key changes.
    #[cors(max_age = 60)]
    #[get("/stock")]
    pub async fn stock() -> impl Responder {
        HttpResponse::Ok().body("stock")
    }

    /// Same-origin only: no CORS headers, and its preflights are not answered.
    #[cors(disable)]
    #[delete("/catalogue")]
    pub async fn clear() -> impl Responder {
        HttpResponse::Ok().body("cleared")
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    for policy in [
        get_item::cors_policy(),
        put_item::cors_policy(),
        partners::catalogue::cors_policy(),
        partners::stock::cors_policy(),
    ] {
        println!("{policy}");
    }
    let addr = "127.0.0.1:8083";
    println!("listening on http://{addr}");
    HttpServer::new(|| {
        App::new()
            .service(get_item)
            .service(put_item)
            .service(partners::catalogue)
            .service(partners::stock)
            .service(partners::clear)
    })
    .workers(1)
    .bind(addr)?
    .run()
    .await
}
