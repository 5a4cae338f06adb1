//! The one pricing function: goods, packing, discount and delivery of an
//! order. The desk, the customer's text, statistics and exports all use
//! [`price_order`], so they always agree.
//!
//! # Rules
//!
//! * A line's goods are [`line_total`] of its price and quantity (the
//!   weighed quantity, or the ordered one for an estimate).
//! * A packed line adds a surcharge: `per_100g × grams / 100` for weighed
//!   goods, rounded once, half away from zero ([`crate::round_div_half_away`]),
//!   or `per_piece × pieces` for counted goods. A zero quantity ("not
//!   available") costs nothing and packs nothing.
//! * subtotal = goods + packing. One discount percentage applies to the
//!   subtotal (goods **and** packing, not delivery):
//!   `discount = subtotal.percent(p)`, see [`Money::percent`].
//! * Delivery (only when the order is delivered): a manual fee wins; else a
//!   fee fixed at completion; else [`delivery_fee`] of the subtotal
//!   **before** the discount — a discount never costs the customer free
//!   delivery.
//! * total = after discount + delivery.
//!
//! All arithmetic is checked: overflow is an error, never a panic.

mod config;
mod packing;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use self::config::{DeliveryConfig, PackingConfig, PricingConfig};
pub use self::packing::PackingOption;
use crate::money::Money;
use crate::percent::Percent;
use crate::price::{ArithmeticError, UnitPrice, line_total};
use crate::quantity::Quantity;

/// The delivery fee rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct DeliveryRule {
    /// The fee for a delivered order.
    pub fee: Money,
    /// Delivery is free when the subtotal (before discount) is at least this.
    pub free_from: Option<Money>,
}

/// The business's pricing rules (from `[pricing]` in `larder.toml`, see
/// [`PricingConfig`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PricingRules {
    /// The packing options, codes unique when built by [`PricingConfig::rules`].
    pub packing: Vec<PackingOption>,
    /// The delivery fee rule.
    pub delivery: DeliveryRule,
}

impl PricingRules {
    /// No packing options and free delivery.
    pub fn none() -> PricingRules {
        PricingRules::default()
    }

    /// The packing option with this code.
    pub fn packing(&self, code: &str) -> Option<&PackingOption> {
        self.packing.iter().find(|p| p.code() == code)
    }
}

/// How an order's delivery fee is decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Fee {
    /// By the rule ([`delivery_fee`]), or the fee fixed at completion.
    #[default]
    Auto,
    /// Typed by staff; wins over everything.
    Manual(Money),
}

/// One order line as pricing sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PricingLine<'a> {
    /// The product's price when the line was added.
    pub price: UnitPrice,
    /// The weighed quantity, or the ordered one for an estimate.
    pub quantity: Quantity,
    /// The packing option's code, if the line is packed.
    pub packing: Option<&'a str>,
    /// The packing rate fixed on the line when it was packed (per 100 g or
    /// per piece, by the line's unit); `None`: the configured option's rate.
    pub packing_rate: Option<Money>,
}

/// One priced line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    /// Price × quantity.
    pub goods: Money,
    /// The packing surcharge (zero when not packed).
    pub packing: Money,
    /// `goods + packing`.
    pub total: Money,
}

/// A priced order; every amount in minor units. See the module docs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPrice {
    /// The lines, in the order given.
    pub lines: Vec<PricedLine>,
    /// Σ line goods.
    pub goods: Money,
    /// Σ line packing.
    pub packing: Money,
    /// `goods + packing` (= Σ line totals).
    pub subtotal: Money,
    /// `subtotal.percent(discount)`.
    pub discount: Money,
    /// `subtotal - discount`.
    pub after_discount: Money,
    /// The delivery fee (zero for pickup).
    pub delivery: Money,
    /// `after_discount + delivery`.
    pub total: Money,
}

/// Why an order could not be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    /// Overflow or a unit mismatch between a price and its quantity.
    #[error(transparent)]
    Arithmetic(#[from] ArithmeticError),
    /// A line refers to a packing code the rules do not have (any longer).
    #[error("unknown packing option {0:?}")]
    UnknownPacking(String),
}

/// Prices one line. An unknown packing code is an error even for a zero
/// quantity.
pub fn price_line(
    rules: &PricingRules,
    line: &PricingLine<'_>,
) -> Result<PricedLine, PricingError> {
    let goods = line_total(line.price, line.quantity)?;
    let packing = match (line.packing, line.packing_rate) {
        (None, _) => Money::ZERO,
        (Some(_), Some(rate)) => packing::surcharge_at(rate, line.quantity)?,
        (Some(code), None) => rules
            .packing(code)
            .ok_or_else(|| PricingError::UnknownPacking(code.to_owned()))?
            .surcharge(line.quantity)?,
    };
    let total = goods
        .checked_add(packing)
        .ok_or(ArithmeticError::Overflow)?;
    Ok(PricedLine {
        goods,
        packing,
        total,
    })
}

/// Prices an order (see the module docs for the rules).
///
/// `delivery`: whether the order is delivered; `false` (pickup) means a
/// zero delivery fee whatever `fee` and `fixed_fee` say. `fee`: staff's
/// choice. `fixed_fee`: the fee fixed at completion, which wins over the
/// rule when `fee` is [`Fee::Auto`].
pub fn price_order(
    rules: &PricingRules,
    lines: &[PricingLine<'_>],
    discount: Percent,
    delivery: bool,
    fee: Fee,
    fixed_fee: Option<Money>,
) -> Result<OrderPrice, PricingError> {
    let overflow = || PricingError::Arithmetic(ArithmeticError::Overflow);
    let lines = lines
        .iter()
        .map(|line| price_line(rules, line))
        .collect::<Result<Vec<_>, _>>()?;
    let goods = Money::checked_sum(lines.iter().map(|l| l.goods)).ok_or_else(overflow)?;
    let packing = Money::checked_sum(lines.iter().map(|l| l.packing)).ok_or_else(overflow)?;
    let subtotal = goods.checked_add(packing).ok_or_else(overflow)?;
    let discount = subtotal.percent(discount);
    let after_discount = subtotal.checked_sub(discount).ok_or_else(overflow)?;
    let delivery = match (delivery, fee, fixed_fee) {
        (false, _, _) => Money::ZERO,
        (true, Fee::Manual(m), _) | (true, Fee::Auto, Some(m)) => m,
        (true, Fee::Auto, None) => delivery_fee(rules, subtotal),
    };
    let total = after_discount.checked_add(delivery).ok_or_else(overflow)?;
    Ok(OrderPrice {
        lines,
        goods,
        packing,
        subtotal,
        discount,
        after_discount,
        delivery,
        total,
    })
}

/// The rule's delivery fee for a delivered order with this subtotal
/// (goods + packing, **before** discount): free when the subtotal is at
/// least `free_from`, else the fee.
pub fn delivery_fee(rules: &PricingRules, subtotal: Money) -> Money {
    match rules.delivery.free_from {
        Some(free_from) if subtotal >= free_from => Money::ZERO,
        _ => rules.delivery.fee,
    }
}
