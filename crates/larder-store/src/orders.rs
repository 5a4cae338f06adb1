//! Orders, their lines and their history.
//!
//! An order belongs to a session and is numbered 1, 2, 3… within it. Each
//! line keeps a snapshot of the product's name, unit and price, so catalog
//! edits never change existing orders. `weighed` is `None` until staff
//! weigh the line; `Some(0)` means the product was not available.
//!
//! Every mutation takes the `version` the caller saw: a stale one is a
//! `Conflict` and changes nothing. A mutation runs in a savepoint, bumps the
//! version and records who changed what in the order's history.

mod find;
mod history;
mod lines;
mod list;
mod status;
mod write;

use jiff::civil::{Date, Time};
use larder_core::{
    Fee, Money, OrderId, OrderLineId, OrderStatus, Percent, ProductId, Quantity, SessionId,
    TgUserId, Unit,
};
use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::codec::{parse_date, parse_time, parse_unit, percent, quantity};
use crate::{Result, StoreError};

pub use find::{OrderFilter, find};
pub use history::{
    HistoryEntry, HistoryField, HistoryKind, changed_since, history, last_history_id, record_step,
};
pub use lines::{add_line, remove_line, set_ordered, set_packing, set_weighed};
pub use list::{OrderSummary, Sort, count, list};
pub use status::{issue_completed, set_status};
pub use write::{create, delete, move_to_session, update};

/// A line to add: a snapshot of the product as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLine {
    pub product_id: Option<ProductId>,
    pub name: String,
    pub unit: Unit,
    pub price: Money,
    /// Must be counted in `unit` (grams for kg, pieces for piece).
    pub ordered: Quantity,
    pub packing: Option<String>,
    /// The packing rate for this line's unit, fixed now (see [`Line::packing_rate`]).
    pub packing_rate: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub session_id: SessionId,
    pub client_name: String,
    pub phone: Option<String>,
    pub delivery: bool,
    pub address: Option<String>,
    pub issue_date: Option<Date>,
    pub issue_time: Option<Time>,
    pub discount: Percent,
    pub fee: Fee,
    pub note: Option<String>,
    pub customer: Option<TgUserId>,
    pub lines: Vec<NewLine>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub id: OrderLineId,
    pub position: i64,
    pub product_id: Option<ProductId>,
    pub name: String,
    pub unit: Unit,
    pub price: Money,
    pub ordered: Quantity,
    /// `None`: not weighed yet; `Some(zero)`: not available.
    pub weighed: Option<Quantity>,
    pub packing: Option<String>,
    /// The packing rate (per 100 g or per piece) fixed when the line was
    /// packed; `None` on lines packed before rates were kept.
    pub packing_rate: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub id: OrderId,
    pub session_id: SessionId,
    pub number: i64,
    pub status: OrderStatus,
    pub client_name: String,
    pub phone: Option<String>,
    pub delivery: bool,
    pub address: Option<String>,
    pub issue_date: Option<Date>,
    pub issue_time: Option<Time>,
    pub discount: Percent,
    pub fee: Fee,
    /// The automatic fee as fixed when the order was completed.
    pub fee_fixed: Option<Money>,
    pub note: Option<String>,
    pub customer: Option<TgUserId>,
    pub created_at: i64,
    pub completed_at: Option<i64>,
    pub issued_at: Option<i64>,
    /// The day the order was handed over, as chosen by staff.
    pub issued_on: Option<Date>,
    pub version: i64,
    /// By position.
    pub lines: Vec<Line>,
}

/// One field edit of [`update`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderChange {
    ClientName(String),
    Phone(Option<String>),
    Delivery(bool),
    Address(Option<String>),
    IssueDate(Option<Date>),
    IssueTime(Option<Time>),
    Discount(Percent),
    Fee(Fee),
    Note(Option<String>),
}

const COLUMNS: &str = "o.id, o.session_id, o.number, o.status, o.client_name, o.phone, \
    o.delivery, o.address, o.issue_date, o.issue_time, o.discount_bp, o.fee_manual_minor, \
    o.fee_fixed_minor, o.note, o.customer_user_id, o.created_at, o.completed_at, o.issued_at, \
    o.issued_on, o.version";

const LINE_COLUMNS: &str = "id, position, product_id, name, unit, price_minor, ordered, weighed, packing, packing_rate_minor";

fn parse_status(s: &str) -> Result<OrderStatus> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("order status {s:?}")))
}

fn fee_from(manual_minor: Option<i64>) -> Fee {
    match manual_minor {
        Some(minor) => Fee::Manual(Money::from_minor(minor)),
        None => Fee::Auto,
    }
}

fn order_from_row(row: &AnyRow) -> Result<Order> {
    Ok(Order {
        id: OrderId::new(row.try_get("id")?),
        session_id: SessionId::new(row.try_get("session_id")?),
        number: row.try_get("number")?,
        status: parse_status(&row.try_get::<String, _>("status")?)?,
        client_name: row.try_get("client_name")?,
        phone: row.try_get("phone")?,
        delivery: row.try_get::<i64, _>("delivery")? != 0,
        address: row.try_get("address")?,
        issue_date: parse_date("issue_date", row.try_get("issue_date")?)?,
        issue_time: parse_time("issue_time", row.try_get("issue_time")?)?,
        discount: percent(row.try_get("discount_bp")?)?,
        fee: fee_from(row.try_get("fee_manual_minor")?),
        fee_fixed: row
            .try_get::<Option<i64>, _>("fee_fixed_minor")?
            .map(Money::from_minor),
        note: row.try_get("note")?,
        customer: row
            .try_get::<Option<i64>, _>("customer_user_id")?
            .map(TgUserId::new),
        created_at: row.try_get("created_at")?,
        completed_at: row.try_get("completed_at")?,
        issued_at: row.try_get("issued_at")?,
        issued_on: parse_date("issued_on", row.try_get("issued_on")?)?,
        version: row.try_get("version")?,
        lines: Vec::new(),
    })
}

fn line_from_row(row: &AnyRow) -> Result<Line> {
    let unit = parse_unit(&row.try_get::<String, _>("unit")?)?;
    Ok(Line {
        id: OrderLineId::new(row.try_get("id")?),
        position: row.try_get("position")?,
        product_id: row
            .try_get::<Option<i64>, _>("product_id")?
            .map(ProductId::new),
        name: row.try_get("name")?,
        unit,
        price: Money::from_minor(row.try_get("price_minor")?),
        ordered: quantity(unit, row.try_get("ordered")?)?,
        weighed: row
            .try_get::<Option<i64>, _>("weighed")?
            .map(|w| quantity(unit, w))
            .transpose()?,
        packing: row.try_get("packing")?,
        packing_rate: row
            .try_get::<Option<i64>, _>("packing_rate_minor")?
            .map(Money::from_minor),
    })
}

/// The order with its lines; `NotFound` if there is none.
pub async fn get(conn: &mut AnyConnection, id: OrderId) -> Result<Order> {
    let mut order = head(conn, id).await?;
    order.lines = lines_of(conn, id).await?;
    Ok(order)
}

/// The lines of an order, by position.
pub async fn lines_of(conn: &mut AnyConnection, id: OrderId) -> Result<Vec<Line>> {
    let rows = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM order_lines WHERE order_id = $1 ORDER BY position"
    ))
    .bind(id.get())
    .fetch_all(conn)
    .await?;
    rows.iter().map(line_from_row).collect()
}

/// The order without its lines.
async fn head(conn: &mut AnyConnection, id: OrderId) -> Result<Order> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM orders o WHERE o.id = $1"))
        .bind(id.get())
        .fetch_one(conn)
        .await?;
    order_from_row(&row)
}

/// Claims the order for a mutation: bumps its version if it is still
/// `version`; otherwise `NotFound` or `Conflict`. Run first, inside the
/// mutation's savepoint, so the row stays locked until the end.
async fn bump(conn: &mut AnyConnection, id: OrderId, version: i64, now: i64) -> Result<()> {
    let done = sqlx::query(
        "UPDATE orders SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2",
    )
    .bind(id.get())
    .bind(version)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    Err(missing_or_conflict(conn, id).await)
}

/// Why a versioned write matched no row.
async fn missing_or_conflict(conn: &mut AnyConnection, id: OrderId) -> StoreError {
    let found = sqlx::query_scalar::<_, i64>("SELECT id FROM orders WHERE id = $1")
        .bind(id.get())
        .fetch_optional(conn)
        .await;
    match found {
        Ok(Some(_)) => StoreError::Conflict,
        Ok(None) => StoreError::NotFound,
        Err(e) => e.into(),
    }
}

/// The manual fee in minor units, `None` for the automatic fee.
fn fee_manual(fee: &Fee) -> Option<i64> {
    match fee {
        Fee::Manual(m) => Some(m.minor()),
        Fee::Auto => None,
    }
}
