//! The actix-web binding: the middleware that puts CORS headers on a handler's responses, and
//! the resource that answers its preflights. Everything else in this crate is framework-free.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{
    forward_ready, AppService, HttpServiceFactory, Service, ServiceFactory, ServiceRequest,
    ServiceResponse, Transform,
};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpRequest, HttpResponse, Resource};

use crate::diagnostics::{log_refusal, RefusedRequest};
use crate::response::{
    preflight_status, CorsHeaders, ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK, WILDCARD,
};
use crate::verdict::{ActualVerdict, AllowOrigin, OriginHeader, PreflightVerdict};
use crate::Policy;

/// Registers the preflight resource of a handler for one path: `OPTIONS` requests with an
/// `Origin` and an `Access-Control-Request-Method` naming one of `route_methods` (in any case)
/// are answered by `policy`; every other request passes on to the next resource.
#[doc(hidden)]
pub fn register_preflight(
    config: &mut AppService,
    path: &str,
    policy: &'static Policy,
    route_methods: &'static [&'static str],
) {
    let resource = Resource::new(path)
        .guard(PreflightGuard { route_methods })
        .default_service(PreflightService { policy });
    HttpServiceFactory::register(resource, config);
}

/// Matches CORS preflights for one of a route's methods.
struct PreflightGuard {
    route_methods: &'static [&'static str],
}

impl Guard for PreflightGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        head.method == Method::OPTIONS
            && head.headers().contains_key(ORIGIN)
            && head
                .headers()
                .get(ACCESS_CONTROL_REQUEST_METHOD)
                .is_some_and(|requested| {
                    self.route_methods
                        .iter()
                        .any(|m| m.as_bytes().eq_ignore_ascii_case(requested.as_bytes()))
                })
    }
}

/// Answers the preflights a [`PreflightGuard`] let through; the handler never runs.
#[derive(Clone, Copy)]
struct PreflightService {
    policy: &'static Policy,
}

impl ServiceFactory<ServiceRequest> for PreflightService {
    type Response = ServiceResponse;
    type Error = Error;
    type Config = ();
    type Service = Self;
    type InitError = ();
    type Future = Ready<Result<Self, ()>>;

    fn new_service(&self, _: ()) -> Self::Future {
        ready(Ok(*self))
    }
}

impl Service<ServiceRequest> for PreflightService {
    type Response = ServiceResponse;
    type Error = Error;
    type Future = Ready<Result<ServiceResponse, Error>>;

    actix_web::dev::always_ready!();

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let headers = req.headers();
        let verdict = self.policy.evaluate_preflight(
            origin_header(headers),
            headers
                .get(ACCESS_CONTROL_REQUEST_METHOD)
                .map_or(&b""[..], HeaderValue::as_bytes),
            headers
                .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
                .map(HeaderValue::as_bytes),
            headers
                .get(ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK)
                .is_some_and(|v| v.as_bytes() == b"true"),
        );
        if let PreflightVerdict::Refused { refusal, .. } = &verdict {
            let request = RefusedRequest {
                preflight: true,
                method: headers
                    .get(ACCESS_CONTROL_REQUEST_METHOD)
                    .map_or(&b""[..], HeaderValue::as_bytes),
                path: req.path(),
                origin: headers.get(ORIGIN).map_or(&b""[..], HeaderValue::as_bytes),
            };
            log_refusal(self.policy, request, refusal);
        }
        let (status, body) = preflight_status(&verdict);
        let mut response =
            HttpResponse::new(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
        apply(
            response.headers_mut(),
            &self.policy.preflight_headers(&verdict),
            headers.get(ORIGIN),
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
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
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
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = ActualResponse<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let headers = req.headers();
        let verdict = self
            .policy
            .evaluate_actual(req.method().as_str().as_bytes(), origin_header(headers));
        if let ActualVerdict::Refused(refusal) = &verdict {
            let request = RefusedRequest {
                preflight: false,
                method: req.method().as_str().as_bytes(),
                path: req.path(),
                origin: headers.get(ORIGIN).map_or(&b""[..], HeaderValue::as_bytes),
            };
            log_refusal(self.policy, request, refusal);
        }
        // Listed origins answer with their static value; only a pattern match echoes the
        // request's own header value (a reference-count increment on a parsed request).
        let allow_origin = match verdict {
            ActualVerdict::Allowed(AllowOrigin::Any) => Some(WILDCARD.clone()),
            ActualVerdict::Allowed(AllowOrigin::Listed(value)) => Some(value.clone()),
            ActualVerdict::Allowed(AllowOrigin::Echo(_)) => headers.get(ORIGIN).cloned(),
            ActualVerdict::NotCors | ActualVerdict::Refused(_) => None,
        };
        ActualResponse {
            request: req.request().clone(),
            response: self.service.call(req),
            policy: self.policy,
            granted: allow_origin.is_some(),
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
        granted: bool,
        allow_origin: Option<HeaderValue>,
    }
}

impl<F, B> Future for ActualResponse<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match std::task::ready!(this.response.poll(cx)) {
            Ok(response) => response.map_into_left_body(),
            Err(error) => {
                ServiceResponse::from_err(error, this.request.clone()).map_into_right_body()
            }
        };
        let verdict = if *this.granted {
            ActualVerdict::Allowed(AllowOrigin::Any)
        } else {
            ActualVerdict::NotCors
        };
        let headers = response.headers_mut();
        apply_fixed_and_vary(headers, &this.policy.actual_headers(&verdict));
        if let Some(origin) = this.allow_origin.take() {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        Poll::Ready(Ok(response))
    }
}

/// Sets `cors` on `headers`: `Access-Control-Allow-Origin` (an echo is taken from
/// `request_origin` without copying), then [`apply_fixed_and_vary`].
fn apply(
    headers: &mut HeaderMap,
    cors: &CorsHeaders<'_, '_>,
    request_origin: Option<&HeaderValue>,
) {
    match cors.allow_origin {
        Some(AllowOrigin::Any) => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, WILDCARD.clone());
        }
        Some(AllowOrigin::Listed(value)) => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, value.clone());
        }
        Some(AllowOrigin::Echo(_)) => {
            if let Some(origin) = request_origin {
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
    if !headers.contains_key(VARY) {
        headers.insert(VARY, vary.clone());
        return;
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
