use actix_web::{routes, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, POST])]
#[routes]
#[get("/x")]
#[post("/x")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
