//! Customers' feedback on an order: a rating of the order, ratings of its
//! dishes (1–5) and a comment that waits for an admin's moderation before
//! it is published. Averages are true averages over every rating given.

use larder_core::{CustomerId, OrderId, ProductId, TgUserId};
use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{Result, StoreError};

/// Where a review's comment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReviewState {
    /// No comment given (ratings only).
    None,
    /// Waiting for an admin.
    Pending,
    Published,
    Rejected,
}

impl ReviewState {
    pub const fn as_str(self) -> &'static str {
        match self {
            ReviewState::None => "none",
            ReviewState::Pending => "pending",
            ReviewState::Published => "published",
            ReviewState::Rejected => "rejected",
        }
    }

    fn parse(s: &str) -> Result<ReviewState> {
        [
            ReviewState::None,
            ReviewState::Pending,
            ReviewState::Published,
            ReviewState::Rejected,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| StoreError::Corrupt(format!("review state {s:?}")))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub order_id: OrderId,
    pub customer: Option<CustomerId>,
    pub rating: Option<u8>,
    pub comment: Option<String>,
    pub state: ReviewState,
    pub moderated_by: Option<TgUserId>,
    pub created_at: i64,
}

fn from_row(r: &AnyRow) -> Result<Review> {
    Ok(Review {
        order_id: OrderId::new(r.try_get("order_id")?),
        customer: r
            .try_get::<Option<i64>, _>("customer_id")?
            .map(CustomerId::new),
        rating: r
            .try_get::<Option<i64>, _>("rating")?
            .and_then(|n| u8::try_from(n).ok()),
        comment: r.try_get("comment")?,
        state: ReviewState::parse(&r.try_get::<String, _>("state")?)?,
        moderated_by: r
            .try_get::<Option<i64>, _>("moderated_by")?
            .map(TgUserId::new),
        created_at: r.try_get("created_at")?,
    })
}

pub async fn get(conn: &mut AnyConnection, order: OrderId) -> Result<Option<Review>> {
    let row = sqlx::query("SELECT * FROM reviews WHERE order_id = $1")
        .bind(order.get())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

async fn ensure(
    conn: &mut AnyConnection,
    order: OrderId,
    customer: Option<CustomerId>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO reviews (order_id, customer_id, created_at, updated_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order.get())
    .bind(customer.map(CustomerId::get))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rates the order (1–5); rating again replaces the earlier rating.
pub async fn rate(
    conn: &mut AnyConnection,
    order: OrderId,
    customer: Option<CustomerId>,
    stars: u8,
    now: i64,
) -> Result<()> {
    ensure(conn, order, customer, now).await?;
    let done = sqlx::query(
        "UPDATE reviews SET rating = $2, updated_at = $3 \
         WHERE order_id = $1 AND state IN ('none', 'pending')",
    )
    .bind(order.get())
    .bind(i64::from(stars))
    .bind(now)
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Refused)
    }
}

/// Whether the review may still change: its comment (if any) has not been
/// moderated. A published or rejected review stays as the admins saw it.
pub async fn open(conn: &mut AnyConnection, order: OrderId) -> Result<bool> {
    let state: Option<String> = sqlx::query_scalar("SELECT state FROM reviews WHERE order_id = $1")
        .bind(order.get())
        .fetch_optional(conn)
        .await?;
    Ok(!matches!(state.as_deref(), Some("published" | "rejected")))
}

/// Rates a dish of the order (1–5); rating again replaces the earlier
/// rating. `Refused` once the review was moderated.
pub async fn rate_dish(
    conn: &mut AnyConnection,
    order: OrderId,
    product: ProductId,
    stars: u8,
    now: i64,
) -> Result<()> {
    if !open(conn, order).await? {
        return Err(StoreError::Refused);
    }
    sqlx::query(
        "INSERT INTO dish_ratings (order_id, product_id, rating, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (order_id, product_id) DO UPDATE SET rating = excluded.rating",
    )
    .bind(order.get())
    .bind(product.get())
    .bind(i64::from(stars))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The dish ratings given for an order.
pub async fn dish_ratings(
    conn: &mut AnyConnection,
    order: OrderId,
) -> Result<Vec<(ProductId, u8)>> {
    let rows = sqlx::query("SELECT product_id, rating FROM dish_ratings WHERE order_id = $1")
        .bind(order.get())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                ProductId::new(r.try_get("product_id")?),
                u8::try_from(r.try_get::<i64, _>("rating")?).unwrap_or(0),
            ))
        })
        .collect()
}

/// Leaves a comment; it waits for moderation. `Refused` once it was moderated.
pub async fn comment(
    conn: &mut AnyConnection,
    order: OrderId,
    customer: Option<CustomerId>,
    text: &str,
    now: i64,
) -> Result<()> {
    ensure(conn, order, customer, now).await?;
    let done = sqlx::query(
        "UPDATE reviews SET comment = $2, state = 'pending', updated_at = $3 \
         WHERE order_id = $1 AND state IN ('none', 'pending')",
    )
    .bind(order.get())
    .bind(text)
    .bind(now)
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Refused)
    }
}

/// Publishes or rejects a pending comment; `false` if it was not pending
/// (someone else moderated it first).
pub async fn moderate(
    conn: &mut AnyConnection,
    order: OrderId,
    publish: bool,
    by: TgUserId,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE reviews SET state = $2, moderated_by = $3, moderated_at = $4, updated_at = $4 \
         WHERE order_id = $1 AND state = 'pending'",
    )
    .bind(order.get())
    .bind(if publish { "published" } else { "rejected" })
    .bind(by.get())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A published review with the author's first name (if not erased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub first_name: Option<String>,
    pub rating: Option<u8>,
    pub comment: String,
    pub at: i64,
}

/// Published reviews, newest first, and how many there are.
pub async fn published(
    conn: &mut AnyConnection,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Published>, i64)> {
    let rows = sqlx::query(
        "SELECT c.first_name, r.rating, r.comment, r.created_at FROM reviews r \
         LEFT JOIN customers c ON c.id = r.customer_id \
         WHERE r.state = 'published' ORDER BY r.created_at DESC, r.order_id DESC \
         LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE state = 'published'")
        .fetch_one(conn)
        .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Published {
                first_name: r.try_get("first_name")?,
                rating: r
                    .try_get::<Option<i64>, _>("rating")?
                    .and_then(|n| u8::try_from(n).ok()),
                comment: r
                    .try_get::<Option<String>, _>("comment")?
                    .unwrap_or_default(),
                at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((items, total))
}

/// The sum and number of a dish's ratings (the average is sum / count).
pub async fn dish_score(conn: &mut AnyConnection, product: ProductId) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(rating), 0) AS BIGINT) AS total, COUNT(*) AS n FROM dish_ratings \
         WHERE product_id = $1",
    )
    .bind(product.get())
    .fetch_one(conn)
    .await?;
    Ok((row.try_get("total")?, row.try_get("n")?))
}

/// The sum and number of order ratings.
pub async fn shop_score(conn: &mut AnyConnection) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(rating), 0) AS BIGINT) AS total, COUNT(rating) AS n FROM reviews \
         WHERE rating IS NOT NULL",
    )
    .fetch_one(conn)
    .await?;
    Ok((row.try_get("total")?, row.try_get("n")?))
}
