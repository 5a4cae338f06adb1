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

use larder_core::{Money, Quantity, Unit};

use crate::table::{Cell, Table};
use crate::words::Style;
use crate::{IssuedStats, PendingStats, ProductionLine, ReportError, csv, xlsx};

/// The statistics as CSV (see the module docs for the layout).
pub fn session_stats_csv(
    issued: &IssuedStats,
    pending: &PendingStats,
    production: &[ProductionLine],
    style: &Style<'_>,
) -> Vec<u8> {
    csv::render(&tables(issued, pending, production, style), style)
}

/// The statistics as an XLSX workbook: sheets "Issued", "Pending",
/// "Production" (in the staff's language).
pub fn session_stats_xlsx(
    issued: &IssuedStats,
    pending: &PendingStats,
    production: &[ProductionLine],
    style: &Style<'_>,
) -> Result<Vec<u8>, ReportError> {
    xlsx::render(&tables(issued, pending, production, style), style)
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
    style: &Style<'_>,
) -> Vec<Table> {
    let t = |key: &str| style.t(key);
    let money = |key: &str| style.money(key);
    let label = |key: &str, m: Money| vec![Cell::Plain(money(key)), Cell::Money(m)];

    let mut sold = Table::new(t("export-sheet-issued"));
    sold.push_bold(vec![
        Cell::Plain(t("export-issued-orders")),
        count(issued.orders),
    ]);
    sold.push(label("export-goods", issued.goods));
    sold.push(label("export-packing", issued.packing));
    sold.push(label("export-discount", issued.discount));
    sold.push(label("export-after-discount", issued.after_discount));
    sold.push(label("export-delivery", issued.delivery));
    sold.push_bold(label("export-total", issued.total));
    sold.push(Vec::new());
    sold.header(&[
        t("export-product"),
        t("export-unit"),
        t("export-quantity"),
        t("export-packed-lines"),
        money("export-goods"),
        t("export-orders"),
    ]);
    for p in &issued.products {
        sold.push(vec![
            Cell::text(&p.name),
            Cell::plain(style.unit(p.unit)),
            amount(p.unit, p.quantity),
            count(p.packed),
            Cell::Money(p.goods),
            count(p.orders),
        ]);
    }

    let mut open = Table::new(t("export-sheet-pending"));
    open.push_bold(vec![
        Cell::Plain(t("export-pending-orders")),
        count(pending.orders),
    ]);
    open.push(label("export-expected-total", pending.expected_total));
    open.push(Vec::new());
    open.header(&[
        t("export-product"),
        t("export-unit"),
        t("export-ordered"),
        t("export-weighed"),
        t("export-unweighed-lines"),
    ]);
    for p in &pending.products {
        open.push(vec![
            Cell::text(&p.name),
            Cell::plain(style.unit(p.unit)),
            amount(p.unit, p.ordered),
            amount(p.unit, p.weighed),
            count(p.unweighed_lines),
        ]);
    }

    let mut todo = Table::new(t("export-sheet-production"));
    todo.push_bold(vec![Cell::Plain(t("export-production"))]);
    todo.header(&[
        t("export-product"),
        t("export-unit"),
        t("export-ordered"),
        t("export-weighed"),
        t("export-remaining"),
    ]);
    for p in production {
        todo.push(vec![
            Cell::text(&p.name),
            Cell::plain(style.unit(p.unit)),
            amount(p.unit, p.ordered),
            amount(p.unit, p.weighed),
            amount(p.unit, p.remaining),
        ]);
    }
    vec![sold, open, todo]
}
