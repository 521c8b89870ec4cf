//! [`scope`]: actix-web's `web::scope`, telling the App-level [`Cors`](super::Cors) layer the
//! path prefix of the `#[cors]` routes inside it.

use std::fmt;
use std::future::Future;
use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{
    AppService, HttpServiceFactory, ServiceFactory, ServiceRequest, ServiceResponse, Transform,
};
use actix_web::guard::{Guard, GuardContext};
use actix_web::{web, Error, Route};

use super::registry::ScopeRegistration;

/// A drop-in for [`actix_web::web::scope`]: the same scope, with the same builder methods,
/// whose `#[cors]` routes the App-level [`Cors`](super::Cors) layer can find.
///
/// actix-web does not tell a route the prefix of the scope it sits in; this scope does. Use it
/// for every scope that holds `#[cors]` routes in an App wrapped with `Cors` (plain
/// `web::scope`s may sit inside it, as long as no `#[cors]` route is in one). Routes at the App
/// root, added through `App::configure`, or inside actix-web's `#[scope]` module macro need
/// none. Scopes nest, and each keeps its guards: the layer answers a preflight only if they
/// let it in, as the router would.
///
/// ```
/// use actix_web::{get, guard, web, App, HttpResponse, Responder};
/// use static_cors::cors;
///
/// #[cors(origins = ["https://app.example.com"])]
/// #[get("/items/{id}")]
/// async fn get_item() -> impl Responder {
///     HttpResponse::Ok()
/// }
///
/// let app = App::new()
///     .service(
///         static_cors::scope("/api")
///             .guard(guard::Host("api.example.com"))
///             .service(static_cors::scope("/v1").service(get_item)) // GET /api/v1/items/{id}
///             .service(web::scope("/health").route("", web::get().to(HttpResponse::Ok))),
///     )
///     .wrap(static_cors::Cors::default());
/// # let _ = app;
/// ```
pub fn scope(
    path: &str,
) -> Scope<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = Error,
        InitError = (),
    >,
> {
    Scope {
        // The marker registers first, so it sees the `AppService` every child registers with.
        inner: web::scope(path).service(ChildrenMarker),
        path: path.to_owned(),
        guards: Vec::new(),
    }
}

/// A scope built by [`scope`].
pub struct Scope<T> {
    inner: actix_web::Scope<T>,
    path: String,
    /// The scope's guards, shared with actix-web's scope, for the layer to check preflights.
    guards: Vec<Rc<dyn Guard>>,
}

impl<T> fmt::Debug for Scope<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("path", &self.path)
            .field("guards", &self.guards.len())
            .finish_non_exhaustive()
    }
}

impl<T> Scope<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = Error, InitError = ()>,
{
    /// Adds a guard to the scope, as [`actix_web::Scope::guard`].
    #[must_use]
    pub fn guard<G: Guard + 'static>(mut self, guard: G) -> Self {
        let guard = Rc::new(guard);
        self.guards.push(Rc::clone(&guard) as Rc<dyn Guard>);
        self.inner = self.inner.guard(SharedGuard(guard));
        self
    }

    /// Adds data for the scope's handlers to extract, as [`actix_web::Scope::app_data`].
    #[must_use]
    pub fn app_data<U: 'static>(self, data: U) -> Self {
        self.map(|inner| inner.app_data(data))
    }

    /// Runs a configuration function on the scope, as [`actix_web::Scope::configure`].
    #[must_use]
    pub fn configure<F>(self, cfg_fn: F) -> Self
    where
        F: FnOnce(&mut web::ServiceConfig),
    {
        self.map(|inner| inner.configure(cfg_fn))
    }

    /// Registers a service (a handler, a resource, another scope), as
    /// [`actix_web::Scope::service`].
    #[must_use]
    pub fn service<F>(self, factory: F) -> Self
    where
        F: HttpServiceFactory + 'static,
    {
        self.map(|inner| inner.service(factory))
    }

    /// Registers a route for `path`, as [`actix_web::Scope::route`].
    #[must_use]
    pub fn route(self, path: &str, route: Route) -> Self {
        self.map(|inner| inner.route(path, route))
    }

    /// Sets the service for requests no resource of the scope matches, as
    /// [`actix_web::Scope::default_service`].
    #[must_use]
    pub fn default_service<F, U>(self, f: F) -> Self
    where
        F: actix_service::IntoServiceFactory<U, ServiceRequest>,
        U: ServiceFactory<ServiceRequest, Config = (), Response = ServiceResponse, Error = Error>
            + 'static,
        U::InitError: fmt::Debug,
    {
        self.map(|inner| inner.default_service(f))
    }

    /// Wraps every service of the scope in middleware, as [`actix_web::Scope::wrap`].
    pub fn wrap<M, B>(
        self,
        mw: M,
    ) -> Scope<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        >,
    >
    where
        M: Transform<
                T::Service,
                ServiceRequest,
                Response = ServiceResponse<B>,
                Error = Error,
                InitError = (),
            > + 'static,
        B: MessageBody,
    {
        self.map(|inner| inner.wrap(mw))
    }

    /// Wraps every service of the scope in a middleware function, as
    /// [`actix_web::Scope::wrap_fn`].
    pub fn wrap_fn<F, R, B>(
        self,
        mw: F,
    ) -> Scope<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        >,
    >
    where
        F: Fn(ServiceRequest, &T::Service) -> R + Clone + 'static,
        R: Future<Output = Result<ServiceResponse<B>, Error>>,
        B: MessageBody,
    {
        self.map(|inner| inner.wrap_fn(mw))
    }

    /// This scope with `f` applied to actix-web's scope inside it (which `wrap` turns into a
    /// scope of another service type); the path and guards the layer reads stay.
    fn map<U>(self, f: impl FnOnce(actix_web::Scope<T>) -> actix_web::Scope<U>) -> Scope<U> {
        Scope {
            inner: f(self.inner),
            path: self.path,
            guards: self.guards,
        }
    }
}

impl<T, B> HttpServiceFactory for Scope<T>
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
    fn register(self, config: &mut AppService) {
        let _open = ScopeRegistration::open(config, &self.path, &self.guards);
        self.inner.register(config);
    }
}

/// The first child of every [`scope`]: registers nothing, and tells the registry which
/// `AppService` the scope's children register with.
struct ChildrenMarker;

impl HttpServiceFactory for ChildrenMarker {
    fn register(self, config: &mut AppService) {
        ScopeRegistration::children_register_with(config);
    }
}

/// A guard shared by actix-web's scope and the layer.
struct SharedGuard<G>(Rc<G>);

impl<G: Guard> Guard for SharedGuard<G> {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        self.0.check(ctx)
    }
}
