//! The shared lexer behind every parser of typed numbers (prices,
//! quantities, percentages).
//!
//! Grammar, after trimming surrounding whitespace (NBSP included):
//! `[-|−] digits [(.|,) digits] [spaces] [suffix]`, where only ASCII digits
//! count, either a dot or a comma separates the fraction, a fraction needs
//! digits after the separator (`"5."` is rejected, `".5"` is accepted), and
//! the suffix (a unit or currency word) may not contain digits.

use crate::input_error::InputError;

/// Longest accepted input, in chars, after trimming.
pub const MAX_INPUT_CHARS: usize = 32;

/// A syntactically valid, non-negative decimal number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number<'a> {
    int_digits: &'a str,
    frac_digits: &'a str,
    /// Whether a decimal separator was typed (`"1.0"` vs `"1"`).
    pub(crate) has_separator: bool,
}

/// A lexed input: the number and the lowercased, trimmed suffix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexed<'a> {
    pub(crate) number: Number<'a>,
    pub(crate) suffix: String,
}

impl Number<'_> {
    /// The value times `10^decimals`, or `None` if the fraction has
    /// significant (non-zero) digits beyond `decimals`. Trailing zeros are
    /// not significant: `"0.3150"` scaled by 3 is 315. Saturates at
    /// `u128::MAX`, which callers treat as too large.
    pub(crate) fn scaled(&self, decimals: u32) -> Option<u128> {
        let keep = usize::try_from(decimals).unwrap_or(usize::MAX);
        let (kept, dropped) = self.frac_digits.split_at(self.frac_digits.len().min(keep));
        if dropped.bytes().any(|b| b != b'0') {
            return None;
        }
        let digits = self.int_digits.bytes().chain(kept.bytes());
        let padding = std::iter::repeat_n(b'0', keep.saturating_sub(kept.len()));
        let value = digits.chain(padding).try_fold(0_u128, |acc, b| {
            acc.checked_mul(10)?.checked_add(u128::from(b - b'0'))
        });
        Some(value.unwrap_or(u128::MAX))
    }
}

/// Splits `input` into a number and a suffix, or reports why it is not one.
///
/// Error precedence: `Empty`, `TooLong`, `NotANumber`, `Exponent`, `Negative`.
pub(crate) fn lex(input: &str) -> Result<Lexed<'_>, InputError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    if trimmed.chars().count() > MAX_INPUT_CHARS {
        return Err(InputError::TooLong);
    }
    let (negative, unsigned) = match trimmed.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, trimmed),
    };
    let (int_digits, rest) = split_digits(unsigned);
    let (has_separator, frac_digits, rest) = match rest.strip_prefix(['.', ',']) {
        Some(after) => {
            let (frac, rest) = split_digits(after);
            if frac.is_empty() {
                return Err(InputError::NotANumber);
            }
            (true, frac, rest)
        }
        None => (false, "", rest),
    };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err(InputError::NotANumber);
    }
    if is_exponent(rest) {
        return Err(InputError::Exponent);
    }
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return Err(InputError::NotANumber);
    }
    if negative {
        return Err(InputError::Negative);
    }
    Ok(Lexed {
        number: Number {
            int_digits,
            frac_digits,
            has_separator,
        },
        suffix: rest.trim().to_lowercase(),
    })
}

fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// `e5`, `E+3`, `e-2` right after the number.
fn is_exponent(rest: &str) -> bool {
    let Some(after_e) = rest.strip_prefix(['e', 'E']) else {
        return false;
    };
    let after_sign = after_e.strip_prefix(['+', '-']).unwrap_or(after_e);
    after_sign.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scaled(input: &str, decimals: u32) -> Option<u128> {
        lex(input).unwrap().number.scaled(decimals)
    }

    #[test]
    fn lexes() {
        let l = lex(" 0,315\u{a0}КГ ").unwrap();
        assert_eq!(l.suffix, "кг");
        assert!(l.number.has_separator);
        assert_eq!(l.number.scaled(3), Some(315));
        assert_eq!(lex("315г").unwrap().suffix, "г");
        assert_eq!(lex("2 шт.").unwrap().suffix, "шт.");
        assert_eq!(scaled(".5", 3), Some(500));
        assert_eq!(scaled("0.3150", 3), Some(315));
        assert_eq!(scaled("0.3155", 3), None);
        assert_eq!(scaled("12", 2), Some(1200));
        assert_eq!(scaled("12.5", 0), None);
        assert_eq!(scaled("12.0", 0), Some(12));
        let max_digits = "9".repeat(MAX_INPUT_CHARS);
        assert_eq!(scaled(&max_digits, 4), Some(10_u128.pow(36) - 10_000));
        let huge = "9".repeat(60);
        let unreachable_by_lex = Number {
            int_digits: &huge,
            frac_digits: "",
            has_separator: false,
        };
        assert_eq!(unreachable_by_lex.scaled(4), Some(u128::MAX));
    }

    #[test]
    fn rejects() {
        let err = |s: &str| lex(s).unwrap_err();
        assert_eq!(err(""), InputError::Empty);
        assert_eq!(err(" \u{a0}\t"), InputError::Empty);
        assert_eq!(err(&"1".repeat(33)), InputError::TooLong);
        for s in [
            "abc", "NaN", "inf", "-inf", "∞", "1.2.3", "1,5,0", "0x10", "5.", ".", ",", "+5",
        ] {
            assert_eq!(err(s), InputError::NotANumber, "{s}");
        }
        for s in ["1 000", "1 кг 500 г", "１２", "1-2", "0 , 5", "--1"] {
            assert_eq!(err(s), InputError::NotANumber, "{s}");
        }
        for s in ["1e9", "1E3", "1.5e-3", "2e+2kg", "-1e5"] {
            assert_eq!(err(s), InputError::Exponent, "{s}");
        }
        for s in ["-1", "−1", "- 1", "-0", "-0.5 кг"] {
            assert_eq!(err(s), InputError::Negative, "{s}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = lex(&s).map(|l| l.number.scaled(4));
        }

        #[test]
        fn scaled_matches_integer(int in 0_u64..1_000_000, frac in 0_u32..1000) {
            let s = format!("{int}.{frac:03}");
            prop_assert_eq!(scaled(&s, 3), Some(u128::from(int) * 1000 + u128::from(frac)));
        }
    }
}
