//! Retail outlets on the one catalog: each keeps stock of some products
//! (its assortment, at its own price or the catalog's) and an append-only
//! ledger of movements — receipts, sales, write-offs, counts and transfers.
//! An outlet's stock of a product is the sum of its movements; it is kept
//! beside the assortment in the same transaction as each movement, so two
//! sellers at once can never take it below zero: a sale or write-off that
//! would is refused with what there is, and a count states the stock it was
//! counted against (a count against a stock that moved meanwhile is a
//! conflict: counted again, never applied twice). Only a count may set any
//! stock it finds, a surplus included. Corrections are new movements.

use jiff::civil::Date;
use larder_core::{Money, ProductId, Unit};
use sqlx::{AnyConnection, Connection, Row, any::AnyRow};

use crate::codec::{date_text, parse_date};
use crate::savepoint::settle;
use crate::{Result, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outlet {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub archived: bool,
    pub version: i64,
}

fn outlet_of(row: &AnyRow) -> Result<Outlet> {
    Ok(Outlet {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        archived: row.try_get::<i64, _>("archived")? != 0,
        version: row.try_get("version")?,
    })
}

const OUTLET: &str = "id, name, address, archived, version";

/// A new outlet; `Duplicate` when an active outlet has the name already
/// (ignoring case).
pub async fn create(
    conn: &mut AnyConnection,
    name: &str,
    address: Option<&str>,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outlets (name, name_key, address, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(name)
    .bind(name.to_lowercase())
    .bind(address)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Outlet> {
    let row = sqlx::query(&format!("SELECT {OUTLET} FROM outlets WHERE id = $1"))
        .bind(id)
        .fetch_one(conn)
        .await?;
    outlet_of(&row)
}

/// Active outlets by name (and archived ones after them, if asked).
pub async fn list(conn: &mut AnyConnection, archived_too: bool) -> Result<Vec<Outlet>> {
    let rows = sqlx::query(&format!(
        "SELECT {OUTLET} FROM outlets WHERE archived = 0 OR $1 = 1 ORDER BY archived, name_key"
    ))
    .bind(i64::from(archived_too))
    .fetch_all(conn)
    .await?;
    rows.iter().map(outlet_of).collect()
}

/// Archives an outlet: refused while it holds any stock.
pub async fn archive(conn: &mut AnyConnection, id: i64, version: i64, now: i64) -> Result<()> {
    let mut tx = conn.begin().await?;
    let done = async {
        let held: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outlet_stock WHERE outlet_id = $1 AND quantity <> 0",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if held > 0 {
            return Err(StoreError::Refused);
        }
        let changed = sqlx::query(
            "UPDATE outlets SET archived = 1, version = version + 1, updated_at = $3 \
             WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::Conflict);
        }
        Ok(())
    }
    .await;
    settle(tx, done).await
}

/// One product an outlet keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stock {
    pub product_id: ProductId,
    pub name: String,
    pub unit: Unit,
    /// Grams or pieces.
    pub quantity: i64,
    /// The outlet's price (per kg or piece): its own, or the catalog's.
    pub price: Money,
    /// The outlet has a price of its own.
    pub own_price: bool,
    /// Below this the owner hears of it.
    pub low_stock: Option<i64>,
}

/// What an outlet keeps, by product name.
pub async fn stock(conn: &mut AnyConnection, outlet: i64) -> Result<Vec<Stock>> {
    let rows = sqlx::query(
        "SELECT s.product_id, p.name, p.unit, s.quantity, s.price_minor, p.price_minor AS catalog, \
         s.low_stock FROM outlet_stock s JOIN products p ON p.id = s.product_id \
         WHERE s.outlet_id = $1 ORDER BY p.name_key",
    )
    .bind(outlet)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let own: Option<i64> = r.try_get("price_minor")?;
            Ok(Stock {
                product_id: ProductId::new(r.try_get("product_id")?),
                name: r.try_get("name")?,
                unit: unit_of(&r.try_get::<String, _>("unit")?)?,
                quantity: r.try_get("quantity")?,
                price: Money::from_minor(own.unwrap_or(r.try_get("catalog")?)),
                own_price: own.is_some(),
                low_stock: r.try_get("low_stock")?,
            })
        })
        .collect()
}

fn unit_of(s: &str) -> Result<Unit> {
    match s {
        "kg" => Ok(Unit::Kg),
        "piece" => Ok(Unit::Piece),
        other => Err(StoreError::Corrupt(format!("unknown unit {other:?}"))),
    }
}

/// Adds a catalog product to an outlet's assortment (nothing if it is
/// there already).
pub async fn add_product(conn: &mut AnyConnection, outlet: i64, product: ProductId) -> Result<()> {
    sqlx::query(
        "INSERT INTO outlet_stock (outlet_id, product_id) VALUES ($1, $2) \
         ON CONFLICT (outlet_id, product_id) DO NOTHING",
    )
    .bind(outlet)
    .bind(product.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a product out of an outlet's assortment: only at zero stock.
pub async fn remove_product(
    conn: &mut AnyConnection,
    outlet: i64,
    product: ProductId,
) -> Result<()> {
    let done = sqlx::query(
        "DELETE FROM outlet_stock WHERE outlet_id = $1 AND product_id = $2 AND quantity = 0",
    )
    .bind(outlet)
    .bind(product.get())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    held(conn, outlet, product).await?;
    Err(StoreError::Refused)
}

/// The outlet's own price of a product (`None`: the catalog's).
pub async fn set_price(
    conn: &mut AnyConnection,
    outlet: i64,
    product: ProductId,
    price: Option<Money>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE outlet_stock SET price_minor = $3, version = version + 1 \
         WHERE outlet_id = $1 AND product_id = $2",
    )
    .bind(outlet)
    .bind(product.get())
    .bind(price.map(Money::minor))
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The stock an outlet holds of a product; `NotFound` outside its assortment.
pub async fn held(conn: &mut AnyConnection, outlet: i64, product: ProductId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT quantity FROM outlet_stock WHERE outlet_id = $1 AND product_id = $2",
    )
    .bind(outlet)
    .bind(product.get())
    .fetch_one(conn)
    .await?)
}

/// Why stock is written off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Spoiled,
    Tasting,
    Trimming,
    Other,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Spoiled => "spoiled",
            Reason::Tasting => "tasting",
            Reason::Trimming => "trimming",
            Reason::Other => "other",
        }
    }

    fn parse(s: &str) -> Result<Reason> {
        Ok(match s {
            "spoiled" => Reason::Spoiled,
            "tasting" => Reason::Tasting,
            "trimming" => Reason::Trimming,
            "other" => Reason::Other,
            other => return Err(StoreError::Corrupt(format!("unknown reason {other:?}"))),
        })
    }
}

/// A movement a seller makes (a count is [`count`]; transfers are
/// [`send`] and [`receive`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Stock comes in (from production).
    Receipt,
    /// Stock is sold (an itemised sale).
    Sale,
    /// Stock is written off.
    WriteOff(Reason),
}

impl Move {
    fn kind(self) -> &'static str {
        match self {
            Move::Receipt => "receipt",
            Move::Sale => "sale",
            Move::WriteOff(_) => "write_off",
        }
    }
}

/// Who and when, for the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct By {
    pub user: Option<i64>,
    /// The business day it counts for.
    pub day: Date,
    pub now: i64,
}

/// Not enough stock for what was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Short {
    /// What the outlet holds.
    pub held: i64,
}

/// Records a receipt, sale or write-off of `quantity` (grams or pieces,
/// positive). Returns the stock after, or `Short` (nothing recorded) when a
/// sale or write-off asks for more than there is.
pub async fn record(
    conn: &mut AnyConnection,
    outlet: i64,
    product: ProductId,
    what: Move,
    quantity: i64,
    by: By,
) -> Result<std::result::Result<i64, Short>> {
    if quantity <= 0 {
        return Err(StoreError::Refused);
    }
    let delta = match what {
        Move::Receipt => quantity,
        Move::Sale | Move::WriteOff(_) => -quantity,
    };
    let reason = match what {
        Move::WriteOff(r) => Some(r),
        _ => None,
    };
    let mut tx = conn.begin().await?;
    let done = apply(
        &mut tx,
        outlet,
        product,
        what.kind(),
        delta,
        reason,
        None,
        by,
    )
    .await;
    settle(tx, done).await
}

/// Applies a signed change within `conn`'s transaction: refused as `Short`
/// below zero; the movement is written with the price then.
#[expect(clippy::too_many_arguments, reason = "one ledger row's fields")]
async fn apply(
    conn: &mut AnyConnection,
    outlet: i64,
    product: ProductId,
    kind: &str,
    delta: i64,
    reason: Option<Reason>,
    corrects: Option<i64>,
    by: By,
) -> Result<std::result::Result<i64, Short>> {
    let changed = sqlx::query(
        "UPDATE outlet_stock SET quantity = quantity + $3, version = version + 1 \
         WHERE outlet_id = $1 AND product_id = $2 AND quantity + $3 >= 0",
    )
    .bind(outlet)
    .bind(product.get())
    .bind(delta)
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() == 0 {
        let held = held(conn, outlet, product).await?;
        return Ok(Err(Short { held }));
    }
    write(
        conn, outlet, product, kind, delta, reason, corrects, None, by,
    )
    .await?;
    Ok(Ok(held(conn, outlet, product).await?))
}

#[expect(clippy::too_many_arguments, reason = "one ledger row's fields")]
async fn write(
    conn: &mut AnyConnection,
    outlet: i64,
    product: ProductId,
    kind: &str,
    delta: i64,
    reason: Option<Reason>,
    corrects: Option<i64>,
    transfer: Option<i64>,
    by: By,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO stock_movements (outlet_id, product_id, kind, quantity, unit, price_minor, \
         reason, transfer_id, corrects, day, user_id, created_at) \
         SELECT s.outlet_id, s.product_id, $3, $4, p.unit, COALESCE(s.price_minor, p.price_minor), \
         $5, $6, $7, $8, $9, $10 \
         FROM outlet_stock s JOIN products p ON p.id = s.product_id \
         WHERE s.outlet_id = $1 AND s.product_id = $2 RETURNING id",
    )
    .bind(outlet)
    .bind(product.get())
    .bind(kind)
    .bind(delta)
    .bind(reason.map(Reason::as_str))
    .bind(transfer)
    .bind(corrects)
    .bind(date_text(by.day))
    .bind(by.user)
    .bind(by.now)
    .fetch_one(conn)
    .await?)
}

/// The end-of-day count: the stock is what was counted, and the difference
/// from the `seen` book stock is recorded (less: sold or lost; more: a
/// surplus). `Conflict` when the stock moved since it was seen (another
/// seller sold or counted meanwhile): count again. Returns the difference.
pub async fn count(
    conn: &mut AnyConnection,
    outlet: i64,
    product: ProductId,
    counted: i64,
    seen: i64,
    by: By,
) -> Result<i64> {
    if counted < 0 {
        return Err(StoreError::Refused);
    }
    let mut tx = conn.begin().await?;
    let done = async {
        let changed = sqlx::query(
            "UPDATE outlet_stock SET quantity = $3, version = version + 1 \
             WHERE outlet_id = $1 AND product_id = $2 AND quantity = $4",
        )
        .bind(outlet)
        .bind(product.get())
        .bind(counted)
        .bind(seen)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            held(&mut tx, outlet, product).await?;
            return Err(StoreError::Conflict);
        }
        let delta = counted - seen;
        write(
            &mut tx, outlet, product, "count", delta, None, None, None, by,
        )
        .await?;
        Ok(delta)
    }
    .await;
    settle(tx, done).await
}

/// Undoes a movement with its opposite (a new movement naming it): once,
/// and only while the stock allows (`Short` otherwise). Transfers are not
/// undone this way: what was received is sent back.
pub async fn correct(
    conn: &mut AnyConnection,
    movement: i64,
    by: By,
) -> Result<std::result::Result<i64, Short>> {
    let mut tx = conn.begin().await?;
    let done = async {
        let row = sqlx::query(
            "SELECT outlet_id, product_id, kind, quantity, reason, corrects FROM stock_movements \
             WHERE id = $1",
        )
        .bind(movement)
        .fetch_one(&mut *tx)
        .await?;
        let kind: String = row.try_get("kind")?;
        let corrects: Option<i64> = row.try_get("corrects")?;
        if kind.starts_with("transfer") || corrects.is_some() {
            return Err(StoreError::Refused);
        }
        let reason: Option<String> = row.try_get("reason")?;
        let reason = reason.as_deref().map(Reason::parse).transpose()?;
        let outlet: i64 = row.try_get("outlet_id")?;
        let product = ProductId::new(row.try_get("product_id")?);
        let quantity: i64 = row.try_get("quantity")?;
        match apply(
            &mut tx,
            outlet,
            product,
            &kind,
            -quantity,
            reason,
            Some(movement),
            by,
        )
        .await
        {
            // Corrected already: the unique index on `corrects` says so.
            Err(StoreError::Duplicate) => Err(StoreError::Refused),
            other => other,
        }
    }
    .await;
    settle(tx, done).await
}

/// Sends stock to another outlet: out of this one now (`Short` if there is
/// not enough), in transit until received there. Returns the transfer.
pub async fn send(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    product: ProductId,
    quantity: i64,
    by: By,
) -> Result<std::result::Result<i64, Short>> {
    if quantity <= 0 || from == to {
        return Err(StoreError::Refused);
    }
    let mut tx = conn.begin().await?;
    let done = async {
        // The other outlet must keep the product (its assortment).
        held(&mut tx, to, product).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stock_transfers (from_outlet, to_outlet, product_id, quantity, sent_by, \
             sent_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(from)
        .bind(to)
        .bind(product.get())
        .bind(quantity)
        .bind(by.user)
        .bind(by.now)
        .fetch_one(&mut *tx)
        .await?;
        let changed = sqlx::query(
            "UPDATE outlet_stock SET quantity = quantity - $3, version = version + 1 \
             WHERE outlet_id = $1 AND product_id = $2 AND quantity >= $3",
        )
        .bind(from)
        .bind(product.get())
        .bind(quantity)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            let held = held(&mut tx, from, product).await?;
            return Ok(Err(Short { held }));
        }
        write(
            &mut tx,
            from,
            product,
            "transfer_out",
            -quantity,
            None,
            None,
            Some(id),
            by,
        )
        .await?;
        Ok(Ok(id))
    }
    .await;
    // `Short`: nothing is kept, the transfer row included.
    match done {
        Ok(Err(short)) => {
            tx.rollback().await?;
            Ok(Err(short))
        }
        other => settle(tx, other).await,
    }
}

/// A transfer on its way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub id: i64,
    pub from: i64,
    pub to: i64,
    pub product_id: ProductId,
    pub quantity: i64,
    pub sent_at: i64,
}

/// Transfers still on their way to an outlet.
pub async fn in_transit(conn: &mut AnyConnection, to: i64) -> Result<Vec<Transfer>> {
    let rows = sqlx::query(
        "SELECT id, from_outlet, to_outlet, product_id, quantity, sent_at FROM stock_transfers \
         WHERE to_outlet = $1 AND received_at IS NULL ORDER BY id",
    )
    .bind(to)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Transfer {
                id: r.try_get("id")?,
                from: r.try_get("from_outlet")?,
                to: r.try_get("to_outlet")?,
                product_id: ProductId::new(r.try_get("product_id")?),
                quantity: r.try_get("quantity")?,
                sent_at: r.try_get("sent_at")?,
            })
        })
        .collect()
}

/// The receiving outlet takes a transfer in: once (`Refused` after).
pub async fn receive(conn: &mut AnyConnection, transfer: i64, by: By) -> Result<i64> {
    let mut tx = conn.begin().await?;
    let done = async {
        let row = sqlx::query(
            "UPDATE stock_transfers SET received_by = $2, received_at = $3 \
             WHERE id = $1 AND received_at IS NULL RETURNING to_outlet, product_id, quantity",
        )
        .bind(transfer)
        .bind(by.user)
        .bind(by.now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::Refused)?;
        let to: i64 = row.try_get("to_outlet")?;
        let product = ProductId::new(row.try_get("product_id")?);
        let quantity: i64 = row.try_get("quantity")?;
        sqlx::query(
            "UPDATE outlet_stock SET quantity = quantity + $3, version = version + 1 \
             WHERE outlet_id = $1 AND product_id = $2",
        )
        .bind(to)
        .bind(product.get())
        .bind(quantity)
        .execute(&mut *tx)
        .await?;
        write(
            &mut tx,
            to,
            product,
            "transfer_in",
            quantity,
            None,
            None,
            Some(transfer),
            by,
        )
        .await?;
        held(&mut tx, to, product).await
    }
    .await;
    settle(tx, done).await
}

/// A product's movements of an outlet's day, summed by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayLine {
    pub product_id: Option<ProductId>,
    pub name: String,
    pub unit: Option<Unit>,
    pub received: i64,
    /// Itemised sales.
    pub sold: i64,
    /// Stock a count found missing (sold without a record, or lost).
    pub counted_short: i64,
    /// Stock a count found beyond the books.
    pub surplus: i64,
    pub written_off: i64,
    pub transferred_in: i64,
    pub transferred_out: i64,
    /// What the sales and the count's shortfall are worth at the prices of
    /// the day (one rounding per movement, as every line is priced).
    pub expected: Money,
}

/// An outlet's day: each product's movements and what they should have
/// brought in. Corrections count with what they correct.
pub async fn day(conn: &mut AnyConnection, outlet: i64, day: Date) -> Result<Vec<DayLine>> {
    let rows = sqlx::query(
        "SELECT m.product_id, p.name, m.kind, m.quantity, m.unit, m.price_minor, \
         CASE WHEN m.corrects IS NULL THEN 0 ELSE 1 END AS correction \
         FROM stock_movements m JOIN products p ON p.id = m.product_id \
         WHERE m.outlet_id = $1 AND m.day = $2 ORDER BY p.name_key, m.id",
    )
    .bind(outlet)
    .bind(date_text(day))
    .fetch_all(conn)
    .await?;
    let mut lines: Vec<DayLine> = Vec::new();
    for r in &rows {
        let product = ProductId::new(r.try_get("product_id")?);
        let unit = unit_of(&r.try_get::<String, _>("unit")?)?;
        let quantity: i64 = r.try_get("quantity")?;
        let price = Money::from_minor(r.try_get("price_minor")?);
        let kind: String = r.try_get("kind")?;
        // A correction counts in the bucket of what it undoes.
        let correction = r.try_get::<i64, _>("correction")? != 0;
        let at = match lines.iter().position(|l| l.product_id == Some(product)) {
            Some(at) => at,
            None => {
                lines.push(DayLine {
                    product_id: Some(product),
                    name: r.try_get("name")?,
                    unit: Some(unit),
                    ..DayLine::default()
                });
                lines.len() - 1
            }
        };
        let line = &mut lines[at];
        // What the movement is worth, signed as stock leaving is income.
        let worth = || -> Result<Money> {
            let unit_price = larder_core::UnitPrice::new(unit, price)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let q = larder_core::Quantity::new(unit, quantity.abs())
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let m = larder_core::line_total(unit_price, q)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(if quantity < 0 {
                m
            } else {
                Money::from_minor(-m.minor())
            })
        };
        match kind.as_str() {
            "receipt" => line.received += quantity,
            "sale" => {
                line.sold -= quantity;
                line.expected = Money::from_minor(line.expected.minor() + worth()?.minor());
            }
            // Undoing a surplus.
            "count" if correction && quantity < 0 => line.surplus += quantity,
            "count" if quantity < 0 || correction => {
                line.counted_short -= quantity;
                line.expected = Money::from_minor(line.expected.minor() + worth()?.minor());
            }
            "count" => line.surplus += quantity,
            "write_off" => line.written_off -= quantity,
            "transfer_in" => line.transferred_in += quantity,
            "transfer_out" => line.transferred_out -= quantity,
            other => return Err(StoreError::Corrupt(format!("unknown movement {other:?}"))),
        }
    }
    Ok(lines)
}

/// What a seller reports of an outlet's day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub receipts: i64,
    pub cash: Money,
    pub card: Money,
    pub note: Option<String>,
}

/// Stored report of an outlet's day, with its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReport {
    pub report: Report,
    pub user: Option<i64>,
    pub version: i64,
}

/// Submits (no `version`) or amends (the version read) the report of one
/// outlet's day — that outlet's only. A second submission of the same day
/// is `Duplicate`; a stale amendment `Conflict`. Zero receipts are fine.
pub async fn report(
    conn: &mut AnyConnection,
    outlet: i64,
    day: Date,
    r: &Report,
    version: Option<i64>,
    by: By,
) -> Result<()> {
    if r.receipts < 0 || r.cash.minor() < 0 || r.card.minor() < 0 {
        return Err(StoreError::Refused);
    }
    match version {
        None => {
            sqlx::query(
                "INSERT INTO outlet_reports (outlet_id, day, receipts, cash_minor, card_minor, \
                 note, user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(outlet)
            .bind(date_text(day))
            .bind(r.receipts)
            .bind(r.cash.minor())
            .bind(r.card.minor())
            .bind(r.note.as_deref())
            .bind(by.user)
            .bind(by.now)
            .execute(conn)
            .await?;
        }
        Some(version) => {
            let done = sqlx::query(
                "UPDATE outlet_reports SET receipts = $3, cash_minor = $4, card_minor = $5, \
                 note = $6, user_id = $7, updated_at = $8, version = version + 1 \
                 WHERE outlet_id = $1 AND day = $2 AND version = $9",
            )
            .bind(outlet)
            .bind(date_text(day))
            .bind(r.receipts)
            .bind(r.cash.minor())
            .bind(r.card.minor())
            .bind(r.note.as_deref())
            .bind(by.user)
            .bind(by.now)
            .bind(version)
            .execute(conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict);
            }
        }
    }
    Ok(())
}

/// The report of an outlet's day, if there is one.
pub async fn report_of(
    conn: &mut AnyConnection,
    outlet: i64,
    day: Date,
) -> Result<Option<StoredReport>> {
    let row = sqlx::query(
        "SELECT receipts, cash_minor, card_minor, note, user_id, version FROM outlet_reports \
         WHERE outlet_id = $1 AND day = $2",
    )
    .bind(outlet)
    .bind(date_text(day))
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(StoredReport {
            report: Report {
                receipts: r.try_get("receipts")?,
                cash: Money::from_minor(r.try_get("cash_minor")?),
                card: Money::from_minor(r.try_get("card_minor")?),
                note: r.try_get("note")?,
            },
            user: r.try_get("user_id")?,
            version: r.try_get("version")?,
        })
    })
    .transpose()
}

/// The days an outlet has movements or a report, newest first.
pub async fn days(conn: &mut AnyConnection, outlet: i64, limit: i64) -> Result<Vec<Date>> {
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT day FROM (SELECT day FROM stock_movements WHERE outlet_id = $1 \
         UNION SELECT day FROM outlet_reports WHERE outlet_id = $1) d ORDER BY day DESC LIMIT $2",
    )
    .bind(outlet)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    texts
        .into_iter()
        .map(|t| {
            parse_date("day", Some(t.clone()))?
                .ok_or_else(|| StoreError::Corrupt(format!("day {t:?}")))
        })
        .collect()
}

/// The product's unit may not change while an outlet holds it: a stock in
/// grams cannot become pieces.
pub async fn product_held_anywhere(conn: &mut AnyConnection, product: ProductId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outlet_stock WHERE product_id = $1 AND quantity <> 0",
    )
    .bind(product.get())
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// One outlet's day in a period: what its sales and its counts' shortfall
/// should have brought in, and what its report says came in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutletDay {
    pub outlet_id: i64,
    pub day: Date,
    pub expected: Money,
    /// The day's report, if one was made.
    pub report: Option<Report>,
}

/// Every outlet's days from `from` to `to` (inclusive) that have sales,
/// counts or a report, by outlet and day — priced in the database with the
/// line rule (each movement rounded once, half away from zero), so a year
/// of ledger is one query.
pub async fn period(conn: &mut AnyConnection, from: Date, to: Date) -> Result<Vec<OutletDay>> {
    let rows = sqlx::query(
        "SELECT d.outlet_id, d.day, COALESCE(e.expected, 0) AS expected, r.receipts, \
         r.cash_minor, r.card_minor, r.note FROM \
         (SELECT outlet_id, day FROM stock_movements WHERE day BETWEEN $1 AND $2 \
          AND kind IN ('sale', 'count') \
          UNION SELECT outlet_id, day FROM outlet_reports WHERE day BETWEEN $1 AND $2) d \
         LEFT JOIN (SELECT outlet_id, day, CAST(SUM(CASE \
             WHEN kind = 'count' AND quantity > 0 AND corrects IS NULL THEN 0 \
             WHEN kind = 'count' AND quantity < 0 AND corrects IS NOT NULL THEN 0 \
             WHEN unit = 'kg' AND quantity < 0 THEN (price_minor * -quantity + 500) / 1000 \
             WHEN unit = 'kg' THEN -((price_minor * quantity + 500) / 1000) \
             ELSE -quantity * price_minor END) AS BIGINT) AS expected \
           FROM stock_movements WHERE day BETWEEN $1 AND $2 AND kind IN ('sale', 'count') \
           GROUP BY outlet_id, day) e ON e.outlet_id = d.outlet_id AND e.day = d.day \
         LEFT JOIN outlet_reports r ON r.outlet_id = d.outlet_id AND r.day = d.day \
         ORDER BY d.outlet_id, d.day",
    )
    .bind(date_text(from))
    .bind(date_text(to))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let day: String = r.try_get("day")?;
            let receipts: Option<i64> = r.try_get("receipts")?;
            let report = match receipts {
                Some(receipts) => Some(Report {
                    receipts,
                    cash: Money::from_minor(r.try_get("cash_minor")?),
                    card: Money::from_minor(r.try_get("card_minor")?),
                    note: r.try_get("note")?,
                }),
                None => None,
            };
            Ok(OutletDay {
                outlet_id: r.try_get("outlet_id")?,
                day: parse_date("day", Some(day.clone()))?
                    .ok_or_else(|| StoreError::Corrupt(format!("day {day:?}")))?,
                expected: Money::from_minor(r.try_get("expected")?),
                report,
            })
        })
        .collect()
}
