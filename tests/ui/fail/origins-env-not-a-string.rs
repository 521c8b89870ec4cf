use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com", env(APP_CORS_ORIGINS)])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
