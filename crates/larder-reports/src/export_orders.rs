//! The order list of a session, as CSV or XLSX (sheet "Orders").
//!
//! # Layout
//!
//! A header row, then **one row per order line**, orders by session and
//! number, lines by position; an order without lines gets one row with
//! the line columns empty. Columns:
//!
//! | # | column | on |
//! |---|--------|----|
//! | 1–11 | Session (id), Order (number), Status, Client, Phone, Delivery (`delivery`/`pickup`), Address, Date, Time (planned issue), Created (date and time in the business time zone), Issued on | every row of the order |
//! | 12–19 | Product, Unit (`kg`/`piece`), Price (per kg or piece), Ordered, Weighed (empty: not weighed yet; 0: not available), Packing (option name), Line goods, Line packing | each line's row |
//! | 20–23 | Discount %, Discount, Delivery fee, Order total | the order's **first** row only |
//!
//! Order-level amounts appear once per order so that summing any column
//! gives the session's figure. Quantities are kilograms with 3 decimals
//! for `kg` lines and whole pieces for `piece` lines; amounts have the
//! currency's decimals, and money headers carry its code
//! (`"Line goods (RUB)"`). Every amount comes from `price_order` of the
//! whole order, with weighed quantities where known, else ordered ones.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use larder_core::{Currency, PricingRules, format_date, format_time};
use larder_store::orders::Order;

use crate::pricing::price;
use crate::table::{Cell, Table, money_header};
use crate::{ReportError, csv, xlsx};

/// The session's orders as CSV (see the module docs for the layout).
pub fn session_orders_csv(
    orders: &[Order],
    rules: &PricingRules,
    currency: &Currency,
    tz: &TimeZone,
) -> Result<Vec<u8>, ReportError> {
    Ok(csv::render(
        &[table(orders, rules, currency, tz)?],
        currency,
    ))
}

/// The session's orders as an XLSX workbook with one sheet, "Orders".
pub fn session_orders_xlsx(
    orders: &[Order],
    rules: &PricingRules,
    currency: &Currency,
    tz: &TimeZone,
) -> Result<Vec<u8>, ReportError> {
    xlsx::render(&[table(orders, rules, currency, tz)?], currency)
}

fn table(
    orders: &[Order],
    rules: &PricingRules,
    currency: &Currency,
    tz: &TimeZone,
) -> Result<Table, ReportError> {
    let mut table = Table::new("Orders");
    let money = |name: &str| money_header(name, currency);
    table.header(&[
        "Session".into(),
        "Order".into(),
        "Status".into(),
        "Client".into(),
        "Phone".into(),
        "Delivery".into(),
        "Address".into(),
        "Date".into(),
        "Time".into(),
        "Created".into(),
        "Issued on".into(),
        "Product".into(),
        "Unit".into(),
        money("Price"),
        "Ordered".into(),
        "Weighed".into(),
        "Packing".into(),
        money("Line goods"),
        money("Line packing"),
        "Discount %".into(),
        money("Discount"),
        money("Delivery fee"),
        money("Order total"),
    ]);
    table.frozen_rows = 1;
    for order in orders {
        let priced = price(order, rules)?;
        let head = order_cells(order, tz);
        let totals = vec![
            Cell::Decimal {
                value: order.discount.basis_points(),
                scale: 2,
            },
            Cell::Money(priced.discount),
            Cell::Money(priced.delivery),
            Cell::Money(priced.total),
        ];
        if order.lines.is_empty() {
            let mut cells = head;
            cells.extend(std::iter::repeat_n(Cell::Empty, 8));
            cells.extend(totals);
            table.push(cells);
            continue;
        }
        for (i, (line, priced)) in order.lines.iter().zip(&priced.lines).enumerate() {
            let mut cells = head.clone();
            let packing = line.packing.as_deref().map(|code| {
                rules
                    .packing(code)
                    .map_or(code.to_owned(), |p| p.name().to_owned())
            });
            cells.extend([
                Cell::text(&line.name),
                Cell::plain(line.unit.as_str()),
                Cell::Money(line.price),
                Cell::quantity(line.ordered),
                line.weighed.map_or(Cell::Empty, Cell::quantity),
                packing.map_or(Cell::Empty, Cell::plain),
                Cell::Money(priced.goods),
                Cell::Money(priced.packing),
            ]);
            if i == 0 {
                cells.extend(totals.iter().cloned());
            } else {
                cells.extend(std::iter::repeat_n(Cell::Empty, totals.len()));
            }
            table.push(cells);
        }
    }
    Ok(table)
}

/// Columns 1–11: who, where and when.
fn order_cells(order: &Order, tz: &TimeZone) -> Vec<Cell> {
    let optional = |s: &Option<String>| s.as_ref().map_or(Cell::Empty, Cell::text);
    let created = Timestamp::from_millisecond(order.created_at)
        .map(|ts| {
            let at = tz.to_datetime(ts);
            format!("{} {}", format_date(at.date()), format_time(at.time()))
        })
        .map_or(Cell::Empty, Cell::Plain);
    vec![
        Cell::Int(order.session_id.get()),
        Cell::Int(order.number),
        Cell::plain(order.status.as_str()),
        Cell::text(&order.client_name),
        order.phone.as_ref().map_or(Cell::Empty, Cell::plain),
        Cell::plain(if order.delivery { "delivery" } else { "pickup" }),
        optional(&order.address),
        order
            .issue_date
            .map_or(Cell::Empty, |d| Cell::Plain(format_date(d))),
        order
            .issue_time
            .map_or(Cell::Empty, |t| Cell::Plain(format_time(t))),
        created,
        order
            .issued_on
            .map_or(Cell::Empty, |d| Cell::Plain(format_date(d))),
    ]
}
