//! Matching a request's `Origin` against a policy's allowed origins.
//!
//! Exact entries match the browser's serialized origin byte for byte; the macro has already
//! refused every configured origin that is not in the one form browsers send. Subdomain
//! patterns (`https://*.example.org`) are stored as the part after `*.` (`example.org`, or
//! `example.org:8443`) in one set per scheme, so a lookup walks the labels of the request's
//! host — a handful of hash probes whatever the number of patterns.

use http::HeaderValue;
use phf::{Map, Set};

use crate::configured::ConfiguredOrigins;
use crate::rules::Scheme;
use crate::verdict::AllowOrigin;

/// The origins a policy grants.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // lives in a `static`, never moved
pub enum AllowedOrigins {
    /// `origins = "*"`: every origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// An explicit list of origins and subdomain patterns, answered by echoing the origin.
    List(OriginList),
}

/// Exact origins and subdomain patterns, as hash sets built at compile time.
#[derive(Debug)]
pub struct OriginList {
    /// The entries as the policy wrote them, for diagnostics.
    pub entries: &'static [&'static str],
    /// Serialized origins, matched byte for byte, each with its ready header value.
    pub exact: Map<&'static [u8], HeaderValue>,
    /// Suffixes of `https://*.` patterns: `example.org`, `example.org:8443`.
    pub https_subdomains: Set<&'static [u8]>,
    /// Suffixes of `http://*.` patterns.
    pub http_subdomains: Set<&'static [u8]>,
    /// Origins read from configuration when the app is built, if the policy names a source.
    pub configured: Option<ConfiguredOrigins>,
}

impl AllowedOrigins {
    /// Whether `origin` (the raw bytes of a request's `Origin` header) is granted.
    ///
    /// `null`, malformed values and non-ASCII bytes are never granted by a list.
    #[must_use]
    pub fn allows(&'static self, origin: &[u8]) -> bool {
        match self {
            Self::Any => true,
            Self::List(list) => list.grant(origin).is_some(),
        }
    }
}

impl OriginList {
    /// The `Access-Control-Allow-Origin` for `origin`, if an exact entry or a subdomain
    /// pattern covers it.
    pub(crate) fn grant<'r>(&'static self, origin: &'r [u8]) -> Option<AllowOrigin<'r>> {
        let configured = self.configured.as_ref();
        if let Some(value) = self.exact_entry(origin) {
            Some(AllowOrigin::Listed(value))
        } else if let Some(value) = configured.and_then(|c| c.exact(origin)) {
            Some(AllowOrigin::Listed(value))
        } else if self.allows_as_subdomain(origin) {
            Some(AllowOrigin::Echo(origin))
        } else {
            None
        }
    }

    /// The static header value of the exact entry equal to `origin`.
    ///
    /// A few entries are compared directly: a length check rejects most origins at once, and
    /// comparing a few bytes is cheaper than hashing the origin for the map's lookup. Longer
    /// lists take the hash probe, whose cost does not grow with the list.
    fn exact_entry(&'static self, origin: &[u8]) -> Option<&'static HeaderValue> {
        /// Up to this many entries, a scan beats the hash.
        const SCANNED: usize = 4;
        if self.exact.len() <= SCANNED {
            self.exact
                .entries()
                .find_map(|(entry, value)| (*entry == origin).then_some(value))
        } else {
            self.exact.get(origin)
        }
    }

    /// Every entry: the literal ones, then those read from configuration.
    pub fn all_entries(&self) -> impl Iterator<Item = &str> {
        let configured = self
            .configured
            .as_ref()
            .map_or(&[][..], ConfiguredOrigins::entries);
        self.entries
            .iter()
            .copied()
            .chain(configured.iter().map(String::as_str))
    }

    fn allows_as_subdomain(&self, origin: &[u8]) -> bool {
        let (scheme, patterns, authority) = if let Some(rest) = origin.strip_prefix(b"https://") {
            (Scheme::Https, &self.https_subdomains, rest)
        } else if let Some(rest) = origin.strip_prefix(b"http://") {
            (Scheme::Http, &self.http_subdomains, rest)
        } else {
            return false;
        };
        let configured = self
            .configured
            .as_ref()
            .filter(|c| c.has_subdomains(scheme));
        if (patterns.is_empty() && configured.is_none()) || !is_domain_authority(authority) {
            return false;
        }
        let (host, _) = split_host_port(authority);
        host.iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'.')
            .any(|(dot, _)| {
                authority.get(dot + 1..).is_some_and(|key| {
                    patterns.contains(key)
                        || configured.is_some_and(|c| c.has_subdomain_suffix(scheme, key))
                })
            })
    }
}

/// `host[:port]` split at the first colon, without indexing.
fn split_host_port(authority: &[u8]) -> (&[u8], Option<&[u8]>) {
    let mut parts = authority.splitn(2, |&b| b == b':');
    (parts.next().unwrap_or_default(), parts.next())
}

/// Whether `authority` is `host[:port]` with a serialized domain host: lowercase LDH labels
/// (plus `_`, which browsers keep), none empty, and a port of digits.
fn is_domain_authority(authority: &[u8]) -> bool {
    let (host, port) = split_host_port(authority);
    let host_ok = !host.is_empty()
        && host.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && label.iter().all(|&b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                })
        });
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.iter().all(u8::is_ascii_digit));
    host_ok && port_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_must_be_lowercase_labels_with_numeric_port() {
        assert!(is_domain_authority(b"a.example.org"));
        assert!(is_domain_authority(b"a-b_c.example.org:8443"));
        assert!(!is_domain_authority(b"A.example.org"));
        assert!(!is_domain_authority(b".example.org"));
        assert!(!is_domain_authority(b"a..example.org"));
        assert!(!is_domain_authority(b"a.example.org."));
        assert!(!is_domain_authority(b"a.example.org:"));
        assert!(!is_domain_authority(b"a.example.org:80a"));
        assert!(!is_domain_authority(b"a.example.org/x"));
        assert!(!is_domain_authority(b"user@a.example.org"));
        assert!(!is_domain_authority(b"[::1]:80"));
    }
}
