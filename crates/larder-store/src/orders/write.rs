//! Creating, editing, moving and deleting orders.

use larder_core::{Fee, OrderId, OrderStatus, SessionId, TgUserId};
use sqlx::{AnyConnection, Connection};

use super::history::{Event, HistoryField, record};
use super::lines::insert_line;
use super::{NewOrder, OrderChange, bump, fee_manual, head, missing_or_conflict};
use crate::codec::{date_text, money_text, time_text, yes_no};
use crate::savepoint::settle;
use crate::{Result, flag};

/// Saves a new order with its lines in the session, numbered with the
/// session's next number; returns its id and number. `NotFound` if the
/// session does not exist, `Refused` if a line's quantity is not counted in
/// the line's unit.
pub async fn create(
    conn: &mut AnyConnection,
    order: &NewOrder,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<(OrderId, i64)> {
    let mut sp = conn.begin().await?;
    let done = create_inner(&mut sp, order, actor, now).await;
    settle(sp, done).await
}

async fn create_inner(
    conn: &mut AnyConnection,
    order: &NewOrder,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<(OrderId, i64)> {
    let number = take_number(conn, order.session_id).await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO orders (session_id, number, status, client_name, phone, delivery, address, \
         issue_date, issue_time, discount_bp, fee_manual_minor, note, customer_user_id, \
         created_by, created_at, updated_at) \
         VALUES ($1, $2, 'processing', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) \
         RETURNING id",
    )
    .bind(order.session_id.get())
    .bind(number)
    .bind(&order.client_name)
    .bind(order.phone.as_deref())
    .bind(flag(order.delivery))
    .bind(order.address.as_deref())
    .bind(order.issue_date.map(date_text))
    .bind(order.issue_time.map(time_text))
    .bind(order.discount.basis_points())
    .bind(fee_manual(&order.fee))
    .bind(order.note.as_deref())
    .bind(order.customer.map(TgUserId::get))
    .bind(actor.map(TgUserId::get))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let id = OrderId::new(id);
    for (position, line) in (1..).zip(&order.lines) {
        insert_line(conn, id, position, line).await?;
    }
    let status = OrderStatus::Processing.as_str();
    record(conn, id, actor, now, Event::status(None, status)).await?;
    Ok((id, number))
}

/// The session's next order number, taken atomically (the row lock
/// serializes concurrent takers; UNIQUE(session_id, number) backs it up).
async fn take_number(conn: &mut AnyConnection, session: SessionId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "UPDATE sessions SET next_number = next_number + 1 WHERE id = $1 \
         RETURNING next_number - 1",
    )
    .bind(session.get())
    .fetch_one(conn)
    .await?)
}

/// Edits one field of the order.
pub async fn update(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    change: OrderChange,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    let mut sp = conn.begin().await?;
    let done = update_inner(&mut sp, id, version, change, actor, now).await;
    settle(sp, done).await
}

/// A value for one column: text or integer, either possibly NULL.
enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

async fn update_inner(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    change: OrderChange,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    bump(conn, id, version, now).await?;
    let o = head(conn, id).await?;
    let fee_text = |fee: Fee| match fee {
        Fee::Auto => "auto".to_owned(),
        Fee::Manual(m) => money_text(m),
    };
    let (column, field, old, new, value) = match change {
        OrderChange::ClientName(s) => {
            let new = Some(s);
            let old = Some(o.client_name);
            (
                "client_name",
                HistoryField::ClientName,
                old,
                new.clone(),
                Value::Text(new),
            )
        }
        OrderChange::Phone(p) => (
            "phone",
            HistoryField::Phone,
            o.phone,
            p.clone(),
            Value::Text(p),
        ),
        OrderChange::Delivery(b) => {
            let (old, new) = (Some(yes_no(o.delivery)), Some(yes_no(b)));
            (
                "delivery",
                HistoryField::Delivery,
                old,
                new,
                Value::Int(Some(flag(b))),
            )
        }
        OrderChange::Address(a) => (
            "address",
            HistoryField::Address,
            o.address,
            a.clone(),
            Value::Text(a),
        ),
        OrderChange::IssueDate(d) => {
            let (old, new) = (o.issue_date.map(date_text), d.map(date_text));
            (
                "issue_date",
                HistoryField::IssueDate,
                old,
                new.clone(),
                Value::Text(new),
            )
        }
        OrderChange::IssueTime(t) => {
            let (old, new) = (o.issue_time.map(time_text), t.map(time_text));
            (
                "issue_time",
                HistoryField::IssueTime,
                old,
                new.clone(),
                Value::Text(new),
            )
        }
        OrderChange::Discount(p) => {
            let (old, new) = (Some(o.discount.to_string()), Some(p.to_string()));
            let value = Value::Int(Some(p.basis_points()));
            ("discount_bp", HistoryField::Discount, old, new, value)
        }
        OrderChange::Fee(f) => {
            let value = Value::Int(fee_manual(&f));
            let (old, new) = (Some(fee_text(o.fee)), Some(fee_text(f)));
            ("fee_manual_minor", HistoryField::Fee, old, new, value)
        }
        OrderChange::Note(n) => (
            "note",
            HistoryField::Note,
            o.note,
            n.clone(),
            Value::Text(n),
        ),
    };
    let sql = format!("UPDATE orders SET {column} = $2 WHERE id = $1");
    let query = sqlx::query(&sql).bind(id.get());
    let query = match value {
        Value::Text(v) => query.bind(v),
        Value::Int(v) => query.bind(v),
    };
    query.execute(&mut *conn).await?;
    record(conn, id, actor, now, Event::field(field, old, new)).await
}

/// Moves the order to another session, where it takes that session's next
/// number; returns the number. Moving to its own session keeps the number.
pub async fn move_to_session(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    session: SessionId,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<i64> {
    let mut sp = conn.begin().await?;
    let done = async {
        bump(&mut sp, id, version, now).await?;
        let o = head(&mut sp, id).await?;
        if o.session_id == session {
            return Ok(o.number);
        }
        let number = take_number(&mut sp, session).await?;
        sqlx::query("UPDATE orders SET session_id = $2, number = $3 WHERE id = $1")
            .bind(id.get())
            .bind(session.get())
            .bind(number)
            .execute(&mut *sp)
            .await?;
        let place = |s: SessionId, n: i64| Some(format!("session {s}, #{n}"));
        let event = Event::field(
            HistoryField::Session,
            place(o.session_id, o.number),
            place(session, number),
        );
        record(&mut sp, id, actor, now, event).await?;
        Ok(number)
    }
    .await;
    settle(sp, done).await
}

/// Deletes the order with its lines and history.
pub async fn delete(conn: &mut AnyConnection, id: OrderId, version: i64) -> Result<()> {
    let mut sp = conn.begin().await?;
    let done = async {
        let deleted = sqlx::query("DELETE FROM orders WHERE id = $1 AND version = $2")
            .bind(id.get())
            .bind(version)
            .execute(&mut *sp)
            .await?;
        if deleted.rows_affected() == 1 {
            Ok(())
        } else {
            Err(missing_or_conflict(&mut sp, id).await)
        }
    }
    .await;
    settle(sp, done).await
}
