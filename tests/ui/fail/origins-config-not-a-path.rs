use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = config("cors.toml"))]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
