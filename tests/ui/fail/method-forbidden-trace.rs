use actix_web::{route, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [TRACE])]
#[route("/items", method = "GET", method = "TRACE")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
