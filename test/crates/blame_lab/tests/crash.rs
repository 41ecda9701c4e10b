//! A test that dies of SIGSEGV beside one that passes.

#[test]
fn a_fine_test() {}

#[test]
fn segfaults() {
    std::thread::sleep(std::time::Duration::from_millis(200));
    let p: *mut i32 = std::hint::black_box(std::ptr::null_mut());
    unsafe { p.write_volatile(1) }
}
