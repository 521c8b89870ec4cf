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

/// The `Access-Control-Allow-Origin` a response gets, as it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginToWrite {
    /// `*`.
    Any,
    /// A listed origin's own value.
    Listed(&'static HeaderValue),
    /// The request's `Origin`, echoed: the binding copies the request's header value, so
    /// nothing of the request is kept until the response is ready.
    EchoRequest,
}

impl From<AllowOrigin<'_>> for OriginToWrite {
    fn from(origin: AllowOrigin<'_>) -> Self {
        match origin {
            AllowOrigin::Any => Self::Any,
            AllowOrigin::Listed(value) => Self::Listed(value),
            AllowOrigin::Echo(_) => Self::EchoRequest,
        }
    }
}

/// The CORS headers one response gets: each header in its own field, the values the
/// policy's, built once at registration.
#[derive(Debug, Clone, Copy)]
pub struct CorsHeaders<'p> {
    /// `Access-Control-Allow-Origin`, if granted.
    pub allow_origin: Option<OriginToWrite>,
    /// `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
    /// `Access-Control-Allow-Methods`.
    pub allow_methods: Option<&'p HeaderValue>,
    /// `Access-Control-Allow-Headers`.
    pub allow_headers: Option<&'p HeaderValue>,
    /// `Access-Control-Expose-Headers`.
    pub expose_headers: Option<&'p HeaderValue>,
    /// `Access-Control-Max-Age`.
    pub max_age: Option<&'p HeaderValue>,
    /// `Access-Control-Allow-Private-Network: true`.
    pub allow_private_network: bool,
    /// The `Vary` value to merge into the response.
    pub vary: &'static HeaderValue,
}

impl<'p> CorsHeaders<'p> {
    /// The headers besides `Access-Control-Allow-Origin` and `Vary`, as name and value, in the
    /// order they are written.
    pub fn fixed(&self) -> impl Iterator<Item = (&'static HeaderName, &'p HeaderValue)> {
        [
            self.allow_credentials
                .then_some((&ALLOW_CREDENTIALS, &TRUE)),
            self.allow_methods.map(|v| (&ALLOW_METHODS, v)),
            self.allow_headers.map(|v| (&ALLOW_HEADERS, v)),
            self.expose_headers.map(|v| (&EXPOSE_HEADERS, v)),
            self.max_age.map(|v| (&MAX_AGE, v)),
            self.allow_private_network
                .then_some((&ALLOW_PRIVATE_NETWORK, &TRUE)),
        ]
        .into_iter()
        .flatten()
    }
}

impl Policy {
    /// The headers of an actual response, given the request's verdict.
    #[must_use]
    pub fn actual_headers(&self, verdict: &ActualVerdict<'_>) -> CorsHeaders<'_> {
        let granted = match *verdict {
            ActualVerdict::Allowed(origin) => Some(OriginToWrite::from(origin)),
            ActualVerdict::NotCors | ActualVerdict::Refused(_) => None,
        };
        self.actual_headers_for(granted)
    }

    /// The headers of an actual response to a request granted `origin` (`None`: refused or
    /// not a CORS request, which still gets `Vary`).
    #[must_use]
    pub fn actual_headers_for(&self, origin: Option<OriginToWrite>) -> CorsHeaders<'_> {
        let tables = self.tables();
        let granted = origin.is_some();
        CorsHeaders {
            allow_origin: origin,
            allow_credentials: granted && self.credentials(),
            allow_methods: None,
            allow_headers: None,
            expose_headers: tables.expose_headers.as_ref().filter(|_| granted),
            max_age: None,
            allow_private_network: false,
            vary: &VARY_ORIGIN,
        }
    }

    /// The headers of a preflight response, given the preflight's verdict.
    #[must_use]
    pub fn preflight_headers(&self, verdict: &PreflightVerdict<'_>) -> CorsHeaders<'_> {
        self.preflight_outcome(verdict).headers(self)
    }

    /// What of `verdict` its answer depends on, with nothing of the request borrowed.
    pub(crate) fn preflight_outcome(&self, verdict: &PreflightVerdict<'_>) -> PreflightOutcome {
        match *verdict {
            PreflightVerdict::Allowed {
                origin,
                private_network,
            } => PreflightOutcome {
                origin: Some(origin.into()),
                refused: None,
                private_network,
            },
            PreflightVerdict::Refused { origin, refusal } => PreflightOutcome {
                origin: origin.map(Into::into),
                refused: Some(refusal.cause()),
                private_network: false,
            },
        }
    }

    /// The headers of a preflight response for `origin` (`None`: refused), granted or
    /// `refused` for a cause. The allow lists go with a granted origin, so that a browser can
    /// name the method or header a refusal is about.
    pub(crate) fn preflight_answer(
        &self,
        origin: Option<OriginToWrite>,
        refused: Option<Cause>,
        private_network: bool,
    ) -> CorsHeaders<'_> {
        let tables = self.tables();
        let allow_lists = origin.is_some();
        let granted = refused.is_none();
        // Chromium still lets `Access-Control-Allow-Headers: *` cover `authorization` (with a
        // deprecation notice), so a header refused under `headers = "*"` gets no list at all:
        // the browser then blocks the call and names the header.
        let without_allow_headers =
            refused == Some(Cause::Header) && matches!(self.headers(), AllowedHeaders::Any);
        CorsHeaders {
            allow_origin: origin,
            allow_credentials: allow_lists && self.credentials(),
            allow_methods: Some(&tables.allow_methods).filter(|_| allow_lists),
            allow_headers: tables
                .allow_headers
                .as_ref()
                .filter(|_| allow_lists && !without_allow_headers),
            expose_headers: None,
            max_age: Some(&tables.max_age).filter(|_| granted),
            allow_private_network: private_network,
            vary: tables.vary_preflight,
        }
    }
}

/// A preflight's verdict reduced to what its answer depends on: small, and borrowing nothing
/// of the request, so a preflight can be judged when it arrives and answered later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PreflightOutcome {
    /// The `Access-Control-Allow-Origin` to write, if the origin was granted.
    origin: Option<OriginToWrite>,
    /// Why the preflight was refused, if it was.
    refused: Option<Cause>,
    /// Whether to answer `Access-Control-Allow-Private-Network: true`.
    private_network: bool,
}

impl PreflightOutcome {
    /// The answer's status code and body.
    #[cfg(feature = "actix-web")]
    pub(crate) fn status(&self) -> (StatusCode, &'static str) {
        status_for(self.refused)
    }

    /// The answer's CORS headers under `policy`, the policy that judged the preflight.
    pub(crate) fn headers(self, policy: &Policy) -> CorsHeaders<'_> {
        policy.preflight_answer(self.origin, self.refused, self.private_network)
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
    status_for(verdict.refusal().map(Refusal::cause))
}

fn status_for(refused: Option<Cause>) -> (StatusCode, &'static str) {
    match refused {
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
