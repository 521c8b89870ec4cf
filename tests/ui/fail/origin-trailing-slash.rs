use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com/", "http://localhost:3000"], methods = [GET, PUT], maxage = 5)]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
