//! The durable inbox: every update received from a messenger is stored here
//! (once, by its channel and update id) before its receipt is confirmed, and
//! marked done in the same transaction that applies its effects.

use sqlx::{AnyConnection, Row};

use crate::{Channel, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxRow {
    pub id: i64,
    pub channel: Channel,
    pub update_id: i64,
    pub chat_id: Option<i64>,
    pub payload: String,
    pub attempts: i64,
}

/// A received update, before storage.
#[derive(Clone, Debug)]
pub struct Incoming {
    pub update_id: i64,
    pub chat_id: Option<i64>,
    pub payload: String,
}

/// Stores updates not seen before; returns the rows that are new (a
/// re-delivered update is ignored by the unique key).
pub async fn insert(
    conn: &mut AnyConnection,
    channel: Channel,
    updates: &[Incoming],
    now: i64,
) -> Result<Vec<InboxRow>> {
    let mut fresh = Vec::new();
    for u in updates {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO inbox (channel, update_id, chat_id, payload, received_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, update_id) DO NOTHING RETURNING id",
        )
        .bind(channel.as_str())
        .bind(u.update_id)
        .bind(u.chat_id)
        .bind(&u.payload)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(id) = id {
            fresh.push(InboxRow {
                id,
                channel,
                update_id: u.update_id,
                chat_id: u.chat_id,
                payload: u.payload.clone(),
                attempts: 0,
            });
        }
    }
    Ok(fresh)
}

/// Pending updates in arrival order (after a restart: the ones not yet handled).
pub async fn pending(
    conn: &mut AnyConnection,
    channel: Channel,
    limit: i64,
) -> Result<Vec<InboxRow>> {
    let rows = sqlx::query(
        "SELECT id, channel, update_id, chat_id, payload, attempts FROM inbox \
         WHERE status = 'pending' AND channel = $2 ORDER BY id LIMIT $1",
    )
    .bind(limit)
    .bind(channel.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(InboxRow {
                id: r.try_get("id")?,
                channel: Channel::parse(&r.try_get::<String, _>("channel")?)?,
                update_id: r.try_get("update_id")?,
                chat_id: r.try_get("chat_id")?,
                payload: r.try_get("payload")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect()
}

/// Marks a row handled; false if it was already handled (by another worker
/// or an earlier run), so the caller must not commit its effects.
pub async fn mark_done(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE inbox SET status = 'done', handled_at = $2, attempts = attempts + 1 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed attempt; after `max_attempts` the row is parked as failed.
pub async fn record_failure(
    conn: &mut AnyConnection,
    id: i64,
    error: &str,
    max_attempts: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE inbox SET attempts = attempts + 1, error = $2, \
         status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END, \
         handled_at = CASE WHEN attempts + 1 >= $3 THEN $4 ELSE handled_at END \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(error)
    .bind(max_attempts)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The highest update id stored for a channel (to confirm receipt after a restart).
pub async fn max_update_id(conn: &mut AnyConnection, channel: Channel) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT MAX(update_id) FROM inbox WHERE channel = $1")
            .bind(channel.as_str())
            .fetch_one(conn)
            .await?,
    )
}

/// The status of one update (`pending`, `done`, `failed`), if stored.
pub async fn status(
    conn: &mut AnyConnection,
    channel: Channel,
    update_id: i64,
) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT status FROM inbox WHERE channel = $1 AND update_id = $2")
            .bind(channel.as_str())
            .bind(update_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Counts by status, for metrics and tests.
pub async fn count(conn: &mut AnyConnection, status: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM inbox WHERE status = $1")
            .bind(status)
            .fetch_one(conn)
            .await?,
    )
}
