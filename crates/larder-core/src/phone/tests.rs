use super::*;
use proptest::prelude::*;

fn md(s: &str) -> Result<String, PhoneError> {
    Phone::parse(s, "373").map(String::from)
}

fn ru(s: &str) -> Result<String, PhoneError> {
    Phone::parse(s, "7").map(String::from)
}

#[test]
fn accepts_what_people_type() {
    let want = Ok("+37369123456".to_owned());
    for s in [
        "+373 69-123-456",
        "+37369123456",
        "+373 (69) 123.456",
        " +373\u{a0}69 123 456 ",
        "00373 69 123 456",
        "069123456",
        "069-12-34-56",
        "69123456",
        "(0)69 123 456",
    ] {
        assert_eq!(md(s), want, "{s}");
    }
    assert_eq!(ru("8 (916) 123-45-67"), Ok("+79161234567".into()));
    assert_eq!(ru("7 916 123 45 67"), Ok("+79161234567".into()));
    assert_eq!(ru("+7 916 123-45-67"), Ok("+79161234567".into()));
    assert_eq!(ru("916 123 45 67"), Ok("+79161234567".into()));
    // St Petersburg without the trunk 8: ten digits starting with 8.
    assert_eq!(ru("812 123 45 67"), Ok("+78121234567".into()));
    // The default code typed without "+".
    assert_eq!(md("373 69 123 456"), Ok("+37369123456".into()));
    assert_eq!(md("37312345"), Ok("+37337312345".into()), "short: local");
    assert_eq!(ru("7771234567"), Ok("+77771234567".into()), "Kazakh mobile");
    assert_eq!(
        Phone::parse("1 212 555 1234", "1").map(String::from),
        Ok("+12125551234".into())
    );
    assert_eq!(
        Phone::parse("380 67 123 4567", "380").map(String::from),
        Ok("+380671234567".into())
    );
    // The leading 8 is a trunk prefix only for "7".
    assert_eq!(md("89161234"), Ok("+37389161234".into()));
    assert_eq!(
        Phone::parse("069123456", "+373").map(String::from),
        md("069123456")
    );
    // International numbers ignore the default code.
    assert_eq!(md("+49 30 1234567"), Ok("+49301234567".into()));
    assert_eq!(
        Phone::parse("+49 30 1234567", "bad").map(String::from),
        md("+49301234567")
    );
}

#[test]
fn rejects() {
    assert_eq!(md(""), Err(PhoneError::Empty));
    assert_eq!(md("  \n"), Err(PhoneError::Empty));
    assert_eq!(md("+373 69 12a 456"), Err(PhoneError::Letters));
    assert_eq!(md("call me"), Err(PhoneError::Letters));
    assert_eq!(md("тел. 69123456"), Err(PhoneError::Letters));
    assert_eq!(md("69#123456"), Err(PhoneError::Invalid));
    assert_eq!(md("69123456+"), Err(PhoneError::Invalid));
    assert_eq!(md("++37369123456"), Err(PhoneError::Invalid));
    assert_eq!(md("+037369123456"), Err(PhoneError::Invalid));
    assert_eq!(md("６９１２３４５６"), Err(PhoneError::Invalid));
    assert_eq!(md("+3736912"), Err(PhoneError::TooShort));
    assert_eq!(md("123"), Err(PhoneError::TooShort));
    assert_eq!(md("--"), Err(PhoneError::TooShort));
    assert_eq!(md("+"), Err(PhoneError::TooShort));
    assert_eq!(md("+1234567890123456"), Err(PhoneError::TooLong));
    assert_eq!(md(&"9".repeat(1000)), Err(PhoneError::TooLong));
    assert_eq!(Phone::parse("69123456", ""), Err(PhoneError::Invalid));
    assert_eq!(Phone::parse("69123456", "0373"), Err(PhoneError::Invalid));
    assert_eq!(Phone::parse("69123456", "3733"), Err(PhoneError::Invalid));
}

#[test]
fn country_codes_and_display() {
    let show = |s: &str| {
        let p = Phone::from_e164(s).unwrap();
        (p.country_code().to_owned(), p.display())
    };
    assert_eq!(
        show("+37369123456"),
        ("373".into(), "+373 69 123 456".into())
    );
    assert_eq!(show("+79161234567"), ("7".into(), "+7 916 123 4567".into()));
    assert_eq!(show("+14155552671"), ("1".into(), "+1 415 555 2671".into()));
    assert_eq!(
        show("+49301234567"),
        ("49".into(), "+49 301 234 567".into())
    );
    assert_eq!(show("+4930123456"), ("49".into(), "+49 30 123 456".into()));
    assert_eq!(show("+420123456"), ("420".into(), "+420 123 456".into()));
    assert_eq!(show("+3801234567"), ("380".into(), "+380 123 4567".into()));
    assert_eq!(
        show("+123456789012345"),
        ("1".into(), "+1 23 456 789 012 345".into())
    );
    assert!(Phone::is_valid_country_code("373"));
    assert!(!Phone::is_valid_country_code("+373"));
    assert!(!Phone::is_valid_country_code("1234"));
}

#[test]
fn grouping() {
    for n in 0..=14 {
        let groups = group_lengths(n);
        assert_eq!(groups.iter().sum::<usize>(), n, "{n}");
        assert!(
            groups.iter().all(|g| (2..=4).contains(g)) || n < 2,
            "{n}: {groups:?}"
        );
    }
    assert_eq!(group_lengths(8), [2, 3, 3]);
    assert_eq!(group_lengths(13), [4, 3, 3, 3]);
}

#[test]
fn strict_form_and_serde() {
    assert!(Phone::from_e164("+37369123456").is_ok());
    for bad in [
        "37369123456",
        "+373 69123456",
        "+0123456789",
        "+",
        "+1234567",
    ] {
        assert!(Phone::from_e164(bad).is_err(), "{bad}");
    }
    let p = Phone::from_e164("+37369123456").unwrap();
    assert_eq!(p.to_string(), "+37369123456");
    assert_eq!(serde_json::to_string(&p).unwrap(), "\"+37369123456\"");
    assert_eq!(
        serde_json::from_str::<Phone>("\"+37369123456\"").unwrap(),
        p
    );
    assert!(serde_json::from_str::<Phone>("\"069123456\"").is_err());
}

#[test]
fn messages() {
    let all = [
        PhoneError::Empty,
        PhoneError::Letters,
        PhoneError::Invalid,
        PhoneError::TooShort,
        PhoneError::TooLong,
    ];
    let ids: Vec<_> = all.iter().map(PhoneError::message_id).collect();
    assert_eq!(ids, PhoneError::ALL_MESSAGE_IDS);
    assert_eq!(PhoneError::TooShort.args(), vec![("min", "8".to_owned())]);
    assert_eq!(PhoneError::TooLong.args(), vec![("max", "15".to_owned())]);
    assert!(PhoneError::Letters.args().is_empty());
}

fn e164() -> impl Strategy<Value = Phone> {
    "[1-9][0-9]{7,14}".prop_map(|d| Phone::from_e164(&format!("+{d}")).unwrap())
}

proptest! {
    #[test]
    fn display_round_trips(p in e164(), cc in "[1-9][0-9]{0,2}") {
        prop_assert_eq!(Phone::parse(&p.display(), &cc), Ok(p.clone()));
        prop_assert_eq!(Phone::parse(p.as_str(), &cc), Ok(p.clone()));
        prop_assert_eq!(Phone::from_e164(p.as_str()), Ok(p.clone()));
        let prefix = format!("+{} ", p.country_code());
        prop_assert!(p.display().starts_with(&prefix));
        prop_assert_eq!(p.display().replace(' ', ""), p.as_str());
    }

    #[test]
    fn parsed_numbers_are_e164(s in "[0-9+() .a-]{0,24}", cc in "[0-9]{0,3}") {
        if let Ok(p) = Phone::parse(&s, &cc) {
            prop_assert_eq!(Phone::from_e164(p.as_str()), Ok(p.clone()));
        }
    }

    #[test]
    fn never_panics(s in any::<String>()) {
        let _ = Phone::parse(&s, "373");
        let _ = Phone::parse(&s, "7");
        let _ = Phone::from_e164(&s);
    }
}
