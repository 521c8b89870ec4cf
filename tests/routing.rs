//! `#[cors]` composes with every actix-web routing form: scopes, `#[route]`, `#[routes]`,
//! guards, resource names and the route's own middleware.

mod support;

use actix_web::http::{Method, StatusCode};
use actix_web::{get, guard, post, routes, test, web, App, HttpRequest, HttpResponse, Responder};
use static_cors::cors;
use support::*;

/// Lists the orders of a customer.
#[cors(origins = ["https://app.example.com"], headers = ["x-token"])]
#[get("/customers/{customer}/orders/{order}", name = "order")]
async fn order(path: web::Path<(String, u32)>, req: HttpRequest) -> impl Responder {
    let (customer, order) = path.into_inner();
    let url = req
        .url_for("order", [customer.as_str(), &order.to_string()])
        .map(|u| u.path().to_owned());
    HttpResponse::Ok().body(format!("{customer}/{order} at {}", url.unwrap_or_default()))
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
#[routes]
#[get("/reports")]
#[get("/reports/latest")]
#[post("/reports")]
async fn reports(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok().body(format!("{} {}", req.method(), req.path()))
}

fn is_json(ctx: &guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes() == b"application/json")
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[post("/events", guard = "is_json")]
async fn events() -> impl Responder {
    HttpResponse::Accepted().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get(
    "/wrapped",
    wrap = "actix_web::middleware::DefaultHeaders::new().add((\"x-wrapped\", \"yes\"))"
)]
async fn wrapped() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn scoped_handler_answers_preflight_and_actual_request_with_path_parameters() {
    let app = test::init_service(App::new().service(web::scope("/api/v1").service(order))).await;
    let res = test::call_service(
        &app,
        preflight(
            "/api/v1/customers/ada/orders/7",
            APP,
            "GET",
            Some("x-token"),
        )
        .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-headers").as_deref(),
        Some("x-token")
    );
    let res = test::call_service(
        &app,
        actual(Method::GET, "/api/v1/customers/ada/orders/7", APP).to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        body(res).await,
        "ada/7 at /api/v1/customers/ada/orders/7",
        "`name` still names the resource"
    );
}

#[actix_web::test]
async fn routes_attribute_gets_a_preflight_on_every_path() {
    let app = test::init_service(App::new().service(reports)).await;
    for path in ["/reports", "/reports/latest"] {
        let res = test::call_service(&app, preflight(path, APP, "GET", None).to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{path}");
        let res = test::call_service(&app, actual(Method::GET, path, APP).to_request()).await;
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(APP),
            "{path}"
        );
    }
    let res = test::call_service(&app, preflight("/reports", APP, "POST", None).to_request()).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "POST is served but not in methods"
    );
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET")
    );
    let res = test::call_service(&app, actual(Method::POST, "/reports", APP).to_request()).await;
    assert_eq!(body(res).await, "POST /reports");
}

#[actix_web::test]
async fn route_guards_apply_to_actual_requests_and_preflights_still_pass() {
    let app = test::init_service(App::new().service(events)).await;
    let res = test::call_service(
        &app,
        preflight("/events", APP, "POST", Some("content-type")).to_request(),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::NO_CONTENT,
        "a preflight carries no body or content-type"
    );
    let res = test::call_service(
        &app,
        actual(Method::POST, "/events", APP)
            .insert_header(("content-type", "application/json"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    let res = test::call_service(&app, actual(Method::POST, "/events", APP).to_request()).await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "the guard still refuses"
    );
}

#[actix_web::test]
async fn the_routes_own_wrap_still_runs() {
    let app = test::init_service(App::new().service(wrapped)).await;
    let res = test::call_service(&app, actual(Method::GET, "/wrapped", APP).to_request()).await;
    assert_eq!(get(&res, "x-wrapped").as_deref(), Some("yes"));
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[actix_web::test]
async fn policy_is_inspectable_from_the_handler() {
    let policy = order::cors_policy();
    assert_eq!(policy.handler(), "order");
    let (file, line) = policy.location().rsplit_once(':').expect("file:line");
    assert_eq!(file, "tests/routing.rs");
    let line: usize = line.parse().expect("a line number");
    let source_line = include_str!("routing.rs")
        .lines()
        .nth(line - 1)
        .expect("line in file");
    assert!(
        source_line.contains("async fn order"),
        "location points at the handler: {source_line}"
    );
    assert_eq!(policy.methods(), ["GET"]);
    assert!(policy.preflight(APP, "GET", &["X-Token"]).is_allowed());
    assert!(!policy.preflight(APP, "GET", &["x-other"]).is_allowed());
}

/// A route that serves OPTIONS itself: preflights must still get the policy's answer.
#[cors(origins = ["https://app.example.com"])]
#[actix_web::route("/capabilities", method = "GET", method = "OPTIONS")]
async fn capabilities(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok().body(format!("handler ran for {}", req.method()))
}

#[actix_web::test]
async fn a_route_serving_options_does_not_swallow_its_preflights() {
    let app = test::init_service(App::new().service(capabilities)).await;
    let res = test::call_service(
        &app,
        preflight("/capabilities", APP, "GET", None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET")
    );
    // OPTIONS is not granted unless `methods` lists it: refused with the allow lists, so
    // the browser names the method.
    let res = test::call_service(
        &app,
        preflight("/capabilities", APP, "OPTIONS", None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert!(body(res).await.contains("method not allowed"));
    // An OPTIONS request that is not a preflight reaches the handler; OPTIONS is not a
    // cross-origin method of the policy, so it grants nothing.
    let res = test::call_service(
        &app,
        actual(Method::OPTIONS, "/capabilities", APP).to_request(),
    )
    .await;
    assert_eq!(get(&res, "access-control-allow-origin"), None);
    assert_eq!(body(res).await, "handler ran for OPTIONS");
}

#[actix_web::test]
async fn preflights_are_answered_before_the_routes_own_middleware() {
    let app = test::init_service(App::new().service(wrapped)).await;
    let res = test::call_service(&app, preflight("/wrapped", APP, "GET", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "x-wrapped"),
        None,
        "the handler's own middleware does not run for its preflights"
    );
}

#[actix_web::test]
async fn percent_encoded_paths_route_preflights_like_actual_requests() {
    let app = test::init_service(App::new().service(web::scope("/api/v1").service(order))).await;
    let path = "/api/v1/customers/ad%61/orders/%37";
    let res = test::call_service(
        &app,
        preflight(path, APP, "GET", Some("x-token")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = test::call_service(&app, actual(Method::GET, path, APP).to_request()).await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(body(res).await, "ada/7 at /api/v1/customers/ada/orders/7");
}

#[actix_web::test]
async fn requests_for_methods_the_route_does_not_serve_are_not_routed_to_it() {
    let app = test::init_service(App::new().service(wrapped)).await;
    for req in [
        // A preflight for another method: some other handler's, or nobody's.
        preflight("/wrapped", APP, "DELETE", None).to_request(),
        // OPTIONS without the preflight headers, and a method the route does not serve.
        actual(Method::OPTIONS, "/wrapped", APP).to_request(),
        actual(Method::PUT, "/wrapped", APP).to_request(),
        // `Access-Control-Request-Method` without `Origin` is no preflight.
        test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/wrapped")
            .insert_header(("access-control-request-method", "GET"))
            .to_request(),
    ] {
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(get(&res, "access-control-allow-origin"), None);
    }
}
