use actix_web::HttpResponse;
use static_cors::cors;

#[cors(origins = ["https://app.example.com"])]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
