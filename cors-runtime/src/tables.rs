//! The lists and header values of a policy, built once from the parts `#[cors]` checked.
//!
//! Every value wraps a `&'static str`, so cloning one onto a response copies a pointer: no
//! allocation and no reference count.

use http::HeaderValue;

use crate::origin::AllowedOrigins;
use crate::parts::{HeaderList, PolicyParts};

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
    /// If a text is not a valid header value, which `#[cors]` has ruled out at compile time;
    /// or if the exact origins' set finds an origin at another position than its own, which
    /// would answer it with another origin's value.
    pub fn build(parts: &PolicyParts) -> Self {
        let exact_origins = match &parts.origins {
            AllowedOrigins::Any => Box::default(),
            AllowedOrigins::List(list) => {
                // Checked once, here, so that every lookup can trust the position it gets.
                let exact = list.exact();
                for (i, origin) in exact.keys().enumerate() {
                    assert_eq!(
                        exact.position(origin.as_bytes()),
                        Some(i),
                        "exact origin \"{origin}\" is not found at its own position {i} in the \
                         policy's origin set: it would be answered with another origin's value"
                    );
                }
                exact.keys().map(HeaderValue::from_static).collect()
            }
        };
        // `*` allows by rule, not by list; no names means no header.
        let names = |list: HeaderList| match list {
            HeaderList::Any => Box::default(),
            HeaderList::Names(text) => split_list(text).collect(),
        };
        let value = |list: HeaderList| match list {
            HeaderList::Any => Some(HeaderValue::from_static("*")),
            HeaderList::Names("") => None,
            HeaderList::Names(text) => Some(HeaderValue::from_static(text)),
        };
        Self {
            methods: split_list(parts.methods).collect(),
            headers: names(parts.headers),
            expose: names(parts.expose),
            allow_methods: HeaderValue::from_static(parts.methods),
            allow_headers: value(parts.headers),
            expose_headers: value(parts.expose),
            // Once per policy, for the life of the program, as the policy `static` itself:
            // a `'static` text keeps every copy onto a response free.
            max_age: HeaderValue::from_static(String::leak(parts.max_age.to_string())),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key_set::KeySet;
    use crate::origin::OriginList;

    fn parts(exact: KeySet) -> PolicyParts {
        PolicyParts {
            handler: "tables",
            location: "tables.rs",
            origins: AllowedOrigins::List(OriginList::new(
                "",
                exact,
                KeySet::EMPTY,
                KeySet::EMPTY,
                None,
                &[],
            )),
            methods: "GET",
            headers: HeaderList::Names(""),
            expose: HeaderList::Names(""),
            credentials: false,
            private_network: false,
            max_age: 600,
        }
    }

    #[test]
    fn max_age_is_sent_as_decimal_seconds() {
        let tables = HeaderTables::build(&parts(KeySet::one("https://a.test")));
        assert_eq!(tables.max_age, "600");
    }

    #[test]
    fn each_exact_origin_answers_with_its_own_value() {
        let origins = [
            "https://a.test",
            "https://b.test",
            "http://c.test:8080",
            "https://d.test",
            "https://e.test",
            "http://f.test",
        ];
        let tables = HeaderTables::build(&parts(KeySet::build(&origins)));
        let values: Vec<_> = tables
            .exact_origins
            .iter()
            .map(HeaderValue::as_bytes)
            .collect();
        assert_eq!(values, origins.map(str::as_bytes));
    }

    #[test]
    #[should_panic(expected = "\"https://a.test\"")]
    fn an_exact_origin_found_at_another_position_is_refused_at_registration() {
        // Listed twice, the second entry is found at the first one's position.
        let exact = KeySet::scanned("https://a.test https://a.test");
        let _ = HeaderTables::build(&parts(exact));
    }

    #[test]
    #[should_panic(expected = "\"https://a.test\"")]
    fn a_hash_index_pointing_at_another_origin_is_refused_at_registration() {
        let keys = [
            "https://a.test",
            "https://b.test",
            "https://c.test",
            "https://d.test",
            "https://e.test",
            "https://f.test",
        ];
        let bytes = keys.map(str::as_bytes);
        let state = phf_generator::generate_hash(&bytes);
        // Every key found one position on: each would answer with the next origin's value.
        let entries = state
            .map
            .iter()
            .map(|&i| (bytes[i], ((i + 1) % keys.len()) as u32));
        let index = phf::Map {
            key: state.key,
            disps: Vec::leak(state.disps),
            entries: Vec::leak(entries.collect()),
        };
        let joined = String::leak(keys.join(" "));
        let _ = HeaderTables::build(&parts(KeySet::hashed(joined, index)));
    }
}
