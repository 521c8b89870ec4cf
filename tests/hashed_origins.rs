//! Origin lists long enough for `#[cors]` to index them with a perfect hash (more than
//! `SCANNED_KEYS` exact origins, and more than that many patterns of each scheme): every entry
//! is found and echoed byte for byte, and near misses are not.

mod support;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::{get, test, App, HttpResponse, Responder};
use static_cors::{cors, AllowedOrigins};
use support::{actual, get, preflight};

/// Origins that no pattern below covers, so only the exact set can grant them.
const EXACT: [&str; 6] = [
    "https://app.acme.test",
    "https://admin.acme.test:8443",
    "http://localhost:3000",
    "http://127.0.0.1:8080",
    "https://partner.example.co.uk",
    "http://staging.acme.test:8081",
];

/// A subdomain of each pattern, as a browser would send it.
const SUBDOMAINS: [&str; 10] = [
    "https://a.example.com",
    "https://a.example.org:8443",
    "https://a.eu.example.net",
    "https://a.tenants.example.io",
    "https://deep.a.example.dev:9443",
    "http://a.localhost:8080",
    "http://a.example.com:8080",
    "http://a.intranet.example.org",
    "http://a.example.net:3000",
    "http://x-1.lab.example.dev",
];

/// Origins one step from an entry: none is granted.
const NEAR_MISSES: [&str; 26] = [
    // Exact origins: suffix-extended, truncated, another port, another scheme, a trailing
    // slash or dot, uppercase, the default port written out.
    "https://app.acme.test.evil.test",
    "https://app.acme.tes",
    "https://xapp.acme.test",
    "https://admin.acme.test:8444",
    "https://admin.acme.test",
    "http://app.acme.test",
    "https://localhost:3000",
    "https://app.acme.test/",
    "https://app.acme.test.",
    "https://APP.acme.test",
    "https://app.acme.test:443",
    // Patterns: suffix-extended, the apex, no label boundary, another port or none, another
    // scheme, a trailing slash or dot, uppercase, an empty label.
    "https://a.example.com.evil.test",
    "https://example.com",
    "https://aexample.com",
    "https://example.org:8443",
    "https://a.example.org:8444",
    "https://a.example.org",
    "https://a.example.com:8443",
    "http://a.example.com",
    "https://a.localhost:8080",
    "http://a.example.net",
    "https://a.example.com/",
    "https://a.example.com.",
    "https://A.example.com",
    "https://a.EXAMPLE.com",
    "https://.example.com",
];

#[cors(origins = [
    "https://app.acme.test",
    "https://admin.acme.test:8443",
    "http://localhost:3000",
    "http://127.0.0.1:8080",
    "https://partner.example.co.uk",
    "http://staging.acme.test:8081",
    "https://*.example.com",
    "https://*.example.org:8443",
    "https://*.eu.example.net",
    "https://*.tenants.example.io",
    "https://*.example.dev:9443",
    "http://*.localhost:8080",
    "http://*.example.com:8080",
    "http://*.intranet.example.org",
    "http://*.example.net:3000",
    "http://*.lab.example.dev",
])]
#[get("/hashed")]
async fn hashed() -> impl Responder {
    HttpResponse::Ok().body("hashed")
}

async fn call(req: actix_web::test::TestRequest) -> ServiceResponse {
    let app = test::init_service(App::new().service(hashed)).await;
    app.call(req.to_request()).await.expect("a response")
}

#[actix_web::test]
async fn every_set_of_the_policy_is_hashed() {
    let AllowedOrigins::List(list) = hashed::cors_policy().origins() else {
        panic!("a list of origins")
    };
    // Exact origins, https patterns and http patterns: each set is past the scanned size.
    let sets = format!("{list:?}");
    assert_eq!(sets.matches("Hashed").count(), 3, "{sets}");
}

#[actix_web::test]
async fn each_exact_origin_is_echoed_on_an_actual_request() {
    for origin in EXACT {
        let res = call(actual(Method::GET, "/hashed", origin)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
    }
}

#[actix_web::test]
async fn each_exact_origin_is_echoed_on_a_preflight() {
    for origin in EXACT {
        let res = call(preflight("/hashed", origin, "GET", None)).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{origin}");
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
    }
}

#[actix_web::test]
async fn each_pattern_grants_its_subdomains() {
    for origin in SUBDOMAINS {
        let res = call(actual(Method::GET, "/hashed", origin)).await;
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
        let res = call(preflight("/hashed", origin, "GET", None)).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{origin}");
        assert_eq!(
            get(&res, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
    }
}

#[actix_web::test]
async fn near_misses_are_refused() {
    for origin in NEAR_MISSES {
        let res = call(actual(Method::GET, "/hashed", origin)).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{origin}: the handler still runs"
        );
        assert_eq!(get(&res, "access-control-allow-origin"), None, "{origin}");
        let res = call(preflight("/hashed", origin, "GET", None)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(get(&res, "access-control-allow-origin"), None, "{origin}");
    }
}
