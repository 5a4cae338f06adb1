//! Loading the orders a report is about.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use larder_core::{OrderStatus, SessionId, day_bounds_ms};
use larder_store::AnyConnection;
use larder_store::orders::{self, Order, OrderFilter};

use crate::ReportError;

/// Which orders a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// One business day.
    Day(Date),
    /// From the first day to the last, both included (empty when the first
    /// is after the last).
    Range(Date, Date),
    /// Every order.
    All,
    /// The orders of one session, whenever they were made.
    Session(SessionId),
}

/// Issued orders: issued (`issued_on`, the day staff chose) within the
/// period for [`Period::Day`] and [`Period::Range`], all issued orders for
/// [`Period::All`], or the session's issued orders. Ordered by session and
/// number. `_tz` is not needed (`issued_on` is already a business day); it
/// keeps both loaders alike.
pub async fn load_issued(
    conn: &mut AnyConnection,
    period: Period,
    _tz: &TimeZone,
) -> Result<Vec<Order>, ReportError> {
    let mut filter = OrderFilter {
        status: Some(OrderStatus::Issued),
        ..OrderFilter::default()
    };
    match period {
        Period::Day(day) => filter.issued_on = Some((day, day)),
        Period::Range(from, to) => filter.issued_on = Some((from, to)),
        Period::All => {}
        Period::Session(session) => filter.session = Some(session),
    }
    let found = orders::find(conn, &filter).await?;
    tracing::debug!(?period, orders = found.len(), "loaded issued orders");
    Ok(found)
}

/// Orders not yet issued (processing and completed): created within the
/// period — by `created_at`, with days of the business time zone `tz`
/// (23 or 25 hours long on DST change days) — for [`Period::Day`] and
/// [`Period::Range`], all of them for [`Period::All`], or the session's.
/// Ordered by session and number.
pub async fn load_pending(
    conn: &mut AnyConnection,
    period: Period,
    tz: &TimeZone,
) -> Result<Vec<Order>, ReportError> {
    let mut filter = OrderFilter::default();
    match period {
        Period::Day(day) => filter.created_ms = Some(day_bounds_ms(day, tz)),
        Period::Range(from, to) => {
            filter.created_ms = Some((day_bounds_ms(from, tz).0, day_bounds_ms(to, tz).1));
        }
        Period::All => {}
        Period::Session(session) => filter.session = Some(session),
    }
    let mut found = Vec::new();
    for status in [OrderStatus::Processing, OrderStatus::Completed] {
        filter.status = Some(status);
        found.extend(orders::find(conn, &filter).await?);
    }
    found.sort_by_key(|o| (o.session_id, o.number, o.id));
    tracing::debug!(?period, orders = found.len(), "loaded pending orders");
    Ok(found)
}

/// Every order of the session, in any status, by number: what the session
/// downloads are made of.
pub async fn load_session(
    conn: &mut AnyConnection,
    session: SessionId,
) -> Result<Vec<Order>, ReportError> {
    let filter = OrderFilter {
        session: Some(session),
        ..OrderFilter::default()
    };
    Ok(orders::find(conn, &filter).await?)
}
