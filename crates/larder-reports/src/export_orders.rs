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
//! | 1–11 | Session (name), Order (number), Status, Client, Phone, Delivery (`delivery`/`pickup`), Address, Date, Time (planned issue), Created (date and time in the business time zone), Issued on | every row of the order |
//! | 12–19 | Product, Unit (`kg`/`piece`), Price (per kg or piece), Ordered, Weighed (empty: not weighed yet; 0: not available), Packing (option name), Line goods, Line packing | each line's row |
//! | 20–23 | Discount %, Discount, Delivery fee, Order total | the order's **first** row only |
//!
//! Order-level amounts appear once per order so that summing any column
//! gives the session's figure; a last bold row, "Total", holds those sums.
//! Headers, statuses, units and delivery/pickup are in the staff's
//! language (see [`Style`]). Quantities are kilograms with 3 decimals
//! for `kg` lines and whole pieces for `piece` lines; amounts have the
//! currency's decimals, and money headers carry its code
//! (`"Line goods (RUB)"`). Every amount comes from `price_order` of the
//! whole order, with weighed quantities where known, else ordered ones.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use larder_core::{Money, PricingRules, format_date, format_time};
use larder_store::orders::Order;

use crate::pricing::price;
use crate::table::{Cell, Table};
use crate::words::Style;
use crate::{ReportError, csv, xlsx};

/// The session's orders as CSV (see the module docs for the layout).
pub fn session_orders_csv(
    orders: &[Order],
    session: &str,
    rules: &PricingRules,
    style: &Style<'_>,
    tz: &TimeZone,
) -> Result<Vec<u8>, ReportError> {
    Ok(csv::render(
        &[table(orders, session, rules, style, tz)?],
        style,
    ))
}

/// The session's orders as an XLSX workbook with one sheet ("Orders").
pub fn session_orders_xlsx(
    orders: &[Order],
    session: &str,
    rules: &PricingRules,
    style: &Style<'_>,
    tz: &TimeZone,
) -> Result<Vec<u8>, ReportError> {
    xlsx::render(&[table(orders, session, rules, style, tz)?], style)
}

/// Orders of a period as an XLSX workbook, one sheet per session (named
/// after it, in the order given); an empty period gives one empty sheet.
pub fn period_orders_xlsx(
    sessions: &[(String, Vec<Order>)],
    rules: &PricingRules,
    style: &Style<'_>,
    tz: &TimeZone,
) -> Result<Vec<u8>, ReportError> {
    let mut tables = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (session, orders) in sessions {
        let mut t = table(orders, session, rules, style, tz)?;
        t.name = sheet_name(session, &names);
        names.push(t.name.clone());
        tables.push(t);
    }
    if tables.is_empty() {
        tables.push(table(&[], "", rules, style, tz)?);
    }
    xlsx::render(&tables, style)
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, and
/// unlike the names already taken.
fn sheet_name(session: &str, taken: &[String]) -> String {
    let clean: String = session
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    let base: String = if clean.is_empty() { "—" } else { clean }
        .chars()
        .take(31)
        .collect();
    let mut name = base.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    name
}

fn table(
    orders: &[Order],
    session: &str,
    rules: &PricingRules,
    style: &Style<'_>,
    tz: &TimeZone,
) -> Result<Table, ReportError> {
    let mut table = Table::new(style.t("export-sheet-orders"));
    let t = |key: &str| style.t(key);
    let money = |key: &str| style.money(key);
    table.header(&[
        t("export-session"),
        t("export-order"),
        t("export-status"),
        t("export-client"),
        t("export-phone"),
        t("export-delivery"),
        t("export-address"),
        t("export-date"),
        t("export-time"),
        t("export-created"),
        t("export-issued-on"),
        t("export-product"),
        t("export-unit"),
        money("export-price"),
        t("export-ordered"),
        t("export-weighed"),
        t("export-packing"),
        money("export-line-goods"),
        money("export-line-packing"),
        t("export-discount-percent"),
        money("export-discount"),
        money("export-delivery-fee"),
        money("export-order-total"),
    ]);
    table.frozen_rows = 1;
    // Line goods, line packing, discount, delivery fee, order total.
    let mut sums = [Money::ZERO; 5];
    let add = |sums: &mut [Money; 5], i: usize, m: Money| -> Result<(), ReportError> {
        sums[i] = sums[i].checked_add(m).ok_or(ReportError::Overflow)?;
        Ok(())
    };
    for order in orders {
        let priced = price(order, rules)?;
        add(&mut sums, 2, priced.discount)?;
        add(&mut sums, 3, priced.delivery)?;
        add(&mut sums, 4, priced.total)?;
        let head = order_cells(order, session, style, tz);
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
            add(&mut sums, 0, priced.goods)?;
            add(&mut sums, 1, priced.packing)?;
            cells.extend([
                Cell::text(&line.name),
                Cell::plain(style.unit(line.unit)),
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
    let mut total = vec![Cell::Plain(style.t("export-total"))];
    total.extend(std::iter::repeat_n(Cell::Empty, 16));
    total.extend([Cell::Money(sums[0]), Cell::Money(sums[1]), Cell::Empty]);
    total.extend(sums[2..].iter().copied().map(Cell::Money));
    table.push_bold(total);
    Ok(table)
}

/// Columns 1–11: who, where and when.
fn order_cells(order: &Order, session: &str, style: &Style<'_>, tz: &TimeZone) -> Vec<Cell> {
    let optional = |s: &Option<String>| s.as_ref().map_or(Cell::Empty, Cell::text);
    let created = Timestamp::from_millisecond(order.created_at)
        .map(|ts| {
            let at = tz.to_datetime(ts);
            format!("{} {}", format_date(at.date()), format_time(at.time()))
        })
        .map_or(Cell::Empty, Cell::Plain);
    vec![
        Cell::text(session),
        Cell::Int(order.number),
        Cell::plain(style.status(order.status)),
        Cell::text(&order.client_name),
        order.phone.as_ref().map_or(Cell::Empty, Cell::plain),
        Cell::plain(style.t(if order.delivery {
            "export-mode-delivery"
        } else {
            "export-mode-pickup"
        })),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(sheet_name("Market [Sat]: 5/12", &[]), "Market  Sat   5 12");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        let taken = vec!["Fair".to_owned()];
        assert_eq!(sheet_name("fair", &taken), "fair (2)");
        assert_eq!(sheet_name("", &[]), "—");
    }
}
