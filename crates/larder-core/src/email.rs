//! E-mail addresses customers type: one `@`, a plausible local part and a
//! domain with a dot, no spaces, at most 254 characters; lower-cased domain.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("empty")]
    Empty,
    #[error("too long")]
    TooLong,
    #[error("not an e-mail address")]
    Invalid,
}

impl EmailError {
    pub const ALL_MESSAGE_IDS: &'static [&'static str] = &[
        "error-email-empty",
        "error-email-too-long",
        "error-email-invalid",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            EmailError::Empty => "error-email-empty",
            EmailError::TooLong => "error-email-too-long",
            EmailError::Invalid => "error-email-invalid",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            EmailError::TooLong => vec![("max", Email::MAX_CHARS.to_string())],
            _ => vec![],
        }
    }
}

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::Invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| {
                tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
            });
        if !(local_ok && domain_ok) {
            return Err(EmailError::Invalid);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_addresses_are_accepted_and_the_domain_lower_cased() {
        assert_eq!(
            Email::parse(" Anna.K+shop@Example.COM ").unwrap().as_str(),
            "Anna.K+shop@example.com"
        );
        assert_eq!(
            Email::parse("иван@почта.рф").unwrap().as_str(),
            "иван@почта.рф"
        );
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_reason() {
        assert_eq!(Email::parse("  "), Err(EmailError::Empty));
        for bad in [
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "an na@example.com",
            "anna@@example.com",
            "anna@example.c",
            "anna@-example.com",
            "a..b@example.com",
            "anna@example.com.",
            "<a>@example.com",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}
