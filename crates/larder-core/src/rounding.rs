//! The one rounding rule of the crate: **half away from zero**.
//!
//! Every place that has to turn an exact rational amount into whole minor
//! units (line totals of weighed goods, percentages) goes through
//! [`round_div_half_away`], and does so exactly once per computed value, so
//! that results are reproducible by hand: `35.6325 → 35.63`,
//! `0.5 → 1`, `-0.5 → -1`, `2.5 → 3`.

/// Divides `num` by `den` and rounds the quotient half away from zero.
///
/// Returns `None` when `den` is zero or the quotient does not fit in `i128`
/// (only `i128::MIN / -1`).
#[must_use]
pub fn checked_round_div_half_away(num: i128, den: i128) -> Option<i128> {
    let quotient = num.checked_div(den)?;
    let remainder = num.checked_rem(den)?;
    let rem_abs = remainder.unsigned_abs();
    let den_abs = den.unsigned_abs();
    // `rem_abs < den_abs`, so neither side can overflow; this is
    // `2 * |r| >= |d|` written without the doubling.
    if rem_abs != 0 && rem_abs >= den_abs - rem_abs {
        // A non-zero remainder implies `|den| >= 2`, so `|quotient| <= i128::MAX / 2`
        // and the step below cannot overflow.
        let away = if (num < 0) == (den < 0) { 1 } else { -1 };
        Some(quotient + away)
    } else {
        Some(quotient)
    }
}

/// Divides `num` by `den` and rounds the quotient half away from zero.
///
/// # Panics
///
/// Like the `/` operator: when `den` is zero, or for `i128::MIN / -1`.
/// Use [`checked_round_div_half_away`] when either can happen.
#[must_use]
pub fn round_div_half_away(num: i128, den: i128) -> i128 {
    match checked_round_div_half_away(num, den) {
        Some(value) => value,
        None => panic!("round_div_half_away: division by zero or overflow ({num} / {den})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Brute force: the integer `k` minimising `|k * den - num|`, ties broken
    /// towards the larger `|k|`.
    fn reference(num: i128, den: i128) -> i128 {
        let bound = num.abs() + 1;
        let mut best = 0_i128;
        let mut best_dist = (num).abs() * 2;
        for k in -bound..=bound {
            let dist = (k * den - num).abs() * 2;
            if dist < best_dist || (dist == best_dist && k.abs() > best.abs()) {
                best = k;
                best_dist = dist;
            }
        }
        best
    }

    #[test]
    fn examples() {
        assert_eq!(round_div_half_away(356_325, 10_000), 36);
        assert_eq!(round_div_half_away(3_563_250, 10_000), 356);
        assert_eq!(round_div_half_away(5, 10), 1);
        assert_eq!(round_div_half_away(-5, 10), -1);
        assert_eq!(round_div_half_away(5, -10), -1);
        assert_eq!(round_div_half_away(-5, -10), 1);
        assert_eq!(round_div_half_away(25, 10), 3);
        assert_eq!(round_div_half_away(-25, 10), -3);
        assert_eq!(round_div_half_away(24, 10), 2);
        assert_eq!(round_div_half_away(-24, 10), -2);
        assert_eq!(round_div_half_away(0, 7), 0);
        assert_eq!(round_div_half_away(7, 1), 7);
        assert_eq!(round_div_half_away(7, -1), -7);
    }

    #[test]
    fn extremes() {
        assert_eq!(checked_round_div_half_away(1, 0), None);
        assert_eq!(checked_round_div_half_away(i128::MIN, -1), None);
        assert_eq!(checked_round_div_half_away(i128::MIN, 1), Some(i128::MIN));
        assert_eq!(
            checked_round_div_half_away(i128::MAX, 2),
            Some(i128::MAX / 2 + 1)
        );
        assert_eq!(
            checked_round_div_half_away(i128::MIN, 2),
            Some(i128::MIN / 2)
        );
        assert_eq!(checked_round_div_half_away(i128::MIN, i128::MIN), Some(1));
        assert_eq!(checked_round_div_half_away(i128::MAX, i128::MIN), Some(-1));
    }

    #[test]
    #[should_panic(expected = "division by zero")]
    fn panics_on_zero_denominator() {
        let _ = round_div_half_away(1, 0);
    }

    proptest! {
        #[test]
        fn matches_brute_force(num in -3_000_i128..=3_000, den in -60_i128..=60) {
            prop_assume!(den != 0);
            prop_assert_eq!(round_div_half_away(num, den), reference(num, den));
        }

        #[test]
        fn symmetric_in_sign(num in any::<i64>(), den in 1_i64..=i64::MAX) {
            let (num, den) = (i128::from(num), i128::from(den));
            prop_assert_eq!(round_div_half_away(-num, den), -round_div_half_away(num, den));
            prop_assert_eq!(round_div_half_away(num, -den), -round_div_half_away(num, den));
        }

        #[test]
        fn within_half_of_exact(num in any::<i64>(), den in 1_i64..=i64::MAX) {
            let (num, den) = (i128::from(num), i128::from(den));
            let q = round_div_half_away(num, den);
            prop_assert!((q * den - num).abs() * 2 <= den);
        }
    }
}
