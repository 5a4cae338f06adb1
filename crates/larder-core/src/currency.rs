//! Currencies: an ISO-4217-like code and the number of minor-unit digits.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// The largest supported number of minor-unit digits.
pub const MAX_CURRENCY_DECIMALS: u8 = 4;

/// Display symbols for the currencies the business is likely to meet.
const SYMBOLS: &[(&str, &str)] = &[
    ("RUB", "₽"),
    ("EUR", "€"),
    ("USD", "$"),
    ("UAH", "₴"),
    ("GBP", "£"),
    ("KZT", "₸"),
    ("BYN", "Br"),
    ("MDL", "L"),
    ("PLN", "zł"),
    ("GEL", "₾"),
    ("AMD", "֏"),
    ("TRY", "₺"),
];

/// ISO 4217 minor units for well-known currencies that do not use 2 digits.
/// Any other bare code parsed with [`FromStr`] gets 2.
const NON_DEFAULT_DECIMALS: &[(&str, u8)] = &[
    ("JPY", 0),
    ("KRW", 0),
    ("VND", 0),
    ("CLP", 0),
    ("ISK", 0),
    ("PYG", 0),
    ("UGX", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
];

/// Why a currency could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyError {
    /// The code is not exactly three ASCII uppercase letters.
    #[error("currency code must be three uppercase ASCII letters, got {0:?}")]
    InvalidCode(String),
    /// More minor-unit digits than [`MAX_CURRENCY_DECIMALS`].
    #[error("currency decimals must be 0..={MAX_CURRENCY_DECIMALS}, got {0}")]
    InvalidDecimals(u8),
    /// The `CODE:decimals` form had something other than a small number after the colon.
    #[error("invalid currency spec {0:?}; expected \"EUR\" or \"JPY:0\"")]
    InvalidSpec(String),
}

/// A currency: three uppercase ASCII letters and 0..=4 minor-unit digits.
///
/// Parses from `"EUR"` (ISO default decimals, 2 for codes not in the small
/// built-in table) or `"JPY:0"` (explicit decimals); serialises to the same
/// string form, which [`fmt::Display`] also produces.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: String,
    decimals: u8,
}

impl Currency {
    /// Builds a currency, validating the code and the number of decimals.
    pub fn new(code: &str, decimals: u8) -> Result<Currency, CurrencyError> {
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CurrencyError::InvalidCode(code.to_owned()));
        }
        if decimals > MAX_CURRENCY_DECIMALS {
            return Err(CurrencyError::InvalidDecimals(decimals));
        }
        Ok(Currency {
            code: code.to_owned(),
            decimals,
        })
    }

    /// The three-letter code, e.g. `"RUB"`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Number of minor-unit digits (0..=4).
    pub fn decimals(&self) -> u8 {
        self.decimals
    }

    /// A short display symbol (`"₽"`, `"€"`, …), or the code when unknown.
    pub fn symbol(&self) -> &str {
        SYMBOLS
            .iter()
            .find(|(code, _)| *code == self.code)
            .map_or(self.code.as_str(), |(_, symbol)| symbol)
    }

    /// Minor units per major unit: `10^decimals`.
    pub fn minor_per_major(&self) -> i64 {
        10_i64.pow(u32::from(self.decimals))
    }

    /// Formats an amount with exactly `decimals` fraction digits, a dot as the
    /// separator, no grouping and no symbol: `"221.92"`, `"-5.00"`, `"1250"`.
    pub fn format(&self, m: Money) -> String {
        let sign = if m.minor() < 0 { "-" } else { "" };
        let abs = m.minor().unsigned_abs();
        if self.decimals == 0 {
            return format!("{sign}{abs}");
        }
        let per = 10_u64.pow(u32::from(self.decimals));
        let width = usize::from(self.decimals);
        format!("{sign}{}.{:0width$}", abs / per, abs % per)
    }

    /// [`Currency::format`] followed by a space and the [`Currency::symbol`]:
    /// `"221.92 ₽"`.
    pub fn format_with_symbol(&self, m: Money) -> String {
        format!("{} {}", self.format(m), self.symbol())
    }

    /// The decimals a bare code gets when parsed: ISO 4217 for the codes in a
    /// small table, otherwise 2.
    pub fn default_decimals(code: &str) -> u8 {
        NON_DEFAULT_DECIMALS
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(2, |(_, d)| *d)
    }

    /// Codes of the currencies that have a symbol in the built-in table.
    pub(crate) fn known_symbols() -> impl Iterator<Item = (&'static str, &'static str)> {
        SYMBOLS.iter().copied()
    }
}

impl Default for Currency {
    /// Russian rouble with kopecks.
    fn default() -> Self {
        Currency {
            code: "RUB".to_owned(),
            decimals: 2,
        }
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().split_once(':') {
            None => {
                let code = s.trim();
                Currency::new(code, Currency::default_decimals(code))
            }
            Some((code, decimals)) => {
                let decimals = decimals
                    .trim()
                    .parse::<u8>()
                    .map_err(|_| CurrencyError::InvalidSpec(s.to_owned()))?;
                Currency::new(code.trim(), decimals)
            }
        }
    }
}

impl fmt::Display for Currency {
    /// `"RUB"` when the decimals are the default for the code, else `"JPY:2"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.decimals == Currency::default_decimals(&self.code) {
            f.write_str(&self.code)
        } else {
            write!(f, "{}:{}", self.code, self.decimals)
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = CurrencyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cur(code: &str, decimals: u8) -> Currency {
        Currency::new(code, decimals).unwrap()
    }

    #[test]
    fn validates() {
        assert!(Currency::new("RUB", 2).is_ok());
        assert!(Currency::new("KWD", 4).is_ok());
        assert_eq!(
            Currency::new("rub", 2),
            Err(CurrencyError::InvalidCode("rub".into()))
        );
        assert!(Currency::new("RU", 2).is_err());
        assert!(Currency::new("RUBL", 2).is_err());
        assert!(Currency::new("РУБ", 2).is_err());
        assert_eq!(
            Currency::new("RUB", 5),
            Err(CurrencyError::InvalidDecimals(5))
        );
    }

    #[test]
    fn default_is_rub_2() {
        let c = Currency::default();
        assert_eq!((c.code(), c.decimals(), c.symbol()), ("RUB", 2, "₽"));
        assert_eq!(c.minor_per_major(), 100);
    }

    #[test]
    fn from_str_forms() {
        assert_eq!("EUR".parse::<Currency>().unwrap(), cur("EUR", 2));
        assert_eq!("JPY:0".parse::<Currency>().unwrap(), cur("JPY", 0));
        assert_eq!("JPY".parse::<Currency>().unwrap(), cur("JPY", 0));
        assert_eq!(" KWD ".parse::<Currency>().unwrap(), cur("KWD", 3));
        assert_eq!("USD:4".parse::<Currency>().unwrap(), cur("USD", 4));
        assert!(matches!(
            "USD:x".parse::<Currency>(),
            Err(CurrencyError::InvalidSpec(_))
        ));
        assert!(matches!(
            "USD:-1".parse::<Currency>(),
            Err(CurrencyError::InvalidSpec(_))
        ));
        assert!("USD:9".parse::<Currency>().is_err());
        assert!("".parse::<Currency>().is_err());
    }

    #[test]
    fn symbols() {
        assert_eq!(cur("GEL", 2).symbol(), "₾");
        assert_eq!(cur("BYN", 2).symbol(), "Br");
        assert_eq!(cur("CHF", 2).symbol(), "CHF");
    }

    #[test]
    fn formats() {
        let rub = Currency::default();
        assert_eq!(rub.format(Money::from_minor(22_192)), "221.92");
        assert_eq!(rub.format(Money::from_minor(-500)), "-5.00");
        assert_eq!(rub.format(Money::from_minor(-5)), "-0.05");
        assert_eq!(rub.format(Money::ZERO), "0.00");
        assert_eq!(cur("JPY", 0).format(Money::from_minor(1250)), "1250");
        assert_eq!(cur("KWD", 3).format(Money::from_minor(1)), "0.001");
        assert_eq!(
            rub.format(Money::from_minor(i64::MIN)),
            "-92233720368547758.08"
        );
        assert_eq!(rub.format_with_symbol(Money::from_minor(7875)), "78.75 ₽");
    }

    #[test]
    fn display_and_serde_round_trip() {
        for c in [
            Currency::default(),
            cur("JPY", 0),
            cur("JPY", 2),
            cur("EUR", 4),
        ] {
            assert_eq!(c.to_string().parse::<Currency>().unwrap(), c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Currency>(&json).unwrap(), c);
        }
        assert_eq!(
            serde_json::to_string(&Currency::default()).unwrap(),
            "\"RUB\""
        );
        assert!(serde_json::from_str::<Currency>("\"rub\"").is_err());
    }

    proptest! {
        #[test]
        fn format_has_exact_digits(minor in any::<i64>(), decimals in 0_u8..=4) {
            let c = cur("XTS", decimals);
            let s = c.format(Money::from_minor(minor));
            let frac = s.split_once('.').map_or(0, |(_, f)| f.len());
            prop_assert_eq!(frac, usize::from(decimals));
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(digits.parse::<u128>().unwrap(), u128::from(minor.unsigned_abs()));
        }
    }
}
