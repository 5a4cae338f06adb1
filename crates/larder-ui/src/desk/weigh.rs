//! Weighing mode: shows the next unweighed line; the typed weight is
//! recorded and the next line appears at once. "Not available" records an
//! explicit zero, distinct from "not weighed". The version the screen was
//! shown at guards the write: if someone else weighed meanwhile, nothing is
//! applied twice and the screen shows the latest state.

use crate::action::DeskAction;
use larder_core::{OrderId, OrderLineId, OrderStatus, Quantity, parse_quantity};
use larder_store::StoreError;
use larder_store::orders::{self, Order};

use super::common::{ask_sure, doubtful, quantity, quantity_both, warn};
use super::state::{DeskState, Screen};
use crate::action::Action;
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

/// The first unweighed line not skipped in this round.
fn next_line(o: &Order, skipped: &[OrderLineId]) -> Option<OrderLineId> {
    o.lines
        .iter()
        .find(|l| l.weighed.is_none() && !skipped.contains(&l.id))
        .map(|l| l.id)
}

fn weigh_screen(o: &Order, skipped: Vec<OrderLineId>) -> Screen {
    Screen::Weigh {
        id: o.id,
        line: next_line(o, &skipped),
        version: o.version,
        skipped,
    }
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
) -> Result<Reply, UiError> {
    match (action, state.screen.clone()) {
        (Action::Desk(DeskAction::Weigh(id)), _) => {
            let o = orders::get(ctx.tx, id).await?;
            if o.status != OrderStatus::Processing {
                return Ok(Reply::keep().with_alert(ctx.lang.t("weigh-not-processing")));
            }
            state.screen = weigh_screen(&o, vec![]);
            Ok(Reply::show(render(ctx, state, None).await?))
        }
        (
            Action::Desk(DeskAction::WeighSkip),
            Screen::Weigh {
                id,
                line: Some(line),
                mut skipped,
                ..
            },
        ) => {
            skipped.push(line);
            let o = orders::get(ctx.tx, id).await?;
            state.screen = weigh_screen(&o, skipped);
            Ok(Reply::show(render(ctx, state, None).await?))
        }
        (
            Action::Desk(DeskAction::WeighNotAvailable),
            Screen::Weigh {
                id,
                line: Some(line),
                version,
                skipped,
            },
        ) => {
            let o = orders::get(ctx.tx, id).await?;
            let unit = o.lines.iter().find(|l| l.id == line).map(|l| l.unit);
            let Some(unit) = unit else {
                return record(ctx, state, id, line, version, skipped, None).await;
            };
            record(
                ctx,
                state,
                id,
                line,
                version,
                skipped,
                Some(Quantity::zero(unit)),
            )
            .await
        }
        _ => Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
}

pub async fn typed(ctx: &mut Ctx<'_>, state: &mut DeskState, text: &str) -> Result<Reply, UiError> {
    typed_as(ctx, state, text, false).await
}

/// A typed weight; `sure`: a doubtful one was confirmed, so it is kept.
pub async fn typed_as(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    text: &str,
    sure: bool,
) -> Result<Reply, UiError> {
    let Screen::Weigh {
        id,
        line: Some(line),
        version,
        skipped,
    } = state.screen.clone()
    else {
        return Ok(Reply::show(
            render(ctx, state, Some(ctx.lang.t("type-buttons"))).await?,
        ));
    };
    let o = orders::get(ctx.tx, id).await?;
    let Some(l) = o.lines.iter().find(|l| l.id == line) else {
        return record(ctx, state, id, line, version, skipped, None).await;
    };
    match parse_quantity(text, l.unit, &ctx.config.limits, true) {
        Ok(q) if !sure && doubtful(q) => {
            let view = render(ctx, state, None).await?;
            Ok(Reply::show(ask_sure(ctx, view, q)))
        }
        Ok(q) => {
            // Said back, so "2" meaning 2 g is seen at once.
            let said = format!("✓ {}: {}", l.name, quantity_both(ctx, q));
            let reply = record(ctx, state, id, line, version, skipped, Some(q)).await?;
            Ok(match reply.toast {
                Some(_) => reply,
                None => reply.with_toast(said),
            })
        }
        Err(e) => {
            let notice = warn(ctx, e.message_id(), &e.args());
            Ok(Reply::show(render(ctx, state, Some(notice)).await?))
        }
    }
}

/// Records a weight (`None`: the line is gone) and moves to the next line.
async fn record(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    id: OrderId,
    line: OrderLineId,
    version: i64,
    skipped: Vec<OrderLineId>,
    weight: Option<Quantity>,
) -> Result<Reply, UiError> {
    let mut notice = None;
    match weight {
        Some(q) => match orders::set_weighed(
            ctx.tx,
            id,
            version,
            line,
            Some(q),
            Some(ctx.user.me()?),
            ctx.now,
        )
        .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict | StoreError::NotFound) => {
                notice = Some(ctx.lang.t("changed-elsewhere"))
            }
            Err(e) => return Err(e.into()),
        },
        None => notice = Some(ctx.lang.t("changed-elsewhere")),
    }
    let o = orders::get(ctx.tx, id).await?;
    state.screen = weigh_screen(&o, skipped);
    let view = render(ctx, state, notice.clone()).await?;
    Ok(match notice {
        Some(n) => Reply::show(view).with_toast(n),
        None => Reply::show(view),
    })
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    let Screen::Weigh { id, line, .. } = state.screen.clone() else {
        return Ok(super::menu::view(ctx));
    };
    let o = match orders::get(ctx.tx, id).await {
        Ok(o) => o,
        Err(StoreError::NotFound) => {
            state.screen = Screen::Menu;
            return Ok(super::menu::view(ctx).with_notice(Some(&ctx.lang.t("not-found"))));
        }
        Err(e) => return Err(e.into()),
    };
    let t = |id: &str| ctx.lang.t(id);
    let done = o.lines.iter().filter(|l| l.weighed.is_some()).count();
    let mut v = View::default();
    v.text.bold(ctx.lang.t_args(
        "weigh-title",
        &[
            ("number", o.number.to_string()),
            ("client", o.client_name.clone()),
        ],
    ));
    v.text.newline();
    v.text.line(ctx.lang.t_args(
        "weigh-progress",
        &[
            ("done", done.to_string()),
            ("total", o.lines.len().to_string()),
        ],
    ));
    // A long order shows the page of lines holding the one being weighed.
    let at = line
        .and_then(|line| o.lines.iter().position(|l| l.id == line))
        .unwrap_or(0);
    let per = super::texts::LINES_PER_PAGE as usize;
    let first = at / per * per;
    if o.lines.len() > per {
        v.text.italic(ctx.lang.t_args(
            "order-lines-range",
            &[
                ("from", (first + 1).to_string()),
                ("to", (first + per).min(o.lines.len()).to_string()),
                ("total", o.lines.len().to_string()),
            ],
        ));
        v.text.newline();
    }
    for l in o.lines.iter().skip(first).take(per) {
        let mark = match l.weighed {
            Some(w) if w.is_zero() => format!("✖ {}", t("line-not-available")),
            Some(w) => format!("✓ {}", quantity(ctx, w)),
            None if Some(l.id) == line => "👉".to_owned(),
            None => "…".to_owned(),
        };
        v.text
            .line(format!("{} — {} {mark}", l.name, quantity(ctx, l.ordered)));
    }
    v.text.newline();
    match line.and_then(|id| o.lines.iter().find(|l| l.id == id)) {
        Some(l) => {
            v.text.bold(&l.name).plain(format!(
                " — {}",
                ctx.lang
                    .t_args("line-ordered", &[("quantity", quantity(ctx, l.ordered))])
            ));
            v.text.newline().plain(t(match l.unit {
                larder_core::Unit::Kg => "prompt-weight",
                larder_core::Unit::Piece => "prompt-count",
            }));
            v.row(vec![
                Button::action(
                    t("btn-not-available"),
                    Action::Desk(DeskAction::WeighNotAvailable),
                ),
                Button::action(t("btn-skip"), Action::Desk(DeskAction::WeighSkip)),
            ]);
        }
        None if done == o.lines.len() => {
            v.text.plain(t("weigh-all-done"));
            v.button(
                t("btn-complete"),
                Action::Desk(DeskAction::Complete(o.id, o.version)),
            );
        }
        None => {
            v.text.plain(t("weigh-skipped-left"));
            v.button(t("btn-weigh-again"), Action::Desk(DeskAction::Weigh(o.id)));
        }
    }
    v.button(t("btn-back"), Action::Desk(DeskAction::Order(o.id)));
    Ok(v.with_notice(notice.as_deref()))
}
