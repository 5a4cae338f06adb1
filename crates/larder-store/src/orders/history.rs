//! The audit trail of an order: who changed what, when, from what to what.
//! Values are human-readable text (dates "2026-12-25", times "14:30",
//! quantities "315 g" / "2 pcs", money in minor units "1500", percent "15%").

use larder_core::{OrderId, TgUserId};
use sqlx::{AnyConnection, Row};

use crate::{Result, StoreError};

/// What a history entry is about: the status (and the shop's steps), a
/// field of the order, or one of its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HistoryKind {
    Status,
    Field,
    Line,
}

impl HistoryKind {
    /// The stored form.
    pub const fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Status => "status",
            HistoryKind::Field => "field",
            HistoryKind::Line => "line",
        }
    }
}

/// What exactly changed. Stored as stable text ([`HistoryField::as_str`]);
/// a stored name this build does not know reads as [`StoreError::Corrupt`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HistoryField {
    /// The order's status ("processing" → "completed").
    Status,
    /// The kitchen accepted it.
    Kitchen,
    /// A courier took it (the new value is their name) or gave it back ("—").
    Courier,
    ClientName,
    Phone,
    Delivery,
    Address,
    IssueDate,
    IssueTime,
    Discount,
    Fee,
    Note,
    /// Moved to another session.
    Session,
    /// The customer's personal data was erased.
    Erased,
    /// A line was added (values start with the line's name: "Brie: 315 g").
    Added,
    Removed,
    Ordered,
    Weighed,
    Packing,
}

impl HistoryField {
    pub const ALL: [HistoryField; 19] = [
        HistoryField::Status,
        HistoryField::Kitchen,
        HistoryField::Courier,
        HistoryField::ClientName,
        HistoryField::Phone,
        HistoryField::Delivery,
        HistoryField::Address,
        HistoryField::IssueDate,
        HistoryField::IssueTime,
        HistoryField::Discount,
        HistoryField::Fee,
        HistoryField::Note,
        HistoryField::Session,
        HistoryField::Erased,
        HistoryField::Added,
        HistoryField::Removed,
        HistoryField::Ordered,
        HistoryField::Weighed,
        HistoryField::Packing,
    ];

    /// The stored form (also the suffix of its Fluent id, `history-issue-date`).
    pub const fn as_str(self) -> &'static str {
        match self {
            HistoryField::Status => "status",
            HistoryField::Kitchen => "kitchen",
            HistoryField::Courier => "courier",
            HistoryField::ClientName => "client_name",
            HistoryField::Phone => "phone",
            HistoryField::Delivery => "delivery",
            HistoryField::Address => "address",
            HistoryField::IssueDate => "issue_date",
            HistoryField::IssueTime => "issue_time",
            HistoryField::Discount => "discount",
            HistoryField::Fee => "fee",
            HistoryField::Note => "note",
            HistoryField::Session => "session",
            HistoryField::Erased => "erased",
            HistoryField::Added => "added",
            HistoryField::Removed => "removed",
            HistoryField::Ordered => "ordered",
            HistoryField::Weighed => "weighed",
            HistoryField::Packing => "packing",
        }
    }

    /// The kind of entry this field belongs to.
    pub const fn kind(self) -> HistoryKind {
        use HistoryField as F;
        match self {
            F::Status | F::Kitchen | F::Courier => HistoryKind::Status,
            F::Added | F::Removed | F::Ordered | F::Weighed | F::Packing => HistoryKind::Line,
            F::ClientName
            | F::Phone
            | F::Delivery
            | F::Address
            | F::IssueDate
            | F::IssueTime
            | F::Discount
            | F::Fee
            | F::Note
            | F::Session
            | F::Erased => HistoryKind::Field,
        }
    }

    pub fn parse(s: &str) -> Option<HistoryField> {
        HistoryField::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: i64,
    pub actor: Option<TgUserId>,
    /// What changed; its kind is [`HistoryField::kind`].
    pub field: HistoryField,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One history row about to be written.
pub(crate) struct Event {
    pub field: HistoryField,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Event {
    pub(crate) fn status(old: Option<&str>, new: &str) -> Event {
        Event {
            field: HistoryField::Status,
            old: old.map(str::to_owned),
            new: Some(new.to_owned()),
        }
    }

    /// A field of the order or a line changed.
    pub(crate) fn field(field: HistoryField, old: Option<String>, new: Option<String>) -> Event {
        Event { field, old, new }
    }
}

/// Writes `event` unless it records no change (old equals new).
/// Writes `event` unless it records no change (old equals new).
/// Records a step of the shop's pipeline ([`HistoryField::Kitchen`] or
/// [`HistoryField::Courier`]) as a status entry of the order's history.
pub async fn record_step(
    conn: &mut AnyConnection,
    id: OrderId,
    actor: Option<TgUserId>,
    now: i64,
    field: HistoryField,
    new: &str,
) -> Result<()> {
    let event = Event {
        field,
        old: None,
        new: Some(new.to_owned()),
    };
    record(conn, id, actor, now, event).await
}

pub(crate) async fn record(
    conn: &mut AnyConnection,
    id: OrderId,
    actor: Option<TgUserId>,
    now: i64,
    event: Event,
) -> Result<()> {
    if event.old == event.new {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO order_history (order_id, at, actor, kind, field, old, new) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.get())
    .bind(now)
    .bind(actor.map(TgUserId::get))
    .bind(event.field.kind().as_str())
    .bind(event.field.as_str())
    .bind(event.old)
    .bind(event.new)
    .execute(conn)
    .await?;
    Ok(())
}

/// The order's history, oldest first (empty for an unknown order).
pub async fn history(conn: &mut AnyConnection, id: OrderId) -> Result<Vec<HistoryEntry>> {
    let rows = sqlx::query(
        "SELECT at, actor, field, old, new FROM order_history \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(id.get())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(HistoryEntry {
                at: row.try_get("at")?,
                actor: row.try_get::<Option<i64>, _>("actor")?.map(TgUserId::new),
                field: {
                    let stored: String = row.try_get("field")?;
                    HistoryField::parse(&stored).ok_or_else(|| {
                        StoreError::Corrupt(format!("unknown history field {stored:?}"))
                    })?
                },
                old: row.try_get("old")?,
                new: row.try_get("new")?,
            })
        })
        .collect()
}

/// The newest history entry's id (0 when there is none): orders changed
/// after this point are found with [`changed_since`].
pub async fn last_history_id(conn: &mut AnyConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM order_history")
            .fetch_one(conn)
            .await?,
    )
}

/// Orders with history entries newer than `mark`, oldest change first.
pub async fn changed_since(conn: &mut AnyConnection, mark: i64) -> Result<Vec<OrderId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT order_id FROM order_history WHERE id > $1 GROUP BY order_id ORDER BY MIN(id)",
    )
    .bind(mark)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(OrderId::new).collect())
}
