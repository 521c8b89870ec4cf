use actix_web::{route, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = ["PROPFIND"])]
#[route("/x", method = "PROPFIND")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
