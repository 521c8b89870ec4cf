//! Explaining refusals: in logs, with the handler's name, its source location and the policy's
//! own lists, so a developer can tell in seconds why a browser refused a call.

use std::fmt;

use crate::origin::AllowedOrigins;
use crate::policy::{AllowedHeaders, Policy};
use crate::verdict::{Raw, Refusal};

/// The request a refusal was about, as a framework binding saw it.
#[derive(Debug, Clone, Copy)]
pub struct RefusedRequest<'a> {
    /// Whether it was a preflight (then `method` is the requested method).
    pub preflight: bool,
    /// The method, or the preflight's `Access-Control-Request-Method`.
    pub method: &'a [u8],
    /// The request path.
    pub path: &'a str,
    /// The `Origin` header's bytes (empty if absent).
    pub origin: &'a [u8],
}

/// Logs a refusal under the `static_cors` target: at debug level every time, and at warn level
/// the first time each handler refuses for each cause (origin, method, header, malformed), so a
/// misconfiguration shows up in default logs without letting hostile traffic flood them.
///
/// The line reads like:
/// `preflight for PUT /items/7 from https://x.test refused by update_item (src/api.rs:42):
/// header "x-trace" is not in headers = ["content-type", "x-token"]`.
pub fn log_refusal(policy: &Policy, request: RefusedRequest<'_>, refusal: &Refusal<'_>) {
    let level = if policy.first_refusal(refusal.cause()) {
        log::Level::Warn
    } else {
        log::Level::Debug
    };
    if !log::log_enabled!(target: "static_cors", level) {
        return;
    }
    log::log!(
        target: "static_cors",
        level,
        "{}{} {} from {} refused by {} ({}): {}",
        if request.preflight { "preflight for " } else { "" },
        Raw(request.method),
        request.path,
        Raw(request.origin),
        policy.handler(),
        policy.location(),
        refusal.explain(policy),
    );
}

impl<'r> Refusal<'r> {
    /// The refusal with the policy's own list it was checked against, for humans:
    /// `header "x-trace" is not in headers = ["content-type", "x-token"]`.
    #[must_use]
    pub(crate) fn explain<'p>(&'p self, policy: &'p Policy) -> impl fmt::Display + 'p {
        Explained {
            refusal: self,
            policy,
        }
    }
}

struct Explained<'p, 'r> {
    refusal: &'p Refusal<'r>,
    policy: &'p Policy,
}

impl fmt::Display for Explained<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.refusal)?;
        match self.refusal {
            Refusal::OriginNotAllowed(_) => match self.policy.origins() {
                AllowedOrigins::List(list) => {
                    write!(f, " = {:?}", list.all_entries().collect::<Vec<_>>())?;
                    for live in list.live_sets() {
                        write!(f, " or set({})", live.name())?;
                    }
                    Ok(())
                }
                AllowedOrigins::Any => Ok(()),
            },
            Refusal::MethodNotAllowed(_) => write!(f, " = [{}]", self.policy.methods().join(", ")),
            Refusal::HeaderNotAllowed(name) if name.eq_ignore_ascii_case(b"authorization") => {
                match self.policy.headers() {
                    AllowedHeaders::Any => f.write_str(
                        " (`headers = \"*\"` never covers authorization: list the headers)",
                    ),
                    AllowedHeaders::List(list) => write!(f, " = {list:?}"),
                }
            }
            Refusal::HeaderNotAllowed(_) => match self.policy.headers() {
                AllowedHeaders::List(list) => write!(f, " = {list:?}"),
                AllowedHeaders::Any => Ok(()),
            },
            _ => Ok(()),
        }
    }
}
