//! Checkout: pickup or delivery, the address (the last one offered), the
//! wanted time (as soon as possible, or a slot within opening hours), a
//! comment, then a summary priced like every order, with an estimated time.
//! Confirming places the order once, whatever the presses and restarts: the
//! press is handled once (the inbox), and the checkout's key is unique.

use crate::action::ShopAction;
use jiff::civil::{Date, Time};
use larder_core::{Address, Fee, Note, OrderId, Percent, Unit, format_time};
use larder_store::customers::Customer;
use larder_store::orders::{self, NewLine, NewOrder};
use larder_store::shop::{self, NewShopOrder};
use larder_store::{Channel, sessions};
use serde::{Deserialize, Serialize};

use super::browse::{CartLine, cart_lines};
use super::hours::{Day, Hours, Now};
use super::{ShopScreen, ShopState};
use crate::action::Action;
use crate::desk::common::{money, quantity, warn};
use crate::desk::texts::{LineView, OrderLook};
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckoutStep {
    Mode,
    Address,
    When,
    /// A day's times; `from`: the group of them shown, where the day's
    /// times do not fit on one keyboard (`None`: all, or the groups).
    Slots {
        day: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<u16>,
    },
    Comment,
    Summary,
}

/// The answers so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutForm {
    pub delivery: bool,
    pub address: Option<String>,
    /// The wanted day and minutes after midnight; `None`: as soon as possible.
    pub wanted: Option<(Date, u16)>,
    pub comment: Option<String>,
    /// Unique per checkout: confirming it twice finds the same order.
    pub key: String,
    /// The total (minor units) the summary showed: Confirm places the order
    /// only at that price.
    #[serde(default)]
    pub quoted: Option<i64>,
}

impl CheckoutStep {
    /// Whether a button belongs to this step (or leads back from it): any
    /// other press, stale or forged, changes nothing.
    fn accepts(&self, action: &Action) -> bool {
        match (self, action) {
            (CheckoutStep::Mode, Action::Shop(ShopAction::CheckoutMode(_))) => true,
            (CheckoutStep::Address, Action::Shop(ShopAction::CheckoutLastAddress)) => true,
            // Back from choosing a time is the mode again.
            (
                CheckoutStep::When | CheckoutStep::Slots { .. },
                Action::Shop(ShopAction::CheckoutMode(_)),
            ) => true,
            (
                CheckoutStep::When,
                Action::Shop(ShopAction::CheckoutAsap) | Action::Shop(ShopAction::CheckoutSlots(_)),
            ) => true,
            (
                CheckoutStep::Slots { .. },
                Action::Shop(ShopAction::CheckoutSlot(..))
                | Action::Shop(ShopAction::CheckoutSlotGroup(..))
                | Action::Shop(ShopAction::CheckoutSlots(_)),
            ) => true,
            (CheckoutStep::Comment, Action::Shop(ShopAction::CheckoutSkipComment)) => true,
            (CheckoutStep::Summary, Action::Shop(ShopAction::CheckoutConfirm)) => true,
            _ => false,
        }
    }
}

const MINUTE_MS: i64 = 60_000;

/// Minutes the order needs: the base plus each dish's preparation time.
fn prep_minutes(ctx: &Ctx<'_>, lines: &[CartLine]) -> i64 {
    let dishes: i64 = lines.iter().filter_map(|l| l.product.prep_minutes).sum();
    i64::from(ctx.config.shop.base_minutes) + dishes
}

fn hours<'a>(ctx: &'a Ctx<'_>) -> Hours<'a> {
    Hours::new(&ctx.config.shop, &ctx.config.timezone, ctx.now)
}

/// The day `offset` days from today, if it is offered for a wanted time.
fn offered(ctx: &Ctx<'_>, offset: u8, need: i64) -> Option<Day> {
    hours(ctx)
        .days(need)
        .into_iter()
        .find(|d| d.offset == offset)
}

/// Why "as soon as possible" is not offered, and when the shop opens next.
fn closed_line(ctx: &Ctx<'_>, now: Now) -> String {
    let lang = ctx.lang;
    match now {
        Now::Open { .. } => String::new(),
        Now::TooLate { closes } => {
            lang.t_args("checkout-too-late", &[("closes", format_time(closes))])
        }
        Now::Closed { day, opens } => {
            let id = if day == hours(ctx).today() {
                "checkout-opens-today"
            } else {
                "checkout-opens-tomorrow"
            };
            lang.t_args(id, &[("time", format_time(opens))])
        }
    }
}

fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    c: &Customer,
    action: Action,
) -> Result<Reply, UiError> {
    let lines = cart_lines(ctx, c).await?;
    if action == Action::Shop(ShopAction::Checkout) {
        if lines.is_empty() || lines.iter().any(|l| l.unavailable) {
            state.screen = ShopScreen::Cart;
            let view = super::render(ctx, state, c, None).await?;
            return Ok(Reply::show(view).with_alert(ctx.lang.t("shop-cart-has-unavailable")));
        }
        state.screen = ShopScreen::Checkout {
            step: CheckoutStep::Mode,
            form: CheckoutForm {
                key: format!("{}:{}:{}", ctx.channel.as_str(), ctx.user.id.raw(), ctx.now),
                ..CheckoutForm::default()
            },
        };
        return Ok(Reply::show(render(ctx, state, c, None).await?));
    }
    let ShopScreen::Checkout { step, form } = &mut state.screen else {
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    };
    let need = prep_minutes(ctx, &lines);
    if !step.accepts(&action) {
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    }
    match action {
        Action::Shop(ShopAction::CheckoutMode(delivery)) => {
            form.delivery = delivery;
            *step = if delivery {
                CheckoutStep::Address
            } else {
                form.address = None;
                CheckoutStep::When
            };
        }
        Action::Shop(ShopAction::CheckoutLastAddress) => {
            let Some(last) = c.last_address.clone() else {
                return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
            };
            form.address = Some(last);
            *step = CheckoutStep::When;
        }
        Action::Shop(ShopAction::CheckoutAsap) => {
            let now = hours(ctx).now(need);
            if !matches!(now, Now::Open { .. }) {
                return Ok(Reply::keep().with_alert(closed_line(ctx, now)));
            }
            form.wanted = None;
            *step = CheckoutStep::Comment;
        }
        Action::Shop(ShopAction::CheckoutSlots(day)) if offered(ctx, day, need).is_some() => {
            *step = CheckoutStep::Slots { day, from: None };
        }
        Action::Shop(ShopAction::CheckoutSlotGroup(day, from))
            if offered(ctx, day, need).is_some() =>
        {
            *step = CheckoutStep::Slots {
                day,
                from: Some(from),
            };
        }
        Action::Shop(ShopAction::CheckoutSlot(day, minute)) => {
            let valid = hours(ctx).offers(day, minute, need).is_some();
            if !valid {
                return Ok(Reply::keep().with_alert(ctx.lang.t("checkout-slot-gone")));
            }
            form.wanted = Some((day, minute));
            *step = CheckoutStep::Comment;
        }
        Action::Shop(ShopAction::CheckoutSkipComment) => {
            form.comment = None;
            form.quoted = total(ctx, &lines, form);
            *step = CheckoutStep::Summary;
        }
        Action::Shop(ShopAction::CheckoutConfirm) => {
            let form = form.clone();
            return confirm(ctx, state, c, &lines, form, need).await;
        }
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    Ok(Reply::show(render(ctx, state, c, None).await?))
}

/// A typed address or comment.
pub async fn typed(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    c: &Customer,
    text: &str,
) -> Result<Reply, UiError> {
    let ShopScreen::Checkout { step, form } = &mut state.screen else {
        return Ok(Reply::keep());
    };
    let notice = match step {
        CheckoutStep::Address => match Address::parse(text) {
            Ok(a) => {
                form.address = Some(a.as_str().to_owned());
                *step = CheckoutStep::When;
                None
            }
            Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
        },
        CheckoutStep::Comment => match Note::parse(text) {
            Ok(n) => {
                form.comment = Some(n.as_str().to_owned());
                *step = CheckoutStep::Summary;
                let lines = cart_lines(ctx, c).await?;
                if let ShopScreen::Checkout { form, .. } = &mut state.screen {
                    form.quoted = total(ctx, &lines, form);
                }
                None
            }
            Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
        },
        _ => Some(ctx.lang.t("type-buttons")),
    };
    Ok(Reply::show(render(ctx, state, c, notice).await?))
}

/// The session shop orders go to: the configured one if it exists, else the Inbox.
async fn session(ctx: &mut Ctx<'_>) -> Result<larder_core::SessionId, UiError> {
    if let Some(name) = ctx.config.shop.session.clone()
        && let Some(s) = sessions::active_by_name(ctx.tx, &name).await?
    {
        return Ok(s.id);
    }
    Ok(sessions::inbox(ctx.tx).await?.id)
}

async fn confirm(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    c: &Customer,
    lines: &[CartLine],
    form: CheckoutForm,
    need: i64,
) -> Result<Reply, UiError> {
    if lines.is_empty() || lines.iter().any(|l| l.unavailable) {
        state.screen = ShopScreen::Cart;
        let view = super::render(ctx, state, c, None).await?;
        return Ok(Reply::show(view).with_alert(ctx.lang.t("shop-cart-has-unavailable")));
    }
    // Whatever was pressed before: a delivery needs an address, and the
    // price is the one the summary showed.
    if form.delivery && form.address.is_none() {
        if let ShopScreen::Checkout { step, .. } = &mut state.screen {
            *step = CheckoutStep::Address;
        }
        let notice = Some(ctx.lang.t("checkout-address-needed"));
        return Ok(Reply::show(render(ctx, state, c, notice).await?));
    }
    let now_total = total(ctx, lines, &form);
    if now_total != form.quoted {
        if let ShopScreen::Checkout { form, .. } = &mut state.screen {
            form.quoted = now_total;
        }
        let amount = now_total
            .map(|m| money(ctx, larder_core::Money::from_minor(m)))
            .unwrap_or_default();
        let notice = Some(warn(ctx, "checkout-price-changed", &[("amount", amount)]));
        return Ok(Reply::show(render(ctx, state, c, notice).await?));
    }
    let ready_by = match form.wanted {
        None => hours(ctx).asap(need),
        Some((day, minute)) => hours(ctx).offers(day, minute, need),
    };
    let Some(ready_by) = ready_by else {
        if let ShopScreen::Checkout { step, .. } = &mut state.screen {
            *step = CheckoutStep::When;
        }
        let notice = Some(ctx.lang.t("checkout-slot-gone"));
        return Ok(Reply::show(render(ctx, state, c, notice).await?));
    };
    let ready = jiff::Timestamp::from_millisecond(ready_by)
        .map(|ts| ts.to_zoned(ctx.config.timezone.clone()).datetime())
        .unwrap_or_default();
    let name = format!(
        "{} {}",
        c.first_name.as_deref().unwrap_or_default(),
        c.last_name.as_deref().unwrap_or_default()
    );
    let order = NewOrder {
        session_id: session(ctx).await?,
        client_name: name.trim().to_owned(),
        phone: c.phone.clone(),
        delivery: form.delivery,
        address: form.address.clone(),
        issue_date: Some(ready.date()),
        issue_time: Some(Time::new(ready.hour(), ready.minute(), 0, 0).unwrap_or_default()),
        discount: Percent::ZERO,
        fee: Fee::Auto,
        note: form.comment.clone(),
        customer: (c.channel == Channel::Telegram).then(|| larder_core::TgUserId::new(c.user_id)),
        lines: lines
            .iter()
            .map(|l| NewLine {
                product_id: Some(l.product.id),
                name: l.product.name.clone(),
                unit: l.product.unit,
                price: l.product.price,
                ordered: l.quantity,
                packing: None,
                packing_rate: None,
            })
            .collect(),
    };
    let new = NewShopOrder {
        order,
        customer: c.id,
        origin: ctx.channel,
        checkout_key: form.key.clone(),
        ready_by,
    };
    let (id, number, fresh) = shop::place(ctx.tx, &new, ctx.now).await?;
    if fresh {
        shop::clear_cart(ctx.tx, c.id).await?;
        tracing::info!(
            order.id = id.get(),
            order.number = number,
            "shop order placed"
        );
    }
    state.screen = ShopScreen::Placed { id };
    Ok(Reply::show(render(ctx, state, c, None).await?).with_toast(ctx.lang.t("checkout-placed")))
}

/// What the cart costs now with the form's choices (minor units).
fn total(ctx: &Ctx<'_>, lines: &[CartLine], form: &CheckoutForm) -> Option<i64> {
    look(lines, form, "").price(ctx).map(|p| p.total.minor())
}

/// The cart as an order, for the summary's prices.
fn look<'a>(lines: &'a [CartLine], form: &'a CheckoutForm, name: &'a str) -> OrderLook<'a> {
    OrderLook {
        number: None,
        client_name: name,
        phone: None,
        delivery: form.delivery,
        address: form.address.as_deref(),
        date: None,
        time: None,
        discount: Percent::ZERO,
        fee: Fee::Auto,
        fee_fixed: None,
        note: form.comment.as_deref(),
        lines: lines
            .iter()
            .map(|l| LineView {
                name: &l.product.name,
                unit: l.product.unit,
                price: l.product.price,
                ordered: l.quantity,
                weighed: (l.product.unit == Unit::Piece).then_some(l.quantity),
                packing: None,
                packing_rate: None,
            })
            .collect(),
    }
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &ShopState,
    c: &Customer,
    notice: Option<String>,
) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let mut v = View::default();
    if let ShopScreen::Placed { id } = &state.screen {
        return placed(ctx, *id, notice).await;
    }
    let ShopScreen::Checkout { step, form } = &state.screen else {
        return Ok(v);
    };
    let lines = cart_lines(ctx, c).await?;
    let need = prep_minutes(ctx, &lines);
    v.text.bold(t("checkout-title")).newline();
    match step {
        CheckoutStep::Mode => {
            v.text.plain(t("checkout-ask-mode"));
            v.row(vec![
                Button::action(
                    t("checkout-pickup"),
                    Action::Shop(ShopAction::CheckoutMode(false)),
                ),
                Button::action(
                    t("checkout-delivery"),
                    Action::Shop(ShopAction::CheckoutMode(true)),
                ),
            ]);
        }
        CheckoutStep::Address => {
            match &c.last_address {
                Some(last) => {
                    v.text.plain(t("checkout-ask-address-or-last"));
                    v.button(
                        crate::desk::common::label(&format!("📍 {last}")),
                        Action::Shop(ShopAction::CheckoutLastAddress),
                    );
                }
                None => {
                    v.text.plain(t("checkout-ask-address"));
                }
            }
            v.button(t("btn-back"), Action::Shop(ShopAction::Checkout));
        }
        CheckoutStep::When => {
            v.text.plain(t("checkout-ask-when"));
            let now = hours(ctx).now(need);
            let mut asap = None;
            if let Now::Open { ready } = now {
                let label = ctx.lang.t_args(
                    "checkout-asap",
                    &[("time", crate::pipeline::clock_of(ctx, ready))],
                );
                asap = Some(Button::action(
                    label,
                    Action::Shop(ShopAction::CheckoutAsap),
                ));
            } else {
                v.text.newline().italic(closed_line(ctx, now));
            }
            let mut days = Vec::new();
            for day in hours(ctx).days(need) {
                let name = match day.offset {
                    0 => t("when-today"),
                    1 => t("when-tomorrow"),
                    _ => day.date.strftime("%d.%m").to_string(),
                };
                days.push(Button::action(
                    format!("🕐 {name}"),
                    Action::Shop(ShopAction::CheckoutSlots(day.offset)),
                ));
            }
            let back = Button::action(t("btn-back"), Action::Shop(ShopAction::Checkout));
            paged(ctx, &mut v, state.page(), asap, days, 3, back);
            return Ok(v.with_notice(notice.as_deref()));
        }
        CheckoutStep::Slots { day, from } => {
            let (date, free) = match offered(ctx, *day, need) {
                Some(d) => (d.date, d.slots),
                None => (hours(ctx).today(), Vec::new()),
            };
            let room = ctx.keys().room(4, &[2]);
            let groups = slot_groups(&free, room);
            // Hours first where the day's times do not fit at once.
            let ask = if from.is_none() && groups.len() > 1 {
                "checkout-ask-slot-group"
            } else {
                "checkout-ask-slot"
            };
            v.text.plain(
                ctx.lang
                    .t_args(ask, &[("date", larder_core::format_date(date))]),
            );
            if free.is_empty() {
                v.text.newline().italic(t("checkout-no-slots"));
            }
            let back = |action| Button::action(t("btn-back"), action);
            let (buttons, per_row, back) = match from {
                // The times of one group; back is the day's groups.
                Some(from) => {
                    let shown: Vec<Button> = groups
                        .iter()
                        .find(|g| g.first() == Some(from))
                        .into_iter()
                        .flatten()
                        .map(|m| slot_button(date, *m))
                        .collect();
                    (
                        shown,
                        4,
                        back(Action::Shop(ShopAction::CheckoutSlots(*day))),
                    )
                }
                None if groups.len() > 1 => {
                    let shown = groups
                        .iter()
                        .map(|g| {
                            let (first, last) = (g[0], g[g.len() - 1]);
                            // A group of one time is that time.
                            let label = if first == last {
                                format!("🕐 {}", hhmm(first))
                            } else {
                                format!("🕐 {}–{}", hhmm(first), hhmm(last))
                            };
                            Button::action(
                                label,
                                Action::Shop(ShopAction::CheckoutSlotGroup(*day, first)),
                            )
                        })
                        .collect();
                    let to = Action::Shop(ShopAction::CheckoutMode(form.delivery));
                    (shown, 2, back(to))
                }
                None => {
                    let shown = free.iter().map(|m| slot_button(date, *m)).collect();
                    let to = Action::Shop(ShopAction::CheckoutMode(form.delivery));
                    (shown, 4, back(to))
                }
            };
            paged(ctx, &mut v, state.page(), None, buttons, per_row, back);
            return Ok(v.with_notice(notice.as_deref()));
        }
        CheckoutStep::Comment => {
            v.text.plain(t("checkout-ask-comment"));
            v.button(
                t("checkout-no-comment"),
                Action::Shop(ShopAction::CheckoutSkipComment),
            );
        }
        CheckoutStep::Summary => summary(ctx, &mut v, &lines, form, need),
    }
    if *step != CheckoutStep::Summary {
        v.button(t("shop-cart"), Action::Shop(ShopAction::Cart));
    }
    Ok(v.with_notice(notice.as_deref()))
}

fn slot_button(date: Date, minute: u16) -> Button {
    Button::action(
        hhmm(minute),
        Action::Shop(ShopAction::CheckoutSlot(date, minute)),
    )
}

/// A day's free times in groups of whole hours, as few hours to a group as
/// keep the groups within `room` buttons: one group when all fit.
fn slot_groups(free: &[u16], room: usize) -> Vec<Vec<u16>> {
    let room = room.max(1);
    let group = |hours: u16| -> Vec<Vec<u16>> {
        let mut out: Vec<Vec<u16>> = Vec::new();
        for &m in free {
            match out.last_mut() {
                Some(g) if g[0] / (60 * hours) == m / (60 * hours) => g.push(m),
                _ => out.push(vec![m]),
            }
        }
        out
    };
    if free.len() <= room {
        return vec![free.to_vec()];
    }
    (1..=24)
        .map(group)
        .find(|g| g.len() <= room)
        .unwrap_or_else(|| vec![free.to_vec()])
}

/// Buttons of a step, `per_row` to a row, a page at a time where the
/// keyboard is small, with the extra button above them and back and cart on
/// every page.
fn paged(
    ctx: &Ctx<'_>,
    v: &mut View,
    page: u32,
    first: Option<Button>,
    buttons: Vec<Button>,
    per_row: usize,
    back: Button,
) {
    let cart = Button::action(ctx.lang.t("shop-cart"), Action::Shop(ShopAction::Cart));
    let mut fixed = vec![2];
    if first.is_some() {
        fixed.push(1);
    }
    if let Some(b) = first {
        v.row(vec![b]);
    }
    super::paged_buttons(ctx, v, page, buttons, (per_row, &fixed, usize::MAX));
    if ctx.keys().narrow() {
        v.row(vec![back, cart]);
    } else {
        v.row(vec![back]);
        v.row(vec![cart]);
    }
}

fn summary(ctx: &Ctx<'_>, v: &mut View, lines: &[CartLine], form: &CheckoutForm, need: i64) {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let look = look(lines, form, "");
    let price = look.price(ctx);
    for (i, l) in lines.iter().enumerate() {
        let amount = price
            .as_ref()
            .and_then(|p| p.lines.get(i))
            .map(|p| money(ctx, p.goods))
            .unwrap_or_default();
        v.text
            .plain("• ")
            .bold(&l.product.name)
            .plain(format!(" × {} = {amount}", quantity(ctx, l.quantity)))
            .newline();
    }
    if let Some(p) = &price {
        v.text.newline();
        if form.delivery {
            v.text.line(
                ctx.lang
                    .t_args("customer-delivery", &[("amount", money(ctx, p.delivery))]),
            );
        }
        let id = if look.estimated() {
            "checkout-total-estimate"
        } else {
            "checkout-total"
        };
        v.text
            .bold(ctx.lang.t_args(id, &[("amount", money(ctx, p.total))]))
            .newline();
    }
    v.text.newline();
    if form.delivery {
        v.text.line(format!(
            "🚚 {}: {}",
            t("order-delivery"),
            form.address.as_deref().unwrap_or("—")
        ));
    } else {
        match &ctx.config.shop.address {
            Some(address) => v.text.line(format!("🏪 {}: {address}", t("order-pickup"))),
            None => v.text.line(format!("🏪 {}", t("order-pickup"))),
        };
    }
    let when = match form.wanted {
        Some((day, minute)) => format!("{} {}", larder_core::format_date(day), hhmm(minute)),
        None => ctx.lang.t_args(
            "checkout-asap-at",
            &[(
                "time",
                crate::pipeline::clock_of(ctx, ctx.now + need * MINUTE_MS),
            )],
        ),
    };
    v.text.line(format!("🕐 {when}"));
    v.text.line(
        ctx.lang
            .t_args("checkout-estimate", &[("minutes", need.to_string())]),
    );
    if let Some(comment) = &form.comment {
        v.text.italic(format!("📝 {comment}")).newline();
    }
    v.button(
        t("checkout-confirm"),
        Action::Shop(ShopAction::CheckoutConfirm),
    );
    v.row(vec![
        Button::action(t("checkout-change"), Action::Shop(ShopAction::Checkout)),
        Button::action(t("shop-cart"), Action::Shop(ShopAction::Cart)),
    ]);
}

async fn placed(ctx: &mut Ctx<'_>, id: OrderId, notice: Option<String>) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let o = orders::get(ctx.tx, id).await?;
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("checkout-placed-title", &[("number", o.number.to_string())]),
        )
        .newline();
    let when = crate::pipeline::when_of(ctx, &o);
    let (when_id, hint_id) = if o.delivery {
        (
            "checkout-placed-when-delivery",
            "checkout-placed-hint-delivery",
        )
    } else {
        ("checkout-placed-when-pickup", "checkout-placed-hint-pickup")
    };
    v.text.line(ctx.lang.t_args(when_id, &[("when", when)]));
    if !o.delivery
        && let Some(address) = &ctx.config.shop.address
    {
        v.text.line(format!("🏪 {address}"));
    }
    let order = OrderLook::of_order(&o);
    if let Some(price) = order.price(ctx) {
        let id = if order.estimated() {
            "checkout-total-estimate"
        } else {
            "checkout-total"
        };
        v.text
            .line(ctx.lang.t_args(id, &[("amount", money(ctx, price.total))]));
    }
    v.text.plain(t(hint_id));
    v.row(vec![
        Button::action(t("shop-my-orders"), Action::Shop(ShopAction::MyOrder(id))),
        Button::action(t("shop-open-menu"), Action::Shop(ShopAction::ShopHome)),
    ]);
    Ok(v.with_notice(notice.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::slot_groups;

    #[test]
    fn a_days_times_group_by_whole_hours_only_when_they_do_not_fit() {
        let half_hours: Vec<u16> = (20..=44).map(|n| n * 30).collect(); // 10:00…22:00
        assert_eq!(
            slot_groups(&half_hours[..8], 8).len(),
            1,
            "eight fit at once"
        );
        let groups = slot_groups(&half_hours, 8);
        // One hour a group would make 13 groups: two hours make 7.
        assert_eq!(groups.len(), 7);
        assert_eq!(groups[0], [600, 630, 660, 690]);
        assert_eq!(groups[6], [1320], "22:00 alone");
        assert!(groups.iter().all(|g| g.len() <= 8));
        assert_eq!(
            groups.concat(),
            half_hours,
            "every time in one group, in order"
        );
    }
}
