//! What the App-level layer learns of its App's `#[cors]` routes while actix-web registers
//! them: each route's full path pattern, methods, policy and guards, and the
//! `scope`s that may take a path before it.
//!
//! actix-web tells a service neither its App nor the prefix of the scope it is registered in,
//! only the `AppService` it registers with. These facts make up for it:
//! - an App registers every service, then builds its middleware (the layer last), on one
//!   worker thread: so the registry is thread-local, and a layer takes the routes of the App
//!   registered last on its thread — one whose registration began after the layer was
//!   created, which no other layer has taken;
//! - every `AppService` of one App shares that App's default service: it tells Apps apart, and
//!   once the App is built and its factory dropped, its routes are dropped too;
//! - the children of one scope register with one `AppService`, whose address tells them from
//!   the children of a scope nested inside: a `scope` records its prefix with
//!   the address its children will use.

use std::any::Any;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::dev::AppService;
use actix_web::guard::{Guard, GuardContext};

use crate::Policy;

/// A guard of a route attribute (`guard = "is_json"`).
#[doc(hidden)]
pub type GuardFn = fn(&GuardContext<'_>) -> bool;

/// Where a route sits, as far as the registry can tell.
pub(crate) enum Placement {
    /// At this full path pattern.
    Known(String),
    /// In a plain `web::scope`, whose prefix is unknown.
    InPlainScope,
    /// In a `scope` that sits in a plain `web::scope`.
    UnderPlainScope,
}

/// A `#[cors]` route as the layer sees it.
pub(crate) struct RegisteredRoute {
    pub(crate) placement: Placement,
    /// The path as the route attribute wrote it, for messages.
    pub(crate) path: &'static str,
    /// Whether the route's path is empty inside a scope: the scope's prefix is the whole path,
    /// so nothing is left to route once the scope is reached.
    pub(crate) empty_in_scope: bool,
    pub(crate) methods: &'static [&'static str],
    pub(crate) policy: &'static Policy,
    /// The guards of the scopes around the route, outermost first.
    pub(crate) scope_guards: Vec<Rc<dyn Guard>>,
    /// The guards of the route attribute, which judge actual requests.
    pub(crate) route_guards: &'static [GuardFn],
    /// Its place in the App's registration order.
    pub(crate) order: usize,
}

/// A `scope` with a known prefix: the router gives every path under it to it,
/// so it hides the routes registered after it on such paths.
pub(crate) struct RegisteredScope {
    pub(crate) prefix: String,
    pub(crate) guards: Vec<Rc<dyn Guard>>,
    /// The place of its last child in the App's registration order.
    pub(crate) closed: usize,
}

/// What a layer takes of its App.
#[derive(Default)]
pub(crate) struct AppRoutes {
    pub(crate) routes: Vec<RegisteredRoute>,
    pub(crate) scopes: Vec<RegisteredScope>,
}

/// The registrations of one App.
struct App {
    /// The App's default service: alive while the App is being built.
    app: Weak<dyn Any>,
    /// When its first registration came, on the registry's clock.
    since: u64,
    /// Whether a layer has taken its routes.
    taken: bool,
    next_order: usize,
    routes: AppRoutes,
}

/// A `scope` whose children are registering.
struct OpenScope {
    app: Weak<dyn Any>,
    /// Its full prefix, or why it is unknown.
    placement: Placement,
    /// Its guards and those of the scopes around it, outermost first.
    guards: Vec<Rc<dyn Guard>>,
    /// The address of the `AppService` its children register with, recorded by its first
    /// child, a marker.
    children: Option<usize>,
}

#[derive(Default)]
struct Registry {
    apps: Vec<App>,
    open_scopes: Vec<OpenScope>,
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::default();
}

/// A clock that orders layer creations and App registrations, across threads: a layer may be
/// created on the main thread and cloned into each worker's App.
static CLOCK: AtomicU64 = AtomicU64::new(0);

/// The next moment on [`CLOCK`]: a layer created now takes only Apps registered after it.
pub(crate) fn tick() -> u64 {
    CLOCK.fetch_add(1, Ordering::Relaxed) + 1
}

/// The address that identifies the children of one scope while they register.
fn address(config: &AppService) -> usize {
    std::ptr::from_ref(config) as usize
}

/// What encloses a service registering with some `AppService`.
struct Enclosing {
    placement: Placement,
    guards: Vec<Rc<dyn Guard>>,
    at_root: bool,
}

impl Registry {
    /// The prefix and scope guards of a service registering with `config`: the App root, the
    /// innermost open `scope` if `config` is its children's, or unknown.
    fn enclosing(&self, config: &AppService) -> Enclosing {
        let unknown = |placement| Enclosing {
            placement,
            guards: Vec::new(),
            at_root: false,
        };
        if config.is_root() {
            return Enclosing {
                placement: Placement::Known(String::new()),
                guards: Vec::new(),
                at_root: true,
            };
        }
        match self.open_scopes.last() {
            Some(scope) if scope.children == Some(address(config)) => match &scope.placement {
                Placement::Known(prefix) => Enclosing {
                    placement: Placement::Known(prefix.clone()),
                    guards: scope.guards.clone(),
                    at_root: false,
                },
                _ => unknown(Placement::UnderPlainScope),
            },
            // An open scope of ours, but `config` is not its children's: a plain scope sits
            // in between.
            Some(_) => unknown(Placement::UnderPlainScope),
            None => unknown(Placement::InPlainScope),
        }
    }

    /// The App `config` belongs to, created on its first registration.
    fn app(&mut self, config: &AppService) -> &mut App {
        let app: Rc<dyn Any> = config.default_service();
        let app = Rc::downgrade(&app);
        self.apps.retain(|known| known.app.strong_count() > 0);
        let index = match self.apps.iter().position(|known| known.app.ptr_eq(&app)) {
            Some(index) => index,
            None => {
                self.apps.push(App {
                    app,
                    since: tick(),
                    taken: false,
                    next_order: 0,
                    routes: AppRoutes::default(),
                });
                self.apps.len() - 1
            }
        };
        &mut self.apps[index]
    }
}

impl App {
    fn next_order(&mut self) -> usize {
        self.next_order += 1;
        self.next_order
    }
}

/// One `#[cors]` route as its attributes wrote it; generated code fills it in.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct RouteSpec {
    /// The path of the route attribute.
    pub path: &'static str,
    /// The methods it serves, upper case.
    pub methods: &'static [&'static str],
    /// The policy `#[cors]` declared.
    pub policy: &'static Policy,
    /// Its `guard = ".."` functions.
    pub guards: &'static [GuardFn],
}

/// Records a `#[cors]` route registering with `config`.
pub(crate) fn record_route(config: &AppService, spec: RouteSpec) {
    REGISTRY.with_borrow_mut(|registry| {
        let enclosing = registry.enclosing(config);
        let placement = match enclosing.placement {
            Placement::Known(prefix) => {
                Placement::Known(join(&prefix, spec.path, enclosing.at_root))
            }
            unknown => unknown,
        };
        let app = registry.app(config);
        let order = app.next_order();
        app.routes.routes.push(RegisteredRoute {
            placement,
            path: spec.path,
            empty_in_scope: spec.path.is_empty() && !enclosing.at_root,
            methods: spec.methods,
            policy: spec.policy,
            scope_guards: enclosing.guards,
            route_guards: spec.guards,
            order,
        });
    });
}

/// The routes of the App registered last on this thread, after `since` on the registry's
/// clock, if no layer has taken them yet; they are taken.
pub(crate) fn take_routes(since: u64) -> AppRoutes {
    REGISTRY.with_borrow_mut(|registry| {
        registry.apps.retain(|known| known.app.strong_count() > 0);
        match registry.apps.last_mut() {
            Some(app) if app.since > since && !app.taken => {
                app.taken = true;
                std::mem::take(&mut app.routes)
            }
            _ => AppRoutes::default(),
        }
    })
}

/// A `scope` registering its children; closed when dropped.
pub(crate) struct ScopeRegistration(());

impl ScopeRegistration {
    /// Opens a scope at `path` (as written) with `guards`, registering with `config`.
    pub(crate) fn open(config: &AppService, path: &str, guards: &[Rc<dyn Guard>]) -> Self {
        REGISTRY.with_borrow_mut(|registry| {
            let enclosing = registry.enclosing(config);
            let mut all_guards = enclosing.guards;
            all_guards.extend(guards.iter().cloned());
            let placement = match enclosing.placement {
                Placement::Known(prefix) => Placement::Known(prefix + &with_leading_slash(path)),
                unknown => unknown,
            };
            let app = registry.app(config).app.clone();
            registry.open_scopes.push(OpenScope {
                app,
                placement,
                guards: all_guards,
                children: None,
            });
        });
        Self(())
    }

    /// Called by the scope's first child, a marker: `config` is what its children use.
    pub(crate) fn children_register_with(config: &AppService) {
        REGISTRY.with_borrow_mut(|registry| {
            if let Some(scope) = registry.open_scopes.last_mut() {
                scope.children = Some(address(config));
            }
        });
    }
}

impl Drop for ScopeRegistration {
    fn drop(&mut self) {
        REGISTRY.with_borrow_mut(|registry| {
            let Some(scope) = registry.open_scopes.pop() else {
                return;
            };
            let Placement::Known(prefix) = scope.placement else {
                return;
            };
            if let Some(app) = registry.apps.iter_mut().find(|a| a.app.ptr_eq(&scope.app)) {
                let closed = app.next_order();
                app.routes.scopes.push(RegisteredScope {
                    prefix,
                    guards: scope.guards,
                    closed,
                });
            }
        });
    }
}

/// A resource's full pattern: `prefix` and `path` joined as actix-web joins a scope's prefix
/// and a resource's path (a leading slash added, except to an empty path inside a scope).
fn join(prefix: &str, path: &str, at_root: bool) -> String {
    if path.is_empty() && !at_root {
        prefix.to_owned()
    } else {
        format!("{prefix}{}", with_leading_slash(path))
    }
}

fn with_leading_slash(path: &str) -> std::borrow::Cow<'_, str> {
    if path.is_empty() || path.starts_with('/') {
        path.into()
    } else {
        format!("/{path}").into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_as_actix_web_joins_them() {
        assert_eq!(join("", "/items", true), "/items");
        assert_eq!(join("", "items", true), "/items");
        assert_eq!(join("", "", true), "");
        assert_eq!(join("/api", "/items/{id}", false), "/api/items/{id}");
        assert_eq!(join("/api", "items", false), "/api/items");
        assert_eq!(join("/api", "", false), "/api");
        assert_eq!(join("/api/", "/items", false), "/api//items");
    }
}
