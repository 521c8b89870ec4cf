use actix_web::{route, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com", "https://*.example.org"], methods = [GET, PUT], headers = ["Content-Type", "X-Token"], expose = ["X-Request-Id"], credentials = true, max_age = 600, private_network = true)]
#[route("/x", method = "GET", method = "PUT", method = "DELETE")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
