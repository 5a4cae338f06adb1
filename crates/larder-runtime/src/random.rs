//! Unpredictable numbers without another dependency: std's randomly keyed
//! hasher, which the OS seeds.

use std::hash::{BuildHasher, Hasher};

/// 64 random bits.
pub fn bits() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0x9e37_79b9_7f4a_7c15);
    h.finish()
}

/// A random id for a call, 1..2^31 (VK's `random_id` is a signed 32-bit
/// number; 0 would mean "no deduplication").
pub fn call_id() -> i64 {
    i64::try_from(bits() % 0x7fff_ffff).unwrap_or(0) + 1
}

/// `d` moved by up to a quarter either way, so retries of many calls after
/// one outage do not all come back at the same moment.
pub fn jitter(d: std::time::Duration) -> std::time::Duration {
    let quarter = d / 4;
    let span = u64::try_from(quarter.as_millis()).unwrap_or(0) * 2;
    if span == 0 {
        return d;
    }
    let offset = std::time::Duration::from_millis(bits() % (span + 1));
    d - quarter + offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn call_ids_fit_thirty_one_bits_and_differ() {
        let ids: std::collections::HashSet<i64> = (0..1000).map(|_| call_id()).collect();
        assert!(ids.len() > 990);
        assert!(ids.iter().all(|id| (1..=0x7fff_ffff).contains(id)));
    }

    #[test]
    fn jitter_stays_within_a_quarter() {
        for _ in 0..1000 {
            let j = jitter(Duration::from_secs(8));
            assert!(
                (Duration::from_secs(6)..=Duration::from_secs(10)).contains(&j),
                "{j:?}"
            );
        }
    }
}
