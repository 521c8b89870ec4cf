//! A set of byte strings fixed at compile time, such as a policy's exact origins: found by
//! comparison when there are a few, by a perfect hash when there are more, so a lookup costs
//! the same for one key or ten thousand.

use phf::Map;

/// Up to this many keys, comparing them one by one beats hashing the probe: a length check
/// rejects most at once.
pub const SCANNED_KEYS: usize = 4;

/// Keys fixed at compile time, each found at its position in [`KeySet::keys`].
///
/// `#[cors]` builds it: [`KeySet::one`] for a single key (most policies list one or two
/// origins), [`KeySet::scanned`] for up to [`SCANNED_KEYS`], [`KeySet::hashed`] with a
/// perfect-hash index beyond. The keys are one string, separated by spaces (which no origin or
/// suffix contains): a `static` holding one string costs rustc far less to compile than one
/// holding a slice of them.
///
/// ```
/// use cors_runtime::key_set::KeySet;
/// static SUFFIXES: KeySet = KeySet::scanned("example.org example.net");
/// assert_eq!(SUFFIXES.position(b"example.net"), Some(1));
/// assert_eq!(SUFFIXES.position(b"example.com"), None);
/// assert_eq!(SUFFIXES.keys().collect::<Vec<_>>(), ["example.org", "example.net"]);
/// ```
#[derive(Debug)]
pub struct KeySet {
    keys: &'static str,
    lookup: Lookup,
}

/// How a [`KeySet`] finds a key.
#[derive(Debug)]
enum Lookup {
    /// `keys` is a single key: one comparison.
    One,
    /// Comparing the keys in turn.
    Scanned,
    /// A perfect-hash map from each key to its position.
    Hashed(Map<&'static [u8], u32>),
}

impl KeySet {
    /// No keys.
    pub const EMPTY: Self = Self::scanned("");

    /// A set of the one key `key`.
    #[must_use]
    pub const fn one(key: &'static str) -> Self {
        Self {
            keys: key,
            lookup: Lookup::One,
        }
    }

    /// A set whose lookups compare `keys` one by one: for a few keys.
    #[must_use]
    pub const fn scanned(keys: &'static str) -> Self {
        Self {
            keys,
            lookup: Lookup::Scanned,
        }
    }

    /// A set whose lookups probe `index`, a perfect-hash map from each key to its position in
    /// `keys`.
    #[must_use]
    pub const fn hashed(keys: &'static str, index: Map<&'static [u8], u32>) -> Self {
        Self {
            keys,
            lookup: Lookup::Hashed(index),
        }
    }

    /// The keys, in the order positions refer to.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.keys.split(' ').filter(|key| !key.is_empty())
    }

    /// Whether the set has no key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The position of `key`, if the set holds it.
    #[must_use]
    pub fn position(&self, key: &[u8]) -> Option<usize> {
        match &self.lookup {
            Lookup::One => (self.keys.as_bytes() == key).then_some(0),
            Lookup::Scanned => scan(self.keys, key),
            // The index is built from the keys, so each hit is a position in them.
            Lookup::Hashed(index) => index.get(key).map(|&position| position as usize),
        }
    }

    /// Whether the set holds `key`.
    #[must_use]
    pub fn contains(&self, key: &[u8]) -> bool {
        self.position(key).is_some()
    }
}

/// The position of `key` among the space-separated `keys`, compared in place: a prefix
/// comparison per key, and a search for the next space only past a key that differs.
fn scan(keys: &str, key: &[u8]) -> Option<usize> {
    let mut rest = keys.as_bytes();
    let mut position = 0;
    while !rest.is_empty() {
        let at_key_end = |after: &[u8]| after.first().is_none_or(|&b| b == b' ');
        // A probe spanning several keys is none of them.
        if rest.strip_prefix(key).is_some_and(at_key_end) && !key.contains(&b' ') {
            return Some(position);
        }
        let space = rest.iter().position(|&b| b == b' ')?;
        rest = rest.get(space + 1..)?;
        position += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `build` on another thread and gives up after ten seconds, so that a regression
    /// fails the test instead of hanging it (the generator loops forever on duplicate keys).
    fn build_or_give_up(keys: &'static [&'static str]) -> KeySet {
        use std::sync::mpsc;
        use std::time::Duration;

        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(std::panic::catch_unwind(|| KeySet::build(keys)));
        });
        match finished.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(set)) => set,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => {
                panic!("KeySet::build still running after 10 s: the keys reached the generator")
            }
        }
    }

    #[test]
    #[should_panic(expected = "\"https://a.test\" is listed twice")]
    fn duplicate_keys_are_refused_before_hashing() {
        // More than SCANNED_KEYS, so a set of distinct keys would be hashed.
        let _ = build_or_give_up(&[
            "https://a.test",
            "https://b.test",
            "https://c.test",
            "https://d.test",
            "https://e.test",
            "https://a.test",
        ]);
    }

    #[test]
    #[should_panic(expected = "\"https://a.test\" is listed twice")]
    fn duplicate_keys_are_refused_in_a_scanned_set_too() {
        let _ = build_or_give_up(&["https://a.test", "https://a.test"]);
    }

    #[test]
    fn distinct_keys_are_each_found_at_their_position() {
        let keys = &["a", "b", "c", "d", "e", "f"];
        let set = build_or_give_up(keys);
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(set.position(key.as_bytes()), Some(i));
        }
    }

    #[test]
    fn a_scan_matches_whole_keys_only() {
        let keys = "https://a.test https://a.test:8443 https://b.test";
        assert_eq!(scan(keys, b"https://a.test"), Some(0));
        assert_eq!(scan(keys, b"https://a.test:8443"), Some(1));
        assert_eq!(scan(keys, b"https://b.test"), Some(2));
        assert_eq!(scan(keys, b"https://a.tes"), None);
        assert_eq!(scan(keys, b"https://b.test "), None);
        assert_eq!(scan(keys, b"https://a.test https://a.test:8443"), None);
        assert_eq!(scan(keys, b""), None);
        assert_eq!(scan("", b""), None);
        assert_eq!(scan("", b"https://a.test"), None);
    }
}
