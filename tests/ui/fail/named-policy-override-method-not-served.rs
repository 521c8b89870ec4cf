use actix_web::{get, HttpResponse};
use static_cors::{cors, cors_policy};

cors_policy! {
    pub(crate) API = (origins = ["https://app.example.com"]);
}

#[cors(policy = API, methods = [DELETE])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
