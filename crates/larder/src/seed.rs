//! The demo's catalog: a small cheese shop with weighed and counted goods.

use larder_core::{Money, ProductName, Unit};
use larder_store::{Store, products};

/// (name, unit, price in minor units)
pub const DEMO_PRODUCTS: &[(&str, Unit, i64)] = &[
    ("Gouda", Unit::Kg, 25_000),
    ("Caciotta", Unit::Kg, 25_000),
    ("Greek yoghurt", Unit::Piece, 2_500),
    ("Brie", Unit::Kg, 32_000),
    ("Camembert", Unit::Piece, 18_000),
    ("Ricotta", Unit::Kg, 12_000),
    ("Mozzarella", Unit::Piece, 4_500),
    ("Aged hard cheese", Unit::Kg, 45_000),
    ("Feta", Unit::Kg, 20_000),
    ("Farm butter", Unit::Piece, 3_000),
];

/// Adds the demo catalog to an empty product table; leaves others alone.
pub async fn demo_catalog(store: &Store, now: i64) -> anyhow::Result<usize> {
    let mut tx = store.begin().await?;
    if products::count(&mut tx, false).await? + products::count(&mut tx, true).await? > 0 {
        return Ok(0);
    }
    for (name, unit, price) in DEMO_PRODUCTS {
        let name =
            ProductName::parse(name).map_err(|e| anyhow::anyhow!("demo product name: {e}"))?;
        products::insert(&mut tx, &name, *unit, Money::from_minor(*price), now).await?;
    }
    tx.commit().await?;
    Ok(DEMO_PRODUCTS.len())
}
