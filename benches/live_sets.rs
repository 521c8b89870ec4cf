//! Benchmark 7: live origin sets (`set(NAME)`, an `OriginSet` changed at run time).
//!
//! 1. **Lookup at scale**: a policy whose only origins are a live set of 1, 1,000 and 100,000
//!    exact origins (`https://app{i}.example.com`), and one of as many subdomain patterns
//!    (`https://*.tenant{i}.example.com`), probed with the last entry (a hit) and with an origin
//!    of the same shape no entry covers (a miss), interleaved per round. Goal: flat within 1.5×
//!    of the 1-entry set, and no allocation.
//! 2. **Per request**: the same two origins as literals in one `#[cors]` handler and in a live set
//!    in another, each answering GETs from an exact origin, a subdomain and a refused origin,
//!    in-process through actix-web, interleaved. Goal: the set's handler within 1.10× of the
//!    literal one, with no more allocations.
//! 3. **Updates** (reported, no goal: updates copy the set): `insert` then `remove` of one
//!    origin in sets of 1,000 and 100,000, and `replace` with 100,000 entries.
//!
//! Results go to `target/bench-report/live_sets.csv`; the bench fails if a goal is missed.

#[path = "support/counting.rs"]
mod counting;
mod support;

use std::time::Instant;

use actix_web::dev::Service;
use actix_web::http::header::{HeaderValue, ORIGIN};
use actix_web::rt::Runtime;
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, App, HttpResponse, Responder};
use cors_runtime::lowering::OriginListPlan;
use cors_runtime::origin::LiveSet;
use static_cors::{cors, AllowedOrigins, OriginSet};
use support::{interleave, is_bench_run, measure_lookups, median, median_ratio, report};

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

fn leak_str(value: String) -> &'static str {
    Box::leak(value.into_boxed_str())
}

/// A live set of one kind and size, the origins a policy reading only it grants, and the
/// origins it is probed with.
struct Scenario {
    kind: &'static str,
    size: usize,
    set: &'static OriginSet,
    origins: &'static AllowedOrigins,
    hit: &'static str,
    miss: &'static str,
}

fn scenario(kind: &'static str, size: usize) -> Scenario {
    let set: &'static OriginSet = leak(OriginSet::new());
    let (entries, hit, miss): (Vec<String>, String, String) = match kind {
        "exact" => (
            (0..size)
                .map(|i| format!("https://app{i}.example.com"))
                .collect(),
            format!("https://app{}.example.com", size - 1),
            // Same length as the hit.
            format!("https://app{}.example.net", size - 1),
        ),
        _ => (
            (0..size)
                .map(|i| format!("https://*.tenant{i}.example.com"))
                .collect(),
            format!("https://eu.tenant{}.example.com", size - 1),
            format!("https://eu.tenant{}.example.net", size - 1),
        ),
    };
    set.replace(&entries).expect("valid origins");
    let live: &'static [LiveSet] = leak([LiveSet::new(set, "SET", true)]);
    // No literal entry: the list the macro writes for `origins = [set(SET)]`.
    let list = OriginListPlan::parse(&[]).expect("no entry").leak(live);
    Scenario {
        kind,
        size,
        set,
        origins: leak(AllowedOrigins::List(list)),
        hit: leak_str(hit),
        miss: leak_str(miss),
    }
}

/// Lookups per round and scenario.
const BATCH: u64 = 20_000;
/// Interleaved rounds.
const ROUNDS: usize = 31;

/// The live set of the per-request comparison.
static PARTNERS: OriginSet = OriginSet::new();

#[cors(origins = ["https://app.example.com", "https://*.example.org"], credentials = true)]
#[get("/literals")]
async fn with_literals() -> impl Responder {
    HttpResponse::Ok().body("ok")
}

#[cors(origins = [set(PARTNERS)], credentials = true)]
#[get("/live")]
async fn with_set() -> impl Responder {
    HttpResponse::Ok().body("ok")
}

/// The requests of the per-request comparison: origin, and whether it is granted.
const REQUESTS: [(&str, &str, bool); 3] = [
    ("exact", "https://app.example.com", true),
    ("subdomain", "https://eu.example.org", true),
    ("refused", "https://evil.example", false),
];

/// A GET of `path` from `origin`. The `Origin` value shares its bytes, as one parsed from a
/// connection's buffer does: echoing it onto the response copies no bytes (a test request's
/// own header values would be copied on their first clone, which no server request is).
fn request(path: &str, origin: &'static str) -> actix_http::Request {
    TestRequest::get()
        .uri(path)
        .insert_header((ORIGIN, HeaderValue::from_static(origin)))
        .to_request()
}

/// Requests per round and variant in the per-request comparison.
const REQUEST_BATCH: u64 = 2_000;

fn main() {
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let groups: &'static [[Scenario; 3]; 2] =
        leak(["exact", "pattern"].map(|kind| [1, 1_000, 100_000].map(|size| scenario(kind, size))));
    for scenario in groups.iter().flatten() {
        assert!(
            scenario.origins.allows(scenario.hit.as_bytes()),
            "{}",
            scenario.hit
        );
        assert!(
            !scenario.origins.allows(scenario.miss.as_bytes()),
            "{}",
            scenario.miss
        );
        assert_eq!(scenario.set.len(), scenario.size);
    }
    PARTNERS
        .replace(["https://app.example.com", "https://*.example.org"])
        .expect("valid origins");
    let rt = Runtime::new().expect("a runtime");
    let app = rt.block_on(init_service(
        App::new().service(with_literals).service(with_set),
    ));
    let call = |path: &str, origin: &str| {
        let request = TestRequest::get()
            .uri(path)
            .insert_header((ORIGIN, origin))
            .to_request();
        rt.block_on(app.call(request)).expect("a response")
    };
    for (_, origin, granted) in REQUESTS {
        for path in ["/literals", "/live"] {
            let response = call(path, origin);
            let allowed = response.headers().get("access-control-allow-origin");
            assert_eq!(allowed.is_some(), granted, "{path} from {origin}");
            if granted {
                assert_eq!(allowed.expect("granted"), origin, "{path} echoes {origin}");
            }
        }
    }
    if !is_bench_run() {
        return;
    }

    // 1. Lookup at scale.
    for group in groups {
        for outcome in ["hit", "miss"] {
            let pairs: Vec<_> = group
                .iter()
                .map(|scenario| {
                    let origin = if outcome == "hit" {
                        scenario.hit
                    } else {
                        scenario.miss
                    };
                    (scenario.origins, origin)
                })
                .collect();
            let (samples, allocations) =
                measure_lookups(&pairs, ROUNDS, BATCH, |f| counting::allocations_of(f).1);
            for (i, scenario) in group.iter().enumerate() {
                let allocations = allocations[i];
                let ratio = median_ratio(&samples, i, 0);
                rows.push(format!(
                    "lookup,{} {outcome},{},{:.1},{ratio:.3},{}",
                    scenario.kind,
                    scenario.size,
                    median(samples[i].clone()),
                    allocations as f64 / 1000.0,
                ));
                if ratio > 1.5 {
                    failures.push(format!(
                        "{} {outcome} in a set of {}: {ratio:.2}× the 1-entry set",
                        scenario.kind, scenario.size
                    ));
                }
                if allocations > 0 {
                    failures.push(format!(
                        "{} {outcome} in a set of {}: {allocations} allocations in 1000 lookups",
                        scenario.kind, scenario.size
                    ));
                }
            }
        }
    }

    // 2. Per request, in-process, literals against the same origins in a live set.
    let (rt, app) = (&rt, &app);
    for (name, origin, _) in REQUESTS {
        let serve = |path: &'static str| {
            move |iters: u64| {
                let requests: Vec<_> = (0..iters).map(|_| request(path, origin)).collect();
                let start = Instant::now();
                rt.block_on(async {
                    for request in requests {
                        std::hint::black_box(app.call(request).await.ok());
                    }
                });
                start.elapsed()
            }
        };
        let runs = [serve("/literals"), serve("/live")];
        let samples = interleave(ROUNDS, REQUEST_BATCH, &runs);
        let ratio = median_ratio(&samples, 1, 0);
        let allocations = |path: &'static str| {
            let requests: Vec<_> = (0..100).map(|_| request(path, origin)).collect();
            let ((), allocations) = counting::allocations_of(|| {
                rt.block_on(async {
                    for request in requests {
                        std::hint::black_box(app.call(request).await.ok());
                    }
                });
            });
            allocations as f64 / 100.0
        };
        let (literal_allocations, live_allocations) =
            (allocations("/literals"), allocations("/live"));
        rows.push(format!(
            "per request,{name},2,{:.1},{ratio:.3},{live_allocations:.2} (literals {literal_allocations:.2})",
            median(samples[1].clone()),
        ));
        if ratio > 1.10 {
            failures.push(format!(
                "{name}: the live set's handler takes {ratio:.2}× the literal one"
            ));
        }
        if live_allocations > literal_allocations {
            failures.push(format!(
                "{name}: {live_allocations} allocations per request with the set, {literal_allocations} with literals"
            ));
        }
    }

    // 3. Updates.
    for size in [1_000, 100_000] {
        let set = groups[0]
            .iter()
            .find(|s| s.size == size)
            .expect("a set")
            .set;
        let entry = "https://new.customer.example";
        let rounds = if size > 10_000 { 5 } else { 50 };
        let times: Vec<f64> = (0..rounds)
            .map(|_| {
                let start = Instant::now();
                set.insert(entry).expect("valid");
                set.remove(entry);
                start.elapsed().as_nanos() as f64 / 2.0
            })
            .collect();
        rows.push(format!(
            "update,insert or remove,{size},{:.1},,",
            median(times)
        ));
    }
    let entries: Vec<String> = (0..100_000)
        .map(|i| format!("https://app{i}.example.com"))
        .collect();
    let times: Vec<f64> = (0..3)
        .map(|_| {
            let start = Instant::now();
            groups[0][2].set.replace(&entries).expect("valid");
            start.elapsed().as_nanos() as f64
        })
        .collect();
    rows.push(format!("update,replace,100000,{:.1},,", median(times)));

    report(
        &format!("\ninterleaved: {ROUNDS} rounds; medians"),
        "live_sets.csv",
        "measure,case,size,ns,x_baseline,allocations",
        &rows,
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
