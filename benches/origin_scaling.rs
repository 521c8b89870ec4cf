//! Benchmark 3: origin matching at scale, at the runtime level (`AllowedOrigins::allows`).
//!
//! Exact lists of 1, 100 and 10,000 origins and subdomain-pattern lists of 1, 100 and 1,000
//! patterns, each probed with its last entry (a hit) and with an origin of the same shape that
//! no entry covers (a miss). The lists are built as the macro builds them: up to four entries
//! are compared one by one (a length check and a few bytes beat hashing the origin), longer
//! lists are perfect-hash sets, so the cost must not grow with the list. Sizes are interleaved
//! per round; the ratios are medians of per-round ratios.
//!
//! The 1-entry lists are therefore faster than the hashed ones, and the flatness goal (within
//! 1.5×) is checked from the smallest hashed list (100) up. Every lookup must also be
//! allocation-free. Results go to `target/bench-report/origin_scaling.csv`; the bench fails if
//! a goal is missed.

#[path = "support/counting.rs"]
mod counting;
mod support;

use std::time::Duration;

use cors_runtime::lowering::OriginListPlan;
use criterion::Criterion;
use static_cors::{AllowedOrigins, OriginList};
use support::{is_bench_run, measure_lookups, median, median_ratio, report};

/// A list of one kind and size, with the origins it is probed with.
struct Scenario {
    kind: &'static str,
    size: usize,
    origins: &'static AllowedOrigins,
    hit: &'static str,
    miss: &'static str,
}

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

fn leak_str(value: String) -> &'static str {
    Box::leak(value.into_boxed_str())
}

/// The list `#[cors(origins = [..written])]` generates, through the macro's own lowering.
fn built(written: &[String]) -> OriginList {
    let entries: Vec<&str> = written.iter().map(String::as_str).collect();
    OriginListPlan::parse(&entries)
        .expect("valid origins")
        .leak(&[])
}

/// `n` exact origins, `https://app{i}.example.com`.
fn exact(n: usize) -> Scenario {
    let written: Vec<String> = (0..n)
        .map(|i| format!("https://app{i}.example.com"))
        .collect();
    let list = built(&written);
    let last = leak_str(written[n - 1].clone());
    Scenario {
        kind: "exact",
        size: n,
        origins: leak(AllowedOrigins::List(list)),
        hit: last,
        // Same length as the hit, so no list can refuse it on length alone.
        miss: leak_str(last.replace(".com", ".net")),
    }
}

/// `n` subdomain patterns, `https://*.tenant{i}.example.com`.
fn wildcard(n: usize) -> Scenario {
    let written: Vec<String> = (0..n)
        .map(|i| format!("https://*.tenant{i}.example.com"))
        .collect();
    let list = built(&written);
    Scenario {
        kind: "wildcard",
        size: n,
        origins: leak(AllowedOrigins::List(list)),
        hit: leak_str(format!("https://eu.tenant{}.example.com", n - 1)),
        miss: leak_str(format!("https://eu.tenant{}.example.net", n - 1)),
    }
}

/// Lookups per round and scenario in the interleaved run.
const BATCH: u64 = 20_000;
/// Interleaved rounds.
const ROUNDS: usize = 31;

fn main() {
    let groups: &'static [[Scenario; 3]; 2] =
        leak([[1, 100, 10_000].map(exact), [1, 100, 1_000].map(wildcard)]);
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
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_millis(500))
        .configure_from_args();
    for group in groups {
        for outcome in ["hit", "miss"] {
            let mut bench =
                criterion.benchmark_group(format!("origin_scaling/{}/{outcome}", group[0].kind));
            for scenario in group {
                let origin = if outcome == "hit" {
                    scenario.hit
                } else {
                    scenario.miss
                };
                bench.bench_function(scenario.size.to_string(), |b| {
                    b.iter(|| {
                        scenario
                            .origins
                            .allows(std::hint::black_box(origin.as_bytes()))
                    });
                });
            }
            bench.finish();
        }
    }
    criterion.final_summary();
    if !is_bench_run() {
        return;
    }
    let header =
        "kind,outcome,size,ns_per_lookup,x_smallest,x_smallest_hashed,allocations_per_lookup";
    let mut rows = Vec::new();
    let mut failures = Vec::new();
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
                // Lists of up to four entries are scanned, not hashed: flatness is measured
                // from the first hashed list, the second size.
                let ratio = median_ratio(&samples, i, i.min(1));
                rows.push(format!(
                    "{},{outcome},{},{:.1},{:.3},{ratio:.3},{}",
                    scenario.kind,
                    scenario.size,
                    median(samples[i].clone()),
                    median_ratio(&samples, i, 0),
                    allocations as f64 / 1000.0,
                ));
                if ratio > 1.5 {
                    failures.push(format!(
                        "{} {outcome} with {}: {ratio:.2}× the cost of the smallest hashed list",
                        scenario.kind, scenario.size
                    ));
                }
                if allocations > 0 {
                    failures.push(format!(
                        "{} {outcome} with {}: {allocations} allocations in 1000 lookups",
                        scenario.kind, scenario.size
                    ));
                }
            }
        }
    }
    report(
        &format!("\ninterleaved: {ROUNDS} rounds of {BATCH} lookups; medians"),
        "origin_scaling.csv",
        header,
        &rows,
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
