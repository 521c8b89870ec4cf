//! What both the route and the App-level layer send: the answer to a preflight, and the CORS
//! headers of an actual response, written onto actix-web's header maps.

use actix_web::body::BoxBody;
use actix_web::dev::{RequestHead, ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use actix_web::http::Method;
use actix_web::HttpResponse;

use crate::diagnostics::{log_refusal, RefusedRequest};
use crate::response::{
    vary_covers, CorsHeaders, OriginToWrite, PreflightOutcome,
    ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK, ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK, TRUE, WILDCARD,
};
use crate::verdict::{ActualVerdict, OriginHeader, PreflightVerdict};
use crate::Policy;

/// The `Access-Control-Request-Method` and `Origin` of `head` if it is a CORS preflight: an
/// `OPTIONS` request with both headers.
pub(crate) fn preflight_parts(head: &RequestHead) -> Option<(&HeaderValue, OriginHeader<'_>)> {
    if head.method != Method::OPTIONS {
        return None;
    }
    let requested = head.headers().get(ACCESS_CONTROL_REQUEST_METHOD)?;
    let origin = origin_header(head.headers());
    (origin != OriginHeader::Absent).then_some((requested, origin))
}

/// The `Access-Control-Request-Method` of `head` if it is a CORS preflight (see
/// [`preflight_parts`]).
pub(crate) fn requested_method(head: &RequestHead) -> Option<&HeaderValue> {
    preflight_parts(head).map(|(requested, _)| requested)
}

/// Whether `requested` (an `Access-Control-Request-Method`) names one of `methods`, in any
/// case, so that `put` reaches the route and is refused with a reason rather than routed
/// elsewhere.
pub(crate) fn names_one_of(requested: &HeaderValue, methods: &[&str]) -> bool {
    let requested = requested.as_bytes();
    // Browsers send the method as the page wrote it, most often upper case, as listed.
    methods.iter().any(|m| m.as_bytes() == requested)
        || methods
            .iter()
            .any(|m| m.as_bytes().eq_ignore_ascii_case(requested))
}

/// A preflight judged by its route's policy, to be answered by [`answer_judged`]: it borrows
/// nothing of the request, so the request can be judged when it arrives (its headers read
/// once) and answered when the response is wanted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JudgedPreflight {
    policy: &'static Policy,
    outcome: PreflightOutcome,
}

/// Judges the preflight `req` under `policy`, given its `Access-Control-Request-Method` and
/// `Origin`; a refusal is logged.
pub(crate) fn judge_preflight(
    policy: &'static Policy,
    req: &ServiceRequest,
    method: &[u8],
    origin: OriginHeader<'_>,
) -> JudgedPreflight {
    let headers = req.headers();
    // Looked up only where it can change the answer.
    let private_network = policy.private_network()
        && headers
            .get(ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK)
            .is_some_and(|v| v.as_bytes() == b"true");
    let verdict = policy.evaluate_preflight(
        origin,
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
    JudgedPreflight {
        policy,
        outcome: policy.preflight_outcome(&verdict),
    }
}

/// Answers the preflight `req` as `judged`, its body wrapped by `body` (the caller's body
/// type, built in place rather than mapped afterwards); nothing behind the caller runs.
pub(crate) fn answer_judged<B>(
    judged: JudgedPreflight,
    req: ServiceRequest,
    body: impl FnOnce(BoxBody) -> B,
) -> ServiceResponse<B> {
    let (status, text) = judged.outcome.status();
    let body = body(match text.is_empty() {
        true => BoxBody::new(()),
        false => BoxBody::new(text),
    });
    let mut response = HttpResponse::with_body(status, body);
    apply::<FRESH>(
        response.headers_mut(),
        &judged.outcome.headers(judged.policy),
        req.headers(),
    );
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
    apply::<EXISTING>(response, &policy.actual_headers_for(allow_origin), request);
}

/// [`apply`] onto a response this crate just made, with no headers yet: each header is
/// added, never looked up.
const FRESH: bool = true;
/// [`apply`] onto a response from elsewhere: each CORS header replaces one of the same name,
/// and `Vary` is merged with the response's own.
const EXISTING: bool = false;

/// Sets `cors` on `headers` (see [`FRESH`] and [`EXISTING`]): `Access-Control-Allow-Origin`
/// (an echo is the `Origin` value of `request`, shared, not copied), the other CORS headers,
/// and `Vary`. Written out header by header rather than through [`CorsHeaders::fixed`]: this
/// runs on every response.
fn apply<const ONTO_FRESH: bool>(
    headers: &mut HeaderMap,
    cors: &CorsHeaders<'_>,
    request: &HeaderMap,
) {
    // Adding a header is much cheaper than replacing one (`insert` hands back the old
    // values, a few hundred bytes to move and drop), and a response rarely has CORS headers
    // of its own: a name is looked up first only on a response from elsewhere.
    let mut put = |name: HeaderName, value: HeaderValue| {
        if !ONTO_FRESH && headers.contains_key(&name) {
            drop(headers.insert(name, value));
        } else {
            headers.append(name, value);
        }
    };
    match cors.allow_origin {
        Some(OriginToWrite::Any) => put(ACCESS_CONTROL_ALLOW_ORIGIN, WILDCARD.clone()),
        Some(OriginToWrite::Listed(value)) => put(ACCESS_CONTROL_ALLOW_ORIGIN, value.clone()),
        Some(OriginToWrite::EchoRequest) => {
            if let Some(origin) = request.get(ORIGIN) {
                put(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            }
        }
        None => {}
    }
    if cors.allow_credentials {
        put(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
    }
    let values = [
        (ACCESS_CONTROL_ALLOW_METHODS, cors.allow_methods),
        (ACCESS_CONTROL_ALLOW_HEADERS, cors.allow_headers),
        (ACCESS_CONTROL_EXPOSE_HEADERS, cors.expose_headers),
        (ACCESS_CONTROL_MAX_AGE, cors.max_age),
    ];
    for (name, value) in values {
        if let Some(value) = value {
            put(name, value.clone());
        }
    }
    if cors.allow_private_network {
        put(ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK, TRUE.clone());
    }
    if ONTO_FRESH {
        headers.append(VARY, cors.vary.clone());
    } else {
        merge_vary(headers, cors.vary);
    }
}

/// Adds `Vary: Origin` (`vary`, the value of every actual response) as its own line after the
/// response's own, unless those already cover it (a separate line is a merge in HTTP terms and
/// needs no allocation).
fn merge_vary(headers: &mut HeaderMap, vary: &HeaderValue) {
    if !varies_by_origin(headers) {
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
