//! Preflights: who answers them, with what status and headers, and that handlers never run.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::http::{header, Method, StatusCode};
use actix_web::{delete, get, options, put, route, test, App, HttpResponse, Responder};
use static_cors::cors;
use support::*;

static ITEM_CALLS: AtomicUsize = AtomicUsize::new(0);

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, PUT],
    headers = ["content-type", "x-token"],
    credentials = true,
    max_age = 600,
)]
#[route("/items/{id}", method = "GET", method = "PUT", method = "DELETE")]
async fn item() -> impl Responder {
    ITEM_CALLS.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body("item")
}

#[cors(origins = "*", headers = "*", max_age = 0)]
#[get("/open")]
async fn open() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], private_network = true)]
#[get("/router-admin")]
async fn router_admin() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/plain")]
async fn plain() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[options("/plain")]
async fn plain_options() -> impl Responder {
    HttpResponse::Ok().body("own OPTIONS handler")
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .service(item)
                .service(open)
                .service(router_admin)
                .service(plain)
                .service(plain_options),
        )
        .await
    };
}

#[actix_web::test]
async fn allowed_preflight_is_204_with_every_header_and_no_body() {
    let app = app!();
    let calls = ITEM_CALLS.load(Ordering::SeqCst);
    let res = test::call_service(
        &app,
        preflight("/items/9", APP, "PUT", Some("content-type,x-token")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        get(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET, PUT")
    );
    assert_eq!(
        get(&res, "access-control-allow-headers").as_deref(),
        Some("content-type, x-token")
    );
    assert_eq!(get(&res, "access-control-max-age").as_deref(), Some("600"));
    assert_eq!(get(&res, "access-control-allow-private-network"), None);
    assert_eq!(
        all(&res, "vary"),
        ["Origin, Access-Control-Request-Method, Access-Control-Request-Headers"]
    );
    assert_eq!(body(res).await, "");
    assert_eq!(
        ITEM_CALLS.load(Ordering::SeqCst),
        calls,
        "the handler never runs for a preflight"
    );
}

#[actix_web::test]
async fn requested_headers_match_case_insensitively_with_ows_and_several_lines() {
    let app = app!();
    for headers in [
        "X-Token",
        " x-token , Content-Type ",
        "content-type,,x-token",
    ] {
        let res = test::call_service(
            &app,
            preflight("/items/1", APP, "GET", Some(headers)).to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{headers:?}");
    }
    let req = preflight("/items/1", APP, "PUT", Some("x-token"))
        .append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn wildcard_origin_preflight_is_granted_with_an_echo() {
    let app = app!();
    let res = test::call_service(
        &app,
        preflight("/items/1", "https://a.b.example.org", "PUT", None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("https://a.b.example.org")
    );
}

#[actix_web::test]
async fn refused_origin_is_403_without_any_cors_header() {
    let app = app!();
    let res = test::call_service(
        &app,
        preflight("/items/1", EVIL, "PUT", Some("x-token")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    assert!(get(&res, "vary").is_some());
    assert!(body(res).await.contains("origin not allowed"));
}

#[actix_web::test]
async fn unlisted_header_is_refused_with_the_allow_lists_so_the_browser_names_it() {
    let app = app!();
    let res = test::call_service(
        &app,
        preflight("/items/1", APP, "PUT", Some("x-token,x-trace")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        get(&res, "access-control-allow-headers").as_deref(),
        Some("content-type, x-token")
    );
    assert_eq!(
        get(&res, "access-control-max-age"),
        None,
        "nothing of a refusal is cached"
    );
    assert!(body(res).await.contains("header not allowed"));
}

#[actix_web::test]
async fn method_served_but_not_allowed_is_refused_with_the_allow_lists() {
    let app = app!();
    let res = test::call_service(
        &app,
        preflight("/items/1", APP, "DELETE", None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("GET, PUT")
    );
    assert_eq!(get(&res, "access-control-max-age"), None);
    assert!(body(res).await.contains("method not allowed"));
}

#[actix_web::test]
async fn lowercase_requested_method_is_refused_not_normalised() {
    let app = app!();
    let res = test::call_service(&app, preflight("/items/1", APP, "put", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body(res).await.contains("method not allowed"));
}

#[actix_web::test]
async fn method_no_handler_serves_is_not_answered_by_this_policy() {
    let app = app!();
    let res =
        test::call_service(&app, preflight("/items/1", APP, "PATCH", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn any_origin_and_any_header_answer_star_and_max_age_zero() {
    let app = app!();
    let res = test::call_service(
        &app,
        preflight("/open", "https://who.test", "GET", Some("x-anything")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(
        get(&res, "access-control-allow-headers").as_deref(),
        Some("*")
    );
    assert_eq!(get(&res, "access-control-max-age").as_deref(), Some("0"));
}

#[actix_web::test]
async fn star_headers_never_cover_authorization() {
    let app = app!();
    let res = test::call_service(
        &app,
        preflight("/open", "https://who.test", "GET", Some("authorization")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    // No `Access-Control-Allow-Headers: *`: Chromium would let it cover `authorization`.
    assert_eq!(get(&res, "access-control-allow-headers"), None);
    assert!(body(res).await.contains("header not allowed"));
    let res = test::call_service(
        &app,
        preflight("/open", "https://who.test", "GET", Some("x-anything")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-headers").as_deref(),
        Some("*")
    );
}

#[actix_web::test]
async fn private_network_is_answered_only_when_requested_and_enabled() {
    let app = app!();
    let pna = |uri| {
        preflight(uri, APP, "GET", None)
            .insert_header(("access-control-request-private-network", "true"))
    };
    let res = test::call_service(&app, pna("/router-admin").to_request()).await;
    assert_eq!(
        get(&res, "access-control-allow-private-network").as_deref(),
        Some("true")
    );
    assert!(get(&res, "vary")
        .unwrap()
        .contains("Access-Control-Request-Private-Network"));
    let res = test::call_service(
        &app,
        preflight("/router-admin", APP, "GET", None).to_request(),
    )
    .await;
    assert_eq!(get(&res, "access-control-allow-private-network"), None);
    let res = test::call_service(&app, pna("/plain").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&res, "access-control-allow-private-network"), None);
}

#[actix_web::test]
async fn options_without_request_method_is_not_a_preflight() {
    let app = app!();
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/plain")
        .insert_header((header::ORIGIN, APP));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body(res).await, "own OPTIONS handler");
}

#[actix_web::test]
async fn options_without_origin_is_not_a_preflight() {
    let app = app!();
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/plain")
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "GET"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(body(res).await, "own OPTIONS handler");
}

#[actix_web::test]
async fn the_same_origin_check_covers_preflight_and_actual_request() {
    // A preflight granted for an origin implies the actual request is granted too.
    let app = app!();
    let res = test::call_service(
        &app,
        preflight("/items/1", "https://x.example.org", "PUT", Some("x-token")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = test::call_service(
        &app,
        actual(Method::PUT, "/items/1", "https://x.example.org").to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("https://x.example.org")
    );
}

// Several handlers on one path, each with its own policy, each answering its own preflights.
#[cors(origins = ["https://reader.test"])]
#[get("/docs/{id}")]
async fn read_doc() -> impl Responder {
    HttpResponse::Ok().body("read")
}

#[cors(origins = ["https://writer.test"], headers = ["content-type"])]
#[put("/docs/{id}")]
async fn write_doc() -> impl Responder {
    HttpResponse::Ok().body("written")
}

#[cors(origins = ["https://admin.test"], max_age = 60)]
#[delete("/docs/{id}")]
async fn delete_doc() -> impl Responder {
    HttpResponse::Ok().body("deleted")
}

#[actix_web::test]
async fn several_handlers_on_one_path_each_answer_their_own_preflights() {
    let app = test::init_service(
        App::new()
            .service(read_doc)
            .service(write_doc)
            .service(delete_doc),
    )
    .await;
    let cases = [
        (
            "https://writer.test",
            "PUT",
            Some("content-type"),
            StatusCode::NO_CONTENT,
            Some("PUT"),
        ),
        (
            "https://admin.test",
            "DELETE",
            None,
            StatusCode::NO_CONTENT,
            Some("DELETE"),
        ),
        (
            "https://reader.test",
            "PUT",
            None,
            StatusCode::FORBIDDEN,
            None,
        ),
        (
            "https://writer.test",
            "DELETE",
            None,
            StatusCode::FORBIDDEN,
            None,
        ),
        (
            "https://admin.test",
            "PUT",
            None,
            StatusCode::FORBIDDEN,
            None,
        ),
    ];
    for (origin, method, headers, status, allow_methods) in cases {
        let res = test::call_service(
            &app,
            preflight("/docs/4", origin, method, headers).to_request(),
        )
        .await;
        assert_eq!(res.status(), status, "{origin} {method}");
        assert_eq!(
            get(&res, "access-control-allow-methods").as_deref(),
            allow_methods,
            "{origin} {method}"
        );
    }
    let res = test::call_service(
        &app,
        actual(Method::DELETE, "/docs/4", "https://admin.test").to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("https://admin.test")
    );
    assert_eq!(body(res).await, "deleted");
    let res = test::call_service(
        &app,
        actual(Method::GET, "/docs/4", "https://admin.test").to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin"),
        None,
        "GET has its own policy"
    );
}
