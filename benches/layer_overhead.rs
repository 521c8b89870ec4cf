//! Benchmark 8: what the App-level layer costs an actual request, against the least any
//! App-level middleware that answers some requests itself costs.
//!
//! Such a middleware changes the body type of every response it passes on (actix-web's
//! `EitherBody`), so even one that does nothing else moves each response through its own
//! future. Three Apps serve the same `#[cors]` routes, as in benchmark 1: alone, behind a
//! wrapper that only maps the body (`PassThrough`), and behind `static_cors::Cors`. They are
//! measured in interleaved rounds (requests built outside the timed span) for the three actual
//! requests on the three routes; the ratios are medians of per-round ratios, printed and
//! written to `target/bench-report/layer_overhead.csv`.

mod support;

use actix_web::rt::Runtime;
use support::{
    interleave, is_bench_run, median, median_ratio, no_count, report, wrapper_variants, Case, Route,
};

/// Rounds per (route, case).
const ROUNDS: usize = 41;
/// Requests per variant and round.
const BATCH: u64 = 2000;
/// The actual requests: a preflight never reaches the wrapper's mapping in the layer.
const CASES: [Case; 3] = [Case::AllowedGet, Case::RefusedGet, Case::NoOrigin];

fn main() {
    let rt = Runtime::new().expect("a runtime");
    // Each variant's answers are checked as it is built, also when not timed (CI).
    let routes = Route::ALL.map(|route| (route, wrapper_variants(&rt, route)));
    if !is_bench_run() {
        return;
    }
    let mut rows = Vec::new();
    for (route, variants) in &routes {
        for case in CASES {
            let runs: Vec<_> = variants
                .iter()
                .map(|(_, measure)| move |n| measure(case, n, no_count).time)
                .collect();
            // [alone, pass-through, layer][round], ns per request.
            let samples = interleave(ROUNDS, BATCH, &runs);
            let ns = |i: usize| median(samples[i].clone());
            rows.push(format!(
                "{},{},{:.0},{:.0},{:.0},{:.3},{:.3},{:.3}",
                route.slug(),
                case.slug(),
                ns(0),
                ns(1),
                ns(2),
                median_ratio(&samples, 1, 0),
                median_ratio(&samples, 2, 0),
                median_ratio(&samples, 2, 1),
            ));
        }
    }
    report(
        &format!("\ninterleaved: {ROUNDS} rounds of {BATCH} requests per variant; medians"),
        "layer_overhead.csv",
        "route,case,ns_alone,ns_pass_through,ns_layer,pass_through_x_alone,layer_x_alone,layer_x_pass_through",
        &rows,
    );
}
