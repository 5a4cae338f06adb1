//! Pricing an order exactly as the desk does, and checked sums.

use larder_core::{Money, OrderPrice, PricingLine, PricingRules, Quantity, UnitPrice, price_order};
use larder_store::orders::{Line, Order};

use crate::ReportError;

/// The quantity a line is priced and counted with: the weighed one where
/// known, else the ordered one (an estimate).
pub(crate) fn effective(line: &Line) -> Quantity {
    line.weighed.unwrap_or(line.ordered)
}

/// The order priced by [`price_order`] with its own discount, delivery
/// flag, manual fee and fixed fee; `lines[i]` prices `order.lines[i]`.
pub(crate) fn price(order: &Order, rules: &PricingRules) -> Result<OrderPrice, ReportError> {
    let lines = order
        .lines
        .iter()
        .map(|line| {
            let price =
                UnitPrice::new(line.unit, line.price).map_err(|source| ReportError::Price {
                    session: order.session_id,
                    number: order.number,
                    source,
                })?;
            Ok(PricingLine {
                price,
                quantity: effective(line),
                packing: line.packing.as_deref(),
                packing_rate: line.packing_rate,
            })
        })
        .collect::<Result<Vec<_>, ReportError>>()?;
    price_order(
        rules,
        &lines,
        order.discount,
        order.delivery,
        order.fee,
        order.fee_fixed,
    )
    .map_err(|source| ReportError::Pricing {
        session: order.session_id,
        number: order.number,
        source,
    })
}

/// `*sum += amount`, or [`ReportError::Overflow`].
pub(crate) fn add_money(sum: &mut Money, amount: Money) -> Result<(), ReportError> {
    *sum = sum.checked_add(amount).ok_or(ReportError::Overflow)?;
    Ok(())
}

/// `*sum += value`, or [`ReportError::Overflow`].
pub(crate) fn add_int(sum: &mut i64, value: i64) -> Result<(), ReportError> {
    *sum = sum.checked_add(value).ok_or(ReportError::Overflow)?;
    Ok(())
}
