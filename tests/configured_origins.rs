//! Origins read at start-up: `env("VAR")` and `config(path::to::function)`, alone or next to
//! literal origins. Each test reads its own variable, so tests running in parallel never share
//! one.

mod support;

use actix_web::http::{Method, StatusCode};
use actix_web::test::{call_service, init_service};
use actix_web::{get, put, App, HttpResponse, Responder};
use static_cors::{cors, ActualVerdict};
use support::*;

/// Literal origins plus a staging list from the environment.
#[cors(
    origins = ["https://app.example.com", env("TEST_CORS_MIXED")],
    headers = ["x-token"],
    credentials = true,
)]
#[put("/mixed")]
async fn mixed() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn literal_and_environment_origins_are_both_granted() {
    std::env::set_var(
        "TEST_CORS_MIXED",
        " https://staging.example.com , https://*.preview.example.com,",
    );
    let app = init_service(App::new().service(mixed)).await;
    for origin in [
        APP,
        "https://staging.example.com",
        "https://pr-7.preview.example.com",
    ] {
        let res = call_service(&app, actual(Method::PUT, "/mixed", origin).to_request()).await;
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
        let res = call_service(
            &app,
            preflight("/mixed", origin, "PUT", Some("x-token")).to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{origin}");
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
    }
    for refused in [
        EVIL,
        "https://preview.example.com",
        "https://staging.example.com.evil.test",
        "http://staging.example.com",
    ] {
        let res = call_service(&app, actual(Method::PUT, "/mixed", refused).to_request()).await;
        assert_eq!(get(&res, "access-control-allow-origin"), None, "{refused}");
        let res = call_service(&app, preflight("/mixed", refused, "PUT", None).to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{refused}");
    }
    let entries: Vec<String> = match mixed::cors_policy().origins() {
        static_cors::AllowedOrigins::List(list) => list.all_entries().map(str::to_owned).collect(),
        static_cors::AllowedOrigins::Any => Vec::new(),
    };
    assert_eq!(
        entries,
        [
            APP,
            "https://staging.example.com",
            "https://*.preview.example.com"
        ]
    );
}

mod settings {
    /// Partner origins, as an app might read them from its own configuration file.
    pub fn partner_origins() -> Vec<&'static str> {
        vec!["https://partner.example.net"]
    }
}

/// Origins from a function alone.
#[cors(origins = config(settings::partner_origins))]
#[get("/partners")]
async fn partners() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_function_can_supply_the_origins() {
    let app = init_service(App::new().service(partners)).await;
    let res = call_service(
        &app,
        actual(Method::GET, "/partners", "https://partner.example.net").to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some("https://partner.example.net")
    );
    let res = call_service(&app, actual(Method::GET, "/partners", APP).to_request()).await;
    assert_eq!(get(&res, "access-control-allow-origin"), None);
    assert!(partners::cors_policy()
        .to_string()
        .contains("\"https://partner.example.net\""));
}

#[cors(origins = [env("TEST_CORS_BAD_ENTRY")])]
#[get("/bad-entry")]
async fn bad_entry() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[test]
fn a_bad_entry_names_the_source_the_entry_and_the_fix() {
    std::env::set_var(
        "TEST_CORS_BAD_ENTRY",
        "https://ok.example.com,https://bad.test/",
    );
    let error = bad_entry::cors_policy().load_configured().unwrap_err();
    assert_eq!(error.handler(), "bad_entry");
    assert_eq!(error.entry(), Some("https://bad.test/"));
    let message = error.to_string();
    assert!(
        message.contains("environment variable TEST_CORS_BAD_ENTRY"),
        "{message}"
    );
    assert!(message.contains("write \"https://bad.test\""), "{message}");
    // Nothing was loaded: not even the good entry before the bad one.
    let verdict = bad_entry::cors_policy().actual(Some("https://ok.example.com"), "GET");
    assert!(!matches!(verdict, ActualVerdict::Allowed(_)));
}

#[cors(origins = [env("TEST_CORS_FAILS_AT_START")])]
#[get("/fails-at-start")]
async fn fails_at_start() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
#[should_panic(
    expected = "static-cors: CORS origins of `fails_at_start` from environment variable TEST_CORS_FAILS_AT_START: entry \"https://*.co.uk\": `*.co.uk` covers the public suffix"
)]
async fn registering_a_handler_with_a_bad_entry_stops_the_app() {
    std::env::set_var("TEST_CORS_FAILS_AT_START", "https://*.co.uk");
    let _ = init_service(App::new().service(fails_at_start)).await;
}

#[cors(origins = [env("TEST_CORS_NEVER_SET")])]
#[get("/unset")]
async fn unset() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[test]
fn an_unset_variable_is_an_error_not_an_empty_list() {
    let message = unset::cors_policy()
        .load_configured()
        .unwrap_err()
        .to_string();
    assert!(message.contains("the variable is not set"), "{message}");
    assert!(
        message.contains("set TEST_CORS_NEVER_SET to a comma-separated list"),
        "{message}"
    );
}

#[cors(origins = [env("TEST_CORS_EMPTY")])]
#[get("/empty")]
async fn empty() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[test]
fn a_policy_left_without_any_origin_is_refused() {
    std::env::set_var("TEST_CORS_EMPTY", " , ");
    let message = empty::cors_policy()
        .load_configured()
        .unwrap_err()
        .to_string();
    assert!(message.contains("no origin configured"), "{message}");
}

#[cors(origins = ["https://app.example.com", env("TEST_CORS_CREDENTIALS")], credentials = true)]
#[get("/credentials")]
async fn credentialed() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[test]
fn configured_entries_follow_the_credentials_rules_of_literals() {
    for (entry, expected) in [
        ("http://intranet.example.com", "plain-http origin"),
        ("*", "`*` cannot come from configuration"),
        ("null", "`null` cannot be allowed"),
    ] {
        // Each value is read once per policy; a refused one leaves the policy unloaded.
        std::env::set_var("TEST_CORS_CREDENTIALS", entry);
        let message = credentialed::cors_policy()
            .load_configured()
            .unwrap_err()
            .to_string();
        assert!(message.contains(expected), "{entry}: {message}");
    }
    std::env::set_var("TEST_CORS_CREDENTIALS", "http://localhost:3000");
    credentialed::cors_policy().load_configured().unwrap();
    assert!(matches!(
        credentialed::cors_policy().actual(Some("http://localhost:3000"), "GET"),
        ActualVerdict::Allowed(_)
    ));
}
