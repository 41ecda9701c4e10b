//! gamma: a member with one test and an ignored chaos case.

/// Doubles.
pub fn double(a: u32) -> u32 {
    a * 2
}

#[cfg(test)]
mod tests {
    #[test]
    fn gamma_only() {
        assert_eq!(super::double(2), 4);
    }

    #[test]
    #[ignore]
    fn chaos_gamma() {
        assert_eq!(super::double(0), 0);
    }
}
