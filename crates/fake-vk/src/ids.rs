//! Opaque identifiers: long-poll keys, event ids, access keys, upload hashes.
//! They look like VK's (lowercase hex), are unique per emulator and kind,
//! and cannot be guessed: each emulator draws secret keys from the
//! operating system's randomness when it starts, so neither the next id nor
//! the ids of another run follow from the ones a bot has seen.

use std::hash::{BuildHasher, RandomState};

/// Salts keep the kinds of ids apart.
pub(crate) const KEY: u64 = 0x4b45_5900_0000_0001;
pub(crate) const EVENT: u64 = 0x4556_4e54_0000_0002;
pub(crate) const CALLBACK: u64 = 0x4341_4c4c_0000_0003;
pub(crate) const ACCESS_KEY: u64 = 0x4143_4b59_0000_0004;
pub(crate) const UPLOAD: u64 = 0x5550_4c44_0000_0005;
pub(crate) const HASH: u64 = 0x4841_5348_0000_0006;

/// SplitMix64: a bijective mix, so distinct inputs give distinct outputs.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The secret keys of one emulator's ids.
#[derive(Clone, Debug)]
pub(crate) struct Ids {
    inner: u64,
    outer: u64,
    /// Keyed SipHash for the digits after the first 16.
    tail: RandomState,
}

impl Ids {
    /// Fresh keys from the operating system's randomness (std seeds
    /// `RandomState` from it).
    pub(crate) fn random() -> Self {
        let seed = RandomState::new();
        Self {
            inner: seed.hash_one(KEY),
            outer: seed.hash_one(HASH),
            tail: RandomState::new(),
        }
    }

    /// Keys fixed by hand, for unit tests.
    #[cfg(test)]
    fn fixed(inner: u64, outer: u64) -> Self {
        Self {
            inner,
            outer,
            tail: RandomState::new(),
        }
    }

    /// `chars` lowercase hex digits for the `seq`-th id of a kind (`salt`).
    /// The first 16 digits are a keyed bijection of `seq`, so ids of one
    /// kind never collide; longer ids go on with keyed hashes, shorter ones
    /// keep the low digits of the first 16 (unique in practice).
    pub(crate) fn hex(&self, seq: u64, salt: u64, chars: usize) -> String {
        let mut out = format!("{:016x}", mix(mix(seq ^ salt ^ self.inner) ^ self.outer));
        if chars <= 16 {
            return out.split_off(16 - chars);
        }
        let mut round = 0u64;
        while out.len() < chars {
            round += 1;
            let block = self.tail.hash_one((seq, salt, round));
            out.push_str(&format!("{block:016x}"));
        }
        out.truncate(chars);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_have_the_asked_length_and_are_hex() {
        let ids = Ids::random();
        for chars in [12, 16, 18, 40] {
            let id = ids.hex(7, 1, chars);
            assert_eq!(id.len(), chars);
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase())
            );
        }
    }

    #[test]
    fn ids_do_not_repeat() {
        let ids = Ids::fixed(1, 2);
        let seen: HashSet<String> = (0..10_000).map(|n| ids.hex(n, 3, 40)).collect();
        assert_eq!(seen.len(), 10_000);
        let short: HashSet<String> = (0..10_000).map(|n| ids.hex(n, 3, 12)).collect();
        assert_eq!(short.len(), 10_000);
    }

    #[test]
    fn two_emulators_hand_out_different_ids() {
        let (a, b) = (Ids::random(), Ids::random());
        assert_ne!(a.hex(1, EVENT, 40), b.hex(1, EVENT, 40));
    }
}
