//! Unit prices and line totals.
//!
//! # Rounding
//!
//! **Half away from zero, once per line.** A weighed line's total is the
//! exact rational `per_kg_minor × grams / 1000`, computed in `i128` and
//! rounded once with [`round_div_half_away`]; it is never rounded per
//! kilogram or per intermediate step. Counted lines are exact
//! (`per_piece × n`). Order totals are sums of already rounded lines.

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::quantity::{Quantity, Unit};
use crate::rounding::round_div_half_away;

/// Grams per kilogram.
const GRAMS_PER_KG: i128 = 1000;

/// A price per kilogram ([`Unit::Kg`]) or per piece ([`Unit::Piece`]);
/// always strictly positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "UnitPriceRepr", into = "UnitPriceRepr")]
pub struct UnitPrice {
    unit: Unit,
    per_unit: Money,
}

/// A price that is zero or negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a price must be positive, got {0:?}")]
pub struct NonPositivePrice(pub Money);

impl UnitPrice {
    /// A price of `per_unit` per kilogram or per piece; `per_unit` must be > 0.
    pub const fn new(unit: Unit, per_unit: Money) -> Result<UnitPrice, NonPositivePrice> {
        if per_unit.is_positive() {
            Ok(UnitPrice { unit, per_unit })
        } else {
            Err(NonPositivePrice(per_unit))
        }
    }

    /// What the price is per.
    pub const fn unit(self) -> Unit {
        self.unit
    }

    /// The price of one kilogram or one piece.
    pub const fn per_unit(self) -> Money {
        self.per_unit
    }
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename = "UnitPrice")]
struct UnitPriceRepr {
    unit: Unit,
    per_unit: Money,
}

impl TryFrom<UnitPriceRepr> for UnitPrice {
    type Error = NonPositivePrice;

    fn try_from(r: UnitPriceRepr) -> Result<Self, Self::Error> {
        UnitPrice::new(r.unit, r.per_unit)
    }
}

impl From<UnitPrice> for UnitPriceRepr {
    fn from(p: UnitPrice) -> Self {
        UnitPriceRepr {
            unit: p.unit,
            per_unit: p.per_unit,
        }
    }
}

/// Why a line total could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ArithmeticError {
    /// A per-kg price with pieces, or a per-piece price with grams.
    #[error("price is per {price} but the quantity is in {quantity}")]
    UnitMismatch {
        /// The price's unit.
        price: Unit,
        /// The quantity's unit.
        quantity: Unit,
    },
    /// The result does not fit in [`Money`].
    #[error("amount overflow")]
    Overflow,
}

/// The total of one order line: price × quantity, rounded once, half away
/// from zero (see the module docs).
pub fn line_total(price: UnitPrice, qty: Quantity) -> Result<Money, ArithmeticError> {
    match (price.unit, qty) {
        (Unit::Kg, Quantity::Grams(grams)) => {
            let exact = i128::from(price.per_unit.minor()) * i128::from(grams);
            let rounded = round_div_half_away(exact, GRAMS_PER_KG);
            i64::try_from(rounded)
                .map(Money::from_minor)
                .map_err(|_| ArithmeticError::Overflow)
        }
        (Unit::Piece, Quantity::Pieces(n)) => price
            .per_unit
            .checked_mul_int(n)
            .ok_or(ArithmeticError::Overflow),
        (unit, qty) => Err(ArithmeticError::UnitMismatch {
            price: unit,
            quantity: qty.unit(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, Limits, Percent, parse_price, parse_quantity};
    use proptest::prelude::*;

    fn price(unit: Unit, minor: i64) -> UnitPrice {
        UnitPrice::new(unit, Money::from_minor(minor)).unwrap()
    }

    /// The business's real numbers, typed the way staff type them.
    #[test]
    fn worked_example() {
        let rub = Currency::default();
        let limits = Limits::default();
        let per_kg = |s: &str| UnitPrice::new(Unit::Kg, parse_price(s, &rub, &limits).unwrap());
        let weighed = |s: &str| parse_quantity(s, Unit::Kg, &limits, false).unwrap();

        let gouda = line_total(per_kg("250").unwrap(), weighed("315")).unwrap();
        assert_eq!(rub.format(gouda), "78.75");

        let caciotta = line_total(per_kg("250,00").unwrap(), weighed("0,410 кг")).unwrap();
        assert_eq!(rub.format(caciotta), "102.50");

        let yoghurt_price =
            UnitPrice::new(Unit::Piece, parse_price("25 ₽", &rub, &limits).unwrap());
        let two = parse_quantity("2 шт", Unit::Piece, &limits, false).unwrap();
        let yoghurt = line_total(yoghurt_price.unwrap(), two).unwrap();
        assert_eq!(rub.format(yoghurt), "50.00");

        let total = Money::checked_sum([gouda, caciotta, yoghurt]).unwrap();
        assert_eq!(rub.format(total), "231.25");

        let discount = Money::from_minor(23_755).percent(Percent::parse("15 %").unwrap());
        assert_eq!(rub.format(discount), "35.63"); // 35.6325 → 35.63
    }

    #[test]
    fn rounds_once_half_away() {
        // 0.5 kopeck exactly → away from zero.
        assert_eq!(
            line_total(price(Unit::Kg, 100), Quantity::Grams(5)),
            Ok(Money::from_minor(1))
        );
        assert_eq!(
            line_total(price(Unit::Kg, 100), Quantity::Grams(4)),
            Ok(Money::ZERO)
        );
        assert_eq!(
            line_total(price(Unit::Kg, 1), Quantity::Grams(0)),
            Ok(Money::ZERO)
        );
        // 333.33/kg × 3 g = 0.99999 → 1.00: rounded once, not per gram.
        assert_eq!(
            line_total(price(Unit::Kg, 33_333), Quantity::Grams(3)),
            Ok(Money::from_minor(100))
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            line_total(price(Unit::Kg, 100), Quantity::Pieces(1)),
            Err(ArithmeticError::UnitMismatch {
                price: Unit::Kg,
                quantity: Unit::Piece
            })
        );
        assert_eq!(
            line_total(price(Unit::Piece, 100), Quantity::Grams(1)),
            Err(ArithmeticError::UnitMismatch {
                price: Unit::Piece,
                quantity: Unit::Kg
            })
        );
        assert_eq!(
            line_total(price(Unit::Piece, i64::MAX), Quantity::Pieces(2)),
            Err(ArithmeticError::Overflow)
        );
        assert_eq!(
            line_total(price(Unit::Kg, i64::MAX), Quantity::Grams(1001)),
            Err(ArithmeticError::Overflow)
        );
        assert_eq!(
            line_total(price(Unit::Kg, i64::MAX), Quantity::Grams(1000)),
            Ok(Money::from_minor(i64::MAX))
        );
        assert_eq!(
            UnitPrice::new(Unit::Kg, Money::ZERO),
            Err(NonPositivePrice(Money::ZERO))
        );
        assert!(UnitPrice::new(Unit::Kg, Money::from_minor(-1)).is_err());
    }

    #[test]
    fn serde_validates() {
        let p = price(Unit::Kg, 25_000);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"unit":"kg","per_unit":25000}"#);
        assert_eq!(serde_json::from_str::<UnitPrice>(&json).unwrap(), p);
        assert!(serde_json::from_str::<UnitPrice>(r#"{"unit":"kg","per_unit":0}"#).is_err());
    }

    /// Reference: floor division, then fix up by comparing the remainder.
    fn reference_kg_total(per_kg: i64, grams: i64) -> i128 {
        let n = i128::from(per_kg) * i128::from(grams);
        let (q, r) = (n.div_euclid(1000), n.rem_euclid(1000));
        match (r * 2).cmp(&1000) {
            std::cmp::Ordering::Less => q,
            std::cmp::Ordering::Greater => q + 1,
            std::cmp::Ordering::Equal => {
                if n > 0 {
                    q + 1
                } else {
                    q
                }
            }
        }
    }

    proptest! {
        #[test]
        fn kg_total_matches_reference(per_kg in 1_i64..=i64::MAX, grams in 0_i64..=1_000_000) {
            let got = line_total(price(Unit::Kg, per_kg), Quantity::Grams(grams));
            let want = reference_kg_total(per_kg, grams);
            match i64::try_from(want) {
                Ok(w) => prop_assert_eq!(got, Ok(Money::from_minor(w))),
                Err(_) => prop_assert_eq!(got, Err(ArithmeticError::Overflow)),
            }
        }

        #[test]
        fn kg_total_matches_reference_small(per_kg in 1_i64..=100_000_000, grams in 0_i64..=100_000) {
            let got = line_total(price(Unit::Kg, per_kg), Quantity::Grams(grams)).unwrap();
            prop_assert_eq!(i128::from(got.minor()), reference_kg_total(per_kg, grams));
        }

        #[test]
        fn kg_total_monotonic_in_grams(per_kg in 1_i64..=100_000_000, a in 0_i64..=100_000, b in 0_i64..=100_000) {
            let (lo, hi) = (a.min(b), a.max(b));
            let p = price(Unit::Kg, per_kg);
            prop_assert!(line_total(p, Quantity::Grams(lo)).unwrap() <= line_total(p, Quantity::Grams(hi)).unwrap());
            prop_assert!(line_total(p, Quantity::Grams(hi + 1)).unwrap() >= line_total(p, Quantity::Grams(hi)).unwrap());
        }

        #[test]
        fn piece_total_is_exact(per in 1_i64..=i64::MAX, n in 0_i64..=10_000) {
            let got = line_total(price(Unit::Piece, per), Quantity::Pieces(n));
            match i64::try_from(i128::from(per) * i128::from(n)) {
                Ok(w) => prop_assert_eq!(got, Ok(Money::from_minor(w))),
                Err(_) => prop_assert_eq!(got, Err(ArithmeticError::Overflow)),
            }
        }
    }
}
