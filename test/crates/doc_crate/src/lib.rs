//! Arithmetic with examples: the doc tests of a small library.

#[cfg(doc_crate_broken)]
pub mod broken;

/// Adds two numbers.
///
/// ```
/// assert_eq!(doc_crate::add(2, 3), 5);
/// ```
pub fn add(a: u64, b: u64) -> u64 {
    a + b
}

/// Doubles, through [`add`].
///
/// ```
/// assert_eq!(doc_crate::double(4), 8);
/// ```
///
/// An example not meant to run is no test to count:
///
/// ```ignore
/// doc_crate::double(undefined_value);
/// ```
pub fn double(a: u64) -> u64 {
    add(a, a)
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {
        assert_eq!(super::add(1, 1), 2);
    }

    #[test]
    fn doubles() {
        assert_eq!(super::double(3), 6);
    }
}
