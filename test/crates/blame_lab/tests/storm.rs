//! A storm: twenty tests printing and panicking at once under --nocapture. Every panic
//! message names its own test, so whose panic went where can be checked exactly.
use blame_lab::chatter;
use std::time::Duration;

fn settle(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

#[test]
fn storm_01() {
    chatter("storm_01", 30);
    settle(7);
    panic!("storm_01 panicked on purpose");
}

#[test]
fn storm_02() {
    chatter("storm_02", 30);
    settle(14);
    panic!("storm_02 failed:\n- storm_02 detail one\n- storm_02 detail two");
}

#[test]
fn storm_03() {
    chatter("storm_03", 30);
    settle(21);
    let helper = std::thread::spawn(|| panic!("helper of storm_03 died"));
    helper.join().unwrap();
}

#[test]
fn storm_04() {
    chatter("storm_04", 30);
    settle(5);
    chatter("storm_04", 10);
}

#[test]
fn storm_05() {
    chatter("storm_05", 30);
    settle(12);
    let counted = 5;
    assert_eq!(counted, 6, "storm_05 counted wrong");
}

#[test]
fn storm_06() {
    chatter("storm_06", 30);
    settle(19);
    panic!("storm_06 panicked on purpose");
}

#[test]
fn storm_07() {
    chatter("storm_07", 30);
    settle(3);
    panic!("storm_07 failed:\n- storm_07 detail one\n- storm_07 detail two");
}

#[test]
fn storm_08() {
    chatter("storm_08", 30);
    settle(10);
    let helper = std::thread::spawn(|| panic!("helper of storm_08 died"));
    helper.join().unwrap();
}

#[test]
fn storm_09() {
    chatter("storm_09", 30);
    settle(17);
    chatter("storm_09", 10);
}

#[test]
fn storm_10() {
    chatter("storm_10", 30);
    settle(1);
    let counted = 10;
    assert_eq!(counted, 11, "storm_10 counted wrong");
}

#[test]
fn storm_11() {
    chatter("storm_11", 30);
    settle(8);
    panic!("storm_11 panicked on purpose");
}

#[test]
fn storm_12() {
    chatter("storm_12", 30);
    settle(15);
    panic!("storm_12 failed:\n- storm_12 detail one\n- storm_12 detail two");
}

#[test]
fn storm_13() {
    chatter("storm_13", 30);
    settle(22);
    let helper = std::thread::spawn(|| panic!("helper of storm_13 died"));
    helper.join().unwrap();
}

#[test]
fn storm_14() {
    chatter("storm_14", 30);
    settle(6);
    chatter("storm_14", 10);
}

#[test]
fn storm_15() {
    chatter("storm_15", 30);
    settle(13);
    let counted = 15;
    assert_eq!(counted, 16, "storm_15 counted wrong");
}

#[test]
fn storm_16() {
    chatter("storm_16", 30);
    settle(20);
    panic!("storm_16 panicked on purpose");
}

#[test]
fn storm_17() {
    chatter("storm_17", 30);
    settle(4);
    panic!("storm_17 failed:\n- storm_17 detail one\n- storm_17 detail two");
}

#[test]
fn storm_18() {
    chatter("storm_18", 30);
    settle(11);
    let helper = std::thread::spawn(|| panic!("helper of storm_18 died"));
    helper.join().unwrap();
}

#[test]
fn storm_19() {
    chatter("storm_19", 30);
    settle(18);
    chatter("storm_19", 10);
}

#[test]
fn storm_20() {
    chatter("storm_20", 30);
    settle(2);
    let counted = 20;
    assert_eq!(counted, 21, "storm_20 counted wrong");
}
