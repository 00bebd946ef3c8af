//! Verification speed against the cost of its cryptography (docs/benchmarks.md).
//!
//! For each fixture kind criterion measures: `cold` (a verifier without chain
//! cache: every chain link verified), `warm` (the chain cached by an earlier
//! call), `parse` (`verify::inspect`), `floor` (the raw signature verifications the
//! verification needs, run back to back) and `signature` (the envelope signature
//! alone). A summary then measures the same operations interleaved, round by
//! round, so the ratios compare numbers taken under the same machine load, and the
//! throughput of one verifier shared by 1 and by 2 threads.
//!
//! `cargo bench --bench verify` (aws-lc) and
//! `cargo bench --bench verify --no-default-features --features ring`.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::Kind;
use criterion::Criterion;
use verify::Verifier;

/// Capacity of the warm verifier's chain cache.
const CACHE: usize = 64;

fn criterion_benches(c: &mut Criterion, kinds: &[Kind]) {
    for kind in kinds {
        let cold = kind.verifier(0);
        let warm = kind.verifier(CACHE);
        let request = kind.request();
        assert!(warm.verify(&request).is_verified(), "warm-up verification");
        let mut group = c.benchmark_group(kind.name);
        group.bench_function("cold", |b| b.iter(|| cold.verify(black_box(&request))));
        group.bench_function("warm", |b| b.iter(|| warm.verify(black_box(&request))));
        group.bench_function("parse", |b| {
            b.iter(|| verify::inspect(black_box(&kind.envelope)))
        });
        group.bench_function("floor", |b| b.iter(|| black_box(kind).floor()));
        group.bench_function("signature", |b| {
            b.iter(|| black_box(&kind.floor[0]).verify())
        });
        group.finish();
    }
}

/// Median time per call of each operation, measured in interleaved rounds.
fn interleaved(ops: &mut [&mut dyn FnMut()], rounds: usize, batch_time: Duration) -> Vec<f64> {
    let batches: Vec<u32> = ops
        .iter_mut()
        .map(|op| {
            let start = Instant::now();
            op();
            let once = start.elapsed().max(Duration::from_nanos(100));
            u32::try_from(batch_time.as_nanos() / once.as_nanos())
                .unwrap_or(u32::MAX)
                .clamp(1, 100_000)
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(rounds); ops.len()];
    for _ in 0..rounds {
        for (op, (batch, out)) in ops.iter_mut().zip(batches.iter().zip(samples.iter_mut())) {
            let start = Instant::now();
            for _ in 0..*batch {
                op();
            }
            out.push(start.elapsed().as_nanos() as f64 / f64::from(*batch));
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect()
}

/// Verifications per second with `threads` threads sharing `verifier` for `period`.
fn throughput(verifier: &Verifier, kind: &Kind, threads: usize, period: Duration) -> f64 {
    let start = Instant::now();
    let total: u64 = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let request = kind.request();
                    let mut done = 0u64;
                    while start.elapsed() < period {
                        assert!(verifier.verify(&request).is_verified());
                        done += 1;
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker")).sum()
    });
    total as f64 / start.elapsed().as_secs_f64()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    format!("{cpu}, {cores} cores available, load average {load}")
}

fn summary(kinds: &[Kind]) {
    println!(
        "\n== summary: backend {}, {}",
        verify::crypto::BACKEND,
        machine()
    );
    println!("medians of interleaved rounds, µs per call");
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>9} {:>9} {:>5} {:>9} {:>9} {:>9} {:>10} {:>10} {:>9} {:>10}",
        "kind",
        "cold",
        "warm",
        "parse",
        "floor",
        "floor sk",
        "sigs",
        "1 sig",
        "1 sig pk",
        "warm fl.",
        "cold/floor",
        "cold/fl.sk",
        "warm/sig",
        "warm/w.fl."
    );
    for kind in kinds {
        let cold = kind.verifier(0);
        let warm = kind.verifier(CACHE);
        let request = kind.request();
        assert!(warm.verify(&request).is_verified());
        let prepared = kind.floor[0].prepared();
        let store_keys = kind.store_keys();
        let (mut c, mut w, mut p, mut f, mut s, mut wf, mut sp, mut fk) = (
            || {
                black_box(cold.verify(black_box(&request)));
            },
            || {
                black_box(warm.verify(black_box(&request)));
            },
            || {
                let _ = black_box(verify::inspect(black_box(&kind.envelope)));
            },
            || {
                black_box(black_box(kind).floor());
            },
            || {
                black_box(black_box(&kind.floor[0]).verify());
            },
            || {
                black_box(black_box(kind).warm_floor());
            },
            || {
                black_box(black_box(&kind.floor[0]).verify_prepared(&prepared));
            },
            || {
                black_box(black_box(kind).floor_store_keys(&store_keys));
            },
        );
        let mut ops: [&mut dyn FnMut(); 8] = [
            &mut c, &mut w, &mut p, &mut f, &mut s, &mut wf, &mut sp, &mut fk,
        ];
        let t = interleaved(&mut ops, 41, Duration::from_millis(20));
        println!(
            "{:<22} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>5} {:>9.1} {:>9.1} {:>9.1} {:>9.2}x {:>9.2}x {:>8.2}x {:>9.2}x",
            kind.name,
            t[0] / 1e3,
            t[1] / 1e3,
            t[2] / 1e3,
            t[3] / 1e3,
            t[7] / 1e3,
            kind.floor.len(),
            t[4] / 1e3,
            t[6] / 1e3,
            t[5] / 1e3,
            t[0] / t[3],
            t[0] / t[7],
            t[1] / t[4],
            t[1] / t[5]
        );
        let what = |keep: fn(&common::Signature) -> bool, separator: &str| {
            let names: Vec<&str> = kind
                .floor
                .iter()
                .filter(|s| keep(s))
                .map(|s| s.what.as_str())
                .collect();
            names.join(separator)
        };
        println!("{:<22} floor = {}", "", what(|_| true, " + "));
        println!(
            "{:<22} floor sk = the floor with the trust-store keys parsed once ({})",
            "",
            what(|s| s.by_store_cert, ", ")
        );
        println!(
            "{:<22} warm floor = {}; 1 sig pk = the envelope signature with its key parsed once",
            "",
            what(|s| s.per_signature, " + ")
        );
    }

    if std::env::var_os("NV_BENCH_NO_THROUGHPUT").is_some() {
        return;
    }
    println!("\nthroughput of one shared verifier, verifications/s (median of 3 runs of 2 s)");
    println!(
        "{:<22} {:<6} {:>10} {:>10} {:>8}",
        "kind", "cache", "1 thread", "2 threads", "scaling"
    );
    for kind in kinds {
        for (label, cache) in [("cold", 0), ("warm", CACHE)] {
            let verifier = kind.verifier(cache);
            let mut runs: Vec<(f64, f64)> = (0..3)
                .map(|_| {
                    let one = throughput(&verifier, kind, 1, Duration::from_secs(2));
                    let two = throughput(&verifier, kind, 2, Duration::from_secs(2));
                    (one, two)
                })
                .collect();
            runs.sort_by(|a, b| (a.1 / a.0).total_cmp(&(b.1 / b.0)));
            let (one, two) = runs[1];
            println!(
                "{:<22} {:<6} {:>10.0} {:>10.0} {:>7.2}x",
                kind.name,
                label,
                one,
                two,
                two / one
            );
        }
    }
    println!("machine after the run: {}", machine());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kinds = common::kinds();
    let mut criterion = Criterion::default().configure_from_args();
    criterion_benches(&mut criterion, &kinds);
    criterion.final_summary();
    let benchmarking =
        args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list" || a == "--test");
    if benchmarking && std::env::var_os("NV_BENCH_NO_SUMMARY").is_none() {
        summary(&kinds);
    }
}
