//! Examples that fail, compiled only with the `broken_docs` feature.

/// Its example panics: the doc test fails at its block.
///
/// ```
/// assert_eq!(doc_crate::broken::triple(2), 7, "triple is wrong");
/// ```
pub fn triple(a: u64) -> u64 {
    a * 3
}

/// Its example does not compile: the doc test fails at the compiler's error.
///
/// ```
/// let n: u64 = doc_crate::broken::halve("four");
/// ```
pub fn halve(a: u64) -> u64 {
    a / 2
}
