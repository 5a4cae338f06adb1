//! Pruning: handled updates and finished calls older than the retention
//! age are deleted, a small batch per transaction so handling never waits
//! long; files of finished calls are let go of at once.

use sqlx::{AnyConnection, Row};

use crate::Result;

/// Deletes the files of up to `limit` finished calls; returns how many.
pub async fn release_files(conn: &mut AnyConnection, limit: i64) -> Result<u64> {
    let rows = sqlx::query(
        "SELECT id, file_id FROM outbox WHERE file_id IS NOT NULL AND status <> 'pending' \
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut released = 0;
    for r in &rows {
        let (id, file): (i64, i64) = (r.try_get("id")?, r.try_get("file_id")?);
        sqlx::query("DELETE FROM files WHERE id = $1")
            .bind(file)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE outbox SET file_id = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        released += 1;
    }
    Ok(released)
}

/// Deletes up to `limit` handled (or parked) updates received before
/// `before` (unix ms); returns how many.
pub async fn prune_inbox(conn: &mut AnyConnection, before: i64, limit: i64) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM inbox WHERE id IN (SELECT id FROM inbox WHERE received_at < $1 \
         AND status <> 'pending' ORDER BY received_at LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes up to `limit` finished calls queued before `before` (unix ms),
/// with their files; returns how many.
pub async fn prune_outbox(conn: &mut AnyConnection, before: i64, limit: i64) -> Result<u64> {
    sqlx::query(
        "DELETE FROM files WHERE id IN (SELECT file_id FROM outbox WHERE file_id IS NOT NULL \
         AND created_at < $1 AND status <> 'pending')",
    )
    .bind(before)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE created_at < $1 \
         AND status <> 'pending' ORDER BY created_at LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
