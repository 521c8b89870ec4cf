use actix_web::{patch, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [patch])]
#[patch("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
