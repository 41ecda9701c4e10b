#[test]
fn adds_from_outside() {
    assert_eq!(doc_crate::add(20, 22), 42);
}
