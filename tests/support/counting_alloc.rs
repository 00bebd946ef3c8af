//! A global allocator that counts, per thread, the allocations made and the peak of
//! live heap bytes, so a test or benchmark can measure one call while other threads
//! run. Install it in a test or bench binary with
//! `#[global_allocator] static ALLOC: Counting = Counting;`.
//!
//! Bytes freed by another thread than the one that allocated them are credited to
//! the freeing thread, so measure code that keeps its allocations on one thread
//! (the verifier does).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The counting allocator (a shim over [`System`]).
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn grew(bytes: usize, new_allocation: bool) {
    // `try_with`: never fails for these const-initialised cells, but an allocator
    // must not panic.
    let _ = LIVE.try_with(|live| {
        let now = live.get().saturating_add_unsigned(bytes);
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
    if new_allocation {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }
}

fn shrank(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub_unsigned(bytes)));
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged and
// only updates thread-local counters, so `System`'s guarantees carry over.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded contract (non-zero size layout, as GlobalAlloc requires).
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size(), true);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded contract.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size(), true);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (every allocation goes through it) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded contract; `ptr` came from `System` with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size(), true);
            } else {
                shrank(layout.size() - new_size);
                let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
            }
        }
        p
    }
}

/// What one measured call cost on the calling thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Calls to `alloc`, `alloc_zeroed` and `realloc`.
    pub allocations: u64,
    /// The highest number of heap bytes live at once during the call, above what was
    /// live when it started.
    pub peak_bytes: usize,
    /// Heap bytes still live after the call that were not live before it.
    pub retained_bytes: isize,
}

/// Runs `f` and reports its heap usage on this thread (only meaningful when
/// [`Counting`] is the global allocator).
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Usage) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let count = ALLOCATIONS.with(Cell::get);
    let result = f();
    let usage = Usage {
        allocations: ALLOCATIONS.with(Cell::get) - count,
        peak_bytes: usize::try_from(PEAK.with(Cell::get) - base).unwrap_or(0),
        retained_bytes: LIVE.with(Cell::get) - base,
    };
    (result, usage)
}
