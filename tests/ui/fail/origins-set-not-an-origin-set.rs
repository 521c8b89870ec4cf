use actix_web::{get, HttpResponse};
use static_cors::cors;

static TENANT_ORIGINS: Vec<&str> = Vec::new();

#[cors(origins = ["https://app.example.com", set(TENANT_ORIGINS)])]
#[get("/widgets")]
async fn widgets() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
