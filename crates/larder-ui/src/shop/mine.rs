//! The customer's orders with their status, cancelling (only until the
//! kitchen accepts), feedback on a finished order, and the published reviews.

use crate::action::ShopAction;
use larder_core::{OrderId, OrderStatus};
use larder_store::customers::Customer;
use larder_store::orders::{self, Order};
use larder_store::shop::{self, Stage};
use larder_store::{StoreError, reviews};

use super::browse::average;
use super::{ShopScreen, ShopState};
use crate::action::Action;
use crate::desk::common::{label, money, quantity, warn};
use crate::desk::texts::OrderLook;
use crate::paging::Page;
use crate::pipeline::{rate_rows, stage_of};
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

const REVIEWS_PER_PAGE: u32 = 5;

fn stage_id(stage: Stage, delivery: bool) -> &'static str {
    match stage {
        Stage::Placed => "mine-stage-placed",
        Stage::Accepted => "mine-stage-accepted",
        Stage::Prepared if delivery => "mine-stage-prepared",
        Stage::Prepared => "mine-stage-ready",
        Stage::OnTheWay => "mine-stage-on-the-way",
        Stage::Done if delivery => "mine-stage-delivered",
        Stage::Done => "mine-stage-picked-up",
        Stage::Cancelled => "mine-stage-cancelled",
    }
}

/// The customer's own order, or `None` (someone else's, or gone).
async fn own(ctx: &mut Ctx<'_>, c: &Customer, id: OrderId) -> Result<Option<Order>, UiError> {
    let p = match shop::pipeline(ctx.tx, id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if p.customer != Some(c.id) {
        return Ok(None);
    }
    Ok(Some(orders::get(ctx.tx, id).await?))
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    c: &Customer,
    action: Action,
) -> Result<Reply, UiError> {
    let mut toast = None;
    let mut notice = None;
    let mut cards = Vec::new();
    let order_of = |a: &Action| match a {
        Action::Shop(ShopAction::MyOrder(id))
        | Action::Shop(ShopAction::MyOrderCancel(id))
        | Action::Shop(ShopAction::MyOrderCancelYes(id))
        | Action::Shop(ShopAction::Rate(id, _))
        | Action::Shop(ShopAction::RateDish(id, ..))
        | Action::Shop(ShopAction::FeedbackComment(id))
        | Action::Shop(ShopAction::FeedbackDone(id)) => Some(*id),
        _ => None,
    };
    let order = match order_of(&action) {
        Some(id) => match own(ctx, c, id).await? {
            Some(o) => Some(o),
            None => return Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed"))),
        },
        None => None,
    };
    match (action, order) {
        (Action::Shop(ShopAction::MyOrders(page)), _) => {
            state.screen = ShopScreen::MyOrders { page }
        }
        (Action::Shop(ShopAction::ShopReviews(page)), _) => {
            state.screen = ShopScreen::Reviews { page }
        }
        (Action::Shop(ShopAction::MyOrder(id)), _) => state.screen = ShopScreen::MyOrder { id },
        (Action::Shop(ShopAction::MyOrderCancel(id)), _) => {
            state.screen = ShopScreen::CancelAsk { id }
        }
        (Action::Shop(ShopAction::MyOrderCancelYes(id)), Some(o)) => {
            let p = shop::pipeline(ctx.tx, id).await?;
            state.screen = ShopScreen::MyOrder { id };
            if o.status == OrderStatus::Cancelled {
                toast = Some(ctx.lang.t("mine-cancelled"));
            } else if o.status != OrderStatus::Processing || p.accepted_at.is_some() {
                notice = Some(too_late(ctx));
            } else {
                let reason = shop::CancelReason::Customer;
                shop::cancel(ctx.tx, id, o.version, None, reason, ctx.now).await?;
                tracing::info!(order.id = id.get(), "order cancelled by the customer");
                toast = Some(ctx.lang.t("mine-cancelled"));
            }
        }
        (Action::Shop(ShopAction::Rate(id, stars)), Some(o)) => {
            if o.status != OrderStatus::Issued {
                return Ok(Reply::keep().with_alert(ctx.lang.t("feedback-not-yet")));
            }
            match reviews::rate(ctx.tx, id, Some(c.id), stars, ctx.now).await {
                Ok(()) => {}
                // Moderated meanwhile: the old keyboard changes nothing.
                Err(StoreError::Refused) => {
                    return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
                }
                Err(e) => return Err(e.into()),
            }
            // A review waiting for the admins shows the stars as they are now.
            let carded = larder_store::groups::cards_of(ctx.tx, id)
                .await?
                .iter()
                .any(|c| c.kind == larder_store::groups::CardKind::Review);
            if carded && let Some(card) = crate::pipeline::review_card(ctx, id).await? {
                cards.push(card);
            }
            state.screen = ShopScreen::Feedback { id };
            toast = Some(ctx.lang.t("feedback-thanks"));
        }
        (Action::Shop(ShopAction::RateDish(id, product, stars)), Some(o)) => {
            if o.status != OrderStatus::Issued
                || !o.lines.iter().any(|l| l.product_id == Some(product))
            {
                return Ok(Reply::keep().with_alert(ctx.lang.t("feedback-not-yet")));
            }
            match reviews::rate_dish(ctx.tx, id, product, stars, ctx.now).await {
                Ok(()) => {}
                Err(StoreError::Refused) => {
                    return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
                }
                Err(e) => return Err(e.into()),
            }
            state.screen = ShopScreen::Feedback { id };
        }
        (Action::Shop(ShopAction::FeedbackComment(id)), Some(o))
            if o.status == OrderStatus::Issued =>
        {
            state.screen = ShopScreen::FeedbackComment { id };
        }
        (Action::Shop(ShopAction::FeedbackDone(_)), _) => {
            state.screen = ShopScreen::Home;
            toast = Some(ctx.lang.t("feedback-thanks"));
        }
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    let mut reply = Reply::show(super::render(ctx, state, c, notice).await?);
    reply.cards = cards;
    Ok(match toast {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

fn too_late(ctx: &Ctx<'_>) -> String {
    match &ctx.config.shop.phone {
        Some(phone) => ctx
            .lang
            .t_args("mine-cancel-too-late", &[("phone", phone.clone())]),
        None => ctx.lang.t("mine-cancel-too-late-no-phone"),
    }
}

/// A typed comment on a finished order: it waits for the admins.
pub async fn typed(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    c: &Customer,
    text: &str,
) -> Result<Reply, UiError> {
    let ShopScreen::FeedbackComment { id } = state.screen else {
        return Ok(Reply::keep());
    };
    let comment = match larder_core::Note::parse(text) {
        Ok(n) => n,
        Err(e) => {
            let notice = Some(warn(ctx, e.message_id(), &e.args()));
            return Ok(Reply::show(super::render(ctx, state, c, notice).await?));
        }
    };
    let mut reply = Reply::keep();
    match reviews::comment(ctx.tx, id, Some(c.id), comment.as_str(), ctx.now).await {
        Ok(()) => {
            if let Some(card) = crate::pipeline::review_card(ctx, id).await? {
                reply.cards.push(card);
            }
            state.screen = ShopScreen::Feedback { id };
            reply.toast = Some(crate::Toast {
                text: ctx.lang.t("feedback-comment-sent"),
                alert: false,
            });
        }
        Err(StoreError::Refused) => {
            state.screen = ShopScreen::Feedback { id };
            let notice = Some(ctx.lang.t("feedback-already-moderated"));
            return Ok(Reply::show(super::render(ctx, state, c, notice).await?));
        }
        Err(e) => return Err(e.into()),
    }
    reply.desk = crate::Desk::Show(super::render(ctx, state, c, None).await?);
    Ok(reply)
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &ShopState,
    c: &Customer,
    notice: Option<String>,
) -> Result<View, UiError> {
    let view = match state.screen {
        ShopScreen::MyOrders { page } => list(ctx, c, page).await?,
        ShopScreen::MyOrder { id } => card(ctx, c, id).await?,
        ShopScreen::CancelAsk { id } => {
            let lang = ctx.lang;
            let t = |id: &str| lang.t(id);
            let mut v = View::default();
            v.text.plain(t("mine-cancel-ask"));
            v.row(vec![
                Button::action(
                    t("mine-cancel-yes"),
                    Action::Shop(ShopAction::MyOrderCancelYes(id)),
                ),
                Button::action(t("btn-back"), Action::Shop(ShopAction::MyOrder(id))),
            ]);
            v
        }
        ShopScreen::Feedback { id } => feedback(ctx, c, id, state.page()).await?,
        ShopScreen::FeedbackComment { id } => {
            let mut v = View::default();
            v.text.plain(ctx.lang.t("feedback-ask-comment"));
            v.button(
                ctx.lang.t("btn-cancel"),
                Action::Shop(ShopAction::MyOrder(id)),
            );
            v
        }
        ShopScreen::Reviews { page } => published(ctx, page).await?,
        _ => View::default(),
    };
    Ok(view.with_notice(notice.as_deref()))
}

async fn list(ctx: &mut Ctx<'_>, c: &Customer, page: u32) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let (_, total) = shop::customer_orders(ctx.tx, c.id, 0, 0).await?;
    let most = ctx.config.page_size as usize;
    let size = ctx
        .keys()
        .page_size(usize::try_from(total).unwrap_or(0), 1, &[1], most);
    let page = Page::new(page, total, size);
    let (ids, _) = shop::customer_orders(ctx.tx, c.id, page.offset(), page.limit()).await?;
    let mut v = View::default();
    v.text.bold(t("mine-title")).newline();
    if ids.is_empty() {
        v.text.italic(t("mine-empty")).newline();
    }
    for id in ids {
        let o = orders::get(ctx.tx, id).await?;
        let p = shop::pipeline(ctx.tx, id).await?;
        let stage = ctx.lang.t(stage_id(stage_of(&o, &p), o.delivery));
        v.button(
            label(&format!("№{} · {stage}", o.number)),
            Action::Shop(ShopAction::MyOrder(id)),
        );
    }
    v.row(page.nav(ctx.lang, |a0| Action::Shop(ShopAction::MyOrders(a0))));
    v.button(t("btn-back"), Action::Shop(ShopAction::ShopHome));
    Ok(v)
}

async fn card(ctx: &mut Ctx<'_>, c: &Customer, id: OrderId) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let Some(o) = own(ctx, c, id).await? else {
        let mut v = View::default();
        v.text.plain(t("not-found"));
        v.button(t("btn-back"), Action::Shop(ShopAction::MyOrders(0)));
        return Ok(v);
    };
    let p = shop::pipeline(ctx.tx, id).await?;
    let stage = stage_of(&o, &p);
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("order-title", &[("number", o.number.to_string())]),
        )
        .plain(format!(" · {}", t(stage_id(stage, o.delivery))))
        .newline();
    let look = OrderLook::of_order(&o);
    let price = look.price(ctx);
    for (i, l) in o.lines.iter().enumerate() {
        let q = l.weighed.unwrap_or(l.ordered);
        let amount = price
            .as_ref()
            .and_then(|p| p.lines.get(i))
            .map(|p| money(ctx, p.goods))
            .unwrap_or_default();
        v.text
            .line(format!("• {} × {} = {amount}", l.name, quantity(ctx, q)));
    }
    if let Some(p) = &price {
        let id = if look.estimated() {
            "checkout-total-estimate"
        } else {
            "checkout-total"
        };
        v.text
            .bold(ctx.lang.t_args(id, &[("amount", money(ctx, p.total))]))
            .newline();
    }
    let when = crate::pipeline::when_of(ctx, &o);
    if !when.is_empty() {
        v.text
            .line(ctx.lang.t_args("card-wanted", &[("when", when)]));
    }
    if stage == Stage::OnTheWay
        && let Some(courier) = &p.courier_name
    {
        v.text.line(
            ctx.lang
                .t_args("mine-courier", &[("courier", courier.clone())]),
        );
    }
    if stage == Stage::Placed {
        v.button(
            t("mine-cancel"),
            Action::Shop(ShopAction::MyOrderCancel(id)),
        );
    }
    if stage == Stage::Done && reviews::open(ctx.tx, id).await? {
        v.button(
            t("feedback-leave"),
            Action::Shop(ShopAction::FeedbackComment(id)),
        );
        v.keyboard
            .extend(rate_rows(|n| Action::Shop(ShopAction::Rate(id, n))));
    }
    v.row(vec![
        Button::action(t("btn-back"), Action::Shop(ShopAction::MyOrders(0))),
        Button::action(t("shop-open-menu"), Action::Shop(ShopAction::ShopHome)),
    ]);
    Ok(v)
}

async fn feedback(
    ctx: &mut Ctx<'_>,
    c: &Customer,
    id: OrderId,
    page: u32,
) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let Some(o) = own(ctx, c, id).await? else {
        return Ok(View::default());
    };
    let review = reviews::get(ctx.tx, id).await?;
    let dishes = reviews::dish_ratings(ctx.tx, id).await?;
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("feedback-title", &[("number", o.number.to_string())]),
        )
        .newline();
    if let Some(r) = review.as_ref().and_then(|r| r.rating) {
        v.text.line(ctx.lang.t_args(
            "feedback-your-rating",
            &[("stars", "⭐".repeat(usize::from(r)))],
        ));
    }
    v.text.plain(t("feedback-rate-dishes")).newline();
    let mut rated: Vec<(larder_core::ProductId, &str, Option<u8>)> = Vec::new();
    for l in &o.lines {
        let Some(product) = l.product_id else {
            continue;
        };
        if rated.iter().any(|(p, ..)| *p == product) {
            continue;
        }
        let given = dishes.iter().find(|(p, _)| *p == product).map(|(_, s)| *s);
        rated.push((product, &l.name, given));
    }
    let stars = |product: larder_core::ProductId, given: Option<u8>| -> Vec<Button> {
        (1..=5)
            .map(|n| {
                let mark = if given == Some(n) { "⭐" } else { "" };
                Button::action(
                    format!("{mark}{n}"),
                    Action::Shop(ShopAction::RateDish(id, product, n)),
                )
            })
            .collect()
    };
    let narrow = ctx.keys().narrow() && rated.len() > 1;
    // A small keyboard holds one dish's stars: a dish a page, named just
    // above its stars, and a rating keeps the page.
    let page = Page::new(page, i64::try_from(rated.len()).unwrap_or(0), 1);
    for (n, (_, name, given)) in rated.iter().enumerate() {
        let stars = given
            .map(|s| "⭐".repeat(usize::from(s)))
            .unwrap_or_default();
        let here = narrow && n == page.index as usize;
        let pointer = if here { "👉 " } else { "• " };
        v.text.line(format!("{pointer}{name} {stars}"));
    }
    if narrow {
        let (product, name, given) = rated[page.index as usize];
        v.text.newline().bold(
            ctx.lang
                .t_args("feedback-rate-dish", &[("name", name.to_owned())]),
        );
        v.row(stars(product, given));
        v.row(page.nav(ctx.lang, |p| Action::Shop(ShopAction::ShopPage(p))));
    } else {
        for (product, _, given) in &rated {
            v.row(stars(*product, *given));
        }
    }
    let mut last = Vec::new();
    match review.as_ref().map(|r| r.state) {
        Some(reviews::ReviewState::Pending) => {
            v.text.italic(t("feedback-comment-waiting")).newline();
        }
        Some(reviews::ReviewState::Published) => {
            v.text.italic(t("feedback-comment-published")).newline();
        }
        Some(reviews::ReviewState::Rejected) => {}
        _ => {
            last.push(Button::action(
                t("feedback-leave"),
                Action::Shop(ShopAction::FeedbackComment(id)),
            ));
        }
    }
    last.push(Button::action(
        t("feedback-done"),
        Action::Shop(ShopAction::FeedbackDone(id)),
    ));
    if ctx.keys().narrow() {
        v.row(last);
    } else {
        for b in last {
            v.row(vec![b]);
        }
    }
    Ok(v)
}

async fn published(ctx: &mut Ctx<'_>, page: u32) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let (sum, count) = reviews::shop_score(ctx.tx).await?;
    let offset = i64::from(page) * i64::from(REVIEWS_PER_PAGE);
    let (items, total) = reviews::published(ctx.tx, offset, i64::from(REVIEWS_PER_PAGE)).await?;
    let nav = Page::new(page, total, REVIEWS_PER_PAGE);
    let mut v = View::default();
    v.text.bold(t("reviews-title")).newline();
    v.text.line(average(ctx, sum, count));
    if items.is_empty() {
        v.text.italic(t("reviews-empty")).newline();
    }
    for r in items {
        v.text.newline();
        let who = r.first_name.unwrap_or_else(|| t("reviews-anonymous"));
        let stars = r
            .rating
            .map(|s| "⭐".repeat(usize::from(s)))
            .unwrap_or_default();
        v.text.bold(who).plain(format!(" {stars}")).newline();
        v.text.italic(format!("«{}»", r.comment)).newline();
    }
    v.row(nav.nav(ctx.lang, |a0| Action::Shop(ShopAction::ShopReviews(a0))));
    v.button(t("btn-back"), Action::Shop(ShopAction::ShopHome));
    Ok(v)
}
