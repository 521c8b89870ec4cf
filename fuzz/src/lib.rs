//! The policy the fuzz targets judge requests with: the runtime tables the `#[cors]` macro
//! would generate for
//! `origins = ["https://app.example.com", "http://localhost:3000", "https://*.example.org",
//! "http://*.localhost:8080"], methods = [GET, PUT], headers = ["content-type", "x-token"],
//! credentials = true`.

use std::sync::OnceLock;

use cors_runtime::{AllowedHeaders, AllowedOrigins, ExposedHeaders, HeaderTables, OriginList, Policy, PolicyParts};
use http::HeaderValue;

pub const EXACT: [&str; 2] = ["https://app.example.com", "http://localhost:3000"];
pub const HEADERS: [&str; 2] = ["content-type", "x-token"];

fn map<V>(keys: &'static [&'static [u8]], value: impl Fn(&'static [u8]) -> V) -> phf::Map<&'static [u8], V> {
    let state = phf_generator::generate_hash(keys);
    let entries: Vec<(&'static [u8], V)> = state.map.iter().map(|&i| (keys[i], value(keys[i]))).collect();
    phf::Map { key: state.key, disps: Vec::leak(state.disps), entries: Vec::leak(entries) }
}

/// The fixture policy, built once.
pub fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        Policy::from_parts(PolicyParts {
            handler: "fuzz",
            location: "fuzz/src/lib.rs",
            origins: AllowedOrigins::List(OriginList {
                entries: &[],
                exact: map(&[b"https://app.example.com", b"http://localhost:3000"], |k| {
                    HeaderValue::from_bytes(k).expect("valid origin")
                }),
                https_subdomains: phf::Set { map: map(&[b"example.org"], |_| ()) },
                http_subdomains: phf::Set { map: map(&[b"localhost:8080"], |_| ()) },
                configured: None,
            }),
            methods: &["GET", "PUT"],
            headers: AllowedHeaders::List(&HEADERS),
            expose: ExposedHeaders::List(&[]),
            credentials: true,
            private_network: false,
            max_age: 600,
            warned: cors_runtime::diagnostics::WarnedCauses::new(),
            tables: HeaderTables {
                allow_methods: HeaderValue::from_static("GET, PUT"),
                allow_headers: Some(HeaderValue::from_static("content-type, x-token")),
                expose_headers: None,
                max_age: HeaderValue::from_static("600"),
                vary_actual: Some(HeaderValue::from_static("Origin")),
                vary_preflight: HeaderValue::from_static("Origin"),
            },
        })
    })
}

/// Whether `origin` is one a reader can see the fixture grants: listed, or a subdomain of a
/// pattern with the right scheme and port.
pub fn plausibly_granted(origin: &[u8]) -> bool {
    let Ok(origin) = std::str::from_utf8(origin) else { return false };
    EXACT.contains(&origin)
        || origin.strip_prefix("https://").is_some_and(|h| h.ends_with(".example.org") && !h.contains(':'))
        || origin.strip_prefix("http://").is_some_and(|h| h.ends_with(".localhost:8080"))
}
