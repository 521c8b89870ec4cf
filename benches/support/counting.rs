//! A global allocator that counts allocations and allocated bytes, for the benches that assert
//! or report allocations. Included by those benches only (`#[path]`): `per_request` times on
//! the plain system allocator; `origin_scaling` and `header_parsing` time and count with this
//! one (two relaxed atomic additions per allocation, and the paths they time allocate nothing).

#![allow(dead_code)] // each bench uses part of this module

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts allocations (reallocations included) and allocated bytes; frees are not counted.
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

/// The totals so far: allocations, bytes.
pub fn totals() -> [u64; 2] {
    [
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    ]
}

/// Runs `f` and returns its result with the allocations it made.
pub fn allocations_of<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = totals()[0];
    let result = f();
    (result, totals()[0] - before)
}
