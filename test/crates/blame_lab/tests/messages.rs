//! Panics whose message or cause is easy to lose when several tests run.

#[test]
fn multiline_panic() {
    panic!("TODO:\n- write docs\n\n- write more tests");
}

#[test]
fn joins_panicked_helper() {
    let helper = std::thread::spawn(|| panic!("helper thread died"));
    helper.join().unwrap();
}

#[test]
fn joins_panicked_worker() {
    let worker = std::thread::Builder::new().name("worker-7".into());
    let worker = worker.spawn(|| panic!("worker-7 lost its lock")).unwrap();
    worker.join().unwrap();
}

#[test]
fn passes_quietly() {
    std::thread::sleep(std::time::Duration::from_millis(50));
}
