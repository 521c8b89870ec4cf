//! `Access-Control-Request-Headers` parsing: any bytes as one or more field lines (split on
//! `\n`), no panic, every name yielded is a non-empty token, and the walk ends.
#![no_main]

use cors_runtime::header_list::RequestedHeaders;
use cors_runtime::token::is_token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.split(|&b| b == b'\n');
    let mut names = 0usize;
    for name in RequestedHeaders::new(lines) {
        match name {
            Ok(name) => {
                assert!(is_token(name), "yielded a non-token {name:?}");
                names += 1;
                assert!(names <= data.len(), "more names than bytes");
            }
            Err(_) => {}
        }
    }
});
