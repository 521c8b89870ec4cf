use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["http://[::1]:8080", "https://[2001:db8::1]"])]
#[get("/x")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
