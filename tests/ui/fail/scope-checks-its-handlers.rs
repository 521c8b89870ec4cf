use actix_web::{get, HttpResponse};
use static_cors::{cors, cors_scope};

#[cors_scope(origins = ["https://app.example.com"], credentials = true)]
mod api {
    use super::*;

    #[get("/items")]
    pub async fn items() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    /// The override makes this handler's policy invalid: `*` with credentials.
    #[cors(origins = "*")]
    #[get("/public")]
    pub async fn public() -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

fn main() {}
