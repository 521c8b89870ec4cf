use actix_web::{get, HttpResponse};
use static_cors::{cors, OriginSet};

mod tenants {
    pub static ORIGINS: static_cors::OriginSet = static_cors::OriginSet::new();
}

static PARTNERS: OriginSet = OriginSet::allowing_insecure_http();

#[cors(origins = [set(tenants::ORIGINS), "https://*.example.org", set(PARTNERS)], credentials = true)]
#[get("/widgets")]
async fn widgets() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = set(PARTNERS))]
#[get("/partners")]
async fn partners() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = (widgets, partners);
}
