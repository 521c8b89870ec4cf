//! A policy printed as the headers it sends, for reviews, logs and docs.

use std::fmt;

use crate::origin::AllowedOrigins;
use crate::policy::Policy;
use crate::response::{CorsHeaders, OriginToWrite};

/// Shows the policy as the responses it produces for an allowed origin, drawn from the same
/// tables the server sends:
///
/// ```text
/// update_item (src/api.rs:42)
///   origins: "https://app.example.com", "https://*.example.org"
///   preflight from an allowed origin: 204 No Content
///     access-control-allow-origin: <the request's origin>
///     access-control-allow-methods: GET, PUT
///     …
///   actual response to an allowed origin:
///     access-control-allow-origin: <the request's origin>
///     vary: Origin
/// ```
impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} ({})", self.handler(), self.location())?;
        let origin = match self.origins() {
            AllowedOrigins::Any => {
                writeln!(f, "  origins: any")?;
                OriginToWrite::Any
            }
            AllowedOrigins::List(list) => {
                let live = list.live_sets().iter().map(|live| {
                    let len = live.set().len();
                    let noun = if len == 1 { "origin" } else { "origins" };
                    format!("set({}) ({len} {noun} now)", live.name())
                });
                let entries: Vec<String> = list
                    .all_entries()
                    .map(|e| format!("{e:?}"))
                    .chain(live)
                    .collect();
                writeln!(f, "  origins: {}", entries.join(", "))?;
                OriginToWrite::EchoRequest
            }
        };
        writeln!(f, "  preflight from an allowed origin: 204 No Content")?;
        let preflight = self.preflight_answer(Some(origin), None, self.private_network());
        write_headers(f, &preflight)?;
        writeln!(f, "  actual response to an allowed origin:")?;
        write_headers(f, &self.actual_headers_for(Some(origin)))
    }
}

fn write_headers(f: &mut fmt::Formatter<'_>, headers: &CorsHeaders<'_>) -> fmt::Result {
    match headers.allow_origin {
        Some(OriginToWrite::Any) => writeln!(f, "    access-control-allow-origin: *")?,
        Some(OriginToWrite::Listed(value)) => writeln!(
            f,
            "    access-control-allow-origin: {}",
            String::from_utf8_lossy(value.as_bytes())
        )?,
        Some(OriginToWrite::EchoRequest) => {
            writeln!(f, "    access-control-allow-origin: <the request's origin>")?;
        }
        None => {}
    }
    for (name, value) in headers.fixed() {
        writeln!(
            f,
            "    {name}: {}",
            String::from_utf8_lossy(value.as_bytes())
        )?;
    }
    writeln!(
        f,
        "    vary: {}",
        String::from_utf8_lossy(headers.vary.as_bytes())
    )
}
