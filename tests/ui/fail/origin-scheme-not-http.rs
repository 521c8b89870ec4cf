use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["ftp://files.example.com"])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
