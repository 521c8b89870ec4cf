//! The App-level layer's table of `#[cors]` routes: finds the route a request's path and
//! method go to, as actix-web's router would pick it among them, without the router.
//!
//! Static paths are found by one hash probe; dynamic ones are matched segment by segment
//! (`{name}` is any non-empty segment, as in actix-web); only patterns with custom regular
//! expressions or tail segments go through actix-web's own `ResourceDef`. When several routes
//! match, the first registered wins, as in the router — unless a [`scope`](super::scope)
//! registered before it takes the path first: the router never leaves a scope whose prefix
//! matched.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use actix_web::dev::ResourceDef;
use actix_web::guard::{Guard, GuardContext};

use super::registry::{AppRoutes, GuardFn, Placement, RegisteredScope};
use crate::Policy;

/// One `#[cors]` route of the table.
pub(crate) struct TableRoute {
    pub(crate) methods: &'static [&'static str],
    pub(crate) policy: &'static Policy,
    /// Whether it is reached with no path left to route (an empty path inside a scope).
    pub(crate) empty_in_scope: bool,
    scope_guards: Box<[Rc<dyn Guard>]>,
    route_guards: &'static [GuardFn],
    /// Its place in the App's registration order.
    order: usize,
}

impl TableRoute {
    /// Whether the guards of its scopes let the request in.
    pub(crate) fn scope_guards_pass(&self, ctx: &GuardContext<'_>) -> bool {
        self.scope_guards.iter().all(|guard| guard.check(ctx))
    }

    /// Whether its route attribute's guards let an actual request in.
    pub(crate) fn route_guards_pass(&self, ctx: &GuardContext<'_>) -> bool {
        self.route_guards.iter().all(|guard| guard(ctx))
    }
}

/// A scope that takes every path under its prefix from the routes registered after it.
struct Barrier {
    prefix: ResourceDef,
    guards: Box<[Rc<dyn Guard>]>,
    /// The registration order of the scope's last child.
    closed: usize,
}

/// A full path pattern that is not a plain string.
enum DynamicPattern {
    /// `/` separated segments, each a literal or `{name}`.
    Segments(Box<[Segment]>),
    /// Anything else (`{id:\d+}`, `{tail}*`, `{id}.json`): actix-web's own matcher.
    Resource(ResourceDef),
}

enum Segment {
    Literal(Box<str>),
    Parameter,
}

/// The routes of one App, ready to be looked up.
pub(crate) struct RouteTable {
    /// In registration order.
    routes: Box<[TableRoute]>,
    /// Routes with a static pattern, by path, each list ascending.
    by_static_path: HashMap<Box<str>, Box<[usize]>>,
    /// Routes with a dynamic pattern, ascending.
    dynamic: Box<[(usize, DynamicPattern)]>,
    barriers: Box<[Barrier]>,
}

impl RouteTable {
    /// The table of an App's routes, each with a known full pattern (others are left out).
    pub(crate) fn new(app: AppRoutes) -> Self {
        let mut routes = Vec::new();
        let mut by_static_path: HashMap<Box<str>, Vec<usize>> = HashMap::new();
        let mut dynamic = Vec::new();
        for route in app.routes {
            let Placement::Known(pattern) = route.placement else {
                continue;
            };
            let index = routes.len();
            routes.push(TableRoute {
                methods: route.methods,
                policy: route.policy,
                empty_in_scope: route.empty_in_scope,
                scope_guards: route.scope_guards.into(),
                route_guards: route.route_guards,
                order: route.order,
            });
            match DynamicPattern::parse(&pattern) {
                None => by_static_path
                    .entry(pattern.into())
                    .or_default()
                    .push(index),
                Some(pattern) => dynamic.push((index, pattern)),
            }
        }
        let barriers = app
            .scopes
            .into_iter()
            .map(
                |RegisteredScope {
                     prefix,
                     guards,
                     closed,
                     ..
                 }| Barrier {
                    prefix: compiled(&prefix, true),
                    guards: guards.into(),
                    closed,
                },
            )
            .collect();
        Self {
            routes: routes.into(),
            by_static_path: by_static_path
                .into_iter()
                .map(|(path, routes)| (path, routes.into()))
                .collect(),
            dynamic: dynamic.into(),
            barriers,
        }
    }

    /// Whether the App has no `#[cors]` route.
    pub(crate) fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// The route a request for `path` goes to among those `accept` takes: the first
    /// registered whose pattern matches, unless a scope registered before it that `ctx`
    /// enters takes the path.
    pub(crate) fn find(
        &self,
        path: &str,
        ctx: &GuardContext<'_>,
        accept: impl Fn(&TableRoute) -> bool,
    ) -> Option<&TableRoute> {
        let accepted = |&index: &usize| accept(&self.routes[index]);
        let first_static = self
            .by_static_path
            .get(path)
            .and_then(|routes| routes.iter().copied().find(accepted));
        let before = first_static.unwrap_or(usize::MAX);
        let index = self
            .dynamic
            .iter()
            .take_while(|(index, _)| *index < before)
            .find(|(index, pattern)| pattern.matches(path) && accepted(index))
            .map(|(index, _)| *index)
            .or(first_static)?;
        let route = &self.routes[index];
        let hidden = self.barriers.iter().any(|barrier| {
            barrier.closed < route.order
                && barrier.prefix.is_match(path)
                && barrier.guards.iter().all(|guard| guard.check(ctx))
        });
        (!hidden).then_some(route)
    }
}

/// `pattern` compiled by actix-web (as a prefix, for a scope), once per thread: actix-web
/// keeps every pattern it compiles for the life of the program.
fn compiled(pattern: &str, prefix: bool) -> ResourceDef {
    thread_local! {
        static COMPILED: RefCell<HashMap<(String, bool), ResourceDef>> = RefCell::default();
    }
    COMPILED.with_borrow_mut(|compiled| {
        compiled
            .entry((pattern.to_owned(), prefix))
            .or_insert_with(|| match prefix {
                true => ResourceDef::prefix(pattern),
                false => ResourceDef::new(pattern),
            })
            .clone()
    })
}

impl DynamicPattern {
    /// `None` for a static pattern: one actix-web compares as a plain string.
    fn parse(pattern: &str) -> Option<Self> {
        if !pattern.contains(['{', '}']) && !pattern.ends_with('*') {
            return None;
        }
        let segments: Option<Box<[Segment]>> = pattern
            .split('/')
            .map(
                |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if is_plain_parameter(name) => Some(Segment::Parameter),
                    Some(_) => None,
                    None if segment.contains(['{', '}', '*']) => None,
                    None => Some(Segment::Literal(segment.into())),
                },
            )
            .collect();
        Some(match segments {
            Some(segments) if !pattern.ends_with('*') => Self::Segments(segments),
            _ => Self::Resource(compiled(pattern, false)),
        })
    }

    fn matches(&self, path: &str) -> bool {
        match self {
            Self::Segments(segments) => {
                let mut parts = path.split('/');
                segments
                    .iter()
                    .all(|segment| match (segment, parts.next()) {
                        (Segment::Literal(literal), Some(part)) => **literal == *part,
                        (Segment::Parameter, Some(part)) => !part.is_empty(),
                        (_, None) => false,
                    })
                    && parts.next().is_none()
            }
            Self::Resource(resource) => resource.is_match(path),
        }
    }
}

/// `name` in `{name}`: a parameter matching one whole segment, with no regular expression.
fn is_plain_parameter(name: &str) -> bool {
    !name.is_empty() && !name.contains([':', '{', '}', '*'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        let ours = match DynamicPattern::parse(pattern) {
            Some(dynamic) => dynamic.matches(path),
            None => pattern == path,
        };
        assert_eq!(
            ours,
            ResourceDef::new(pattern).is_match(path),
            "{pattern} against {path}: actix-web disagrees"
        );
        ours
    }

    #[test]
    fn patterns_match_as_actix_web_matches_them() {
        let paths = [
            "",
            "/",
            "/items",
            "/items/",
            "/items/7",
            "/items/7/",
            "/items//",
            "/items/7/x",
            "/api/items/7",
            "/api//items/7",
            "/items/abc.json",
            "/items/%2F",
            "/files/a/b/c",
            "/v2/items/7",
            "/items/42",
            "/star",
            "/star*",
            "/star%2A",
        ];
        let patterns = [
            "/items",
            "/items/",
            "/items/{id}",
            "/items/{id}/",
            "/{scope}/items/{id}",
            "/api//items/{id}",
            "/items/{id:\\d+}",
            "/items/{id}.json",
            "/files/{tail}*",
            "/v{version}/items/{id}",
            "",
            "/star*",
        ];
        let mut matched = 0;
        for pattern in patterns {
            for path in paths {
                matched += usize::from(matches(pattern, path));
            }
        }
        assert!(matched > 10, "the cases exercise matches, not only misses");
    }
}
