//! Status changes: one order at a time, or every completed order of a
//! session at once.

use jiff::civil::Date;
use larder_core::{Money, OrderId, OrderStatus, SessionId, StatusEvent, TgUserId};
use sqlx::{AnyConnection, Connection};

use super::history::{Event, record};
use super::{bump, head, lines_of};
use crate::codec::date_text;
use crate::savepoint::settle;
use crate::{Result, StoreError, sessions};

/// Moves the order through the state machine ([`OrderStatus::apply_checked`]:
/// the same table for the desk and the shop); a move the table refuses is
/// [`StoreError::Transition`] and changes nothing. What the move writes:
/// * → processing clears `completed_at`, `issued_at`, `issued_on`,
///   `fee_fixed` and `cancelled_at`;
/// * → cancelled sets `cancelled_at = now`;
/// * → completed from processing sets `completed_at = now` and stores
///   `fee_fixed`; from issued it clears `issued_*`, keeps `completed_at` and
///   keeps `fee_fixed` unless a new one is given;
/// * → issued sets `issued_at = now` and `issued_on`, and stores `fee_fixed`
///   if given.
#[expect(clippy::too_many_arguments, reason = "the brief's signature")]
pub async fn set_status(
    conn: &mut AnyConnection,
    id: OrderId,
    version: i64,
    event: StatusEvent,
    fee_fixed: Option<Money>,
    issued_on: Option<Date>,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<OrderStatus> {
    let mut sp = conn.begin().await?;
    let done = async {
        bump(&mut sp, id, version, now).await?;
        let from = head(&mut sp, id).await?.status;
        let weighed: Vec<_> = if event == StatusEvent::Complete {
            lines_of(&mut sp, id)
                .await?
                .into_iter()
                .map(|l| l.weighed)
                .collect()
        } else {
            Vec::new()
        };
        let to = from
            .apply_checked(event, &weighed)
            .map_err(StoreError::Transition)?;
        let fee_fixed = fee_fixed.map(Money::minor);
        let query = match (from, to) {
            (_, OrderStatus::Processing) => sqlx::query(
                "UPDATE orders SET status = 'processing', completed_at = NULL, issued_at = NULL, \
                 issued_on = NULL, fee_fixed_minor = NULL, cancelled_at = NULL WHERE id = $1",
            )
            .bind(id.get()),
            (_, OrderStatus::Cancelled) => sqlx::query(
                "UPDATE orders SET status = 'cancelled', cancelled_at = $2 WHERE id = $1",
            )
            .bind(id.get())
            .bind(now),
            (OrderStatus::Issued, OrderStatus::Completed) => sqlx::query(
                "UPDATE orders SET status = 'completed', issued_at = NULL, issued_on = NULL, \
                 fee_fixed_minor = COALESCE($2, fee_fixed_minor) WHERE id = $1",
            )
            .bind(id.get())
            .bind(fee_fixed),
            (_, OrderStatus::Completed) => sqlx::query(
                "UPDATE orders SET status = 'completed', completed_at = $3, issued_at = NULL, \
                 issued_on = NULL, fee_fixed_minor = $2 WHERE id = $1",
            )
            .bind(id.get())
            .bind(fee_fixed)
            .bind(now),
            (_, OrderStatus::Issued) => sqlx::query(
                "UPDATE orders SET status = 'issued', issued_at = $3, issued_on = $4, \
                 fee_fixed_minor = COALESCE($2, fee_fixed_minor) WHERE id = $1",
            )
            .bind(id.get())
            .bind(fee_fixed)
            .bind(now)
            .bind(issued_on.map(date_text)),
        };
        query.execute(&mut *sp).await?;
        let change = Event::status(Some(from.as_str()), to.as_str());
        record(&mut sp, id, actor, now, change).await?;
        Ok(to)
    }
    .await;
    settle(sp, done).await
}

/// Issues every completed order of the session on `issued_on`; returns how
/// many. `NotFound` if the session does not exist.
pub async fn issue_completed(
    conn: &mut AnyConnection,
    session: SessionId,
    issued_on: Date,
    actor: Option<TgUserId>,
    now: i64,
) -> Result<u64> {
    let mut sp = conn.begin().await?;
    let done = async {
        sessions::get(&mut sp, session).await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE orders SET status = 'issued', issued_at = $2, issued_on = $3, \
             version = version + 1, updated_at = $2 \
             WHERE session_id = $1 AND status = 'completed' RETURNING id",
        )
        .bind(session.get())
        .bind(now)
        .bind(date_text(issued_on))
        .fetch_all(&mut *sp)
        .await?;
        let from = OrderStatus::Completed;
        let to = from
            .apply(StatusEvent::Issue)
            .map_err(StoreError::Transition)?;
        for &id in &ids {
            let event = Event::status(Some(from.as_str()), to.as_str());
            record(&mut sp, OrderId::new(id), actor, now, event).await?;
        }
        Ok(ids.len() as u64)
    }
    .await;
    settle(sp, done).await
}
