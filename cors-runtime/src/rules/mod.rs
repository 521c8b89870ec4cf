//! The rules a policy must follow, checked by `#[cors]` at compile time.
//!
//! They live in the runtime crate so that origins read at start-up can be held to exactly the
//! same rules as literals. Each check returns the canonical value or a [`RuleError`] whose
//! message says what is wrong and whose help says the fix.

mod header;
mod method;
mod origin;

pub use header::{check_exposed_header, check_request_header};
pub use method::check_method;
pub use origin::{parse_origin, OriginEntry, Scheme};

use std::fmt;

/// A broken rule: what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// What is wrong, in one line.
    pub message: String,
    /// The fix, with the corrected value where there is one.
    pub help: Option<String>,
}

impl RuleError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}
