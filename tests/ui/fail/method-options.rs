use actix_web::{route, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, OPTIONS])]
#[route("/items", method = "GET", method = "OPTIONS")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
