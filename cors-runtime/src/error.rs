//! [`RuleError`]: a broken policy rule, shared by every check (origins, methods, headers).

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
