//! The lists and header values of a policy, built once from the texts `#[cors]` checked.
//!
//! Every value wraps a `&'static str`, so cloning one onto a response copies a pointer: no
//! allocation and no reference count.

use http::HeaderValue;

use crate::origin::AllowedOrigins;
use crate::policy::PolicyParts;

/// `Vary` of actual responses: the answer depends on `Origin`.
pub static VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
/// `Vary` of preflight responses.
pub static VARY_PREFLIGHT: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
/// `Vary` of preflight responses of a policy answering Private Network Access.
pub static VARY_PREFLIGHT_PRIVATE_NETWORK: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
);

/// A policy's lists and header values.
#[derive(Debug)]
pub(crate) struct HeaderTables {
    pub methods: Box<[&'static str]>,
    /// Empty for `headers = "*"`, which allows by rule rather than by list.
    pub headers: Box<[&'static str]>,
    /// Empty for `expose = "*"`.
    pub expose: Box<[&'static str]>,
    pub max_age_seconds: u32,
    pub allow_methods: HeaderValue,
    pub allow_headers: Option<HeaderValue>,
    pub expose_headers: Option<HeaderValue>,
    pub max_age: HeaderValue,
    pub vary_preflight: &'static HeaderValue,
    /// The `Access-Control-Allow-Origin` of each exact origin, at the origin's position in
    /// the list's [`KeySet`](crate::key_set::KeySet).
    pub exact_origins: Box<[HeaderValue]>,
}

impl HeaderTables {
    /// The tables of `parts`.
    ///
    /// # Panics
    /// If a text is not a valid header value, which `#[cors]` has ruled out at compile time.
    pub fn build(parts: &PolicyParts) -> Self {
        let exact_origins = match &parts.origins {
            AllowedOrigins::Any => Box::default(),
            AllowedOrigins::List(list) => list.exact.keys().map(HeaderValue::from_static).collect(),
        };
        // `*` is a value, not a name; empty means no header.
        let names = |text: &'static str| split_list(text).filter(|&name| name != "*").collect();
        let optional =
            |text: &'static str| (!text.is_empty()).then(|| HeaderValue::from_static(text));
        Self {
            methods: split_list(parts.methods).collect(),
            headers: names(parts.headers),
            expose: names(parts.expose),
            max_age_seconds: parts.max_age.parse().unwrap_or_default(),
            allow_methods: HeaderValue::from_static(parts.methods),
            allow_headers: optional(parts.headers),
            expose_headers: optional(parts.expose),
            max_age: HeaderValue::from_static(parts.max_age),
            vary_preflight: if parts.private_network {
                &VARY_PREFLIGHT_PRIVATE_NETWORK
            } else {
                &VARY_PREFLIGHT
            },
            exact_origins,
        }
    }
}

/// The items of a header list as `#[cors]` writes it: joined by `", "`.
fn split_list(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.split(", ").filter(|item| !item.is_empty())
}
