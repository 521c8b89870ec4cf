use actix_web::{route, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [CONNECT])]
#[route("/items", method = "GET", method = "CONNECT")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
