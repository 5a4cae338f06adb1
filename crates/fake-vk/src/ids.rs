//! Opaque identifiers: long-poll keys, event ids, access keys, upload hashes.
//! They look like VK's (lowercase hex) and are unique per emulator because
//! each one mixes a fresh sequence number.

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

/// `chars` lowercase hex digits derived from `seq` and a per-kind `salt`.
/// The first 16 digits are a bijection of `seq`, so ids of one kind never
/// collide; longer ids are padded with further mixing, shorter ones keep the
/// low digits.
pub(crate) fn hex(seq: u64, salt: u64, chars: usize) -> String {
    let mut out = format!("{:016x}", mix(seq ^ salt));
    if chars <= 16 {
        return out.split_off(16 - chars);
    }
    let mut round = seq;
    while out.len() < chars {
        round = mix(round ^ salt.rotate_left(17));
        out.push_str(&format!("{round:016x}"));
    }
    out.truncate(chars);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_have_the_asked_length_and_are_hex() {
        for chars in [12, 16, 18, 40] {
            let id = hex(7, 1, chars);
            assert_eq!(id.len(), chars);
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase())
            );
        }
    }

    #[test]
    fn ids_do_not_repeat() {
        let seen: HashSet<String> = (0..10_000).map(|n| hex(n, 3, 40)).collect();
        assert_eq!(seen.len(), 10_000);
        let short: HashSet<String> = (0..10_000).map(|n| hex(n, 3, 12)).collect();
        assert_eq!(short.len(), 10_000);
    }
}
