//! Origins read at start-up — from an environment variable or a function — next to the
//! literal ones. They are checked by the same rules as literals when the app is built (the
//! first registration of the handler), which fails fast with a message naming the source, the
//! entry and the fix; afterwards lookups are hash probes with no allocation.

use std::fmt;
use std::sync::OnceLock;

use super::entry::CredentialsRule;
use super::set::CheckedOrigins;
use crate::error::RuleError;

/// Where configured origins come from.
#[derive(Clone, Copy)]
pub enum OriginSource {
    /// A comma-separated list in an environment variable: `env("APP_CORS_ORIGINS")`.
    Env(&'static str),
    /// A function returning the list: `config(app::cors_origins)`, named for messages.
    Function(fn() -> Vec<String>, &'static str),
    /// A live `OriginSet`: `set(TENANT_ORIGINS)`, named for messages.
    Set(&'static str),
}

impl fmt::Debug for OriginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env(name) => write!(f, "env({name:?})"),
            Self::Function(_, name) => write!(f, "config({name})"),
            Self::Set(name) => write!(f, "set({name})"),
        }
    }
}

impl fmt::Display for OriginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env(name) => write!(f, "environment variable {name}"),
            Self::Function(_, name) => write!(f, "function {name}()"),
            Self::Set(name) => write!(f, "set({name})"),
        }
    }
}

/// The configured part of a policy's origins.
#[derive(Debug)]
pub struct ConfiguredOrigins {
    sources: &'static [OriginSource],
    rule: CredentialsRule,
    table: OnceLock<CheckedOrigins>,
}

/// A configured origin that breaks a rule, or a source that cannot be read.
///
/// ```
/// use actix_web::{get, HttpResponse, Responder};
/// use static_cors::{cors, ConfigProblem};
///
/// fn origins() -> [&'static str; 2] {
///     ["https://app.example.com", "HTTPS://Partner.example.net"]
/// }
///
/// #[cors(origins = config(origins))]
/// #[get("/items")]
/// async fn items() -> impl Responder {
///     HttpResponse::Ok()
/// }
///
/// let error = items::cors_policy().load_configured().unwrap_err();
/// assert_eq!(error.handler(), "items");
/// assert_eq!(error.sources()[0].to_string(), "function origins()");
/// assert_eq!(error.entry(), Some("HTTPS://Partner.example.net"));
/// let ConfigProblem::Entry { rule, .. } = error.problem() else { unreachable!() };
/// assert_eq!(rule.help.as_deref(), Some("write \"https://Partner.example.net\""));
/// ```
#[derive(Debug, Clone)]
pub struct ConfigError {
    handler: &'static str,
    sources: &'static [OriginSource],
    problem: ConfigProblem,
}

/// What is wrong with a policy's configured origins.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// An `env(..)` variable is not set.
    VariableUnset,
    /// An `env(..)` variable is not valid UTF-8.
    VariableNotUnicode,
    /// The sources hold no origin, and the attribute lists none either: no origin could call
    /// the handler.
    NoOrigin,
    /// A set declared `OriginSet::allowing_insecure_http()` backs a policy with credentials
    /// that does not allow insecure http: the set would get around the policy's rule.
    InsecureSet,
    /// An entry breaks a rule of literal origins (the same words as the compile error).
    Entry {
        /// The entry, as read.
        entry: String,
        /// The rule it breaks, and the fix.
        rule: RuleError,
    },
}

impl ConfigError {
    /// `problem` with the origins of `handler`'s policy from `sources`.
    pub(crate) fn new(
        handler: &'static str,
        sources: &'static [OriginSource],
        problem: ConfigProblem,
    ) -> Self {
        Self {
            handler,
            sources,
            problem,
        }
    }

    /// The handler whose policy reads the sources.
    #[must_use]
    pub fn handler(&self) -> &'static str {
        self.handler
    }

    /// The source at fault; every source of the policy for [`ConfigProblem::NoOrigin`].
    #[must_use]
    pub fn sources(&self) -> &'static [OriginSource] {
        self.sources
    }

    /// What is wrong.
    #[must_use]
    pub fn problem(&self) -> &ConfigProblem {
        &self.problem
    }

    /// The entry at fault, as read; `None` when a source itself is at fault.
    #[must_use]
    pub fn entry(&self) -> Option<&str> {
        match &self.problem {
            ConfigProblem::Entry { entry, .. } => Some(entry),
            _ => None,
        }
    }

    /// What is wrong and how to fix it, in words.
    #[must_use]
    pub fn rule(&self) -> RuleError {
        match &self.problem {
            ConfigProblem::Entry { rule, .. } => rule.clone(),
            ConfigProblem::NoOrigin => RuleError::new(
                "no origin configured: no origin could call this handler",
            )
            .help("configure at least one origin, e.g. APP_CORS_ORIGINS=https://app.example.com"),
            ConfigProblem::InsecureSet => RuleError::new(
                "the set takes plain-http origins, but the policy has `credentials = true` without `allow_insecure_http = true`",
            )
            .help("declare the set with `OriginSet::new()`, or add `allow_insecure_http = true` to the policy if you accept the risk"),
            ConfigProblem::VariableNotUnicode => RuleError::new("the variable is not valid UTF-8")
                .help("origins are ASCII; write hosts in their punycode form"),
            ConfigProblem::VariableUnset => {
                let name = match self.sources.first() {
                    Some(OriginSource::Env(name)) => name,
                    _ => "VAR",
                };
                RuleError::new("the variable is not set").help(format!(
                    "set {name} to a comma-separated list of origins, e.g. {name}=https://app.example.com,https://*.example.org (empty for none)"
                ))
            }
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sources: Vec<String> = self.sources.iter().map(ToString::to_string).collect();
        write!(
            f,
            "CORS origins of `{}` from {}: ",
            self.handler,
            sources.join(" and ")
        )?;
        if let Some(entry) = self.entry() {
            write!(f, "entry {entry:?}: ")?;
        }
        write!(f, "{}", self.rule())
    }
}

impl std::error::Error for ConfigError {}

/// What a `config(...)` function may return: any list of strings — `Vec<String>`,
/// `Vec<&str>`, an array, an iterator.
#[diagnostic::on_unimplemented(
    message = "a `config(...)` function must return a list of origins, not `{Self}`",
    label = "this function returns `{Self}`",
    note = "return e.g. `Vec<String>`, `Vec<&'static str>` or `[&'static str; N]`"
)]
pub trait OriginStrings {
    /// The entries, owned.
    fn into_entries(self) -> Vec<String>;
}

impl<I> OriginStrings for I
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    fn into_entries(self) -> Vec<String> {
        self.into_iter().map(|o| o.as_ref().to_owned()).collect()
    }
}

/// Turns what a `config(...)` function returns into the entries to check. Called by
/// generated code.
#[doc(hidden)]
pub fn collect_origins(list: impl OriginStrings) -> Vec<String> {
    list.into_entries()
}

impl ConfiguredOrigins {
    /// Sources to read when the app is built, checked with the policy's credentials rules.
    #[must_use]
    pub const fn new(
        sources: &'static [OriginSource],
        credentials: bool,
        allow_insecure_http: bool,
    ) -> Self {
        Self {
            sources,
            rule: CredentialsRule {
                credentials,
                allow_insecure_http,
            },
            table: OnceLock::new(),
        }
    }

    /// Reads and checks every source once; later calls succeed without reading again.
    /// `has_literals` says whether the policy also lists origins in the attribute, so that a
    /// policy left with no origin at all is refused.
    ///
    /// # Errors
    /// The first entry that breaks a rule, a source that cannot be read, or no origin at all.
    pub fn load(&self, handler: &'static str, has_literals: bool) -> Result<(), ConfigError> {
        if self.table.get().is_some() {
            return Ok(());
        }
        let table = self.read(handler)?;
        if table.len() == 0 && !has_literals {
            return Err(ConfigError::new(
                handler,
                self.sources,
                ConfigProblem::NoOrigin,
            ));
        }
        let _ = self.table.set(table);
        Ok(())
    }

    fn read(&self, handler: &'static str) -> Result<CheckedOrigins, ConfigError> {
        let mut table = CheckedOrigins::default();
        for source in self.sources {
            let error = |problem| ConfigError::new(handler, std::slice::from_ref(source), problem);
            let entries = match source {
                OriginSource::Env(name) => match std::env::var(name) {
                    Ok(value) => value
                        .split(',')
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    Err(std::env::VarError::NotPresent) => {
                        return Err(error(ConfigProblem::VariableUnset))
                    }
                    Err(std::env::VarError::NotUnicode(_)) => {
                        return Err(error(ConfigProblem::VariableNotUnicode))
                    }
                },
                OriginSource::Function(read, _) => read(),
                // A live set is read by every request, never loaded here.
                OriginSource::Set(_) => Vec::new(),
            };
            for entry in entries {
                if let Err(rule) = table.insert(&entry, self.rule) {
                    return Err(error(ConfigProblem::Entry { entry, rule }));
                }
            }
        }
        Ok(table)
    }

    /// The loaded entries, as read (empty before loading).
    pub fn entries(&self) -> &[String] {
        self.table.get().map_or(&[], CheckedOrigins::entries)
    }

    /// The loaded origins (none before loading).
    pub(crate) fn origins(&self) -> Option<&CheckedOrigins> {
        self.table.get()
    }
}
