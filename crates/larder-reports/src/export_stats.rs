//! A session's statistics, as CSV or XLSX.
//!
//! # Layout
//!
//! Three tables — sheets "Issued", "Pending" and "Production" in XLSX,
//! blocks separated by an empty line in CSV — each opening with a bold
//! title row:
//!
//! * **Issued**: `Issued orders, <count>`, then label/amount rows
//!   (Goods, Packing, Discount, After discount, Delivery, Total), an empty
//!   row, and the products: Product, Unit, Quantity, Packed lines, Goods,
//!   Orders.
//! * **Pending**: `Pending orders, <count>`, `Expected total, <amount>`,
//!   an empty row, and the products: Product, Unit, Ordered, Weighed,
//!   Unweighed lines.
//! * **Production**: `Production`, then Product, Unit, Ordered, Weighed,
//!   Remaining.
//!
//! Quantities are kilograms with 3 decimals for `kg` products and whole
//! pieces for `piece` products; money headers carry the currency code.

use larder_core::{Currency, Money, Quantity, Unit};

use crate::table::{Cell, Table, money_header};
use crate::{IssuedStats, PendingStats, ProductionLine, ReportError, csv, xlsx};

/// The statistics as CSV (see the module docs for the layout).
pub fn session_stats_csv(
    issued: &IssuedStats,
    pending: &PendingStats,
    production: &[ProductionLine],
    currency: &Currency,
) -> Vec<u8> {
    csv::render(&tables(issued, pending, production, currency), currency)
}

/// The statistics as an XLSX workbook: sheets "Issued", "Pending",
/// "Production".
pub fn session_stats_xlsx(
    issued: &IssuedStats,
    pending: &PendingStats,
    production: &[ProductionLine],
    currency: &Currency,
) -> Result<Vec<u8>, ReportError> {
    xlsx::render(&tables(issued, pending, production, currency), currency)
}

/// Grams or pieces of `unit` as a cell.
fn amount(unit: Unit, value: i64) -> Cell {
    match unit {
        Unit::Kg => Cell::quantity(Quantity::Grams(value)),
        Unit::Piece => Cell::Int(value),
    }
}

fn count(n: usize) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn tables(
    issued: &IssuedStats,
    pending: &PendingStats,
    production: &[ProductionLine],
    currency: &Currency,
) -> Vec<Table> {
    let money = |name: &str| money_header(name, currency);
    let label = |name: &str, m: Money| vec![Cell::Plain(money(name)), Cell::Money(m)];

    let mut sold = Table::new("Issued");
    sold.push_bold(vec![Cell::plain("Issued orders"), count(issued.orders)]);
    sold.push(label("Goods", issued.goods));
    sold.push(label("Packing", issued.packing));
    sold.push(label("Discount", issued.discount));
    sold.push(label("After discount", issued.after_discount));
    sold.push(label("Delivery", issued.delivery));
    sold.push_bold(label("Total", issued.total));
    sold.push(Vec::new());
    sold.header(&[
        "Product".into(),
        "Unit".into(),
        "Quantity".into(),
        "Packed lines".into(),
        money("Goods"),
        "Orders".into(),
    ]);
    for p in &issued.products {
        sold.push(vec![
            Cell::text(&p.name),
            Cell::plain(p.unit.as_str()),
            amount(p.unit, p.quantity),
            count(p.packed),
            Cell::Money(p.goods),
            count(p.orders),
        ]);
    }

    let mut open = Table::new("Pending");
    open.push_bold(vec![Cell::plain("Pending orders"), count(pending.orders)]);
    open.push(label("Expected total", pending.expected_total));
    open.push(Vec::new());
    open.header(&[
        "Product".into(),
        "Unit".into(),
        "Ordered".into(),
        "Weighed".into(),
        "Unweighed lines".into(),
    ]);
    for p in &pending.products {
        open.push(vec![
            Cell::text(&p.name),
            Cell::plain(p.unit.as_str()),
            amount(p.unit, p.ordered),
            amount(p.unit, p.weighed),
            count(p.unweighed_lines),
        ]);
    }

    let mut todo = Table::new("Production");
    todo.push_bold(vec![Cell::plain("Production")]);
    todo.header(&[
        "Product".into(),
        "Unit".into(),
        "Ordered".into(),
        "Weighed".into(),
        "Remaining".into(),
    ]);
    for p in production {
        todo.push(vec![
            Cell::text(&p.name),
            Cell::plain(p.unit.as_str()),
            amount(p.unit, p.ordered),
            amount(p.unit, p.weighed),
            amount(p.unit, p.remaining),
        ]);
    }
    vec![sold, open, todo]
}
