use actix_web::{get, put, App, HttpResponse};
use static_cors::{cors, cors_policy};

mod settings {
    pub fn origins() -> Vec<String> {
        vec!["https://partner.example.net".to_owned()]
    }

    pub fn static_origins() -> [&'static str; 2] {
        ["https://a.example.net", "https://*.b.example.net"]
    }
}

cors_policy! {
    pub(crate) STAGING = (origins = [env("APP_CORS_ORIGINS")], credentials = true);
}

#[cors(origins = ["https://app.example.com", env("APP_CORS_ORIGINS"), config(settings::origins)])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = config(crate::settings::static_origins), headers = ["x-token"])]
#[put("/items")]
async fn put_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = STAGING)]
#[get("/me")]
async fn me() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(items).service(put_items).service(me);
}
