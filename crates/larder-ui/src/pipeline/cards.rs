//! What the cards and the customer's status messages say.

use crate::action::{CardAction, ShopAction};
use larder_core::{OrderId, OrderPrice, OrderStatus, TgUserId, format_time};
use larder_store::groups::{self, CardKind};
use larder_store::orders::{self, Order};
use larder_store::reviews;
use larder_store::shop::{CancelReason, Pipeline, Stage};
use larder_store::staff::StaffMember;
use larder_store::{StoreError, customers};

use crate::action::Action;
use crate::desk::common::{money, quantity};
use crate::desk::texts::{MAX_LINES_SHOWN, OrderLook};
use crate::view::{Button, Text, View};
use crate::{CardOut, Ctx, I18n, UiError};

/// An order as the cards see it.
pub struct Look<'a> {
    pub order: &'a Order,
    pub pipeline: &'a Pipeline,
    pub stage: Stage,
    pub names: &'a [StaffMember],
    /// Who last completed the order (from the kitchen's card or the desk).
    pub completed_by: Option<TgUserId>,
}

impl Look<'_> {
    fn name(&self, user: Option<TgUserId>) -> String {
        user.and_then(|u| {
            self.names
                .iter()
                .find(|s| s.user_id == u)
                .map(|s| s.display_name.clone())
        })
        .unwrap_or_else(|| "—".into())
    }
}

/// "14:05" in the business's time zone.
pub fn clock(ctx: &Ctx<'_>, ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|ts| {
            ts.to_zoned(ctx.config.timezone.clone())
                .strftime("%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// "today 14:30", "25.12 14:30".
pub fn when(ctx: &Ctx<'_>, o: &Order) -> String {
    let day = match o.issue_date {
        Some(d) if d == crate::desk::common::today(ctx) => ctx.lang.t("when-today"),
        Some(d) => d.strftime("%d.%m").to_string(),
        None => String::new(),
    };
    match o.issue_time {
        Some(t) => format!("{day} {}", format_time(t)).trim().to_owned(),
        None => day,
    }
}

fn lines(ctx: &Ctx<'_>, o: &Order, text: &mut Text) {
    for l in o.lines.iter().take(MAX_LINES_SHOWN) {
        text.plain("• ")
            .bold(&l.name)
            .plain(format!(" × {}", quantity(ctx, l.ordered)));
        // What the scales said, for lines sold by weight.
        match l.weighed {
            Some(w) if w.is_zero() => {
                text.plain(format!(" ✖ {}", ctx.lang.t("line-not-available")));
            }
            Some(w) if l.unit == larder_core::Unit::Kg => {
                text.plain(format!(" ⚖️ {}", quantity(ctx, w)));
            }
            _ => {}
        }
        text.newline();
    }
    if o.lines.len() > MAX_LINES_SHOWN {
        let more = (o.lines.len() - MAX_LINES_SHOWN).to_string();
        text.italic(ctx.lang.t_args("order-more-lines", &[("count", more)]))
            .newline();
    }
}

pub(super) fn total(ctx: &Ctx<'_>, o: &Order) -> String {
    OrderLook::of_order(o)
        .price(ctx)
        .map(|p| money(ctx, p.total))
        .unwrap_or_else(|| "—".into())
}

/// The status line every card shows: where the order is and who moved it.
fn status(ctx: &Ctx<'_>, look: &Look<'_>, text: &mut Text) {
    let (o, p) = (look.order, look.pipeline);
    let at = |ms: Option<i64>| ms.map(|m| clock(ctx, m)).unwrap_or_default();
    match look.stage {
        Stage::Placed => {
            text.line(ctx.lang.t("card-status-new"));
        }
        Stage::Cancelled => {
            // Who had it stays on the card.
            if let Some(courier) = &p.courier_name {
                text.line(ctx.lang.t_args(
                    "card-status-taken",
                    &[("who", courier.clone()), ("at", at(p.taken_at))],
                ));
            }
            match p.cancel_reason {
                Some(reason) => text.line(ctx.lang.t_args(
                    "card-status-cancelled-why",
                    &[("reason", super::reason_text(ctx, reason))],
                )),
                None => text.line(ctx.lang.t("card-status-cancelled")),
            };
        }
        _ => {
            if p.accepted_at.is_some() {
                text.line(ctx.lang.t_args(
                    "card-status-accepted",
                    &[("who", look.name(p.accepted_by)), ("at", at(p.accepted_at))],
                ));
            }
            if matches!(o.status, OrderStatus::Completed | OrderStatus::Issued) {
                text.line(ctx.lang.t_args(
                    "card-status-prepared",
                    &[
                        ("who", look.name(p.prepared_by.or(look.completed_by))),
                        ("at", at(o.completed_at)),
                    ],
                ));
            }
            if let Some(courier) = &p.courier_name {
                text.line(ctx.lang.t_args(
                    "card-status-taken",
                    &[("who", courier.clone()), ("at", at(p.taken_at))],
                ));
            }
            if o.status == OrderStatus::Issued {
                let id = if o.delivery {
                    "card-status-delivered"
                } else {
                    "card-status-picked-up"
                };
                text.line(ctx.lang.t_args(id, &[("at", at(o.issued_at))]));
            }
        }
    }
}

fn head(ctx: &Ctx<'_>, icon: &str, look: &Look<'_>, text: &mut Text) {
    let o = look.order;
    text.bold(format!(
        "{icon} {}",
        ctx.lang
            .t_args("order-title", &[("number", o.number.to_string())])
    ));
    let mode = if o.delivery {
        ctx.lang.t("card-delivery")
    } else {
        ctx.lang.t("card-pickup")
    };
    text.plain(format!(" · {mode}")).newline();
    let wanted = when(ctx, o);
    if !wanted.is_empty() {
        text.line(ctx.lang.t_args("card-wanted", &[("when", wanted)]));
    }
}

/// The card of `kind` for the order.
pub fn render(ctx: &Ctx<'_>, kind: CardKind, look: &Look<'_>) -> View {
    let (o, p) = (look.order, look.pipeline);
    let t = |id: &str| ctx.lang.t(id);
    let mut v = View::default();
    let open = !matches!(look.stage, Stage::Cancelled | Stage::Done);
    match kind {
        CardKind::Kitchen => {
            head(ctx, "🍳", look, &mut v.text);
            lines(ctx, o, &mut v.text);
            if let Some(note) = &o.note {
                v.text.italic(format!("📝 {note}")).newline();
            }
            v.text.newline();
            status(ctx, look, &mut v.text);
            if open && o.status == OrderStatus::Processing {
                if p.accepted_at.is_none() {
                    v.button(
                        t("btn-card-accept"),
                        Action::Card(CardAction::KitchenAccept(o.id)),
                    );
                } else {
                    if super::scales::wanted(o) {
                        v.button(
                            t("btn-card-weigh"),
                            Action::Card(CardAction::KitchenWeigh(o.id)),
                        );
                    }
                    v.button(
                        t("btn-card-prepared"),
                        Action::Card(CardAction::KitchenPrepared(o.id)),
                    );
                }
            }
        }
        CardKind::Couriers | CardKind::Courier => {
            head(ctx, "🚚", look, &mut v.text);
            v.text
                .line(format!("📍 {}", o.address.as_deref().unwrap_or("—")));
            v.text.line(format!(
                "👤 {} · {}",
                o.client_name,
                o.phone.as_deref().unwrap_or("—")
            ));
            v.text
                .bold(ctx.lang.t_args("card-total", &[("amount", total(ctx, o))]))
                .newline();
            lines(ctx, o, &mut v.text);
            if let Some(note) = &o.note {
                v.text.italic(format!("📝 {note}")).newline();
            }
            v.text.newline();
            status(ctx, look, &mut v.text);
            // Taken once the kitchen has accepted it (until then the
            // customer may still cancel).
            if kind == CardKind::Couriers
                && open
                && p.courier.is_none()
                && look.stage >= Stage::Accepted
            {
                v.button(
                    t("btn-card-take"),
                    Action::Card(CardAction::CourierTake(o.id)),
                );
            }
            // The private card of a courier who gave it back has no buttons.
            if kind == CardKind::Courier && p.courier.is_some() {
                if o.status == OrderStatus::Completed {
                    v.button(
                        t("btn-card-delivered"),
                        Action::Card(CardAction::CourierDelivered(o.id)),
                    );
                }
                if open {
                    v.button(
                        t("btn-card-release"),
                        Action::Card(CardAction::CourierRelease(o.id)),
                    );
                }
            }
            if kind == CardKind::Courier && p.courier.is_none() && open {
                v.text.line(t("card-status-released"));
            }
        }
        CardKind::Admins => {
            head(ctx, "📋", look, &mut v.text);
            v.text.line(format!(
                "👤 {} · {}",
                o.client_name,
                o.phone.as_deref().unwrap_or("—")
            ));
            if o.delivery {
                v.text
                    .line(format!("📍 {}", o.address.as_deref().unwrap_or("—")));
            }
            lines(ctx, o, &mut v.text);
            v.text
                .bold(ctx.lang.t_args("card-total", &[("amount", total(ctx, o))]))
                .newline();
            if let Some(note) = &o.note {
                v.text.italic(format!("📝 {note}")).newline();
            }
            v.text.newline();
            status(ctx, look, &mut v.text);
            if !o.delivery && o.status == OrderStatus::Completed {
                v.button(
                    t("btn-card-issued"),
                    Action::Card(CardAction::AdminIssue(o.id)),
                );
            }
            if open && o.delivery && look.stage >= Stage::Accepted {
                v.button(
                    t("btn-card-reassign"),
                    Action::Card(CardAction::AdminReassignAsk(o.id)),
                );
            }
            if open && o.delivery && p.courier.is_some() {
                v.button(
                    t("btn-card-release-admin"),
                    Action::Card(CardAction::CourierRelease(o.id)),
                );
            }
            if open {
                v.button(
                    t("btn-card-cancel"),
                    Action::Card(CardAction::AdminCancelAsk(o.id)),
                );
            }
        }
        CardKind::Review => {}
    }
    v
}

/// What the customer is told when their order reaches `look.stage`
/// (`restored`: it had been cancelled and is back on).
pub fn customer_note(ctx: &Ctx<'_>, look: &Look<'_>, restored: bool) -> View {
    let o = look.order;
    let number = o.number.to_string();
    let shop = ctx.config.shop_name.clone();
    let args = |extra: Option<(&'static str, String)>| {
        let mut a = vec![("number", number.clone()), ("shop", shop.clone())];
        a.extend(extra);
        a
    };
    let mut v = View::default();
    if restored {
        v.text
            .plain(ctx.lang.t_args("tell-restored", &args(None)))
            .newline();
    }
    let text = match look.stage {
        Stage::Placed => ctx.lang.t_args("tell-placed", &args(None)),
        Stage::Accepted => ctx.lang.t_args("tell-accepted", &args(None)),
        Stage::Prepared if o.delivery => ctx.lang.t_args("tell-prepared-delivery", &args(None)),
        Stage::Prepared => ctx.lang.t_args("tell-ready-pickup", &args(None)),
        Stage::OnTheWay => ctx.lang.t_args(
            "tell-on-the-way",
            &args(Some((
                "courier",
                look.pipeline.courier_name.clone().unwrap_or_default(),
            ))),
        ),
        Stage::Done if o.delivery => ctx.lang.t_args("tell-delivered", &args(None)),
        Stage::Done => ctx.lang.t_args("tell-picked-up", &args(None)),
        Stage::Cancelled => match look.pipeline.cancel_reason {
            Some(CancelReason::Customer) => ctx.lang.t_args("tell-cancelled-by-you", &args(None)),
            Some(reason) => ctx.lang.t_args(
                "tell-cancelled-by-shop-why",
                &args(Some(("reason", super::reason_text(ctx, reason)))),
            ),
            None => ctx.lang.t_args("tell-cancelled-by-shop", &args(None)),
        },
    };
    v.text.plain(text);
    if look.stage == Stage::Cancelled
        && look.pipeline.cancel_reason != Some(CancelReason::Customer)
        && let Some(phone) = &ctx.config.shop.phone
    {
        v.text.newline().plain(
            ctx.lang
                .t_args("tell-cancelled-call", &[("phone", phone.clone())]),
        );
    }
    if look.stage == Stage::Prepared
        && !o.delivery
        && let Some(address) = &ctx.config.shop.address
    {
        v.text.newline().plain(format!("🏪 {address}"));
    }
    let order = OrderLook::of_order(o);
    if let Some(price) = order.price(ctx) {
        v.text.newline();
        if look.stage == Stage::Done {
            // The receipt: what was handed over, weighed, and what it came to.
            v.text.newline();
            receipt(ctx, o, &price, &mut v.text);
        } else if look.stage != Stage::Cancelled {
            let id = if order.estimated() {
                "checkout-total-estimate"
            } else {
                "checkout-total"
            };
            v.text
                .plain(ctx.lang.t_args(id, &[("amount", money(ctx, price.total))]));
        }
    }
    if look.stage == Stage::Done {
        v.text.newline().newline().plain(ctx.lang.t("tell-rate"));
        v.keyboard = rate_rows(|n| Action::Shop(ShopAction::Rate(o.id, n)));
    }
    v
}

/// The lines as handed over (weighed quantities), packing, discount,
/// delivery and the total.
fn receipt(ctx: &Ctx<'_>, o: &Order, price: &OrderPrice, text: &mut Text) {
    text.bold(ctx.lang.t("tell-receipt")).newline();
    for (l, p) in o.lines.iter().zip(&price.lines) {
        let q = l.weighed.unwrap_or(l.ordered);
        if q.is_zero() {
            text.plain(format!("• {} — ", l.name))
                .italic(ctx.lang.t("tell-receipt-unavailable"))
                .newline();
            continue;
        }
        text.plain(format!(
            "• {} × {} = {}",
            l.name,
            quantity(ctx, q),
            money(ctx, p.total)
        ))
        .newline();
    }
    if price.packing.is_positive() {
        text.line(
            ctx.lang
                .t_args("customer-packing", &[("amount", money(ctx, price.packing))]),
        );
    }
    if price.discount.is_positive() {
        text.line(ctx.lang.t_args(
            "customer-discount",
            &[
                ("percent", o.discount.to_string()),
                ("amount", money(ctx, price.discount)),
            ],
        ));
    }
    if o.delivery {
        text.line(ctx.lang.t_args(
            "customer-delivery",
            &[("amount", money(ctx, price.delivery))],
        ));
    }
    text.bold(ctx.lang.t_args(
        "customer-paid-total",
        &[("amount", money(ctx, price.total))],
    ));
}

/// What the courier who had the order hears when it is cancelled: a new
/// message, not only an edit of the card they may not look at again.
pub fn courier_cancelled_note(ctx: &Ctx<'_>, look: &Look<'_>) -> View {
    let o = look.order;
    let reason = match look.pipeline.cancel_reason {
        Some(r) => super::reason_text(ctx, r),
        None => ctx.lang.t("cancel-reason-shop"),
    };
    super::line(ctx.lang.t_args(
        "courier-cancelled",
        &[
            ("number", o.number.to_string()),
            ("address", o.address.clone().unwrap_or_else(|| "—".into())),
            ("reason", reason),
        ],
    ))
}

/// What the admins' group hears when an order ends.
pub fn admins_note(ctx: &Ctx<'_>, look: &Look<'_>) -> View {
    let o = look.order;
    let number = o.number.to_string();
    let text = match look.stage {
        Stage::Cancelled => ctx.lang.t_args(
            "admins-cancelled",
            &[("number", number), ("client", o.client_name.clone())],
        ),
        _ if o.delivery => ctx.lang.t_args(
            "admins-delivered",
            &[
                ("number", number),
                (
                    "courier",
                    look.pipeline.courier_name.clone().unwrap_or_default(),
                ),
            ],
        ),
        _ => ctx.lang.t_args("admins-picked-up", &[("number", number)]),
    };
    super::line(text)
}

/// The review card for the admins' group, re-rendered (after moderation or
/// a new comment); `None` without a bound admins' group.
pub async fn review_card(ctx: &mut Ctx<'_>, id: OrderId) -> Result<Option<CardOut>, UiError> {
    // Staff read it in the business's language, whoever wrote or pressed.
    let acting = ctx.lang;
    ctx.lang = acting.switch(None);
    let card = review_card_in(ctx, id).await;
    ctx.lang = acting;
    card
}

async fn review_card_in(ctx: &mut Ctx<'_>, id: OrderId) -> Result<Option<CardOut>, UiError> {
    let Some(review) = reviews::get(ctx.tx, id).await? else {
        return Ok(None);
    };
    let o = match orders::get(ctx.tx, id).await {
        Ok(o) => o,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let existing = groups::cards_of(ctx.tx, id)
        .await?
        .into_iter()
        .find(|c| c.kind == CardKind::Review);
    let (card, fresh) = match existing {
        Some(c) => (c, false),
        None => {
            let Some(admins) =
                groups::reachable(ctx.tx, larder_store::groups::GroupRole::Admins).await?
            else {
                return Ok(None);
            };
            groups::card(
                ctx.tx,
                id,
                CardKind::Review,
                admins.channel,
                admins.chat_id,
                ctx.now,
            )
            .await?
        }
    };
    let author = match review.customer {
        Some(c) => customers::get(ctx.tx, c)
            .await?
            .first_name
            .unwrap_or_else(|| "—".into()),
        None => "—".into(),
    };
    let mut v = View::default();
    v.text
        .bold(ctx.lang.t_args(
            "review-card-title",
            &[("number", o.number.to_string()), ("author", author)],
        ))
        .newline();
    if let Some(r) = review.rating {
        v.text.line("⭐".repeat(usize::from(r)));
    }
    for (product, stars) in reviews::dish_ratings(ctx.tx, id).await? {
        if let Some(l) = o.lines.iter().find(|l| l.product_id == Some(product)) {
            v.text.line(format!(
                "• {} — {}",
                l.name,
                "⭐".repeat(usize::from(stars))
            ));
        }
    }
    if let Some(c) = &review.comment {
        v.text.newline().italic(format!("«{c}»")).newline();
    }
    let state = match review.state {
        reviews::ReviewState::Pending => {
            v.row(vec![
                Button::action(
                    ctx.lang.t("btn-review-publish"),
                    Action::Card(CardAction::ReviewPublish(id)),
                ),
                Button::action(
                    ctx.lang.t("btn-review-reject"),
                    Action::Card(CardAction::ReviewReject(id)),
                ),
            ]);
            "review-state-pending"
        }
        reviews::ReviewState::Published => "review-state-published",
        reviews::ReviewState::Rejected => "review-state-rejected",
        reviews::ReviewState::None => "review-state-none",
    };
    v.text.line(ctx.lang.t(state));
    if !groups::set_card_shown(ctx.tx, card.id, &super::fingerprint(&v)).await? {
        return Ok(None);
    }
    Ok(Some(CardOut {
        card_id: card.id,
        channel: card.channel,
        chat_id: card.chat_id,
        view: v,
        fresh: fresh || card.shown.is_none(),
        message_id: card.message_id,
    }))
}

/// What admins are told when someone can no longer be reached: `who` is a
/// customer's name or a group's title.
pub fn unreachable_note(i18n: &I18n, who: &str, group: bool) -> View {
    let lang = i18n.pick(None);
    let id = if group {
        "admins-group-lost"
    } else {
        "admins-customer-unreachable"
    };
    super::line(lang.t_args(id, &[("who", who.to_owned())]))
}

/// A right the VK community's token lacks: what stops working and the exact
/// setting to change (`right`: `messages`, `manage`, `photos`).
pub fn lacking_note(i18n: &I18n, right: &str) -> View {
    let lang = i18n.pick(None);
    let effect = match right {
        "messages" => "vk-lacking-messages",
        "manage" => "vk-lacking-manage",
        "photos" => "vk-lacking-photos",
        _ => "vk-lacking-other",
    };
    let mut v = View::default();
    v.text
        .bold(lang.t_args("vk-lacking-title", &[("right", right.to_owned())]))
        .newline()
        .plain(lang.t(effect))
        .newline()
        .newline()
        .plain(lang.t("vk-lacking-fix"));
    v
}

/// Five buttons ⭐ … ⭐⭐⭐⭐⭐ in two rows.
pub fn rate_rows(action: impl Fn(u8) -> Action) -> Vec<Vec<Button>> {
    let star = |n: u8| Button::action("⭐".repeat(usize::from(n)), action(n));
    vec![(1..=3).map(star).collect(), (4..=5).map(star).collect()]
}
