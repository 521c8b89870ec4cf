//! Benchmark 2: heap allocations per request, counted by a global allocator, for every variant
//! and case of benchmark 1, in the steady state (pools and caches filled). static-cors must
//! add none over the hand-written handler floor; the bench fails if it does. The difference to
//! the middleware floor is reported too. Results go to `target/bench-report/allocations.csv`.

#[path = "support/counting.rs"]
mod counting;
mod support;

use actix_web::rt::Runtime;
use counting::totals;
use support::{no_count, report, variants, Case, Route};

/// Requests per count: pools and caches fill on the first requests, so the steady state is
/// the average over many.
const REQUESTS: u64 = 1000;

fn main() {
    let rt = Runtime::new().expect("a runtime");
    let header = "route,case,variant,allocations_per_request,bytes_per_request,added_over_handler_floor,added_over_middleware_floor";
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
        let floors = [of("floor: handler"), of("floor: middleware")];
        for (name, allocations, bytes) in &counts {
            let added = floors.map(|floor| allocations - floor);
            rows.push(format!(
                "{},{},{name},{allocations:.2},{bytes:.0},{:+.2},{:+.2}",
                route.slug(),
                case.slug(),
                added[0],
                added[1],
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
