//! The staff groups (kitchen, couriers, admins) bound by the owner, and the
//! order cards posted in them (and in couriers' private chats), each edited
//! in place as the order moves on.

use larder_core::{OrderId, TgUserId};
use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{Channel, Result, StoreError};

/// What a staff group is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupRole {
    Kitchen,
    Couriers,
    Admins,
}

impl GroupRole {
    pub const ALL: [GroupRole; 3] = [GroupRole::Kitchen, GroupRole::Couriers, GroupRole::Admins];

    pub const fn as_str(self) -> &'static str {
        match self {
            GroupRole::Kitchen => "kitchen",
            GroupRole::Couriers => "couriers",
            GroupRole::Admins => "admins",
        }
    }

    /// `kitchen`, `couriers` or `admins`, ASCII case-insensitive.
    pub fn parse(s: &str) -> Option<GroupRole> {
        GroupRole::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffGroup {
    pub role: GroupRole,
    pub channel: Channel,
    pub chat_id: i64,
    pub title: String,
    /// When the bot lost the group (removed, or the chat is gone), and why.
    pub lost: Option<(i64, String)>,
}

fn group_from_row(r: &AnyRow) -> Result<StaffGroup> {
    let role: String = r.try_get("role")?;
    let lost_at: Option<i64> = r.try_get("lost_at")?;
    let lost_why: Option<String> = r.try_get("lost_why")?;
    Ok(StaffGroup {
        role: GroupRole::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("group role {role:?}")))?,
        channel: Channel::parse(&r.try_get::<String, _>("channel")?)?,
        chat_id: r.try_get("chat_id")?,
        title: r.try_get("title")?,
        lost: lost_at.map(|at| (at, lost_why.unwrap_or_default())),
    })
}

/// Makes `chat_id` the group for `role` (replacing any earlier one).
pub async fn bind(
    conn: &mut AnyConnection,
    role: GroupRole,
    channel: Channel,
    chat_id: i64,
    title: &str,
    by: TgUserId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO staff_groups (role, channel, chat_id, title, bound_by, bound_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (role) DO UPDATE SET channel = excluded.channel, chat_id = excluded.chat_id, \
         title = excluded.title, bound_by = excluded.bound_by, bound_at = excluded.bound_at, \
         lost_at = NULL, lost_why = NULL",
    )
    .bind(role.as_str())
    .bind(channel.as_str())
    .bind(chat_id)
    .bind(title)
    .bind(by.get())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The group bound for `role`, if any (also when it was lost).
pub async fn get(conn: &mut AnyConnection, role: GroupRole) -> Result<Option<StaffGroup>> {
    let row = sqlx::query("SELECT * FROM staff_groups WHERE role = $1")
        .bind(role.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(group_from_row).transpose()
}

/// The group for `role` if it is bound and not lost.
pub async fn reachable(conn: &mut AnyConnection, role: GroupRole) -> Result<Option<StaffGroup>> {
    Ok(get(conn, role).await?.filter(|g| g.lost.is_none()))
}

/// The roles a chat is bound to.
pub async fn roles_of(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: i64,
) -> Result<Vec<GroupRole>> {
    let rows = sqlx::query("SELECT * FROM staff_groups WHERE channel = $1 AND chat_id = $2")
        .bind(channel.as_str())
        .bind(chat_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| group_from_row(r).map(|g| g.role))
        .collect()
}

/// The chat became another (a group upgraded to a supergroup): bindings and
/// cards follow it. Returns how many bindings moved.
pub async fn move_chat(
    conn: &mut AnyConnection,
    channel: Channel,
    from: i64,
    to: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE staff_groups SET chat_id = $3, lost_at = NULL, lost_why = NULL \
         WHERE channel = $1 AND chat_id = $2",
    )
    .bind(channel.as_str())
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE order_cards SET chat_id = $3, message_id = NULL WHERE channel = $1 AND chat_id = $2",
    )
    .bind(channel.as_str())
    .bind(from)
    .bind(to)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The bot can no longer write to the chat; returns the roles it was bound
/// to that are now lost (empty if none, or if they were lost before).
pub async fn mark_lost(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: i64,
    why: &str,
    now: i64,
) -> Result<Vec<GroupRole>> {
    let rows = sqlx::query(
        "UPDATE staff_groups SET lost_at = $3, lost_why = $4 \
         WHERE channel = $1 AND chat_id = $2 AND lost_at IS NULL RETURNING role",
    )
    .bind(channel.as_str())
    .bind(chat_id)
    .bind(now)
    .bind(why)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            GroupRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))
        })
        .collect()
}

/// What an order card is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardKind {
    Kitchen,
    Couriers,
    Admins,
    /// The courier's private card with "Delivered".
    Courier,
    /// A review waiting for moderation in the admins' group.
    Review,
}

impl CardKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            CardKind::Kitchen => "kitchen",
            CardKind::Couriers => "couriers",
            CardKind::Admins => "admins",
            CardKind::Courier => "courier",
            CardKind::Review => "review",
        }
    }

    fn parse(s: &str) -> Result<CardKind> {
        [
            CardKind::Kitchen,
            CardKind::Couriers,
            CardKind::Admins,
            CardKind::Courier,
            CardKind::Review,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| StoreError::Corrupt(format!("card kind {s:?}")))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub id: i64,
    pub order_id: OrderId,
    pub kind: CardKind,
    pub channel: Channel,
    pub chat_id: i64,
    /// The message showing it, once sent.
    pub message_id: Option<i64>,
    /// A fingerprint of what it last showed.
    pub shown: Option<String>,
}

fn card_from_row(r: &AnyRow) -> Result<Card> {
    Ok(Card {
        id: r.try_get("id")?,
        order_id: OrderId::new(r.try_get("order_id")?),
        kind: CardKind::parse(&r.try_get::<String, _>("kind")?)?,
        channel: Channel::parse(&r.try_get::<String, _>("channel")?)?,
        chat_id: r.try_get("chat_id")?,
        message_id: r.try_get("message_id")?,
        shown: r.try_get("shown")?,
    })
}

/// The order's card of this kind, created for `chat_id` if it has none.
/// Returns the card and whether it is new (then it must be sent).
pub async fn card(
    conn: &mut AnyConnection,
    order: OrderId,
    kind: CardKind,
    channel: Channel,
    chat_id: i64,
    now: i64,
) -> Result<(Card, bool)> {
    let added = sqlx::query(
        "INSERT INTO order_cards (order_id, kind, channel, chat_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (order_id, kind) DO NOTHING",
    )
    .bind(order.get())
    .bind(kind.as_str())
    .bind(channel.as_str())
    .bind(chat_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let row = sqlx::query("SELECT * FROM order_cards WHERE order_id = $1 AND kind = $2")
        .bind(order.get())
        .bind(kind.as_str())
        .fetch_one(conn)
        .await?;
    Ok((card_from_row(&row)?, added == 1))
}

/// The card now belongs to another chat (a courier's private card, after
/// the order changed hands): it is sent there anew.
pub async fn move_card(conn: &mut AnyConnection, id: i64, chat_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE order_cards SET chat_id = $2, message_id = NULL, shown = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(chat_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The order's cards.
pub async fn cards_of(conn: &mut AnyConnection, order: OrderId) -> Result<Vec<Card>> {
    let rows = sqlx::query("SELECT * FROM order_cards WHERE order_id = $1 ORDER BY id")
        .bind(order.get())
        .fetch_all(conn)
        .await?;
    rows.iter().map(card_from_row).collect()
}

pub async fn get_card(conn: &mut AnyConnection, id: i64) -> Result<Card> {
    let row = sqlx::query("SELECT * FROM order_cards WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    card_from_row(&row)
}

/// Remembers the message showing the card.
pub async fn set_card_message(conn: &mut AnyConnection, id: i64, message_id: i64) -> Result<()> {
    sqlx::query("UPDATE order_cards SET message_id = $2 WHERE id = $1")
        .bind(id)
        .bind(message_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records what the card now shows; `false` if it showed exactly that
/// already (so there is nothing to edit).
pub async fn set_card_shown(conn: &mut AnyConnection, id: i64, shown: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE order_cards SET shown = $2 WHERE id = $1 AND (shown IS NULL OR shown <> $2)",
    )
    .bind(id)
    .bind(shown)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
