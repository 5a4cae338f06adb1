//! Several larder processes on one PostgreSQL database, coordinated by the
//! database itself:
//!
//! * **Leading a channel** (polling it, sending its messages within its
//!   budgets) is a session advisory lock held on a connection of its own:
//!   exactly one process leads; when it dies, its connection closes, the
//!   lock is released and another process takes over within seconds.
//! * **A chat's updates** are handled one at a time across processes: the
//!   handling transaction takes a transaction advisory lock on the chat.
//! * **Calls queued by a process that does not lead** their channel are
//!   announced with `NOTIFY`, so the leader sends them at once.
//!
//! On SQLite there is one process (a lock file makes sure): it always
//! leads, and nothing else is needed.

use sqlx::{AnyConnection, Connection, Executor};

use crate::{Backend, Channel, Result, Store, inbox::identity};

/// The `NOTIFY` channel of queued calls.
pub const CALLS: &str = "larder_calls";

fn key(parts: &[&str]) -> i64 {
    identity(parts)
}

/// A channel led by this process, as long as it is held.
pub struct Lead {
    /// The connection holding the lock (none on SQLite).
    conn: Option<AnyConnection>,
}

impl Lead {
    /// Whether the lead is still held (its connection still answers).
    pub async fn alive(&mut self) -> bool {
        match &mut self.conn {
            None => true,
            Some(conn) => conn.ping().await.is_ok(),
        }
    }

    /// Gives the lead up.
    pub async fn release(self) {
        if let Some(conn) = self.conn {
            let _ = conn.close().await;
        }
    }
}

impl Store {
    /// Takes the lead of `what` (e.g. a channel) if no other process holds
    /// it. On SQLite this process always leads.
    pub async fn try_lead(&self, what: &str) -> Result<Option<Lead>> {
        if self.backend == Backend::Sqlite {
            return Ok(Some(Lead { conn: None }));
        }
        let mut conn = self.pool.acquire().await?.detach();
        // A dead peer is noticed within seconds rather than hours, so a
        // process lost with its host gives the lead up soon.
        conn.execute(
            "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; \
             SET tcp_keepalives_count = 3",
        )
        .await?;
        let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(key(&["lead", what]))
            .fetch_one(&mut conn)
            .await?;
        if taken {
            Ok(Some(Lead { conn: Some(conn) }))
        } else {
            let _ = conn.close().await;
            Ok(None)
        }
    }

    /// How many processes lead something on this database right now: a
    /// running larder leads each of its channels within seconds (0 on SQLite).
    pub async fn leaders(&self) -> Result<i64> {
        if self.backend == Backend::Sqlite {
            return Ok(0);
        }
        let mut conn = self.pool.acquire().await?;
        Ok(sqlx::query_scalar(
            "SELECT COUNT(DISTINCT pid)::BIGINT FROM pg_locks WHERE locktype = 'advisory' \
             AND granted AND pid <> pg_backend_pid() \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .fetch_one(&mut *conn)
        .await?)
    }

    /// Waits for `NOTIFY`s of queued calls (PostgreSQL; `None` on SQLite).
    pub async fn listen_calls(&self) -> Result<Option<CallsListener>> {
        if self.backend == Backend::Sqlite {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url).await?;
        listener.listen(CALLS).await?;
        Ok(Some(CallsListener { listener }))
    }
}

/// Notifications of calls queued by other processes.
pub struct CallsListener {
    listener: sqlx::postgres::PgListener,
}

impl CallsListener {
    /// Waits for the next notification: the channel named in it (`None`
    /// when the connection was lost and made again: notifications may have
    /// been missed meanwhile).
    pub async fn next(&mut self) -> Result<Option<String>> {
        match self.listener.try_recv().await? {
            Some(n) => Ok(Some(n.payload().to_owned())),
            None => Ok(None),
        }
    }
}

/// Takes this chat for the rest of the transaction: another process
/// handling an update of the same chat waits (PostgreSQL; on SQLite the one
/// writer at a time already does this).
pub async fn lock_chat(
    conn: &mut AnyConnection,
    backend: Backend,
    channel: Channel,
    chat_id: Option<i64>,
) -> Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key(&[
                "chat",
                channel.as_str(),
                &chat_id.unwrap_or(0).to_string(),
            ]))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Tells the process leading `channel` that calls were queued for it (on
/// commit; PostgreSQL only).
pub async fn announce_calls(
    conn: &mut AnyConnection,
    backend: Backend,
    channel: Channel,
) -> Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CALLS)
            .bind(channel.as_str())
            .execute(conn)
            .await?;
    }
    Ok(())
}
