//! Benchmark 2: heap allocations per request, counted by a global allocator, for every variant
//! and case of benchmark 1, in the steady state (pools and caches filled). static-cors must
//! add none over the hand-written handler floor; the bench fails if it does. The difference to
//! the middleware floor is reported too. Results go to `target/bench-report/allocations.csv`.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::rt::Runtime;
use support::{no_count, variants, write_report, Case, Route};

/// Counts allocations and allocated bytes; frees are not counted.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Requests per count: pools and caches fill on the first requests, so the steady state is
/// the average over many.
const REQUESTS: u64 = 1000;

/// The counting allocator's totals: allocations (and reallocations), bytes.
fn totals() -> [u64; 2] {
    [
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    ]
}

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
                .map_or(f64::NAN, |c| c.1)
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
            // The floor (d): the handler that inserts the headers itself.
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
    println!("allocations per request, steady state over {REQUESTS} requests");
    println!("{header}");
    for row in &rows {
        println!("{row}");
    }
    write_report("allocations.csv", header, &rows);
    assert!(failures.is_empty(), "{failures:#?}");
}
