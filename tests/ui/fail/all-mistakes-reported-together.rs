use actix_web::{get, HttpResponse};
use static_cors::cors;

// Four mistakes in one attribute: one compile reports all of them.
#[cors(
    origins = ["https://app.example.com/", "http://localhost:3000"],
    methods = [GET, PUT],
    headers = ["cookie"],
    maxage = 5,
)]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
