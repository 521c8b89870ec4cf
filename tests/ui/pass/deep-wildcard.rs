use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://*.a.b.example.org", "https://*.example.co.uk"])]
#[get("/x")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
