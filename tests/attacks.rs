//! The misconfiguration attacks every CORS scanner tries (CORScanner, Corsy, PortSwigger's
//! list), against real handlers: none is ever granted, by an actual request or a preflight.

mod support;

use actix_web::http::{header, Method};
use actix_web::{get, test, App, HttpResponse, Responder};
use static_cors::cors;
use support::*;

#[cors(origins = ["https://app.example.com"], credentials = true, headers = ["x-token"])]
#[get("/account")]
async fn account() -> impl Responder {
    HttpResponse::Ok().body("balance: 42")
}

#[cors(origins = ["https://*.example.com"], credentials = true, headers = ["x-token"])]
#[get("/tenant")]
async fn tenant() -> impl Responder {
    HttpResponse::Ok().body("tenant data")
}

/// Origins an attacker can make a victim's browser send.
const ATTACKS: &[(&str, &str)] = &[
    ("reflected arbitrary origin", "https://evil.com"),
    ("null origin (sandboxed iframe, file:, data:)", "null"),
    ("prefix match", "https://app.example.com.evil.com"),
    ("suffix match", "https://evilexample.com"),
    (
        "suffix match on the host",
        "https://evilapp.example.com.evil",
    ),
    ("unescaped dot", "https://appxexample.com"),
    ("underscore host", "https://app_example.com"),
    ("backtick host", "https://app.example.com%60.evil.com"),
    (
        "underscore after the host",
        "https://app.example.com_.evil.com",
    ),
    ("special characters", "https://app.example.com!.evil.com"),
    (
        "http downgrade of the trusted origin",
        "http://app.example.com",
    ),
    ("apex of the wildcard", "https://example.com"),
    (
        "look-alike suffix of the wildcard",
        "https://a.example.com.evil.com",
    ),
    ("look-alike registrable domain", "https://aexample.com"),
    (
        "IDN look-alike (Cyrillic а)",
        "https://xn--pp-8cd.example.co",
    ),
    ("IDN look-alike raw", "https://аpp.example.com"),
    ("mixed case", "https://App.Example.Com"),
    ("trailing dot", "https://app.example.com."),
    ("explicit default port", "https://app.example.com:443"),
    ("other port", "https://app.example.com:8443"),
    ("userinfo", "https://app.example.com@evil.com"),
    ("path suffix", "https://evil.com/app.example.com"),
    ("fragment trick", "https://evil.com#.example.com"),
    ("wildcard literally", "*"),
    ("empty", ""),
    ("scheme only", "https://"),
    ("file origin", "file://"),
    ("whitespace", " https://app.example.com"),
];

#[actix_web::test]
async fn no_attack_origin_is_ever_granted() {
    let app = test::init_service(App::new().service(account).service(tenant)).await;
    let mut checked = 0;
    for path in ["/account", "/tenant"] {
        for (attack, origin) in ATTACKS {
            let res =
                test::call_service(&app, actual(Method::GET, path, origin).to_request()).await;
            assert_eq!(
                cors_headers(&res),
                Vec::<String>::new(),
                "{path}: {attack} ({origin:?}) granted"
            );
            assert!(
                !body(res).await.is_empty(),
                "{path}: the handler still answers"
            );
            let res = test::call_service(
                &app,
                preflight(path, origin, "GET", Some("x-token")).to_request(),
            )
            .await;
            assert_eq!(
                cors_headers(&res),
                Vec::<String>::new(),
                "{path}: preflight for {attack} ({origin:?}) granted"
            );
            checked += 2;
        }
    }
    assert_eq!(checked, ATTACKS.len() * 4);
}

#[actix_web::test]
async fn the_legitimate_origins_still_work() {
    let app = test::init_service(App::new().service(account).service(tenant)).await;
    for (path, origin) in [
        ("/account", APP),
        ("/tenant", "https://a.example.com"),
        ("/tenant", APP),
    ] {
        let res = test::call_service(&app, actual(Method::GET, path, origin).to_request()).await;
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
        assert_eq!(
            get(&res, "access-control-allow-credentials").as_deref(),
            Some("true")
        );
    }
}

#[actix_web::test]
async fn credentialed_responses_never_carry_a_wildcard() {
    let app = test::init_service(App::new().service(account).service(tenant)).await;
    for origin in [APP, "https://a.example.com", "https://evil.com", "*"] {
        for path in ["/account", "/tenant"] {
            let res =
                test::call_service(&app, actual(Method::GET, path, origin).to_request()).await;
            assert_ne!(
                get(&res, "access-control-allow-origin").as_deref(),
                Some("*")
            );
            assert!(all(&res, header::ACCESS_CONTROL_ALLOW_ORIGIN.as_str()).len() <= 1);
        }
    }
}
