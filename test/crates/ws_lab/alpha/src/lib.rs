//! alpha: a member with a `failpoints` feature, whose tests pass.

/// Adds two numbers.
pub fn add(a: u32, b: u32) -> u32 {
    a + b
}

#[cfg(test)]
mod tests {
    #[test]
    fn shared_name() {
        assert_eq!(super::add(1, 1), 2);
    }

    #[test]
    fn alpha_only() {
        assert_eq!(super::add(2, 2), 4);
    }

    #[cfg(feature = "failpoints")]
    #[test]
    fn failpoint_gate() {
        assert_eq!(super::add(0, 0), 0);
    }
}
