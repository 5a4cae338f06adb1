//! Packing options and their surcharges.

use crate::config_error::ConfigError;
use crate::money::Money;
use crate::price::ArithmeticError;
use crate::quantity::Quantity;
use crate::rounding::checked_round_div_half_away;
use crate::text::normalize_single_line;

/// Grams per 100 g, the unit of [`PackingOption::per_100g`].
const GRAMS_PER_100G: i128 = 100;

/// A way of packing a line (vacuum, gift box) and what it costs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackingOption {
    code: String,
    name: String,
    per_100g: Money,
    per_piece: Money,
}

impl PackingOption {
    /// Longest code, in chars.
    pub const MAX_CODE_CHARS: usize = 16;
    /// Longest display name, in chars.
    pub const MAX_NAME_CHARS: usize = 64;

    /// A packing option. `code` must pass [`PackingOption::is_valid_code`],
    /// `name` is normalised like any single-line text, and the surcharges
    /// must not be negative (zero is fine).
    pub fn new(
        code: &str,
        name: &str,
        per_100g: Money,
        per_piece: Money,
    ) -> Result<PackingOption, ConfigError> {
        if !Self::is_valid_code(code) {
            return Err(ConfigError::InvalidCode {
                field: "code".into(),
                code: code.to_owned(),
            });
        }
        let name = normalize_single_line(name, Self::MAX_NAME_CHARS).map_err(|error| {
            ConfigError::Text {
                field: "name".into(),
                error,
            }
        })?;
        for (field, amount) in [("per_100g", per_100g), ("per_piece", per_piece)] {
            if amount.is_negative() {
                return Err(ConfigError::NegativeAmount {
                    field: field.into(),
                });
            }
        }
        Ok(PackingOption {
            code: code.to_owned(),
            name,
            per_100g,
            per_piece,
        })
    }

    /// 1..=16 chars, each `a-z`, `0-9`, `_` or `-`.
    pub fn is_valid_code(code: &str) -> bool {
        (1..=Self::MAX_CODE_CHARS).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    }

    /// The stable code stored with order lines, e.g. `"vacuum"`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The display name, e.g. `"Vacuum"`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Surcharge per 100 g of weighed goods.
    pub fn per_100g(&self) -> Money {
        self.per_100g
    }

    /// Surcharge per piece of counted goods.
    pub fn per_piece(&self) -> Money {
        self.per_piece
    }

    /// The surcharge for packing `quantity`, rounded once, half away from
    /// zero; zero for a zero quantity.
    pub fn surcharge(&self, quantity: Quantity) -> Result<Money, ArithmeticError> {
        surcharge_at(self.rate_for(quantity.unit()), quantity)
    }

    /// The rate that applies to a line of this unit: per 100 g for kg
    /// products, per piece for piece products. Order lines keep it as a
    /// snapshot, so later changes of the configuration never reprice them.
    pub fn rate_for(&self, unit: crate::Unit) -> Money {
        match unit {
            crate::Unit::Kg => self.per_100g,
            crate::Unit::Piece => self.per_piece,
        }
    }
}

/// The packing surcharge at `rate` (per 100 g for grams, per piece for
/// pieces), rounded once, half away from zero.
pub fn surcharge_at(rate: Money, quantity: Quantity) -> Result<Money, ArithmeticError> {
    match quantity {
        Quantity::Grams(grams) => {
            let exact = i128::from(rate.minor()) * i128::from(grams);
            checked_round_div_half_away(exact, GRAMS_PER_100G)
                .and_then(|v| i64::try_from(v).ok())
                .map(Money::from_minor)
                .ok_or(ArithmeticError::Overflow)
        }
        Quantity::Pieces(n) => rate.checked_mul_int(n).ok_or(ArithmeticError::Overflow),
    }
}
