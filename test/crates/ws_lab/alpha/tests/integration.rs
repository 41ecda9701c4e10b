#[test]
fn same_test() {
    assert_eq!(alpha::add(1, 2), 3);
}

#[test]
#[ignore]
fn stress_shared() {
    for i in 0..1000 {
        assert_eq!(alpha::add(i, 1), i + 1);
    }
}
