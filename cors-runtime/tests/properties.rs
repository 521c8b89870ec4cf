//! Property tests of the decision core: for arbitrary policies and arbitrary request bytes,
//! nothing panics and an origin is granted exactly when an independent reference matcher —
//! written from the definition, on top of the `url` crate's origin serialization — says so.

use std::collections::BTreeSet;

use cors_runtime::header_list::{MalformedList, RequestedHeaders, MAX_EMPTY_ELEMENTS};
use cors_runtime::lowering::{Names, OriginListPlan, OriginsPlan, PolicyPlan};
use cors_runtime::origin::{LiveSet, OriginEntry, OriginSet, Scheme};
use cors_runtime::response::OriginToWrite;
use cors_runtime::{ActualVerdict, AllowOrigin, OriginHeader, Policy, PreflightVerdict, Refusal};
use proptest::prelude::*;

/// A policy as plain data, the input of both the real policy and the reference.
#[derive(Debug, Clone)]
struct Model {
    any: bool,
    exact: BTreeSet<String>,
    /// (scheme, domain, port)
    patterns: BTreeSet<(String, String, Option<u16>)>,
    headers: BTreeSet<String>,
}

/// Builds the runtime policy the macro would generate for `model`, through the macro's own
/// lowering. The entries are given as checked (a model may hold patterns the rules refuse,
/// such as `*.co.uk`: the matcher must still be right about them).
fn policy(model: &Model) -> &'static Policy {
    let scheme_of = |scheme: &str| match scheme {
        "https" => Scheme::Https,
        _ => Scheme::Http,
    };
    let origins = if model.any {
        OriginsPlan::Any
    } else {
        let exact = model.exact.iter().map(|origin| {
            let (scheme, rest) = origin.split_once("://").unwrap_or(("https", origin));
            let host = rest.rsplit_once(':').map_or(rest, |(host, _)| host);
            let entry = OriginEntry::Exact {
                origin: origin.clone(),
                scheme: scheme_of(scheme),
                host: host.to_owned(),
            };
            (origin.clone(), entry)
        });
        let patterns = model.patterns.iter().map(|(scheme, domain, port)| {
            let suffix = port.map_or_else(|| domain.clone(), |p| format!("{domain}:{p}"));
            let entry = OriginEntry::Subdomains {
                scheme: scheme_of(scheme),
                domain: domain.clone(),
                suffix: suffix.clone(),
            };
            (format!("{scheme}://*.{suffix}"), entry)
        });
        OriginsPlan::List(OriginListPlan::new(exact.chain(patterns)))
    };
    PolicyPlan {
        origins,
        methods: vec!["GET".into(), "PUT".into()],
        headers: Names::List(model.headers.iter().cloned().collect()),
        expose: Names::List(Vec::new()),
        credentials: !model.any,
        private_network: false,
        max_age: 5,
    }
    .build("property")
}

/// `model`'s origins in a live set (those the set's rules take) next to one literal origin, and
/// the model of what the policy then grants.
fn live_policy(model: &Model) -> (&'static Policy, Model) {
    const LITERAL: &str = "https://literal.test";
    // Plain-http entries are allowed, so that both schemes reach the set.
    let set: &'static OriginSet = Box::leak(Box::new(OriginSet::allowing_insecure_http()));
    let mut granted = Model {
        exact: BTreeSet::from([LITERAL.to_owned()]),
        patterns: BTreeSet::new(),
        ..model.clone()
    };
    for origin in &model.exact {
        if set.insert(origin).is_ok() {
            granted.exact.insert(origin.clone());
        }
    }
    for (scheme, domain, port) in &model.patterns {
        let suffix = port.map_or_else(|| domain.clone(), |p| format!("{domain}:{p}"));
        if set.insert(&format!("{scheme}://*.{suffix}")).is_ok() {
            granted
                .patterns
                .insert((scheme.clone(), domain.clone(), *port));
        }
    }
    let live: &'static [LiveSet] = Box::leak(Box::new([LiveSet::new(set, "LIVE", false)]));
    let policy = PolicyPlan {
        origins: OriginsPlan::List(OriginListPlan::parse(&[LITERAL]).expect("a valid literal")),
        methods: vec!["GET".into()],
        headers: Names::List(Vec::new()),
        expose: Names::List(Vec::new()),
        credentials: true,
        private_network: false,
        max_age: 5,
    }
    .build_with_sets("live", live);
    (policy, granted)
}

/// The definition, independently: an exact entry byte for byte, or a canonical serialized
/// origin whose host is one or more lowercase LDH/underscore labels under a pattern's domain,
/// with the pattern's scheme and port.
fn reference_grants(model: &Model, origin: &[u8]) -> bool {
    if model.any {
        return true;
    }
    let Ok(origin) = std::str::from_utf8(origin) else {
        return false;
    };
    if model.exact.contains(origin) {
        return true;
    }
    let Ok(url) = url::Url::parse(origin) else {
        return false;
    };
    if url.origin().ascii_serialization() != origin {
        return false;
    }
    let Some(url::Host::Domain(host)) = url.host() else {
        return false;
    };
    model.patterns.iter().any(|(scheme, domain, port)| {
        let Some(sub) = host
            .strip_suffix(domain.as_str())
            .and_then(|h| h.strip_suffix('.'))
        else {
            return false;
        };
        url.scheme() == scheme
            && url.port() == *port
            && sub.split('.').all(|label| {
                !label.is_empty()
                    && label.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    })
            })
    })
}

const LABELS: &[&str] = &[
    "a",
    "app",
    "example",
    "evil",
    "x-1",
    "a_b",
    "xn--bcher-kva",
    "co",
    "com",
    "org",
];
/// Subdomain labels a browser never sends, but an attacker can: they must never match.
const HOSTILE_LABELS: &[&str] = &[
    "A",
    "a!b",
    "a%60",
    "evil.com/",
    "evil@a",
    "",
    " a",
    "a#",
    "a..b",
    "évil",
    "a:1",
];
const TLDS: &[&str] = &["com", "org", "test", "uk"];

fn scheme() -> impl Strategy<Value = String> {
    prop_oneof![Just("https".to_owned()), Just("http".to_owned())]
}

fn port() -> impl Strategy<Value = Option<u16>> {
    prop_oneof![3 => Just(None), 1 => Just(Some(8080)), 1 => Just(Some(8443))]
}

fn domain(min_labels: usize) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(LABELS), min_labels..4),
        prop::sample::select(TLDS),
    )
        .prop_map(|(labels, tld)| {
            let mut parts = labels;
            parts.push(tld);
            parts.join(".")
        })
}

fn origin_string(scheme: &str, host: &str, port: Option<u16>) -> String {
    match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    }
}

fn model() -> impl Strategy<Value = Model> {
    (
        prop::bool::weighted(0.1),
        // Up to 4 exact origins are scanned, more are hashed: both forms are drawn.
        prop::collection::btree_set(
            (scheme(), domain(0), port()).prop_map(|(s, h, p)| origin_string(&s, &h, p)),
            0..8,
        ),
        // Likewise the patterns of each scheme.
        prop::collection::btree_set((scheme(), domain(1), port()), 0..12),
        prop::collection::btree_set(
            prop::sample::select(&["content-type", "x-token", "x-1"][..]).prop_map(str::to_owned),
            0..3,
        ),
    )
        .prop_map(|(any, exact, patterns, headers)| Model {
            any,
            exact,
            patterns,
            headers,
        })
}

/// Origins worth asking about: listed ones, subdomains of patterns, near misses and garbage.
fn origin_for(model: Model) -> impl Strategy<Value = (Model, Vec<u8>)> {
    let listed: Vec<String> = model.exact.iter().cloned().collect();
    let patterns: Vec<(String, String, Option<u16>)> = model.patterns.iter().cloned().collect();
    let listed_pick = if listed.is_empty() {
        Just(String::new()).boxed()
    } else {
        prop::sample::select(listed).boxed()
    };
    let sub_pick = if patterns.is_empty() {
        Just(String::new()).boxed()
    } else {
        let label = prop_oneof![
            3 => domain(0),
            1 => prop::sample::select(HOSTILE_LABELS).prop_map(str::to_owned),
        ];
        (
            prop::sample::select(patterns),
            label,
            port(),
            prop::bool::ANY,
        )
            .prop_map(|((s, d, p), sub, other_port, keep_port)| {
                let port = if keep_port { p } else { other_port };
                origin_string(&s, &format!("{sub}.{d}"), port)
            })
            .boxed()
    };
    let mutated = (
        prop_oneof![listed_pick.clone(), sub_pick.clone()],
        0..7usize,
    )
        .prop_map(|(o, how)| match how {
            0 => o.to_uppercase(),
            1 => format!("{o}/"),
            2 => format!("{o}."),
            3 => o.replacen("https://", "http://", 1),
            4 => format!("{o}.evil.com"),
            5 => o.replacen("://", "://evil", 1),
            _ => format!("{o}:443"),
        });
    let random = (scheme(), domain(0), port()).prop_map(|(s, h, p)| origin_string(&s, &h, p));
    let garbage = prop::collection::vec(any::<u8>(), 0..40)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned());
    let origin = prop_oneof![
        3 => listed_pick,
        3 => sub_pick,
        3 => mutated,
        2 => random,
        1 => Just("null".to_owned()),
        1 => garbage,
    ];
    (Just(model), origin.prop_map(String::into_bytes))
}

/// `Access-Control-Request-Headers` as RFC 9110 defines a list, independently: every field
/// line split at every comma (`n` commas, `n + 1` elements, so an empty line is one empty
/// element), each element trimmed of spaces and tabs; empty elements are skipped up to
/// [`MAX_EMPTY_ELEMENTS`], the one after refuses the list, and so does an element that is not a
/// token.
fn reference_header_list(lines: &[Vec<u8>]) -> Vec<Result<&[u8], MalformedList<'_>>> {
    let is_ows = |b: &u8| *b == b' ' || *b == b'\t';
    let is_tchar = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    let mut out = Vec::new();
    let mut empty = 0;
    for element in lines.iter().flat_map(|line| line.split(|&b| b == b',')) {
        let start = element
            .iter()
            .position(|b| !is_ows(b))
            .unwrap_or(element.len());
        let end = element
            .iter()
            .rposition(|b| !is_ows(b))
            .map_or(start, |i| i + 1);
        let element = &element[start..end];
        if element.is_empty() {
            empty += 1;
            if empty > MAX_EMPTY_ELEMENTS {
                out.push(Err(MalformedList::TooManyEmptyElements));
                break;
            }
        } else if element.iter().all(is_tchar) {
            out.push(Ok(element));
        } else {
            out.push(Err(MalformedList::NotAToken(element)));
            break;
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn request_header_lists_parse_as_the_rfc_list_reference(
        lines in prop::collection::vec(
            prop_oneof![
                1 => Just(Vec::new()),
                4 => prop::collection::vec(
                    // Mostly names and commas: a non-token byte ends the walk early.
                    prop_oneof![
                        20 => prop::sample::select(&b"ax-,,,, \t"[..]),
                        1 => prop::sample::select(&b":\xff"[..]),
                    ],
                    0..40,
                ),
            ],
            0..5,
        ),
    ) {
        let parsed: Vec<_> = RequestedHeaders::new(lines.iter().map(Vec::as_slice)).collect();
        prop_assert_eq!(parsed, reference_header_list(&lines));
    }

    #[test]
    fn granted_exactly_when_the_reference_says_and_echoed_byte_for_byte((model, origin) in model().prop_flat_map(origin_for)) {
        let policy = policy(&model);
        let expected = reference_grants(&model, &origin);
        let verdict = policy.evaluate_actual(OriginHeader::One(&origin), b"GET");
        match verdict {
            ActualVerdict::Allowed(allow) => {
                prop_assert!(expected, "granted {:?} against {:?}", String::from_utf8_lossy(&origin), model);
                match allow {
                    AllowOrigin::Any => prop_assert!(model.any),
                    other => prop_assert_eq!(other.as_bytes(), &origin[..]),
                }
            }
            ActualVerdict::Refused(_) => prop_assert!(!expected, "refused {:?} against {:?}", String::from_utf8_lossy(&origin), model),
            ActualVerdict::NotCors => prop_assert!(false, "an Origin was sent"),
        }
        let preflight = policy.evaluate_preflight(OriginHeader::One(&origin), b"GET", [], false);
        prop_assert_eq!(preflight.is_allowed(), expected);
    }

    #[test]
    fn a_live_set_grants_exactly_when_the_reference_says((model, origin) in model().prop_flat_map(origin_for)) {
        prop_assume!(!model.any);
        let (policy, granted) = live_policy(&model);
        let expected = reference_grants(&granted, &origin);
        match policy.evaluate_actual(OriginHeader::One(&origin), b"GET") {
            ActualVerdict::Allowed(allow) => {
                prop_assert!(expected, "granted {:?} against {:?}", String::from_utf8_lossy(&origin), granted);
                prop_assert_eq!(allow.as_bytes(), &origin[..]);
            }
            ActualVerdict::Refused(_) => prop_assert!(!expected, "refused {:?} against {:?}", String::from_utf8_lossy(&origin), granted),
            ActualVerdict::NotCors => prop_assert!(false, "an Origin was sent"),
        }
    }

    #[test]
    fn credentials_are_never_paired_with_a_wildcard_origin((model, origin) in model().prop_flat_map(origin_for)) {
        let policy = policy(&model);
        let verdict = policy.evaluate_actual(OriginHeader::One(&origin), b"GET");
        let headers = policy.actual_headers(&verdict);
        let credentials = headers.fixed().any(|(name, _)| name == "access-control-allow-credentials");
        prop_assert!(!(credentials && matches!(headers.allow_origin, Some(OriginToWrite::Any))));
    }

    #[test]
    fn arbitrary_preflight_bytes_never_panic_and_grant_only_listed_headers(
        model in model(),
        origin in prop::collection::vec(any::<u8>(), 0..64),
        method in prop::collection::vec(any::<u8>(), 0..16),
        lines in prop::collection::vec(prop::collection::vec(prop::sample::select(&b"ax-tokenc,, \t\xff:"[..]), 0..48), 0..3),
    ) {
        let policy = policy(&model);
        let verdict = policy.evaluate_preflight(OriginHeader::One(&origin), &method, lines.iter().map(Vec::as_slice), true);
        if let PreflightVerdict::Allowed { .. } = verdict {
            prop_assert!(method == b"GET" || method == b"PUT");
            for line in &lines {
                for name in line.split(|&b| b == b',') {
                    let name = name.trim_ascii();
                    if !name.is_empty() {
                        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
                        prop_assert!(model.headers.contains(&name), "granted unlisted header {:?}", name);
                    }
                }
            }
        }
    }

    #[test]
    fn a_preflight_is_refused_for_its_headers_as_the_parsed_list_says(
        listed in prop::collection::btree_set(prop::sample::select(&["a", "ax", "x-a", "A-X"][..]), 0..4),
        any_header in any::<bool>(),
        lines in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    20 => prop::sample::select(&b"aAx-,, \t"[..]),
                    1 => prop::sample::select(&b":\xff"[..]),
                ],
                0..24,
            ),
            0..3,
        ),
    ) {
        let headers = match any_header {
            true => Names::Any,
            false => Names::List(listed.iter().map(|h| h.to_ascii_lowercase()).collect()),
        };
        let policy = PolicyPlan {
            origins: OriginsPlan::Any,
            methods: vec!["GET".into()],
            headers,
            expose: Names::List(Vec::new()),
            credentials: false,
            private_network: false,
            max_age: 5,
        }
        .build("headers");
        let allowed = |name: &[u8]| match any_header {
            true => !name.eq_ignore_ascii_case(b"authorization"),
            false => listed.iter().any(|h| h.as_bytes().eq_ignore_ascii_case(name)),
        };
        // The first malformed element or refused name in list order decides, as in the
        // reference parser.
        let expected = reference_header_list(&lines).into_iter().find_map(|element| match element {
            Err(malformed) => Some(Refusal::MalformedHeaders(malformed)),
            Ok(name) if !allowed(name) => Some(Refusal::HeaderNotAllowed(name)),
            Ok(_) => None,
        });
        let verdict = policy.evaluate_preflight(
            OriginHeader::One(b"https://app.example.com"),
            b"GET",
            lines.iter().map(Vec::as_slice),
            false,
        );
        prop_assert_eq!(verdict.refusal().copied(), expected);
    }
}
