//! Files to send (exports): kept apart from the outbox rows that send them
//! and deleted once those calls are finished.

use sqlx::{AnyConnection, Row};

use crate::Result;

/// Stores a file; returns its id.
pub async fn insert(conn: &mut AnyConnection, name: &str, data: &[u8], now: i64) -> Result<i64> {
    let row =
        sqlx::query("INSERT INTO files (name, data, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(name)
            .bind(data.to_vec())
            .bind(now)
            .fetch_one(conn)
            .await?;
    Ok(row.try_get("id")?)
}

/// A stored file's name and bytes.
pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<(String, Vec<u8>)>> {
    let row = sqlx::query("SELECT name, data FROM files WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok((r.try_get("name")?, r.try_get("data")?)))
        .transpose()
}

/// Files stored now.
pub async fn count(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM files")
        .fetch_one(conn)
        .await?)
}
