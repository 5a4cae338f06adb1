//! Why a typed number (price, quantity, percentage) was rejected.
//!
//! Every variant maps to one Fluent message id (`message_id`) plus the
//! arguments that message needs (`args`); the English `Display` text is
//! only for logs.

use crate::number::MAX_INPUT_CHARS;

/// A rejected typed number. One Fluent message id per variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Nothing was typed (or only whitespace).
    #[error("empty input")]
    Empty,
    /// More than 32 characters after trimming.
    #[error("input longer than {MAX_INPUT_CHARS} characters")]
    TooLong,
    /// Not a plain decimal number (`abc`, `1.2.3`, `0x10`, `NaN`, `1 000`).
    #[error("not a number")]
    NotANumber,
    /// A minus sign in front of a number.
    #[error("negative number")]
    Negative,
    /// Zero where a positive value is required.
    #[error("zero is not allowed here")]
    Zero,
    /// Exponent notation such as `1e9`.
    #[error("exponent notation is not allowed")]
    Exponent,
    /// More significant fraction digits than the value can hold.
    #[error("at most {max} decimal places")]
    TooManyDecimals {
        /// The most fraction digits allowed.
        max: u8,
    },
    /// A fraction of a piece (`1.5` of a piece product).
    #[error("pieces must be a whole number")]
    FractionalPieces,
    /// A fraction of a gram (`315.5 г`).
    #[error("grams must be a whole number")]
    FractionalGrams,
    /// An unknown word after the number.
    #[error("unknown unit")]
    UnknownUnit,
    /// A known unit that does not fit the product (`2 kg` of a piece product).
    #[error("wrong unit for this product")]
    WrongUnit,
    /// Above the configured maximum.
    #[error("too large; the maximum is {max}")]
    TooLarge {
        /// The maximum in human form, e.g. `"100 kg"`, `"10000"`, `"1000000.00"`.
        max: String,
    },
    /// A price typed in another known currency (`€` for a rouble business).
    #[error("wrong currency; prices are in {expected}")]
    WrongCurrency {
        /// The business's currency code, e.g. `"RUB"`.
        expected: String,
    },
}

impl InputError {
    /// Every message id [`InputError::message_id`] can return, so the UI crate
    /// can check its `.ftl` files cover them.
    pub const ALL_MESSAGE_IDS: &'static [&'static str] = &[
        "error-input-empty",
        "error-input-too-long",
        "error-input-not-a-number",
        "error-input-negative",
        "error-input-zero",
        "error-input-exponent",
        "error-input-too-many-decimals",
        "error-input-fractional-pieces",
        "error-input-fractional-grams",
        "error-input-unknown-unit",
        "error-input-wrong-unit",
        "error-input-too-large",
        "error-input-wrong-currency",
    ];

    /// The Fluent message id for this error, e.g. `"error-input-negative"`.
    pub fn message_id(&self) -> &'static str {
        match self {
            InputError::Empty => "error-input-empty",
            InputError::TooLong => "error-input-too-long",
            InputError::NotANumber => "error-input-not-a-number",
            InputError::Negative => "error-input-negative",
            InputError::Zero => "error-input-zero",
            InputError::Exponent => "error-input-exponent",
            InputError::TooManyDecimals { .. } => "error-input-too-many-decimals",
            InputError::FractionalPieces => "error-input-fractional-pieces",
            InputError::FractionalGrams => "error-input-fractional-grams",
            InputError::UnknownUnit => "error-input-unknown-unit",
            InputError::WrongUnit => "error-input-wrong-unit",
            InputError::TooLarge { .. } => "error-input-too-large",
            InputError::WrongCurrency { .. } => "error-input-wrong-currency",
        }
    }

    /// Fluent arguments for [`InputError::message_id`]:
    /// `TooLong` → `max` (chars), `TooManyDecimals` → `max`,
    /// `TooLarge` → `max`, `WrongCurrency` → `expected`; others none.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            InputError::TooLong => vec![("max", MAX_INPUT_CHARS.to_string())],
            InputError::TooManyDecimals { max } => vec![("max", max.to_string())],
            InputError::TooLarge { max } => vec![("max", max.clone())],
            InputError::WrongCurrency { expected } => vec![("expected", expected.clone())],
            InputError::Empty
            | InputError::NotANumber
            | InputError::Negative
            | InputError::Zero
            | InputError::Exponent
            | InputError::FractionalPieces
            | InputError::FractionalGrams
            | InputError::UnknownUnit
            | InputError::WrongUnit => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn all() -> Vec<InputError> {
        vec![
            InputError::Empty,
            InputError::TooLong,
            InputError::NotANumber,
            InputError::Negative,
            InputError::Zero,
            InputError::Exponent,
            InputError::TooManyDecimals { max: 3 },
            InputError::FractionalPieces,
            InputError::FractionalGrams,
            InputError::UnknownUnit,
            InputError::WrongUnit,
            InputError::TooLarge {
                max: "100 kg".into(),
            },
            InputError::WrongCurrency {
                expected: "RUB".into(),
            },
        ]
    }

    #[test]
    fn one_distinct_listed_id_per_variant() {
        let ids: Vec<_> = all().iter().map(InputError::message_id).collect();
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
        assert_eq!(ids, InputError::ALL_MESSAGE_IDS);
        assert!(ids.iter().all(|id| id.starts_with("error-input-")));
    }

    #[test]
    fn args() {
        assert_eq!(InputError::TooLong.args(), vec![("max", "32".to_owned())]);
        assert_eq!(
            InputError::TooManyDecimals { max: 3 }.args(),
            vec![("max", "3".to_owned())]
        );
        assert_eq!(
            InputError::TooLarge {
                max: "100 kg".into()
            }
            .args(),
            vec![("max", "100 kg".to_owned())]
        );
        assert!(InputError::Negative.args().is_empty());
        assert_eq!(
            InputError::TooLarge {
                max: "100 kg".into()
            }
            .to_string(),
            "too large; the maximum is 100 kg"
        );
    }
}
