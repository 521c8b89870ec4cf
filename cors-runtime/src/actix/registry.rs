//! What the App-level layer learns of its App's `#[cors]` routes while actix-web registers
//! them: each route's full path pattern, methods and policy, and the guards of the
//! [`scope`](super::scope)s around it.
//!
//! actix-web tells a service neither its App nor the prefix of the scope it is registered in,
//! only the `AppService` it registers with. Three facts make up for it:
//! - an App registers every service, then builds its middleware (the layer last), on one
//!   worker thread, one App at a time: so the registry is thread-local, and the layer takes the
//!   routes of the App registered last on its thread;
//! - every `AppService` of one App shares that App's default service: it tells Apps apart, and
//!   once the App is built and its factory dropped, its routes are dropped too;
//! - the children of one scope register with one `AppService`, whose address tells them from
//!   the children of a scope nested inside: a [`scope`](super::scope) records its prefix with
//!   the address its children will use.

use std::any::Any;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

use actix_web::dev::AppService;
use actix_web::guard::Guard;

use crate::Policy;

/// A `#[cors]` route as the layer sees it.
#[derive(Clone)]
pub(crate) struct RegisteredRoute {
    /// The full path pattern, or `None` inside a scope whose prefix is unknown (a plain
    /// `web::scope`).
    pub(crate) pattern: Option<String>,
    /// The path as the route attribute wrote it, for messages.
    pub(crate) path: &'static str,
    pub(crate) methods: &'static [&'static str],
    pub(crate) policy: &'static Policy,
    /// The guards of the scopes around the route, outermost first.
    pub(crate) scope_guards: Vec<Rc<dyn Guard>>,
}

/// The routes of one App, in registration order (which is the order its router tries them).
struct AppRoutes {
    /// The App's default service: alive while the App is being built.
    app: Weak<dyn Any>,
    routes: Vec<RegisteredRoute>,
}

/// A [`scope`](super::scope) whose children are registering.
struct OpenScope {
    /// Its full prefix, or `None` when its own parent's is unknown.
    prefix: Option<String>,
    /// Its guards and those of the scopes around it, outermost first.
    guards: Vec<Rc<dyn Guard>>,
    /// The address of the `AppService` its children register with, recorded by its first
    /// child, a marker.
    children: Option<usize>,
}

#[derive(Default)]
struct Registry {
    apps: Vec<AppRoutes>,
    open_scopes: Vec<OpenScope>,
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::default();
}

/// The address that identifies the children of one scope while they register.
fn address(config: &AppService) -> usize {
    std::ptr::from_ref(config) as usize
}

impl Registry {
    /// The prefix and scope guards of a service registering with `config`: the App root, the
    /// innermost open [`scope`](super::scope) if `config` is its children's, or unknown.
    fn enclosing(&self, config: &AppService) -> (Option<String>, Vec<Rc<dyn Guard>>) {
        if config.is_root() {
            return (Some(String::new()), Vec::new());
        }
        match self.open_scopes.last() {
            Some(scope) if scope.children == Some(address(config)) => {
                (scope.prefix.clone(), scope.guards.clone())
            }
            _ => (None, Vec::new()),
        }
    }

    /// The routes of the App `config` belongs to, created on its first route.
    fn app(&mut self, config: &AppService) -> &mut Vec<RegisteredRoute> {
        let app: Rc<dyn Any> = config.default_service();
        self.apps.retain(|known| known.app.strong_count() > 0);
        let index = match self
            .apps
            .iter()
            .position(|known| Weak::ptr_eq(&known.app, &Rc::downgrade(&app)))
        {
            Some(index) => index,
            None => {
                self.apps.push(AppRoutes {
                    app: Rc::downgrade(&app),
                    routes: Vec::new(),
                });
                self.apps.len() - 1
            }
        };
        &mut self.apps[index].routes
    }
}

/// Records a `#[cors]` route registering with `config` at `path` (as its attribute wrote it).
pub(crate) fn record_route(
    config: &AppService,
    path: &'static str,
    methods: &'static [&'static str],
    policy: &'static Policy,
) {
    REGISTRY.with_borrow_mut(|registry| {
        let (prefix, scope_guards) = registry.enclosing(config);
        let pattern = prefix.map(|prefix| join(&prefix, path, config.is_root()));
        registry.app(config).push(RegisteredRoute {
            pattern,
            path,
            methods,
            policy,
            scope_guards,
        });
    });
}

/// The routes of the App registered last on this thread that is still being built, in
/// registration order; empty if it has none.
pub(crate) fn routes_of_current_app() -> Vec<RegisteredRoute> {
    REGISTRY.with_borrow_mut(|registry| {
        registry.apps.retain(|known| known.app.strong_count() > 0);
        registry
            .apps
            .last()
            .map(|app| app.routes.clone())
            .unwrap_or_default()
    })
}

/// A [`scope`](super::scope) registering its children; closed when dropped.
pub(crate) struct ScopeRegistration(());

impl ScopeRegistration {
    /// Opens a scope at `path` (as written) with `guards`, registering with `config`.
    pub(crate) fn open(config: &AppService, path: &str, guards: &[Rc<dyn Guard>]) -> Self {
        REGISTRY.with_borrow_mut(|registry| {
            let (prefix, mut all_guards) = registry.enclosing(config);
            all_guards.extend(guards.iter().cloned());
            registry.open_scopes.push(OpenScope {
                prefix: prefix.map(|prefix| prefix + &with_leading_slash(path)),
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
        REGISTRY.with_borrow_mut(|registry| registry.open_scopes.pop());
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
