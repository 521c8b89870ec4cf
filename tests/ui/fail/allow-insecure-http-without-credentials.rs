use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["http://app.example.com"], allow_insecure_http = true)]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
