//! Runs only with the `extra` feature (`required-features` in Cargo.toml).

#[test]
fn extra_is_on() {
    assert!(cfg!(feature = "extra"));
}
