//! Discount percentages, 0 % ..= 100 %, kept as basis points (1 % = 100).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::input_error::InputError;
use crate::number::{self, Lexed};

/// A percentage between 0 % and 100 % with up to two decimals, stored as
/// basis points: `"12.5"` is `1250`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Percent(i64);

/// A basis-point value outside `0..=10_000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("percent must be 0..=10000 basis points, got {0}")]
pub struct PercentRangeError(pub i64);

impl Percent {
    /// Basis points in 100 %.
    pub const BASIS_POINTS_PER_WHOLE: i64 = 10_000;
    /// 0 %.
    pub const ZERO: Percent = Percent(0);
    /// 100 %.
    pub const HUNDRED: Percent = Percent(Self::BASIS_POINTS_PER_WHOLE);

    /// From basis points, `0..=10_000`.
    pub const fn from_basis_points(bp: i64) -> Result<Percent, PercentRangeError> {
        if bp >= 0 && bp <= Self::BASIS_POINTS_PER_WHOLE {
            Ok(Percent(bp))
        } else {
            Err(PercentRangeError(bp))
        }
    }

    /// The value in basis points (`1250` for 12.5 %).
    pub const fn basis_points(self) -> i64 {
        self.0
    }

    /// Parses what staff type: `"15"`, `"15%"`, `"15 %"`, `"12.5"`, `"12,5"`.
    /// At most two decimals; zero is allowed.
    pub fn parse(input: &str) -> Result<Percent, InputError> {
        let Lexed { number, suffix } = number::lex(input)?;
        if !(suffix.is_empty() || suffix == "%") {
            return Err(InputError::UnknownUnit);
        }
        let bp = number
            .scaled(2)
            .ok_or(InputError::TooManyDecimals { max: 2 })?;
        match i64::try_from(bp) {
            Ok(bp) if bp <= Self::BASIS_POINTS_PER_WHOLE => Ok(Percent(bp)),
            _ => Err(InputError::TooLarge {
                max: "100".to_owned(),
            }),
        }
    }
}

impl FromStr for Percent {
    type Err = InputError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Percent::parse(s)
    }
}

impl fmt::Display for Percent {
    /// `"15%"`, `"12.5%"`, `"0.05%"` — trailing zeros trimmed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match (frac, frac % 10) {
            (0, _) => write!(f, "{whole}%"),
            (_, 0) => write!(f, "{whole}.{}%", frac / 10),
            _ => write!(f, "{whole}.{frac:02}%"),
        }
    }
}

impl TryFrom<i64> for Percent {
    type Error = PercentRangeError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Percent::from_basis_points(value)
    }
}

impl From<Percent> for i64 {
    fn from(value: Percent) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses() {
        let bp = |s: &str| Percent::parse(s).map(Percent::basis_points);
        assert_eq!(bp("15"), Ok(1500));
        assert_eq!(bp("15%"), Ok(1500));
        assert_eq!(bp(" 15 % "), Ok(1500));
        assert_eq!(bp("12.5"), Ok(1250));
        assert_eq!(bp("12,5"), Ok(1250));
        assert_eq!(bp("0,05"), Ok(5));
        assert_eq!(bp("0"), Ok(0));
        assert_eq!(bp("100"), Ok(10_000));
        assert_eq!(bp("100.00"), Ok(10_000));
        assert_eq!(
            bp("100.01"),
            Err(InputError::TooLarge { max: "100".into() })
        );
        assert_eq!(
            bp("1000000000000000000000"),
            Err(InputError::TooLarge { max: "100".into() })
        );
        assert_eq!(bp("12.555"), Err(InputError::TooManyDecimals { max: 2 }));
        assert_eq!(bp("-5"), Err(InputError::Negative));
        assert_eq!(bp("5 kg"), Err(InputError::UnknownUnit));
        assert_eq!(bp("abc"), Err(InputError::NotANumber));
        assert_eq!(bp(""), Err(InputError::Empty));
        assert_eq!(bp("1e2"), Err(InputError::Exponent));
    }

    #[test]
    fn range_and_serde() {
        assert_eq!(Percent::from_basis_points(-1), Err(PercentRangeError(-1)));
        assert_eq!(
            Percent::from_basis_points(10_001),
            Err(PercentRangeError(10_001))
        );
        assert_eq!(serde_json::to_string(&Percent::HUNDRED).unwrap(), "10000");
        assert_eq!(
            serde_json::from_str::<Percent>("1250")
                .unwrap()
                .basis_points(),
            1250
        );
        assert!(serde_json::from_str::<Percent>("10001").is_err());
    }

    #[test]
    fn displays() {
        let show = |bp| Percent::from_basis_points(bp).unwrap().to_string();
        assert_eq!(show(1500), "15%");
        assert_eq!(show(1250), "12.5%");
        assert_eq!(show(5), "0.05%");
        assert_eq!(show(0), "0%");
        assert_eq!(show(10_000), "100%");
    }

    proptest! {
        #[test]
        fn display_round_trips(bp in 0_i64..=10_000) {
            let p = Percent::from_basis_points(bp).unwrap();
            prop_assert_eq!(Percent::parse(&p.to_string()), Ok(p));
            prop_assert_eq!(Percent::parse(&p.to_string().replace('.', ",")), Ok(p));
        }
    }
}
