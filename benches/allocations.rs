//! Benchmark 2: heap allocations per request, counted by a global allocator, for every variant
//! and case of benchmark 1, in the steady state (pools and caches filled). The bench fails if
//! static-cors adds any over the hand-written handler floor, if its App-level layer adds any to
//! an actual request (over the same App without it), or if the layer's preflight on the scope
//! of twenty routes makes more than the middleware floor's. The difference to the middleware
//! floor is reported too. Results go to `target/bench-report/allocations.csv`.

#[path = "support/counting.rs"]
mod counting;
mod support;

use actix_web::rt::Runtime;
use counting::totals;
use support::{no_count, report, variants, Case, Route, LAYER};

/// Requests per count: pools and caches fill on the first requests, so the steady state is
/// the average over many.
const REQUESTS: u64 = 1000;

fn main() {
    let rt = Runtime::new().expect("a runtime");
    let header = "route,case,variant,allocations_per_request,bytes_per_request,added_over_handler_floor,added_over_middleware_floor,added_over_static_cors";
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for (route, case) in Route::ALL
        .into_iter()
        .flat_map(|route| Case::ALL.map(|case| (route, case)))
    {
        let variants = variants(&rt, route);
        let counts: Vec<_> = variants
            .iter()
            .map(|(name, measure)| {
                measure(case, REQUESTS, no_count); // fill pools and caches
                let counted = measure(case, REQUESTS, totals).counted;
                let per = |n: u64| n as f64 / REQUESTS as f64;
                (*name, per(counted[0]), per(counted[1]))
            })
            .collect();
        let of = |variant: &str| {
            counts
                .iter()
                .find(|(name, ..)| *name == variant)
                .expect("a floor variant")
                .1
        };
        let references = [
            of("floor: handler"),
            of("floor: middleware"),
            of("static-cors"),
        ];
        for (name, allocations, bytes) in &counts {
            let added = references.map(|reference| allocations - reference);
            rows.push(format!(
                "{},{},{name},{allocations:.2},{bytes:.0},{:+.2},{:+.2},{:+.2}",
                route.slug(),
                case.slug(),
                added[0],
                added[1],
                added[2],
            ));
            // The handler floor: the handler that inserts the same headers itself.
            if *name == "static-cors" && added[0] > 0.0 {
                failures.push(format!(
                    "{} on the {}: static-cors adds {:.2} allocations per request over the handler floor",
                    case.name(),
                    route.slug(),
                    added[0],
                ));
            }
            // The layer on an actual request: nothing over the same App without it.
            if *name == LAYER && case != Case::Preflight && added[2] > 0.0 {
                failures.push(format!(
                    "{} on the {}: the layer adds {:.2} allocations per request",
                    case.name(),
                    route.slug(),
                    added[2],
                ));
            }
            // The layer's preflight among twenty routes: no more than the middleware floor.
            if *name == LAYER && case == Case::Preflight && route == Route::Scope && added[1] > 0.0
            {
                failures.push(format!(
                    "preflight on the {}: the layer makes {:.2} allocations per request more \
                     than the middleware floor",
                    route.slug(),
                    added[1],
                ));
            }
        }
    }
    report(
        &format!("allocations per request, steady state over {REQUESTS} requests"),
        "allocations.csv",
        header,
        &rows,
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
