//! How much of a product: whole grams for weighed goods, whole pieces for
//! counted ones.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How a product is sold: by weight (priced per kilogram, measured in grams)
/// or by the piece.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Priced per kilogram, quantities in grams.
    Kg,
    /// Priced and counted per piece.
    Piece,
}

/// A string that is neither `"kg"` nor `"piece"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown unit {0:?}; expected \"kg\" or \"piece\"")]
pub struct UnitParseError(pub String);

impl Unit {
    /// Both units.
    pub const ALL: [Unit; 2] = [Unit::Kg, Unit::Piece];

    /// `"kg"` or `"piece"` (also the serde form).
    pub const fn as_str(self) -> &'static str {
        match self {
            Unit::Kg => "kg",
            Unit::Piece => "piece",
        }
    }
}

impl FromStr for Unit {
    type Err = UnitParseError;

    /// `"kg"` or `"piece"`, ASCII case-insensitive, surrounding spaces ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Unit::ALL
            .into_iter()
            .find(|u| u.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnitParseError(s.to_owned()))
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A negative amount passed to [`Quantity::grams`] / [`Quantity::pieces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("quantity must not be negative, got {0}")]
pub struct NegativeQuantity(pub i64);

/// A non-negative amount of a product.
///
/// Build it with [`Quantity::grams`], [`Quantity::pieces`],
/// [`Quantity::new`] or [`crate::parse_quantity`]; matching on the variants
/// is fine. (Enum payloads cannot be private, so `Quantity::Grams(-1)` can
/// be written by hand — don't; deserialisation rejects it.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "QuantityRepr", into = "QuantityRepr")]
pub enum Quantity {
    /// Whole grams of a [`Unit::Kg`] product.
    Grams(i64),
    /// Whole pieces of a [`Unit::Piece`] product.
    Pieces(i64),
}

impl Quantity {
    /// `n` grams, `n >= 0`.
    pub const fn grams(n: i64) -> Result<Quantity, NegativeQuantity> {
        if n < 0 {
            Err(NegativeQuantity(n))
        } else {
            Ok(Quantity::Grams(n))
        }
    }

    /// `n` pieces, `n >= 0`.
    pub const fn pieces(n: i64) -> Result<Quantity, NegativeQuantity> {
        if n < 0 {
            Err(NegativeQuantity(n))
        } else {
            Ok(Quantity::Pieces(n))
        }
    }

    /// `value` grams for [`Unit::Kg`], `value` pieces for [`Unit::Piece`].
    pub const fn new(unit: Unit, value: i64) -> Result<Quantity, NegativeQuantity> {
        match unit {
            Unit::Kg => Quantity::grams(value),
            Unit::Piece => Quantity::pieces(value),
        }
    }

    /// Zero grams or zero pieces.
    pub const fn zero(unit: Unit) -> Quantity {
        match unit {
            Unit::Kg => Quantity::Grams(0),
            Unit::Piece => Quantity::Pieces(0),
        }
    }

    /// The unit the value is counted in.
    pub const fn unit(self) -> Unit {
        match self {
            Quantity::Grams(_) => Unit::Kg,
            Quantity::Pieces(_) => Unit::Piece,
        }
    }

    /// Grams or pieces.
    pub const fn value(self) -> i64 {
        match self {
            Quantity::Grams(n) | Quantity::Pieces(n) => n,
        }
    }

    /// `true` for zero grams / pieces.
    pub const fn is_zero(self) -> bool {
        self.value() == 0
    }

    /// Adds two quantities of the same unit; `None` on unit mismatch or overflow.
    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        if self.unit() != other.unit() {
            return None;
        }
        Quantity::new(self.unit(), self.value().checked_add(other.value())?).ok()
    }
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename = "Quantity")]
enum QuantityRepr {
    Grams(i64),
    Pieces(i64),
}

impl TryFrom<QuantityRepr> for Quantity {
    type Error = NegativeQuantity;

    fn try_from(repr: QuantityRepr) -> Result<Self, Self::Error> {
        match repr {
            QuantityRepr::Grams(n) => Quantity::grams(n),
            QuantityRepr::Pieces(n) => Quantity::pieces(n),
        }
    }
}

impl From<Quantity> for QuantityRepr {
    fn from(q: Quantity) -> Self {
        match q {
            Quantity::Grams(n) => QuantityRepr::Grams(n),
            Quantity::Pieces(n) => QuantityRepr::Pieces(n),
        }
    }
}

/// Grams as kilograms with a dot and trailing zeros trimmed:
/// `315 → "0.315"`, `1500 → "1.5"`, `2000 → "2"`, `-250 → "-0.25"`.
///
/// Note for input prefill: a whole number of kilograms comes out without a
/// separator (`"2"`), which [`crate::parse_quantity`] would read as 2 grams;
/// append a unit (`"2 кг"`) when the text is meant to be parsed again.
pub fn format_kg(grams: i64) -> String {
    let sign = if grams < 0 { "-" } else { "" };
    let abs = grams.unsigned_abs();
    let (kg, rest) = (abs / 1000, abs % 1000);
    if rest == 0 {
        return format!("{sign}{kg}");
    }
    let frac = format!("{rest:03}");
    format!("{sign}{kg}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unit_strings() {
        for u in Unit::ALL {
            assert_eq!(u.as_str().parse::<Unit>(), Ok(u));
            assert_eq!(u.to_string(), u.as_str());
            let json = serde_json::to_string(&u).unwrap();
            assert_eq!(json, format!("\"{}\"", u.as_str()));
        }
        assert_eq!(" KG ".parse::<Unit>(), Ok(Unit::Kg));
        assert!("кг".parse::<Unit>().is_err());
    }

    #[test]
    fn constructors() {
        assert_eq!(Quantity::grams(315), Ok(Quantity::Grams(315)));
        assert_eq!(Quantity::pieces(-1), Err(NegativeQuantity(-1)));
        assert_eq!(Quantity::new(Unit::Piece, 2), Ok(Quantity::Pieces(2)));
        assert_eq!(Quantity::zero(Unit::Kg), Quantity::Grams(0));
        assert!(Quantity::zero(Unit::Piece).is_zero());
        assert_eq!(Quantity::Grams(5).unit(), Unit::Kg);
        assert_eq!(Quantity::Pieces(5).value(), 5);
    }

    #[test]
    fn adds() {
        let g = |n| Quantity::Grams(n);
        assert_eq!(g(315).checked_add(g(410)), Some(g(725)));
        assert_eq!(g(1).checked_add(Quantity::Pieces(1)), None);
        assert_eq!(g(i64::MAX).checked_add(g(1)), None);
    }

    #[test]
    fn serde_rejects_negative() {
        let json = serde_json::to_string(&Quantity::Grams(315)).unwrap();
        assert_eq!(json, r#"{"Grams":315}"#);
        assert_eq!(
            serde_json::from_str::<Quantity>(&json).unwrap(),
            Quantity::Grams(315)
        );
        assert!(serde_json::from_str::<Quantity>(r#"{"Pieces":-2}"#).is_err());
    }

    #[test]
    fn formats_kg() {
        assert_eq!(format_kg(315), "0.315");
        assert_eq!(format_kg(1500), "1.5");
        assert_eq!(format_kg(2000), "2");
        assert_eq!(format_kg(0), "0");
        assert_eq!(format_kg(1), "0.001");
        assert_eq!(format_kg(1010), "1.01");
        assert_eq!(format_kg(-250), "-0.25");
        assert_eq!(format_kg(i64::MIN), "-9223372036854775.808");
    }

    proptest! {
        #[test]
        fn format_kg_is_exact(grams in any::<i64>()) {
            let s = format_kg(grams);
            let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
            prop_assert!(frac.len() <= 3 && !frac.ends_with('0'));
            let padded = format!("{frac:0<3}");
            let value = int.trim_start_matches('-').parse::<i128>().unwrap() * 1000
                + padded.parse::<i128>().unwrap();
            let signed = if grams < 0 { -value } else { value };
            prop_assert_eq!(signed, i128::from(grams));
        }
    }
}
