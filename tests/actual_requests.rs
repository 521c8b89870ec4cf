//! Actual (non-preflight) requests: which responses get which CORS headers.

mod support;

use std::future::{ready, Ready};

use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{get, post, route, test, web, App, HttpResponse, Responder};
use serde::Deserialize;
use static_cors::cors;
use support::*;

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, PUT],
    headers = ["content-type", "x-token"],
    expose = ["x-request-id", "x-total-count"],
    credentials = true,
    max_age = 600,
)]
#[route("/items/{id}", method = "GET", method = "PUT", method = "DELETE")]
async fn item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "7"))
        .body(format!("item {id}"))
}

#[cors(origins = "*", expose = "*")]
#[get("/public")]
async fn public() -> impl Responder {
    HttpResponse::Ok().body("public")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/negotiated")]
async fn negotiated() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::VARY, "Accept-Encoding"))
        .body("negotiated")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/already-varies")]
async fn already_varies() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::VARY, "accept, origin"))
        .body("varies")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/varies-on-everything")]
async fn varies_on_everything() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::VARY, "*"))
        .body("star")
}

#[derive(Deserialize)]
struct NewItem {
    #[allow(dead_code)]
    name: String,
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[post("/items")]
async fn create(_item: web::Json<NewItem>) -> impl Responder {
    HttpResponse::Created().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/fails")]
async fn fails() -> Result<HttpResponse, actix_web::Error> {
    Err(actix_web::error::ErrorServiceUnavailable(
        "down for maintenance",
    ))
}

/// A middleware that refuses every request with an error, like an auth layer would.
struct DenyAll;

impl<S: Service<ServiceRequest, Response = ServiceResponse, Error = actix_web::Error>>
    Transform<S, ServiceRequest> for DenyAll
{
    type Response = ServiceResponse;
    type Error = actix_web::Error;
    type Transform = DenyAllService;
    type InitError = ();
    type Future = Ready<Result<DenyAllService, ()>>;

    fn new_transform(&self, _: S) -> Self::Future {
        ready(Ok(DenyAllService))
    }
}

struct DenyAllService;

impl Service<ServiceRequest> for DenyAllService {
    type Response = ServiceResponse;
    type Error = actix_web::Error;
    type Future = Ready<Result<ServiceResponse, actix_web::Error>>;

    actix_web::dev::always_ready!();

    fn call(&self, _: ServiceRequest) -> Self::Future {
        ready(Err(actix_web::error::ErrorUnauthorized("log in first")))
    }
}

#[cors(origins = ["https://app.example.com"])]
#[get("/guarded", wrap = "DenyAll")]
async fn guarded() -> impl Responder {
    HttpResponse::Ok().body("secret")
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .service(item)
                .service(public)
                .service(negotiated)
                .service(already_varies)
                .service(varies_on_everything)
                .service(create)
                .service(fails)
                .service(guarded),
        )
        .await
    };
}

#[actix_web::test]
async fn allowed_exact_origin_gets_echo_credentials_and_expose() {
    let app = app!();
    let res = test::call_service(&app, actual(Method::GET, "/items/1", APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        get(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        get(&res, "access-control-expose-headers").as_deref(),
        Some("x-request-id, x-total-count")
    );
    assert_eq!(all(&res, "vary"), ["Origin"]);
    assert_eq!(
        cors_headers(&res),
        [
            "access-control-allow-credentials",
            "access-control-allow-origin",
            "access-control-expose-headers"
        ],
        "actual responses never carry preflight-only headers"
    );
    assert_eq!(
        body(res).await,
        "item 1",
        "path parameters reach the handler"
    );
}

#[actix_web::test]
async fn wildcard_pattern_matches_subdomains_at_any_depth() {
    let app = app!();
    for origin in [
        "https://a.example.org",
        "https://deep.sub.example.org",
        "https://x-1.example.org",
    ] {
        let res =
            test::call_service(&app, actual(Method::GET, "/items/1", origin).to_request()).await;
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(origin),
            "{origin}"
        );
    }
}

#[actix_web::test]
async fn wildcard_pattern_never_matches_apex_lookalikes_other_schemes_or_ports() {
    let app = app!();
    for origin in [
        "https://example.org",
        "https://aexample.org",
        "https://a.example.org.evil.com",
        "http://a.example.org",
        "https://a.example.org:8443",
        "https://a.example.org:443",
        "https://A.example.org",
        "https://a.example.org.",
        "https://.example.org",
        "https://a..example.org",
        "https://a.example.org/",
        "https://evil.com#.example.org",
    ] {
        let res =
            test::call_service(&app, actual(Method::GET, "/items/1", origin).to_request()).await;
        assert_eq!(
            cors_headers(&res),
            Vec::<String>::new(),
            "{origin} must not be granted"
        );
        assert_eq!(all(&res, "vary"), ["Origin"], "{origin}");
    }
}

#[actix_web::test]
async fn exact_origin_matches_byte_for_byte_only() {
    let app = app!();
    for origin in [
        "https://app.example.com/",
        "https://APP.example.com",
        "http://app.example.com",
        "https://app.example.com:443",
        "https://app.example.com.evil.com",
        "https://app.example.co",
        "null",
    ] {
        let res =
            test::call_service(&app, actual(Method::GET, "/items/1", origin).to_request()).await;
        assert_eq!(
            cors_headers(&res),
            Vec::<String>::new(),
            "{origin} must not be granted"
        );
    }
}

#[actix_web::test]
async fn refused_origin_still_runs_the_handler_without_cors_headers() {
    let app = app!();
    let res = test::call_service(&app, actual(Method::GET, "/items/3", EVIL).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    assert_eq!(all(&res, "vary"), ["Origin"]);
    assert_eq!(body(res).await, "item 3");
}

#[actix_web::test]
async fn method_outside_methods_gets_no_cors_headers() {
    let app = app!();
    let res = test::call_service(&app, actual(Method::DELETE, "/items/3", APP).to_request()).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "DELETE is served, same-origin only"
    );
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    assert_eq!(all(&res, "vary"), ["Origin"]);
}

#[actix_web::test]
async fn request_without_origin_only_gets_vary() {
    let app = app!();
    let res = test::call_service(&app, test::TestRequest::get().uri("/items/1").to_request()).await;
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    assert_eq!(all(&res, "vary"), ["Origin"]);
    assert_eq!(
        get(&res, "x-request-id").as_deref(),
        Some("7"),
        "the handler's own headers stay"
    );
}

#[actix_web::test]
async fn any_origin_answers_star_and_exposes_everything() {
    let app = app!();
    let res = test::call_service(
        &app,
        actual(Method::GET, "/public", "https://whoever.test").to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(
        get(&res, "access-control-expose-headers").as_deref(),
        Some("*")
    );
    assert_eq!(get(&res, "access-control-allow-credentials"), None);
}

#[actix_web::test]
async fn handler_vary_is_merged_not_overwritten() {
    let app = app!();
    let res = test::call_service(&app, actual(Method::GET, "/negotiated", APP).to_request()).await;
    assert_eq!(all(&res, "vary"), ["Accept-Encoding", "Origin"]);
}

#[actix_web::test]
async fn vary_already_covering_origin_is_not_duplicated() {
    let app = app!();
    let res = test::call_service(
        &app,
        actual(Method::GET, "/already-varies", APP).to_request(),
    )
    .await;
    assert_eq!(all(&res, "vary"), ["accept, origin"]);
    let res = test::call_service(
        &app,
        actual(Method::GET, "/varies-on-everything", APP).to_request(),
    )
    .await;
    assert_eq!(all(&res, "vary"), ["*"]);
}

#[actix_web::test]
async fn extractor_failure_stays_readable_by_the_page() {
    let app = app!();
    let req = actual(Method::POST, "/items", APP)
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload("{not json");
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[actix_web::test]
async fn handler_error_stays_readable_by_the_page() {
    let app = app!();
    let res = test::call_service(&app, actual(Method::GET, "/fails", APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[actix_web::test]
async fn error_from_the_handlers_own_middleware_stays_readable() {
    let app = app!();
    let res = test::call_service(&app, actual(Method::GET, "/guarded", APP).to_request()).await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the route's own `wrap` still runs"
    );
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(all(&res, "vary"), ["Origin"]);
}

#[actix_web::test]
async fn two_origin_headers_are_never_granted() {
    let app = app!();
    let req = actual(Method::GET, "/items/1", APP)
        .append_header((header::ORIGIN, "https://a.example.org"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), Vec::<String>::new());
}
