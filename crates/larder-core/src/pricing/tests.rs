use super::*;
use crate::{ConfigError, Currency, Unit};

fn m(minor: i64) -> Money {
    Money::from_minor(minor)
}

fn per_kg(minor: i64) -> UnitPrice {
    UnitPrice::new(Unit::Kg, m(minor)).unwrap()
}

fn per_piece(minor: i64) -> UnitPrice {
    UnitPrice::new(Unit::Piece, m(minor)).unwrap()
}

fn pct(s: &str) -> Percent {
    Percent::parse(s).unwrap()
}

/// Vacuum 2.00 per 100 g / 5.00 per piece; delivery 20.00, free from 300.00.
fn shop_rules() -> PricingRules {
    PricingRules {
        packing: vec![PackingOption::new("vacuum", "Vacuum", m(200), m(500)).unwrap()],
        delivery: DeliveryRule {
            fee: m(2000),
            free_from: Some(m(30_000)),
        },
    }
}

fn line(price: UnitPrice, quantity: Quantity, packing: Option<&str>) -> PricingLine<'_> {
    PricingLine {
        price,
        quantity,
        packing,
        packing_rate: None,
    }
}

fn shop_lines() -> Vec<PricingLine<'static>> {
    vec![
        line(per_kg(25_000), Quantity::Grams(315), Some("vacuum")),
        line(per_piece(2500), Quantity::Pieces(2), None),
        line(per_kg(25_000), Quantity::Grams(410), None),
    ]
}

#[test]
fn worked_example() {
    let rub = Currency::default();
    let p = price_order(
        &shop_rules(),
        &shop_lines(),
        pct("15"),
        true,
        Fee::Auto,
        None,
    )
    .unwrap();
    let show = |x: Money| rub.format(x);
    let gouda = p.lines[0];
    assert_eq!(
        (show(gouda.goods), show(gouda.packing), show(gouda.total)),
        ("78.75".into(), "6.30".into(), "85.05".into())
    );
    assert_eq!(show(p.lines[1].total), "50.00");
    assert_eq!(show(p.lines[2].total), "102.50");
    assert_eq!(show(p.goods), "231.25");
    assert_eq!(show(p.packing), "6.30");
    assert_eq!(show(p.subtotal), "237.55");
    assert_eq!(show(p.discount), "35.63");
    assert_eq!(show(p.after_discount), "201.92");
    assert_eq!(show(p.delivery), "20.00");
    assert_eq!(show(p.total), "221.92");
}

#[test]
fn free_delivery_from_threshold_before_discount() {
    let rules = shop_rules();
    let order = |grams| {
        let lines = [line(per_kg(100_000), Quantity::Grams(grams), None)];
        price_order(&rules, &lines, pct("50"), true, Fee::Auto, None).unwrap()
    };
    // 299.99 → fee; 300.00 → free, even though 50 % off makes it 150.00.
    let below = order(299); // 299.00
    assert_eq!((below.subtotal, below.delivery), (m(29_900), m(2000)));
    let at = order(300);
    assert_eq!(
        (at.subtotal, at.after_discount, at.delivery),
        (m(30_000), m(15_000), Money::ZERO)
    );
    assert_eq!(at.total, m(15_000));
    assert_eq!(delivery_fee(&rules, m(29_999)), m(2000));
    assert_eq!(delivery_fee(&rules, m(30_000)), Money::ZERO);
    assert_eq!(delivery_fee(&rules, m(1_000_000)), Money::ZERO);
    assert_eq!(delivery_fee(&PricingRules::none(), m(1)), Money::ZERO);
}

#[test]
fn who_decides_the_fee() {
    let rules = shop_rules();
    let lines = shop_lines();
    let delivery = |delivered, fee, fixed| {
        price_order(&rules, &lines, Percent::ZERO, delivered, fee, fixed)
            .unwrap()
            .delivery
    };
    let manual = Fee::Manual(m(1234));
    assert_eq!(delivery(true, Fee::Auto, None), m(2000), "the rule");
    assert_eq!(
        delivery(true, Fee::Auto, Some(m(1500))),
        m(1500),
        "fixed wins over the rule"
    );
    assert_eq!(delivery(true, Fee::Auto, Some(Money::ZERO)), Money::ZERO);
    assert_eq!(
        delivery(true, manual, Some(m(1500))),
        m(1234),
        "manual wins"
    );
    assert_eq!(delivery(true, Fee::Manual(Money::ZERO), None), Money::ZERO);
    for (fee, fixed) in [
        (Fee::Auto, None),
        (Fee::Auto, Some(m(1500))),
        (manual, None),
    ] {
        assert_eq!(
            delivery(false, fee, fixed),
            Money::ZERO,
            "pickup has no fee"
        );
    }
}

#[test]
fn packing_surcharges() {
    let vacuum = PackingOption::new("vacuum", "Vacuum", m(200), m(500)).unwrap();
    assert_eq!(vacuum.surcharge(Quantity::Grams(315)), Ok(m(630)));
    assert_eq!(vacuum.surcharge(Quantity::Pieces(3)), Ok(m(1500)));
    assert_eq!(vacuum.surcharge(Quantity::Grams(0)), Ok(Money::ZERO));
    assert_eq!(vacuum.surcharge(Quantity::Pieces(0)), Ok(Money::ZERO));
    // 0.15 per 100 g × 10 g = 0.015 → 0.02 (half away from zero, once).
    let cheap = PackingOption::new("paper", "Paper", m(15), m(0)).unwrap();
    assert_eq!(cheap.surcharge(Quantity::Grams(10)), Ok(m(2)));
    assert_eq!(cheap.surcharge(Quantity::Grams(3)), Ok(Money::ZERO));
    let huge = PackingOption::new("gold", "Gold", m(i64::MAX), m(i64::MAX)).unwrap();
    assert_eq!(
        huge.surcharge(Quantity::Grams(101)),
        Err(ArithmeticError::Overflow)
    );
    assert_eq!(
        huge.surcharge(Quantity::Pieces(2)),
        Err(ArithmeticError::Overflow)
    );
    assert_eq!(
        PackingOption::new("v", "V", m(-1), m(0)),
        Err(ConfigError::NegativeAmount {
            field: "per_100g".into()
        })
    );
}

#[test]
fn not_available_lines_cost_nothing() {
    let lines = [
        line(per_kg(25_000), Quantity::Grams(0), Some("vacuum")),
        line(per_piece(2500), Quantity::Pieces(0), Some("vacuum")),
    ];
    let p = price_order(&shop_rules(), &lines, pct("10"), true, Fee::Auto, None).unwrap();
    let zero = PricedLine {
        goods: Money::ZERO,
        packing: Money::ZERO,
        total: Money::ZERO,
    };
    assert_eq!(p.lines, [zero, zero]);
    assert_eq!(
        (p.subtotal, p.delivery, p.total),
        (Money::ZERO, m(2000), m(2000))
    );
}

#[test]
fn errors() {
    let rules = shop_rules();
    let price = |lines: &[PricingLine<'_>]| {
        price_order(&rules, lines, Percent::ZERO, false, Fee::Auto, None)
    };
    assert_eq!(
        price(&[line(per_kg(100), Quantity::Grams(0), Some("box"))]),
        Err(PricingError::UnknownPacking("box".into()))
    );
    assert_eq!(
        price(&[line(per_kg(100), Quantity::Pieces(1), None)]),
        Err(PricingError::Arithmetic(ArithmeticError::UnitMismatch {
            price: Unit::Kg,
            quantity: Unit::Piece
        }))
    );
    let max = line(per_piece(i64::MAX), Quantity::Pieces(1), None);
    assert_eq!(price(&[max]).map(|p| p.total), Ok(m(i64::MAX)));
    assert_eq!(
        price(&[max, line(per_piece(1), Quantity::Pieces(1), None)]),
        Err(PricingError::Arithmetic(ArithmeticError::Overflow))
    );
    assert_eq!(
        price(&[line(
            per_piece(i64::MAX),
            Quantity::Pieces(1),
            Some("vacuum")
        )]),
        Err(PricingError::Arithmetic(ArithmeticError::Overflow))
    );
    let delivered = price_order(&rules, &[max], Percent::ZERO, true, Fee::Manual(m(1)), None);
    assert_eq!(
        delivered,
        Err(PricingError::Arithmetic(ArithmeticError::Overflow))
    );
    let empty = price(&[]).unwrap();
    assert_eq!((empty.lines.len(), empty.total), (0, Money::ZERO));
}

#[test]
fn rules_lookup() {
    let rules = shop_rules();
    assert_eq!(
        rules.packing("vacuum").map(PackingOption::code),
        Some("vacuum")
    );
    assert!(rules.packing("Vacuum").is_none());
    assert!(PricingRules::none().packing.is_empty());
    assert_eq!(PricingRules::none().delivery.fee, Money::ZERO);
    assert_eq!(
        serde_json::to_string(&Fee::Manual(m(5))).unwrap(),
        r#"{"Manual":5}"#
    );
    assert_eq!(serde_json::from_str::<Fee>(r#""Auto""#).unwrap(), Fee::Auto);
}

#[test]
fn a_packing_rate_fixed_on_the_line_wins_over_the_rules_even_when_the_option_is_gone() {
    let gouda = PricingLine {
        price: UnitPrice::new(Unit::Kg, Money::from_minor(25_000)).unwrap(),
        quantity: Quantity::grams(315).unwrap(),
        packing: Some("vacuum"),
        packing_rate: Some(Money::from_minor(200)),
    };
    let none = PricingRules::none();
    let priced = price_line(&none, &gouda).unwrap();
    assert_eq!((priced.goods.minor(), priced.packing.minor()), (7_875, 630));
}
