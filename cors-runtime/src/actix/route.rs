//! The per-route half of the binding: the guard that routes a `#[cors]` route's preflights to
//! its own resource, and the middleware that answers them there and puts the policy's headers
//! on every response of the handler.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::MessageBody;
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::guard::{Guard, GuardContext};
use actix_web::{Error, HttpRequest};

use super::answer::{
    actual_allow_origin, answer_judged, apply_actual, judge_preflight, names_one_of,
    preflight_parts, requested_method,
};
use super::registry::GuardFn;
use crate::response::OriginToWrite;
use crate::Policy;

/// The method guard of a `#[cors]` route: lets in the methods the route serves, and the
/// preflights for them — `OPTIONS` requests with an `Origin` and an
/// `Access-Control-Request-Method` naming one of those methods (in any case).
///
/// A preflight asking for a method the route does not serve is not let in, even when the
/// route serves `OPTIONS` itself: it belongs to a sibling route on the same path.
///
/// It takes the place of the method guard actix-web's route attribute would add, and is
/// cheaper: a comparison per method, where actix-web's records every method it tries in the
/// request's extensions (an allocation per request) for the `Allow` header of a 405 answer
/// that a later resource on the same path might give.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouteGuard {
    methods: &'static [&'static str],
}

impl RouteGuard {
    /// A guard for a route serving `methods` (upper case).
    pub(crate) const fn new(methods: &'static [&'static str]) -> Self {
        Self { methods }
    }
}

impl Guard for RouteGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        match requested_method(head) {
            Some(requested) => names_one_of(requested, self.methods),
            None => self.methods.contains(&head.method.as_str()),
        }
    }
}

/// The guards of the user's route attribute (`guard = ".."`), applied to actual requests
/// only: a preflight carries none of the headers or bodies such guards look at, and must reach
/// the policy to be answered.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnlessPreflight {
    methods: &'static [&'static str],
    guards: &'static [GuardFn],
}

impl UnlessPreflight {
    /// `guards`, skipped for the preflights of a route serving `methods`.
    pub(crate) const fn new(methods: &'static [&'static str], guards: &'static [GuardFn]) -> Self {
        Self { methods, guards }
    }
}

impl Guard for UnlessPreflight {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        requested_method(ctx.head()).is_some_and(|requested| names_one_of(requested, self.methods))
            || self.guards.iter().all(|guard| guard(ctx))
    }
}

/// Middleware applying a policy to the route it wraps: it answers the route's preflights
/// itself, and puts the policy's CORS headers on every other response of the handler —
/// successes, errors the handler returns, extractor failures and errors of inner middleware.
///
/// Registration makes it the outermost middleware of a resource guarded by [`RouteGuard`],
/// which it relies on: every request it sees is for one of the route's methods or one of its
/// preflights.
#[derive(Clone, Copy)]
pub(crate) struct PreflightAndActualCors {
    policy: &'static Policy,
}

impl PreflightAndActualCors {
    /// Applies `policy` to its route.
    pub(crate) fn new(policy: &'static Policy) -> Self {
        Self { policy }
    }
}

impl<S, B> Transform<S, ServiceRequest> for PreflightAndActualCors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    // A boxed body, as the resource turns it into anyway: free for the `BoxBody` handlers
    // answer with, and no second boxing of an `EitherBody` later.
    type Response = ServiceResponse;
    type Error = Error;
    type Transform = RouteCorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RouteCorsService {
            service,
            cors: *self,
        }))
    }
}

/// The service [`PreflightAndActualCors`] builds around a handler.
#[doc(hidden)]
pub struct RouteCorsService<S> {
    service: S,
    cors: PreflightAndActualCors,
}

impl<S, B> Service<ServiceRequest> for RouteCorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse;
    type Error = Error;
    type Future = RouteCorsResponse<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let policy = self.cors.policy;
        // A preflight past the route's guard asks for one of its methods; an `OPTIONS` request
        // without the preflight headers reaches a route only if it serves `OPTIONS` itself.
        if let Some((method, origin)) = preflight_parts(req.head()) {
            let judged = judge_preflight(policy, &req, method.as_bytes(), origin);
            return RouteCorsResponse::Preflight {
                response: Some(answer_judged(judged, req, std::convert::identity)),
            };
        }
        // Only what the response needs, and nothing borrowed from the request: listed origins
        // answer with their static value, and an echoed origin is the request's own header
        // value, read again when the response is ready. Cloning the request is safe here,
        // after routing.
        let allow_origin = actual_allow_origin(policy, req.method(), req.path(), req.headers());
        RouteCorsResponse::Actual {
            request: req.request().clone(),
            response: self.service.call(req),
            policy,
            allow_origin,
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`RouteCorsService`].
    #[doc(hidden)]
    #[project = RouteCorsResponseProjection]
    pub enum RouteCorsResponse<F> {
        /// A preflight, answered without the handler.
        Preflight { response: Option<ServiceResponse> },
        /// An actual request: the handler's response, to put the headers on.
        Actual {
            #[pin]
            response: F,
            request: HttpRequest,
            policy: &'static Policy,
            allow_origin: Option<OriginToWrite>,
        },
    }
}

impl<F, B> Future for RouteCorsResponse<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody + 'static,
{
    type Output = Result<ServiceResponse, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            RouteCorsResponseProjection::Preflight { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => Poll::Pending,
            },
            RouteCorsResponseProjection::Actual {
                response,
                request,
                policy,
                allow_origin,
            } => {
                let mut response = match std::task::ready!(response.poll(cx)) {
                    Ok(response) => response.map_into_boxed_body(),
                    Err(error) => ServiceResponse::from_err(error, request.clone()),
                };
                apply_actual(
                    response.headers_mut(),
                    policy,
                    *allow_origin,
                    request.headers(),
                );
                Poll::Ready(Ok(response))
            }
        }
    }
}
