//! Origin matching, and the origin rules start-up configuration is checked with: any bytes,
//! no panic; a grant is only ever for an origin the policy covers, echoed byte for byte.
#![no_main]

use cors_runtime::{ActualVerdict, AllowOrigin, OriginHeader};
use cors_runtime_fuzz::{plausibly_granted, policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|origin: &[u8]| {
    match policy().evaluate_actual(OriginHeader::One(origin), b"GET") {
        ActualVerdict::Allowed(allow) => {
            assert!(!matches!(allow, AllowOrigin::Any), "a list never answers *");
            assert_eq!(allow.as_bytes(), origin, "a grant echoes the origin byte for byte");
            assert!(plausibly_granted(origin), "granted {:?}", String::from_utf8_lossy(origin));
        }
        ActualVerdict::Refused(_) => {}
        ActualVerdict::NotCors => unreachable!("an Origin was given"),
    }
    if let Ok(text) = std::str::from_utf8(origin) {
        let _ = cors_runtime::rules::parse_origin(text);
    }
});
