//! A test that hangs when asked, after a helper thread panicked and chatter followed.

#[test]
fn hangs_when_asked() {
    if std::env::var("BLAME_LAB_HANG").is_err() {
        return;
    }
    let helper = std::thread::spawn(|| panic!("index out of range while compacting"));
    let _ = helper.join();
    blame_lab::chatter("hangs_when_asked", 40);
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

#[test]
fn quick() {}
