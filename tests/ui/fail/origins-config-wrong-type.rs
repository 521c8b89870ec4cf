use actix_web::{get, HttpResponse};
use static_cors::cors;

/// Returns a count, not a list of origins.
fn origin_count() -> u32 {
    2
}

#[cors(origins = config(origin_count))]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
