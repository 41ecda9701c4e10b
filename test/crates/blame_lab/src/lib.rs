//! Nothing to test here: the integration tests under `tests/` are the inputs.

/// Prints `lines` numbered progress lines for `test`, the chatter a panic must not swallow.
pub fn chatter(test: &str, lines: usize) {
    for step in 0..lines {
        println!("progress of {test}: step {step}");
        std::thread::yield_now();
    }
}
