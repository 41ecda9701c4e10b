//! One stress case, so a soak has a layer to run between its perf snapshots.

#[test]
#[ignore]
fn stress_fill() {
    assert_eq!(knob_bench::filled(1_000).len(), 1_000);
}
