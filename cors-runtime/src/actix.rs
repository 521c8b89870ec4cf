//! The actix-web binding: the middleware that puts CORS headers on a handler's responses, and
//! the resource that answers its preflights. Everything else in this crate is framework-free.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::MessageBody;
use actix_web::dev::{
    forward_ready, AppService, ResourceDef, Service, ServiceFactory, ServiceRequest,
    ServiceResponse, Transform, Url,
};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpRequest, HttpResponse};

use crate::diagnostics::{log_refusal, RefusedRequest};
use crate::response::{
    preflight_status, CorsHeaders, ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK, WILDCARD,
};
use crate::verdict::{ActualVerdict, AllowOrigin, OriginHeader, PreflightVerdict};
use crate::Policy;

/// Registers the preflight route of a handler for one path: `OPTIONS` requests with an
/// `Origin` and an `Access-Control-Request-Method` naming one of `route_methods` (in any case)
/// are answered by `policy`; every other request passes on to the next service.
///
/// Routing a preflight costs actix-web a regular-expression match (and a few allocations) per
/// resource with a dynamic path it tries. On the `App` itself, with a pattern of literal
/// segments and whole-segment parameters (`/items/{id}`), the route is registered under the
/// empty prefix instead, which matches any path without a regular expression, and its guard
/// compares the path with the pattern segment by segment — the same decision, for a fraction
/// of the cost, and later resources pay one method comparison to pass it. Inside a scope
/// (whose prefix the router has already taken off the path) or with a custom regular
/// expression or tail segment in the pattern, it is a resource on the route's own path.
#[doc(hidden)]
pub fn register_preflight(
    config: &mut AppService,
    path: &str,
    policy: &'static Policy,
    route_methods: &'static [&'static str],
) {
    let pattern = if config.is_root() || !path.is_empty() {
        insert_slash(path)
    } else {
        String::new()
    };
    let segments = PathPattern::parse(&pattern).filter(|_| config.is_root());
    let (resource, segments) = match segments {
        Some(segments) => (ResourceDef::root_prefix(""), Some(segments)),
        None => (ResourceDef::new(pattern), None),
    };
    let route = Rc::new(Route {
        policy,
        route_methods,
        segments,
    });
    let guard: Box<dyn Guard> = Box::new(PreflightGuard(Rc::clone(&route)));
    config.register_service(
        resource,
        Some(vec![guard]),
        PreflightService { route },
        None,
    );
}

/// A handler's preflight route on one path.
struct Route {
    policy: &'static Policy,
    route_methods: &'static [&'static str],
    /// The pattern the guard compares the path with, when the resource matches any path.
    segments: Option<PathPattern>,
}

impl Route {
    /// Whether `method` names one of the route's methods (in any case).
    fn serves(&self, method: &HeaderValue) -> bool {
        self.route_methods
            .iter()
            .any(|m| m.as_bytes().eq_ignore_ascii_case(method.as_bytes()))
    }
}

/// A route pattern made of literal segments and whole-segment parameters (`/items/{id}`), as
/// literal runs (`/items/`) and parameters.
#[derive(Debug)]
struct PathPattern(Vec<Piece>);

#[derive(Debug)]
enum Piece {
    Literal(Box<str>),
    /// `{name}`: one non-empty segment, as actix-web's `[^/]+`. What follows it, if anything,
    /// is a literal starting with `/`.
    Parameter,
}

impl PathPattern {
    /// `None` for what is left to actix-web's matcher: custom regular expressions
    /// (`{id:\\d+}`), tail segments (`{tail}*`), parameters inside a segment (`{id}.json`),
    /// escapes and percent signs.
    fn parse(pattern: &str) -> Option<Self> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        for (index, segment) in pattern.split('/').enumerate() {
            if index > 0 {
                literal.push('/');
            }
            if let Some(rest) = segment.strip_prefix('{') {
                let name = rest.strip_suffix('}')?;
                let plain = !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if !plain {
                    return None;
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal).into()));
                }
                pieces.push(Piece::Parameter);
            } else if segment.contains(['{', '}', '*', '\\', '%']) {
                return None;
            } else {
                literal.push_str(segment);
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal.into()));
        }
        Some(Self(pieces))
    }

    /// Whether `path` (as the router sees it: percent-escapes decoded) matches.
    fn matches(&self, mut path: &str) -> bool {
        for piece in &self.0 {
            let rest = match piece {
                Piece::Literal(literal) => path.strip_prefix(&**literal),
                Piece::Parameter => {
                    let end = path.find('/').unwrap_or(path.len());
                    path.split_at_checked(end)
                        .filter(|(segment, _)| !segment.is_empty())
                        .map(|(_, rest)| rest)
                }
            };
            match rest {
                Some(rest) => path = rest,
                None => return false,
            }
        }
        path.is_empty()
    }
}

/// The path as actix-web registers a resource: with a leading `/` unless empty.
fn insert_slash(path: &str) -> String {
    if path.is_empty() || path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// Matches CORS preflights for one of a route's methods, on the route's path.
struct PreflightGuard(Rc<Route>);

impl Guard for PreflightGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        let route = &self.0;
        head.method == Method::OPTIONS
            && head
                .headers()
                .get(ACCESS_CONTROL_REQUEST_METHOD)
                .is_some_and(|requested| route.serves(requested))
            && head.headers().contains_key(ORIGIN)
            && route.segments.as_ref().is_none_or(|segments| {
                let path = head.uri.path();
                if path.contains('%') {
                    // The router decodes percent-escapes first; so do we, in this rare case.
                    segments.matches(Url::new(head.uri.clone()).path())
                } else {
                    segments.matches(path)
                }
            })
    }
}

/// Answers the preflights its route's guard let through; the handler never runs.
#[derive(Clone)]
struct PreflightService {
    route: Rc<Route>,
}

impl ServiceFactory<ServiceRequest> for PreflightService {
    type Response = ServiceResponse;
    type Error = Error;
    type Config = ();
    type Service = Self;
    type InitError = ();
    type Future = Ready<Result<Self, ()>>;

    fn new_service(&self, _: ()) -> Self::Future {
        ready(Ok(self.clone()))
    }
}

impl Service<ServiceRequest> for PreflightService {
    type Response = ServiceResponse;
    type Error = Error;
    type Future = Ready<Result<ServiceResponse, Error>>;

    actix_web::dev::always_ready!();

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let policy = self.route.policy;
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
        let mut response =
            HttpResponse::new(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
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
        ready(Ok(req.into_response(response)))
    }
}

/// Middleware that puts a policy's CORS headers on every response of the handler it wraps:
/// successes, errors the handler returns, extractor failures and errors of inner middleware.
///
/// `#[cors]` adds it to the handler's route attribute as its outermost `wrap`.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct ActualRequestCors {
    policy: &'static Policy,
}

impl ActualRequestCors {
    /// Wraps a handler's resource with `policy`.
    #[must_use]
    pub const fn new(policy: &'static Policy) -> Self {
        Self { policy }
    }
}

impl<S, B> Transform<S, ServiceRequest> for ActualRequestCors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    // A boxed body, as the resource turns it into anyway: free for the `BoxBody` handlers
    // answer with, and no second boxing of an `EitherBody` later.
    type Response = ServiceResponse;
    type Error = Error;
    type Transform = ActualRequestCorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ActualRequestCorsService {
            service,
            policy: self.policy,
        }))
    }
}

/// The service [`ActualRequestCors`] builds around a handler.
#[doc(hidden)]
pub struct ActualRequestCorsService<S> {
    service: S,
    policy: &'static Policy,
}

impl<S, B> Service<ServiceRequest> for ActualRequestCorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse;
    type Error = Error;
    type Future = ActualResponse<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let headers = req.headers();
        let verdict = self
            .policy
            .evaluate_actual(req.method().as_str().as_bytes(), origin_header(headers));
        // Only what the response needs, and nothing borrowed from the request: listed origins
        // answer with their static value, and an echoed origin is the request's own header
        // value, read again when the response is ready.
        let allow_origin = match verdict {
            ActualVerdict::Allowed(AllowOrigin::Any) => Some(AllowOrigin::Any),
            ActualVerdict::Allowed(AllowOrigin::Listed(value)) => Some(AllowOrigin::Listed(value)),
            ActualVerdict::Allowed(AllowOrigin::Echo(_)) => Some(AllowOrigin::Echo(&[])),
            ActualVerdict::NotCors => None,
            // Nothing to log to (no logger, or logging off): the refusal stays unmarked, so
            // the first one a logger sees is still reported at warn level.
            ActualVerdict::Refused(_) if log::max_level() == log::LevelFilter::Off => None,
            ActualVerdict::Refused(refusal) => {
                let request = RefusedRequest {
                    preflight: false,
                    method: req.method().as_str().as_bytes(),
                    path: req.path(),
                    origin: headers.get(ORIGIN).map_or(&b""[..], HeaderValue::as_bytes),
                };
                log_refusal(self.policy, request, &refusal);
                None
            }
        };
        ActualResponse {
            request: req.request().clone(),
            response: self.service.call(req),
            policy: self.policy,
            allow_origin,
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`ActualRequestCorsService`].
    #[doc(hidden)]
    pub struct ActualResponse<F> {
        #[pin]
        response: F,
        request: HttpRequest,
        policy: &'static Policy,
        // `Echo` carries no bytes here: the origin is the request's own header value.
        allow_origin: Option<AllowOrigin<'static>>,
    }
}

impl<F, B> Future for ActualResponse<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody + 'static,
{
    type Output = Result<ServiceResponse, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match std::task::ready!(this.response.poll(cx)) {
            Ok(response) => response.map_into_boxed_body(),
            Err(error) => ServiceResponse::from_err(error, this.request.clone()),
        };
        let verdict = match *this.allow_origin {
            Some(origin) => ActualVerdict::Allowed(origin),
            None => ActualVerdict::NotCors,
        };
        apply(
            response.headers_mut(),
            &this.policy.actual_headers(&verdict),
            this.request.headers(),
        );
        Poll::Ready(Ok(response))
    }
}

/// Sets `cors` on `headers`: `Access-Control-Allow-Origin` (an echo is the `Origin` value of
/// `request`, shared, not copied), then [`apply_fixed_and_vary`].
fn apply(headers: &mut HeaderMap, cors: &CorsHeaders<'_, '_>, request: &HeaderMap) {
    match cors.allow_origin {
        Some(AllowOrigin::Any) => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, WILDCARD.clone());
        }
        Some(AllowOrigin::Listed(value)) => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, value.clone());
        }
        Some(AllowOrigin::Echo(_)) => {
            if let Some(origin) = request.get(ORIGIN) {
                headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            }
        }
        None => {}
    }
    apply_fixed_and_vary(headers, cors);
}

/// Sets the fixed headers of `cors`, and merges its `Vary` with the existing values: appended
/// as its own line unless they already cover it (a separate line is a merge in HTTP terms and
/// needs no allocation).
fn apply_fixed_and_vary(headers: &mut HeaderMap, cors: &CorsHeaders<'_, '_>) {
    for (name, value) in cors.fixed() {
        headers.insert(name.clone(), value.clone());
    }
    if let Some(vary) = cors.vary {
        merge_vary(headers, vary);
    }
}

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
        std::str::from_utf8(token).is_ok_and(|token| {
            crate::response::vary_covers(headers.get_all(VARY).map(HeaderValue::as_bytes), token)
        })
    });
    if !covered {
        headers.append(VARY, vary.clone());
    }
}

fn origin_header(headers: &HeaderMap) -> OriginHeader<'_> {
    OriginHeader::from_values(headers.get_all(ORIGIN).map(HeaderValue::as_bytes))
}

#[cfg(test)]
mod tests {
    use super::PathPattern;

    fn matches(pattern: &str, path: &str) -> bool {
        PathPattern::parse(pattern)
            .expect("a simple pattern")
            .matches(path)
    }

    #[test]
    fn literal_segments_match_exactly() {
        assert!(matches("/items", "/items"));
        assert!(!matches("/items", "/items/"));
        assert!(!matches("/items", "/Items"));
        assert!(matches("/items/", "/items/"));
        assert!(matches("", ""));
        assert!(!matches("", "/"));
    }

    #[test]
    fn parameters_take_one_non_empty_segment() {
        assert!(matches("/items/{id}", "/items/7"));
        assert!(matches("/items/{id}/tags/{tag_name}", "/items/7/tags/x.y"));
        assert!(!matches("/items/{id}", "/items/"));
        assert!(!matches("/items/{id}", "/items/7/8"));
        assert!(!matches("/items/{id}", "/items"));
    }

    #[test]
    fn what_only_actix_web_can_match_is_left_to_it() {
        for pattern in [
            "/items/{id:\\d+}",
            "/files/{tail}*",
            "/items/{id}.json",
            "/a%20b",
        ] {
            assert!(PathPattern::parse(pattern).is_none(), "{pattern}");
        }
    }
}
