use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], headers = [env("APP_CORS_HEADERS")])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
