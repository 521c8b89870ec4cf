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

/// The hash of the table's paths: foldhash, several times faster than SipHash on short keys
/// (the keys are the App's own route paths; a request can only probe them).
type Fast = foldhash::fast::RandomState;

/// The routes of one App, ready to be looked up.
pub(crate) struct RouteTable {
    /// In registration order.
    routes: Box<[TableRoute]>,
    /// Routes with a static pattern, by path, each list ascending.
    by_static_path: HashMap<Box<str>, Box<[usize]>, Fast>,
    /// Routes with a dynamic pattern, ascending.
    dynamic: Box<[(usize, DynamicPattern)]>,
    /// Positions in `dynamic` of the segment patterns that start with literal segments, by the
    /// text of those (`/api/r19` for `/api/r19/{id}`), each list ascending.
    by_prefix: HashMap<Box<str>, Box<[usize]>, Fast>,
    /// The distinct numbers of segments of those prefixes, ascending.
    prefix_lengths: Box<[usize]>,
    /// Positions in `dynamic` of the other patterns, ascending.
    unindexed: Box<[usize]>,
    barriers: Box<[Barrier]>,
    /// Whether a route has an empty path inside a scope.
    any_empty_in_scope: bool,
}

impl RouteTable {
    /// The table of an App's routes, each with a known full pattern (others are left out).
    pub(crate) fn new(app: AppRoutes) -> Self {
        let mut routes = Vec::new();
        let mut by_static_path: HashMap<Box<str>, Vec<usize>, Fast> = HashMap::default();
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
        let mut by_prefix: HashMap<Box<str>, Vec<usize>, Fast> = HashMap::default();
        let mut prefix_lengths = Vec::new();
        let mut unindexed = Vec::new();
        for (position, (_, pattern)) in dynamic.iter().enumerate() {
            match pattern.literal_prefix() {
                Some((prefix, length)) => {
                    by_prefix.entry(prefix.into()).or_default().push(position);
                    if !prefix_lengths.contains(&length) {
                        prefix_lengths.push(length);
                    }
                }
                None => unindexed.push(position),
            }
        }
        prefix_lengths.sort_unstable();
        let any_empty_in_scope = routes.iter().any(|route: &TableRoute| route.empty_in_scope);
        Self {
            routes: routes.into(),
            by_static_path: by_static_path
                .into_iter()
                .map(|(path, routes)| (path, routes.into()))
                .collect(),
            dynamic: dynamic.into(),
            by_prefix: by_prefix
                .into_iter()
                .map(|(prefix, positions)| (prefix, positions.into()))
                .collect(),
            prefix_lengths: prefix_lengths.into(),
            unindexed: unindexed.into(),
            any_empty_in_scope,
            barriers,
        }
    }

    /// Whether a route has an empty path inside a scope (reached with no path left to route).
    pub(crate) fn has_empty_in_scope(&self) -> bool {
        self.any_empty_in_scope
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
        let first_static = if self.by_static_path.is_empty() {
            None
        } else {
            self.by_static_path
                .get(path)
                .and_then(|routes| routes.iter().copied().find(accepted))
        };
        let mut best = first_static.unwrap_or(usize::MAX);
        if !self.dynamic.is_empty() {
            // The first match of an ascending list of positions in `dynamic`, if before
            // `best`: `skip` leading segments are known to match, `rest` follows them.
            let mut first_of = |positions: &[usize], skip: usize, rest: &str| {
                for &position in positions {
                    let (index, pattern) = &self.dynamic[position];
                    if *index >= best {
                        return;
                    }
                    if pattern.matches_after(skip, rest) && accepted(index) {
                        best = *index;
                        return;
                    }
                }
            };
            for &length in self.prefix_lengths.iter() {
                let Some((prefix, rest)) = split_segments(path, length) else {
                    break;
                };
                if let Some(positions) = self.by_prefix.get(prefix) {
                    first_of(positions, length, rest);
                }
            }
            first_of(&self.unindexed, 0, path);
        }
        let route = self.routes.get(best)?;
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

    /// The text of the literal segments before the first parameter (`/api/r19` for
    /// `/api/r19/{id}`) and their number, if there are at least two (the first is the empty
    /// one before the leading slash).
    fn literal_prefix(&self) -> Option<(String, usize)> {
        let Self::Segments(segments) = self else {
            return None;
        };
        let literals: Vec<&str> = segments
            .iter()
            .map_while(|segment| match segment {
                Segment::Literal(literal) => Some(&**literal),
                Segment::Parameter => None,
            })
            .collect();
        (literals.len() >= 2 && literals.len() < segments.len())
            .then(|| (literals.join("/"), literals.len()))
    }

    #[cfg(test)]
    fn matches(&self, path: &str) -> bool {
        self.matches_after(0, path)
    }

    /// Whether the path matches, its first `skip` segments being known to: `rest` is the path
    /// after them (and after the slash that ends them); the whole path when `skip` is 0.
    fn matches_after(&self, skip: usize, rest: &str) -> bool {
        match self {
            Self::Segments(segments) => {
                // One pass over the path, a segment at a time.
                let segments = &segments[skip..];
                let mut rest = rest;
                let last = segments.len() - 1;
                for (i, segment) in segments.iter().enumerate() {
                    let slash = rest.bytes().position(|b| b == b'/');
                    let part = slash.map_or(rest, |at| &rest[..at]);
                    let matched = match segment {
                        Segment::Literal(literal) => **literal == *part,
                        Segment::Parameter => !part.is_empty(),
                    };
                    match slash {
                        _ if !matched => return false,
                        Some(at) if i < last => rest = &rest[at + 1..],
                        None => return i == last,
                        Some(_) => return false,
                    }
                }
                false
            }
            // Never indexed: `rest` is the whole path.
            Self::Resource(resource) => resource.is_match(rest),
        }
    }
}

/// The first `segments` segments of `path` and what follows their slash (`/api/r19` and `7`
/// of `/api/r19/7` for 3), if more segments follow.
fn split_segments(path: &str, segments: usize) -> Option<(&str, &str)> {
    let mut seen = 0;
    for (at, byte) in path.bytes().enumerate() {
        if byte == b'/' {
            seen += 1;
            if seen == segments {
                return Some((&path[..at], &path[at + 1..]));
            }
        }
    }
    None
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

    /// A table of `patterns`, registered in that order at the App root, each route's policy
    /// named after its pattern.
    fn table(patterns: &[&'static str]) -> RouteTable {
        use super::super::registry::RegisteredRoute;
        use crate::lowering::{Names, OriginListPlan, OriginsPlan, PolicyPlan};
        let routes = patterns
            .iter()
            .enumerate()
            .map(|(order, pattern)| RegisteredRoute {
                placement: Placement::Known((*pattern).to_owned()),
                path: pattern,
                empty_in_scope: false,
                methods: &["GET"],
                policy: PolicyPlan {
                    origins: OriginsPlan::List(OriginListPlan::parse(&[]).unwrap()),
                    methods: vec!["GET".into()],
                    headers: Names::List(vec![]),
                    expose: Names::List(vec![]),
                    credentials: false,
                    private_network: false,
                    max_age: 0,
                }
                .build(pattern),
                scope_guards: Vec::new(),
                route_guards: &[],
                order,
            })
            .collect();
        RouteTable::new(AppRoutes {
            routes,
            scopes: Vec::new(),
        })
    }

    #[test]
    fn the_first_registered_match_wins_as_in_the_router() {
        let patterns = [
            "/a/{x}/c",
            "/a/b",
            "/a/{x}",
            "/{y}/b",
            "/a/b/{z}",
            "/v{n}/q",
            "/a/{x:\\d+}/d",
            "/r1/{id}",
            "/r2/{id}",
            "/r2/{id}/x",
            "/api/r19/{id}",
            "/api/{r}/{id}",
            "/files/{t}*",
            "/a//{x}",
            "",
        ];
        let table = table(&patterns);
        let request = actix_web::test::TestRequest::default().to_srv_request();
        let ctx = request.guard_ctx();
        let paths = [
            "/a/b",
            "/a/b/c",
            "/a/q",
            "/a/q/c",
            "/z/b",
            "/a/b/z",
            "/v2/q",
            "/a/7/d",
            "/r1/7",
            "/r2/7",
            "/r2/7/x",
            "/r2/7/y",
            "/api/r19/7",
            "/api/r20/7",
            "/api/r19/",
            "/files/x/y",
            "/a//q",
            "/",
            "",
            "/a",
            "/nothing/here",
            "/a/%2F/c",
        ];
        for path in paths {
            let expected = patterns
                .iter()
                .find(|pattern| ResourceDef::new(**pattern).is_match(path));
            let found = table
                .find(path, &ctx, |_| true)
                .map(|route| route.policy.handler());
            assert_eq!(found, expected.copied(), "{path}");
        }
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
