//! Live origin sets: any text offered to `OriginSet::insert` is either refused with a rule, or
//! is an origin the literal rules accept — after which a policy reading the set grants it
//! (an exact origin: itself; a pattern: a subdomain of it), and after `remove` grants it no
//! more. Never a panic.
#![no_main]

use cors_runtime::origin::{parse_origin, OriginEntry, Scheme};
use cors_runtime::{ActualVerdict, OriginHeader};
use cors_runtime_fuzz::{live_policy, SET};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(entry) = std::str::from_utf8(data) else { return };
    let probe = match SET.insert(entry) {
        Err(error) => {
            assert!(!error.rule().message.is_empty());
            return;
        }
        // Already there: another input put it in; nothing new to check.
        Ok(false) => return,
        Ok(true) => match parse_origin(entry).expect("an entry the set took passes the rules") {
            OriginEntry::Exact { origin, .. } => origin,
            OriginEntry::Subdomains { scheme, domain, suffix } => {
                // A subdomain of a domain of the longest DNS length would be longer than any
                // DNS name: none can match, and none does.
                if domain.len() + 2 > 253 {
                    assert!(SET.remove(entry));
                    return;
                }
                let scheme = if scheme == Scheme::Https { "https" } else { "http" };
                format!("{scheme}://a.{suffix}")
            }
        },
    };
    let granted = |origin: &str| {
        matches!(
            live_policy().evaluate_actual(OriginHeader::One(origin.as_bytes()), b"GET"),
            ActualVerdict::Allowed(_)
        )
    };
    assert!(granted(&probe), "{entry:?} entered the set but {probe:?} is not granted");
    assert!(SET.remove(entry), "{entry:?} is removed as written");
    assert!(!granted(&probe), "{probe:?} is still granted after {entry:?} left the set");
});
