//! Tests that re-run their own binary, as crash tests of storage engines do: the child's
//! libtest lines land in the same output and are the parent test's output, not tests.
use std::process::{Command, ExitStatus};

const CHILD: &str = "BLAME_LAB_CHILD";

fn run_self(test: &str, mode: &str) -> ExitStatus {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture"])
        .env(CHILD, mode)
        .status()
        .unwrap()
}

/// Does nothing unless a parent started it to crash on purpose.
#[test]
fn failpoint_child() {
    if std::env::var(CHILD).is_ok() {
        panic!("failpoint_child: crashing on purpose");
    }
}

#[test]
fn reruns_itself() {
    assert!(!run_self("failpoint_child", "panic").success(), "the child must fail");
}

/// Re-runs itself: once to abort mid-way (no libtest summary), once to verify.
#[test]
fn rerun_crash_window() {
    match std::env::var(CHILD).as_deref() {
        Ok("abort") => {
            println!("rerun_crash_window child: about to abort");
            std::process::abort();
        }
        Ok(_) => return,
        Err(_) => {}
    }
    assert!(!run_self("rerun_crash_window", "abort").success());
    assert!(run_self("rerun_crash_window", "verify").success());
}

/// An ignored case whose child (not part of its selection) fails on purpose.
#[test]
#[ignore]
fn chaos_rerun() {
    assert!(!run_self("failpoint_child", "panic").success(), "the child must fail");
}
