//! Heap cost per verification: allocations and peak live bytes of one call, counted
//! by a global allocator (docs/benchmarks.md). The numbers are exact for a given
//! build, not statistical, so one measured call each suffices (after a first call
//! that fills one-time state such as the warm verifier's chain cache).
//!
//! `cargo bench --bench memory` (add `--no-default-features --features ring` for ring).

mod common;
#[path = "../tests/support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{measure, Counting, Usage};

#[global_allocator]
static ALLOC: Counting = Counting;

fn row(kind: &str, operation: &str, usage: Usage) {
    println!(
        "{kind:<22} {operation:<18} {:>11} {:>14.1} {:>15}",
        usage.allocations,
        usage.peak_bytes as f64 / 1024.0,
        usage.retained_bytes
    );
}

fn main() {
    let kinds = common::kinds();
    println!("backend {}", verify::crypto::BACKEND);
    println!(
        "{:<22} {:<18} {:>11} {:>14} {:>15}",
        "kind", "operation", "allocations", "peak KiB", "retained bytes"
    );
    for kind in &kinds {
        let envelope = kind.envelope.len();
        let cold = kind.verifier(0);
        let warm = kind.verifier(64);
        let request = kind.request();
        for (operation, verifier) in [("cold verify", &cold), ("warm verify", &warm)] {
            assert!(verifier.verify(&request).is_verified());
            let (outcome, usage) = measure(|| verifier.verify(&request));
            assert!(outcome.is_verified());
            drop(outcome);
            row(kind.name, operation, usage);
        }
        let (facts, usage) = measure(|| verify::inspect(&kind.envelope));
        assert!(facts.is_ok());
        row(kind.name, "parse (inspect)", usage);
        let (ok, usage) = measure(|| kind.floor());
        assert!(ok);
        row(kind.name, "crypto floor", usage);
        let store_keys = kind.store_keys();
        let (ok, usage) = measure(|| kind.floor_store_keys(&store_keys));
        assert!(ok);
        row(kind.name, "floor, store keys once", usage);
        let (ok, usage) = measure(|| kind.warm_floor());
        assert!(ok);
        row(kind.name, "warm crypto floor", usage);
        let prepared = kind.floor[0].prepared();
        let (ok, usage) = measure(|| kind.floor[0].verify_prepared(&prepared));
        assert!(ok);
        row(kind.name, "1 sig, prepared key", usage);
        let floor: Vec<&str> = kind.floor.iter().map(|s| s.what.as_str()).collect();
        println!(
            "{:<22} envelope {envelope} bytes; floor = {}",
            "",
            floor.join(" + ")
        );
    }
}
