//! Amounts of money as whole minor units (kopecks, cents).
//!
//! A [`Money`] carries no currency: the business runs in one currency, held
//! by its configuration as a [`crate::Currency`], which formats amounts.

use serde::{Deserialize, Serialize};

use crate::percent::Percent;
use crate::rounding::round_div_half_away;

/// An amount in minor units of the business's currency. May be negative
/// (refunds, differences); prices are kept positive by their own types.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// Wraps an amount of minor units.
    pub const fn from_minor(minor: i64) -> Money {
        Money(minor)
    }

    /// The amount in minor units.
    pub const fn minor(self) -> i64 {
        self.0
    }

    /// `true` for exactly zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `true` when strictly greater than zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// `true` when strictly less than zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `self + other`, or `None` on overflow.
    pub const fn checked_add(self, other: Money) -> Option<Money> {
        match self.0.checked_add(other.0) {
            Some(v) => Some(Money(v)),
            None => None,
        }
    }

    /// `self - other`, or `None` on overflow.
    pub const fn checked_sub(self, other: Money) -> Option<Money> {
        match self.0.checked_sub(other.0) {
            Some(v) => Some(Money(v)),
            None => None,
        }
    }

    /// `-self`, or `None` for the most negative amount.
    pub const fn checked_neg(self) -> Option<Money> {
        match self.0.checked_neg() {
            Some(v) => Some(Money(v)),
            None => None,
        }
    }

    /// `self * factor`, or `None` on overflow.
    pub const fn checked_mul_int(self, factor: i64) -> Option<Money> {
        match self.0.checked_mul(factor) {
            Some(v) => Some(Money(v)),
            None => None,
        }
    }

    /// Sums amounts, or `None` if any partial sum overflows. (There is no
    /// `impl Sum`, which could only panic or wrap.)
    pub fn checked_sum<I>(amounts: I) -> Option<Money>
    where
        I: IntoIterator<Item = Money>,
    {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// `pct` of this amount, rounded once, half away from zero
    /// (see [`crate::round_div_half_away`]): 15 % of 237.55 is 35.63.
    ///
    /// Never overflows: the result's magnitude is at most `|self|`.
    pub fn percent(self, pct: Percent) -> Money {
        let exact = i128::from(self.0) * i128::from(pct.basis_points());
        let rounded = round_div_half_away(exact, i128::from(Percent::BASIS_POINTS_PER_WHOLE));
        // |rounded| <= |self| because basis points never exceed 10 000.
        Money(i64::try_from(rounded).unwrap_or(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pct(s: &str) -> Percent {
        Percent::parse(s).unwrap()
    }

    #[test]
    fn arithmetic() {
        let a = Money::from_minor(250);
        assert_eq!(
            a.checked_add(Money::from_minor(50)),
            Some(Money::from_minor(300))
        );
        assert_eq!(
            a.checked_sub(Money::from_minor(300)),
            Some(Money::from_minor(-50))
        );
        assert_eq!(a.checked_mul_int(3), Some(Money::from_minor(750)));
        assert_eq!(
            Money::from_minor(i64::MAX).checked_add(Money::from_minor(1)),
            None
        );
        assert_eq!(
            Money::from_minor(i64::MIN).checked_sub(Money::from_minor(1)),
            None
        );
        assert_eq!(Money::from_minor(i64::MAX).checked_mul_int(2), None);
        assert_eq!(Money::from_minor(i64::MIN).checked_neg(), None);
        assert!(Money::ZERO.is_zero() && a.is_positive() && Money::from_minor(-1).is_negative());
        assert_eq!(Money::default(), Money::ZERO);
    }

    #[test]
    fn checked_sum() {
        let lines = [7875, 10_250, 5000].map(Money::from_minor);
        assert_eq!(Money::checked_sum(lines), Some(Money::from_minor(23_125)));
        assert_eq!(Money::checked_sum([]), Some(Money::ZERO));
        assert_eq!(
            Money::checked_sum([Money::from_minor(i64::MAX), Money::from_minor(1)]),
            None
        );
    }

    #[test]
    fn percent_examples() {
        assert_eq!(
            Money::from_minor(23_755).percent(pct("15")),
            Money::from_minor(3563)
        );
        assert_eq!(
            Money::from_minor(-23_755).percent(pct("15")),
            Money::from_minor(-3563)
        );
        assert_eq!(
            Money::from_minor(1).percent(pct("50")),
            Money::from_minor(1)
        );
        assert_eq!(
            Money::from_minor(-1).percent(pct("50")),
            Money::from_minor(-1)
        );
        assert_eq!(Money::from_minor(1).percent(pct("49.99")), Money::ZERO);
        assert_eq!(
            Money::from_minor(999).percent(pct("100")),
            Money::from_minor(999)
        );
        assert_eq!(Money::from_minor(999).percent(Percent::ZERO), Money::ZERO);
        assert_eq!(
            Money::from_minor(10_000).percent(pct("12,5")),
            Money::from_minor(1250)
        );
        let extremes = [i64::MIN, i64::MAX].map(Money::from_minor);
        for m in extremes {
            assert_eq!(m.percent(Percent::HUNDRED), m);
        }
    }

    #[test]
    fn serde_is_transparent() {
        assert_eq!(
            serde_json::to_string(&Money::from_minor(7875)).unwrap(),
            "7875"
        );
        assert_eq!(
            serde_json::from_str::<Money>("-12").unwrap(),
            Money::from_minor(-12)
        );
    }

    proptest! {
        #[test]
        fn percent_within_half_minor_unit(minor in any::<i64>(), bp in 0_i64..=10_000) {
            let p = Percent::from_basis_points(bp).unwrap();
            let got = i128::from(Money::from_minor(minor).percent(p).minor());
            let exact_scaled = i128::from(minor) * i128::from(bp);
            let diff = (got * 10_000 - exact_scaled).abs();
            prop_assert!(diff <= 5_000, "diff {} for {} * {}bp", diff, minor, bp);
            // Exactly half rounds away from zero.
            if diff == 5_000 {
                prop_assert!(got.abs() * 10_000 > exact_scaled.abs());
            }
        }

        #[test]
        fn checked_sum_matches_i128(values in proptest::collection::vec(any::<i64>(), 0..8)) {
            let exact = values.iter().map(|v| i128::from(*v)).sum::<i128>();
            let partials_fit = values
                .iter()
                .scan(0_i128, |acc, v| { *acc += i128::from(*v); Some(*acc) })
                .all(|p| i64::try_from(p).is_ok());
            let got = Money::checked_sum(values.iter().copied().map(Money::from_minor));
            if partials_fit {
                prop_assert_eq!(got.map(|m| i128::from(m.minor())), Some(exact));
            } else {
                prop_assert_eq!(got, None);
            }
        }
    }
}
