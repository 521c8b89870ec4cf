use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, OPTIONS])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
