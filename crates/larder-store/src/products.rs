//! The product catalog. Names are unique among active products
//! (case-insensitively, via `name_key`); archived products keep their rows so
//! order history can still show them.

use larder_core::{CategoryId, Money, ProductId, ProductName, Unit};
use sqlx::{AnyConnection, Connection, Row, any::AnyRow};

use crate::{Result, StoreError, flag};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub unit: Unit,
    pub price: Money,
    pub archived: bool,
    pub version: i64,
    pub category: Option<CategoryId>,
    pub description: Option<String>,
    /// The photo's file id in the messenger.
    pub photo: Option<String>,
    pub prep_minutes: Option<i64>,
    /// False while the product is on the stop-list.
    pub available: bool,
}

const COLUMNS: &str = "id, name, unit, price_minor, archived, version, category_id, description, photo, \
                       prep_minutes, available";

fn from_row(row: &AnyRow) -> Result<Product> {
    let unit: String = row.try_get("unit")?;
    Ok(Product {
        id: ProductId::new(row.try_get("id")?),
        name: row.try_get("name")?,
        unit: unit
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("product unit {unit:?}")))?,
        price: Money::from_minor(row.try_get("price_minor")?),
        archived: row.try_get::<i64, _>("archived")? != 0,
        version: row.try_get("version")?,
        category: row
            .try_get::<Option<i64>, _>("category_id")?
            .map(CategoryId::new),
        description: row.try_get("description")?,
        photo: row.try_get("photo")?,
        prep_minutes: row.try_get("prep_minutes")?,
        available: row.try_get::<i64, _>("available")? != 0,
    })
}

/// The comparison key that makes "Gouda" and "gouda" the same name.
pub fn name_key(name: &ProductName) -> String {
    name.as_str().to_lowercase()
}

/// Creates an active product; `Duplicate` if an active one has the same name.
pub async fn insert(
    conn: &mut AnyConnection,
    name: &ProductName,
    unit: Unit,
    price: Money,
    now: i64,
) -> Result<ProductId> {
    // In a savepoint: a refused name must not abort the caller's transaction.
    let mut sp = conn.begin().await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO products (name, name_key, unit, price_minor, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(name.as_str())
    .bind(name_key(name))
    .bind(unit.as_str())
    .bind(price.minor())
    .bind(now)
    .fetch_one(&mut *sp)
    .await;
    let id = crate::savepoint::settle(sp, id.map_err(StoreError::from)).await?;
    Ok(ProductId::new(id))
}

pub async fn get(conn: &mut AnyConnection, id: ProductId) -> Result<Product> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM products WHERE id = $1"))
        .bind(id.get())
        .fetch_one(conn)
        .await?;
    from_row(&row)
}

/// The active product with this name key, if any.
pub async fn find_active_by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<ProductId>> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM products WHERE name_key = $1 AND archived = 0")
            .bind(key)
            .fetch_optional(conn)
            .await?;
    Ok(id.map(ProductId::new))
}

/// One page of products, active or archived, ordered by name.
pub async fn page(
    conn: &mut AnyConnection,
    archived: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<Product>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM products WHERE archived = $1 \
         ORDER BY name_key, id LIMIT $2 OFFSET $3"
    ))
    .bind(flag(archived))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn count(conn: &mut AnyConnection, archived: bool) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE archived = $1")
            .bind(flag(archived))
            .fetch_one(conn)
            .await?,
    )
}

/// What an edit changes. Each edit bumps the version; a stale `version`
/// (someone else edited first) yields `Conflict` and changes nothing. A new
/// unit while an outlet holds stock of the product is `Refused`.
#[derive(Clone, Debug)]
pub enum Change<'a> {
    Name(&'a ProductName),
    Price(Money),
    Unit(Unit),
    Archived(bool),
    Category(Option<CategoryId>),
    Description(Option<&'a str>),
    Photo(Option<&'a str>),
    PrepMinutes(Option<i64>),
    Available(bool),
}

pub async fn update(
    conn: &mut AnyConnection,
    id: ProductId,
    version: i64,
    change: Change<'_>,
    now: i64,
) -> Result<()> {
    const SET: &str = "version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2";
    let head = |set: &str| format!("UPDATE products SET {set}, {SET}");
    let sql = match change {
        Change::Name(_) => head("name = $4, name_key = $5"),
        Change::Price(_) => head("price_minor = $4"),
        Change::Unit(_) => head("unit = $4"),
        Change::Archived(_) => head("archived = $4"),
        Change::Category(_) => head("category_id = $4"),
        Change::Description(_) => head("description = $4"),
        Change::Photo(_) => head("photo = $4"),
        Change::PrepMinutes(_) => head("prep_minutes = $4"),
        Change::Available(_) => head("available = $4"),
    };
    // Outlets count a product's stock in its unit: grams cannot become pieces.
    if let Change::Unit(unit) = change
        && get(conn, id).await?.unit != unit
        && crate::outlets::product_held_anywhere(conn, id).await?
    {
        return Err(StoreError::Refused);
    }
    let query = sqlx::query(&sql).bind(id.get()).bind(version).bind(now);
    let query = match change {
        Change::Name(name) => query.bind(name.as_str()).bind(name_key(name)),
        Change::Price(price) => query.bind(price.minor()),
        Change::Unit(unit) => query.bind(unit.as_str()),
        Change::Archived(archived) => query.bind(flag(archived)),
        Change::Category(c) => query.bind(c.map(CategoryId::get)),
        Change::Description(d) => query.bind(d),
        Change::Photo(p) => query.bind(p),
        Change::PrepMinutes(m) => query.bind(m),
        Change::Available(a) => query.bind(flag(a)),
    };
    let mut sp = conn.begin().await?;
    let done = query.execute(&mut *sp).await;
    if crate::savepoint::settle(sp, done.map_err(StoreError::from))
        .await?
        .rows_affected()
        == 1
    {
        return Ok(());
    }
    // Distinguish a missing product from a lost race.
    get(conn, id).await?;
    Err(StoreError::Conflict)
}

/// Active products of a category (or without one), by name — for the shop.
pub async fn in_category(
    conn: &mut AnyConnection,
    category: Option<CategoryId>,
) -> Result<Vec<Product>> {
    let rows = match category {
        Some(c) => sqlx::query(&format!(
            "SELECT {COLUMNS} FROM products WHERE archived = 0 AND category_id = $1 ORDER BY name_key, id"
        ))
        .bind(c.get())
        .fetch_all(conn)
        .await?,
        None => sqlx::query(&format!(
            "SELECT {COLUMNS} FROM products WHERE archived = 0 AND category_id IS NULL ORDER BY name_key, id"
        ))
        .fetch_all(conn)
        .await?,
    };
    rows.iter().map(from_row).collect()
}
