//! Another target with a plain failure, to run beside the crash.

#[test]
fn fails_plainly() {
    assert_eq!(1 + 1, 3, "failing target: arithmetic is off");
}

#[test]
fn passes() {}
