//! beta: a member without features, whose tests share alpha's names and fail.

/// Subtracts, saturating at zero.
pub fn sub(a: u32, b: u32) -> u32 {
    a.saturating_sub(b)
}

#[cfg(test)]
mod tests {
    #[test]
    fn shared_name() {
        assert_eq!(super::sub(1, 2), 1, "beta's shared_name fails");
    }
}
