//! Origins read at start-up — from an environment variable or a function — next to the
//! literal ones. They are checked by the same rules as literals when the app is built (the
//! first registration of the handler), which fails fast with a message naming the source, the
//! entry and the fix; afterwards lookups are hash probes with no allocation.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use http::HeaderValue;

use crate::rules::{self, OriginEntry, Scheme};
use crate::Policy;

/// Where configured origins come from.
#[derive(Clone, Copy)]
pub enum OriginSource {
    /// A comma-separated list in an environment variable: `env("APP_CORS_ORIGINS")`.
    Env(&'static str),
    /// A function returning the list: `config(app::cors_origins)`, named for messages.
    Function(fn() -> Vec<String>, &'static str),
}

impl fmt::Debug for OriginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env(name) => write!(f, "env({name:?})"),
            Self::Function(_, name) => write!(f, "config({name})"),
        }
    }
}

impl fmt::Display for OriginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env(name) => write!(f, "environment variable {name}"),
            Self::Function(_, name) => write!(f, "function {name}()"),
        }
    }
}

/// The configured part of a policy's origins.
#[derive(Debug)]
pub struct ConfiguredOrigins {
    sources: &'static [OriginSource],
    credentials: bool,
    allow_insecure_http: bool,
    table: OnceLock<Table>,
}

#[derive(Debug, Default)]
struct Table {
    entries: Vec<String>,
    exact: HashMap<Box<[u8]>, HeaderValue>,
    https_subdomains: HashSet<Box<[u8]>>,
    http_subdomains: HashSet<Box<[u8]>>,
}

/// A configured origin that breaks a rule, or a source that cannot be read.
///
/// ```
/// use actix_web::{get, HttpResponse, Responder};
/// use static_cors::cors;
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
/// assert_eq!(error.handler, "items");
/// assert_eq!(error.source, "function origins()");
/// assert_eq!(error.entry.as_deref(), Some("HTTPS://Partner.example.net"));
/// assert_eq!(error.rule.help.as_deref(), Some("write \"https://Partner.example.net\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The handler whose policy reads the source.
    pub handler: &'static str,
    /// The source, e.g. `environment variable APP_CORS_ORIGINS`.
    pub source: String,
    /// The entry at fault, as read; `None` when the source itself is at fault.
    pub entry: Option<String>,
    /// What is wrong and how to fix it.
    pub rule: rules::RuleError,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CORS origins of `{}` from {}: ",
            self.handler, self.source
        )?;
        if let Some(entry) = &self.entry {
            write!(f, "entry {entry:?}: ")?;
        }
        write!(f, "{}", self.rule)
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

/// Loads a policy's configured origins when its handler is registered, and stops the app
/// with the reason if one is wrong. Called by generated code.
///
/// # Panics
/// When [`Policy::load_configured`] fails, with its message.
#[doc(hidden)]
pub fn load_configured_or_panic(policy: &Policy) {
    if let Err(error) = policy.load_configured() {
        panic!("static-cors: {error}");
    }
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
            credentials,
            allow_insecure_http,
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
        if table.entries.is_empty() && !has_literals {
            let names: Vec<String> = self.sources.iter().map(ToString::to_string).collect();
            return Err(ConfigError {
                handler,
                source: names.join(" and "),
                entry: None,
                rule: rules::RuleError {
                    message: "no origin configured: no origin could call this handler".into(),
                    help: Some("configure at least one origin, e.g. APP_CORS_ORIGINS=https://app.example.com".into()),
                },
            });
        }
        let _ = self.table.set(table);
        Ok(())
    }

    fn read(&self, handler: &'static str) -> Result<Table, ConfigError> {
        let mut table = Table::default();
        for source in self.sources {
            let error = |entry: Option<&str>, rule| ConfigError {
                handler,
                source: source.to_string(),
                entry: entry.map(str::to_owned),
                rule,
            };
            let entries = match source {
                OriginSource::Env(name) => match std::env::var(name) {
                    Ok(value) => value
                        .split(',')
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    Err(std::env::VarError::NotPresent) => {
                        return Err(error(
                            None,
                            rules::RuleError {
                                message: "the variable is not set".into(),
                                help: Some(format!("set {name} to a comma-separated list of origins, e.g. {name}=https://app.example.com,https://*.example.org (empty for none)")),
                            },
                        ))
                    }
                    Err(std::env::VarError::NotUnicode(_)) => {
                        return Err(error(
                            None,
                            rules::RuleError {
                                message: "the variable is not valid UTF-8".into(),
                                help: Some("origins are ASCII; write hosts in their punycode form".into()),
                            },
                        ))
                    }
                },
                OriginSource::Function(read, _) => read(),
            };
            for entry in entries {
                self.add(&mut table, &entry)
                    .map_err(|rule| error(Some(&entry), rule))?;
                table.entries.push(entry);
            }
        }
        Ok(table)
    }

    /// Checks one entry by the rules of literal origins and adds it to `table`.
    fn add(&self, table: &mut Table, entry: &str) -> Result<(), rules::RuleError> {
        if entry == "*" {
            return Err(rules::RuleError {
                message: "`*` cannot come from configuration".into(),
                help: Some("write `origins = \"*\"` in the attribute if every origin is meant; configuration lists origins".into()),
            });
        }
        let parsed = rules::parse_origin(entry)?;
        if self.credentials && !self.allow_insecure_http && !parsed.is_potentially_trustworthy() {
            return Err(rules::RuleError {
                message: "plain-http origin with `credentials = true`: a network attacker can impersonate it".into(),
                help: Some("use its https origin, or add `allow_insecure_http = true` to the policy if you accept the risk".into()),
            });
        }
        match parsed {
            OriginEntry::Exact { origin, .. } => {
                let value = HeaderValue::from_str(&origin).map_err(|_| rules::RuleError {
                    message: "not a valid header value".into(),
                    help: None,
                })?;
                table
                    .exact
                    .insert(origin.into_bytes().into_boxed_slice(), value);
            }
            OriginEntry::Subdomains { scheme, suffix, .. } => {
                let set = match scheme {
                    Scheme::Https => &mut table.https_subdomains,
                    Scheme::Http => &mut table.http_subdomains,
                };
                set.insert(suffix.into_bytes().into_boxed_slice());
            }
        }
        Ok(())
    }

    /// The sources this policy reads.
    #[must_use]
    pub fn sources(&self) -> &'static [OriginSource] {
        self.sources
    }

    /// Whether the sources have been read and checked.
    #[must_use]
    pub fn is_loaded(&self) -> bool {
        self.table.get().is_some()
    }

    /// The loaded entries, as read (empty before loading).
    pub fn entries(&self) -> &[String] {
        self.table.get().map_or(&[], |t| &t.entries)
    }

    pub(crate) fn exact(&self, origin: &[u8]) -> Option<&HeaderValue> {
        self.table.get()?.exact.get(origin)
    }

    pub(crate) fn has_subdomain_suffix(&self, scheme: Scheme, key: &[u8]) -> bool {
        self.table.get().is_some_and(|t| match scheme {
            Scheme::Https => t.https_subdomains.contains(key),
            Scheme::Http => t.http_subdomains.contains(key),
        })
    }

    pub(crate) fn has_subdomains(&self, scheme: Scheme) -> bool {
        self.table.get().is_some_and(|t| match scheme {
            Scheme::Https => !t.https_subdomains.is_empty(),
            Scheme::Http => !t.http_subdomains.is_empty(),
        })
    }
}
