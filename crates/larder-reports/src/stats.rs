//! What was sold, what is pending and what is left to weigh.

use std::collections::{BTreeMap, BTreeSet};

use larder_core::{Money, OrderStatus, PricingRules, Unit};
use larder_store::orders::{Line, Order};
use serde::Serialize;

use crate::ReportError;
use crate::pricing::{add_int, add_money, effective, price};

/// Issued orders: how many, what they sold and what they brought in.
/// Every amount is a sum of [`larder_core::OrderPrice`] fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IssuedStats {
    pub orders: usize,
    /// By name (case-insensitively), then unit.
    pub products: Vec<ProductSold>,
    pub goods: Money,
    pub packing: Money,
    pub discount: Money,
    pub after_discount: Money,
    pub delivery: Money,
    pub total: Money,
}

/// One product (a `(name, unit)` line snapshot) in issued orders. Lines
/// weighed 0 are left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductSold {
    pub name: String,
    pub unit: Unit,
    /// Weighed grams or pieces.
    pub quantity: i64,
    /// Lines with packing.
    pub packed: usize,
    /// Before discount; the products' goods add up to [`IssuedStats::goods`].
    pub goods: Money,
    /// Orders with this product.
    pub orders: usize,
}

/// Orders not yet issued (processing and completed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PendingStats {
    pub orders: usize,
    /// By name (case-insensitively), then unit.
    pub products: Vec<ProductPending>,
    /// Σ order totals, priced with the weighed quantity where known, else
    /// the ordered one.
    pub expected_total: Money,
}

/// One product in orders not yet issued. Quantities are grams or pieces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductPending {
    pub name: String,
    pub unit: Unit,
    /// Of every line.
    pub ordered: i64,
    /// Of the weighed lines (a line weighed 0 adds 0).
    pub weighed: i64,
    pub unweighed_lines: usize,
}

/// One product of a production list: what orders not yet issued need.
/// Quantities are grams or pieces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductionLine {
    pub name: String,
    pub unit: Unit,
    /// Of every line.
    pub ordered: i64,
    /// Of the weighed lines.
    pub weighed: i64,
    /// Ordered of the lines not weighed yet.
    pub remaining: i64,
}

/// The sort and group key of a line's product: the name case-folded (for
/// the order), the exact name and the unit (for the group).
type Key = (String, String, &'static str);

fn key(line: &Line) -> Key {
    (
        line.name.to_lowercase(),
        line.name.clone(),
        line.unit.as_str(),
    )
}

fn is_issued(order: &&Order) -> bool {
    order.status == OrderStatus::Issued
}

/// Taken and not yet issued (cancelled orders count nowhere).
fn is_pending(order: &&Order) -> bool {
    matches!(
        order.status,
        OrderStatus::Processing | OrderStatus::Completed
    )
}

/// Statistics of the issued orders among `orders` (others are ignored).
pub fn issued_stats(orders: &[Order], rules: &PricingRules) -> Result<IssuedStats, ReportError> {
    let mut stats = IssuedStats::default();
    let mut products = BTreeMap::<Key, ProductSold>::new();
    for order in orders.iter().filter(is_issued) {
        let priced = price(order, rules)?;
        stats.orders += 1;
        add_money(&mut stats.goods, priced.goods)?;
        add_money(&mut stats.packing, priced.packing)?;
        add_money(&mut stats.discount, priced.discount)?;
        add_money(&mut stats.after_discount, priced.after_discount)?;
        add_money(&mut stats.delivery, priced.delivery)?;
        add_money(&mut stats.total, priced.total)?;
        let mut in_order = BTreeSet::new();
        for (line, priced) in order.lines.iter().zip(&priced.lines) {
            let quantity = effective(line);
            if quantity.is_zero() {
                continue;
            }
            let key = key(line);
            let product = products.entry(key.clone()).or_insert_with(|| ProductSold {
                name: line.name.clone(),
                unit: line.unit,
                quantity: 0,
                packed: 0,
                goods: Money::ZERO,
                orders: 0,
            });
            add_int(&mut product.quantity, quantity.value())?;
            product.packed += usize::from(line.packing.is_some());
            add_money(&mut product.goods, priced.goods)?;
            if in_order.insert(key) {
                product.orders += 1;
            }
        }
    }
    stats.products = products.into_values().collect();
    Ok(stats)
}

/// Statistics of the orders not yet issued among `orders` (issued ones are
/// ignored).
pub fn pending_stats(orders: &[Order], rules: &PricingRules) -> Result<PendingStats, ReportError> {
    let mut stats = PendingStats::default();
    for order in orders.iter().filter(is_pending) {
        stats.orders += 1;
        add_money(&mut stats.expected_total, price(order, rules)?.total)?;
    }
    stats.products = progress(orders)
        .into_iter()
        .map(|p| ProductPending {
            name: p.line.name,
            unit: p.line.unit,
            ordered: p.line.ordered,
            weighed: p.line.weighed,
            unweighed_lines: p.unweighed_lines,
        })
        .collect();
    Ok(stats)
}

/// The production list of the orders taken and not yet issued among `orders`: per
/// product, ordered, weighed so far and remaining to weigh. Quantities
/// saturate at `i64::MAX` (billions of tonnes) instead of failing.
pub fn production_list(orders: &[Order]) -> Vec<ProductionLine> {
    progress(orders).into_iter().map(|p| p.line).collect()
}

struct Progress {
    line: ProductionLine,
    unweighed_lines: usize,
}

/// Per product, by key, of the orders not yet issued.
fn progress(orders: &[Order]) -> Vec<Progress> {
    let mut products = BTreeMap::<Key, Progress>::new();
    for line in orders.iter().filter(is_pending).flat_map(|o| &o.lines) {
        let p = products.entry(key(line)).or_insert_with(|| Progress {
            line: ProductionLine {
                name: line.name.clone(),
                unit: line.unit,
                ordered: 0,
                weighed: 0,
                remaining: 0,
            },
            unweighed_lines: 0,
        });
        let ordered = line.ordered.value();
        p.line.ordered = p.line.ordered.saturating_add(ordered);
        match line.weighed {
            Some(weighed) => p.line.weighed = p.line.weighed.saturating_add(weighed.value()),
            None => {
                p.line.remaining = p.line.remaining.saturating_add(ordered);
                p.unweighed_lines += 1;
            }
        }
    }
    products.into_values().collect()
}
