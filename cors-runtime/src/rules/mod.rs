//! The rules a policy must follow, checked by `#[cors]` at compile time and, for origins read
//! at start-up, when the app is built: the same checks, so the same words.
//!
//! Each check returns the canonical value or a [`RuleError`] whose message says what is wrong
//! and whose help says the fix. The origin rules live with the rest of the origin code
//! ([`crate::origin`]) and are re-exported here.

mod header;
mod method;

pub use crate::error::RuleError;
pub use crate::origin::{check_credentials, parse_origin, CredentialsRule, OriginEntry, Scheme};
pub use header::{check_exposed_header, check_request_header};
pub use method::check_method;
