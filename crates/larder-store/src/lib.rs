//! Durable storage for larder: one SQL dialect (`$n` placeholders) over sqlx's
//! `AnyPool`, so SQLite (the embedded default) and PostgreSQL run the same
//! queries. Every write that belongs to one user action goes through a
//! [`Tx`]; on SQLite it starts with `BEGIN IMMEDIATE` so concurrent writers
//! queue on the database lock instead of failing half-way with `SQLITE_BUSY`.
//!
//! Query modules take `&mut AnyConnection`, which both a pooled connection and
//! an open transaction deref to, so reads and writes share one code path.

pub mod attempts;
pub mod categories;
pub mod chat_state;
mod codec;
pub mod coord;
pub mod customers;
pub mod erasure;
mod error;
pub mod files;
pub mod groups;
pub mod inbox;
pub mod invites;
mod migrate;
pub mod orders;
pub mod outbox;
pub mod outlets;
pub mod products;
pub mod retention;
pub mod reviews;
mod savepoint;
pub mod sessions;
pub mod settings;
pub mod shop;
pub mod staff;

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub use error::StoreError;
pub use migrate::{MIGRATIONS, Migration};
pub use sqlx::AnyConnection;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, ConnectOptions, Connection, Executor};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database engine a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The messaging channel a chat, update or outgoing call belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Telegram,
    Vk,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Telegram => "telegram",
            Channel::Vk => "vk",
        }
    }

    pub fn parse(s: &str) -> Result<Channel> {
        match s {
            "telegram" => Ok(Channel::Telegram),
            "vk" => Ok(Channel::Vk),
            other => Err(StoreError::Corrupt(format!("unknown channel {other:?}"))),
        }
    }
}

/// A connection pool plus the backend it speaks to.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Where it connects (for PostgreSQL's notifications, which need a
    /// connection of their own).
    url: Arc<str>,
    counts: Arc<Counts>,
    /// SQLite has one writer at a time: writers of this process take turns
    /// here, first come first served, instead of retrying the file lock
    /// with SQLite's growing sleeps.
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for Store {
    /// Never the URL: it may carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// How often the store was used, for benchmarks and metrics.
#[derive(Debug, Default)]
struct Counts {
    transactions: AtomicU64,
    connections: AtomicU64,
}

/// What the store has done since it was opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Write transactions begun ([`Store::begin`]).
    pub transactions: u64,
    /// Connections taken for reads outside a transaction ([`Store::conn`]);
    /// each runs one or more autocommitted statements.
    pub connections: u64,
}

/// One unit of work: domain rows, UI state, outgoing messages and the inbox
/// row are committed together or not at all. Dropping it rolls back.
pub struct Tx {
    inner: sqlx::Transaction<'static, Any>,
    /// On SQLite, this process's turn to write (see [`Store::begin`]).
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await.map_err(StoreError::from)
    }
}

/// The file of a `sqlite://` URL (`None` for PostgreSQL or in memory).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
}

/// How every SQLite connection is set up.
/// A file opened read-only (a backup being checked) is left as it is.
const SQLITE_READ_ONLY_SETUP: &str = "PRAGMA busy_timeout = 10000;";
const SQLITE_SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                            PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

impl Store {
    /// Connects to `sqlite://path` (created if missing) or `postgres://…`.
    /// Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store> {
        let backend = Backend::from_url(url)?;
        sqlx::any::install_default_drivers();
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(StoreError::from)?;
        let setup = if url.contains("mode=ro") {
            SQLITE_READ_ONLY_SETUP
        } else {
            SQLITE_SETUP
        };
        // One direct connection first, so an unreachable database (or a file
        // that is not one) is reported at once with its cause rather than as
        // a pool timeout.
        let mut first = options.connect().await?;
        if backend == Backend::Sqlite {
            first.execute(sqlx::raw_sql(setup)).await?;
            first.execute("SELECT count(*) FROM sqlite_master").await?;
        }
        first.close().await?;
        let pool_options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(sqlx::raw_sql(setup)).await?;
                    }
                    Ok(())
                })
            });
        let pool = pool_options.connect_with(options).await?;
        Ok(Store {
            pool,
            backend,
            url: Arc::from(url.as_str()),
            counts: Arc::default(),
            writer: Arc::default(),
        })
    }

    /// Counts of transactions and connections since the store was opened.
    pub fn stats(&self) -> StoreStats {
        StoreStats {
            transactions: self.counts.transactions.load(Ordering::Relaxed),
            connections: self.counts.connections.load(Ordering::Relaxed),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies every migration not yet applied, recording `now` (unix ms)
    /// as when; returns the versions applied now.
    pub async fn migrate(&self, now: i64) -> Result<Vec<i64>> {
        migrate::run(self, i64::MAX, now).await
    }

    /// Writes a consistent copy of the SQLite database to `path` (which
    /// must not exist), while others go on reading and writing.
    pub async fn vacuum_into(&self, path: &std::path::Path) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string_lossy().into_owned())
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Moves everything in SQLite's write-ahead log into the main file.
    pub async fn checkpoint(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// SQLite's own check of the file (`"ok"` when whole), and whether it
    /// holds larder's migrations table.
    pub async fn integrity(&self) -> Result<(String, bool)> {
        let mut conn = self.pool.acquire().await?;
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut *conn)
            .await?;
        let ours: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok((ok, ours > 0))
    }

    /// Drops every table of the database's current schema (PostgreSQL;
    /// before a restore puts the backup's in their place).
    pub async fn drop_all_tables(&self) -> Result<()> {
        if self.backend != Backend::Postgres {
            return Err(StoreError::UnsupportedUrl);
        }
        let mut tx = self.begin().await?;
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = current_schema()",
        )
        .fetch_all(&mut *tx)
        .await?;
        for t in tables {
            sqlx::query(&format!("DROP TABLE IF EXISTS \"{t}\" CASCADE"))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Applies the migrations up to version `last` only (for upgrade tests).
    pub async fn migrate_to(&self, last: i64, now: i64) -> Result<Vec<i64>> {
        migrate::run(self, last, now).await
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite).
    pub async fn begin(&self) -> Result<Tx> {
        self.counts.transactions.fetch_add(1, Ordering::Relaxed);
        let (inner, turn) = match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                (self.pool.begin_with("BEGIN IMMEDIATE").await?, Some(turn))
            }
            Backend::Postgres => (self.pool.begin().await?, None),
        };
        Ok(Tx { inner, _turn: turn })
    }

    /// A pooled connection for reads outside a transaction.
    pub async fn conn(&self) -> Result<PoolConnection<Any>> {
        self.counts.connections.fetch_add(1, Ordering::Relaxed);
        Ok(self.pool.acquire().await?)
    }

    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.conn().await?;
        sqlx::query("SELECT 1").execute(&mut *conn).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// The database's size on disk, bytes (PostgreSQL).
pub async fn database_size(conn: &mut AnyConnection) -> Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// PostgreSQL's own count of committed transactions in this database (for
/// benchmarks: every transaction, read-only autocommits included).
pub async fn database_commits(conn: &mut AnyConnection) -> Result<u64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
    )
    .fetch_one(conn)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}
