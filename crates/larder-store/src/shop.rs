//! The shop's side of orders: customers' carts, placing an order exactly
//! once per checkout, and the kitchen's and couriers' progress on it.
//!
//! A shop order is an ordinary order (the desk sees and edits it like any
//! other) with an origin channel, the customer, a checkout key that makes
//! placing it idempotent, and the pipeline columns below.

use larder_core::{CustomerId, OrderId, ProductId, Quantity, TgUserId};
use sqlx::{AnyConnection, Connection, Row};

use crate::orders::{self, HistoryField, NewOrder};
use crate::savepoint::settle;
use crate::{Channel, Result, StoreError};

/// One product in a cart; the quantity is counted in the product's unit
/// (grams or pieces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartItem {
    pub product_id: ProductId,
    pub quantity: i64,
}

/// The cart, oldest item first.
pub async fn cart(conn: &mut AnyConnection, customer: CustomerId) -> Result<Vec<CartItem>> {
    let rows = sqlx::query(
        "SELECT product_id, quantity FROM cart_items WHERE customer_id = $1 \
         ORDER BY added_at, product_id",
    )
    .bind(customer.get())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CartItem {
                product_id: ProductId::new(r.try_get("product_id")?),
                quantity: r.try_get("quantity")?,
            })
        })
        .collect()
}

/// Sets a product's quantity in the cart; zero or less removes it.
pub async fn set_cart(
    conn: &mut AnyConnection,
    customer: CustomerId,
    product: ProductId,
    quantity: i64,
    now: i64,
) -> Result<()> {
    if quantity <= 0 {
        sqlx::query("DELETE FROM cart_items WHERE customer_id = $1 AND product_id = $2")
            .bind(customer.get())
            .bind(product.get())
            .execute(conn)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO cart_items (customer_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (customer_id, product_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(customer.get())
    .bind(product.get())
    .bind(quantity)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear_cart(conn: &mut AnyConnection, customer: CustomerId) -> Result<()> {
    sqlx::query("DELETE FROM cart_items WHERE customer_id = $1")
        .bind(customer.get())
        .execute(conn)
        .await?;
    Ok(())
}

/// An order placed by a customer.
#[derive(Clone, Debug)]
pub struct NewShopOrder {
    pub order: NewOrder,
    pub customer: CustomerId,
    pub origin: Channel,
    /// Unique per checkout: placing the same checkout again finds the order.
    pub checkout_key: String,
    /// When it should be ready (unix ms).
    pub ready_by: i64,
}

/// Places the order once: returns its id, number, and whether it is new
/// (`false`: this checkout had been placed before). The customer's last
/// address is remembered for the next delivery.
pub async fn place(
    conn: &mut AnyConnection,
    new: &NewShopOrder,
    now: i64,
) -> Result<(OrderId, i64, bool)> {
    if let Some((id, number)) = by_checkout(conn, &new.checkout_key).await? {
        return Ok((id, number, false));
    }
    let mut sp = conn.begin().await?;
    let done = async {
        let (id, number) = orders::create(&mut sp, &new.order, None, now).await?;
        sqlx::query(
            "UPDATE orders SET customer_id = $2, origin = $3, checkout_key = $4, ready_by = $5, \
             told_stage = $6 WHERE id = $1",
        )
        .bind(id.get())
        .bind(new.customer.get())
        .bind(new.origin.as_str())
        .bind(&new.checkout_key)
        .bind(new.ready_by)
        .bind(Stage::Placed.rank())
        .execute(&mut *sp)
        .await?;
        // Pieces are counted when ordered; only goods sold by weight wait
        // for the scales.
        sqlx::query(
            "UPDATE order_lines SET weighed = ordered WHERE order_id = $1 AND unit = 'piece'",
        )
        .bind(id.get())
        .execute(&mut *sp)
        .await?;
        if new.order.delivery
            && let Some(address) = &new.order.address
        {
            sqlx::query("UPDATE customers SET last_address = $2, updated_at = $3 WHERE id = $1")
                .bind(new.customer.get())
                .bind(address)
                .bind(now)
                .execute(&mut *sp)
                .await?;
        }
        Ok((id, number, true))
    }
    .await;
    settle(sp, done).await
}

async fn by_checkout(conn: &mut AnyConnection, key: &str) -> Result<Option<(OrderId, i64)>> {
    let row = sqlx::query("SELECT id, number FROM orders WHERE checkout_key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok((OrderId::new(r.try_get("id")?), r.try_get("number")?)))
        .transpose()
}

pub use larder_core::flow::{CancelReason, Stage};

/// The shop's columns of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub order_id: OrderId,
    pub customer: Option<CustomerId>,
    /// `None` for orders taken at the desk.
    pub origin: Option<Channel>,
    pub ready_by: Option<i64>,
    pub accepted_at: Option<i64>,
    pub accepted_by: Option<TgUserId>,
    pub prepared_by: Option<TgUserId>,
    pub courier: Option<TgUserId>,
    pub courier_name: Option<String>,
    pub taken_at: Option<i64>,
    /// The last stage the customer was told of.
    pub told: Option<Stage>,
    /// Why it was cancelled (`None`: not cancelled, or at the desk without a reason).
    pub cancel_reason: Option<CancelReason>,
}

/// The shop columns of an order; `NotFound` if there is no such order.
pub async fn pipeline(conn: &mut AnyConnection, id: OrderId) -> Result<Pipeline> {
    let row = sqlx::query(
        "SELECT customer_id, origin, ready_by, accepted_at, accepted_by, prepared_by, courier_id, \
         courier_name, taken_at, told_stage, cancel_reason FROM orders WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let user = |col: &str| -> Result<Option<TgUserId>> {
        Ok(row.try_get::<Option<i64>, _>(col)?.map(TgUserId::new))
    };
    Ok(Pipeline {
        order_id: id,
        customer: row
            .try_get::<Option<i64>, _>("customer_id")?
            .map(CustomerId::new),
        origin: row
            .try_get::<Option<String>, _>("origin")?
            .map(|c| Channel::parse(&c))
            .transpose()?,
        ready_by: row.try_get("ready_by")?,
        accepted_at: row.try_get("accepted_at")?,
        accepted_by: user("accepted_by")?,
        prepared_by: user("prepared_by")?,
        courier: user("courier_id")?,
        courier_name: row.try_get("courier_name")?,
        taken_at: row.try_get("taken_at")?,
        cancel_reason: row
            .try_get::<Option<String>, _>("cancel_reason")?
            .and_then(|r| CancelReason::parse(&r)),
        told: Stage::from_rank(row.try_get("told_stage")?),
    })
}

/// The kitchen accepts the order: `false` if it was accepted before or is
/// no longer being processed.
pub async fn accept(conn: &mut AnyConnection, id: OrderId, by: TgUserId, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE orders SET accepted_at = $2, accepted_by = $3, version = version + 1, \
         updated_at = $2 WHERE id = $1 AND accepted_at IS NULL AND status = 'processing'",
    )
    .bind(id.get())
    .bind(now)
    .bind(by.get())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    orders::record_step(conn, id, Some(by), now, HistoryField::Kitchen, "accepted").await?;
    Ok(true)
}

/// Records who prepared the order (the status change itself is a normal
/// completion) and marks it accepted if the kitchen skipped that step.
pub async fn set_prepared_by(
    conn: &mut AnyConnection,
    id: OrderId,
    by: TgUserId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE orders SET prepared_by = $2, accepted_at = COALESCE(accepted_at, $3), \
         accepted_by = COALESCE(accepted_by, $2) WHERE id = $1",
    )
    .bind(id.get())
    .bind(by.get())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// How a courier's take came out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Took {
    /// It is theirs.
    Taken,
    /// Another courier was first (their name).
    AlreadyBy(String),
}

/// A courier takes the order. Exactly one wins; the others hear who.
pub async fn take(
    conn: &mut AnyConnection,
    id: OrderId,
    courier: TgUserId,
    name: &str,
    now: i64,
) -> Result<Took> {
    let done = sqlx::query(
        "UPDATE orders SET courier_id = $2, courier_name = $3, taken_at = $4, \
         version = version + 1, updated_at = $4 \
         WHERE id = $1 AND courier_id IS NULL AND status IN ('processing', 'completed')",
    )
    .bind(id.get())
    .bind(courier.get())
    .bind(name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        orders::record_step(conn, id, Some(courier), now, HistoryField::Courier, name).await?;
        return Ok(Took::Taken);
    }
    let p = pipeline(conn, id).await?;
    Ok(Took::AlreadyBy(p.courier_name.unwrap_or_default()))
}

/// Cancels a shop order (version-checked) and records why: by the
/// customer (`actor` none) or by staff.
pub async fn cancel(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    actor: Option<TgUserId>,
    reason: CancelReason,
    now: i64,
) -> Result<()> {
    orders::set_status(
        conn,
        id,
        version,
        larder_core::StatusEvent::Cancel,
        None,
        None,
        actor,
        now,
    )
    .await?;
    set_cancel_reason(conn, id, Some(reason)).await
}

/// Records why the order was cancelled (`None`: no reason given).
pub async fn set_cancel_reason(
    conn: &mut AnyConnection,
    id: OrderId,
    reason: Option<CancelReason>,
) -> Result<()> {
    sqlx::query("UPDATE orders SET cancel_reason = $2 WHERE id = $1")
        .bind(id.get())
        .bind(reason.map(CancelReason::as_str))
        .execute(conn)
        .await?;
    Ok(())
}

/// The courier gives the order back (or the admins take it off them):
/// `false` if nobody had it.
pub async fn release(
    conn: &mut AnyConnection,
    id: OrderId,
    by: TgUserId,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE orders SET courier_id = NULL, courier_name = NULL, taken_at = NULL, \
         version = version + 1, updated_at = $2 \
         WHERE id = $1 AND courier_id IS NOT NULL AND status IN ('processing', 'completed')",
    )
    .bind(id.get())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    orders::record_step(conn, id, Some(by), now, HistoryField::Courier, "—").await?;
    Ok(true)
}

/// Remembers that the customer was told of `stage`; `false` if they had
/// been told already (so the message is sent once).
pub async fn set_told(conn: &mut AnyConnection, id: OrderId, stage: Stage) -> Result<bool> {
    let done = sqlx::query("UPDATE orders SET told_stage = $2 WHERE id = $1 AND told_stage <> $2")
        .bind(id.get())
        .bind(stage.rank())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The customer's orders, newest first.
pub async fn customer_orders(
    conn: &mut AnyConnection,
    customer: CustomerId,
    offset: i64,
    limit: i64,
) -> Result<(Vec<OrderId>, i64)> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC, id DESC \
         LIMIT $2 OFFSET $3",
    )
    .bind(customer.get())
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE customer_id = $1")
        .bind(customer.get())
        .fetch_one(conn)
        .await?;
    Ok((ids.into_iter().map(OrderId::new).collect(), total))
}

/// A day's shop figures for the admins.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayFigures {
    /// Shop orders placed in the day.
    pub orders: i64,
    /// Of those, cancelled.
    pub cancelled: i64,
    /// Dishes by how many orders (not cancelled) had them, most first,
    /// with the quantity ordered in all.
    pub dishes: Vec<(String, Quantity)>,
}

/// Figures of shop orders placed in `[from, to)` (unix ms).
pub async fn day_figures(conn: &mut AnyConnection, from: i64, to: i64) -> Result<DayFigures> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS orders, \
         CAST(COALESCE(SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), 0) AS BIGINT) AS cancelled \
         FROM orders WHERE origin IS NOT NULL AND created_at >= $1 AND created_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let dishes = sqlx::query(
        "SELECT l.name AS name, l.unit AS unit, COUNT(*) AS orders, \
         CAST(SUM(l.ordered) AS BIGINT) AS amount \
         FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE o.origin IS NOT NULL AND o.status <> 'cancelled' AND o.created_at >= $1 AND o.created_at < $2 \
         GROUP BY l.name, l.unit ORDER BY orders DESC, amount DESC, l.name LIMIT 20",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    Ok(DayFigures {
        orders: row.try_get("orders")?,
        cancelled: row.try_get("cancelled")?,
        dishes: dishes
            .iter()
            .map(|r| {
                let unit = crate::codec::parse_unit(&r.try_get::<String, _>("unit")?)?;
                let amount = crate::codec::quantity(unit, r.try_get("amount")?)?;
                Ok((r.try_get("name")?, amount))
            })
            .collect::<Result<_>>()?,
    })
}

/// Every shop order with the messenger account it was placed from:
/// `(order number, account user id)`, oldest first (for checks that each
/// customer's order exists once).
pub async fn placed_by_account(conn: &mut AnyConnection) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT o.number, c.user_id FROM orders o JOIN customers c ON c.id = o.customer_id \
         ORDER BY o.id",
    )
    .fetch_all(conn)
    .await?)
}
