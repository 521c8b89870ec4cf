use actix_web::{route, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = ["TRACK"])]
#[route("/items", method = "GET", method = "TRACK")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
