//! [`OriginSet`]: origins that change while the app runs — each tenant's custom domains — held
//! to the rules of a literal origin entry by entry, and read without blocking or allocating.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwapOption;

use super::configured::OriginSource;
use super::entry::{parse_origin, CredentialsRule};
use super::set::{check_entry, CheckedOrigins};
use crate::error::RuleError;

/// A set of allowed origins that changes at run time, for `#[cors(origins = [set(NAME)])]`.
///
/// Every entry is checked when it enters the set, by the rules of a literal origin in a
/// credentialed policy: the serialized form browsers send (no path, no trailing slash,
/// lowercase, punycode hosts, no default port), no `*`, no `null`, no wildcard over a public
/// suffix, and no plain-http origin but loopback (unless the set is
/// [`allowing_insecure_http`](Self::allowing_insecure_http)). Exact origins and `*.domain`
/// subdomain patterns are both allowed. A refused entry is an [`OriginError`] whose words are
/// those of the compile error for the same literal.
///
/// Reads never block and never allocate: a request sees the set as it was before or after an
/// update, never half of one, and a lookup is a hash probe however many entries there are.
/// Updates copy the set (they allocate; they are rare).
///
/// A browser may keep using a preflight it cached, for the policy's `max_age` seconds after an
/// origin is removed; actual responses stop granting it at once. Use a short `max_age` where
/// removals must take effect at once.
///
/// ```
/// use actix_web::{get, HttpResponse, Responder};
/// use static_cors::{cors, OriginSet};
///
/// /// Origins our customers registered.
/// static TENANT_ORIGINS: OriginSet = OriginSet::new();
///
/// #[cors(origins = ["https://app.example.com", set(TENANT_ORIGINS)], credentials = true)]
/// #[get("/api/widgets")]
/// async fn widgets() -> impl Responder {
///     HttpResponse::Ok()
/// }
///
/// TENANT_ORIGINS.replace(["https://shop.customer.example", "https://*.preview.example.net"])?;
/// let policy = widgets::cors_policy();
/// assert!(policy.preflight("https://shop.customer.example", "GET", &[]).is_allowed());
/// assert!(policy.preflight("https://pr-7.preview.example.net", "GET", &[]).is_allowed());
///
/// assert_eq!(TENANT_ORIGINS.insert("https://new.customer.example"), Ok(true));
/// let refused = TENANT_ORIGINS.insert("https://old.customer.example/").unwrap_err();
/// assert_eq!(refused.rule().help.as_deref(), Some("write \"https://old.customer.example\""));
///
/// assert!(TENANT_ORIGINS.remove("https://shop.customer.example"));
/// assert!(!policy.preflight("https://shop.customer.example", "GET", &[]).is_allowed());
/// # Ok::<(), static_cors::ReplaceError>(())
/// ```
pub struct OriginSet {
    current: ArcSwapOption<CheckedOrigins>,
    /// Serializes updates, so that none is lost between copying the set and storing the copy.
    writer: Mutex<()>,
    rule: CredentialsRule,
}

impl OriginSet {
    /// An empty set whose entries must be origins a network attacker cannot impersonate (https,
    /// or plain http on loopback), as a credentialed policy's literals must.
    #[must_use]
    pub const fn new() -> Self {
        Self::with_rule(false)
    }

    /// An empty set that also takes plain-http origins other than loopback, as a policy with
    /// `allow_insecure_http = true` does: for trusted internal networks only. A policy with
    /// `credentials = true` that reads it must say `allow_insecure_http = true` too, or the app
    /// stops when the handler is registered.
    #[must_use]
    pub const fn allowing_insecure_http() -> Self {
        Self::with_rule(true)
    }

    const fn with_rule(allow_insecure_http: bool) -> Self {
        Self {
            current: ArcSwapOption::const_empty(),
            writer: Mutex::new(()),
            rule: CredentialsRule {
                credentials: true,
                allow_insecure_http,
            },
        }
    }

    /// Replaces every entry with `entries`, all or nothing: if any entry is refused, the set
    /// stays as it was.
    ///
    /// # Errors
    /// Every refused entry, each with the rule it breaks and the fix.
    pub fn replace<I>(&self, entries: I) -> Result<(), ReplaceError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut next = CheckedOrigins::default();
        let refused: Vec<OriginError> = entries
            .into_iter()
            .filter_map(|entry| {
                let entry = entry.as_ref();
                next.insert(entry, self.rule)
                    .err()
                    .map(|rule| OriginError::new(entry, rule))
            })
            .collect();
        if !refused.is_empty() {
            return Err(ReplaceError { refused });
        }
        let _writing = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.current.store(Some(Arc::new(next)));
        Ok(())
    }

    /// Adds `entry`; `Ok(false)` if it was in the set already.
    ///
    /// # Errors
    /// The rule `entry` breaks, and the fix; the set is unchanged.
    pub fn insert(&self, entry: &str) -> Result<bool, OriginError> {
        let checked =
            check_entry(entry, self.rule).map_err(|rule| OriginError::new(entry, rule))?;
        Ok(self.update(
            |set| !set.contains(&checked),
            |set| set.insert_checked(entry, checked.clone()),
        ))
    }

    /// Checks `entry` by this set's rules without adding it: what [`insert`](Self::insert)
    /// would say, for an application that validates before it stores the entry elsewhere.
    ///
    /// # Errors
    /// The rule `entry` breaks, and the fix.
    pub fn check(&self, entry: &str) -> Result<(), OriginError> {
        check_entry(entry, self.rule)
            .map(drop)
            .map_err(|rule| OriginError::new(entry, rule))
    }

    /// Empties the set.
    pub fn clear(&self) {
        let _writing = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.current.store(None);
    }

    /// Removes `entry`, written as it was inserted; whether it was in the set.
    pub fn remove(&self, entry: &str) -> bool {
        let Ok(checked) = parse_origin(entry) else {
            return false;
        };
        self.update(
            |set| set.contains(&checked),
            |set| set.remove(entry, &checked),
        )
    }

    /// Whether the set takes plain-http origins other than loopback.
    #[must_use]
    pub fn allows_insecure_http(&self) -> bool {
        self.rule.allow_insecure_http
    }

    /// The entries, in the order they were added (a copy: for administration, not requests).
    #[must_use]
    pub fn entries(&self) -> Vec<String> {
        self.current
            .load()
            .as_deref()
            .map_or_else(Vec::new, |set| set.entries().to_vec())
    }

    /// How many entries the set holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.current
            .load()
            .as_deref()
            .map_or(0, CheckedOrigins::len)
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with the set as it is now; lock-free, and no allocation.
    pub(crate) fn with<T>(&self, f: impl FnOnce(Option<&CheckedOrigins>) -> T) -> T {
        f(self.current.load().as_deref())
    }

    /// Applies `change` to a copy of the set and stores the copy, if the set as it is now
    /// `needs` it (a change that would change nothing copies nothing); whether it changed.
    fn update(
        &self,
        needs: impl FnOnce(&CheckedOrigins) -> bool,
        change: impl FnOnce(&mut CheckedOrigins) -> bool,
    ) -> bool {
        let _writing = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.load_full();
        let empty = CheckedOrigins::default();
        if !needs(current.as_deref().unwrap_or(&empty)) {
            return false;
        }
        let mut next = current.map_or(empty, |set| CheckedOrigins::clone(&set));
        let changed = change(&mut next);
        self.current.store(Some(Arc::new(next)));
        changed
    }
}

impl Default for OriginSet {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for OriginSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginSet")
            .field("len", &self.len())
            .field("allow_insecure_http", &self.rule.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

/// An entry an [`OriginSet`] refused: the entry, the rule it breaks and the fix, in the words
/// of the compile error for the same literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginError {
    entry: String,
    rule: RuleError,
}

impl OriginError {
    fn new(entry: &str, rule: RuleError) -> Self {
        Self {
            entry: entry.to_owned(),
            rule,
        }
    }

    /// The entry, as given.
    #[must_use]
    pub fn entry(&self) -> &str {
        &self.entry
    }

    /// The rule it breaks, and the fix.
    #[must_use]
    pub fn rule(&self) -> &RuleError {
        &self.rule
    }
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "origin {:?}: {}", self.entry, self.rule)
    }
}

impl std::error::Error for OriginError {}

/// Why [`OriginSet::replace`] changed nothing: every entry it refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplaceError {
    refused: Vec<OriginError>,
}

impl ReplaceError {
    /// The refused entries, in the order given.
    #[must_use]
    pub fn refused(&self) -> &[OriginError] {
        &self.refused
    }
}

impl fmt::Display for ReplaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} origin(s) refused, the set is unchanged",
            self.refused.len()
        )?;
        for error in &self.refused {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ReplaceError {}

/// An [`OriginSet`] a policy reads, named as the attribute wrote it (`set(TENANT_ORIGINS)`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct LiveSet {
    set: &'static OriginSet,
    /// `set(NAME)`, as errors name it.
    source: OriginSource,
    /// Whether the policy forbids plain-http origins other than loopback (credentials without
    /// `allow_insecure_http`), which a set allowing them must not get around.
    requires_secure: bool,
}

impl LiveSet {
    /// `set`, written `name` in the attribute of a policy that `requires_secure` origins.
    /// Called by generated code.
    #[must_use]
    pub const fn new(set: &'static OriginSet, name: &'static str, requires_secure: bool) -> Self {
        Self {
            set,
            source: OriginSource::Set(name),
            requires_secure,
        }
    }

    /// Whether the set may hold origins the policy's own rules refuse: plain-http ones, in a
    /// policy with credentials and without `allow_insecure_http`.
    pub(crate) fn weaker_than_policy(&self) -> bool {
        self.requires_secure && self.set.allows_insecure_http()
    }

    /// The set, as a source of origins for errors.
    pub(crate) fn source(&'static self) -> &'static [OriginSource] {
        std::slice::from_ref(&self.source)
    }

    /// The set.
    #[must_use]
    pub fn set(&self) -> &'static OriginSet {
        self.set
    }

    /// The name the attribute gave it.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self.source {
            OriginSource::Set(name) => name,
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_is_all_or_nothing_and_reports_every_refusal() {
        let set = OriginSet::new();
        set.replace(["https://a.test"]).unwrap();
        let error = set
            .replace([
                "https://b.test",
                "https://c.test/",
                "http://intranet.test",
                "null",
            ])
            .unwrap_err();
        let refused: Vec<&str> = error.refused().iter().map(OriginError::entry).collect();
        assert_eq!(refused, ["https://c.test/", "http://intranet.test", "null"]);
        assert_eq!(set.entries(), ["https://a.test"]);
    }

    #[test]
    fn check_says_what_insert_would_without_adding() {
        let set = OriginSet::new();
        assert_eq!(set.check("https://a.test"), Ok(()));
        assert_eq!(
            set.check("https://a.test/").unwrap_err(),
            set.insert("https://a.test/").unwrap_err()
        );
        assert!(set.is_empty());
        set.insert("https://a.test").unwrap();
        set.clear();
        assert!(set.is_empty());
    }

    #[test]
    fn an_update_that_changes_nothing_copies_nothing() {
        let set = OriginSet::new();
        set.replace(["https://a.test", "https://*.b.test"]).unwrap();
        let before = set.current.load_full().unwrap();
        assert_eq!(set.insert("https://a.test"), Ok(false));
        assert!(set.insert("https://a.test/").is_err());
        assert!(!set.remove("https://c.test"));
        assert!(!set.remove("not an origin"));
        assert!(Arc::ptr_eq(&before, &set.current.load_full().unwrap()));
        assert!(set.remove("https://*.b.test"));
        assert!(!Arc::ptr_eq(&before, &set.current.load_full().unwrap()));
    }

    #[test]
    fn a_set_allowing_insecure_http_takes_plain_http_origins() {
        assert!(OriginSet::new().insert("http://intranet.test").is_err());
        assert_eq!(
            OriginSet::allowing_insecure_http().insert("http://intranet.test"),
            Ok(true)
        );
        assert_eq!(OriginSet::new().insert("http://localhost:3000"), Ok(true));
    }
}
