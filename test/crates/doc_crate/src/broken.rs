//! Examples that fail, seen by rustdoc only with `--cfg doc_crate_broken`.

/// Its example panics: the doc test fails at its block.
///
/// ```
/// assert_eq!(doc_crate::add(2, 2), 5, "two and two is not five");
/// ```
pub fn panics() {}

/// Its example does not compile: the doc test fails at the compiler's error.
///
/// ```
/// let n: u64 = doc_crate::add("four", 1);
/// ```
pub fn does_not_compile() {}
