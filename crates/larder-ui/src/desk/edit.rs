//! Creating an order (the draft) and editing a saved one share these
//! screens: the summary with running prices, field prompts, the product
//! picker and quantity prompt, a line's menu, and the session picker.

use crate::action::DeskAction;
use larder_core::{
    Address, ClientName, Fee, Money, Note, OrderStatus, Percent, Phone, ProductId, Quantity,
    SessionId, parse_fee, parse_quantity, parse_time,
};
use larder_store::orders::{self, NewLine, NewOrder, OrderChange};
use larder_store::{StoreError, products, sessions};

use super::common::{ask_sure, back, doubtful, label, menu, price_per, quantity, warn};
use super::state::{CalPurpose, DeskState, Screen};
use super::target::{Applied, EditOp, apply, home};
use super::texts::{OrderLook, lines_nav, lines_page, staff_view};
use crate::action::{Action, LineKey, OrderField, Target};
use crate::paging::Page;
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
) -> Result<Reply, UiError> {
    let mut toast = None;
    match action {
        Action::Desk(DeskAction::NewOrder(session)) => {
            let resumed = state.order.is_some();
            let d = state.order.get_or_insert_default();
            if session.is_some() {
                d.session = session;
            }
            state.screen = Screen::Draft { lines: 0 };
            if resumed {
                toast = Some(ctx.lang.t("draft-resumed"));
            }
        }
        Action::Desk(DeskAction::OrderEdit(id)) => {
            state.screen = Screen::OrderEdit { id, lines: 0 }
        }
        Action::Desk(DeskAction::OrderField(target, OrderField::Date)) => {
            let current = match target {
                Target::Draft => state.order.as_ref().and_then(|d| d.date),
                Target::Order(id) => orders::get(ctx.tx, id).await?.issue_date,
            };
            state.screen = super::calendar::open(ctx, CalPurpose::OrderDate(target), current);
        }
        Action::Desk(DeskAction::OrderField(target, field)) => {
            state.screen = Screen::Prompt { target, field }
        }
        Action::Desk(DeskAction::SetDelivery(target, delivery)) => {
            let applied = apply(
                ctx,
                state,
                target,
                EditOp::Field(OrderChange::Delivery(delivery)),
            )
            .await?;
            toast = outcome(ctx, applied);
            state.screen = home(target);
        }
        Action::Desk(DeskAction::FeeAuto(target)) => {
            let applied = apply(
                ctx,
                state,
                target,
                EditOp::Field(OrderChange::Fee(Fee::Auto)),
            )
            .await?;
            toast = outcome(ctx, applied);
            state.screen = home(target);
        }
        Action::Desk(DeskAction::AddLine(target)) => {
            state.screen = Screen::Picker { target, page: 0 }
        }
        Action::Desk(DeskAction::Picker(page)) => match state.screen.clone() {
            Screen::Picker { target, .. } => state.screen = Screen::Picker { target, page },
            _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
        },
        Action::Desk(DeskAction::Pick(product)) => match state.screen.clone() {
            Screen::Picker { target, .. } => {
                state.screen = Screen::Quantity {
                    target,
                    product,
                    line: None,
                }
            }
            _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
        },
        Action::Desk(DeskAction::Line(target, line)) => {
            state.screen = Screen::LineMenu { target, line }
        }
        Action::Desk(DeskAction::LineQty(target, line)) => {
            let Some(product) = line_product(ctx, state, target, line).await? else {
                return Ok(Reply::keep().with_toast(ctx.lang.t("not-found")));
            };
            state.screen = Screen::Quantity {
                target,
                product,
                line: Some(line),
            };
        }
        Action::Desk(DeskAction::LineWeight(Target::Order(id), line)) => {
            state.screen = Screen::Weight {
                id,
                line: larder_core::OrderLineId::new(line),
            };
        }
        Action::Desk(DeskAction::LinePack(target, line, packing)) => {
            if packing
                .as_deref()
                .is_some_and(|p| ctx.config.pricing.packing(p).is_none())
            {
                return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
            }
            let applied = apply(ctx, state, target, EditOp::Pack(Some(line), packing)).await?;
            toast = outcome(ctx, applied);
            state.screen = Screen::LineMenu { target, line };
        }
        Action::Desk(DeskAction::PackAll(target, packing)) => {
            if packing
                .as_deref()
                .is_some_and(|p| ctx.config.pricing.packing(p).is_none())
            {
                return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
            }
            let applied = apply(ctx, state, target, EditOp::Pack(None, packing)).await?;
            toast = outcome(ctx, applied);
            state.screen = home(target);
        }
        Action::Desk(DeskAction::LineRemove(Target::Order(id), line))
            if orders::get(ctx.tx, id).await?.lines.len() == 1 =>
        {
            // A saved order is not emptied without a question.
            state.screen = Screen::LineRemoveLast {
                target: Target::Order(id),
                line,
            };
        }
        Action::Desk(
            DeskAction::LineRemove(target, line) | DeskAction::LineRemoveSure(target, line),
        ) => {
            let back = home_near(ctx, state, target, line).await?;
            let applied = apply(ctx, state, target, EditOp::RemoveLine(line)).await?;
            toast = outcome(ctx, applied);
            state.screen = back;
        }
        Action::Desk(DeskAction::ChooseSession(target)) => {
            state.screen = Screen::SessionPicker { target, page: 0 }
        }
        Action::Desk(DeskAction::SessionsPage(page)) => match state.screen.clone() {
            Screen::SessionPicker { target, .. } => {
                state.screen = Screen::SessionPicker { target, page }
            }
            _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
        },
        Action::Desk(DeskAction::PickSession(session)) => match state.screen.clone() {
            Screen::SessionPicker { target, .. } => {
                let applied = apply(ctx, state, target, EditOp::Session(session)).await?;
                toast = outcome(ctx, applied);
                state.screen = home(target);
            }
            _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
        },
        Action::Desk(DeskAction::OrderSave) if matches!(state.screen, Screen::Draft { .. }) => {
            return save(ctx, state).await;
        }
        Action::Cancel => {
            // Back to the page of lines the line is on.
            let near = match state.screen.clone() {
                Screen::LineMenu { target, line }
                | Screen::Quantity {
                    target,
                    line: Some(line),
                    ..
                } => Some(home_near(ctx, state, target, line).await?),
                Screen::Weight { id, line } => {
                    Some(home_near(ctx, state, Target::Order(id), line.get()).await?)
                }
                _ => None,
            };
            state.screen = match state.screen.clone() {
                Screen::Draft { .. } => {
                    state.order = None;
                    toast = Some(ctx.lang.t("draft-discarded"));
                    Screen::Menu
                }
                Screen::Prompt { target, .. }
                | Screen::Picker { target, .. }
                | Screen::SessionPicker { target, .. } => home(target),
                Screen::Quantity { target, line, .. } => match line {
                    Some(line) => Screen::LineMenu { target, line },
                    None => home(target),
                },
                Screen::LineMenu { target, .. } => near.unwrap_or(home(target)),
                Screen::LineRemoveLast { target, line } => Screen::LineMenu { target, line },
                Screen::Weight { id, .. } => near.unwrap_or(Screen::OrderEdit { id, lines: 0 }),
                _ => Screen::Menu,
            };
        }
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    let reply = Reply::show(super::render(ctx, state, None).await?);
    Ok(match toast {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

fn outcome(ctx: &Ctx<'_>, applied: Applied) -> Option<String> {
    match applied {
        Applied::Done => Some(ctx.lang.t("saved")),
        Applied::DoneWith(note) | Applied::Refused(note) => Some(note),
        Applied::WeighNow(..) => Some(ctx.lang.t("line-weigh-now")),
    }
}

async fn line_product(
    ctx: &mut Ctx<'_>,
    state: &DeskState,
    target: Target,
    line: LineKey,
) -> Result<Option<ProductId>, UiError> {
    Ok(match target {
        Target::Draft => state
            .order
            .as_ref()
            .and_then(|d| d.lines.get(usize::try_from(line).ok()?))
            .map(|l| l.product_id),
        Target::Order(id) => orders::get(ctx.tx, id)
            .await?
            .lines
            .iter()
            .find(|l| l.id.get() == line)
            .and_then(|l| l.product_id),
    })
}

/// Typed text on one of these screens.
pub async fn typed(ctx: &mut Ctx<'_>, state: &mut DeskState, text: &str) -> Result<Reply, UiError> {
    typed_as(ctx, state, text, false).await
}

/// Typed text; `sure`: a doubtful weight was confirmed, so it is kept.
pub async fn typed_as(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    text: &str,
    sure: bool,
) -> Result<Reply, UiError> {
    let (target, op) = match state.screen.clone() {
        Screen::Prompt { target, field } => match field_change(ctx, field, text) {
            Ok(change) => (target, EditOp::Field(change)),
            Err(notice) => return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?)),
        },
        Screen::Quantity {
            target,
            product,
            line,
        } => {
            let p = products::get(ctx.tx, product).await?;
            match parse_quantity(text, p.unit, &ctx.config.limits, false) {
                Ok(q) if !sure && doubtful(q) => {
                    let view = super::render(ctx, state, None).await?;
                    return Ok(Reply::show(ask_sure(ctx, view, q)));
                }
                Ok(q) => match line {
                    Some(line) => (target, EditOp::SetOrdered(line, q)),
                    None => (
                        target,
                        EditOp::AddLine {
                            product,
                            ordered: q,
                        },
                    ),
                },
                Err(e) => {
                    let notice = warn(ctx, e.message_id(), &e.args());
                    return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?));
                }
            }
        }
        Screen::Weight { id, line } => {
            let o = orders::get(ctx.tx, id).await?;
            let Some(l) = o.lines.iter().find(|l| l.id == line) else {
                state.screen = Screen::OrderEdit { id, lines: 0 };
                return Ok(Reply::show(
                    super::render(ctx, state, Some(ctx.lang.t("not-found"))).await?,
                ));
            };
            match parse_quantity(text, l.unit, &ctx.config.limits, true) {
                Ok(q) if !sure && doubtful(q) => {
                    let view = super::render(ctx, state, None).await?;
                    return Ok(Reply::show(ask_sure(ctx, view, q)));
                }
                Ok(q) => (Target::Order(id), EditOp::SetWeighed(line.get(), Some(q))),
                Err(e) => {
                    let notice = warn(ctx, e.message_id(), &e.args());
                    return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?));
                }
            }
        }
        _ => {
            return Ok(Reply::show(
                super::render(ctx, state, Some(ctx.lang.t("type-buttons"))).await?,
            ));
        }
    };
    let back = match state.screen.clone() {
        Screen::Quantity {
            line: Some(line), ..
        } => home_near(ctx, state, target, line).await?,
        Screen::Weight { line, .. } => home_near(ctx, state, target, line.get()).await?,
        _ => home(target),
    };
    let applied = apply(ctx, state, target, op).await?;
    if let Applied::WeighNow(id, line) = applied {
        state.screen = Screen::Weight { id, line };
        let notice = ctx.lang.t("line-weigh-now");
        return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?));
    }
    state.screen = back;
    let toast = outcome(ctx, applied);
    let reply = Reply::show(super::render(ctx, state, None).await?);
    Ok(match toast {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

/// Parses a typed field value; the error is a ready notice.
fn field_change(ctx: &Ctx<'_>, field: OrderField, text: &str) -> Result<OrderChange, String> {
    let err = |id: &str, args: Vec<(&'static str, String)>| warn(ctx, id, &args);
    Ok(match field {
        OrderField::ClientName => OrderChange::ClientName(
            ClientName::parse(text)
                .map_err(|e| err(e.message_id(), e.args()))?
                .as_str()
                .to_owned(),
        ),
        OrderField::Phone => OrderChange::Phone(Some(
            Phone::parse(text, &ctx.config.country_code)
                .map_err(|e| err(e.message_id(), e.args()))?
                .as_str()
                .to_owned(),
        )),
        OrderField::Address => OrderChange::Address(Some(
            Address::parse(text)
                .map_err(|e| err(e.message_id(), e.args()))?
                .as_str()
                .to_owned(),
        )),
        OrderField::Time => OrderChange::IssueTime(Some(
            parse_time(text).map_err(|e| err(e.message_id(), e.args()))?,
        )),
        OrderField::Discount => {
            OrderChange::Discount(Percent::parse(text).map_err(|e| err(e.message_id(), e.args()))?)
        }
        OrderField::Note => OrderChange::Note(Some(
            Note::parse(text)
                .map_err(|e| err(e.message_id(), e.args()))?
                .as_str()
                .to_owned(),
        )),
        OrderField::Fee => {
            let fee = parse_fee(text, &ctx.config.currency, &ctx.config.limits)
                .map_err(|e| err(e.message_id(), e.args()))?;
            OrderChange::Fee(Fee::Manual(fee))
        }
        OrderField::Date => return Err(ctx.lang.t("type-buttons")),
    })
}

async fn save(ctx: &mut Ctx<'_>, state: &mut DeskState) -> Result<Reply, UiError> {
    let d = state.order.clone().unwrap_or_default();
    let Some(client_name) = d.client_name.clone() else {
        let notice = warn(ctx, "draft-needs-name", &[]);
        return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?));
    };
    let session = match d.session {
        Some(s) => s,
        None => sessions::inbox(ctx.tx).await?.id,
    };
    let lines = d
        .lines
        .iter()
        .map(|l| NewLine {
            product_id: Some(l.product_id),
            name: l.name.clone(),
            unit: l.unit,
            price: Money::from_minor(l.price_minor),
            ordered: Quantity::new(l.unit, l.ordered).unwrap_or(Quantity::zero(l.unit)),
            packing: l.packing.clone(),
            packing_rate: l
                .packing
                .as_deref()
                .and_then(|c| ctx.config.pricing.packing(c))
                .map(|p| p.rate_for(l.unit)),
        })
        .collect();
    let new = NewOrder {
        session_id: session,
        client_name,
        phone: d.phone.clone(),
        delivery: d.delivery,
        address: d.address.clone(),
        issue_date: d.date,
        issue_time: d.time,
        discount: Percent::from_basis_points(d.discount_bp).unwrap_or(Percent::ZERO),
        fee: d
            .fee_manual_minor
            .map_or(Fee::Auto, |m| Fee::Manual(Money::from_minor(m))),
        note: d.note.clone(),
        customer: None,
        lines,
    };
    let (id, number) = match orders::create(ctx.tx, &new, Some(ctx.user.me()?), ctx.now).await {
        Ok(created) => created,
        Err(StoreError::NotFound) => {
            // The chosen session was deleted meanwhile: back to the Inbox.
            state.order.get_or_insert_default().session = None;
            let notice = warn(ctx, "not-found", &[]);
            return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?));
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(order.id = id.get(), order.number = number, "order created");
    state.order = None;
    state.screen = Screen::Order { id, lines: 0 };
    let toast = ctx
        .lang
        .t_args("order-saved", &[("number", number.to_string())]);
    Ok(Reply::show(super::render(ctx, state, None).await?).with_toast(toast))
}

/// The edit screen of `target` at the page of lines holding `line`.
async fn home_near(
    ctx: &mut Ctx<'_>,
    state: &DeskState,
    target: Target,
    line: LineKey,
) -> Result<Screen, UiError> {
    let index = match target {
        Target::Draft => usize::try_from(line)
            .ok()
            .filter(|i| state.order.as_ref().is_some_and(|d| *i < d.lines.len())),
        Target::Order(id) => match orders::get(ctx.tx, id).await {
            Ok(o) => o.lines.iter().position(|l| l.id.get() == line),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
    };
    let lines = index.map_or(0, |i| {
        u32::try_from(i).unwrap_or(u32::MAX) / super::texts::LINES_PER_PAGE
    });
    Ok(match target {
        Target::Draft => Screen::Draft { lines },
        Target::Order(id) => Screen::OrderEdit { id, lines },
    })
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    let view = match state.screen.clone() {
        Screen::Draft { .. } => draft_view(ctx, state).await?,
        Screen::OrderEdit { id, lines } => match orders::get(ctx.tx, id).await {
            Ok(o) => {
                // The roles the desk read for this input.
                let owner = ctx.roles.contains(&larder_core::Role::Owner);
                order_edit_view(ctx, &o, owner, lines)
            }
            Err(StoreError::NotFound) => {
                state.screen = Screen::Menu;
                return Box::pin(super::render(ctx, state, Some(ctx.lang.t("not-found")))).await;
            }
            Err(e) => return Err(e.into()),
        },
        Screen::Prompt { field, .. } => prompt_view(ctx, field),
        Screen::Picker { page, .. } => picker(ctx, page).await?,
        Screen::Quantity { product, .. } => {
            let p = products::get(ctx.tx, product).await?;
            let mut v = View::default();
            v.text
                .bold(&p.name)
                .plain(format!(" — {}", price_per(ctx, p.price, p.unit)))
                .newline();
            v.text.plain(ctx.lang.t(if p.unit == larder_core::Unit::Kg {
                "prompt-quantity-kg"
            } else {
                "prompt-quantity-piece"
            }));
            v.button(ctx.lang.t("btn-cancel"), Action::Cancel);
            v
        }
        Screen::LineMenu { target, line } => line_menu(ctx, state, target, line).await?,
        Screen::LineRemoveLast { target, line } => {
            let mut v = View::default();
            v.text.bold(ctx.lang.t("line-remove-last-ask")).newline();
            v.text.plain(ctx.lang.t("line-remove-last-hint"));
            v.row(vec![
                Button::action(
                    ctx.lang.t("btn-line-remove-sure"),
                    Action::Desk(DeskAction::LineRemoveSure(target, line)),
                ),
                Button::action(
                    ctx.lang.t("btn-back"),
                    Action::Desk(DeskAction::Line(target, line)),
                ),
            ]);
            v
        }
        Screen::Weight { id, line } => {
            let o = orders::get(ctx.tx, id).await?;
            let mut v = View::default();
            let mut prompt = "prompt-weight";
            if let Some(l) = o.lines.iter().find(|l| l.id == line) {
                v.text
                    .bold(&l.name)
                    .plain(format!(" — {}", quantity(ctx, l.ordered)))
                    .newline();
                if l.unit == larder_core::Unit::Piece {
                    prompt = "prompt-count";
                }
            }
            v.text.plain(ctx.lang.t(prompt));
            v.button(ctx.lang.t("btn-cancel"), Action::Cancel);
            v
        }
        Screen::SessionPicker { page, .. } => session_picker(ctx, page).await?,
        _ => super::menu::view(ctx),
    };
    Ok(view.with_notice(notice.as_deref()))
}

/// Buttons to change an order's fields: the same for a draft and a saved order.
fn field_buttons(ctx: &Ctx<'_>, v: &mut View, target: Target, look: &OrderLook<'_>) {
    let t = |id: &str| ctx.lang.t(id);
    let f = |label: &str, field| {
        Button::action(
            t(label),
            Action::Desk(DeskAction::OrderField(target, field)),
        )
    };
    v.row(vec![
        f("btn-client-name", OrderField::ClientName),
        f("btn-phone", OrderField::Phone),
    ]);
    let toggle = if look.delivery {
        Button::action(
            t("btn-delivery-on"),
            Action::Desk(DeskAction::SetDelivery(target, false)),
        )
    } else {
        Button::action(
            t("btn-pickup-on"),
            Action::Desk(DeskAction::SetDelivery(target, true)),
        )
    };
    let mut row = vec![toggle];
    if look.delivery {
        row.push(f("btn-address", OrderField::Address));
    }
    v.row(row);
    if look.delivery {
        let fee = match look.fee {
            Fee::Auto => Button::action(
                t("btn-fee-auto"),
                Action::Desk(DeskAction::OrderField(target, OrderField::Fee)),
            ),
            Fee::Manual(_) => Button::action(
                t("btn-fee-manual"),
                Action::Desk(DeskAction::FeeAuto(target)),
            ),
        };
        v.row(vec![fee]);
    }
    v.row(vec![
        f("btn-date", OrderField::Date),
        f("btn-time", OrderField::Time),
    ]);
    v.row(vec![
        f("btn-discount", OrderField::Discount),
        f("btn-note", OrderField::Note),
    ]);
    if !ctx.config.pricing.packing.is_empty() && !look.lines.is_empty() {
        let mut row: Vec<Button> = ctx
            .config
            .pricing
            .packing
            .iter()
            .map(|p| {
                Button::action(
                    format!("📦 {}", p.name()),
                    Action::Desk(DeskAction::PackAll(target, Some(p.code().to_owned()))),
                )
            })
            .collect();
        row.push(Button::action(
            t("btn-no-packing"),
            Action::Desk(DeskAction::PackAll(target, None)),
        ));
        v.row(row);
    }
}

fn line_buttons(
    ctx: &Ctx<'_>,
    v: &mut View,
    target: Target,
    keys: &[LineKey],
    look: &OrderLook<'_>,
    page: crate::paging::Page,
) {
    let first = usize::try_from(page.offset()).unwrap_or(0);
    for (i, (l, key)) in look
        .lines
        .iter()
        .zip(keys)
        .enumerate()
        .skip(first)
        .take(super::texts::LINES_PER_PAGE as usize)
    {
        let q = l.weighed.unwrap_or(l.ordered);
        v.button(
            label(&format!("{}. {} · {}", i + 1, l.name, quantity(ctx, q))),
            Action::Desk(DeskAction::Line(target, *key)),
        );
    }
    v.row(lines_nav(ctx, page));
    v.button(
        ctx.lang.t("btn-add-product"),
        Action::Desk(DeskAction::AddLine(target)),
    );
}

async fn draft_view(ctx: &mut Ctx<'_>, state: &mut DeskState) -> Result<View, UiError> {
    let d = state.order.get_or_insert_default().clone();
    let session = match d.session {
        Some(s) => sessions::get(ctx.tx, s).await.ok(),
        None => None,
    };
    let session_name = session.as_ref().map_or_else(
        || ctx.lang.t("session-inbox"),
        |s| super::sessions::name(ctx, s),
    );
    let look = OrderLook::of_draft(&d);
    let mut v = View::default();
    v.text
        .bold(ctx.lang.t("draft-title"))
        .plain(format!(" · {session_name}"))
        .newline();
    let lines = match state.screen {
        Screen::Draft { lines } => lines,
        _ => 0,
    };
    let page = lines_page(lines, d.lines.len());
    staff_view(ctx, &look, page, &mut v.text);
    let keys: Vec<LineKey> = (0..d.lines.len())
        .map(|i| i64::try_from(i).unwrap_or(0))
        .collect();
    line_buttons(ctx, &mut v, Target::Draft, &keys, &look, page);
    field_buttons(ctx, &mut v, Target::Draft, &look);
    v.button(
        format!("📂 {}", label(&session_name)),
        Action::Desk(DeskAction::ChooseSession(Target::Draft)),
    );
    v.row(vec![
        Button::action(
            ctx.lang.t("btn-save-order"),
            Action::Desk(DeskAction::OrderSave),
        ),
        Button::action(ctx.lang.t("btn-discard"), Action::Cancel),
    ]);
    Ok(v)
}

/// `owner`: an owner also sees "erase the customer's data".
fn order_edit_view(ctx: &Ctx<'_>, o: &orders::Order, owner: bool, lines: u32) -> View {
    let look = OrderLook::of_order(o);
    let target = Target::Order(o.id);
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("order-edit-title", &[("number", o.number.to_string())]),
        )
        .newline();
    let page = lines_page(lines, o.lines.len());
    staff_view(ctx, &look, page, &mut v.text);
    let keys: Vec<LineKey> = o.lines.iter().map(|l| l.id.get()).collect();
    line_buttons(ctx, &mut v, target, &keys, &look, page);
    field_buttons(ctx, &mut v, target, &look);
    v.row(vec![
        Button::action(
            ctx.lang.t("btn-move-session"),
            Action::Desk(DeskAction::ChooseSession(target)),
        ),
        Button::action(
            ctx.lang.t("btn-delete-order"),
            Action::Desk(DeskAction::OrderDelete(o.id)),
        ),
    ]);
    if owner {
        v.button(
            ctx.lang.t("btn-erase-customer"),
            Action::Desk(DeskAction::EraseCustomer(o.id)),
        );
    }
    v.row(vec![
        back(ctx, Action::Desk(DeskAction::Order(o.id))),
        menu(ctx),
    ]);
    if o.status != OrderStatus::Processing {
        v.text
            .newline()
            .italic(ctx.lang.t("order-edit-after-processing"));
    }
    v
}

fn prompt_view(ctx: &Ctx<'_>, field: OrderField) -> View {
    let id = match field {
        OrderField::ClientName => "prompt-client-name",
        OrderField::Phone => "prompt-phone",
        OrderField::Address => "prompt-address",
        OrderField::Date => "calendar-order-date",
        OrderField::Time => "prompt-time",
        OrderField::Discount => "prompt-discount",
        OrderField::Note => "prompt-note",
        OrderField::Fee => "prompt-fee",
    };
    let mut v = View::default();
    v.text.plain(ctx.lang.t(id));
    v.button(ctx.lang.t("btn-cancel"), Action::Cancel);
    v
}

async fn picker(ctx: &mut Ctx<'_>, page: u32) -> Result<View, UiError> {
    let total = products::count(ctx.tx, false).await?;
    let page = Page::new(page, total, ctx.config.page_size);
    let items = products::page(ctx.tx, false, page.offset(), page.limit()).await?;
    let mut v = View::default();
    v.text.bold(ctx.lang.t("picker-title")).newline();
    if items.is_empty() {
        v.text.italic(ctx.lang.t("products-empty"));
    }
    for p in &items {
        v.button(
            label(&format!("{} · {}", p.name, price_per(ctx, p.price, p.unit))),
            Action::Desk(DeskAction::Pick(p.id)),
        );
    }
    v.row(page.nav(ctx.lang, |a0| Action::Desk(DeskAction::Picker(a0))));
    v.button(ctx.lang.t("btn-cancel"), Action::Cancel);
    Ok(v)
}

async fn line_menu(
    ctx: &mut Ctx<'_>,
    state: &DeskState,
    target: Target,
    line: LineKey,
) -> Result<View, UiError> {
    let t = |id: &str| ctx.lang.t(id);
    let (name, ordered, weighed, packing) = match target {
        Target::Draft => {
            let Some(l) = state
                .order
                .as_ref()
                .and_then(|d| d.lines.get(usize::try_from(line).ok()?))
            else {
                return Ok(super::menu::view(ctx));
            };
            (
                l.name.clone(),
                Quantity::new(l.unit, l.ordered).ok(),
                None,
                l.packing.clone(),
            )
        }
        Target::Order(id) => {
            let o = orders::get(ctx.tx, id).await?;
            let Some(l) = o.lines.iter().find(|l| l.id.get() == line) else {
                return Ok(order_edit_view(ctx, &o, false, 0));
            };
            (
                l.name.clone(),
                Some(l.ordered),
                l.weighed,
                l.packing.clone(),
            )
        }
    };
    let mut v = View::default();
    v.text.bold(&name).newline();
    if let Some(q) = ordered {
        v.text.line(
            ctx.lang
                .t_args("line-ordered", &[("quantity", quantity(ctx, q))]),
        );
    }
    if let Target::Order(_) = target {
        let w = match weighed {
            Some(w) if w.is_zero() => t("line-not-available"),
            Some(w) => quantity(ctx, w),
            None => t("line-not-weighed"),
        };
        v.text
            .line(ctx.lang.t_args("line-weighed", &[("quantity", w)]));
    }
    let mut row = vec![Button::action(
        t("btn-line-quantity"),
        Action::Desk(DeskAction::LineQty(target, line)),
    )];
    if let Target::Order(_) = target {
        row.push(Button::action(
            t("btn-line-weight"),
            Action::Desk(DeskAction::LineWeight(target, line)),
        ));
    }
    v.row(row);
    if !ctx.config.pricing.packing.is_empty() {
        let mut row: Vec<Button> = ctx
            .config
            .pricing
            .packing
            .iter()
            .map(|p| {
                let mark = if packing.as_deref() == Some(p.code()) {
                    "✓ "
                } else {
                    ""
                };
                Button::action(
                    format!("{mark}📦 {}", p.name()),
                    Action::Desk(DeskAction::LinePack(
                        target,
                        line,
                        Some(p.code().to_owned()),
                    )),
                )
            })
            .collect();
        let mark = if packing.is_none() { "✓ " } else { "" };
        row.push(Button::action(
            format!("{mark}{}", t("btn-no-packing")),
            Action::Desk(DeskAction::LinePack(target, line, None)),
        ));
        v.row(row);
    }
    v.row(vec![
        Button::action(
            t("btn-line-remove"),
            Action::Desk(DeskAction::LineRemove(target, line)),
        ),
        Button::action(t("btn-back"), Action::Cancel),
    ]);
    Ok(v)
}

async fn session_picker(ctx: &mut Ctx<'_>, page: u32) -> Result<View, UiError> {
    let total = sessions::count(ctx.tx, false).await?;
    let page = Page::new(page, total, ctx.config.page_size);
    let items = sessions::page(ctx.tx, false, page.offset(), page.limit()).await?;
    let mut v = View::default();
    v.text.bold(ctx.lang.t("session-picker-title"));
    for s in &items {
        let name: SessionId = s.session.id;
        v.button(
            label(&super::sessions::name(ctx, &s.session)),
            Action::Desk(DeskAction::PickSession(name)),
        );
    }
    v.row(page.nav(ctx.lang, |a0| Action::Desk(DeskAction::SessionsPage(a0))));
    v.button(ctx.lang.t("btn-cancel"), Action::Cancel);
    Ok(v)
}
