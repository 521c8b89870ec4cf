use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://admin@app.example.com"])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
