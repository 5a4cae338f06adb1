//! Selling sessions (a market day, a delivery round) that group orders and
//! number them 1, 2, 3…. Exactly one session is the Inbox: created by the
//! migration, it can be renamed but never archived or deleted. Names are
//! unique among active sessions, case-insensitively (the Inbox reserves no
//! name: it is usually shown translated).

use jiff::civil::Date;
use larder_core::SessionId;
use sqlx::{AnyConnection, Connection, Row, any::AnyRow};

use crate::codec::{date_text, parse_date};
use crate::savepoint::settle;
use crate::{Result, StoreError, flag};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub name: String,
    pub description: String,
    pub held_on: Option<Date>,
    pub place: Option<String>,
    pub archived: bool,
    pub is_inbox: bool,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSummary {
    pub session: Session,
    /// Orders still processing or completed (not yet issued).
    pub open_orders: i64,
    pub orders: i64,
}

const COLUMNS: &str =
    "s.id, s.name, s.description, s.held_on, s.place, s.archived, s.is_inbox, s.version";

fn from_row(row: &AnyRow) -> Result<Session> {
    Ok(Session {
        id: SessionId::new(row.try_get("id")?),
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        held_on: parse_date("held_on", row.try_get("held_on")?)?,
        place: row.try_get("place")?,
        archived: row.try_get::<i64, _>("archived")? != 0,
        is_inbox: row.try_get::<i64, _>("is_inbox")? != 0,
        version: row.try_get("version")?,
    })
}

/// The comparison key that makes "Market" and "market" the same name.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// The one Inbox session, where orders without a session go.
pub async fn inbox(conn: &mut AnyConnection) -> Result<Session> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM sessions s WHERE s.is_inbox = 1"
    ))
    .fetch_one(conn)
    .await?;
    from_row(&row)
}

/// Creates an active session; `Duplicate` if an active one has the same name.
pub async fn create(
    conn: &mut AnyConnection,
    name: &str,
    description: &str,
    held_on: Option<Date>,
    place: Option<&str>,
    now: i64,
) -> Result<SessionId> {
    let mut sp = conn.begin().await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO sessions (name, name_key, description, held_on, place, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(name)
    .bind(name_key(name))
    .bind(description)
    .bind(held_on.map(date_text))
    .bind(place)
    .bind(now)
    .fetch_one(&mut *sp)
    .await
    .map_err(StoreError::from);
    Ok(SessionId::new(settle(sp, id).await?))
}

pub async fn get(conn: &mut AnyConnection, id: SessionId) -> Result<Session> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM sessions s WHERE s.id = $1"))
        .bind(id.get())
        .fetch_one(conn)
        .await?;
    from_row(&row)
}

/// One page of active or archived sessions with their order counts: the
/// Inbox first, then by date (undated last), then by name.
pub async fn page(
    conn: &mut AnyConnection,
    archived: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<SessionSummary>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, \
         (SELECT COUNT(*) FROM orders o WHERE o.session_id = s.id \
           AND o.status IN ('processing', 'completed')) \
           AS open_orders, \
         (SELECT COUNT(*) FROM orders o WHERE o.session_id = s.id) AS orders \
         FROM sessions s WHERE s.archived = $1 \
         ORDER BY s.is_inbox DESC, CASE WHEN s.held_on IS NULL THEN 1 ELSE 0 END, s.held_on, \
         s.name_key, s.id LIMIT $2 OFFSET $3"
    ))
    .bind(flag(archived))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SessionSummary {
                session: from_row(row)?,
                open_orders: row.try_get("open_orders")?,
                orders: row.try_get("orders")?,
            })
        })
        .collect()
}

pub async fn count(conn: &mut AnyConnection, archived: bool) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE archived = $1")
            .bind(flag(archived))
            .fetch_one(conn)
            .await?,
    )
}

/// What an edit changes. Each edit bumps the version.
#[derive(Clone, Copy, Debug)]
pub enum SessionChange<'a> {
    Name(&'a str),
    Description(&'a str),
    HeldOn(Option<Date>),
    Place(Option<&'a str>),
    Archived(bool),
}

/// Applies one edit. `NotFound` for a missing session, `Refused` for
/// archiving the Inbox, `Conflict` on a stale `version`, `Duplicate` when a
/// rename or unarchive clashes with an active name; nothing changes then.
pub async fn update(
    conn: &mut AnyConnection,
    id: SessionId,
    version: i64,
    change: SessionChange<'_>,
    now: i64,
) -> Result<()> {
    let current = get(conn, id).await?;
    if current.is_inbox && matches!(change, SessionChange::Archived(true)) {
        return Err(StoreError::Refused);
    }
    const TAIL: &str = "version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2";
    let sql = |set: &str| format!("UPDATE sessions SET {set}, {TAIL}");
    let sql = match change {
        SessionChange::Name(_) => sql("name = $4, name_key = $5"),
        SessionChange::Description(_) => sql("description = $4"),
        SessionChange::HeldOn(_) => sql("held_on = $4"),
        SessionChange::Place(_) => sql("place = $4"),
        SessionChange::Archived(_) => sql("archived = $4"),
    };
    let query = sqlx::query(&sql).bind(id.get()).bind(version).bind(now);
    let query = match change {
        SessionChange::Name(name) => query.bind(name).bind(name_key(name)),
        SessionChange::Description(text) => query.bind(text),
        SessionChange::HeldOn(date) => query.bind(date.map(date_text)),
        SessionChange::Place(place) => query.bind(place),
        SessionChange::Archived(archived) => query.bind(flag(archived)),
    };
    let mut sp = conn.begin().await?;
    let done = query.execute(&mut *sp).await.map_err(StoreError::from);
    match settle(sp, done).await?.rows_affected() {
        1 => Ok(()),
        _ => Err(StoreError::Conflict),
    }
}

/// Deletes a session with all its orders (their lines and history go with
/// them); returns how many orders were deleted. The Inbox is `Refused`.
pub async fn delete(conn: &mut AnyConnection, id: SessionId) -> Result<u64> {
    if get(conn, id).await?.is_inbox {
        return Err(StoreError::Refused);
    }
    let mut sp = conn.begin().await?;
    let done = delete_inner(&mut sp, id).await;
    settle(sp, done).await
}

async fn delete_inner(conn: &mut AnyConnection, id: SessionId) -> Result<u64> {
    let orders = sqlx::query("DELETE FROM orders WHERE session_id = $1")
        .bind(id.get())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM sessions WHERE id = $1 AND is_inbox = 0")
        .bind(id.get())
        .execute(&mut *conn)
        .await?;
    Ok(orders)
}

/// The active (not archived) session with this name, ignoring case.
pub async fn active_by_name(conn: &mut AnyConnection, name: &str) -> Result<Option<Session>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM sessions WHERE name_key = $1 AND archived = 0 ORDER BY is_inbox DESC LIMIT 1",
    )
    .bind(name_key(name))
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => Ok(Some(get(conn, SessionId::new(id)).await?)),
        None => Ok(None),
    }
}
