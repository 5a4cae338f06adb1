//! Codes nobody can guess (staff invites, account links): 64 bits from
//! std's randomly keyed hasher, which the OS seeds, mixed with who asks and
//! when, so no extra dependency is needed.

use std::hash::{BuildHasher, Hasher};

/// 64 unpredictable bits; `round` tells apart several draws at once.
pub(crate) fn bits(user: i64, now: i64, round: u64) -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(round);
    h.write_i64(user);
    h.write_i64(now);
    h.finish()
}
