//! What both the route and the App-level layer send: the answer to a preflight, and the CORS
//! headers of an actual response, written onto actix-web's header maps.

use actix_web::dev::{RequestHead, ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use actix_web::http::Method;
use actix_web::HttpResponse;

use crate::diagnostics::{log_refusal, RefusedRequest};
use crate::response::{
    preflight_status, vary_covers, CorsHeaders, OriginToWrite,
    ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK, WILDCARD,
};
use crate::verdict::{ActualVerdict, OriginHeader, PreflightVerdict};
use crate::Policy;

/// The `Access-Control-Request-Method` of `head` if it is a CORS preflight: an `OPTIONS`
/// request with an `Origin` and that header.
pub(crate) fn requested_method(head: &RequestHead) -> Option<&HeaderValue> {
    if head.method != Method::OPTIONS || !head.headers().contains_key(ORIGIN) {
        return None;
    }
    head.headers().get(ACCESS_CONTROL_REQUEST_METHOD)
}

/// Whether `requested` (an `Access-Control-Request-Method`) names one of `methods`, in any
/// case, so that `put` reaches the route and is refused with a reason rather than routed
/// elsewhere.
pub(crate) fn names_one_of(requested: &HeaderValue, methods: &[&str]) -> bool {
    methods
        .iter()
        .any(|m| m.as_bytes().eq_ignore_ascii_case(requested.as_bytes()))
}

/// Answers a preflight with `policy`; nothing behind the caller runs.
pub(crate) fn answer_preflight(policy: &'static Policy, req: ServiceRequest) -> ServiceResponse {
    let headers = req.headers();
    let method = headers
        .get(ACCESS_CONTROL_REQUEST_METHOD)
        .map_or(&b""[..], HeaderValue::as_bytes);
    // Looked up only where it can change the answer.
    let private_network = policy.private_network()
        && headers
            .get(ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK)
            .is_some_and(|v| v.as_bytes() == b"true");
    let verdict = policy.evaluate_preflight(
        origin_header(headers),
        method,
        headers
            .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
            .map(HeaderValue::as_bytes),
        private_network,
    );
    if let PreflightVerdict::Refused { refusal, .. } = &verdict {
        let request = RefusedRequest {
            preflight: true,
            method,
            path: req.path(),
            origin: headers.get(ORIGIN).map_or(&b""[..], HeaderValue::as_bytes),
        };
        log_refusal(policy, request, refusal);
    }
    let (status, body) = preflight_status(&verdict);
    let mut response = HttpResponse::new(status);
    apply(
        response.headers_mut(),
        &policy.preflight_headers(&verdict),
        headers,
    );
    let response = if body.is_empty() {
        response
    } else {
        response.set_body(body).map_into_boxed_body()
    };
    req.into_response(response)
}

/// The `Access-Control-Allow-Origin` an actual request from `headers` gets under `policy`, or
/// `None`; a refusal is logged. Nothing of the request is kept: an echoed origin is read again
/// from the request when the response is ready.
pub(crate) fn actual_allow_origin(
    policy: &'static Policy,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Option<OriginToWrite> {
    match policy.evaluate_actual(origin_header(headers), method.as_str().as_bytes()) {
        ActualVerdict::Allowed(origin) => Some(origin.into()),
        ActualVerdict::NotCors => None,
        // Nothing to log to (no logger, or logging off): the refusal stays unmarked, so the
        // first one a logger sees is still reported at warn level.
        ActualVerdict::Refused(_) if log::max_level() == log::LevelFilter::Off => None,
        ActualVerdict::Refused(refusal) => {
            let request = RefusedRequest {
                preflight: false,
                method: method.as_str().as_bytes(),
                path,
                origin: headers.get(ORIGIN).map_or(&b""[..], HeaderValue::as_bytes),
            };
            log_refusal(policy, request, &refusal);
            None
        }
    }
}

/// Puts `policy`'s actual-response headers on `response`, for the origin `allow_origin`
/// granted (`None`: refused or not a CORS request, which still gets `Vary`).
pub(crate) fn apply_actual(
    response: &mut HeaderMap,
    policy: &Policy,
    allow_origin: Option<OriginToWrite>,
    request: &HeaderMap,
) {
    apply(response, &policy.actual_headers_for(allow_origin), request);
}

/// Sets `cors` on `headers`: `Access-Control-Allow-Origin` (an echo is the `Origin` value of
/// `request`, shared, not copied), the fixed headers, and `Vary` merged with what is there.
fn apply(headers: &mut HeaderMap, cors: &CorsHeaders<'_>, request: &HeaderMap) {
    match cors.allow_origin {
        Some(OriginToWrite::Any) => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, WILDCARD.clone());
        }
        Some(OriginToWrite::Listed(value)) => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, value.clone());
        }
        Some(OriginToWrite::EchoRequest) => {
            if let Some(origin) = request.get(ORIGIN) {
                headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            }
        }
        None => {}
    }
    for (name, value) in cors.fixed() {
        headers.insert(name.clone(), value.clone());
    }
    merge_vary(headers, cors.vary);
}

/// Merges `vary` into the response's `Vary`: appended as its own line unless the existing
/// values cover it (a separate line is a merge in HTTP terms and needs no allocation).
fn merge_vary(headers: &mut HeaderMap, vary: &HeaderValue) {
    // One probe when the response has no `Vary` yet, the common case.
    let mut existing = headers.insert(VARY, vary.clone());
    let Some(first) = existing.next() else {
        return;
    };
    // The handler's own lines go back first; ours follows unless they cover it.
    headers.insert(VARY, first);
    for line in existing {
        headers.append(VARY, line);
    }
    let wanted = vary
        .as_bytes()
        .split(|&b| b == b',')
        .map(<[u8]>::trim_ascii);
    let covered = wanted.clone().all(|token| {
        std::str::from_utf8(token)
            .is_ok_and(|token| vary_covers(headers.get_all(VARY).map(HeaderValue::as_bytes), token))
    });
    if !covered {
        headers.append(VARY, vary.clone());
    }
}

/// Whether a response's `Vary` already says it depends on `Origin`: true of every response a
/// `#[cors]` route produced.
pub(crate) fn varies_by_origin(response: &HeaderMap) -> bool {
    vary_covers(response.get_all(VARY).map(HeaderValue::as_bytes), "Origin")
}

pub(crate) fn origin_header(headers: &HeaderMap) -> OriginHeader<'_> {
    OriginHeader::from_values(headers.get_all(ORIGIN).map(HeaderValue::as_bytes))
}
