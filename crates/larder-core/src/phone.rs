//! Customers' phone numbers, kept in E.164 form (`+37369123456`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Fewest digits of a stored number (country code included).
const MIN_DIGITS: usize = 8;
/// Most digits of a stored number (the E.164 maximum).
const MAX_DIGITS: usize = 15;

/// Without `+`, a number starting with the default country code is taken
/// as already international when prepending the code would give more
/// digits than this (no common national number is that long).
const CODE_TYPED_ABOVE: usize = 12;

/// Two-digit country calling codes; `1` and `7` are the one-digit ones and
/// every other code has three digits (the codes are prefix-free).
const TWO_DIGIT_CODES: &[&str] = &[
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// A phone number in E.164 form: `+` and 8..=15 digits, the first not `0`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// A rejected phone number. One Fluent message id per variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Nothing was typed.
    #[error("empty phone number")]
    Empty,
    /// Letters in the number.
    #[error("a phone number has no letters")]
    Letters,
    /// Other symbols, a misplaced `+`, or a country code starting with 0.
    #[error("not a phone number")]
    Invalid,
    /// Fewer than 8 digits with the country code.
    #[error("too few digits for a phone number")]
    TooShort,
    /// More than 15 digits with the country code.
    #[error("too many digits for a phone number")]
    TooLong,
}

impl Phone {
    /// Parses a typed number. Spaces, dashes, dots and parentheses are
    /// ignored. The country code comes from, in order:
    ///
    /// * a leading `+` (`"+373 69-123-456"`) or `00` (`"00373…"`);
    /// * for `default_country_code` `"7"`, an 11-digit number starting with
    ///   `8` or `7` (`"8 (916) 123-45-67"` → `+79161234567`); likewise for
    ///   `"1"`, 11 digits starting with `1`;
    /// * a number that starts with the default code and would have more
    ///   than 12 digits with it prepended again already has it
    ///   (`"373 69 123 456"` → `+37369123456`);
    /// * otherwise `default_country_code` (digits, e.g. `"373"`), replacing
    ///   a leading trunk `0` (`"069123456"` → `+37369123456`) or prepended
    ///   to a bare local number (`"69123456"`).
    ///
    /// A number that needs the default code while `default_country_code` is
    /// not 1..=3 digits (first not 0) is [`PhoneError::Invalid`]; check the
    /// configuration with [`Phone::is_valid_country_code`].
    pub fn parse(input: &str, default_country_code: &str) -> Result<Phone, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        if trimmed.chars().any(char::is_alphabetic) {
            return Err(PhoneError::Letters);
        }
        let mut plus = false;
        let mut digits = String::new();
        for c in trimmed.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if !plus && digits.is_empty() => plus = true,
                '-' | '.' | '(' | ')' => {}
                c if c.is_whitespace() => {}
                _ => return Err(PhoneError::Invalid),
            }
        }
        let full = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else {
            let cc = default_country_code.trim();
            let cc = cc.strip_prefix('+').unwrap_or(cc);
            if !Phone::is_valid_country_code(cc) {
                return Err(PhoneError::Invalid);
            }
            // Russia/Kazakhstan and NANP have 10-digit national numbers.
            let ten_digit_trunk = digits.len() == 11
                && ((cc == "7" && digits.starts_with(['7', '8']))
                    || (cc == "1" && digits.starts_with('1')));
            if ten_digit_trunk {
                format!("{cc}{}", &digits[1..])
            } else if digits.starts_with(cc) && cc.len() + digits.len() > CODE_TYPED_ABOVE {
                digits
            } else {
                format!("{cc}{}", digits.strip_prefix('0').unwrap_or(&digits))
            }
        };
        Phone::from_digits(full)
    }

    /// Parses the stored form exactly: `+` and 8..=15 ASCII digits, the
    /// first not `0`, nothing else.
    pub fn from_e164(s: &str) -> Result<Phone, PhoneError> {
        match s.strip_prefix('+') {
            Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
                Phone::from_digits(digits.to_owned())
            }
            _ => Err(PhoneError::Invalid),
        }
    }

    /// Whether `code` can be a country calling code: 1..=3 ASCII digits,
    /// the first not `0`.
    pub fn is_valid_country_code(code: &str) -> bool {
        (1..=3).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_digit())
            && !code.starts_with('0')
    }

    fn from_digits(digits: String) -> Result<Phone, PhoneError> {
        if digits.starts_with('0') {
            return Err(PhoneError::Invalid);
        }
        match digits.len() {
            n if n < MIN_DIGITS => Err(PhoneError::TooShort),
            n if n > MAX_DIGITS => Err(PhoneError::TooLong),
            _ => Ok(Phone(format!("+{digits}"))),
        }
    }

    /// The E.164 form, `"+37369123456"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country calling code's digits, `"373"`.
    pub fn country_code(&self) -> &str {
        let digits = &self.0[1..];
        let len = if digits.starts_with(['1', '7']) {
            1
        } else if TWO_DIGIT_CODES.contains(&&digits[..2]) {
            2
        } else {
            3
        };
        &digits[..len]
    }

    /// For people: the country code, then the national number in groups,
    /// `"+373 69 123 456"`, `"+7 916 123 4567"`. [`Phone::parse`] reads it
    /// back unchanged.
    pub fn display(&self) -> String {
        let cc = self.country_code();
        let national = &self.0[1 + cc.len()..];
        let mut out = format!("+{cc}");
        let mut start = 0;
        for len in group_lengths(national.len()) {
            out.push(' ');
            out.push_str(&national[start..start + len]);
            start += len;
        }
        out
    }
}

/// How to split `n` digits into groups: 7 → 3-4, 10 → 3-3-4, otherwise
/// threes from the right with a single leading digit joined to the next
/// group (8 → 2-3-3, 13 → 4-3-3-3).
fn group_lengths(n: usize) -> Vec<usize> {
    match n {
        0 => Vec::new(),
        1..=4 => vec![n],
        7 => vec![3, 4],
        10 => vec![3, 3, 4],
        _ => {
            let mut groups = vec![3; n / 3];
            match n % 3 {
                0 => {}
                1 => groups[0] = 4,
                _ => groups.insert(0, 2),
            }
            groups
        }
    }
}

impl PhoneError {
    /// Every id [`PhoneError::message_id`] can return.
    pub const ALL_MESSAGE_IDS: &'static [&'static str] = &[
        "error-phone-empty",
        "error-phone-letters",
        "error-phone-invalid",
        "error-phone-too-short",
        "error-phone-too-long",
    ];

    /// The Fluent message id, e.g. `"error-phone-too-short"`.
    pub fn message_id(&self) -> &'static str {
        match self {
            PhoneError::Empty => "error-phone-empty",
            PhoneError::Letters => "error-phone-letters",
            PhoneError::Invalid => "error-phone-invalid",
            PhoneError::TooShort => "error-phone-too-short",
            PhoneError::TooLong => "error-phone-too-long",
        }
    }

    /// Fluent arguments: `TooShort` → `min`, `TooLong` → `max` (digits with
    /// the country code); others none.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            PhoneError::TooShort => vec![("min", MIN_DIGITS.to_string())],
            PhoneError::TooLong => vec![("max", MAX_DIGITS.to_string())],
            PhoneError::Empty | PhoneError::Letters | PhoneError::Invalid => Vec::new(),
        }
    }
}

impl fmt::Display for Phone {
    /// The E.164 form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Phone {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::from_e164(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests;
