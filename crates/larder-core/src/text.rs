//! Short texts staff type: product, client and session names, addresses
//! (single lines) and notes (see [`crate::Note`]).

/// A rejected text. One Fluent message id per variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but whitespace.
    #[error("empty text")]
    Empty,
    /// Longer than allowed after normalisation.
    #[error("text longer than {max} characters")]
    TooLong {
        /// The most characters (not bytes) allowed.
        max: usize,
    },
    /// Control characters (other than whitespace) or bidirectional overrides.
    #[error("text contains control characters")]
    ControlChars,
}

impl TextError {
    /// Every id [`TextError::message_id`] can return.
    pub const ALL_MESSAGE_IDS: &'static [&'static str] = &[
        "error-text-empty",
        "error-text-too-long",
        "error-text-control-chars",
    ];

    /// The Fluent message id, e.g. `"error-text-too-long"`.
    pub fn message_id(&self) -> &'static str {
        match self {
            TextError::Empty => "error-text-empty",
            TextError::TooLong { .. } => "error-text-too-long",
            TextError::ControlChars => "error-text-control-chars",
        }
    }

    /// Fluent arguments: `TooLong` → `max`; others none.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            TextError::TooLong { max } => vec![("max", max.to_string())],
            TextError::Empty | TextError::ControlChars => Vec::new(),
        }
    }
}

/// Normalises one line of typed text: rejects control characters (except
/// whitespace) and bidi overrides/isolates, trims, collapses every run of
/// whitespace (newlines and NBSP included) into one space, then requires
/// `1..=max_chars` chars.
pub fn normalize_single_line(input: &str, max_chars: usize) -> Result<String, TextError> {
    if input.chars().any(is_forbidden) {
        return Err(TextError::ControlChars);
    }
    let normalized = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if normalized.chars().all(|c| c == ' ' || is_invisible(c)) {
        return Err(TextError::Empty);
    }
    match normalized.chars().count() {
        n if n > max_chars => Err(TextError::TooLong { max: max_chars }),
        _ => Ok(normalized),
    }
}

/// Characters that show nothing: zero-width spaces and joiners, the word
/// joiner and invisible operators, the byte-order mark, the soft hyphen,
/// the Mongolian vowel separator and Hangul fillers. A text of only these
/// (and spaces) would render as nothing.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// Control characters other than whitespace, and bidi overrides/isolates.
pub(crate) fn is_forbidden(c: char) -> bool {
    let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    (c.is_control() && !c.is_whitespace()) || bidi
}

/// Defines a validated text newtype: `parse`, `as_str`, `Display`,
/// `AsRef<str>`, and serde as a string that is validated again on input.
macro_rules! text_newtype {
    ($(#[$meta:meta])* $name:ident, max = $max:expr, normalize = $normalize:path) => {
        $(#[$meta])*
        #[derive(
            Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The most chars allowed (after normalisation).
            pub const MAX_CHARS: usize = $max;

            /// Normalises and validates typed text.
            pub fn parse(input: &str) -> Result<Self, $crate::text::TextError> {
                $normalize(input, Self::MAX_CHARS).map($name)
            }

            /// The normalised text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::text::TextError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

pub(crate) use text_newtype;

text_newtype! {
    /// A product's name: one normalised line of 1..=64 chars
    /// (see [`normalize_single_line`]).
    ProductName, max = 64, normalize = normalize_single_line
}

text_newtype! {
    /// A customer's name as staff know them: one normalised line of
    /// 1..=64 chars (see [`normalize_single_line`]).
    ClientName, max = 64, normalize = normalize_single_line
}

text_newtype! {
    /// A delivery address: one normalised line of 1..=200 chars
    /// (see [`normalize_single_line`]).
    Address, max = 200, normalize = normalize_single_line
}

text_newtype! {
    /// A selling session's name ("Saturday market"): one normalised line of
    /// 1..=64 chars (see [`normalize_single_line`]).
    SessionName, max = 64, normalize = normalize_single_line
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn name(s: &str) -> Result<String, TextError> {
        ProductName::parse(s).map(String::from)
    }

    #[test]
    fn names_that_show_nothing_are_refused() {
        for blank in [
            "\u{200B}",
            "\u{200B} \u{200D}\u{FEFF}",
            "\u{3164}",
            " \u{2060} ",
            "\u{00AD}",
        ] {
            assert_eq!(name(blank), Err(TextError::Empty), "{blank:?}");
            assert_eq!(
                crate::Note::parse(blank).map(String::from),
                Err(TextError::Empty),
                "{blank:?}"
            );
        }
        // Joiners inside real letters stay (emoji and scripts need them).
        assert_eq!(name("Anna\u{200D}"), Ok("Anna\u{200D}".into()));
    }

    #[test]
    fn normalises() {
        assert_eq!(name("  Gouda  "), Ok("Gouda".into()));
        assert_eq!(
            name("Качотта \t с\u{a0}\u{a0}трюфелем"),
            Ok("Качотта с трюфелем".into())
        );
        assert_eq!(name("Greek\nyoghurt"), Ok("Greek yoghurt".into()));
        assert_eq!(name("Сыр 🧀"), Ok("Сыр 🧀".into()));
    }

    #[test]
    fn rejects() {
        assert_eq!(name(""), Err(TextError::Empty));
        assert_eq!(name(" \n\u{a0} "), Err(TextError::Empty));
        assert_eq!(name("a\u{0}b"), Err(TextError::ControlChars));
        assert_eq!(name("a\u{7}"), Err(TextError::ControlChars));
        assert_eq!(name("evil\u{202E}txt"), Err(TextError::ControlChars));
        assert_eq!(name(&"я".repeat(64)).map(|s| s.chars().count()), Ok(64));
        assert_eq!(name(&"я".repeat(65)), Err(TextError::TooLong { max: 64 }));
        // Collapsing happens before counting.
        assert!(name(&format!("{}     {}", "a".repeat(31), "b".repeat(32))).is_ok());
    }

    #[test]
    fn other_single_line_texts() {
        assert_eq!(
            ClientName::parse("  Анна\nПетрова ").map(String::from),
            Ok("Анна Петрова".into())
        );
        assert_eq!(ClientName::parse("\t"), Err(TextError::Empty));
        assert_eq!(
            ClientName::parse(&"я".repeat(65)),
            Err(TextError::TooLong { max: 64 })
        );
        let street = "ул. Пушкина,   д. 5,\nкв. 12";
        assert_eq!(
            Address::parse(street).map(String::from),
            Ok("ул. Пушкина, д. 5, кв. 12".into())
        );
        assert!(Address::parse(&"a".repeat(200)).is_ok());
        assert_eq!(
            Address::parse(&"a".repeat(201)),
            Err(TextError::TooLong { max: 200 })
        );
        assert_eq!(Address::parse("a\u{1b}b"), Err(TextError::ControlChars));
        let market = SessionName::parse(" Saturday  market ").unwrap();
        assert_eq!(
            (market.as_str(), market.to_string()),
            ("Saturday market", "Saturday market".into())
        );
        assert_eq!(
            SessionName::parse(&"x".repeat(65)),
            Err(TextError::TooLong { max: 64 })
        );
        assert_eq!(
            (
                ClientName::MAX_CHARS,
                Address::MAX_CHARS,
                SessionName::MAX_CHARS
            ),
            (64, 200, 64)
        );
        let json = serde_json::to_string(&market).unwrap();
        assert_eq!(serde_json::from_str::<SessionName>(&json).unwrap(), market);
        assert!(serde_json::from_str::<Address>("\" \"").is_err());
    }

    #[test]
    fn messages() {
        let all = [
            TextError::Empty,
            TextError::TooLong { max: 64 },
            TextError::ControlChars,
        ];
        let ids: Vec<_> = all.iter().map(TextError::message_id).collect();
        assert_eq!(ids, TextError::ALL_MESSAGE_IDS);
        assert_eq!(all[1].args(), vec![("max", "64".to_owned())]);
        assert!(all[0].args().is_empty());
    }

    #[test]
    fn serde_validates() {
        let n = ProductName::parse("Gouda").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"Gouda\"");
        assert_eq!(
            serde_json::from_str::<ProductName>("\" Gouda \"").unwrap(),
            n
        );
        assert!(serde_json::from_str::<ProductName>("\"\"").is_err());
    }

    proptest! {
        #[test]
        fn parsed_names_are_normal(s in any::<String>()) {
            if let Ok(n) = ProductName::parse(&s) {
                let t = n.as_str();
                prop_assert_eq!(t.trim(), t);
                prop_assert!(!t.contains("  "));
                prop_assert!(t.chars().all(|c| c == ' ' || !c.is_whitespace()));
                prop_assert!((1..=64).contains(&t.chars().count()));
                prop_assert_eq!(ProductName::parse(t), Ok(n.clone()));
            }
        }
    }
}
