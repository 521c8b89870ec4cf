//! The policy the fuzz targets judge requests with: the one `#[cors]` would generate for
//! `origins = ["https://app.example.com", "http://localhost:3000", "https://*.example.org",
//! "http://*.localhost:8080"], methods = [GET, PUT], headers = ["content-type", "x-token"],
//! credentials = true`.

use std::sync::OnceLock;

use cors_runtime::lowering::{Names, OriginListPlan, OriginsPlan, PolicyPlan};
use cors_runtime::origin::{LiveSet, OriginSet};
use cors_runtime::Policy;

pub const EXACT: [&str; 2] = ["https://app.example.com", "http://localhost:3000"];
pub const PATTERNS: [&str; 2] = ["https://*.example.org", "http://*.localhost:8080"];
pub const HEADERS: [&str; 2] = ["content-type", "x-token"];

/// The fixture policy, built once through the macro's own lowering.
pub fn policy() -> &'static Policy {
    static POLICY: OnceLock<&'static Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let entries: Vec<&str> = EXACT.iter().chain(&PATTERNS).copied().collect();
        PolicyPlan {
            origins: OriginsPlan::List(OriginListPlan::parse(&entries).expect("the fixture's origins are valid")),
            methods: vec!["GET".into(), "PUT".into()],
            headers: Names::List(HEADERS.map(String::from).to_vec()),
            expose: Names::List(Vec::new()),
            credentials: true,
            private_network: false,
            max_age: 600,
        }
        .build("fuzz")
    })
}

/// The live set of [`live_policy`].
pub static SET: OriginSet = OriginSet::new();

/// A policy whose only origins are those of [`SET`], built through the macro's lowering.
pub fn live_policy() -> &'static Policy {
    static POLICY: OnceLock<&'static Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        static LIVE: [LiveSet; 1] = [LiveSet::new(&SET, "SET", true)];
        PolicyPlan {
            origins: OriginsPlan::List(OriginListPlan::parse(&[]).expect("no literal")),
            methods: vec!["GET".into()],
            headers: Names::List(Vec::new()),
            expose: Names::List(Vec::new()),
            credentials: true,
            private_network: false,
            max_age: 600,
        }
        .build_with_sets("fuzz", &LIVE)
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
