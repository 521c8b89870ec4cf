use actix_web::{get, HttpResponse};
use static_cors::cors_scope;

#[cors_scope(origins = ["https://app.example.com"])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
