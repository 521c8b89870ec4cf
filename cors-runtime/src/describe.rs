//! A policy printed as the headers it sends, for reviews, logs and docs.

use std::fmt;

use crate::origin::AllowedOrigins;
use crate::policy::Policy;
use crate::response::CorsHeaders;
use crate::verdict::{ActualVerdict, AllowOrigin, PreflightVerdict};

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
                AllowOrigin::Any
            }
            AllowedOrigins::List(list) => {
                let entries: Vec<String> = list.all_entries().map(|e| format!("{e:?}")).collect();
                writeln!(f, "  origins: {}", entries.join(", "))?;
                AllowOrigin::Echo(b"<the request's origin>")
            }
        };
        writeln!(f, "  preflight from an allowed origin: 204 No Content")?;
        let preflight = PreflightVerdict::Allowed {
            origin,
            private_network: self.private_network(),
        };
        write_headers(f, &self.preflight_headers(&preflight))?;
        writeln!(f, "  actual response to an allowed origin:")?;
        write_headers(f, &self.actual_headers(&ActualVerdict::Allowed(origin)))
    }
}

fn write_headers(f: &mut fmt::Formatter<'_>, headers: &CorsHeaders<'_, '_>) -> fmt::Result {
    if let Some(origin) = headers.allow_origin {
        writeln!(
            f,
            "    access-control-allow-origin: {}",
            String::from_utf8_lossy(origin.as_bytes())
        )?;
    }
    for (name, value) in headers.fixed() {
        writeln!(
            f,
            "    {name}: {}",
            String::from_utf8_lossy(value.as_bytes())
        )?;
    }
    if let Some(vary) = headers.vary {
        writeln!(f, "    vary: {}", String::from_utf8_lossy(vary.as_bytes()))?;
    }
    Ok(())
}
