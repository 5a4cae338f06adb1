//! Codes nobody can guess (staff invites, account links), drawn from the
//! operating system's random source, in an alphabet without look-alikes
//! (no `0`/`o`, `1`/`l`).

use std::hash::{BuildHasher, Hasher};

const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// `len` characters of [`ALPHABET`], 5 random bits each.
pub(crate) fn code(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    if getrandom::getrandom(&mut bytes).is_err() {
        // The OS source is always there on the platforms larder runs on;
        // should it fail, std's OS-seeded hasher still gives 64 bits a time.
        for (i, b) in bytes.iter_mut().enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            *b = h.finish().to_le_bytes()[0];
        }
    }
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect()
}

/// A typed code as it was issued: letters and digits only, lower case
/// (`"ABCD 2345"` → `"abcd2345"`).
pub(crate) fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_unambiguous_and_different() {
        let a = code(8);
        assert_eq!(a.len(), 8);
        assert!(a.bytes().all(|b| ALPHABET.contains(&b)), "{a}");
        let many: std::collections::HashSet<String> = (0..1000).map(|_| code(8)).collect();
        assert_eq!(
            many.len(),
            1000,
            "40 bits do not repeat in a thousand draws"
        );
        assert_eq!(normalize(" ABcd-23 45 "), "abcd2345");
    }
}
