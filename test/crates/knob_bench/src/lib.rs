//! A tiny ordered store, enough work for a bench to measure.

use std::collections::BTreeMap;

/// A store of `items` keys, each with a 32-byte value.
pub fn filled(items: u64) -> BTreeMap<u64, [u8; 32]> {
    (0..items).map(|k| (spread(k), [k as u8; 32])).collect()
}

/// The sum of the first bytes of the values whose keys lie in `from..to`.
pub fn scan_sum(store: &BTreeMap<u64, [u8; 32]>, from: u64, to: u64) -> u64 {
    store.range(from..to).map(|(_, v)| u64::from(v[0])).sum()
}

/// Keys spread over the whole range, so inserts do not arrive in order.
pub fn spread(k: u64) -> u64 {
    k.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}
