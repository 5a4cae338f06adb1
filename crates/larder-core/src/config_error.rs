//! Why a configuration section (e.g. `[pricing]` of `larder.toml`) could not
//! be turned into domain values. Shown to the operator at startup, so the
//! messages name the offending key; there are no Fluent ids.

use crate::input_error::InputError;
use crate::text::TextError;

/// An invalid configuration value. `field` is a dotted path such as
/// `"pricing.packing[0].per_100g"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A money amount that does not parse (see [`crate::parse_fee`]).
    #[error("{field}: invalid amount {value:?}: {error}")]
    Amount {
        /// Where.
        field: String,
        /// What was written.
        value: String,
        /// Why it was rejected.
        error: InputError,
    },
    /// A negative amount passed to a constructor.
    #[error("{field}: amount must not be negative")]
    NegativeAmount {
        /// Where.
        field: String,
    },
    /// A code that is not 1..=16 chars of `a-z`, `0-9`, `_`, `-`.
    #[error("{field}: invalid code {code:?}; use 1 to 16 of a-z, 0-9, '_', '-'")]
    InvalidCode {
        /// Where.
        field: String,
        /// What was written.
        code: String,
    },
    /// A code that is already used by an earlier entry.
    #[error("{field}: code {code:?} is used twice")]
    DuplicateCode {
        /// Where.
        field: String,
        /// The repeated code.
        code: String,
    },
    /// An invalid display text (name).
    #[error("{field}: {error}")]
    Text {
        /// Where.
        field: String,
        /// Why it was rejected.
        error: TextError,
    },
}

impl ConfigError {
    /// The dotted path of the offending value.
    pub fn field(&self) -> &str {
        match self {
            ConfigError::Amount { field, .. }
            | ConfigError::NegativeAmount { field }
            | ConfigError::InvalidCode { field, .. }
            | ConfigError::DuplicateCode { field, .. }
            | ConfigError::Text { field, .. } => field,
        }
    }

    /// The same error with `prefix.` in front of its field path.
    #[must_use]
    pub fn within(mut self, prefix: &str) -> ConfigError {
        let field = match &mut self {
            ConfigError::Amount { field, .. }
            | ConfigError::NegativeAmount { field }
            | ConfigError::InvalidCode { field, .. }
            | ConfigError::DuplicateCode { field, .. }
            | ConfigError::Text { field, .. } => field,
        };
        *field = format!("{prefix}.{field}");
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_displays() {
        let e = ConfigError::Amount {
            field: "fee".into(),
            value: "x".into(),
            error: InputError::NotANumber,
        }
        .within("delivery")
        .within("pricing");
        assert_eq!(e.field(), "pricing.delivery.fee");
        assert_eq!(
            e.to_string(),
            "pricing.delivery.fee: invalid amount \"x\": not a number"
        );
        let e = ConfigError::DuplicateCode {
            field: "code".into(),
            code: "vacuum".into(),
        };
        assert_eq!(e.to_string(), "code: code \"vacuum\" is used twice");
    }
}
