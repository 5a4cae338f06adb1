//! Editing an order's lines: add, remove, change the ordered or weighed
//! quantity, choose packing. Each edit claims the order's version first.

use larder_core::{Money, OrderId, OrderLineId, PackingOption, Quantity, TgUserId};
use sqlx::{AnyConnection, Connection};

use super::history::{Event, HistoryField, record};
use super::{LINE_COLUMNS, Line, NewLine, bump, line_from_row, lines_of};
use crate::codec::quantity_text;
use crate::savepoint::settle;
use crate::{Result, StoreError};

/// Inserts a line at `position`. `Refused` if the quantity is not counted
/// in the line's unit.
pub(super) async fn insert_line(
    conn: &mut AnyConnection,
    order: OrderId,
    position: i64,
    line: &NewLine,
) -> Result<OrderLineId> {
    if line.ordered.unit() != line.unit {
        return Err(StoreError::Refused);
    }
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO order_lines (order_id, position, product_id, name, unit, price_minor, \
         ordered, packing, packing_rate_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(order.get())
    .bind(position)
    .bind(line.product_id.map(|p| p.get()))
    .bind(&line.name)
    .bind(line.unit.as_str())
    .bind(line.price.minor())
    .bind(line.ordered.value())
    .bind(line.packing.as_deref())
    .bind(line.packing.as_ref().and(line.packing_rate).map(Money::minor))
    .fetch_one(conn)
    .await?;
    Ok(OrderLineId::new(id))
}

/// `"Brie: 315 g"`, or `"Brie: —"` for no quantity.
fn text(name: &str, qty: Option<Quantity>) -> String {
    format!(
        "{name}: {}",
        qty.map_or_else(|| "—".to_owned(), quantity_text)
    )
}

fn packing_text(name: &str, packing: Option<&str>) -> String {
    format!("{name}: {}", packing.unwrap_or("—"))
}

/// The line, if it belongs to the order; `NotFound` otherwise.
async fn line_of(conn: &mut AnyConnection, order: OrderId, line: OrderLineId) -> Result<Line> {
    let row = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM order_lines WHERE id = $1 AND order_id = $2"
    ))
    .bind(line.get())
    .bind(order.get())
    .fetch_one(conn)
    .await?;
    line_from_row(&row)
}

/// Appends a line after the last one.
pub async fn add_line(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    line: &NewLine,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<OrderLineId> {
    let mut sp = conn.begin().await?;
    let done = async {
        bump(&mut sp, id, version, now).await?;
        let position: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM order_lines WHERE order_id = $1",
        )
        .bind(id.get())
        .fetch_one(&mut *sp)
        .await?;
        let line_id = insert_line(&mut sp, id, position, line).await?;
        let new = Some(text(&line.name, Some(line.ordered)));
        record(
            &mut sp,
            id,
            actor,
            now,
            Event::field(HistoryField::Added, None, new),
        )
        .await?;
        Ok(line_id)
    }
    .await;
    settle(sp, done).await
}

pub async fn remove_line(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    line: OrderLineId,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    let mut sp = conn.begin().await?;
    let done = async {
        bump(&mut sp, id, version, now).await?;
        let old = line_of(&mut sp, id, line).await?;
        sqlx::query("DELETE FROM order_lines WHERE id = $1")
            .bind(line.get())
            .execute(&mut *sp)
            .await?;
        let old = Some(text(&old.name, Some(old.ordered)));
        record(
            &mut sp,
            id,
            actor,
            now,
            Event::field(HistoryField::Removed, old, None),
        )
        .await
    }
    .await;
    settle(sp, done).await
}

/// Which quantity of a line to set.
#[derive(Clone, Copy)]
enum Column {
    Ordered,
    Weighed,
}

async fn set_quantity(
    conn: &mut AnyConnection,
    (id, version, line): (OrderId, i64, OrderLineId),
    column: Column,
    qty: Option<Quantity>,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    bump(conn, id, version, now).await?;
    let old = line_of(conn, id, line).await?;
    if qty.is_some_and(|q| q.unit() != old.unit) {
        return Err(StoreError::Refused);
    }
    let (sql, field, before) = match column {
        Column::Ordered => (
            "UPDATE order_lines SET ordered = $2 WHERE id = $1",
            HistoryField::Ordered,
            Some(old.ordered),
        ),
        Column::Weighed => (
            "UPDATE order_lines SET weighed = $2 WHERE id = $1",
            HistoryField::Weighed,
            old.weighed,
        ),
    };
    sqlx::query(sql)
        .bind(line.get())
        .bind(qty.map(Quantity::value))
        .execute(&mut *conn)
        .await?;
    let (old, new) = (text(&old.name, before), text(&old.name, qty));
    record(
        conn,
        id,
        actor,
        now,
        Event::field(field, Some(old), Some(new)),
    )
    .await
}

/// Changes how much of a line was ordered. `Refused` for a quantity in
/// another unit than the line's.
pub async fn set_ordered(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    line: OrderLineId,
    qty: Quantity,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    let mut sp = conn.begin().await?;
    let key = (id, version, line);
    let done = set_quantity(&mut sp, key, Column::Ordered, Some(qty), actor, now).await;
    settle(sp, done).await
}

/// Records the weighed quantity (`Some(zero)`: not available) or clears it
/// (`None`: not weighed yet). `Refused` for a quantity in another unit.
pub async fn set_weighed(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    line: OrderLineId,
    qty: Option<Quantity>,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    let mut sp = conn.begin().await?;
    let key = (id, version, line);
    let done = set_quantity(&mut sp, key, Column::Weighed, qty, actor, now).await;
    settle(sp, done).await
}

/// Sets (or with `None` clears) the packing of one line, or of every line
/// when `line` is `None`. History gets one row per line that changed.
pub async fn set_packing(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    line: Option<OrderLineId>,
    packing: Option<&PackingOption>,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    let code = packing.map(PackingOption::code);
    let mut sp = conn.begin().await?;
    let done = async {
        bump(&mut sp, id, version, now).await?;
        let lines = match line {
            Some(line) => vec![line_of(&mut sp, id, line).await?],
            None => lines_of(&mut sp, id).await?,
        };
        for old in lines.iter().filter(|l| l.packing.as_deref() != code) {
            // The rate for this line's unit is fixed on the line, like its price.
            let rate = packing.map(|p| p.rate_for(old.unit).minor());
            sqlx::query(
                "UPDATE order_lines SET packing = $2, packing_rate_minor = $3 WHERE id = $1",
            )
            .bind(old.id.get())
            .bind(code)
            .bind(rate)
            .execute(&mut *sp)
            .await?;
            let before = packing_text(&old.name, old.packing.as_deref());
            let after = packing_text(&old.name, code);
            let event = Event::field(HistoryField::Packing, Some(before), Some(after));
            record(&mut sp, id, actor, now, event).await?;
        }
        Ok(())
    }
    .await;
    settle(sp, done).await
}
