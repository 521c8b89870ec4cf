//! Everything about origins: checking an entry of `origins` ([`parse_origin`],
//! [`check_credentials`]: the rules, for literals, configured and live entries alike, in
//! `origin/entry.rs`), the checked hash sets of entries not known at compile time
//! (`origin/set.rs`), the origins read at start-up ([`configured`]), the sets that change at
//! run time ([`OriginSet`]), and here, matching a request's `Origin` against a policy's
//! allowed origins.
//!
//! Exact entries match the browser's serialized origin byte for byte; every entry was checked
//! to be in the one form browsers send. Subdomain patterns (`https://*.example.org`) are stored
//! as the part after `*.` (`example.org`, or `example.org:8443`) in one set per scheme, so a
//! lookup walks the labels of the request's host — a handful of lookups whatever the number of
//! patterns.

pub mod configured;
mod entry;
mod live;
mod set;

use std::cell::OnceCell;

use crate::key_set::KeySet;
use configured::ConfiguredOrigins;
pub use entry::{check_credentials, parse_origin, CredentialsRule, OriginEntry, Scheme};
pub use live::{LiveSet, OriginError, OriginSet, ReplaceError};
use set::CheckedOrigins;

/// The origins a policy grants.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // lives in a `static`, never moved
pub enum AllowedOrigins {
    /// `origins = "*"`: every origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// An explicit list of origins and subdomain patterns, answered by echoing the origin.
    List(OriginList),
}

/// Exact origins and subdomain patterns, as sets built at compile time, and the origins the
/// policy reads from configuration.
#[derive(Debug)]
pub struct OriginList {
    /// The entries as the policy wrote them, separated by spaces, for diagnostics.
    entries: &'static str,
    /// Serialized origins, matched byte for byte.
    exact: KeySet,
    /// Suffixes of `https://*.` patterns: `example.org`, `example.org:8443`.
    https_subdomains: KeySet,
    /// Suffixes of `http://*.` patterns.
    http_subdomains: KeySet,
    /// Origins read from configuration when the app is built, if the policy names a source.
    configured: Option<ConfiguredOrigins>,
    /// Sets that change at run time: `set(NAME)`.
    live: &'static [LiveSet],
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

/// Which entry of an [`OriginList`] grants an origin.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ListGrant<'r> {
    /// The exact origin at this position of [`OriginList::exact`], answered with its value.
    Exact(usize),
    /// An origin of a configured or live set, or under a subdomain pattern: echoed.
    Echo(&'r [u8]),
}

impl OriginList {
    /// A list of `entries` (as written, space-separated), the `exact` origins and the suffixes
    /// of the `https://*.` and `http://*.` patterns among them, and configured sources. Called
    /// by generated code and by the lowering of tests.
    #[doc(hidden)]
    #[must_use]
    pub const fn new(
        entries: &'static str,
        exact: KeySet,
        https_subdomains: KeySet,
        http_subdomains: KeySet,
        configured: Option<ConfiguredOrigins>,
        live: &'static [LiveSet],
    ) -> Self {
        Self {
            entries,
            exact,
            https_subdomains,
            http_subdomains,
            configured,
            live,
        }
    }

    /// The sets that change at run time, as the attribute named them.
    #[must_use]
    pub fn live_sets(&self) -> &'static [LiveSet] {
        self.live
    }

    /// The exact origins, each at the position [`ListGrant::Exact`] names.
    pub(crate) fn exact(&self) -> &KeySet {
        &self.exact
    }

    /// The origins read from configuration, if the policy names a source.
    pub(crate) fn configured(&self) -> Option<&ConfiguredOrigins> {
        self.configured.as_ref()
    }

    /// Whether the policy lists origins in the attribute itself, or live sets that may hold
    /// some later.
    pub(crate) fn has_literals(&self) -> bool {
        !self.entries.is_empty() || !self.live.is_empty()
    }

    /// Whether a set of entries not known at compile time, as it is now, grants `origin`:
    /// the configured origins, then each live set (each read once). `subdomain` is read from
    /// the origin only if a set has patterns.
    fn checked_sets_grant<'r>(
        &self,
        origin: &'r [u8],
        subdomain: &OnceCell<Option<Subdomain<'r>>>,
    ) -> bool {
        let grants = |set: &CheckedOrigins| {
            set.contains_exact(origin)
                || subdomain
                    .get_or_init(|| Subdomain::of(origin))
                    .as_ref()
                    .is_some_and(|sub| {
                        set.has_subdomains(sub.scheme)
                            && sub
                                .suffixes()
                                .any(|key| set.has_subdomain_suffix(sub.scheme, key))
                    })
        };
        self.configured
            .as_ref()
            .and_then(ConfiguredOrigins::origins)
            .is_some_and(grants)
            || self
                .live
                .iter()
                .any(|live| live.set().with(|set| set.is_some_and(grants)))
    }

    /// The entry covering `origin`, if an exact entry or a subdomain pattern does.
    pub(crate) fn grant<'r>(&'static self, origin: &'r [u8]) -> Option<ListGrant<'r>> {
        if let Some(position) = self.exact.position(origin) {
            return Some(ListGrant::Exact(position));
        }
        // The origin is read as a subdomain once, and only where some pattern could match it.
        let subdomain = OnceCell::new();
        let literal_patterns =
            !self.https_subdomains.is_empty() || !self.http_subdomains.is_empty();
        let by_pattern = literal_patterns
            && subdomain
                .get_or_init(|| Subdomain::of(origin))
                .as_ref()
                .is_some_and(|sub| {
                    let patterns = match sub.scheme {
                        Scheme::Https => &self.https_subdomains,
                        Scheme::Http => &self.http_subdomains,
                    };
                    sub.suffixes().any(|key| patterns.contains(key))
                });
        let unknown_sets = self.configured.is_some() || !self.live.is_empty();
        let granted = by_pattern || (unknown_sets && self.checked_sets_grant(origin, &subdomain));
        granted.then_some(ListGrant::Echo(origin))
    }

    /// Every entry: the literal ones, then those read from configuration.
    ///
    /// ```
    /// use actix_web::{get, HttpResponse, Responder};
    /// use static_cors::{cors, AllowedOrigins};
    ///
    /// #[cors(origins = ["https://app.example.com", "https://*.example.org"])]
    /// #[get("/items")]
    /// async fn items() -> impl Responder {
    ///     HttpResponse::Ok()
    /// }
    ///
    /// let AllowedOrigins::List(list) = items::cors_policy().origins() else { unreachable!() };
    /// let entries: Vec<&str> = list.all_entries().collect();
    /// assert_eq!(entries, ["https://app.example.com", "https://*.example.org"]);
    /// ```
    pub fn all_entries(&self) -> impl Iterator<Item = &str> {
        let configured = self
            .configured
            .as_ref()
            .map_or(&[][..], ConfiguredOrigins::entries);
        self.entries
            .split(' ')
            .filter(|entry| !entry.is_empty())
            .chain(configured.iter().map(String::as_str))
    }
}

/// The longest authority a request's origin can have to be read as a subdomain: the longest
/// DNS name (the longest any entry can hold) and `:65535`.
const MAX_AUTHORITY: usize = entry::MAX_HOST + 6;

/// A request's origin read as a possible subdomain: its scheme, and its authority, a
/// serialized domain host with an optional port.
struct Subdomain<'r> {
    scheme: Scheme,
    authority: &'r [u8],
    host: &'r [u8],
}

impl<'r> Subdomain<'r> {
    fn of(origin: &'r [u8]) -> Option<Self> {
        let (scheme, authority) = if let Some(rest) = origin.strip_prefix(b"https://") {
            (Scheme::Https, rest)
        } else {
            (Scheme::Http, origin.strip_prefix(b"http://")?)
        };
        // A DNS name has at most 253 bytes, and `:65535` adds 6: a longer one is no subdomain
        // of anything, and would cost a hash of each of its tails.
        if authority.len() > MAX_AUTHORITY || !is_domain_authority(authority) {
            return None;
        }
        let (host, _) = split_host_port(authority);
        Some(Self {
            scheme,
            authority,
            host,
        })
    }

    /// What follows each dot of the host, with the port, longest first: `b.example.org:8443`,
    /// `example.org:8443`, … — the keys pattern suffixes are stored under.
    fn suffixes(&self) -> impl Iterator<Item = &'r [u8]> + '_ {
        self.host
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'.')
            .filter_map(|(dot, _)| self.authority.get(dot + 1..))
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
        && host
            .split(|&b| b == b'.')
            .all(|label| !label.is_empty() && label.iter().copied().all(entry::is_label_byte));
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.iter().all(u8::is_ascii_digit));
    host_ok && port_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_longer_than_a_dns_name_is_no_subdomain() {
        let long = format!("https://{}x.example.org", "a.".repeat(60_000));
        assert!(Subdomain::of(long.as_bytes()).is_none());
        let longest = format!("https://{}.example.org", "a".repeat(241));
        assert!(Subdomain::of(longest.as_bytes()).is_some());
    }

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
