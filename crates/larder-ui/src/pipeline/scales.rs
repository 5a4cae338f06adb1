//! Weighing on the kitchen card. Cooks have no desk, so the card itself
//! turns into scales: a keypad for the grams of the first line still to
//! weigh, "not available", and back. The grams typed so far travel in the
//! buttons, so nothing is kept between presses and a stale keypad can only
//! show a number; only ✓ writes, and only while the table lets the presser
//! weigh (a cook, an admin or an owner, after accepting, before it is ready).

use crate::action::CardAction;
use larder_core::flow::Step;
use larder_core::{OrderLineId, Quantity, Role, Unit};
use larder_store::StoreError;
use larder_store::groups::CardKind;
use larder_store::orders::{self, Order};

use super::{ask_on_card, progress, sync};
use crate::action::Action;
use crate::desk::common::quantity;
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

/// The first line still to weigh.
fn next_line(o: &Order) -> Option<OrderLineId> {
    o.lines.iter().find(|l| l.weighed.is_none()).map(|l| l.id)
}

/// Whether the kitchen card offers the scales.
pub fn wanted(o: &Order) -> bool {
    next_line(o).is_some()
}

/// A press on the scales (or the card's ⚖️ button).
pub async fn press(
    ctx: &mut Ctx<'_>,
    roles: &[Role],
    action: CardAction,
) -> Result<Reply, UiError> {
    use CardAction as C;
    let (id, line, typed, write) = match action {
        C::KitchenWeigh(id) => (id, None, 0, None),
        C::KitchenKey(id, line, typed) => (id, Some(line), typed, None),
        C::KitchenWeighed(id, line, typed) => (id, Some(line), typed, Some(typed)),
        C::KitchenNotAvailable(id, line) => (id, Some(line), 0, Some(0)),
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    };
    let (o, _) = match progress(ctx, roles, id, Step::Weigh).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let Some(line) = line.or_else(|| next_line(&o)) else {
        return Ok(Reply::keep().with_toast(ctx.lang.t("card-weighed-all")));
    };
    let Some(l) = o.lines.iter().find(|l| l.id == line) else {
        // Removed at the desk meanwhile.
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    };
    let unit = l.unit;
    let Some(value) = write else {
        return show(ctx, &o, line, typed).await;
    };
    if value == 0 && matches!(action, C::KitchenWeighed(..)) {
        return Ok(Reply::keep().with_alert(ctx.lang.t("card-weigh-type-first")));
    }
    if i64::from(value) > max(ctx, unit) {
        // The keypad never goes past the limit: a forged press.
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    }
    let q = Quantity::new(unit, i64::from(value)).unwrap_or(Quantity::zero(unit));
    match orders::set_weighed(
        ctx.tx,
        id,
        o.version,
        line,
        Some(q),
        Some(ctx.user.me()?),
        ctx.now,
    )
    .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict | StoreError::NotFound) => {
            return Ok(Reply::keep().with_alert(ctx.lang.t("changed-elsewhere")));
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(
        order.id = id.get(),
        line.id = line.get(),
        value,
        "line weighed on the kitchen card"
    );
    let o = orders::get(ctx.tx, id).await?;
    let acting = ctx.lang;
    ctx.lang = acting.switch(None);
    let total = super::cards::total(ctx, &o);
    ctx.lang = acting;
    let toast = ctx.lang.t_args("card-weighed", &[("total", total)]);
    let reply = match next_line(&o) {
        Some(next) => show(ctx, &o, next, 0).await?,
        None => {
            // All weighed: the card as it is now, with the Prepared button.
            let mut reply = Reply::keep();
            sync(ctx, id, &mut reply).await?;
            reply
        }
    };
    Ok(reply.with_toast(toast))
}

/// The most a line may weigh (or count).
fn max(ctx: &Ctx<'_>, unit: Unit) -> i64 {
    match unit {
        Unit::Kg => ctx.config.limits.max_weight_grams,
        Unit::Piece => ctx.config.limits.max_pieces,
    }
}

/// The kitchen card as scales for `line`, with `typed` on the display.
async fn show(
    ctx: &mut Ctx<'_>,
    o: &Order,
    line: OrderLineId,
    typed: u32,
) -> Result<Reply, UiError> {
    let Some(l) = o.lines.iter().find(|l| l.id == line) else {
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    };
    // The card speaks the business's language, whoever pressed.
    let acting = ctx.lang;
    ctx.lang = acting.switch(None);
    let t = |ctx: &Ctx<'_>, id: &str| ctx.lang.t(id);
    let left = o.lines.iter().filter(|l| l.weighed.is_none()).count();
    let mut v = View::default();
    v.text
        .bold(format!(
            "⚖️ {}",
            ctx.lang
                .t_args("order-title", &[("number", o.number.to_string())])
        ))
        .plain(format!(" · {}", o.client_name))
        .newline();
    v.text
        .plain("• ")
        .bold(&l.name)
        .plain(format!(" × {}", quantity(ctx, l.ordered)))
        .newline();
    let shown = if typed == 0 {
        "…".to_owned()
    } else {
        quantity(
            ctx,
            Quantity::new(l.unit, i64::from(typed)).unwrap_or(l.ordered),
        )
    };
    v.text
        .line(ctx.lang.t_args("card-weigh-display", &[("value", shown)]));
    v.text.italic(
        ctx.lang
            .t_args("card-weigh-left", &[("lines", left.to_string())]),
    );
    let limit = max(ctx, l.unit);
    let key = |d: u32| {
        let next = u64::from(typed) * 10 + u64::from(d);
        // A digit that would go past the limit keeps the display as it is.
        let next = if i64::try_from(next).is_ok_and(|n| n <= limit) {
            u32::try_from(next).unwrap_or(typed)
        } else {
            typed
        };
        Button::action(
            d.to_string(),
            Action::Card(CardAction::KitchenKey(o.id, line, next)),
        )
    };
    for row in [[1, 2, 3], [4, 5, 6], [7, 8, 9]] {
        v.row(row.into_iter().map(key).collect());
    }
    v.row(vec![
        Button::action(
            "⌫",
            Action::Card(CardAction::KitchenKey(o.id, line, typed / 10)),
        ),
        key(0),
        Button::action(
            "✓",
            Action::Card(CardAction::KitchenWeighed(o.id, line, typed)),
        ),
    ]);
    v.button(
        t(ctx, "btn-card-not-available"),
        Action::Card(CardAction::KitchenNotAvailable(o.id, line)),
    );
    v.button(t(ctx, "btn-back"), Action::Card(CardAction::CardBack(o.id)));
    ctx.lang = acting;
    ask_on_card(ctx, o.id, CardKind::Kitchen, v).await
}
