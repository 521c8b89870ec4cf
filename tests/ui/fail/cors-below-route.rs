use actix_web::{get, HttpResponse};
use static_cors::cors;

#[get("/items")]
#[cors(origins = ["https://app.example.com"])]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
