//! The durable outbox: calls to make, queued in the same transaction as the
//! change that caused them, sent per chat in order, retried while their
//! failures are transient (until their deadline), and finished with a final
//! status — sent, superseded by a newer call, failed for good, or expired.

use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{Channel, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: Channel,
    pub chat_id: i64,
    pub kind: String,
    pub payload: String,
    /// Fixed when queued; a retry sends the same one (VK deduplicates by it).
    pub random_id: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub deadline_at: i64,
    pub created_at: i64,
}

/// A call to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCall {
    pub channel: Channel,
    pub chat_id: i64,
    pub kind: String,
    pub payload: String,
    /// Unique per intended effect: queuing the same key twice queues once.
    pub idempotency_key: String,
    pub random_id: i64,
    /// The stored file it sends (`files`), if any.
    pub file_id: Option<i64>,
}

const COLUMNS: &str = "id, channel, chat_id, kind, payload, random_id, attempts, next_attempt_at, \
                       deadline_at, created_at";

fn from_row(r: &AnyRow) -> Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.try_get("id")?,
        channel: Channel::parse(&r.try_get::<String, _>("channel")?)?,
        chat_id: r.try_get("chat_id")?,
        kind: r.try_get("kind")?,
        payload: r.try_get("payload")?,
        random_id: r.try_get("random_id")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        deadline_at: r.try_get("deadline_at")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Queues calls due now, to be given up at `deadline`; returns each call's
/// row, or `None` where its key was queued before (it is not queued again).
/// The calls of one reply go in one statement.
pub async fn enqueue(
    conn: &mut AnyConnection,
    calls: &[NewCall],
    now: i64,
    deadline: i64,
) -> Result<Vec<Option<OutboxRow>>> {
    let mut added = Vec::with_capacity(calls.len());
    for chunk in calls.chunks(16) {
        let values: Vec<String> = (0..chunk.len())
            .map(|n| {
                let b = n * 7;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, $1, $2, $1)",
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO outbox (channel, chat_id, kind, payload, idempotency_key, random_id, \
             file_id, next_attempt_at, deadline_at, created_at) VALUES {} \
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(now).bind(deadline);
        for c in chunk {
            q = q
                .bind(c.channel.as_str())
                .bind(c.chat_id)
                .bind(&c.kind)
                .bind(&c.payload)
                .bind(&c.idempotency_key)
                .bind(c.random_id)
                .bind(c.file_id);
        }
        let rows = q.fetch_all(&mut *conn).await?;
        let mut ids = std::collections::HashMap::new();
        for r in &rows {
            ids.insert(
                r.try_get::<String, _>("idempotency_key")?,
                r.try_get::<i64, _>("id")?,
            );
        }
        added.extend(chunk.iter().map(|c| {
            ids.get(&c.idempotency_key).map(|id| OutboxRow {
                id: *id,
                channel: c.channel,
                chat_id: c.chat_id,
                kind: c.kind.clone(),
                payload: c.payload.clone(),
                random_id: c.random_id,
                attempts: 0,
                next_attempt_at: now,
                deadline_at: deadline,
                created_at: now,
            })
        }));
    }
    Ok(added)
}

/// Waiting calls of a channel, oldest first, from `after` on (by id): what
/// a sender picks up after a restart or that it has not seen.
pub async fn pending(
    conn: &mut AnyConnection,
    channel: Channel,
    after: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE status = 'pending' AND channel = $1 AND id > $2 \
         ORDER BY id LIMIT $3"
    ))
    .bind(channel.as_str())
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The waiting calls of one chat, oldest first.
pub async fn pending_for_chat(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE status = 'pending' AND channel = $1 AND chat_id = $2 \
         ORDER BY id LIMIT $3"
    ))
    .bind(channel.as_str())
    .bind(chat_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Final outcome of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Sent,
    /// A later call made this one pointless (e.g. a newer edit of the same message).
    Superseded,
    /// Refused for good (a bad request, a chat that cannot be written to).
    Failed,
    /// Still failing when its deadline came.
    Expired,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Superseded => "superseded",
            Outcome::Failed => "failed",
            Outcome::Expired => "expired",
        }
    }
}

/// A call's final outcome, to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    pub id: i64,
    pub outcome: Outcome,
    /// The result (a message id) of a sent call, or the error of a failed one.
    pub detail: Option<String>,
}

/// Records final outcomes. Calls that finished the same way without a
/// detail are recorded by one statement per chunk.
pub async fn finish(conn: &mut AnyConnection, done: &[Finished], now: i64) -> Result<()> {
    for outcome in [
        Outcome::Sent,
        Outcome::Superseded,
        Outcome::Failed,
        Outcome::Expired,
    ] {
        let plain: Vec<i64> = done
            .iter()
            .filter(|f| f.outcome == outcome && f.detail.is_none())
            .map(|f| f.id)
            .collect();
        for chunk in plain.chunks(CHUNK) {
            finish_plain(conn, chunk, outcome, now).await?;
        }
    }
    for f in done.iter().filter(|f| f.detail.is_some()) {
        sqlx::query(
            "UPDATE outbox SET status = $2, attempts = attempts + 1, finished_at = $3, \
             result = CASE WHEN $2 = 'sent' THEN $4 ELSE result END, \
             last_error = CASE WHEN $2 = 'sent' THEN last_error ELSE $4 END \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(f.id)
        .bind(f.outcome.as_str())
        .bind(now)
        .bind(f.detail.as_deref())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Rows per `IN (…)` list: lists are padded to a few fixed sizes so the
/// statements stay few and prepared.
const CHUNK: usize = 32;

async fn finish_plain(
    conn: &mut AnyConnection,
    ids: &[i64],
    outcome: Outcome,
    now: i64,
) -> Result<()> {
    let size = [1, 4, 8, 16, CHUNK]
        .into_iter()
        .find(|s| *s >= ids.len())
        .unwrap_or(CHUNK);
    let list: Vec<String> = (0..size).map(|n| format!("${}", n + 3)).collect();
    let sql = format!(
        "UPDATE outbox SET status = $1, attempts = attempts + 1, finished_at = $2 \
         WHERE status = 'pending' AND id IN ({})",
        list.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(outcome.as_str()).bind(now);
    let last = ids.last().copied().unwrap_or(0);
    for n in 0..size {
        q = q.bind(ids.get(n).copied().unwrap_or(last));
    }
    q.execute(conn).await?;
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

/// A call that could not be delivered, for owners to see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadLetter {
    pub id: i64,
    pub channel: Channel,
    pub chat_id: i64,
    pub kind: String,
    pub status: String,
    pub error: Option<String>,
    pub attempts: i64,
    pub created_at: i64,
    pub finished_at: i64,
}

/// Calls that failed for good or expired, newest first.
pub async fn dead_letters(conn: &mut AnyConnection, limit: i64) -> Result<Vec<DeadLetter>> {
    let rows = sqlx::query(
        "SELECT id, channel, chat_id, kind, status, last_error, attempts, created_at, finished_at \
         FROM outbox WHERE status IN ('failed', 'expired') ORDER BY finished_at DESC, id DESC \
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DeadLetter {
                id: r.try_get("id")?,
                channel: Channel::parse(&r.try_get::<String, _>("channel")?)?,
                chat_id: r.try_get("chat_id")?,
                kind: r.try_get("kind")?,
                status: r.try_get("status")?,
                error: r.try_get("last_error")?,
                attempts: r.try_get("attempts")?,
                created_at: r.try_get("created_at")?,
                finished_at: r.try_get::<Option<i64>, _>("finished_at")?.unwrap_or(0),
            })
        })
        .collect()
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

/// When the oldest waiting call was queued (unix ms), if any waits.
pub async fn oldest_pending(conn: &mut AnyConnection) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT MIN(created_at) FROM outbox WHERE status = 'pending'")
            .fetch_one(conn)
            .await?,
    )
}

/// Rows of any status.
pub async fn total(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(conn)
        .await?)
}
