use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com", set("TENANT_ORIGINS")])]
#[get("/widgets")]
async fn widgets() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
