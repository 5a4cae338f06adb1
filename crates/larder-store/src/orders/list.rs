//! Order listings: summaries by status, optionally of one session.

use jiff::civil::{Date, Time};
use larder_core::{OrderId, OrderStatus, SessionId};
use sqlx::{AnyConnection, Row};

use super::parse_status;
use crate::Result;
use crate::codec::{parse_date, parse_time};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderSummary {
    pub id: OrderId,
    pub session_id: SessionId,
    pub number: i64,
    pub status: OrderStatus,
    pub client_name: String,
    pub issue_date: Option<Date>,
    pub issue_time: Option<Time>,
    pub issued_on: Option<Date>,
    pub delivery: bool,
    pub lines: i64,
    /// Lines not weighed yet (a line weighed as 0 counts as weighed).
    pub unweighed: i64,
}

/// Listing order. The issue-date sorts put undated orders last and order by
/// time within a day (untimed last), then by number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    IssueDateAsc,
    IssueDateDesc,
    /// Most recently issued first.
    IssuedNewest,
}

/// The WHERE clause and the number of the next free placeholder.
fn filter(session: Option<SessionId>) -> (&'static str, usize) {
    match session {
        Some(_) => ("WHERE o.status = $1 AND o.session_id = $2", 3),
        None => ("WHERE o.status = $1", 2),
    }
}

/// One page of the orders in a status, optionally of one session.
pub async fn list(
    conn: &mut AnyConnection,
    status: OrderStatus,
    session: Option<SessionId>,
    sort: Sort,
    offset: i64,
    limit: i64,
) -> Result<Vec<OrderSummary>> {
    const UNDATED_LAST: &str = "CASE WHEN o.issue_date IS NULL THEN 1 ELSE 0 END";
    const UNTIMED_LAST: &str = "CASE WHEN o.issue_time IS NULL THEN 1 ELSE 0 END";
    let order_by = match sort {
        Sort::IssueDateAsc => {
            format!("{UNDATED_LAST}, o.issue_date, {UNTIMED_LAST}, o.issue_time, o.number, o.id")
        }
        Sort::IssueDateDesc => format!(
            "{UNDATED_LAST}, o.issue_date DESC, {UNTIMED_LAST}, o.issue_time DESC, o.number, o.id"
        ),
        Sort::IssuedNewest => {
            "CASE WHEN o.issued_at IS NULL THEN 1 ELSE 0 END, o.issued_at DESC, o.id DESC".into()
        }
    };
    let (filter, n) = filter(session);
    let sql = format!(
        "SELECT o.id, o.session_id, o.number, o.status, o.client_name, o.issue_date, \
         o.issue_time, o.issued_on, o.delivery, \
         (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) AS lines, \
         (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id AND l.weighed IS NULL) \
           AS unweighed \
         FROM orders o {filter} ORDER BY {order_by} LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let mut query = sqlx::query(&sql).bind(status.as_str());
    if let Some(session) = session {
        query = query.bind(session.get());
    }
    let rows = query.bind(limit).bind(offset).fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(OrderSummary {
                id: OrderId::new(row.try_get("id")?),
                session_id: SessionId::new(row.try_get("session_id")?),
                number: row.try_get("number")?,
                status: parse_status(&row.try_get::<String, _>("status")?)?,
                client_name: row.try_get("client_name")?,
                issue_date: parse_date("issue_date", row.try_get("issue_date")?)?,
                issue_time: parse_time("issue_time", row.try_get("issue_time")?)?,
                issued_on: parse_date("issued_on", row.try_get("issued_on")?)?,
                delivery: row.try_get::<i64, _>("delivery")? != 0,
                lines: row.try_get("lines")?,
                unweighed: row.try_get("unweighed")?,
            })
        })
        .collect()
}

/// How many orders are in a status, optionally in one session.
pub async fn count(
    conn: &mut AnyConnection,
    status: OrderStatus,
    session: Option<SessionId>,
) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM orders o {}", filter(session).0);
    let mut query = sqlx::query_scalar(&sql).bind(status.as_str());
    if let Some(session) = session {
        query = query.bind(session.get());
    }
    Ok(query.fetch_one(conn).await?)
}
