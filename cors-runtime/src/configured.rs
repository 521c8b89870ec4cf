//! Origins read at start-up — from an environment variable or a function — next to the
//! literal ones. They are checked by the same rules as literals when the app is built (the
//! first registration of the handler), which fails fast with a message naming the source, the
//! entry and the fix; afterwards lookups are hash probes with no allocation.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use http::HeaderValue;

use crate::rules::{self, OriginEntry, Scheme};

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

/// A configured origin that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The handler whose policy reads the source.
    pub handler: &'static str,
    /// The source, e.g. `environment variable APP_CORS_ORIGINS`.
    pub source: String,
    /// The entry at fault, as read.
    pub entry: String,
    /// What is wrong and how to fix it.
    pub rule: rules::RuleError,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CORS origins of `{}` from {}: {:?}: {}",
            self.handler, self.source, self.entry, self.rule
        )
    }
}

impl std::error::Error for ConfigError {}

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

    /// Reads and checks every source once; later calls return the first outcome's success.
    ///
    /// # Errors
    /// The first entry that breaks a rule, or a source that cannot be read.
    pub fn load(&self, handler: &'static str) -> Result<(), ConfigError> {
        if self.table.get().is_some() {
            return Ok(());
        }
        let table = self.read(handler)?;
        let _ = self.table.set(table);
        Ok(())
    }

    fn read(&self, handler: &'static str) -> Result<Table, ConfigError> {
        let mut table = Table::default();
        for source in self.sources {
            let error = |entry: &str, rule| ConfigError {
                handler,
                source: source.to_string(),
                entry: entry.to_owned(),
                rule,
            };
            let entries = match source {
                OriginSource::Env(name) => match std::env::var(name) {
                    Ok(value) => value.split(',').map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned).collect(),
                    Err(_) => {
                        return Err(error(
                            "",
                            rules::RuleError {
                                message: "the variable is not set or not valid UTF-8".into(),
                                help: Some(format!("set {name} to a comma-separated list of origins, e.g. https://app.example.com,https://*.example.org")),
                            },
                        ))
                    }
                },
                OriginSource::Function(read, _) => read(),
            };
            for entry in entries {
                if entry == "*" {
                    return Err(error(&entry, rules::RuleError {
                        message: "`*` cannot come from configuration".into(),
                        help: Some("write `origins = \"*\"` in the attribute if every origin is meant; configuration lists origins".into()),
                    }));
                }
                let parsed = rules::parse_origin(&entry).map_err(|rule| error(&entry, rule))?;
                if self.credentials
                    && !self.allow_insecure_http
                    && !parsed.is_potentially_trustworthy()
                {
                    return Err(error(&entry, rules::RuleError {
                        message: "plain-http origin with `credentials = true`: a network attacker can impersonate it".into(),
                        help: Some("use its https origin, or add `allow_insecure_http = true` to the policy if you accept the risk".into()),
                    }));
                }
                match parsed {
                    OriginEntry::Exact { origin, .. } => {
                        let value = HeaderValue::from_str(&origin).map_err(|_| {
                            error(
                                &entry,
                                rules::RuleError {
                                    message: "not a valid header value".into(),
                                    help: None,
                                },
                            )
                        })?;
                        table
                            .exact
                            .insert(origin.into_bytes().into_boxed_slice(), value);
                    }
                    OriginEntry::Subdomains {
                        scheme: Scheme::Https,
                        suffix,
                        ..
                    } => {
                        table
                            .https_subdomains
                            .insert(suffix.into_bytes().into_boxed_slice());
                    }
                    OriginEntry::Subdomains {
                        scheme: Scheme::Http,
                        suffix,
                        ..
                    } => {
                        table
                            .http_subdomains
                            .insert(suffix.into_bytes().into_boxed_slice());
                    }
                }
                table.entries.push(entry);
            }
        }
        Ok(table)
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
