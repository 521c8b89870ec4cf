//! The hand-written middleware floor, shared by the in-process benches (`benches/support`)
//! and the over-the-wire bench server (`examples/bench_server.rs`), and actix-cors configured
//! with the same policy: origin `https://app.example.com`, method GET, request headers
//! `content-type` and `x-token`, exposed `x-request-id`, credentials, max-age 600.

use std::future::{ready, Future};

use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::Method;
use actix_web::{Error, HttpResponse};
use futures_util::future::Either;

/// The one origin the policy allows.
pub const ALLOWED: &str = "https://app.example.com";

/// Floor 2: a minimal middleware with static headers that answers preflights before routing
/// (for any path: the App has one route).
pub fn floor_middleware<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<BoxBody>, Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error>,
    S::Future: 'static,
{
    early_answer(req, srv, |_| true)
}

/// The middleware floor: answers the preflights for paths `serves` accepts before routing, and
/// puts the actual-response headers on everything else.
pub fn early_answer<S>(
    req: ServiceRequest,
    srv: &S,
    serves: fn(&str) -> bool,
) -> impl Future<Output = Result<ServiceResponse<BoxBody>, Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error>,
    S::Future: 'static,
{
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
        && serves(req.path());
    if preflight {
        let response = answer_preflight(req.headers());
        return Either::Left(ready(Ok(req.into_response(response))));
    }
    let allowed = origin_allowed(req.headers());
    let call = srv.call(req);
    Either::Right(async move {
        let mut response = call.await?;
        add_actual_headers(allowed, response.headers_mut());
        Ok(response)
    })
}

const ACAO: HeaderValue = HeaderValue::from_static(ALLOWED);
const TRUE: HeaderValue = HeaderValue::from_static("true");
const EXPOSE: HeaderValue = HeaderValue::from_static("x-request-id");
const METHODS: HeaderValue = HeaderValue::from_static("GET");
const HEADERS: HeaderValue = HeaderValue::from_static("content-type, x-token");
const MAX_AGE: HeaderValue = HeaderValue::from_static("600");
const VARY: HeaderValue = HeaderValue::from_static("Origin");
const VARY_PREFLIGHT: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

pub fn origin_allowed(headers: &HeaderMap) -> bool {
    headers
        .get(header::ORIGIN)
        .is_some_and(|o| o.as_bytes() == ALLOWED.as_bytes())
}

/// Adds the actual-response headers by hand.
pub fn add_actual_headers(allowed: bool, headers: &mut HeaderMap) {
    if allowed {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, ACAO);
        headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE);
    }
    headers.append(header::VARY, VARY);
}

/// A hand-written preflight check and answer: origin, method and every requested header.
pub fn answer_preflight(headers: &HeaderMap) -> HttpResponse {
    let method_ok = headers
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .is_some_and(|m| m == "GET");
    let headers_ok = headers
        .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .flat_map(|line| line.as_bytes().split(|&b| b == b','))
        .map(|name| name.trim_ascii())
        .filter(|name| !name.is_empty())
        .all(|name| {
            name.eq_ignore_ascii_case(b"content-type") || name.eq_ignore_ascii_case(b"x-token")
        });
    if !(origin_allowed(headers) && method_ok && headers_ok) {
        return HttpResponse::Forbidden().finish();
    }
    let mut response = HttpResponse::NoContent().finish();
    let out = response.headers_mut();
    out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, ACAO);
    out.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    out.insert(header::ACCESS_CONTROL_ALLOW_METHODS, METHODS);
    out.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HEADERS);
    out.insert(header::ACCESS_CONTROL_MAX_AGE, MAX_AGE);
    out.insert(header::VARY, VARY_PREFLIGHT);
    response
}

/// actix-cors with the same policy.
pub fn actix_cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin(ALLOWED)
        .allowed_methods(["GET"])
        .allowed_headers(["content-type", "x-token"])
        .expose_headers(["x-request-id"])
        .supports_credentials()
        .max_age(600)
}
