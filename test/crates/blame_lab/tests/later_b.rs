//! A target cargo runs after `hang`; a fast command killed in `hang` never runs it.

#[test]
fn first() {}

#[test]
fn second() {}
