//! Free-form notes: several lines, e.g. an order's comment.

use crate::text::{TextError, is_forbidden, is_invisible, text_newtype};

/// Normalises multi-line typed text: `\r\n`, `\r`, U+2028 and U+2029 become
/// `\n`; any other control character (tabs included) or a bidi
/// override/isolate is [`TextError::ControlChars`]; trailing whitespace of
/// every line is dropped, runs of blank lines become one blank line, and
/// the whole text is trimmed. Then it must have `1..=max_chars` chars.
pub fn normalize_multi_line(input: &str, max_chars: usize) -> Result<String, TextError> {
    let unified = input
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    if unified
        .chars()
        .any(|c| c != '\n' && (c.is_control() || is_forbidden(c)))
    {
        return Err(TextError::ControlChars);
    }
    let mut lines: Vec<&str> = Vec::new();
    for line in unified.split('\n').map(str::trim_end) {
        let blank_after_blank = line.is_empty() && lines.last().is_some_and(|l| l.is_empty());
        if !blank_after_blank {
            lines.push(line);
        }
    }
    let joined = lines.join("\n");
    let normalized = joined.trim();
    if normalized
        .chars()
        .all(|c| c.is_whitespace() || is_invisible(c))
    {
        return Err(TextError::Empty);
    }
    match normalized.chars().count() {
        n if n > max_chars => Err(TextError::TooLong { max: max_chars }),
        _ => Ok(normalized.to_owned()),
    }
}

text_newtype! {
    /// A note of 1..=500 chars; line breaks are kept
    /// (see [`normalize_multi_line`]).
    Note, max = 500, normalize = normalize_multi_line
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn note(s: &str) -> Result<String, TextError> {
        Note::parse(s).map(String::from)
    }

    #[test]
    fn keeps_lines() {
        assert_eq!(note("  Call first  "), Ok("Call first".into()));
        assert_eq!(
            note("\n\nCall first.  \r\n\r\n\r\n\nGate code 1234\n \n"),
            Ok("Call first.\n\nGate code 1234".into())
        );
        assert_eq!(note("a\rb\u{2028}c"), Ok("a\nb\nc".into()));
        assert_eq!(
            note("  two  spaces\n  indented"),
            Ok("two  spaces\n  indented".into())
        );
        assert_eq!(note("Сыр 🧀\u{a0}x"), Ok("Сыр 🧀\u{a0}x".into()));
    }

    #[test]
    fn rejects() {
        assert_eq!(note(""), Err(TextError::Empty));
        assert_eq!(note(" \n\r\n \u{a0}"), Err(TextError::Empty));
        assert_eq!(note("a\tb"), Err(TextError::ControlChars));
        assert_eq!(note("a\u{0}b"), Err(TextError::ControlChars));
        assert_eq!(note("a\u{85}b"), Err(TextError::ControlChars));
        assert_eq!(note("evil\u{2066}x"), Err(TextError::ControlChars));
        assert!(note(&"я".repeat(500)).is_ok());
        assert_eq!(note(&"я".repeat(501)), Err(TextError::TooLong { max: 500 }));
        // Counted after normalisation.
        assert!(note(&format!("{}\n\n\n\n{}", "a".repeat(249), "b".repeat(249))).is_ok());
    }

    #[test]
    fn serde_validates() {
        let n = Note::parse("line 1\nline 2").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, r#""line 1\nline 2""#);
        assert_eq!(serde_json::from_str::<Note>(&json).unwrap(), n);
        assert!(serde_json::from_str::<Note>(r#""a\tb""#).is_err());
    }

    proptest! {
        #[test]
        fn notes_are_normal(s in any::<String>()) {
            if let Ok(n) = Note::parse(&s) {
                let t = n.as_str();
                prop_assert_eq!(t.trim(), t);
                prop_assert!(!t.contains("\n\n\n"));
                prop_assert!(t.lines().all(|l| l.trim_end() == l));
                prop_assert!(t.chars().all(|c| c == '\n' || !c.is_control()));
                prop_assert!((1..=500).contains(&t.chars().count()));
                prop_assert_eq!(Note::parse(t), Ok(n.clone()));
            }
        }

        #[test]
        fn lines_survive(lines in prop::collection::vec("[a-zа-я ]{0,10}", 1..8)) {
            let text = lines.join("\r\n");
            let want: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
            if let Ok(n) = Note::parse(&text) {
                let got: Vec<&str> = n.as_str().lines().map(str::trim).filter(|l| !l.is_empty()).collect();
                prop_assert_eq!(got, want);
            } else {
                prop_assert!(want.is_empty());
            }
        }
    }
}
