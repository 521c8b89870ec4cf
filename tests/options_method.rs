//! `OPTIONS` as a page's own method: `fetch(url, {method: "OPTIONS"})` is preflighted with
//! `Access-Control-Request-Method: OPTIONS`, and granted only when the policy lists it.

mod support;

use actix_web::http::{Method, StatusCode};
use actix_web::{route, test, App, HttpRequest, HttpResponse, Responder};
use static_cors::cors;
use support::{actual, body, get, preflight, APP, EVIL};

#[cors(origins = ["https://app.example.com"], methods = [GET, OPTIONS])]
#[route("/caps", method = "GET", method = "OPTIONS")]
async fn caps(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok().body(format!("handler ran for {}", req.method()))
}

/// The same route without `methods`: the default leaves `OPTIONS` same-origin.
#[cors(origins = ["https://app.example.com"])]
#[route("/caps-default", method = "GET", method = "OPTIONS")]
async fn caps_default(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok().body(format!("handler ran for {}", req.method()))
}

#[actix_web::test]
async fn listed_options_is_one_of_the_policys_methods() {
    assert_eq!(caps::cors_policy().methods(), ["GET", "OPTIONS"]);
    assert_eq!(caps_default::cors_policy().methods(), ["GET"]);
}

#[actix_web::test]
async fn a_preflight_for_listed_options_is_granted() {
    let app = test::init_service(App::new().service(caps)).await;
    let res = test::call_service(&app, preflight("/caps", APP, "OPTIONS", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    let methods = get(&res, "access-control-allow-methods").unwrap_or_default();
    assert!(
        methods.split(", ").any(|m| m == "OPTIONS"),
        "allow-methods: {methods}"
    );
    assert_eq!(body(res).await, "", "the policy answers, not the handler");
}

#[actix_web::test]
async fn an_actual_options_request_after_the_preflight_reaches_the_handler_with_its_origin() {
    let app = test::init_service(App::new().service(caps)).await;
    let res = test::call_service(&app, actual(Method::OPTIONS, "/caps", APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(body(res).await, "handler ran for OPTIONS");
}

#[actix_web::test]
async fn listed_options_is_still_refused_to_an_unlisted_origin() {
    let app = test::init_service(App::new().service(caps)).await;
    let res =
        test::call_service(&app, preflight("/caps", EVIL, "OPTIONS", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&res, "access-control-allow-origin"), None);
    let res = test::call_service(&app, actual(Method::OPTIONS, "/caps", EVIL).to_request()).await;
    assert_eq!(get(&res, "access-control-allow-origin"), None);
}

#[actix_web::test]
async fn a_route_listing_options_still_answers_its_other_preflights() {
    let app = test::init_service(App::new().service(caps)).await;
    let res = test::call_service(&app, preflight("/caps", APP, "GET", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET, OPTIONS")
    );
    assert_eq!(body(res).await, "");
}

#[actix_web::test]
async fn options_is_refused_when_methods_is_left_out() {
    let app = test::init_service(App::new().service(caps_default)).await;
    let res = test::call_service(
        &app,
        preflight("/caps-default", APP, "OPTIONS", None).to_request(),
    )
    .await;
    // Refused with the allow lists, so the browser names the method.
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET")
    );
    assert!(body(res).await.contains("method not allowed"));
    let res = test::call_service(
        &app,
        actual(Method::OPTIONS, "/caps-default", APP).to_request(),
    )
    .await;
    assert_eq!(get(&res, "access-control-allow-origin"), None);
    assert_eq!(body(res).await, "handler ran for OPTIONS");
}

#[actix_web::test]
async fn the_app_layer_answers_listed_options_as_the_route_does() {
    let app = test::init_service(
        App::new()
            .service(caps)
            .service(caps_default)
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = test::call_service(&app, preflight("/caps", APP, "OPTIONS", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET, OPTIONS")
    );
    let res = test::call_service(&app, actual(Method::OPTIONS, "/caps", APP).to_request()).await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(body(res).await, "handler ran for OPTIONS");
    let res = test::call_service(
        &app,
        preflight("/caps-default", APP, "OPTIONS", None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET")
    );
}
