//! Benchmark 1: the same handler served bare, with static-cors (routed, and with its App-level
//! layer `static_cors::Cors`), with actix-cors 0.7 and with two hand-written floors, for four
//! requests on a static route, a dynamic route and the last of twenty dynamic routes in a
//! scope — in-process (`init_service` + `call` on one runtime; building the requests is not
//! timed).
//!
//! Criterion measures each (route, case, variant); then an interleaved run — every variant in
//! turn, in short batches, for many rounds — gives the ratios from one run, as medians of the
//! per-round ratios. They are printed and written to `target/bench-report/per_request.csv`.
//!
//! `BENCH_PROFILE="static-cors/preflight/dynamic-path" cargo bench --bench per_request` instead
//! serves one (variant, case, route) for ten seconds, for `perf record`; with
//! `BENCH_PROFILE_REQUESTS=n`, exactly `n` requests, for `valgrind --tool=callgrind`.

mod support;

use std::time::{Duration, Instant};

use actix_web::rt::Runtime;
use criterion::Criterion;
use support::{
    interleave, is_bench_run, median, median_ratio, no_count, report, variants, Case, Measure,
    Route,
};

fn main() {
    let rt = Runtime::new().expect("a runtime");
    let routes = Route::ALL.map(|route| (route, variants(&rt, route)));
    if let Ok(target) = std::env::var("BENCH_PROFILE") {
        profile(&routes, &target);
        return;
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args();
    for (route, variants) in &routes {
        for case in Case::ALL {
            let mut group =
                criterion.benchmark_group(format!("per_request/{}/{}", route.slug(), case.slug()));
            for (name, measure) in variants {
                group.bench_function(*name, |b| {
                    b.iter_custom(|iters| measure(case, iters, no_count).time);
                });
            }
            group.finish();
        }
    }
    criterion.final_summary();
    if is_bench_run() {
        let rows = routes
            .iter()
            .flat_map(|(route, variants)| interleaved(*route, variants))
            .collect::<Vec<_>>();
        let header = "route,case,variant,ns_per_request,x_bare,x_actix_cors,x_floor_handler,x_floor_middleware,x_better_floor,x_static_cors";
        report(
            &format!("\ninterleaved: {ROUNDS} rounds of {BATCH} requests per variant; medians"),
            "per_request.csv",
            header,
            &rows,
        );
    }
}

/// Rounds per (route, case) in the interleaved run.
const ROUNDS: usize = 41;
/// Requests per variant and round.
const BATCH: u64 = 2000;

/// Serves one `variant/case[/route]` (slugs as in the CSV; the dynamic route by default) for
/// ten seconds, or `BENCH_PROFILE_REQUESTS` times.
fn profile(routes: &[(Route, Vec<(&'static str, Measure<'_>)>)], target: &str) {
    let mut parts = target.split('/');
    let (variant, case) = (parts.next(), parts.next());
    let route = parts.next().unwrap_or(Route::Dynamic.slug());
    let case = Case::ALL
        .into_iter()
        .find(|c| Some(c.slug()) == case)
        .expect("BENCH_PROFILE=variant/case[/route], with a case slug");
    let (_, variants) = routes
        .iter()
        .find(|(r, _)| r.slug() == route)
        .expect("a route slug");
    let (_, measure) = variants
        .iter()
        .find(|(name, _)| Some(*name) == variant)
        .expect("a variant name");
    if let Some(n) = std::env::var("BENCH_PROFILE_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        measure(case, n, no_count);
        println!("{target}: {n} requests");
        return;
    }
    let start = Instant::now();
    let mut served = 0;
    while start.elapsed() < Duration::from_secs(10) {
        measure(case, 100_000, no_count);
        served += 100_000;
    }
    println!("{target}: {served} requests");
}

/// Rounds of short batches, every variant in turn, so that load on the machine hits all
/// variants alike; returns, per case and variant, the median ns per request and the medians of
/// the per-round ratios, as CSV rows.
fn interleaved(route: Route, variants: &[(&'static str, Measure<'_>)]) -> Vec<String> {
    let index = |name: &str| {
        variants
            .iter()
            .position(|(n, _)| *n == name)
            .expect("a variant")
    };
    let references = [
        index("bare"),
        index("actix-cors"),
        index("floor: handler"),
        index("floor: middleware"),
        index("static-cors"),
    ];
    let mut rows = Vec::new();
    for case in Case::ALL {
        // ns per request, [variant][round]; the order rotates, so that no variant always runs
        // right after another.
        let runs: Vec<_> = variants
            .iter()
            .map(|(_, measure)| move |n| measure(case, n, no_count).time)
            .collect();
        let samples = interleave(ROUNDS, BATCH, &runs);
        let ratio = |i: usize, j: usize| median_ratio(&samples, i, j);
        let [_, _, handler_floor, middleware_floor, _] = references;
        for (i, (name, _)) in variants.iter().enumerate() {
            let [bare, actix_cors, floor_handler, floor_middleware, static_cors] =
                references.map(|j| ratio(i, j));
            // Per round, against the faster floor of that round.
            let better_floor = median(
                (0..ROUNDS)
                    .map(|r| {
                        samples[i][r] / samples[handler_floor][r].min(samples[middleware_floor][r])
                    })
                    .collect(),
            );
            rows.push(format!(
                "{},{},{},{:.0},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3}",
                route.slug(),
                case.slug(),
                name,
                median(samples[i].clone()),
                bare,
                actix_cors,
                floor_handler,
                floor_middleware,
                better_floor,
                static_cors,
            ));
        }
    }
    rows
}
