//! The CORS headers a verdict puts on a response, drawn from the policy's header tables.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
};
use http::{HeaderName, HeaderValue, StatusCode};

use crate::policy::{AllowedHeaders, Policy};
use crate::tables::VARY_ORIGIN;
use crate::verdict::{ActualVerdict, AllowOrigin, Cause, PreflightVerdict, Refusal};

/// `Access-Control-Allow-Private-Network` (not among `http`'s standard names).
pub const ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");
/// `Access-Control-Request-Private-Network` (not among `http`'s standard names).
pub const ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");

// The names as statics, so a `CorsHeaders` holds references: small, and nothing to drop.
static ALLOW_CREDENTIALS: HeaderName = ACCESS_CONTROL_ALLOW_CREDENTIALS;
static ALLOW_HEADERS: HeaderName = ACCESS_CONTROL_ALLOW_HEADERS;
static ALLOW_METHODS: HeaderName = ACCESS_CONTROL_ALLOW_METHODS;
static ALLOW_PRIVATE_NETWORK: HeaderName = ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK;
static EXPOSE_HEADERS: HeaderName = ACCESS_CONTROL_EXPOSE_HEADERS;
static MAX_AGE: HeaderName = ACCESS_CONTROL_MAX_AGE;

/// `*`, the `Access-Control-Allow-Origin` of `origins = "*"`.
pub static WILDCARD: HeaderValue = HeaderValue::from_static("*");
/// `true`, for `-Allow-Credentials` and `-Allow-Private-Network`.
pub static TRUE: HeaderValue = HeaderValue::from_static("true");

/// The CORS headers one response gets.
///
/// `Access-Control-Allow-Origin` is returned as an [`AllowOrigin`] because an echoed origin
/// is best taken from the request's own header value (no copy); every other value is static.
#[derive(Debug, Clone)]
pub struct CorsHeaders<'p, 'r> {
    /// The `Access-Control-Allow-Origin` to set, if any.
    pub allow_origin: Option<AllowOrigin<'r>>,
    /// The `Vary` value to merge into the response, if any.
    pub vary: Option<&'p HeaderValue>,
    fixed: [Option<(&'static HeaderName, &'p HeaderValue)>; 5],
}

impl<'p> CorsHeaders<'p, '_> {
    /// The headers besides `Access-Control-Allow-Origin` and `Vary`, as name and static value.
    pub fn fixed(&self) -> impl Iterator<Item = (&'static HeaderName, &'p HeaderValue)> + '_ {
        self.fixed.iter().flatten().copied()
    }
}

impl Policy {
    /// The headers of an actual response, given the request's verdict.
    #[must_use]
    pub fn actual_headers<'r>(&self, verdict: &ActualVerdict<'r>) -> CorsHeaders<'_, 'r> {
        let tables = self.tables();
        let vary = Some(&VARY_ORIGIN);
        match *verdict {
            ActualVerdict::Allowed(origin) => CorsHeaders {
                allow_origin: Some(origin),
                vary,
                fixed: [
                    self.credentials().then_some((&ALLOW_CREDENTIALS, &TRUE)),
                    tables.expose_headers.as_ref().map(|v| (&EXPOSE_HEADERS, v)),
                    None,
                    None,
                    None,
                ],
            },
            ActualVerdict::NotCors | ActualVerdict::Refused(_) => CorsHeaders {
                allow_origin: None,
                vary,
                fixed: [None, None, None, None, None],
            },
        }
    }

    /// The headers of a preflight response, given the preflight's verdict.
    #[must_use]
    pub fn preflight_headers<'r>(&self, verdict: &PreflightVerdict<'r>) -> CorsHeaders<'_, 'r> {
        let tables = self.tables();
        let (origin, max_age, private_network) = match *verdict {
            PreflightVerdict::Allowed {
                origin,
                private_network,
            } => (Some(origin), true, private_network),
            PreflightVerdict::Refused { origin, .. } => (origin, false, false),
        };
        let allow_lists = origin.is_some();
        // Chromium still lets `Access-Control-Allow-Headers: *` cover `authorization` (with a
        // deprecation notice), so a header refused under `headers = "*"` gets no list at all:
        // the browser then blocks the call and names the header.
        let refused_under_any = matches!(self.headers(), AllowedHeaders::Any)
            && matches!(verdict.refusal(), Some(Refusal::HeaderNotAllowed(_)));
        CorsHeaders {
            allow_origin: origin,
            vary: Some(tables.vary_preflight),
            fixed: [
                (allow_lists && self.credentials()).then_some((&ALLOW_CREDENTIALS, &TRUE)),
                allow_lists.then_some((&ALLOW_METHODS, &tables.allow_methods)),
                tables
                    .allow_headers
                    .as_ref()
                    .filter(|_| allow_lists && !refused_under_any)
                    .map(|v| (&ALLOW_HEADERS, v)),
                max_age.then_some((&MAX_AGE, &tables.max_age)),
                private_network.then_some((&ALLOW_PRIVATE_NETWORK, &TRUE)),
            ],
        }
    }
}

/// How a preflight is answered: status code and a static plain-text body.
///
/// A granted preflight is `204 No Content`. A refusal is answered so that the browser's
/// console names the real cause (see [`Cause`]): `403` for an origin (the browser reports the
/// missing `Access-Control-Allow-Origin`), `200` with the allow lists for a method or header
/// (the browser reports which one is missing from them), `400` for what no browser sends.
#[must_use]
pub fn preflight_status(verdict: &PreflightVerdict<'_>) -> (StatusCode, &'static str) {
    match verdict.refusal().map(|r| r.cause()) {
        None => (StatusCode::NO_CONTENT, ""),
        Some(Cause::Origin) => (
            StatusCode::FORBIDDEN,
            "CORS preflight refused: origin not allowed\n",
        ),
        Some(Cause::Method) => (
            StatusCode::OK,
            "CORS preflight refused: method not allowed\n",
        ),
        Some(Cause::Header) => (
            StatusCode::OK,
            "CORS preflight refused: request header not allowed\n",
        ),
        Some(Cause::Malformed) => (
            StatusCode::BAD_REQUEST,
            "CORS preflight refused: malformed CORS request headers\n",
        ),
    }
}

/// Whether a response's existing `Vary` values already cover `token` (or are `*`), so adding
/// it again would duplicate it.
///
/// ```
/// use cors_runtime::response::vary_covers;
/// assert!(vary_covers([&b"Accept-Encoding, origin"[..]], "Origin"));
/// assert!(vary_covers([&b"*"[..]], "Origin"));
/// assert!(!vary_covers([&b"Accept-Encoding"[..]], "Origin"));
/// ```
pub fn vary_covers<'a>(existing: impl IntoIterator<Item = &'a [u8]>, token: &str) -> bool {
    existing.into_iter().any(|line| {
        line.split(|&b| b == b',').any(|item| {
            let item = item.trim_ascii();
            item == b"*" || item.eq_ignore_ascii_case(token.as_bytes())
        })
    })
}
