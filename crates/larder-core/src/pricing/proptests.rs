//! Invariants of [`price_order`] over random orders.

use super::*;
use crate::Unit;
use proptest::prelude::*;

fn m(minor: i64) -> Money {
    Money::from_minor(minor)
}

fn line(price: UnitPrice, quantity: Quantity, packing: Option<&str>) -> PricingLine<'_> {
    PricingLine {
        price,
        quantity,
        packing,
        packing_rate: None,
    }
}

fn per_kg(minor: i64) -> UnitPrice {
    UnitPrice::new(Unit::Kg, m(minor)).unwrap()
}

fn per_piece(minor: i64) -> UnitPrice {
    UnitPrice::new(Unit::Piece, m(minor)).unwrap()
}

fn arb_rules() -> impl Strategy<Value = PricingRules> {
    (
        0_i64..=10_000,
        0_i64..=10_000,
        0_i64..=100_000,
        prop::option::of(0_i64..=1_000_000),
    )
        .prop_map(|(per_100g, piece, fee, free_from)| PricingRules {
            packing: vec![PackingOption::new("p", "P", m(per_100g), m(piece)).unwrap()],
            delivery: DeliveryRule {
                fee: m(fee),
                free_from: free_from.map(m),
            },
        })
}

fn arb_line() -> impl Strategy<Value = PricingLine<'static>> {
    (
        any::<bool>(),
        1_i64..=100_000_000,
        0_i64..=100_000,
        any::<bool>(),
    )
        .prop_map(|(kg, price, qty, packed)| {
            let packing = packed.then_some("p");
            if kg {
                line(per_kg(price), Quantity::Grams(qty), packing)
            } else {
                line(per_piece(price), Quantity::Pieces(qty % 10_001), packing)
            }
        })
}

fn arb_fee() -> impl Strategy<Value = (Fee, Option<Money>)> {
    let fee = prop_oneof![
        Just(Fee::Auto),
        (0_i64..=100_000).prop_map(|x| Fee::Manual(m(x)))
    ];
    (fee, prop::option::of((0_i64..=100_000).prop_map(m)))
}

proptest! {
    #[test]
    fn invariants(
        rules in arb_rules(),
        lines in prop::collection::vec(arb_line(), 0..12),
        bp in 0_i64..=10_000,
        delivered in any::<bool>(),
        (fee, fixed) in arb_fee(),
    ) {
        let discount = Percent::from_basis_points(bp).unwrap();
        let p = price_order(&rules, &lines, discount, delivered, fee, fixed).unwrap();
        let sum = |f: fn(&PricedLine) -> Money| Money::checked_sum(p.lines.iter().map(f)).unwrap();
        prop_assert_eq!(p.lines.len(), lines.len());
        prop_assert_eq!(p.subtotal, sum(|l| l.total));
        prop_assert_eq!(p.goods, sum(|l| l.goods));
        prop_assert_eq!(p.packing, sum(|l| l.packing));
        prop_assert!(p.lines.iter().all(|l| l.total == l.goods.checked_add(l.packing).unwrap()));
        prop_assert_eq!(p.subtotal, p.goods.checked_add(p.packing).unwrap());
        prop_assert!(Money::ZERO <= p.discount && p.discount <= p.subtotal);
        prop_assert_eq!(p.after_discount, p.subtotal.checked_sub(p.discount).unwrap());
        prop_assert_eq!(p.total, p.after_discount.checked_add(p.delivery).unwrap());
        if !delivered {
            prop_assert_eq!(p.delivery, Money::ZERO);
        }
        for (priced, line) in p.lines.iter().zip(&lines) {
            prop_assert_eq!(priced.goods, line_total(line.price, line.quantity).unwrap());
            if line.quantity.is_zero() {
                prop_assert_eq!(priced.total, Money::ZERO);
            }
        }
        let none = price_order(&rules, &lines, Percent::ZERO, delivered, fee, fixed).unwrap();
        prop_assert_eq!(none.discount, Money::ZERO);
        prop_assert_eq!(none.after_discount, none.subtotal);
        let all = price_order(&rules, &lines, Percent::HUNDRED, delivered, fee, fixed).unwrap();
        prop_assert_eq!(all.after_discount, Money::ZERO);
        prop_assert_eq!(all.total, all.delivery);
        // The discount never changes the delivery fee.
        prop_assert_eq!(none.delivery, p.delivery);
        prop_assert_eq!(all.delivery, p.delivery);
    }

    #[test]
    fn never_panics(
        per_100g in any::<i64>(),
        price in 1_i64..=i64::MAX,
        qty in 0_i64..=i64::MAX,
        kg in any::<bool>(),
        count in 1_usize..4,
        bp in 0_i64..=10_000,
        manual in any::<i64>(),
    ) {
        let rules = PricingRules {
            packing: vec![PackingOption::new("p", "P", m(per_100g.max(0)), m(per_100g.max(0))).unwrap()],
            delivery: DeliveryRule::default(),
        };
        let one = if kg {
            line(per_kg(price), Quantity::Grams(qty), Some("p"))
        } else {
            line(per_piece(price), Quantity::Pieces(qty), Some("p"))
        };
        let lines = vec![one; count];
        let discount = Percent::from_basis_points(bp).unwrap();
        if let Ok(p) = price_order(&rules, &lines, discount, true, Fee::Manual(m(manual)), None) {
            prop_assert_eq!(i128::from(p.total.minor()), i128::from(p.after_discount.minor()) + i128::from(manual));
        }
    }
}
