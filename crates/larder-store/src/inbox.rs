//! The durable inbox: every update received from a messenger is stored here
//! before its receipt is confirmed (or handled in the same transaction that
//! stores it), and marked done in the transaction that applies its effects.
//!
//! Updates are keyed by their identity — the messenger's update id together
//! with what the update is (a message's chat and number, a press's id) — so
//! an update delivered twice is stored once, while an update id the
//! messenger hands out again later (Telegram picks ids anew after a quiet
//! week or for a new token) is still new. The payload is kept as received.

use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{Channel, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxRow {
    pub id: i64,
    pub channel: Channel,
    pub update_id: Option<i64>,
    pub identity: i64,
    pub chat_id: Option<i64>,
    pub payload: String,
    pub attempts: i64,
}

/// A received update, before storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// The messenger's own id (informational: it may repeat).
    pub update_id: Option<i64>,
    /// What makes the update unique: see [`identity`].
    pub identity: i64,
    pub chat_id: Option<i64>,
    /// The update exactly as received.
    pub payload: String,
}

/// A stable 63-bit identity from the parts that make an update what it is
/// (FNV-1a over each part, separated).
pub fn identity(parts: &[&str]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    i64::try_from(hash >> 1).unwrap_or(i64::MAX)
}

const COLUMNS: &str = "id, channel, update_id, identity, chat_id, payload, attempts";

fn from_row(r: &AnyRow) -> Result<InboxRow> {
    Ok(InboxRow {
        id: r.try_get("id")?,
        channel: Channel::parse(&r.try_get::<String, _>("channel")?)?,
        update_id: r.try_get("update_id")?,
        identity: r.try_get("identity")?,
        chat_id: r.try_get("chat_id")?,
        payload: r.try_get("payload")?,
        attempts: r.try_get("attempts")?,
    })
}

/// Stores updates not seen before; returns the rows that are new (an update
/// delivered again is ignored by its identity).
pub async fn insert(
    conn: &mut AnyConnection,
    channel: Channel,
    updates: &[Incoming],
    now: i64,
) -> Result<Vec<InboxRow>> {
    let mut fresh = Vec::new();
    for u in updates {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO inbox (channel, update_id, identity, chat_id, payload, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, identity) DO NOTHING RETURNING id",
        )
        .bind(channel.as_str())
        .bind(u.update_id)
        .bind(u.identity)
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
                identity: u.identity,
                chat_id: u.chat_id,
                payload: u.payload.clone(),
                attempts: 0,
            });
        }
    }
    Ok(fresh)
}

/// Claims an update for handling inside the caller's transaction: stores it
/// as done if it is new, or marks its stored row done if that was pending.
/// Returns the row's id, or `None` if it was handled (or parked) before — the
/// caller must then not commit any effects.
pub async fn claim(
    conn: &mut AnyConnection,
    channel: Channel,
    update: &Incoming,
    now: i64,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO inbox (channel, update_id, identity, chat_id, payload, status, attempts, \
         received_at, handled_at) VALUES ($1, $2, $3, $4, $5, 'done', 1, $6, $6) \
         ON CONFLICT (channel, identity) DO UPDATE SET status = 'done', \
         attempts = inbox.attempts + 1, handled_at = excluded.handled_at \
         WHERE inbox.status = 'pending' RETURNING id",
    )
    .bind(channel.as_str())
    .bind(update.update_id)
    .bind(update.identity)
    .bind(update.chat_id)
    .bind(&update.payload)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Pending updates of a channel in arrival order (after a restart: the ones
/// not yet handled).
pub async fn pending(
    conn: &mut AnyConnection,
    channel: Channel,
    limit: i64,
) -> Result<Vec<InboxRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM inbox WHERE status = 'pending' AND channel = $1 \
         ORDER BY id LIMIT $2"
    ))
    .bind(channel.as_str())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The oldest update of a chat still waiting, stored before `before` (by
/// id): it must be handled first, whichever instance stored it.
pub async fn older_pending(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: Option<i64>,
    before: i64,
) -> Result<Option<InboxRow>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM inbox WHERE status = 'pending' AND channel = $1 \
         AND chat_id = $2 AND id < $3 ORDER BY id LIMIT 1"
    ))
    .bind(channel.as_str())
    .bind(chat_id.unwrap_or(0))
    .bind(before)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Waiting updates received before `received_before` (unix ms): left by an
/// instance that stopped before handling them.
pub async fn stale(
    conn: &mut AnyConnection,
    channel: Channel,
    received_before: i64,
    limit: i64,
) -> Result<Vec<InboxRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM inbox WHERE status = 'pending' AND channel = $1 \
         AND received_at < $2 ORDER BY id LIMIT $3"
    ))
    .bind(channel.as_str())
    .bind(received_before)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
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

/// Parks an update that cannot be handled (forged, about something gone):
/// it is never retried. Stores it first if it was not stored yet.
pub async fn park(
    conn: &mut AnyConnection,
    channel: Channel,
    update: &Incoming,
    error: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox (channel, update_id, identity, chat_id, payload, status, attempts, \
         error, received_at, handled_at) VALUES ($1, $2, $3, $4, $5, 'failed', 1, $6, $7, $7) \
         ON CONFLICT (channel, identity) DO UPDATE SET status = 'failed', \
         attempts = inbox.attempts + 1, error = excluded.error, handled_at = excluded.handled_at \
         WHERE inbox.status = 'pending'",
    )
    .bind(channel.as_str())
    .bind(update.update_id)
    .bind(update.identity)
    .bind(update.chat_id)
    .bind(&update.payload)
    .bind(error)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The status of the newest update with this messenger id (`pending`,
/// `done`, `failed`), if stored.
pub async fn status(
    conn: &mut AnyConnection,
    channel: Channel,
    update_id: i64,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT status FROM inbox WHERE channel = $1 AND update_id = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(channel.as_str())
    .bind(update_id)
    .fetch_optional(conn)
    .await?)
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

/// Rows of any status.
pub async fn total(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM inbox")
        .fetch_one(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_differ_by_every_part_and_its_boundaries() {
        let a = identity(&["100", "m", "5:7"]);
        assert_eq!(a, identity(&["100", "m", "5:7"]));
        assert_ne!(a, identity(&["101", "m", "5:7"]));
        assert_ne!(a, identity(&["100", "m", "5:8"]));
        assert_ne!(identity(&["1", "23"]), identity(&["12", "3"]));
        assert!(a >= 0);
    }
}
