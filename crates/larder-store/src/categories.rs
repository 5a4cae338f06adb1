//! Categories of the shop's menu, in an order the staff choose. A hidden
//! category is not shown to customers; a stop-listed one is shown but its
//! products cannot be ordered.

use larder_core::CategoryId;
use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{Result, StoreError, flag};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub position: i64,
    pub hidden: bool,
    pub available: bool,
    pub version: i64,
    /// Active products in it.
    pub products: i64,
}

const COLUMNS: &str = "c.id, c.name, c.position, c.hidden, c.available, c.version, \
     (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.archived = 0) AS products";

fn from_row(r: &AnyRow) -> Result<Category> {
    Ok(Category {
        id: CategoryId::new(r.try_get("id")?),
        name: r.try_get("name")?,
        position: r.try_get("position")?,
        hidden: r.try_get::<i64, _>("hidden")? != 0,
        available: r.try_get::<i64, _>("available")? != 0,
        version: r.try_get("version")?,
        products: r.try_get("products")?,
    })
}

/// Creates a category at the end of the list; `Duplicate` for a taken name.
pub async fn create(conn: &mut AnyConnection, name: &str, now: i64) -> Result<CategoryId> {
    let mut sp = sqlx::Connection::begin(&mut *conn).await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO categories (name, name_key, position, created_at, updated_at) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories), $3, $3) RETURNING id",
    )
    .bind(name)
    .bind(name.to_lowercase())
    .bind(now)
    .fetch_one(&mut *sp)
    .await;
    let id = crate::savepoint::settle(sp, id.map_err(StoreError::from)).await?;
    Ok(CategoryId::new(id))
}

pub async fn get(conn: &mut AnyConnection, id: CategoryId) -> Result<Category> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM categories c WHERE c.id = $1"
    ))
    .bind(id.get())
    .fetch_one(conn)
    .await?;
    from_row(&row)
}

/// Every category in the chosen order (hidden ones too: the desk shows them).
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Category>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM categories c ORDER BY c.position, c.id"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub enum CategoryChange<'a> {
    Name(&'a str),
    Hidden(bool),
    Available(bool),
}

/// Applies a change if `version` is current (else `Conflict`).
pub async fn update(
    conn: &mut AnyConnection,
    id: CategoryId,
    version: i64,
    change: CategoryChange<'_>,
    now: i64,
) -> Result<()> {
    const TAIL: &str = "version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2";
    let sql = match change {
        CategoryChange::Name(_) => {
            format!("UPDATE categories SET name = $4, name_key = $5, {TAIL}")
        }
        CategoryChange::Hidden(_) => format!("UPDATE categories SET hidden = $4, {TAIL}"),
        CategoryChange::Available(_) => format!("UPDATE categories SET available = $4, {TAIL}"),
    };
    let query = sqlx::query(&sql).bind(id.get()).bind(version).bind(now);
    let query = match change {
        CategoryChange::Name(n) => query.bind(n).bind(n.to_lowercase()),
        CategoryChange::Hidden(h) => query.bind(flag(h)),
        CategoryChange::Available(a) => query.bind(flag(a)),
    };
    let mut sp = sqlx::Connection::begin(&mut *conn).await?;
    let done = query.execute(&mut *sp).await.map_err(StoreError::from);
    if crate::savepoint::settle(sp, done).await?.rows_affected() == 1 {
        return Ok(());
    }
    get(conn, id).await?;
    Err(StoreError::Conflict)
}

/// Moves a category one place up (`up`) or down, swapping with its neighbour.
pub async fn shift(conn: &mut AnyConnection, id: CategoryId, up: bool, now: i64) -> Result<()> {
    let list = all(conn).await?;
    let Some(i) = list.iter().position(|c| c.id == id) else {
        return Err(StoreError::NotFound);
    };
    let j = if up {
        i.checked_sub(1)
    } else {
        Some(i + 1).filter(|j| *j < list.len())
    };
    let Some(j) = j else { return Ok(()) };
    for (a, b) in [(&list[i], &list[j]), (&list[j], &list[i])] {
        sqlx::query("UPDATE categories SET position = $2, version = version + 1, updated_at = $3 WHERE id = $1")
            .bind(a.id.get())
            .bind(b.position)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
