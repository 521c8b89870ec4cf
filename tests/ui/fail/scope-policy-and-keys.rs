use actix_web::{get, HttpResponse};
use static_cors::{cors_policy, cors_scope};

cors_policy! {
    pub(crate) API = (origins = ["https://app.example.com"]);
}

#[cors_scope(policy = API, max_age = 60)]
mod api {
    use super::*;

    #[get("/items")]
    pub async fn items() -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

fn main() {}
