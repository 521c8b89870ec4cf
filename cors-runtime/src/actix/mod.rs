//! The actix-web binding (feature `actix-web`), the only part of the crate that knows
//! actix-web's types.
//!
//! Two layers, each usable alone:
//! - **per route**: `#[cors]` registers each route through [`register`], whose resource (from
//!   [`resource`]) has a method guard that also admits the route's preflights, and whose
//!   outermost middleware answers them and puts the policy's headers on the handler's
//!   responses. Nothing else to set up while no middleware answers before routing;
//! - **per App**: [`Cors`], wrapped last on the App, answers those preflights before any other
//!   middleware and makes that middleware's rejections readable; [`scope`] tells it the
//!   prefix of the routes in a scope.
//!
//! Modules: `answer` (what is sent), `route` (the per-route guard and middleware), `registry`
//! (what registration tells the layer), `route_table` (finding a route without the router),
//! `layer` ([`Cors`]) and `scope` ([`scope`]).

mod answer;
mod layer;
mod registry;
mod route;
mod route_table;
mod scope;

use actix_web::body::MessageBody;
use actix_web::dev::{
    AppService, HttpServiceFactory, ServiceFactory, ServiceRequest, ServiceResponse,
};
use actix_web::{Error, Resource};

use crate::Policy;

pub use layer::{Cors, CorsLayerResponse, CorsService};
#[doc(hidden)]
pub use registry::{GuardFn, RouteSpec};
#[doc(hidden)]
pub use route::{RouteCorsResponse, RouteCorsService};
pub use scope::{scope, Scope};

/// The resource of a `#[cors]` route before the user's middleware and handler: its path,
/// named `name`, with the method guard that admits the methods the route serves and their
/// preflights — first, as actix-web's route attribute puts its own method guard first — then
/// the user's guards, which judge actual requests only.
#[doc(hidden)]
#[must_use]
pub fn resource(route: RouteSpec, name: &str) -> Resource {
    let resource = Resource::new(route.path)
        .name(name)
        .guard(route::RouteGuard::new(route.methods));
    if route.guards.is_empty() {
        resource
    } else {
        resource.guard(route::UnlessPreflight::new(route.methods, route.guards))
    }
}

/// Registers a `#[cors]` route: `resource` (from [`resource`], with the user's middleware and
/// handler) with, outermost, the middleware applying the route's policy; and tells the
/// App-level layer about the route. Reads the policy's configured origins first (stopping the
/// app if one is wrong) and builds its header values, so the first request finds them ready.
///
/// Not generic: a crate of many handlers compiles this once, here. Routes with middleware of
/// their own go through [`register_wrapped`].
#[doc(hidden)]
pub fn register(resource: Resource, config: &mut AppService, route: RouteSpec) {
    register_wrapped(resource, config, route);
}

/// [`register`] for a resource that already has middleware of its own (`wrap = ".."`).
#[doc(hidden)]
pub fn register_wrapped<T, B>(resource: Resource<T>, config: &mut AppService, route: RouteSpec)
where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        > + 'static,
    B: MessageBody + 'static,
{
    load_configured_or_panic(route.policy);
    route.policy.tables();
    registry::record_route(config, route);
    let resource = resource.wrap(route::PreflightAndActualCors::new(route.policy));
    HttpServiceFactory::register(resource, config);
}
/// Loads a policy's configured origins when its handler is registered, and stops the app
/// with the reason if one is wrong.
///
/// # Panics
/// When [`Policy::load_configured`] fails, with its message.
fn load_configured_or_panic(policy: &'static Policy) {
    if let Err(error) = policy.load_configured() {
        panic!("static-cors: {error}");
    }
}
