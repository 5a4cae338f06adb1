//! Schema migrations: one SQL file per version and backend, with parallel
//! names under `migrations/sqlite` and `migrations/postgres`, embedded in the
//! binary and applied in order, each in its own transaction.

use sqlx::Executor;

use crate::{Backend, Result, Store, StoreError};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_orders"),
    migration!(3, "0003_packing_rates"),
    migration!(4, "0004_catalog"),
    migration!(5, "0005_customers"),
    migration!(6, "0006_shop"),
    migration!(7, "0007_card_shown"),
    migration!(8, "0008_links"),
    migration!(9, "0009_runtime"),
    migration!(10, "0010_instances"),
    migration!(11, "0011_lifecycle"),
    migration!(12, "0012_cancel_reason"),
    migration!(13, "0013_code_attempts"),
    migration!(14, "0014_vk_conversation_ids"),
    migration!(15, "0015_outlets"),
];

pub(crate) async fn run(store: &Store, last: i64, now: i64) -> Result<Vec<i64>> {
    {
        let mut conn = store.conn().await?;
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (\
             version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .await?;
    }
    let mut applied = Vec::new();
    let sqlite = store.backend() == Backend::Sqlite;
    for m in MIGRATIONS.iter().take_while(|m| m.version <= last) {
        let mut conn = store.conn().await?;
        // SQLite rebuilds a table to change its constraints; that needs
        // foreign keys off (they are checked before committing instead).
        if sqlite {
            conn.execute("PRAGMA foreign_keys = OFF").await?;
        }
        let done = apply(&mut conn, store.backend(), m, now).await;
        if sqlite {
            conn.execute("PRAGMA foreign_keys = ON").await?;
        }
        if done? {
            applied.push(m.version);
        }
    }
    Ok(applied)
}

/// Applies one migration unless it was applied before; `true` if it ran now.
async fn apply(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    m: &Migration,
    now: i64,
) -> Result<bool> {
    let mut tx = match backend {
        Backend::Sqlite => sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?,
        Backend::Postgres => sqlx::Connection::begin(&mut *conn).await?,
    };
    if backend == Backend::Postgres {
        // Several instances starting at once apply each migration once.
        tx.execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
            .await?;
    }
    let done: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(m.version)
            .fetch_optional(&mut *tx)
            .await?;
    if done.is_some() {
        return Ok(false);
    }
    let sql = match backend {
        Backend::Sqlite => m.sqlite,
        Backend::Postgres => m.postgres,
    };
    tx.execute(sqlx::raw_sql(sql))
        .await
        .map_err(|source| StoreError::Migration {
            version: m.version,
            source,
        })?;
    if backend == Backend::Sqlite {
        let broken = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&mut *tx)
            .await?;
        if !broken.is_empty() {
            return Err(StoreError::Corrupt(format!(
                "migration {} leaves {} rows with broken references",
                m.version,
                broken.len()
            )));
        }
    }
    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
        .bind(m.version)
        .bind(m.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
