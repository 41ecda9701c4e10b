#[test]
fn same_test() {
    assert_eq!(beta::sub(5, 2), 2, "beta's same_test fails");
}

#[test]
#[ignore]
fn stress_shared() {
    for i in 0..1000 {
        assert_eq!(beta::sub(i, 0), i);
    }
}
