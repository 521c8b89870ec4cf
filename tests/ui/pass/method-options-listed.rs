use actix_web::{options, route, HttpResponse};
use static_cors::cors;

// A page may call `fetch(url, {method: "OPTIONS"})`: a route serving OPTIONS may list it.
#[cors(origins = ["https://app.example.com"], methods = [GET, OPTIONS])]
#[route("/items", method = "GET", method = "OPTIONS")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], methods = [OPTIONS])]
#[options("/probe")]
async fn probe() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(items).service(probe);
}
