use actix_web::{get, HttpResponse};
use static_cors::cors;

#[cors(origins = ["https://app.example.com"], headers = ["x-b3-traceid", "x-amz-meta-2fa", "content-md5"], expose = ["x-ratelimit-remaining-1h"])]
#[get("/x")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
