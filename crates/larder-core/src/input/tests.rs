use super::*;
use proptest::prelude::*;

fn rub() -> Currency {
    Currency::default()
}

fn price(s: &str) -> Result<i64, InputError> {
    parse_price(s, &rub(), &Limits::default()).map(Money::minor)
}

fn kg(s: &str) -> Result<Quantity, InputError> {
    parse_quantity(s, Unit::Kg, &Limits::default(), false)
}

fn pcs(s: &str) -> Result<Quantity, InputError> {
    parse_quantity(s, Unit::Piece, &Limits::default(), false)
}

#[test]
fn prices() {
    assert_eq!(price("250"), Ok(25_000));
    assert_eq!(price("250.5"), Ok(25_050));
    assert_eq!(price("250,50"), Ok(25_050));
    assert_eq!(price(" 250 ₽ "), Ok(25_000));
    assert_eq!(price("250₽"), Ok(25_000));
    assert_eq!(price("250\u{a0}₽"), Ok(25_000));
    assert_eq!(price("250 RUB"), Ok(25_000));
    assert_eq!(price("250 руб."), Ok(25_000));
    assert_eq!(price("250р"), Ok(25_000));
    assert_eq!(price("250 ₽."), Ok(25_000));
    assert_eq!(price("0.01"), Ok(1));
    assert_eq!(price("1000000"), Ok(100_000_000));
    assert_eq!(price("250.500"), Ok(25_050));
}

#[test]
fn price_errors() {
    let too_large = Err(InputError::TooLarge {
        max: "1000000.00".into(),
    });
    assert_eq!(price("1000000.01"), too_large);
    assert_eq!(price("99999999999999999999999999"), too_large);
    assert_eq!(
        price("250.555"),
        Err(InputError::TooManyDecimals { max: 2 })
    );
    assert_eq!(price("0"), Err(InputError::Zero));
    assert_eq!(price("0,00"), Err(InputError::Zero));
    assert_eq!(price("-5"), Err(InputError::Negative));
    assert_eq!(
        price("250 €"),
        Err(InputError::WrongCurrency {
            expected: "RUB".into()
        })
    );
    assert_eq!(
        price("250 usd"),
        Err(InputError::WrongCurrency {
            expected: "RUB".into()
        })
    );
    assert_eq!(price("250 кг"), Err(InputError::UnknownUnit));
    assert_eq!(price("1e3"), Err(InputError::Exponent));
    assert_eq!(price("1 000"), Err(InputError::NotANumber));
    assert_eq!(price(""), Err(InputError::Empty));

    let jpy = Currency::new("JPY", 0).unwrap();
    let limits = Limits::default();
    assert_eq!(
        parse_price("1250 ¥", &jpy, &limits),
        Err(InputError::UnknownUnit)
    );
    assert_eq!(
        parse_price("1250 jpy", &jpy, &limits),
        Ok(Money::from_minor(1250))
    );
    assert_eq!(
        parse_price("12.5", &jpy, &limits),
        Err(InputError::TooManyDecimals { max: 0 })
    );
    let eur = Currency::new("EUR", 2).unwrap();
    assert_eq!(
        parse_price("9,99€", &eur, &limits),
        Ok(Money::from_minor(999))
    );
    assert_eq!(
        parse_price("9 руб", &eur, &limits),
        Err(InputError::WrongCurrency {
            expected: "EUR".into()
        })
    );
}

#[test]
fn limits_deserialise_with_defaults() {
    let limits: Limits = serde_json::from_str(r#"{"max_pieces": 50}"#).unwrap();
    assert_eq!(
        limits,
        Limits {
            max_pieces: 50,
            ..Limits::default()
        }
    );
}

#[test]
fn weights() {
    let g = |n| Ok(Quantity::Grams(n));
    assert_eq!(kg("315"), g(315));
    assert_eq!(kg("0,5"), g(500));
    assert_eq!(kg("1.25"), g(1250));
    assert_eq!(kg("2.0"), g(2000));
    assert_eq!(kg(".5"), g(500));
    for s in [
        "0,315 кг",
        "0.315kg",
        "0.315 kg",
        "0,315 КГ",
        "0.315 Kg.",
        "0,315\u{a0}кг",
    ] {
        assert_eq!(kg(s), g(315), "{s}");
    }
    assert_eq!(kg("1 кг"), g(1000));
    assert_eq!(kg("2 килограмма"), g(2000));
    for s in [
        "315 г",
        "315г",
        "315 гр",
        "315 g",
        "315 gr",
        "315 грамм",
        "315 Г.",
        "315 GR",
    ] {
        assert_eq!(kg(s), g(315), "{s}");
    }
    assert_eq!(kg("315.0 г"), g(315));
    assert_eq!(kg("100 кг"), g(100_000));
}

#[test]
fn weight_errors() {
    assert_eq!(kg("0,3155 кг"), Err(InputError::TooManyDecimals { max: 3 }));
    assert_eq!(kg("0,3155"), Err(InputError::TooManyDecimals { max: 3 }));
    assert_eq!(kg("315.5 г"), Err(InputError::FractionalGrams));
    assert_eq!(kg("2 шт"), Err(InputError::WrongUnit));
    assert_eq!(kg("2 фунта"), Err(InputError::UnknownUnit));
    assert_eq!(kg("0"), Err(InputError::Zero));
    assert_eq!(kg("0 кг"), Err(InputError::Zero));
    assert_eq!(
        parse_quantity("0", Unit::Kg, &Limits::default(), true),
        Ok(Quantity::Grams(0))
    );
    assert_eq!(
        kg("100001"),
        Err(InputError::TooLarge {
            max: "100 kg".into()
        })
    );
    assert_eq!(
        kg("100,001 кг"),
        Err(InputError::TooLarge {
            max: "100 kg".into()
        })
    );
    let limits = Limits {
        max_weight_grams: 2500,
        ..Limits::default()
    };
    assert_eq!(
        parse_quantity("3", Unit::Kg, &limits, false).map(Quantity::value),
        Ok(3)
    );
    assert_eq!(
        parse_quantity("3 кг", Unit::Kg, &limits, false),
        Err(InputError::TooLarge {
            max: "2.5 kg".into()
        })
    );
}

#[test]
fn pieces() {
    for s in [
        "2", "2 шт", "2 pcs", "2 pc", "2 шт.", "2шт", " 2 ШТ ", "2.0",
    ] {
        assert_eq!(pcs(s), Ok(Quantity::Pieces(2)), "{s}");
    }
    assert_eq!(pcs("1.5"), Err(InputError::FractionalPieces));
    assert_eq!(pcs("1,5 шт"), Err(InputError::FractionalPieces));
    assert_eq!(pcs("2 кг"), Err(InputError::WrongUnit));
    assert_eq!(pcs("200 г"), Err(InputError::WrongUnit));
    assert_eq!(pcs("2 коробки"), Err(InputError::UnknownUnit));
    assert_eq!(
        pcs("10001"),
        Err(InputError::TooLarge {
            max: "10000".into()
        })
    );
    assert_eq!(pcs("0"), Err(InputError::Zero));
}

#[test]
fn common_rejections() {
    for parse in [kg, pcs, price_as_quantity] {
        assert_eq!(parse(""), Err(InputError::Empty));
        assert_eq!(parse("   "), Err(InputError::Empty));
        assert_eq!(parse("-1"), Err(InputError::Negative));
        for s in ["abc", "1.2.3", "1,5,0", "NaN", "inf", "0x10"] {
            assert_eq!(parse(s), Err(InputError::NotANumber), "{s}");
        }
        for s in ["1e9", "1E3"] {
            assert_eq!(parse(s), Err(InputError::Exponent), "{s}");
        }
        assert_eq!(parse(&"1".repeat(33)), Err(InputError::TooLong));
        assert_eq!(parse("5 parsecs"), Err(InputError::UnknownUnit));
    }
}

fn price_as_quantity(s: &str) -> Result<Quantity, InputError> {
    parse_price(s, &rub(), &Limits::default()).map(|m| Quantity::Pieces(m.minor()))
}

fn currency_strategy() -> impl Strategy<Value = Currency> {
    (
        0_u8..=4,
        prop::sample::select(vec!["RUB", "EUR", "USD", "JPY", "KWD", "CHF"]),
    )
        .prop_map(|(d, code)| Currency::new(code, d).unwrap())
}

/// Strings built from the characters the parsers care about.
fn number_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "0", "1", "5", "9", ".", ",", " ", "\u{a0}", "-", "−", "e", "E", "+", "x", "кг", "г", "шт",
        "kg", "g", "pcs", "₽", "€", "rub", "%", "NaN", "inf", "🧀", "\u{0}", "\u{301}",
    ]);
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn grams_round_trip(grams in 0_i64..=100_000) {
        let want = Ok(Quantity::Grams(grams));
        let limits = Limits::default();
        let parse = |s: &str| parse_quantity(s, Unit::Kg, &limits, true);
        prop_assert_eq!(parse(&format!("{} кг", format_kg(grams))), want.clone());
        prop_assert_eq!(parse(&format!("{}kg", format_kg(grams))), want.clone());
        prop_assert_eq!(parse(&format!("{grams} г")), want.clone());
        prop_assert_eq!(parse(&grams.to_string()), want.clone());
        prop_assert_eq!(parse(&format!("{},{:03} кг", grams / 1000, grams % 1000)), want.clone());
        prop_assert_eq!(parse(&format!("{}.{:03}", grams / 1000, grams % 1000)), want.clone());
        if grams % 1000 != 0 {
            // A bare `format_kg` output has a separator, hence means kilograms.
            prop_assert_eq!(parse(&format_kg(grams)), want.clone());
            prop_assert_eq!(parse(&format_kg(grams).replace('.', ",")), want);
        }
    }

    #[test]
    fn pieces_round_trip(n in 1_i64..=10_000) {
        let limits = Limits::default();
        prop_assert_eq!(parse_quantity(&n.to_string(), Unit::Piece, &limits, false), Ok(Quantity::Pieces(n)));
        prop_assert_eq!(parse_quantity(&format!("{n} шт."), Unit::Piece, &limits, false), Ok(Quantity::Pieces(n)));
    }

    #[test]
    fn price_round_trip(currency in currency_strategy(), minor in 1_i64..=100_000_000) {
        let limits = Limits::default();
        let m = Money::from_minor(minor);
        let text = currency.format(m);
        prop_assert_eq!(parse_price(&text, &currency, &limits), Ok(m));
        prop_assert_eq!(parse_price(&text.replace('.', ","), &currency, &limits), Ok(m));
        prop_assert_eq!(parse_price(&currency.format_with_symbol(m), &currency, &limits), Ok(m));
    }

    #[test]
    fn price_above_limit_is_too_large(currency in currency_strategy(), over in 1_i64..=1_000_000) {
        let limits = Limits::default();
        let text = currency.format(Money::from_minor(limits.max_price_minor + over));
        let is_too_large = matches!(parse_price(&text, &currency, &limits), Err(InputError::TooLarge { .. }));
        prop_assert!(is_too_large);
    }

    #[test]
    fn never_panics_on_anything(s in any::<String>(), allow_zero in any::<bool>()) {
        check_no_panic(&s, allow_zero);
    }

    #[test]
    fn never_panics_on_number_like(s in number_like(), allow_zero in any::<bool>()) {
        check_no_panic(&s, allow_zero);
    }
}

fn check_no_panic(s: &str, allow_zero: bool) {
    let limits = Limits::default();
    for currency in [
        rub(),
        Currency::new("KWD", 4).unwrap(),
        Currency::new("JPY", 0).unwrap(),
    ] {
        let _ = parse_price(s, &currency, &limits);
        let _ = parse_fee(s, &currency, &limits);
    }
    for unit in Unit::ALL {
        let _ = parse_quantity(s, unit, &limits, allow_zero);
    }
    let _ = crate::Percent::parse(s);
    let _ = crate::ProductName::parse(s);
}
