//! From a checked policy to the [`PolicyParts`](crate::parts::PolicyParts) `#[cors]`
//! generates: the one lowering.
//!
//! The macro runs it at compile time and writes the plan out as tokens. With the feature
//! `test-util`, `PolicyPlan::build` runs it at run time, so that tests, benchmarks and fuzz
//! targets judge requests with exactly the policies the macro would generate.

use crate::error::RuleError;
use crate::key_set::SCANNED_KEYS;
use crate::origin::{parse_origin, OriginEntry, Scheme};

/// How a key set is found: the keys, and the lookup that suits their number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySetPlan {
    /// The keys, in the order positions refer to.
    pub keys: Vec<String>,
    /// How they are looked up.
    pub lookup: KeyLookup,
}

/// The lookup of a [`KeySetPlan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyLookup {
    /// One key: one comparison.
    One,
    /// Up to [`SCANNED_KEYS`]: compared in turn (a length check rejects most at once).
    Scanned,
    /// More: a perfect-hash index, as `phf::Map` holds it.
    Hashed {
        /// The hash key.
        key: u64,
        /// The displacements.
        disps: Vec<(u32, u32)>,
        /// For each slot of the map, the position of its key.
        slots: Vec<usize>,
    },
}

impl KeySetPlan {
    /// The plan for `keys` (origins or pattern suffixes: no spaces).
    ///
    /// # Panics
    /// If a key is empty, contains a space or is listed twice (the perfect-hash generator
    /// would search forever for a hash telling duplicates apart), or with 2³² keys or more.
    #[must_use]
    pub fn new(keys: Vec<String>) -> Self {
        assert!(
            keys.iter().all(|k| !k.is_empty() && !k.contains(' ')),
            "keys are non-empty and have no space"
        );
        let mut sorted: Vec<&String> = keys.iter().collect();
        sorted.sort_unstable();
        if let Some(pair) = sorted.windows(2).find(|pair| pair[0] == pair[1]) {
            panic!("key \"{}\" is listed twice: keys are distinct", pair[0]);
        }
        assert!(u32::try_from(keys.len()).is_ok(), "fewer than 2^32 keys");
        let lookup = match keys.len() {
            1 => KeyLookup::One,
            n if n <= SCANNED_KEYS => KeyLookup::Scanned,
            _ => {
                let bytes: Vec<&[u8]> = keys.iter().map(String::as_bytes).collect();
                let state = phf_generator::generate_hash(&bytes);
                KeyLookup::Hashed {
                    key: state.key,
                    disps: state.disps,
                    slots: state.map,
                }
            }
        };
        Self { keys, lookup }
    }

    /// The keys as one string, separated by spaces: what a `KeySet` holds.
    #[must_use]
    pub fn joined(&self) -> String {
        self.keys.join(" ")
    }
}

/// The origins of a policy, planned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // built once per policy, never moved in bulk
pub enum OriginsPlan {
    /// `origins = "*"`.
    Any,
    /// A list.
    List(OriginListPlan),
}

/// A list of origins, planned: the sets an `OriginList` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginListPlan {
    /// The entries as written, for diagnostics.
    pub written: Vec<String>,
    /// The exact origins.
    pub exact: KeySetPlan,
    /// The suffixes of `https://*.` patterns.
    pub https_subdomains: KeySetPlan,
    /// The suffixes of `http://*.` patterns.
    pub http_subdomains: KeySetPlan,
}

impl OriginListPlan {
    /// The sets of `entries`, each written as the first and checked as the second.
    #[must_use]
    pub fn new(entries: impl IntoIterator<Item = (String, OriginEntry)>) -> Self {
        let (mut written, mut exact, mut https, mut http) = (vec![], vec![], vec![], vec![]);
        for (entry, checked) in entries {
            written.push(entry);
            match checked {
                OriginEntry::Exact { origin, .. } => exact.push(origin),
                OriginEntry::Subdomains {
                    scheme: Scheme::Https,
                    suffix,
                    ..
                } => https.push(suffix),
                OriginEntry::Subdomains {
                    scheme: Scheme::Http,
                    suffix,
                    ..
                } => http.push(suffix),
            }
        }
        Self {
            written,
            exact: KeySetPlan::new(exact),
            https_subdomains: KeySetPlan::new(https),
            http_subdomains: KeySetPlan::new(http),
        }
    }

    /// The sets of `entries`, each checked by the rules of a literal origin.
    ///
    /// # Errors
    /// The first entry that breaks a rule.
    pub fn parse(entries: &[&str]) -> Result<Self, RuleError> {
        let checked = entries
            .iter()
            .map(|&entry| Ok((entry.to_owned(), parse_origin(entry)?)))
            .collect::<Result<Vec<_>, RuleError>>()?;
        Ok(Self::new(checked))
    }
}

/// A list of header names, planned: `*`, or lowercase names, sorted and deduplicated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Names {
    /// `*`.
    Any,
    /// The names; empty for none.
    List(Vec<String>),
}

impl Names {
    /// The list as the header sends it: `None` for `*`, else the names joined by `", "`.
    #[must_use]
    pub fn text(&self) -> Option<String> {
        match self {
            Self::Any => None,
            Self::List(names) => Some(names.join(", ")),
        }
    }
}

/// A checked policy, planned as `#[cors]` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyPlan {
    /// The origins.
    pub origins: OriginsPlan,
    /// The methods, as browsers send them.
    pub methods: Vec<String>,
    /// `headers`.
    pub headers: Names,
    /// `expose`.
    pub expose: Names,
    /// `credentials`.
    pub credentials: bool,
    /// `private_network`.
    pub private_network: bool,
    /// `max_age`, in seconds.
    pub max_age: u32,
}

impl PolicyPlan {
    /// `Access-Control-Allow-Methods`.
    #[must_use]
    pub fn methods_text(&self) -> String {
        self.methods.join(", ")
    }
}

#[cfg(feature = "test-util")]
mod build {
    use phf::Map;

    use super::{KeyLookup, KeySetPlan, Names, OriginListPlan, OriginsPlan, PolicyPlan};
    use crate::key_set::KeySet;
    use crate::origin::{AllowedOrigins, LiveSet, OriginList};
    use crate::parts::{HeaderList, PolicyParts};
    use crate::Policy;

    fn leak(text: String) -> &'static str {
        String::leak(text)
    }

    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    impl KeySet {
        /// The set `#[cors]` would generate for `keys`, built at run time through the macro's
        /// own lowering: for tests, benchmarks and fuzzing (feature `test-util`). Its keys and
        /// index are leaked, as a `static` would hold them.
        ///
        /// # Panics
        /// If a key is empty, contains a space or is listed twice (the perfect-hash generator
        /// would search forever for a hash telling duplicates apart), or with 2³² keys or more.
        #[must_use]
        pub fn build(keys: &[&str]) -> Self {
            KeySetPlan::new(keys.iter().map(|&k| k.to_owned()).collect()).leak()
        }
    }

    impl KeySetPlan {
        /// The `KeySet` the macro would write for this plan, its keys and index leaked as a
        /// `static` would hold them (feature `test-util`).
        #[must_use]
        pub fn leak(&self) -> KeySet {
            let joined = leak(self.joined());
            match &self.lookup {
                KeyLookup::One => KeySet::one(joined),
                KeyLookup::Scanned => KeySet::scanned(joined),
                KeyLookup::Hashed { key, disps, slots } => {
                    let keys: Vec<&'static [u8]> = joined.split(' ').map(str::as_bytes).collect();
                    let entries = slots
                        .iter()
                        .map(|&position| (keys[position], position as u32))
                        .collect();
                    KeySet::hashed(
                        joined,
                        Map {
                            key: *key,
                            disps: Vec::leak(disps.clone()),
                            entries: Vec::leak(entries),
                        },
                    )
                }
            }
        }
    }

    impl OriginListPlan {
        /// The `OriginList` the macro would write for this plan and the `live` sets, without
        /// configured sources, leaked as a `static` would hold it (feature `test-util`).
        #[must_use]
        pub fn leak(&self, live: &'static [LiveSet]) -> OriginList {
            OriginList::new(
                leak(self.written.join(" ")),
                self.exact.leak(),
                self.https_subdomains.leak(),
                self.http_subdomains.leak(),
                None,
                live,
            )
        }
    }

    impl OriginsPlan {
        fn leak(&self, live: &'static [LiveSet]) -> AllowedOrigins {
            match self {
                Self::Any => AllowedOrigins::Any,
                Self::List(list) => AllowedOrigins::List(list.leak(live)),
            }
        }
    }

    fn header_list(names: &Names) -> HeaderList {
        names
            .text()
            .map_or(HeaderList::Any, |text| HeaderList::Names(leak(text)))
    }

    impl PolicyPlan {
        /// The policy `#[cors]` would generate for this plan, for `handler`, leaked as a
        /// `static` would hold it (feature `test-util`): for tests, benchmarks and fuzzing.
        ///
        /// ```
        /// use cors_runtime::lowering::{Names, OriginListPlan, OriginsPlan, PolicyPlan};
        /// let policy = PolicyPlan {
        ///     origins: OriginsPlan::List(OriginListPlan::parse(&["https://app.example.com"]).unwrap()),
        ///     methods: vec!["GET".into()],
        ///     headers: Names::List(vec!["x-token".into()]),
        ///     expose: Names::List(vec![]),
        ///     credentials: false,
        ///     private_network: false,
        ///     max_age: 600,
        /// }
        /// .build("doc");
        /// assert!(policy.preflight("https://app.example.com", "GET", &["x-token"]).is_allowed());
        /// ```
        #[must_use]
        pub fn build(&self, handler: &'static str) -> &'static Policy {
            self.build_with_sets(handler, &[])
        }

        /// [`build`](Self::build), the list of origins also reading the `live` sets, as
        /// `set(NAME)` entries do.
        #[must_use]
        pub fn build_with_sets(
            &self,
            handler: &'static str,
            live: &'static [LiveSet],
        ) -> &'static Policy {
            Box::leak(Box::new(Policy::from_parts(PolicyParts {
                handler,
                location: "built at run time",
                origins: self.origins.leak(live),
                methods: leak(self.methods_text()),
                headers: header_list(&self.headers),
                expose: header_list(&self.expose),
                credentials: self.credentials,
                private_network: self.private_network,
                max_age: self.max_age,
            })))
        }
    }
}
