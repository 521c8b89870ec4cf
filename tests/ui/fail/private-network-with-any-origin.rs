use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = "*", private_network = true)]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
