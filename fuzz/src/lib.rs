//! The policy the fuzz targets judge requests with: the one `#[cors]` would generate for
//! `origins = ["https://app.example.com", "http://localhost:3000", "https://*.example.org",
//! "http://*.localhost:8080"], methods = [GET, PUT], headers = ["content-type", "x-token"],
//! credentials = true`.

use std::sync::OnceLock;

use cors_runtime::key_set::KeySet;
use cors_runtime::{AllowedOrigins, OriginList, Policy, PolicyParts};

pub const EXACT: [&str; 2] = ["https://app.example.com", "http://localhost:3000"];
pub const HEADERS: [&str; 2] = ["content-type", "x-token"];

/// The fixture policy, built once.
pub fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        Policy::from_parts(PolicyParts {
            handler: "fuzz",
            location: "fuzz/src/lib.rs",
            origins: AllowedOrigins::List(OriginList {
                entries: "https://app.example.com http://localhost:3000 https://*.example.org http://*.localhost:8080",
                exact: KeySet::build(&EXACT),
                https_subdomains: KeySet::build(&["example.org"]),
                http_subdomains: KeySet::build(&["localhost:8080"]),
                configured: None,
            }),
            methods: "GET, PUT",
            headers: "content-type, x-token",
            expose: "",
            credentials: true,
            private_network: false,
            max_age: "600",
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
