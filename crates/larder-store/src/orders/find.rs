//! Full orders (with their lines) chosen by status, session and dates, for
//! statistics and exports.

use jiff::civil::Date;
use larder_core::{OrderId, OrderStatus, SessionId};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

use super::{COLUMNS, LINE_COLUMNS, Order, line_from_row, order_from_row};
use crate::Result;
use crate::codec::date_text;

/// Which orders [`find`] returns: every condition given must hold; the
/// default finds every order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub session: Option<SessionId>,
    /// Inclusive range of `issued_on` (orders never issued have none and
    /// never match).
    pub issued_on: Option<(Date, Date)>,
    /// `[from, to)` of `created_at`, UTC unix milliseconds.
    pub created_ms: Option<(i64, i64)>,
}

/// A bind value of the WHERE clause.
enum Arg {
    Text(String),
    Int(i64),
}

impl OrderFilter {
    /// `WHERE …` over `orders o` with `$1…` placeholders, and their values.
    fn clause(&self) -> (String, Vec<Arg>) {
        let mut conditions = Vec::new();
        let mut args = Vec::new();
        let mut push = |condition: &str, arg: Arg| {
            args.push(arg);
            conditions.push(condition.replace('?', &format!("${}", args.len())));
        };
        if let Some(status) = self.status {
            push("o.status = ?", Arg::Text(status.as_str().to_owned()));
        }
        if let Some(session) = self.session {
            push("o.session_id = ?", Arg::Int(session.get()));
        }
        if let Some((from, to)) = self.issued_on {
            // ISO dates compare as text in date order.
            push("o.issued_on >= ?", Arg::Text(date_text(from)));
            push("o.issued_on <= ?", Arg::Text(date_text(to)));
        }
        if let Some((from, to)) = self.created_ms {
            push("o.created_at >= ?", Arg::Int(from));
            push("o.created_at < ?", Arg::Int(to));
        }
        if conditions.is_empty() {
            return (String::new(), args);
        }
        (format!("WHERE {}", conditions.join(" AND ")), args)
    }
}

/// The query with the filter's values bound in order.
fn bound<'q>(sql: &'q str, args: &'q [Arg]) -> Query<'q, Any, AnyArguments<'q>> {
    args.iter().fold(sqlx::query(sql), |query, arg| match arg {
        Arg::Text(s) => query.bind(s.as_str()),
        Arg::Int(i) => query.bind(*i),
    })
}

/// The matching orders with their lines (by position), ordered by session
/// and number. Two queries (the orders, then all their lines), whatever the
/// number of orders; run it in a transaction when the two must agree
/// exactly while others write.
pub async fn find(conn: &mut AnyConnection, filter: &OrderFilter) -> Result<Vec<Order>> {
    let (clause, args) = filter.clause();
    let sql =
        format!("SELECT {COLUMNS} FROM orders o {clause} ORDER BY o.session_id, o.number, o.id");
    let rows = bound(&sql, &args).fetch_all(&mut *conn).await?;
    let mut orders = rows
        .iter()
        .map(order_from_row)
        .collect::<Result<Vec<_>>>()?;
    if orders.is_empty() {
        return Ok(orders);
    }
    let sql = format!(
        "SELECT order_id, {LINE_COLUMNS} FROM order_lines \
         WHERE order_id IN (SELECT o.id FROM orders o {clause}) ORDER BY order_id, position"
    );
    let rows = bound(&sql, &args).fetch_all(conn).await?;
    let mut index: Vec<(OrderId, usize)> = orders.iter().map(|o| o.id).zip(0..).collect();
    index.sort_unstable();
    for row in &rows {
        let id = OrderId::new(row.try_get("order_id")?);
        // An order created between the two queries has no place: skip it.
        if let Ok(at) = index.binary_search_by_key(&id, |&(id, _)| id) {
            orders[index[at].1].lines.push(line_from_row(row)?);
        }
    }
    Ok(orders)
}
