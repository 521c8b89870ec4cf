use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["http://app.example.com"], credentials = true, allow_insecure_http = true)]
#[get("/x")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
