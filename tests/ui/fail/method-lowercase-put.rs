use actix_web::{route, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [put])]
#[route("/items", method = "GET", method = "PUT")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
