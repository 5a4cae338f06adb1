//! One set of edits for an unsaved draft and for a saved order. A draft is
//! changed in the chat state; an order in the database, with the version
//! check (a concurrent change wins, this one changes nothing) and history.

use larder_core::{Fee, OrderId, OrderLineId, OrderStatus, ProductId, Quantity, SessionId};
use larder_store::orders::{self, NewLine, OrderChange};
use larder_store::{StoreError, products};

use super::state::{DeskState, DraftLine, Screen};
use crate::action::{LineKey, Target};
use crate::{Ctx, UiError};

/// A change to a draft or an order.
pub enum EditOp {
    Field(OrderChange),
    AddLine {
        product: ProductId,
        ordered: Quantity,
    },
    RemoveLine(LineKey),
    SetOrdered(LineKey, Quantity),
    SetWeighed(LineKey, Option<Quantity>),
    Pack(Option<LineKey>, Option<String>),
    Session(SessionId),
}

/// How an edit ended.
pub enum Applied {
    Done,
    /// A note for the person (e.g. "added to the existing line").
    DoneWith(String),
    /// Nothing changed; the notice says why.
    Refused(String),
    /// A line sold by weight was added to an order already weighed: its
    /// weight is asked for at once, so the order does not hold an
    /// unweighed line unnoticed.
    WeighNow(OrderId, OrderLineId),
}

/// The screen an edit returns to.
pub fn home(target: Target) -> Screen {
    match target {
        Target::Draft => Screen::Draft { lines: 0 },
        Target::Order(id) => Screen::OrderEdit { id, lines: 0 },
    }
}

pub async fn apply(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    target: Target,
    op: EditOp,
) -> Result<Applied, UiError> {
    match target {
        Target::Draft => draft(ctx, state, op).await,
        Target::Order(id) => {
            let o = match orders::get(ctx.tx, id).await {
                Ok(o) => o,
                Err(StoreError::NotFound) => return Ok(Applied::Refused(ctx.lang.t("not-found"))),
                Err(e) => return Err(e.into()),
            };
            let (v, who, now) = (o.version, Some(ctx.user.me()?), ctx.now);
            let line = |k: LineKey| OrderLineId::new(k);
            let mut note = None;
            let result = match op {
                EditOp::Field(change) => orders::update(ctx.tx, id, v, change, who, now).await,
                EditOp::AddLine { product, ordered } => {
                    let p = products::get(ctx.tx, product).await?;
                    let new = NewLine {
                        product_id: Some(p.id),
                        name: p.name,
                        unit: p.unit,
                        price: p.price,
                        ordered,
                        packing: None,
                        packing_rate: None,
                    };
                    let unit = new.unit;
                    match orders::add_line(ctx.tx, id, v, &new, who, now).await {
                        Ok(added) if o.status != OrderStatus::Processing => {
                            if unit == larder_core::Unit::Piece {
                                // Counted when ordered: weighed as it is.
                                let q = Some(ordered);
                                orders::set_weighed(ctx.tx, id, v + 1, added, q, who, now).await?;
                                Ok(())
                            } else {
                                return Ok(Applied::WeighNow(id, added));
                            }
                        }
                        done => done.map(drop),
                    }
                }
                EditOp::RemoveLine(k) => {
                    orders::remove_line(ctx.tx, id, v, line(k), who, now).await
                }
                EditOp::SetOrdered(k, q) => {
                    orders::set_ordered(ctx.tx, id, v, line(k), q, who, now).await
                }
                EditOp::SetWeighed(k, q) => {
                    orders::set_weighed(ctx.tx, id, v, line(k), q, who, now).await
                }
                EditOp::Pack(k, p) => {
                    let option = p
                        .as_deref()
                        .and_then(|code| ctx.config.pricing.packing(code));
                    orders::set_packing(ctx.tx, id, v, k.map(line), option, who, now).await
                }
                EditOp::Session(s) => match orders::move_to_session(ctx.tx, id, v, s, who, now)
                    .await
                {
                    Ok(n) => {
                        note = Some(ctx.lang.t_args("order-moved", &[("number", n.to_string())]));
                        Ok(())
                    }
                    Err(e) => Err(e),
                },
            };
            match result {
                Ok(()) => Ok(note.map_or(Applied::Done, Applied::DoneWith)),
                Err(StoreError::Conflict) => Ok(Applied::Refused(ctx.lang.t("changed-elsewhere"))),
                Err(StoreError::NotFound) => Ok(Applied::Refused(ctx.lang.t("not-found"))),
                Err(e) => Err(e.into()),
            }
        }
    }
}

async fn draft(ctx: &mut Ctx<'_>, state: &mut DeskState, op: EditOp) -> Result<Applied, UiError> {
    let d = state.order.get_or_insert_default();
    let index = |k: LineKey| usize::try_from(k).ok().filter(|i| *i < d.lines.len());
    match op {
        EditOp::Field(change) => match change {
            OrderChange::ClientName(n) => d.client_name = Some(n),
            OrderChange::Phone(p) => d.phone = p,
            OrderChange::Delivery(b) => d.delivery = b,
            OrderChange::Address(a) => d.address = a,
            OrderChange::IssueDate(x) => d.date = x,
            OrderChange::IssueTime(x) => d.time = x,
            OrderChange::Discount(p) => d.discount_bp = p.basis_points(),
            OrderChange::Fee(Fee::Auto) => d.fee_manual_minor = None,
            OrderChange::Fee(Fee::Manual(m)) => d.fee_manual_minor = Some(m.minor()),
            OrderChange::Note(n) => d.note = n,
        },
        EditOp::AddLine { product, ordered } => {
            let p = products::get(ctx.tx, product).await?;
            // The same product again (with the same packing) adds to its line.
            if let Some(existing) = d
                .lines
                .iter_mut()
                .find(|l| l.product_id == p.id && l.packing.is_none())
            {
                existing.ordered = existing.ordered.saturating_add(ordered.value());
                return Ok(Applied::DoneWith(ctx.lang.t("line-merged")));
            }
            d.lines.push(DraftLine {
                product_id: p.id,
                name: p.name,
                unit: p.unit,
                price_minor: p.price.minor(),
                ordered: ordered.value(),
                packing: None,
            });
        }
        EditOp::RemoveLine(k) => match index(k) {
            Some(i) => {
                d.lines.remove(i);
            }
            None => return Ok(Applied::Refused(ctx.lang.t("not-found"))),
        },
        EditOp::SetOrdered(k, q) => match index(k) {
            Some(i) => d.lines[i].ordered = q.value(),
            None => return Ok(Applied::Refused(ctx.lang.t("not-found"))),
        },
        EditOp::SetWeighed(..) => return Ok(Applied::Refused(ctx.lang.t("outdated-button"))),
        EditOp::Pack(k, p) => match k {
            None => d.lines.iter_mut().for_each(|l| l.packing = p.clone()),
            Some(k) => match index(k) {
                Some(i) => d.lines[i].packing = p,
                None => return Ok(Applied::Refused(ctx.lang.t("not-found"))),
            },
        },
        EditOp::Session(s) => d.session = Some(s),
    }
    Ok(Applied::Done)
}
