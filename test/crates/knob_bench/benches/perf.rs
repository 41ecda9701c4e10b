//! Criterion benchmarks shaped like mace-kv 0.0.28's: the budget is read from
//! environment knobs and set on each group in code, which Criterion prefers to
//! `--measurement-time`, `--sample-size` and `--warm-up-time` on the command line.
//!
//! Knobs (scripts/perf_thresholds.env sets them, as mace's file does):
//! - `MACE_BENCH_QUICK=1`: the quick profile (10 samples, 1 000 items, 1 s),
//!   else the full one (100 samples, 100 000 items, 15 s per case);
//! - `MACE_BENCH_ITEMS`: keys in the store (the case ids carry it: `Insert/items/N`);
//! - `MACE_BENCH_MEASURE_SECS`: measurement time per case (warm-up: a quarter of it).

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion};
use knob_bench::{filled, scan_sum, spread};

struct Budget {
    items: u64,
    samples: usize,
    measure: Duration,
    warm_up: Duration,
}

fn knob<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.trim().parse().ok()
}

fn budget() -> Budget {
    let quick = std::env::var("MACE_BENCH_QUICK").as_deref() == Ok("1");
    let items = knob("MACE_BENCH_ITEMS").unwrap_or(if quick { 1_000 } else { 100_000 });
    let secs: f64 = knob("MACE_BENCH_MEASURE_SECS").unwrap_or(if quick { 1.0 } else { 15.0 });
    Budget {
        items,
        samples: if quick { 10 } else { 100 },
        measure: Duration::from_secs_f64(secs),
        warm_up: Duration::from_secs_f64(secs / 4.0),
    }
}

/// A group with the knobs' budget, set in code as mace-kv does: these win over the flags.
fn group<'a>(c: &'a mut Criterion, name: &str, b: &Budget) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(b.samples)
        .measurement_time(b.measure)
        .warm_up_time(b.warm_up);
    g
}

fn benches(c: &mut Criterion) {
    let b = budget();
    let store = filled(b.items);
    let mut g = group(c, "Insert", &b);
    g.bench_with_input(BenchmarkId::new("items", b.items), &b.items, |bench, &n| {
        bench.iter(|| filled(black_box(n)))
    });
    g.finish();
    let mut g = group(c, "Scan", &b);
    g.bench_with_input(BenchmarkId::new("items", b.items), &store, |bench, s| {
        bench.iter(|| scan_sum(black_box(s), 0, u64::MAX))
    });
    g.finish();
    let mut g = group(c, "Get", &b);
    g.bench_with_input(BenchmarkId::new("items", b.items), &store, |bench, s| {
        let mut k = 0u64;
        bench.iter(|| {
            let mut hits = 0u64;
            for _ in 0..64 {
                k = (k + 1) % b.items;
                hits += u64::from(s.contains_key(&spread(k)));
            }
            black_box(hits)
        })
    });
    g.finish();
}

criterion_group!(perf, benches);
criterion_main!(perf);
