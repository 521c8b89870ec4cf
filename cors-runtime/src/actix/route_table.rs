//! The App-level layer's table of `#[cors]` routes: finds the route a request's path and
//! method go to, as actix-web's router would pick it among them, without the router.
//!
//! Static paths are found by one hash probe; dynamic ones are matched segment by segment
//! (`{name}` is any non-empty segment, as in actix-web); only patterns with custom regular
//! expressions or tail segments go through actix-web's own `ResourceDef`. When several routes
//! match, the first registered wins, as in the router.

use std::collections::HashMap;
use std::rc::Rc;

use actix_web::dev::{ResourceDef, ServiceRequest};
use actix_web::guard::Guard;
use actix_web::http::header::HeaderValue;

use super::answer::names_one_of;
use super::registry::RegisteredRoute;
use crate::Policy;

/// One `#[cors]` route of the table.
pub(crate) struct TableRoute {
    pub(crate) methods: &'static [&'static str],
    pub(crate) policy: &'static Policy,
    scope_guards: Box<[Rc<dyn Guard>]>,
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
}

impl RouteTable {
    /// The table of `routes`, each with a known full pattern.
    pub(crate) fn new(routes: impl IntoIterator<Item = (String, RegisteredRoute)>) -> Self {
        let mut table_routes = Vec::new();
        let mut by_static_path: HashMap<Box<str>, Vec<usize>> = HashMap::new();
        let mut dynamic = Vec::new();
        for (index, (pattern, route)) in routes.into_iter().enumerate() {
            table_routes.push(TableRoute {
                methods: route.methods,
                policy: route.policy,
                scope_guards: route.scope_guards.into(),
            });
            match DynamicPattern::parse(&pattern) {
                None => by_static_path
                    .entry(pattern.into())
                    .or_default()
                    .push(index),
                Some(pattern) => dynamic.push((index, pattern)),
            }
        }
        Self {
            routes: table_routes.into(),
            by_static_path: by_static_path
                .into_iter()
                .map(|(path, routes)| (path, routes.into()))
                .collect(),
            dynamic: dynamic.into(),
        }
    }

    /// Whether the App has no `#[cors]` route.
    pub(crate) fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// The route a preflight asking for `requested` goes to: the first whose path matches,
    /// which serves that method (in any case, as the route's guard admits it) and whose scope
    /// guards let the request in.
    pub(crate) fn preflight_route(
        &self,
        req: &ServiceRequest,
        requested: &HeaderValue,
    ) -> Option<&TableRoute> {
        let ctx = req.guard_ctx();
        self.find(req.match_info().as_str(), |route| {
            names_one_of(requested, route.methods)
                && route.scope_guards.iter().all(|guard| guard.check(&ctx))
        })
    }

    /// The route an actual request for `method` on `path` goes to, judged on path and method
    /// alone (what a response made before routing still tells).
    pub(crate) fn actual_route(&self, path: &str, method: &str) -> Option<&TableRoute> {
        self.find(path, |route| route.methods.contains(&method))
    }

    /// The first route, in registration order, matching `path` and accepted by `accept`.
    fn find(&self, path: &str, accept: impl Fn(&TableRoute) -> bool) -> Option<&TableRoute> {
        let accepted = |&index: &usize| accept(&self.routes[index]);
        let first_static = self
            .by_static_path
            .get(path)
            .and_then(|routes| routes.iter().copied().find(accepted));
        let before = first_static.unwrap_or(usize::MAX);
        self.dynamic
            .iter()
            .take_while(|(index, _)| *index < before)
            .find(|(index, pattern)| pattern.matches(path) && accepted(index))
            .map(|(index, _)| *index)
            .or(first_static)
            .map(|index| &self.routes[index])
    }
}

impl DynamicPattern {
    /// `None` for a static pattern.
    fn parse(pattern: &str) -> Option<Self> {
        if !pattern.contains(['{', '}']) {
            return None;
        }
        let segments: Option<Box<[Segment]>> = pattern
            .split('/')
            .map(
                |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if is_plain_parameter(name) => Some(Segment::Parameter),
                    Some(_) => None,
                    None if segment.contains(['{', '}']) => None,
                    None => Some(Segment::Literal(segment.into())),
                },
            )
            .collect();
        Some(match segments {
            Some(segments) => Self::Segments(segments),
            None => Self::Resource(ResourceDef::new(pattern)),
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
