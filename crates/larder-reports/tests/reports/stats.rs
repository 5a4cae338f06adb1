//! The statistics over the fixture, against hand-computed figures.

use larder_core::{OrderStatus, Unit};
use larder_reports::{
    IssuedStats, PendingStats, ProductPending, ProductSold, ProductionLine, ReportError,
    issued_stats, pending_stats, production_list,
};

use crate::fixture::{m, order, orders, rules, worked_example};

#[test]
fn the_worked_example_totals_221_92() {
    let stats = issued_stats(&[worked_example()], &rules()).unwrap();
    assert_eq!(stats.orders, 1);
    assert_eq!(
        (stats.goods, stats.packing, stats.discount),
        (m(23_125), m(630), m(3_563))
    );
    assert_eq!(stats.after_discount, m(20_192));
    assert_eq!(stats.delivery, m(2_000));
    assert_eq!(stats.total, m(22_192));
}

fn sold(
    name: &str,
    unit: Unit,
    quantity: i64,
    packed: usize,
    goods: i64,
    orders: usize,
) -> ProductSold {
    ProductSold {
        name: name.into(),
        unit,
        quantity,
        packed,
        goods: m(goods),
        orders,
    }
}

#[test]
fn issued_stats_sum_the_issued_orders_by_product() {
    let stats = issued_stats(&orders(), &rules()).unwrap();
    let expected = IssuedStats {
        orders: 2,
        products: vec![
            // Order 2's Caciotta was not available: it sold nothing.
            sold("Caciotta", Unit::Kg, 410, 0, 10_250, 1),
            sold("Gouda", Unit::Kg, 815, 2, 20_375, 2),
            sold("Greek yoghurt", Unit::Piece, 3, 1, 7_500, 2),
        ],
        goods: m(38_125),
        packing: m(2_130),
        discount: m(3_563),
        after_discount: m(36_692),
        delivery: m(2_000),
        total: m(38_692),
    };
    assert_eq!(stats, expected);
    let goods: i64 = stats.products.iter().map(|p| p.goods.minor()).sum();
    assert_eq!(goods, stats.goods.minor(), "products add up to the goods");
    assert_eq!(issued_stats(&[], &rules()).unwrap(), IssuedStats::default());
}

fn pending(name: &str, unit: Unit, ordered: i64, weighed: i64, unweighed: usize) -> ProductPending {
    ProductPending {
        name: name.into(),
        unit,
        ordered,
        weighed,
        unweighed_lines: unweighed,
    }
}

#[test]
fn pending_stats_cover_processing_and_completed_orders() {
    let stats = pending_stats(&orders(), &rules()).unwrap();
    let expected = PendingStats {
        orders: 2,
        products: vec![
            pending("Brie", Unit::Kg, 250, 240, 0),
            pending("Gouda", Unit::Kg, 500, 290, 1),
            pending("Gouda", Unit::Piece, 1, 0, 1),
            pending("Greek yoghurt", Unit::Piece, 3, 0, 1),
        ],
        // 87.50 (fee fixed at completion, not the rule's 20.00) + 301.80.
        expected_total: m(38_930),
    };
    assert_eq!(stats, expected);
}

#[test]
fn the_production_list_shows_what_is_left_to_weigh() {
    let line = |name: &str, unit, ordered, weighed, remaining| ProductionLine {
        name: String::from(name),
        unit,
        ordered,
        weighed,
        remaining,
    };
    assert_eq!(
        production_list(&orders()),
        [
            line("Brie", Unit::Kg, 250, 240, 0),
            line("Gouda", Unit::Kg, 500, 290, 200),
            line("Gouda", Unit::Piece, 1, 0, 1),
            line("Greek yoghurt", Unit::Piece, 3, 0, 3),
        ]
    );
}

#[test]
fn products_sort_by_name_ignoring_case() {
    use crate::fixture::line;
    let o = order(
        9,
        OrderStatus::Processing,
        vec![
            line("brie", Unit::Kg, 100, 1, None),
            line("Asiago", Unit::Kg, 100, 1, None),
            line("Camembert", Unit::Kg, 100, 1, None),
        ],
    );
    let names: Vec<_> = production_list(&[o]).into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Asiago", "brie", "Camembert"]);
}

#[test]
fn an_unknown_packing_option_names_the_order() {
    let mut o = worked_example();
    o.lines[0].packing = Some("gift".into());
    let err = issued_stats(&[o], &rules()).unwrap_err();
    assert!(
        matches!(err, ReportError::Pricing { number: 1, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("gift"), "{err}");
}
