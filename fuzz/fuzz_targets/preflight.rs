//! Full preflight evaluation: the input is split on `\n` into the Origin, the requested method
//! and any number of `Access-Control-Request-Headers` lines. No panic; a granted preflight is
//! only ever for a covered origin, an allowed method and listed headers.
#![no_main]

use cors_runtime::{OriginHeader, PreflightVerdict};
use cors_runtime_fuzz::{plausibly_granted, policy, HEADERS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == b'\n');
    let origin = parts.next().unwrap_or_default();
    let method = parts.next().unwrap_or_default();
    let lines: Vec<&[u8]> = parts.collect();
    let verdict = policy().evaluate_preflight(OriginHeader::One(origin), method, lines.iter().copied(), true);
    let headers = policy().preflight_headers(&verdict);
    if let PreflightVerdict::Allowed { origin: allow, private_network } = verdict {
        assert!(!private_network, "the fixture does not allow private network access");
        assert_eq!(allow.as_bytes(), origin);
        assert!(plausibly_granted(origin));
        assert!(method == b"GET" || method == b"PUT");
        for name in lines.iter().flat_map(|l| l.split(|&b| b == b',')) {
            let name = name.trim_ascii();
            assert!(name.is_empty() || HEADERS.iter().any(|h| h.as_bytes().eq_ignore_ascii_case(name)));
        }
        assert!(headers.allow_origin.is_some());
    }
});
