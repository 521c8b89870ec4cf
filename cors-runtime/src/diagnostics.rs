//! Explaining refusals: in logs, with the handler's name, its source location and the policy's
//! own lists, so a developer can tell in seconds why a browser refused a call.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::policy::{AllowedHeaders, Policy};
use crate::verdict::{Cause, Refusal};
use crate::AllowedOrigins;

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

/// One bit per [`Cause`], set once that cause has been logged at warn level.
#[derive(Debug, Default)]
#[doc(hidden)]
pub struct WarnedCauses(AtomicU8);

impl WarnedCauses {
    /// None warned yet.
    #[must_use]
    pub const fn new() -> Self {
        Self(AtomicU8::new(0))
    }

    /// Marks `cause` as warned; true if it was not before.
    fn first(&self, cause: Cause) -> bool {
        let bit = 1 << (cause as u8);
        self.0.fetch_or(bit, Ordering::Relaxed) & bit == 0
    }
}

impl Policy {
    pub(crate) fn first_refusal(&self, cause: Cause) -> bool {
        self.warned().first(cause)
    }
}

impl<'r> Refusal<'r> {
    /// The refusal with the policy's own list it was checked against, for humans:
    /// `header "x-trace" is not in headers = ["content-type", "x-token"]`.
    #[must_use]
    pub fn explain<'p>(&'p self, policy: &'p Policy) -> impl fmt::Display + 'p {
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
                    write!(f, " = {:?}", list.all_entries().collect::<Vec<_>>())
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

/// Request bytes in a log line: printable ASCII as is, the rest escaped, cut at 200 bytes so a
/// hostile 10 KB header cannot flood the log.
pub(crate) struct Raw<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Raw<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 200;
        let shown = self.0.get(..SHOWN).unwrap_or(self.0);
        write!(f, "{}", shown.escape_ascii())?;
        if self.0.len() > SHOWN {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}
