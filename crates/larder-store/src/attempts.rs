//! Wrong codes per account: after [`MAX_FAILURES`] within [`WINDOW_MS`],
//! codes from that account are refused until the window ends, so a code
//! cannot be found by trying.

use sqlx::AnyConnection;

use crate::{Channel, Result};

/// Wrong codes allowed in one window.
pub const MAX_FAILURES: i64 = 5;
/// The window, from the first wrong code: 15 minutes.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Until when (unix ms) the account may not try a code, if it is blocked.
pub async fn blocked_until(
    conn: &mut AnyConnection,
    channel: Channel,
    user_id: i64,
    now: i64,
) -> Result<Option<i64>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT CAST(failures AS BIGINT), first_at FROM code_attempts \
         WHERE channel = $1 AND user_id = $2",
    )
    .bind(channel.as_str())
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(failures, first_at)| {
        let until = first_at + WINDOW_MS;
        (failures >= MAX_FAILURES && now < until).then_some(until)
    }))
}

/// Counts a wrong code (a new window once the last one is over).
pub async fn failed(
    conn: &mut AnyConnection,
    channel: Channel,
    user_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO code_attempts (channel, user_id, failures, first_at) VALUES ($1, $2, 1, $3) \
         ON CONFLICT (channel, user_id) DO UPDATE SET \
         failures = CASE WHEN code_attempts.first_at + $4 <= $3 THEN 1 \
                         ELSE code_attempts.failures + 1 END, \
         first_at = CASE WHEN code_attempts.first_at + $4 <= $3 THEN $3 \
                         ELSE code_attempts.first_at END",
    )
    .bind(channel.as_str())
    .bind(user_id)
    .bind(now)
    .bind(WINDOW_MS)
    .execute(conn)
    .await?;
    Ok(())
}

/// A code worked: the count starts again.
pub async fn cleared(conn: &mut AnyConnection, channel: Channel, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM code_attempts WHERE channel = $1 AND user_id = $2")
        .bind(channel.as_str())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
