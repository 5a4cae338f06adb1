//! The audit trail of an order: who changed what, when, from what to what.
//! Values are human-readable text (dates "2026-12-25", times "14:30",
//! quantities "315 g" / "2 pcs", money in minor units "1500", percent "15%").

use larder_core::{OrderId, TgUserId};
use sqlx::{AnyConnection, Row};

use crate::Result;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: i64,
    pub actor: Option<TgUserId>,
    /// `"status"`, `"field"` or `"line"`.
    pub kind: String,
    /// For `status`: `"status"`. For `field`: the column edited
    /// (`client_name`, `phone`, `delivery`, `address`, `issue_date`,
    /// `issue_time`, `discount`, `fee`, `note`, `session`). For `line`: what
    /// happened to the line (`added`, `removed`, `ordered`, `weighed`,
    /// `packing`); its values start with the line's name (`"Brie: 315 g"`).
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One history row about to be written.
pub(crate) struct Event {
    pub kind: &'static str,
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Event {
    pub(crate) fn status(old: Option<&str>, new: &str) -> Event {
        Event {
            kind: "status",
            field: "status",
            old: old.map(str::to_owned),
            new: Some(new.to_owned()),
        }
    }

    pub(crate) fn field(field: &'static str, old: Option<String>, new: Option<String>) -> Event {
        Event {
            kind: "field",
            field,
            old,
            new,
        }
    }

    pub(crate) fn line(what: &'static str, old: Option<String>, new: Option<String>) -> Event {
        Event {
            kind: "line",
            field: what,
            old,
            new,
        }
    }
}

/// Writes `event` unless it records no change (old equals new).
/// Records a step of the shop's pipeline (`field` is `kitchen` or
/// `courier`) as a status entry of the order's history.
pub async fn record_step(
    conn: &mut AnyConnection,
    id: OrderId,
    actor: Option<TgUserId>,
    now: i64,
    field: &'static str,
    new: &str,
) -> Result<()> {
    let event = Event {
        kind: "status",
        field,
        old: None,
        new: Some(new.to_owned()),
    };
    record(conn, id, actor, now, event).await
}

pub(crate) async fn record(
    conn: &mut AnyConnection,
    id: OrderId,
    actor: Option<TgUserId>,
    now: i64,
    event: Event,
) -> Result<()> {
    if event.old == event.new {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO order_history (order_id, at, actor, kind, field, old, new) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.get())
    .bind(now)
    .bind(actor.map(TgUserId::get))
    .bind(event.kind)
    .bind(event.field)
    .bind(event.old)
    .bind(event.new)
    .execute(conn)
    .await?;
    Ok(())
}

/// The order's history, oldest first (empty for an unknown order).
pub async fn history(conn: &mut AnyConnection, id: OrderId) -> Result<Vec<HistoryEntry>> {
    let rows = sqlx::query(
        "SELECT at, actor, kind, field, old, new FROM order_history \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(id.get())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(HistoryEntry {
                at: row.try_get("at")?,
                actor: row.try_get::<Option<i64>, _>("actor")?.map(TgUserId::new),
                kind: row.try_get("kind")?,
                field: row.try_get("field")?,
                old: row.try_get("old")?,
                new: row.try_get("new")?,
            })
        })
        .collect()
}

/// The newest history entry's id (0 when there is none): orders changed
/// after this point are found with [`changed_since`].
pub async fn last_history_id(conn: &mut AnyConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM order_history")
            .fetch_one(conn)
            .await?,
    )
}

/// Orders with history entries newer than `mark`, oldest change first.
pub async fn changed_since(conn: &mut AnyConnection, mark: i64) -> Result<Vec<OrderId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT order_id FROM order_history WHERE id > $1 GROUP BY order_id ORDER BY MIN(id)",
    )
    .bind(mark)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(OrderId::new).collect())
}
