use actix_web::{route, HttpResponse};
use static_cors::cors;

#[cors(origins = ["http://[::1]:8080", "https://*.deep.example.org"], methods = [PROPFIND], headers = ["x-b3-traceid"])]
#[route("/dav", method = "PROPFIND")]
async fn dav() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(dav);
}
