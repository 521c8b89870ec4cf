//! Diagnostics: every refusal is logged with its reason, the handler and its source location,
//! and a policy prints as the headers it sends.

mod support;

use actix_web::http::Method;
use actix_web::test::{call_service, init_service};
use actix_web::{put, App, HttpResponse, Responder};
use static_cors::cors;
use support::*;

#[cors(origins = ["https://app.example.com"], headers = ["content-type", "x-token"], max_age = 60)]
#[put("/items/{id}")]
async fn update_item() -> impl Responder {
    HttpResponse::Ok().finish()
}

const LINE: u32 = line!() - 4;

#[actix_web::test]
async fn refusals_are_logged_with_reason_handler_and_location_and_warned_once_per_cause() {
    log::set_logger(&LOG).expect("first logger");
    log::set_max_level(log::LevelFilter::Debug);
    let app = init_service(App::new().service(update_item)).await;
    for _ in 0..2 {
        call_service(
            &app,
            preflight("/items/7", APP, "PUT", Some("x-trace")).to_request(),
        )
        .await;
    }
    call_service(
        &app,
        preflight("/items/7", "https://x.test", "PUT", None).to_request(),
    )
    .await;
    call_service(
        &app,
        actual(Method::PUT, "/items/7", "https://x.test").to_request(),
    )
    .await;
    call_service(
        &app,
        preflight("/items/7", APP, "PUT", Some("x-token")).to_request(),
    )
    .await;

    let lines = LOG.lines();
    let location = format!("tests/diagnostics.rs:{LINE}");
    let header = format!(
        "preflight for PUT /items/7 from https://app.example.com refused by update_item ({location}): \
         header \"x-trace\" is not in headers = [\"content-type\", \"x-token\"]"
    );
    let origin = format!(
        "preflight for PUT /items/7 from https://x.test refused by update_item ({location}): \
         origin \"https://x.test\" is not in origins = [\"https://app.example.com\"]"
    );
    let actual = format!(
        "PUT /items/7 from https://x.test refused by update_item ({location}): \
         origin \"https://x.test\" is not in origins = [\"https://app.example.com\"]"
    );
    assert_eq!(
        lines,
        [
            (log::Level::Warn, header.clone()),
            (log::Level::Debug, header),
            (log::Level::Warn, origin),
            (log::Level::Debug, actual),
        ],
        "the granted preflight logs nothing"
    );
}

#[test]
fn a_policy_prints_as_the_headers_it_sends() {
    let printed = update_item::cors_policy().to_string();
    let expected = format!(
        "update_item (tests/diagnostics.rs:{LINE})
  origins: \"https://app.example.com\"
  preflight from an allowed origin: 204 No Content
    access-control-allow-origin: <the request's origin>
    access-control-allow-methods: PUT
    access-control-allow-headers: content-type, x-token
    access-control-max-age: 60
    vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers
  actual response to an allowed origin:
    access-control-allow-origin: <the request's origin>
    vary: Origin
"
    );
    assert_eq!(printed, expected);
}
