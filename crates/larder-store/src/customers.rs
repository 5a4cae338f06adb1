//! Customers: one row per messenger account, created at the first `/start`
//! and registered once name and phone are known. Erasing personal data
//! (`forget`) keeps the row, so the customer's orders stay for statistics.

use larder_core::CustomerId;
use sqlx::{AnyConnection, Connection, Row, any::AnyRow};

use crate::{Channel, Result, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub channel: Channel,
    pub user_id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub last_address: Option<String>,
    pub registered_at: Option<i64>,
    pub forgotten_at: Option<i64>,
    /// When messages to the customer started failing for good (blocked the bot).
    pub unreachable_at: Option<i64>,
    /// The primary account this one is linked to (then this row holds no data).
    pub linked_to: Option<CustomerId>,
    pub version: i64,
}

impl Customer {
    pub fn is_registered(&self) -> bool {
        self.registered_at.is_some()
    }
}

const COLUMNS: &str = "id, channel, user_id, first_name, last_name, phone, email, last_address, \
                       registered_at, forgotten_at, unreachable_at, linked_to, version";

fn from_row(r: &AnyRow) -> Result<Customer> {
    Ok(Customer {
        id: CustomerId::new(r.try_get("id")?),
        channel: Channel::parse(&r.try_get::<String, _>("channel")?)?,
        user_id: r.try_get("user_id")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        last_address: r.try_get("last_address")?,
        registered_at: r.try_get("registered_at")?,
        forgotten_at: r.try_get("forgotten_at")?,
        unreachable_at: r.try_get("unreachable_at")?,
        linked_to: r
            .try_get::<Option<i64>, _>("linked_to")?
            .map(CustomerId::new),
        version: r.try_get("version")?,
    })
}

/// The customer of a messenger account, created (unregistered) if new; for
/// a linked account, the primary customer it shares everything with.
pub async fn get_or_create(
    conn: &mut AnyConnection,
    channel: Channel,
    user_id: i64,
    now: i64,
) -> Result<Customer> {
    let account = account(conn, channel, user_id, now).await?;
    match account.linked_to {
        Some(primary) => get(conn, primary).await,
        None => Ok(account),
    }
}

/// The messenger account's own row, created if new (not following links).
pub async fn account(
    conn: &mut AnyConnection,
    channel: Channel,
    user_id: i64,
    now: i64,
) -> Result<Customer> {
    sqlx::query(
        "INSERT INTO customers (channel, user_id, created_at, updated_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (channel, user_id) DO NOTHING",
    )
    .bind(channel.as_str())
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM customers WHERE channel = $1 AND user_id = $2"
    ))
    .bind(channel.as_str())
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    from_row(&row)
}

pub async fn get(conn: &mut AnyConnection, id: CustomerId) -> Result<Customer> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM customers WHERE id = $1"))
        .bind(id.get())
        .fetch_one(conn)
        .await?;
    from_row(&row)
}

/// A personal field of a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    FirstName,
    LastName,
    Phone,
    Email,
    LastAddress,
}

impl Field {
    fn column(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::LastAddress => "last_address",
        }
    }
}

/// Sets (or clears) one field; `Conflict` if `version` is stale.
pub async fn set(
    conn: &mut AnyConnection,
    id: CustomerId,
    version: i64,
    field: Field,
    value: Option<&str>,
    now: i64,
) -> Result<()> {
    let sql = format!(
        "UPDATE customers SET {} = $4, version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2",
        field.column()
    );
    let done = sqlx::query(&sql)
        .bind(id.get())
        .bind(version)
        .bind(now)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    settle(conn, id, done.rows_affected()).await
}

/// Marks the customer registered (name and phone are known).
pub async fn register(
    conn: &mut AnyConnection,
    id: CustomerId,
    version: i64,
    now: i64,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE customers SET registered_at = $3, forgotten_at = NULL, version = version + 1, updated_at = $3 \
         WHERE id = $1 AND version = $2",
    )
    .bind(id.get())
    .bind(version)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    settle(conn, id, done.rows_affected()).await
}

/// Erases every personal field; the row (and so the orders) stays.
pub async fn forget(conn: &mut AnyConnection, id: CustomerId, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET first_name = NULL, last_name = NULL, phone = NULL, email = NULL, \
         last_address = NULL, registered_at = NULL, forgotten_at = $2, version = version + 1, updated_at = $2 \
         WHERE id = $1",
    )
    .bind(id.get())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

async fn settle(conn: &mut AnyConnection, id: CustomerId, affected: u64) -> Result<()> {
    if affected == 1 {
        return Ok(());
    }
    get(conn, id).await?;
    Err(StoreError::Conflict)
}

/// Messages to this account fail for good (the person blocked the bot):
/// returns the customer if this is news (so admins are told once).
pub async fn mark_unreachable(
    conn: &mut AnyConnection,
    channel: Channel,
    user_id: i64,
    now: i64,
) -> Result<Option<Customer>> {
    let done = sqlx::query(
        "UPDATE customers SET unreachable_at = $3 \
         WHERE channel = $1 AND user_id = $2 AND unreachable_at IS NULL",
    )
    .bind(channel.as_str())
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM customers WHERE channel = $1 AND user_id = $2"
    ))
    .bind(channel.as_str())
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(Some(from_row(&row)?))
}

/// The person wrote again: they can be reached.
pub async fn mark_reachable(conn: &mut AnyConnection, id: CustomerId) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET unreachable_at = NULL WHERE id = $1 AND unreachable_at IS NOT NULL",
    )
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// The person allows messages again (without writing): they can be
/// reached. `false` when they were not marked unreachable (or are unknown).
pub async fn allows_again(
    conn: &mut AnyConnection,
    channel: Channel,
    user_id: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE customers SET unreachable_at = NULL \
         WHERE channel = $1 AND user_id = $2 AND unreachable_at IS NOT NULL",
    )
    .bind(channel.as_str())
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The account on `channel` of the customer (the primary itself or an
/// account linked to it): where to tell them of an order from that channel.
pub async fn account_on(
    conn: &mut AnyConnection,
    primary: CustomerId,
    channel: Channel,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM customers WHERE channel = $2 AND (id = $1 OR linked_to = $1) \
         ORDER BY id LIMIT 1",
    )
    .bind(primary.get())
    .bind(channel.as_str())
    .fetch_optional(conn)
    .await?)
}

/// Remembers a one-time code that links another account to `customer`.
pub async fn create_link_code(
    conn: &mut AnyConnection,
    customer: CustomerId,
    code: &str,
    expires_at: i64,
) -> Result<()> {
    let mut sp = conn.begin().await?;
    // The newest code only: one asked for again replaces the one before.
    sqlx::query("DELETE FROM link_codes WHERE customer_id = $1")
        .bind(customer.get())
        .execute(&mut *sp)
        .await?;
    let done =
        sqlx::query("INSERT INTO link_codes (code, customer_id, expires_at) VALUES ($1, $2, $3)")
            .bind(code)
            .bind(customer.get())
            .bind(expires_at)
            .execute(&mut *sp)
            .await
            .map(|_| ())
            .map_err(StoreError::from);
    crate::savepoint::settle(sp, done).await
}

/// Why a link code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Unknown, used or expired.
    Invalid,
    /// The code comes from this same account, or another on this messenger.
    SameMessenger,
}

/// Links the account `(channel, user_id)` to the customer who made `code`:
/// its orders, cart and reviews move to that customer, and from now on both
/// accounts are one customer. Returns the customer, or why not.
pub async fn redeem_link_code(
    conn: &mut AnyConnection,
    code: &str,
    channel: Channel,
    user_id: i64,
    now: i64,
) -> Result<std::result::Result<Customer, LinkRefusal>> {
    let owner: Option<i64> = sqlx::query_scalar(
        "DELETE FROM link_codes WHERE code = $1 AND expires_at > $2 RETURNING customer_id",
    )
    .bind(code)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(owner) = owner else {
        return Ok(Err(LinkRefusal::Invalid));
    };
    let mut primary = get(conn, CustomerId::new(owner)).await?;
    if let Some(p) = primary.linked_to {
        primary = get(conn, p).await?;
    }
    let me = account(conn, channel, user_id, now).await?;
    let mine = me.linked_to.unwrap_or(me.id);
    if mine == primary.id || primary.channel == channel {
        return Ok(Err(LinkRefusal::SameMessenger));
    }
    let (from, to) = (mine.get(), primary.id.get());
    sqlx::query("UPDATE orders SET customer_id = $2 WHERE customer_id = $1")
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE reviews SET customer_id = $2 WHERE customer_id = $1")
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE cart_items SET customer_id = $2 WHERE customer_id = $1 AND product_id NOT IN \
         (SELECT product_id FROM cart_items WHERE customer_id = $2)",
    )
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM cart_items WHERE customer_id = $1")
        .bind(from)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE customers SET linked_to = $2, first_name = NULL, last_name = NULL, phone = NULL, \
         email = NULL, last_address = NULL, registered_at = NULL, version = version + 1, \
         updated_at = $3 WHERE id = $1 OR linked_to = $1",
    )
    .bind(from)
    .bind(to)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(get(conn, primary.id).await?))
}

/// Undoes links of the account `(channel, user_id)` ("not you? unlink"):
/// the accounts on other messengers linked to its customer are on their own
/// again, unregistered (they register anew; orders stay with this
/// customer). Pressed from a linked account, that account leaves with a copy
/// of the profile. Returns the accounts set apart, to be told.
pub async fn unlink(
    conn: &mut AnyConnection,
    channel: Channel,
    user_id: i64,
    now: i64,
) -> Result<Vec<(Channel, i64)>> {
    let me = account(conn, channel, user_id, now).await?;
    if let Some(primary) = me.linked_to {
        let p = get(conn, primary).await?;
        sqlx::query(
            "UPDATE customers SET linked_to = NULL, first_name = $2, last_name = $3, phone = $4, \
             email = $5, last_address = $6, registered_at = $7, version = version + 1, \
             updated_at = $8 WHERE id = $1",
        )
        .bind(me.id.get())
        .bind(p.first_name)
        .bind(p.last_name)
        .bind(p.phone)
        .bind(p.email)
        .bind(p.last_address)
        .bind(p.registered_at)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        return Ok(vec![(p.channel, p.user_id)]);
    }
    let apart: Vec<(String, i64)> = sqlx::query_as(
        "UPDATE customers SET linked_to = NULL, version = version + 1, updated_at = $3 \
         WHERE linked_to = $1 AND channel <> $2 RETURNING channel, user_id",
    )
    .bind(me.id.get())
    .bind(channel.as_str())
    .bind(now)
    .fetch_all(conn)
    .await?;
    apart
        .into_iter()
        .map(|(c, u)| Ok((Channel::parse(&c)?, u)))
        .collect()
}

/// A customer's name as given ("Anna Petrova"), if the account has one.
pub async fn name_of(
    conn: &mut AnyConnection,
    channel: Channel,
    user_id: i64,
) -> Result<Option<String>> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT first_name, last_name FROM customers WHERE channel = $1 AND user_id = $2",
    )
    .bind(channel.as_str())
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(first, last)| {
        let name = format!("{} {}", first.unwrap_or_default(), last.unwrap_or_default());
        Some(name.trim().to_owned()).filter(|n| !n.is_empty())
    }))
}
