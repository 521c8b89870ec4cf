//! [`CheckedOrigins`]: origins checked by the rules of a literal entry, in hash sets — what the
//! origins read at start-up and every live [`OriginSet`](super::OriginSet) hold.
//!
//! A lookup is one hash probe for an exact origin, and one per label of the request's host for
//! subdomain patterns (the same walk as the compile-time sets), whatever the number of entries.
//! The hash is foldhash, seeded per process: several times faster than the standard library's
//! on short keys; entries cannot be chosen to collide without the process's seed (though that
//! is no cryptographic guarantee).

use foldhash::HashSet;

use super::entry::{check_credentials, parse_origin, CredentialsRule, OriginEntry, Scheme};
use crate::error::RuleError;

/// Checked origins: exact ones, and the suffixes of subdomain patterns per scheme.
#[derive(Debug, Clone, Default)]
pub(crate) struct CheckedOrigins {
    /// The entries as given, in order, for diagnostics.
    entries: Vec<String>,
    exact: HashSet<Box<[u8]>>,
    https_subdomains: HashSet<Box<[u8]>>,
    http_subdomains: HashSet<Box<[u8]>>,
}

impl CheckedOrigins {
    /// Checks `entry` by the rules of a literal origin under `rule` and adds it; `Ok(false)` if
    /// it was there already.
    pub(crate) fn insert(&mut self, entry: &str, rule: CredentialsRule) -> Result<bool, RuleError> {
        let checked = check_entry(entry, rule)?;
        Ok(self.insert_checked(entry, checked))
    }

    /// Adds `entry`, already checked as `checked`; false if it was there already.
    pub(crate) fn insert_checked(&mut self, entry: &str, checked: OriginEntry) -> bool {
        let added = match checked {
            OriginEntry::Exact { origin, .. } => self.exact.insert(origin.into_bytes().into()),
            OriginEntry::Subdomains { scheme, suffix, .. } => {
                self.suffixes_mut(scheme).insert(suffix.into_bytes().into())
            }
        };
        if added {
            self.entries.push(entry.to_owned());
        }
        added
    }

    /// Whether `checked` is in the set.
    pub(crate) fn contains(&self, checked: &OriginEntry) -> bool {
        match checked {
            OriginEntry::Exact { origin, .. } => self.exact.contains(origin.as_bytes()),
            OriginEntry::Subdomains { scheme, suffix, .. } => {
                self.suffixes(*scheme).contains(suffix.as_bytes())
            }
        }
    }

    /// Removes `entry`, checked as `checked`, as it was inserted; whether it was there.
    pub(crate) fn remove(&mut self, entry: &str, checked: &OriginEntry) -> bool {
        let removed = match checked {
            OriginEntry::Exact { origin, .. } => self.exact.remove(origin.as_bytes()),
            OriginEntry::Subdomains { scheme, suffix, .. } => {
                self.suffixes_mut(*scheme).remove(suffix.as_bytes())
            }
        };
        if removed {
            self.entries.retain(|e| e != entry);
        }
        removed
    }

    /// The entries, in the order they were added.
    pub(crate) fn entries(&self) -> &[String] {
        &self.entries
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether `origin` is one of the exact origins.
    pub(crate) fn contains_exact(&self, origin: &[u8]) -> bool {
        self.exact.contains(origin)
    }

    /// Whether `key` (what follows `*.` in an origin) is the suffix of a `scheme` pattern.
    pub(crate) fn has_subdomain_suffix(&self, scheme: Scheme, key: &[u8]) -> bool {
        self.suffixes(scheme).contains(key)
    }

    /// Whether there is any `scheme` pattern.
    pub(crate) fn has_subdomains(&self, scheme: Scheme) -> bool {
        !self.suffixes(scheme).is_empty()
    }

    fn suffixes(&self, scheme: Scheme) -> &HashSet<Box<[u8]>> {
        match scheme {
            Scheme::Https => &self.https_subdomains,
            Scheme::Http => &self.http_subdomains,
        }
    }

    fn suffixes_mut(&mut self, scheme: Scheme) -> &mut HashSet<Box<[u8]>> {
        match scheme {
            Scheme::Https => &mut self.https_subdomains,
            Scheme::Http => &mut self.http_subdomains,
        }
    }
}

/// The rules of an entry that is not written in the attribute: those of a literal origin, and
/// no `*` (which in the attribute may only stand alone, for any origin).
pub(crate) fn check_entry(entry: &str, rule: CredentialsRule) -> Result<OriginEntry, RuleError> {
    if entry == "*" {
        return Err(RuleError::new("`*` cannot come from configuration").help(
            "write `origins = \"*\"` in the attribute if every origin is meant; configuration lists origins",
        ));
    }
    let checked = parse_origin(entry)?;
    check_credentials(&checked, entry, rule)?;
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: CredentialsRule = CredentialsRule {
        credentials: true,
        allow_insecure_http: false,
    };

    #[test]
    fn entries_are_added_once_and_removed_as_written() {
        let mut set = CheckedOrigins::default();
        assert_eq!(set.insert("https://a.test", STRICT), Ok(true));
        assert_eq!(set.insert("https://a.test", STRICT), Ok(false));
        assert_eq!(set.insert("https://*.b.test:8443", STRICT), Ok(true));
        assert!(set.contains_exact(b"https://a.test"));
        assert!(set.has_subdomain_suffix(Scheme::Https, b"b.test:8443"));
        assert_eq!(set.entries(), ["https://a.test", "https://*.b.test:8443"]);
        let pattern = parse_origin("https://*.b.test:8443").unwrap();
        assert!(set.remove("https://*.b.test:8443", &pattern));
        assert!(!set.remove("https://*.b.test:8443", &pattern));
        assert!(!set.has_subdomains(Scheme::Https));
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn a_refused_entry_leaves_the_set_as_it_was() {
        let mut set = CheckedOrigins::default();
        let error = set.insert("http://intranet.test", STRICT).unwrap_err();
        assert!(error.message.starts_with("plain-http origin"), "{error}");
        assert!(set.insert("*", STRICT).is_err());
        assert!(set.insert("https://a.test/", STRICT).is_err());
        assert_eq!(set.len(), 0);
    }
}
