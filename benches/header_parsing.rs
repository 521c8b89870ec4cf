//! Benchmark 4: hostile `Access-Control-Request-Headers`, parsed and judged in place.
//!
//! Lists of 1, 16 and 1,024 names and a value of 1,024 bare commas, through the parser alone
//! (`RequestedHeaders`) and through a whole preflight decision (`Policy::evaluate_preflight`
//! with `headers = "*"`, which must read every name). The cost must be linear in the names
//! (ns per name at 1,024 within 1.5× of that at 16), bounded for commas (refused after
//! `MAX_EMPTY_ELEMENTS` empty elements: within 2× of the 16-name list, whatever the length),
//! and free of allocations. Results go to `target/bench-report/header_parsing.csv`; the bench
//! fails if a goal is missed.

#[path = "support/counting.rs"]
mod counting;
mod support;

use std::time::Duration;

use actix_web::{get, HttpResponse};
use cors_runtime::header_list::RequestedHeaders;
use criterion::Criterion;
use static_cors::{cors, OriginHeader};
use support::{interleave, is_bench_run, median, median_ratio, report, time_loop};

/// A policy that allows any header but `authorization`, so a preflight reads every name.
#[cors(origins = "*", headers = "*")]
#[get("/")]
async fn any_header() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// One `Access-Control-Request-Headers` value and how many names it holds.
struct Input {
    name: &'static str,
    names: usize,
    value: Vec<u8>,
}

/// `n` names as a browser sends them: lowercase, joined by `,`.
fn names(n: usize) -> Input {
    let value = (0..n)
        .map(|i| format!("x-header-{i:04}"))
        .collect::<Vec<_>>()
        .join(",");
    Input {
        name: match n {
            1 => "1 name",
            16 => "16 names",
            _ => "1024 names",
        },
        names: n,
        value: value.into_bytes(),
    }
}

/// The stages measured: the parser alone, and a whole preflight decision.
const STAGES: [(&str, Stage); 2] = [("parse", parse), ("evaluate", evaluate_count)];

/// One stage: runs on a header value, returns something to black-box.
type Stage = fn(&[u8]) -> usize;

fn parse(value: &[u8]) -> usize {
    cors_parse(value).0
}

fn evaluate_count(value: &[u8]) -> usize {
    usize::from(evaluate(value))
}

/// Names read and whether the list was refused as malformed.
fn cors_parse(value: &[u8]) -> (usize, bool) {
    let mut read = 0;
    for name in RequestedHeaders::new([value]) {
        match name {
            Ok(_) => read += 1,
            Err(_) => return (read, true),
        }
    }
    (read, false)
}

fn evaluate(value: &[u8]) -> bool {
    any_header::cors_policy()
        .evaluate_preflight(
            OriginHeader::One(b"https://app.example.com"),
            b"GET",
            [value],
            false,
        )
        .is_allowed()
}

/// Interleaved rounds.
const ROUNDS: usize = 31;

fn main() {
    let inputs = [
        names(1),
        names(16),
        names(1024),
        Input {
            name: "1024 commas",
            names: 0,
            value: vec![b','; 1024],
        },
    ];
    for input in &inputs[..3] {
        assert_eq!(
            cors_parse(&input.value),
            (input.names, false),
            "{}",
            input.name
        );
        assert!(evaluate(&input.value), "{}", input.name);
    }
    assert!(cors_parse(&inputs[3].value).1, "commas are refused");
    assert!(!evaluate(&inputs[3].value), "commas are refused");

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_millis(500))
        .configure_from_args();
    for (stage, run) in STAGES {
        let mut group = criterion.benchmark_group(format!("header_parsing/{stage}"));
        for input in &inputs {
            group.bench_function(input.name, |b| {
                b.iter(|| run(std::hint::black_box(&input.value)));
            });
        }
        group.finish();
    }
    criterion.final_summary();
    if !is_bench_run() {
        return;
    }

    let header = "stage,input,ns,ns_per_name,x_per_name_16,x_16_names,allocations";
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for (stage, run) in STAGES {
        // Fewer iterations for longer inputs, the same order of time per batch.
        let iters = |input: &Input| (200_000 / (input.value.len() as u64 / 16 + 1)).max(200);
        let runs: Vec<_> = inputs
            .iter()
            .map(|input| {
                let n = iters(input);
                move |_| time_loop(n, input.value.as_slice(), run) / n as u32
            })
            .collect();
        // Each run returns the time of one iteration already.
        let samples = interleave(ROUNDS, 1, &runs);
        let per_name = |i: usize| -> Vec<f64> {
            let names = inputs[i].names.max(1) as f64;
            samples[i].iter().map(|ns| ns / names).collect()
        };
        let per_name_16 = per_name(1);
        for (i, input) in inputs.iter().enumerate() {
            let ((), allocations) = counting::allocations_of(|| {
                for _ in 0..100 {
                    std::hint::black_box(run(std::hint::black_box(&input.value)));
                }
            });
            let per_name_ratio = median(
                per_name(i)
                    .iter()
                    .zip(&per_name_16)
                    .map(|(a, b)| a / b)
                    .collect(),
            );
            let to_16 = median_ratio(&samples, i, 1);
            rows.push(format!(
                "{stage},{},{:.0},{:.1},{per_name_ratio:.3},{to_16:.3},{}",
                input.name,
                median(samples[i].clone()),
                median(per_name(i)),
                allocations as f64 / 100.0,
            ));
            if input.names == 1024 && per_name_ratio > 1.5 {
                failures.push(format!(
                    "{stage} {}: {per_name_ratio:.2}× the cost per name of 16",
                    input.name
                ));
            }
            if input.names == 0 && to_16 > 2.0 {
                failures.push(format!(
                    "{stage} {}: {to_16:.2}× the cost of 16 names",
                    input.name
                ));
            }
            if allocations > 0 {
                failures.push(format!(
                    "{stage} {}: {allocations} allocations in 100 runs",
                    input.name
                ));
            }
        }
    }
    report(
        &format!("\ninterleaved: {ROUNDS} rounds; medians"),
        "header_parsing.csv",
        header,
        &rows,
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
