//! The actix-web binding: the guard that routes a handler's preflights to its own resource,
//! and the middleware that answers them and puts CORS headers on the handler's responses.
//! Everything else in this crate is framework-free.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::MessageBody;
use actix_web::dev::{
    forward_ready, AppService, HttpServiceFactory, RequestHead, Service, ServiceFactory,
    ServiceRequest, ServiceResponse, Transform,
};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpRequest, HttpResponse, Resource};

use crate::configured::load_configured_or_panic;
use crate::diagnostics::{log_refusal, RefusedRequest};
use crate::response::{
    preflight_status, CorsHeaders, ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK, WILDCARD,
};
use crate::verdict::{ActualVerdict, AllowOrigin, OriginHeader, PreflightVerdict};
use crate::Policy;

/// Registers a `#[cors]` route: `resource` as its route attribute would build it (path, name,
/// the user's guards, the handler), plus the method guard that also admits the route's
/// preflights and, outermost, the middleware applying `policy`. Reads the policy's configured
/// origins first (stopping the app if one is wrong) and builds its header values, so the first
/// request finds them ready.
///
/// Not generic: a crate of many handlers compiles this once, here. Routes with middleware of
/// their own go through [`register_wrapped`].
#[doc(hidden)]
pub fn register(
    resource: Resource,
    config: &mut AppService,
    policy: &'static Policy,
    methods: &'static [&'static str],
) {
    register_wrapped(resource, config, policy, methods);
}

/// [`register`] for a resource that already has middleware of its own (`wrap = ".."`).
#[doc(hidden)]
pub fn register_wrapped<T, B>(
    resource: Resource<T>,
    config: &mut AppService,
    policy: &'static Policy,
    methods: &'static [&'static str],
) where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        > + 'static,
    B: MessageBody + 'static,
{
    load_configured_or_panic(policy);
    policy.tables();
    let resource = resource
        .guard(RouteGuard::new(methods))
        .wrap(ActualRequestCors::new(policy, methods));
    HttpServiceFactory::register(resource, config);
}

/// The method guard of a `#[cors]` route: lets in the methods the route serves, and the
/// preflights for them — `OPTIONS` requests with an `Origin` and an
/// `Access-Control-Request-Method` naming one of those methods (in any case, so that `put` is
/// refused with a reason rather than routed elsewhere).
///
/// It takes the place of the method guard actix-web's route attribute would add, and is
/// cheaper: a comparison per method, where actix-web's records every method it tries in the
/// request's extensions (an allocation per request) for the `Allow` header of a 405 answer
/// that a later resource on the same path might give.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct RouteGuard {
    methods: &'static [&'static str],
}

impl RouteGuard {
    /// A guard for a route serving `methods` (upper case).
    #[must_use]
    pub const fn new(methods: &'static [&'static str]) -> Self {
        Self { methods }
    }
}

impl Guard for RouteGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        let method = head.method.as_str();
        self.methods.contains(&method) || is_preflight_for(self.methods, head)
    }
}

/// A guard of the user's route attribute (`guard = ".."`), applied to actual requests only:
/// a preflight carries none of the headers or bodies such guards look at, and must reach the
/// policy to be answered.
#[doc(hidden)]
pub struct UnlessPreflight<G> {
    methods: &'static [&'static str],
    guard: G,
}

impl<G: Guard> UnlessPreflight<G> {
    /// `guard`, skipped for the preflights of a route serving `methods`.
    #[must_use]
    pub const fn new(methods: &'static [&'static str], guard: G) -> Self {
        Self { methods, guard }
    }
}

impl<G: Guard> Guard for UnlessPreflight<G> {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        is_preflight_for(self.methods, ctx.head()) || self.guard.check(ctx)
    }
}

/// Whether `head` is a CORS preflight asking for one of `methods` (in any case).
fn is_preflight_for(methods: &[&str], head: &RequestHead) -> bool {
    head.method == Method::OPTIONS
        && head
            .headers()
            .get(ACCESS_CONTROL_REQUEST_METHOD)
            .is_some_and(|requested| {
                methods
                    .iter()
                    .any(|m| m.as_bytes().eq_ignore_ascii_case(requested.as_bytes()))
            })
        && head.headers().contains_key(ORIGIN)
}

/// Answers a preflight with `policy`; the handler never runs.
fn answer_preflight(policy: &'static Policy, req: ServiceRequest) -> ServiceResponse {
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
    let mut response = HttpResponse::new(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
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

/// Middleware that applies a policy to the route it wraps: it answers the route's preflights
/// itself, and puts the policy's CORS headers on every other response of the handler —
/// successes, errors the handler returns, extractor failures and errors of inner middleware.
///
/// [`register`] makes it the outermost middleware of a resource guarded by [`RouteGuard`],
/// which it relies on: every request it sees is for one of the route's methods or one of its
/// preflights.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct ActualRequestCors {
    policy: &'static Policy,
    methods: &'static [&'static str],
    /// Whether the route serves `OPTIONS` itself, so that an `OPTIONS` request past the guard
    /// may be an actual request rather than a preflight.
    serves_options: bool,
}

impl ActualRequestCors {
    /// Applies `policy` to a route serving `methods` (upper case).
    fn new(policy: &'static Policy, methods: &'static [&'static str]) -> Self {
        Self {
            policy,
            methods,
            serves_options: methods.contains(&Method::OPTIONS.as_str()),
        }
    }

    /// Whether `head`, which passed the route's [`RouteGuard`], is a preflight: an `OPTIONS`
    /// request the guard let in for that reason alone, unless the route serves `OPTIONS`.
    fn is_preflight(&self, head: &RequestHead) -> bool {
        head.method == Method::OPTIONS
            && (!self.serves_options || is_preflight_for(self.methods, head))
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
            cors: *self,
        }))
    }
}

/// The service [`ActualRequestCors`] builds around a handler.
#[doc(hidden)]
pub struct ActualRequestCorsService<S> {
    service: S,
    cors: ActualRequestCors,
}

impl<S, B> Service<ServiceRequest> for ActualRequestCorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse;
    type Error = Error;
    type Future = CorsResponse<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let policy = self.cors.policy;
        if self.cors.is_preflight(req.head()) {
            return CorsResponse::Preflight {
                response: Some(answer_preflight(policy, req)),
            };
        }
        let headers = req.headers();
        let verdict =
            policy.evaluate_actual(req.method().as_str().as_bytes(), origin_header(headers));
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
                log_refusal(policy, request, &refusal);
                None
            }
        };
        CorsResponse::Actual {
            request: req.request().clone(),
            response: self.service.call(req),
            policy,
            allow_origin,
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`ActualRequestCorsService`].
    #[doc(hidden)]
    #[project = CorsResponseProjection]
    pub enum CorsResponse<F> {
        /// A preflight, answered without the handler.
        Preflight { response: Option<ServiceResponse> },
        /// An actual request: the handler's response, to put the headers on.
        Actual {
            #[pin]
            response: F,
            request: HttpRequest,
            policy: &'static Policy,
            // `Echo` carries no bytes here: the origin is the request's own header value.
            allow_origin: Option<AllowOrigin<'static>>,
        },
    }
}

impl<F, B> Future for CorsResponse<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody + 'static,
{
    type Output = Result<ServiceResponse, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (response, request, policy, allow_origin) = match self.project() {
            CorsResponseProjection::Preflight { response } => {
                return match response.take() {
                    Some(response) => Poll::Ready(Ok(response)),
                    None => Poll::Pending,
                };
            }
            CorsResponseProjection::Actual {
                response,
                request,
                policy,
                allow_origin,
            } => (response, request, policy, allow_origin),
        };
        let mut response = match std::task::ready!(response.poll(cx)) {
            Ok(response) => response.map_into_boxed_body(),
            Err(error) => ServiceResponse::from_err(error, request.clone()),
        };
        let verdict = match *allow_origin {
            Some(origin) => ActualVerdict::Allowed(origin),
            None => ActualVerdict::NotCors,
        };
        apply(
            response.headers_mut(),
            &policy.actual_headers(&verdict),
            request.headers(),
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
