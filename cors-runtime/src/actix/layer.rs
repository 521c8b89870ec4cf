//! [`Cors`], the App-level layer: answers the preflights of every `#[cors]` route of its App
//! before any other middleware runs, and makes the rejections of that middleware readable.

use std::collections::BTreeSet;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Mutex;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use actix_web::Error;

use super::answer::{
    actual_allow_origin, answer_judged, apply_actual, judge_preflight, names_one_of,
    preflight_parts, varies_by_origin, JudgedPreflight,
};
use super::registry::{self, Placement, RegisteredRoute};
use super::route_table::RouteTable;
use crate::origin::AllowedOrigins;
use crate::OriginHeader;

/// The App-level CORS layer, for apps whose middleware answers requests before routing
/// (authentication, rate limits, CSRF checks).
///
/// Such middleware runs before a `#[cors]` route's own CORS handling, so without this layer it
/// answers the route's preflights itself (a `401` to a preflight, which never carries
/// credentials, blocks every call) and its rejections carry no CORS headers (page script sees
/// a CORS error instead of the `401`). Wrapped last, so that it runs first, the layer
///
/// - answers every preflight for a `#[cors]` route of its App with that route's policy —
///   byte for byte the answer the route itself gives — before any other middleware and
///   without actix-web's router; preflights for any other path or method pass on untouched,
///   so no handler ever runs for a preflight it did not declare;
/// - puts the route's actual-response CORS headers on a response that middleware produced
///   before routing (a `401`, a `429`) for a request whose path and method a `#[cors]` route
///   serves, so the page can read it; responses of the routes themselves are left as they are.
///
/// It learns the full path of every `#[cors]` route when the App is built. A route with a
/// plain `web::scope` anywhere between it and the App has a path prefix it cannot learn: build
/// those scopes with [`static_cors::scope`](crate::actix::scope) instead. If one is left, the
/// App does not start (an init error, and a log line naming the handler, its source line and
/// the fix), rather than miss the route's preflights silently.
///
/// Wrap it on the `App`, last. Create it as the App is built (in the `HttpServer::new`
/// closure): it takes the routes of the App registered after it, on its worker thread. Apps
/// built concurrently on one thread are not supported. At start-up it logs one `info` line per route
/// under the target `static_cors`: the methods granted to other origins, full path, handler,
/// source line and origins.
///
/// Rejections returned as `Err` (rather than as a response) carry no CORS headers: by then the
/// request is gone. Middleware that answers with a response — as `actix-web-httpauth` does,
/// or `Ok(req.into_response(..))` in `middleware::from_fn` — is covered.
///
/// ```
/// use actix_web::{dev::ServiceRequest, put, App, HttpResponse, Responder};
/// use actix_web::middleware::{from_fn, Next};
/// use actix_web::body::MessageBody;
/// use static_cors::cors;
///
/// #[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials = true)]
/// #[put("/items/{id}")]
/// async fn update_item() -> impl Responder {
///     HttpResponse::Ok()
/// }
///
/// /// Stands for any authentication middleware: no token, no entry.
/// async fn require_token(
///     req: ServiceRequest,
///     next: Next<impl MessageBody + 'static>,
/// ) -> Result<actix_web::dev::ServiceResponse<impl MessageBody>, actix_web::Error> {
///     if req.headers().contains_key("authorization") {
///         Ok(next.call(req).await?.map_into_left_body())
///     } else {
///         Ok(req.into_response(HttpResponse::Unauthorized().finish()).map_into_right_body())
///     }
/// }
///
/// let app = App::new()
///     .service(static_cors::scope("/api").wrap(from_fn(require_token)).service(update_item))
///     .wrap(static_cors::Cors::default()); // the last wrap, so it runs first
/// # let _ = app;
/// ```
#[derive(Debug, Clone)]
pub struct Cors {
    /// When it was created, on the registry's clock.
    created: u64,
}

impl Default for Cors {
    fn default() -> Self {
        Self {
            created: registry::tick(),
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        let app = registry::take_routes(self.created);
        let mut placed = true;
        for route in &app.routes {
            if let Some(reason) = unknown_prefix(route) {
                report_unknown_prefix(route, reason);
                placed = false;
            }
        }
        if !placed {
            return ready(Err(()));
        }
        log_inventory(&app.routes);
        let table = RouteTable::new(app);
        ready(Ok(CorsService {
            service,
            table: Rc::new(table),
        }))
    }
}

/// Why the layer cannot know a route's full path, if it cannot.
fn unknown_prefix(route: &RegisteredRoute) -> Option<&'static str> {
    match route.placement {
        Placement::Known(_) => None,
        Placement::InPlainScope => Some("inside a `web::scope`"),
        Placement::UnderPlainScope => {
            Some("in a `static_cors::scope` that sits inside a `web::scope`")
        }
    }
}

/// Logs (or, with no logger, prints) why a route stops the App from starting.
fn report_unknown_prefix(route: &RegisteredRoute, reason: &str) {
    let message = format!(
        "static-cors: the handler `{}` ({}) serves `{}` {reason}, whose path prefix the App's \
         `static_cors::Cors` layer cannot know, so it could not answer the route's preflights \
         before your middleware; build every scope between the route and the App with \
         `static_cors::scope(..)` instead of `web::scope(..)` (same builder methods)",
        route.policy.handler(),
        route.policy.location(),
        route.path,
    );
    if log::log_enabled!(target: "static_cors", log::Level::Error) {
        log::error!(target: "static_cors", "{message}");
    } else {
        eprintln!("{message}");
    }
}

/// Logs the App's `#[cors]` routes at info level, each line once per process (every worker
/// builds the same App).
fn log_inventory(routes: &[RegisteredRoute]) {
    static LOGGED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    if !log::log_enabled!(target: "static_cors", log::Level::Info) {
        return;
    }
    let mut logged = LOGGED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for route in routes {
        let policy = route.policy;
        let line = format!(
            "{} {} -> {} ({}), origins: {}",
            policy.methods().join(", "),
            match &route.placement {
                Placement::Known(pattern) => pattern.as_str(),
                _ => route.path,
            },
            policy.handler(),
            policy.location(),
            short_origins(policy.origins()),
        );
        if logged.insert(line.clone()) {
            log::info!(target: "static_cors", "{line}");
        }
    }
}

/// The origins of a policy in a few words: `*`, or the first three entries and how many more.
fn short_origins(origins: &AllowedOrigins) -> String {
    const SHOWN: usize = 3;
    match origins {
        AllowedOrigins::Any => "*".to_owned(),
        AllowedOrigins::List(list) => {
            let sets: Vec<String> = list
                .live_sets()
                .iter()
                .map(|live| format!("set({})", live.name()))
                .collect();
            let entries: Vec<&str> = list
                .all_entries()
                .chain(sets.iter().map(String::as_str))
                .collect();
            let mut short = entries
                .iter()
                .take(SHOWN)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if entries.len() > SHOWN {
                short += &format!(" and {} more", entries.len() - SHOWN);
            }
            short
        }
    }
}

/// The service [`Cors`] builds around an App.
#[doc(hidden)]
pub struct CorsService<S> {
    service: S,
    table: Rc<RouteTable>,
}

impl<S, B> Service<ServiceRequest> for CorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsLayerResponse<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let preflight = preflight_parts(req.head());
        if let Some(judged) = preflight.and_then(|parts| self.judge_if_ours(&req, parts)) {
            // Answered when polled: the future stays small.
            return CorsLayerResponse::Preflight {
                request: Some(req),
                judged,
            };
        }
        // Nothing else is looked at before the inner service answers; routing must not find
        // the request shared, so nothing of it is kept. A preflight passed on is not
        // decorated: no answer to it but a 2xx one would let the browser go on.
        // Whether the request is cross-origin is asked of the response's request, on the way
        // out, after the cheaper tests.
        let may_decorate = !self.table.is_empty() && preflight.is_none();
        CorsLayerResponse::Inner {
            response: self.service.call(req),
            table: may_decorate.then(|| Rc::clone(&self.table)),
        }
    }
}

impl<S> CorsService<S> {
    /// Judges the preflight `req` (its `Access-Control-Request-Method` and `Origin`, from
    /// [`preflight_parts`]) if it is for one of the App's `#[cors]` routes: one serving the
    /// requested method, whose scope guards let it in.
    fn judge_if_ours(
        &self,
        req: &ServiceRequest,
        (requested, origin): (&HeaderValue, OriginHeader<'_>),
    ) -> Option<JudgedPreflight> {
        let ctx = req.guard_ctx();
        let route = self.table.find(req.match_info().as_str(), &ctx, |route| {
            names_one_of(requested, route.methods) && route.scope_guards_pass(&ctx)
        })?;
        Some(judge_preflight(
            route.policy,
            req,
            requested.as_bytes(),
            origin,
        ))
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`CorsService`].
    #[doc(hidden)]
    #[project = CorsLayerResponseProjection]
    pub enum CorsLayerResponse<F> {
        /// A preflight the layer answers.
        Preflight { request: Option<ServiceRequest>, judged: JudgedPreflight },
        /// Anything else: the inner service's response, and, unless the request is a
        /// preflight passed on, the table to decorate a rejection with.
        Inner {
            #[pin]
            response: F,
            table: Option<Rc<RouteTable>>,
        },
    }
}

impl<F, B> Future for CorsLayerResponse<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            CorsLayerResponseProjection::Preflight { request, judged } => match request.take() {
                Some(request) => {
                    Poll::Ready(Ok(answer_judged(*judged, request, EitherBody::right)))
                }
                None => Poll::Pending,
            },
            CorsLayerResponseProjection::Inner { response, table } => {
                let response = std::task::ready!(response.poll(cx))?;
                let response = match table {
                    Some(table) => decorate_rejection(table, response),
                    None => response,
                };
                Poll::Ready(Ok(response.map_into_left_body()))
            }
        }
    }
}

/// Puts the actual-response headers of the `#[cors]` route a request was for on a response
/// produced before routing reached it, and that has no `Access-Control-Allow-Origin` of its
/// own.
///
/// Routing consumes the whole path once it reaches a resource, so a response with path left
/// to route came from middleware (or a default service); one with none left came from a
/// resource, unless the route's own path is empty inside a scope and the response lacks the
/// `Vary: Origin` every `#[cors]` response has. The route must also be the one the request
/// would have reached: its guards (scope and route attribute) are checked here, on this
/// rare path, so that a default service answering for a request a guard turned away is left
/// alone.
fn decorate_rejection<B>(table: &RouteTable, response: ServiceResponse<B>) -> ServiceResponse<B> {
    let nothing_left = response.request().match_info().unprocessed().is_empty();
    // A response routing reached a resource with: only a route with an empty path in a scope
    // can still need the headers, and most Apps have none.
    if nothing_left && !table.has_empty_in_scope() {
        return response;
    }
    let headers = response.headers();
    if !response.request().headers().contains_key(ORIGIN)
        || headers.contains_key(ACCESS_CONTROL_ALLOW_ORIGIN)
        || (nothing_left && varies_by_origin(headers))
    {
        return response;
    }
    let (request, mut response) = response.into_parts();
    let request = ServiceRequest::from_request(request);
    let ctx = request.guard_ctx();
    let method = request.method().as_str();
    let route = table.find(request.match_info().as_str(), &ctx, |route| {
        route.methods.contains(&method)
            && (!nothing_left || route.empty_in_scope)
            && route.scope_guards_pass(&ctx)
            && route.route_guards_pass(&ctx)
    });
    if let Some(route) = route {
        let allow_origin = actual_allow_origin(
            route.policy,
            request.method(),
            request.path(),
            request.headers(),
        );
        apply_actual(
            response.headers_mut(),
            route.policy,
            allow_origin,
            request.headers(),
        );
    }
    let (request, _) = request.into_parts();
    ServiceResponse::new(request, response)
}
