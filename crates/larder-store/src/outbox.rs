//! The durable outbox: API calls to make, queued in the same transaction as
//! the change that caused them, sent per chat in order, retried with backoff,
//! and finished with a final status (never retried forever).

use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{Channel, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: Channel,
    pub chat_id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
}

/// A call to queue.
#[derive(Clone, Debug)]
pub struct NewCall {
    pub channel: Channel,
    pub chat_id: i64,
    pub kind: String,
    pub payload: String,
    /// Unique per intended effect: queuing the same key twice queues once.
    pub idempotency_key: String,
}

/// Queues calls; returns how many were new.
pub async fn enqueue(conn: &mut AnyConnection, calls: &[NewCall], now: i64) -> Result<u64> {
    let mut added = 0;
    for c in calls {
        let done = sqlx::query(
            "INSERT INTO outbox (channel, chat_id, kind, payload, idempotency_key, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(c.channel.as_str())
        .bind(c.chat_id)
        .bind(&c.kind)
        .bind(&c.payload)
        .bind(&c.idempotency_key)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        added += done.rows_affected();
    }
    Ok(added)
}

fn from_row(r: &AnyRow) -> Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.try_get("id")?,
        channel: Channel::parse(&r.try_get::<String, _>("channel")?)?,
        chat_id: r.try_get("chat_id")?,
        kind: r.try_get("kind")?,
        payload: r.try_get("payload")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
    })
}

/// Chats that have calls waiting, with the earliest time one is due.
pub async fn busy_chats(conn: &mut AnyConnection) -> Result<Vec<(Channel, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT channel, chat_id, MIN(next_attempt_at) AS due FROM outbox \
         WHERE status = 'pending' GROUP BY channel, chat_id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                Channel::parse(&r.try_get::<String, _>("channel")?)?,
                r.try_get("chat_id")?,
                r.try_get("due")?,
            ))
        })
        .collect()
}

/// The waiting calls of one chat, oldest first.
pub async fn pending_for_chat(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let rows = sqlx::query(
        "SELECT id, channel, chat_id, kind, payload, attempts, next_attempt_at FROM outbox \
         WHERE status = 'pending' AND channel = $1 AND chat_id = $2 ORDER BY id LIMIT $3",
    )
    .bind(channel.as_str())
    .bind(chat_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Final outcome of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// A later call made this one pointless (e.g. a newer edit of the same message).
    Superseded,
    /// Given up: the error is permanent or attempts ran out.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Superseded => "superseded",
            Outcome::Failed => "failed",
        }
    }
}

pub async fn finish(
    conn: &mut AnyConnection,
    id: i64,
    outcome: Outcome,
    detail: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = $2, attempts = attempts + 1, finished_at = $3, \
         result = CASE WHEN $2 = 'sent' THEN $4 ELSE result END, \
         last_error = CASE WHEN $2 = 'sent' THEN last_error ELSE $4 END \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(outcome.as_str())
    .bind(now)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a call back for a later attempt.
pub async fn retry_later(conn: &mut AnyConnection, id: i64, at: i64, error: &str) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(at)
    .bind(error)
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts by status, for metrics and tests.
pub async fn count(conn: &mut AnyConnection, status: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = $1")
            .bind(status)
            .fetch_one(conn)
            .await?,
    )
}

/// The chat became another (a group upgraded to a supergroup): its waiting
/// calls go to the new chat. Returns how many moved.
pub async fn move_chat(
    conn: &mut AnyConnection,
    channel: Channel,
    from: i64,
    to: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE outbox SET chat_id = $3 WHERE channel = $1 AND chat_id = $2 AND status = 'pending'",
    )
    .bind(channel.as_str())
    .bind(from)
    .bind(to)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Gives up every waiting call to a chat that cannot be reached.
pub async fn drop_chat(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: i64,
    why: &str,
    now: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'failed', last_error = $3, finished_at = $4 \
         WHERE channel = $1 AND chat_id = $2 AND status = 'pending'",
    )
    .bind(channel.as_str())
    .bind(chat_id)
    .bind(why)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
