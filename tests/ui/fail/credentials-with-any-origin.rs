use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = "*", credentials = true)]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
