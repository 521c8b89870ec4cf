use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = "*", headers = ["content-type"], expose = ["x-request-id"])]
#[get("/x")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
