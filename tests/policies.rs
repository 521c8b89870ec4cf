//! Named policies, scope-wide policies and origins read from configuration.

mod support;

use actix_web::http::{Method, StatusCode};
use actix_web::test::{call_service, init_service};
use actix_web::{delete, get, put, route, App, HttpResponse, Responder};
use static_cors::{cors, cors_policy, cors_scope};
use support::*;

cors_policy! {
    /// The policy of the public API: declared once, checked here.
    pub(crate) API = (
        origins = ["https://app.example.com", "https://*.example.org"],
        headers = ["content-type", "x-token"],
        expose = ["x-request-id"],
        credentials = true,
        max_age = 600,
    );
    pub(crate) PARTNERS = (origins = ["https://partner.test"]);
}

#[cors(policy = API)]
#[get("/items/{id}")]
async fn get_item() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "1"))
        .finish()
}

#[cors(policy = API, headers = ["content-type"], max_age = 60)]
#[put("/items/{id}")]
async fn put_item() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_named_policy_applies_as_declared() {
    let app = init_service(App::new().service(get_item).service(put_item)).await;
    let res = call_service(
        &app,
        actual(Method::GET, "/items/1", "https://a.example.org").to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("https://a.example.org")
    );
    assert_eq!(
        get(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        get(&res, "access-control-expose-headers").as_deref(),
        Some("x-request-id")
    );
    let res = call_service(
        &app,
        preflight("/items/1", APP, "GET", Some("x-token")).to_request(),
    )
    .await;
    assert_eq!(get(&res, "access-control-max-age").as_deref(), Some("600"));
}

#[actix_web::test]
async fn a_handler_overrides_single_keys_of_a_named_policy() {
    let app = init_service(App::new().service(get_item).service(put_item)).await;
    let res = call_service(
        &app,
        preflight("/items/1", APP, "PUT", Some("content-type")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-headers").as_deref(),
        Some("content-type")
    );
    assert_eq!(get(&res, "access-control-max-age").as_deref(), Some("60"));
    assert_eq!(
        get(&res, "access-control-allow-credentials").as_deref(),
        Some("true"),
        "kept from API"
    );
    let res = call_service(
        &app,
        preflight("/items/1", APP, "PUT", Some("x-token")).to_request(),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "x-token is not in the override"
    );
    assert!(put_item::cors_policy()
        .preflight(APP, "PUT", &["content-type"])
        .is_allowed());
}

#[cors_scope(policy = PARTNERS)]
#[actix_web::scope("/partners")]
mod partners {
    use super::*;

    #[get("/orders")]
    pub async fn orders() -> impl Responder {
        HttpResponse::Ok().body("orders")
    }

    #[cors(methods = [GET])]
    #[route("/stock", method = "GET", method = "PUT")]
    pub async fn stock() -> impl Responder {
        HttpResponse::Ok().body("stock")
    }

    #[cors(disable)]
    #[delete("/orders")]
    pub async fn cancel() -> impl Responder {
        HttpResponse::Ok().body("cancelled")
    }
}

#[cors_scope(origins = ["https://admin.test"], max_age = 0)]
mod admin {
    use super::*;

    #[get("/admin/users")]
    pub async fn users() -> impl Responder {
        HttpResponse::Ok().finish()
    }

    #[cors(origins = ["https://root.test"])]
    #[get("/admin/root")]
    pub async fn root() -> impl Responder {
        HttpResponse::Ok().finish()
    }
}

#[actix_web::test]
async fn a_scope_policy_covers_every_handler_with_overrides_and_opt_outs() {
    let app = init_service(
        App::new()
            .service(partners::orders)
            .service(partners::stock)
            .service(partners::cancel)
            .service(admin::users)
            .service(admin::root),
    )
    .await;
    let partner = "https://partner.test";
    let res = call_service(
        &app,
        actual(Method::GET, "/partners/orders", partner).to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(partner),
        "actix's #[scope] prefix applies too"
    );
    let res = call_service(
        &app,
        preflight("/partners/stock", partner, "PUT", None).to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET"),
        "the handler narrowed methods"
    );
    let res = call_service(
        &app,
        actual(Method::DELETE, "/partners/orders", partner).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), Vec::<String>::new(), "opted out");
    assert_eq!(get(&res, "vary"), None, "no policy at all");

    let res = call_service(
        &app,
        preflight("/admin/users", "https://admin.test", "GET", None).to_request(),
    )
    .await;
    assert_eq!(get(&res, "access-control-max-age").as_deref(), Some("0"));
    let res = call_service(
        &app,
        actual(Method::GET, "/admin/root", "https://root.test").to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("https://root.test"),
        "origins overridden"
    );
    let res = call_service(
        &app,
        actual(Method::GET, "/admin/root", "https://admin.test").to_request(),
    )
    .await;
    assert_eq!(get(&res, "access-control-allow-origin"), None);
}
