//! Orders built in memory, with figures computed by hand:
//!
//! | # | status | lines | figures |
//! |---|--------|-------|---------|
//! | 1 | issued 29.03 | Gouda 250.00/kg 315 g vacuum, Greek yoghurt 25.00 × 2, Caciotta 250.00/kg 410 g; 15 %, delivery | goods 231.25, packing 6.30, discount 35.63, after 201.92, delivery 20.00, total 221.92 |
//! | 2 | issued 29.03 | Gouda 500 g vacuum, Caciotta not available (vacuum), Greek yoghurt × 1 vacuum; pickup | goods 150.00, packing 15.00, total 165.00 |
//! | 3 | completed | Gouda ordered 300 g, weighed 290 g; delivery, fee fixed 15.00 | 72.50 + 15.00 = 87.50 |
//! | 4 | processing | Gouda 200 g (unweighed), Brie 320.00/kg 250 g → 240 g, Greek yoghurt × 3 (unweighed), Gouda wheel 100.00/piece × 1 (unweighed) | 50.00 + 76.80 + 75.00 + 100.00 = 301.80 |

use jiff::civil::date;
use larder_core::{
    DeliveryRule, Fee, Money, OrderId, OrderLineId, OrderStatus, PackingOption, Percent,
    PricingRules, Quantity, SessionId, Unit,
};
use larder_store::orders::{Line, Order};

pub const SESSION: SessionId = SessionId::new(7);
/// A client name that needs quoting in CSV and escaping in XML.
pub const TRICKY: &str = "Ann \"Cheesy\", <&> Co.\nsecond line";
pub const ADDRESS: &str = "Main St. 5, flat 3";
pub const FORMULA: &str = "=HYPERLINK(\"http://x\")";

pub fn m(minor: i64) -> Money {
    Money::from_minor(minor)
}

/// Vacuum packing 2.00 per 100 g / 5.00 per piece; delivery 20.00, free
/// from 300.00.
pub fn rules() -> PricingRules {
    PricingRules {
        packing: vec![PackingOption::new("vacuum", "Vacuum", m(200), m(500)).unwrap()],
        delivery: DeliveryRule {
            fee: m(2000),
            free_from: Some(m(30_000)),
        },
    }
}

pub fn line(name: &str, unit: Unit, price: i64, ordered: i64, weighed: Option<i64>) -> Line {
    Line {
        id: OrderLineId::new(0),
        position: 0,
        product_id: None,
        name: name.into(),
        unit,
        price: m(price),
        ordered: Quantity::new(unit, ordered).unwrap(),
        weighed: weighed.map(|w| Quantity::new(unit, w).unwrap()),
        packing: None,
        packing_rate: None,
    }
}

pub fn vacuum(mut l: Line) -> Line {
    l.packing = Some("vacuum".into());
    l
}

pub fn order(number: i64, status: OrderStatus, mut lines: Vec<Line>) -> Order {
    for (position, l) in (1..).zip(&mut lines) {
        l.position = position;
        l.id = OrderLineId::new(number * 100 + position);
    }
    Order {
        id: OrderId::new(number),
        session_id: SESSION,
        number,
        status,
        client_name: format!("Client {number}"),
        phone: Some("+15550100".into()),
        delivery: false,
        address: None,
        issue_date: None,
        issue_time: None,
        discount: Percent::ZERO,
        fee: Fee::Auto,
        fee_fixed: None,
        note: None,
        customer: None,
        created_at: 1_774_000_000_000,
        completed_at: None,
        issued_at: None,
        issued_on: None,
        version: 1,
        lines,
    }
}

/// Order #1: the worked example.
pub fn worked_example() -> Order {
    let mut o = order(
        1,
        OrderStatus::Issued,
        vec![
            vacuum(line("Gouda", Unit::Kg, 25_000, 300, Some(315))),
            line("Greek yoghurt", Unit::Piece, 2_500, 2, Some(2)),
            line("Caciotta", Unit::Kg, 25_000, 400, Some(410)),
        ],
    );
    o.client_name = TRICKY.into();
    o.address = Some(ADDRESS.into());
    o.delivery = true;
    o.discount = Percent::parse("15").unwrap();
    o.issue_date = Some(date(2026, 3, 29));
    o.issue_time = Some(jiff::civil::time(14, 30, 0, 0));
    o.issued_on = Some(date(2026, 3, 29));
    o
}

/// Orders #1–#4 of the table above.
pub fn orders() -> Vec<Order> {
    let mut second = order(
        2,
        OrderStatus::Issued,
        vec![
            vacuum(line("Gouda", Unit::Kg, 25_000, 500, Some(500))),
            vacuum(line("Caciotta", Unit::Kg, 25_000, 200, Some(0))),
            vacuum(line("Greek yoghurt", Unit::Piece, 2_500, 1, Some(1))),
        ],
    );
    second.issued_on = Some(date(2026, 3, 29));
    let mut third = order(
        3,
        OrderStatus::Completed,
        vec![line("Gouda", Unit::Kg, 25_000, 300, Some(290))],
    );
    third.delivery = true;
    third.fee_fixed = Some(m(1_500));
    let mut fourth = order(
        4,
        OrderStatus::Processing,
        vec![
            line("Gouda", Unit::Kg, 25_000, 200, None),
            line("Brie", Unit::Kg, 32_000, 250, Some(240)),
            line("Greek yoghurt", Unit::Piece, 2_500, 3, None),
            line("Gouda", Unit::Piece, 10_000, 1, None),
        ],
    );
    fourth.client_name = FORMULA.into();
    vec![worked_example(), second, third, fourth]
}
