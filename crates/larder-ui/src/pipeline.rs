//! The restaurant's pipeline for shop orders: cards in the kitchen's,
//! couriers' and admins' groups (and a courier's private chat), the presses
//! on them, and telling the customer at each step.
//!
//! Cards and customer messages are never sent by the code that changes an
//! order. Instead every input is bracketed by [`mark`] and [`follow`]: the
//! orders whose history grew meanwhile are brought up to date — their cards
//! re-rendered and edited in place, new cards created for groups bound since,
//! and the customer told of a stage they have not heard of yet. So a change
//! made from the desk, a group or the shop notifies everyone the same way,
//! and no path can forget to.

mod cards;
mod groups;
mod scales;

use crate::action::CardAction;
use larder_core::flow::{self, Step};
use larder_core::{OrderId, OrderStatus, Role, StatusEvent, TgUserId, TransitionError};
use larder_store::groups::{self as store_groups, CardKind, GroupRole};
use larder_store::orders::{self, Order};
use larder_store::shop::{self, Pipeline, Stage};
use larder_store::{Channel, StoreError, customers, reviews, staff};

use crate::action::Action;
use crate::desk::common::today;
use crate::view::View;
use crate::{CardOut, Ctx, Note, Reply, UiError};

pub use cards::{
    clock as clock_of, lacking_note, rate_rows, review_card, unreachable_note, when as when_of,
};
pub use groups::{GroupChat, group};

/// Where the order history stands before an input is handled.
pub async fn mark(ctx: &mut Ctx<'_>) -> Result<i64, UiError> {
    Ok(orders::last_history_id(ctx.tx).await?)
}

/// Brings every shop order changed since `mark` up to date: cards and the
/// customer's messages join `reply`.
pub async fn follow(ctx: &mut Ctx<'_>, mark: i64, reply: &mut Reply) -> Result<(), UiError> {
    for id in orders::changed_since(ctx.tx, mark).await? {
        sync(ctx, id, reply).await?;
    }
    Ok(())
}

/// The stage the customer hears of, from the order and its pipeline.
pub fn stage_of(o: &Order, p: &Pipeline) -> Stage {
    Stage::of(
        o.status,
        o.delivery,
        p.accepted_at.is_some(),
        p.courier.is_some(),
    )
}

async fn sync(ctx: &mut Ctx<'_>, id: OrderId, reply: &mut Reply) -> Result<(), UiError> {
    // Cards and staff notes speak the business's language, whoever pressed.
    let acting = ctx.lang;
    ctx.lang = acting.switch(None);
    let done = sync_in(ctx, id, reply).await;
    ctx.lang = acting;
    done
}

async fn sync_in(ctx: &mut Ctx<'_>, id: OrderId, reply: &mut Reply) -> Result<(), UiError> {
    let o = match orders::get(ctx.tx, id).await {
        Ok(o) => o,
        // Deleted from the desk: its cards went with it.
        Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let p = shop::pipeline(ctx.tx, id).await?;
    if p.origin.is_none() {
        return Ok(());
    }
    let stage = stage_of(&o, &p);
    let names = staff::list(ctx.tx).await?;
    let completed_by = orders::history(ctx.tx, id)
        .await?
        .into_iter()
        .rev()
        .find(|h| {
            h.field == orders::HistoryField::Status
                && h.new.as_deref() == Some(OrderStatus::Completed.as_str())
        })
        .and_then(|h| h.actor);
    let look = cards::Look {
        order: &o,
        pipeline: &p,
        stage,
        names: &names,
        completed_by,
    };
    // Cards for the groups: new ones only while the order is still going.
    let live = stage < Stage::Done;
    let mut wanted = vec![(GroupRole::Kitchen, CardKind::Kitchen)];
    if o.delivery {
        wanted.push((GroupRole::Couriers, CardKind::Couriers));
    }
    wanted.push((GroupRole::Admins, CardKind::Admins));
    let existing = store_groups::cards_of(ctx.tx, id).await?;
    for (role, kind) in wanted {
        if existing.iter().any(|c| c.kind == kind) || !live {
            continue;
        }
        if let Some(g) = store_groups::reachable(ctx.tx, role).await? {
            store_groups::card(ctx.tx, id, kind, g.channel, g.chat_id, ctx.now).await?;
        }
    }
    if let (Some(courier), true) = (p.courier, o.delivery) {
        let (card, _) = store_groups::card(
            ctx.tx,
            id,
            CardKind::Courier,
            Channel::Telegram,
            courier.get(),
            ctx.now,
        )
        .await?;
        // Another courier took it since: the private card is theirs now (the
        // one before keeps the card as it was when they gave it back).
        if card.chat_id != courier.get() {
            store_groups::move_card(ctx.tx, card.id, courier.get()).await?;
        }
    }
    for card in store_groups::cards_of(ctx.tx, id).await? {
        if card.kind == CardKind::Review {
            // Re-rendered too (an erased author), edited only if it changed.
            if let Some(out) = cards::review_card(ctx, id).await? {
                reply.cards.push(out);
            }
            continue;
        }
        // Already edited by this input (a question or the scales it asked
        // for): that stays.
        if reply.cards.iter().any(|c| c.card_id == card.id) {
            continue;
        }
        let view = cards::render(ctx, card.kind, &look);
        // Unchanged cards are not edited again (group messages are scarce).
        if !store_groups::set_card_shown(ctx.tx, card.id, &fingerprint(&view)).await? {
            continue;
        }
        reply.cards.push(CardOut {
            card_id: card.id,
            channel: card.channel,
            chat_id: card.chat_id,
            view,
            fresh: card.shown.is_none(),
            message_id: card.message_id,
        });
    }
    tell(ctx, &look, reply).await
}

/// Tells the customer (and for endings the admins) of a stage they have
/// not heard of; each stage once.
async fn tell(ctx: &mut Ctx<'_>, look: &cards::Look<'_>, reply: &mut Reply) -> Result<(), UiError> {
    let (o, p, stage) = (look.order, look.pipeline, look.stage);
    let told = p.told.unwrap_or(Stage::Placed);
    if stage == told {
        return Ok(());
    }
    shop::set_told(ctx.tx, o.id, stage).await?;
    let forward = stage > told || told == Stage::Cancelled;
    if !forward {
        // Moved back (reopened at the desk): the next step forward is told again.
        return Ok(());
    }
    if let Some(customer) = p.customer {
        let c = customers::get(ctx.tx, customer).await?;
        // On the messenger the order came from (linked accounts share orders).
        let origin = p.origin.unwrap_or(c.channel);
        let (channel, user) = match customers::account_on(ctx.tx, c.id, origin).await? {
            Some(user) => (origin, user),
            None => (c.channel, c.user_id),
        };
        let account = customers::account(ctx.tx, channel, user, ctx.now).await?;
        if account.unreachable_at.is_none() {
            // In the customer's own language.
            let chat = larder_store::chat_state::load(ctx.tx, channel, user).await?;
            let business = ctx.lang;
            ctx.lang = business.switch(chat.as_ref().and_then(|s| s.language.as_deref()));
            let view = cards::customer_note(ctx, look, told == Stage::Cancelled);
            ctx.lang = business;
            reply.notes.push(Note {
                channel,
                chat_id: user,
                view,
            });
        }
    }
    if stage == Stage::Cancelled
        && let Some(courier) = p.courier
    {
        reply.notes.push(Note {
            channel: Channel::Telegram,
            chat_id: courier.get(),
            view: cards::courier_cancelled_note(ctx, look),
        });
    }
    if matches!(stage, Stage::Done | Stage::Cancelled)
        && let Some(admins) = store_groups::reachable(ctx.tx, GroupRole::Admins).await?
    {
        reply.notes.push(Note {
            channel: admins.channel,
            chat_id: admins.chat_id,
            view: cards::admins_note(ctx, look),
        });
    }
    Ok(())
}

fn may(roles: &[Role], role: Role) -> bool {
    roles.contains(&role) || roles.contains(&Role::Owner)
}

/// A press on an order card (or the stop-list), authorised by the presser's
/// role; stale or forged presses change nothing.
pub async fn press(ctx: &mut Ctx<'_>, action: CardAction) -> Result<Reply, UiError> {
    use CardAction as C;
    let roles = ctx.user.roles(ctx.tx).await?;
    let t = |ctx: &Ctx<'_>, id: &str| ctx.lang.t(id);
    let step = match action {
        C::KitchenAccept(id) => Some((id, Step::Accept)),
        C::KitchenPrepared(id) => Some((id, Step::Prepare)),
        C::CourierTake(id) => Some((id, Step::Take)),
        C::CourierDelivered(id) => Some((id, Step::Deliver)),
        C::AdminIssue(id) => Some((id, Step::PickUp)),
        C::CourierRelease(id) => Some((id, Step::Release)),
        _ => None,
    };
    if let Some((id, step)) = step {
        return card_step(ctx, &roles, id, step).await;
    }
    match action {
        C::KitchenWeigh(_)
        | C::KitchenKey(..)
        | C::KitchenWeighed(..)
        | C::KitchenNotAvailable(..) => {
            return scales::press(ctx, &roles, action).await;
        }
        C::CardBack(id) => return card_back(ctx, &roles, id).await,
        C::AdminCancelAsk(id) => return cancel_ask(ctx, &roles, id).await,
        C::AdminCancel(id, reason) => {
            return card_step_cancel(ctx, &roles, id, reason).await;
        }
        C::AdminReassignAsk(id) => {
            return reassign_ask(ctx, &roles, id).await;
        }
        C::AdminReassign(id, courier) => {
            return reassign(ctx, &roles, id, courier).await;
        }
        _ => {}
    }
    if !may(&roles, Role::Admin) {
        tracing::warn!(
            user.id = ctx.user.id.raw(),
            ?action,
            "card press refused: missing role"
        );
        return Ok(Reply::keep().with_alert(t(ctx, "not-allowed")));
    }
    match action {
        C::StopList(_) | C::StopProduct(..) | C::StopCategory(..) => {
            return groups::stop_press(ctx, action).await;
        }
        C::ReviewPublish(id) | C::ReviewReject(id) => {
            let publish = matches!(action, C::ReviewPublish(_));
            if !reviews::moderate(ctx.tx, id, publish, ctx.user.me()?, ctx.now).await? {
                return Ok(Reply::keep().with_toast(t(ctx, "review-already-moderated")));
            }
            let mut reply = Reply::keep().with_toast(t(
                ctx,
                if publish {
                    "review-published"
                } else {
                    "review-rejected"
                },
            ));
            if let Some(out) = cards::review_card(ctx, id).await? {
                reply.cards.push(out);
            }
            return Ok(reply);
        }
        _ => {}
    }
    Ok(Reply::keep().with_toast(t(ctx, "outdated-button")))
}

/// A step on an order's card, if the table allows it to this presser now.
async fn card_step(
    ctx: &mut Ctx<'_>,
    roles: &[Role],
    id: OrderId,
    step: Step,
) -> Result<Reply, UiError> {
    let (o, _) = match progress(ctx, roles, id, step).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let done = |ctx: &Ctx<'_>, id: &str| Ok(Reply::keep().with_toast(ctx.lang.t(id)));
    match step {
        Step::Accept => {
            if shop::accept(ctx.tx, id, ctx.user.me()?, ctx.now).await? {
                done(ctx, "card-accepted")
            } else {
                done(ctx, "card-already-accepted")
            }
        }
        Step::Prepare => {
            let fee = crate::desk::orders::fixed_fee(ctx, &o);
            match orders::set_status(
                ctx.tx,
                id,
                o.version,
                StatusEvent::Complete,
                fee,
                None,
                Some(ctx.user.me()?),
                ctx.now,
            )
            .await
            {
                Ok(_) => {}
                Err(StoreError::Transition(TransitionError::Unweighed { lines })) => {
                    // One sentence for the cook, who weighs on this card.
                    return Ok(Reply::keep().with_alert(
                        ctx.lang
                            .t_args("card-weigh-first", &[("lines", lines.to_string())]),
                    ));
                }
                Err(StoreError::Transition(e)) => {
                    return Ok(Reply::keep().with_alert(ctx.lang.t_args(e.message_id(), &e.args())));
                }
                Err(e) => return Err(e.into()),
            }
            shop::set_prepared_by(ctx.tx, id, ctx.user.me()?, ctx.now).await?;
            done(ctx, "card-prepared")
        }
        Step::Take => {
            let name = first_name(&ctx.user.display_name);
            match shop::take(ctx.tx, id, ctx.user.me()?, &name, ctx.now).await? {
                shop::Took::Taken => done(ctx, "card-taken"),
                shop::Took::AlreadyBy(who) => Ok(Reply::keep()
                    .with_alert(ctx.lang.t_args("card-already-taken", &[("courier", who)]))),
            }
        }
        Step::Deliver | Step::PickUp => issue(ctx, &o).await,
        // Asked for a reason first (see `card_step_cancel`); weighed on the
        // scales (see `scales`).
        Step::Cancel | Step::Weigh => Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
        Step::Release => {
            let p = shop::pipeline(ctx.tx, id).await?;
            if !shop::release(ctx.tx, id, ctx.user.me()?, ctx.now).await? {
                return done(ctx, "card-already-released");
            }
            let mut reply = Reply::keep().with_toast(ctx.lang.t("card-released"));
            // Taken off them by the admins: the courier hears it.
            if let Some(courier) = p.courier
                && courier != ctx.user.me()?
            {
                reply.notes.push(Note {
                    channel: Channel::Telegram,
                    chat_id: courier.get(),
                    view: line(
                        ctx.lang
                            .t_args("courier-released", &[("number", o.number.to_string())]),
                    ),
                });
            }
            Ok(reply)
        }
    }
}

/// The order and what the table needs of it, or why the press is refused.
async fn progress(
    ctx: &mut Ctx<'_>,
    roles: &[Role],
    id: OrderId,
    step: Step,
) -> Result<Result<(Order, Pipeline), Reply>, UiError> {
    let o = match orders::get(ctx.tx, id).await {
        Ok(o) => o,
        Err(StoreError::NotFound) => {
            return Ok(Err(Reply::keep().with_alert(ctx.lang.t("not-found"))));
        }
        Err(e) => return Err(e.into()),
    };
    let p = shop::pipeline(ctx.tx, id).await?;
    let actor = flow::Actor {
        roles,
        holds_it: p.courier == Some(ctx.user.me()?),
    };
    Ok(match refused(ctx, &o, &p, step, actor) {
        None => Ok((o, p)),
        Some(reply) => Err(reply),
    })
}

/// `None` if the table lets `actor` take `step` on the order now, else the
/// reply that says why not.
fn refused(
    ctx: &Ctx<'_>,
    o: &Order,
    p: &Pipeline,
    step: Step,
    actor: flow::Actor<'_>,
) -> Option<Reply> {
    let at = flow::Progress {
        stage: stage_of(o, p),
        delivery: o.delivery,
        courier: p.courier.is_some(),
    };
    let Err(refusal) = flow::check(at, step, actor) else {
        return None;
    };
    if matches!(
        refusal,
        flow::Refusal::NotAllowed | flow::Refusal::NotTheCourier
    ) {
        tracing::warn!(
            user.id = ctx.user.id.raw(),
            order.id = o.id.get(),
            ?step,
            "card press refused: not theirs to press"
        );
    }
    let courier = p.courier_name.clone().unwrap_or_default();
    let text = ctx
        .lang
        .t_args(refusal.message_id(), &[("courier", courier)]);
    Some(if refusal.is_alert() {
        Reply::keep().with_alert(text)
    } else {
        Reply::keep().with_toast(text)
    })
}

/// A card showing a question or the scales goes back to the order as it
/// is now (any staff member may: it only shows what is true).
async fn card_back(ctx: &mut Ctx<'_>, roles: &[Role], id: OrderId) -> Result<Reply, UiError> {
    if roles.is_empty() {
        return Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed")));
    }
    let mut reply = Reply::keep();
    sync(ctx, id, &mut reply).await?;
    Ok(reply)
}

/// The admins' card turns into the question "why cancel it?".
async fn cancel_ask(ctx: &mut Ctx<'_>, roles: &[Role], id: OrderId) -> Result<Reply, UiError> {
    let (o, _) = match progress(ctx, roles, id, Step::Cancel).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let acting = ctx.lang;
    ctx.lang = acting.switch(None);
    let mut v = question(ctx, &o, "card-cancel-why");
    for reason in flow::CancelReason::CHOICES {
        if reason == flow::CancelReason::CannotDeliver && !o.delivery {
            continue;
        }
        v.button(
            reason_text(ctx, reason),
            Action::Card(CardAction::AdminCancel(id, reason)),
        );
    }
    v.button(
        ctx.lang.t("btn-back"),
        Action::Card(CardAction::CardBack(id)),
    );
    ctx.lang = acting;
    ask_on_card(ctx, id, CardKind::Admins, v).await
}

/// The top of a question on the admins' card: the order and what is asked.
fn question(ctx: &Ctx<'_>, o: &Order, asked: &str) -> View {
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("order-title", &[("number", o.number.to_string())]),
        )
        .plain(format!(" · {}", o.client_name))
        .newline()
        .plain(ctx.lang.t(asked));
    v
}

/// Shows `v` in place of the order's card of `kind` (until it is answered
/// or the card is edited back).
async fn ask_on_card(
    ctx: &mut Ctx<'_>,
    id: OrderId,
    kind: CardKind,
    v: View,
) -> Result<Reply, UiError> {
    let Some(card) = store_groups::cards_of(ctx.tx, id)
        .await?
        .into_iter()
        .find(|c| c.kind == kind)
    else {
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    };
    store_groups::set_card_shown(ctx.tx, card.id, &fingerprint(&v)).await?;
    Ok(Reply {
        cards: vec![CardOut {
            card_id: card.id,
            channel: card.channel,
            chat_id: card.chat_id,
            view: v,
            fresh: false,
            message_id: card.message_id,
        }],
        ..Reply::keep()
    })
}

/// The admins cancel the order with a reason; everyone is told as the
/// change is followed (the customer, the courier, the cards).
async fn card_step_cancel(
    ctx: &mut Ctx<'_>,
    roles: &[Role],
    id: OrderId,
    reason: flow::CancelReason,
) -> Result<Reply, UiError> {
    let (o, _) = match progress(ctx, roles, id, Step::Cancel).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    if reason == flow::CancelReason::Customer {
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    }
    shop::cancel(ctx.tx, id, o.version, Some(ctx.user.me()?), reason, ctx.now).await?;
    tracing::info!(
        order.id = id.get(),
        reason = reason.as_str(),
        "order cancelled by the admins"
    );
    Ok(Reply::keep().with_toast(ctx.lang.t("card-cancelled")))
}

/// The admins' card turns into the list of couriers to give the order to.
async fn reassign_ask(ctx: &mut Ctx<'_>, roles: &[Role], id: OrderId) -> Result<Reply, UiError> {
    // Giving it to someone is taking it on their behalf: the admins may.
    if !may(roles, Role::Admin) {
        return Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed")));
    }
    let o = orders::get(ctx.tx, id).await?;
    let p = shop::pipeline(ctx.tx, id).await?;
    let stage = stage_of(&o, &p);
    if !o.delivery || !(Stage::Accepted..Stage::Done).contains(&stage) {
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    }
    let acting = ctx.lang;
    ctx.lang = acting.switch(None);
    let mut v = question(ctx, &o, "card-reassign-who");
    for member in staff::list(ctx.tx).await? {
        if member.role == Role::Courier && Some(member.user_id) != p.courier {
            v.button(
                member.display_name.clone(),
                Action::Card(CardAction::AdminReassign(id, member.user_id)),
            );
        }
    }
    v.button(
        ctx.lang.t("btn-back"),
        Action::Card(CardAction::CardBack(id)),
    );
    ctx.lang = acting;
    ask_on_card(ctx, id, CardKind::Admins, v).await
}

/// The admins give the order to a courier: the one who had it (if any)
/// is told, the new one gets the private card.
async fn reassign(
    ctx: &mut Ctx<'_>,
    roles: &[Role],
    id: OrderId,
    courier: TgUserId,
) -> Result<Reply, UiError> {
    if !may(roles, Role::Admin) {
        return Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed")));
    }
    let their_roles = staff::roles(ctx.tx, courier).await?;
    let Some(member) = staff::list(ctx.tx)
        .await?
        .into_iter()
        .find(|m| m.user_id == courier && m.role == Role::Courier)
    else {
        return Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed")));
    };
    let p = shop::pipeline(ctx.tx, id).await?;
    let before = p.courier;
    if before == Some(courier) {
        return Ok(Reply::keep().with_toast(ctx.lang.t("card-taken")));
    }
    if before.is_some() {
        if let Err(refused) = progress(ctx, roles, id, Step::Release).await? {
            return Ok(refused);
        }
        let was = stage_of(&orders::get(ctx.tx, id).await?, &p);
        shop::release(ctx.tx, id, ctx.user.me()?, ctx.now).await?;
        if was == Stage::OnTheWay {
            // On its way with someone else: the customer hears who brings it now.
            shop::set_told(ctx.tx, id, Stage::Prepared).await?;
        }
    }
    // The take as the courier themselves would make it.
    let o = orders::get(ctx.tx, id).await?;
    let p = shop::pipeline(ctx.tx, id).await?;
    let actor = flow::Actor {
        roles: &their_roles,
        holds_it: false,
    };
    if let Some(reply) = refused(ctx, &o, &p, Step::Take, actor) {
        return Ok(reply);
    }
    let name = first_name(&member.display_name);
    if let shop::Took::AlreadyBy(who) = shop::take(ctx.tx, id, courier, &name, ctx.now).await? {
        return Ok(
            Reply::keep().with_alert(ctx.lang.t_args("card-already-taken", &[("courier", who)]))
        );
    }
    let mut reply = Reply::keep().with_toast(
        ctx.lang
            .t_args("card-reassigned", &[("courier", name.clone())]),
    );
    if let Some(old) = before {
        reply.notes.push(Note {
            channel: Channel::Telegram,
            chat_id: old.get(),
            view: line(
                ctx.lang
                    .t_args("courier-released", &[("number", o.number.to_string())]),
            ),
        });
    }
    Ok(reply)
}

/// Why an order was cancelled, as a phrase ("some dishes ran out").
pub(crate) fn reason_text(ctx: &Ctx<'_>, reason: flow::CancelReason) -> String {
    ctx.lang.t(&format!("cancel-reason-{}", reason.as_str()))
}

/// Delivered or picked up: the order is issued today.
async fn issue(ctx: &mut Ctx<'_>, o: &Order) -> Result<Reply, UiError> {
    match o.status {
        OrderStatus::Issued => Ok(Reply::keep().with_toast(ctx.lang.t("card-already-issued"))),
        OrderStatus::Completed => {
            let day = today(ctx);
            orders::set_status(
                ctx.tx,
                o.id,
                o.version,
                StatusEvent::Issue,
                None,
                Some(day),
                Some(ctx.user.me()?),
                ctx.now,
            )
            .await?;
            Ok(Reply::keep().with_toast(ctx.lang.t("card-issued")))
        }
        _ => Ok(Reply::keep().with_alert(ctx.lang.t("card-not-prepared"))),
    }
}

/// "Pete" of "Pete Brown".
fn first_name(display: &str) -> String {
    display
        .split_whitespace()
        .next()
        .unwrap_or(display)
        .to_owned()
}

/// A stable fingerprint of what a view shows (FNV-1a over its text, styles
/// and buttons).
pub fn fingerprint(view: &View) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    };
    for span in &view.text.spans {
        eat(format!("{:?}", span.style).as_bytes());
        eat(span.text.as_bytes());
    }
    for row in &view.keyboard {
        eat(b"row");
        for b in row {
            eat(b.label.as_bytes());
            if let crate::view::Target::Action(a) = &b.target {
                eat(a.encode().as_bytes());
            }
        }
    }
    format!("{hash:016x}")
}

/// A view with one line of text.
fn line(text: String) -> View {
    let mut v = View::default();
    v.text.plain(text);
    v
}
