//! Parsers for the numbers staff type: prices and quantities.
//!
//! Shared rules (see [`crate::InputError`] for the errors): surrounding
//! whitespace (NBSP included) is trimmed; a dot or a comma separates the
//! fraction; spaces between the number and a unit word are allowed; unit
//! words are case-insensitive and may end with a dot (`"шт."`); no digit
//! grouping (`"1 000"` is not a number); at most 32 characters. Extra
//! trailing zeros are not "too many decimals": `"0,3150 кг"` is 315 g and
//! `"2.0"` is 2 pieces.

use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::input_error::InputError;
use crate::money::Money;
use crate::number::{self, Number};
use crate::quantity::{Quantity, Unit, format_kg};

/// Upper bounds for typed values, from the business's configuration.
/// Deserialises with defaults for missing fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Largest weight of one line, in grams. Default 100 000 (100 kg).
    pub max_weight_grams: i64,
    /// Largest piece count of one line. Default 10 000.
    pub max_pieces: i64,
    /// Largest price, in minor units. Default 100 000 000
    /// (1 000 000.00 at 2 decimals).
    pub max_price_minor: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_weight_grams: 100_000,
            max_pieces: 10_000,
            max_price_minor: 100_000_000,
        }
    }
}

const KG_WORDS: &[&str] = &[
    "кг",
    "кило",
    "килограмм",
    "килограмма",
    "килограммов",
    "kg",
    "kgs",
    "kilo",
    "kilos",
    "kilogram",
    "kilograms",
];
const GRAM_WORDS: &[&str] = &[
    "г",
    "гр",
    "грамм",
    "грамма",
    "граммов",
    "g",
    "gr",
    "gram",
    "grams",
];
const PIECE_WORDS: &[&str] = &[
    "шт",
    "штук",
    "штука",
    "штуки",
    "pc",
    "pcs",
    "piece",
    "pieces",
];
/// Extra words accepted after a price in roubles.
const RUB_WORDS: &[&str] = &["р", "руб", "рубль", "рубля", "рублей"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum UnitWord {
    Kilograms,
    Grams,
    Pieces,
}

/// `None` for no unit; `Err(UnknownUnit)` for an unknown word.
fn unit_word(suffix: &str) -> Result<Option<UnitWord>, InputError> {
    if suffix.is_empty() {
        return Ok(None);
    }
    let word = strip_dot(suffix);
    let tables = [
        (KG_WORDS, UnitWord::Kilograms),
        (GRAM_WORDS, UnitWord::Grams),
        (PIECE_WORDS, UnitWord::Pieces),
    ];
    tables
        .into_iter()
        .find(|(words, _)| words.contains(&word))
        .map(|(_, unit)| Some(unit))
        .ok_or(InputError::UnknownUnit)
}

fn strip_dot(word: &str) -> &str {
    word.strip_suffix('.').unwrap_or(word)
}

/// Parses a price: `"250"`, `"250.5"`, `"250,50"`, `"250 ₽"`, `"250 rub"`,
/// `"250р."`. A trailing currency symbol or code is optional; another
/// known currency is [`InputError::WrongCurrency`]. The price must be > 0
/// and at most `limits.max_price_minor`, with no more significant decimals
/// than the currency has.
pub fn parse_price(input: &str, currency: &Currency, limits: &Limits) -> Result<Money, InputError> {
    parse_money(input, currency, limits, false)
}

/// Parses a fee or surcharge (delivery fee, packing surcharge, a manual
/// fee typed at the desk): exactly like [`parse_price`], except that zero
/// is allowed (`"0"` means "free").
pub fn parse_fee(input: &str, currency: &Currency, limits: &Limits) -> Result<Money, InputError> {
    parse_money(input, currency, limits, true)
}

fn parse_money(
    input: &str,
    currency: &Currency,
    limits: &Limits,
    allow_zero: bool,
) -> Result<Money, InputError> {
    let lexed = number::lex(input)?;
    check_currency_suffix(&lexed.suffix, currency)?;
    let decimals = currency.decimals();
    let minor = lexed
        .number
        .scaled(u32::from(decimals))
        .ok_or(InputError::TooManyDecimals { max: decimals })?;
    let max = limits.max_price_minor;
    let value = bounded(minor, allow_zero, max, || {
        currency.format(Money::from_minor(max))
    })?;
    Ok(Money::from_minor(value))
}

fn check_currency_suffix(suffix: &str, currency: &Currency) -> Result<(), InputError> {
    if suffix.is_empty() {
        return Ok(());
    }
    let word = suffix;
    let bare = strip_dot(suffix);
    let matches = |code: &str, symbol: &str| {
        let symbol = symbol.to_lowercase();
        word == symbol || bare == symbol || bare == code.to_lowercase()
    };
    if matches(currency.code(), currency.symbol())
        || (currency.code() == "RUB" && RUB_WORDS.contains(&bare))
    {
        return Ok(());
    }
    let other_currency = Currency::known_symbols().any(|(code, symbol)| matches(code, symbol))
        || RUB_WORDS.contains(&bare);
    if other_currency {
        Err(InputError::WrongCurrency {
            expected: currency.code().to_owned(),
        })
    } else {
        Err(InputError::UnknownUnit)
    }
}

/// Parses a quantity of a product sold by `unit`.
///
/// [`Unit::Kg`]: a bare integer is grams (`"315"`), a bare decimal is
/// kilograms (`"0,5"`, `"1.25"`, even `"2.0"`); or an explicit unit —
/// `"0,315 кг"`, `"0.315kg"`, `"315 г"`, `"315гр"`, `"315 g"`, `"315 грамм"`.
/// Kilograms take at most 3 decimals; grams none.
///
/// [`Unit::Piece`]: `"2"`, `"2 шт"`, `"2 шт."`, `"2 pcs"`; a weight unit is
/// [`InputError::WrongUnit`] (and a piece word for a weighed product too).
///
/// Zero is rejected unless `allow_zero`.
pub fn parse_quantity(
    input: &str,
    unit: Unit,
    limits: &Limits,
    allow_zero: bool,
) -> Result<Quantity, InputError> {
    let lexed = number::lex(input)?;
    let word = unit_word(&lexed.suffix)?;
    let number = &lexed.number;
    match unit {
        Unit::Kg => {
            let grams = match word {
                Some(UnitWord::Pieces) => return Err(InputError::WrongUnit),
                Some(UnitWord::Grams) => whole(number, InputError::FractionalGrams)?,
                Some(UnitWord::Kilograms) => kilograms(number)?,
                None if number.has_separator => kilograms(number)?,
                None => whole(number, InputError::FractionalGrams)?,
            };
            let max = limits.max_weight_grams;
            let grams = bounded(grams, allow_zero, max, || format!("{} kg", format_kg(max)))?;
            Ok(Quantity::Grams(grams))
        }
        Unit::Piece => {
            if matches!(word, Some(UnitWord::Kilograms | UnitWord::Grams)) {
                return Err(InputError::WrongUnit);
            }
            let pieces = whole(number, InputError::FractionalPieces)?;
            let max = limits.max_pieces;
            let pieces = bounded(pieces, allow_zero, max, || max.to_string())?;
            Ok(Quantity::Pieces(pieces))
        }
    }
}

fn whole(number: &Number<'_>, fractional: InputError) -> Result<u128, InputError> {
    number.scaled(0).ok_or(fractional)
}

fn kilograms(number: &Number<'_>) -> Result<u128, InputError> {
    number
        .scaled(3)
        .ok_or(InputError::TooManyDecimals { max: 3 })
}

/// Applies the zero rule and the upper bound.
fn bounded(
    value: u128,
    allow_zero: bool,
    max: i64,
    human_max: impl FnOnce() -> String,
) -> Result<i64, InputError> {
    if value == 0 && !allow_zero {
        return Err(InputError::Zero);
    }
    match i64::try_from(value) {
        Ok(v) if v <= max => Ok(v),
        _ => Err(InputError::TooLarge { max: human_max() }),
    }
}

#[cfg(test)]
mod fee_tests;
#[cfg(test)]
mod tests;
