//! Orders after saving: lists by status (oldest issue date first, with a
//! toggle), the order card, completion, issue and the reverse moves, the
//! customer text, history and deletion.

use crate::action::DeskAction;
use larder_core::{Fee, OrderId, OrderStatus, StatusEvent, delivery_fee, format_date};
use larder_store::orders::{self, HistoryField, Order, Sort};
use larder_store::{StoreError, erasure, sessions, staff};

use super::common::{back, date, label, menu, money, quantity, today, warn};
use super::state::{CalPurpose, DeskState, Screen};
use super::texts::{OrderLook, customer_texts, lines_nav, lines_page, staff_view};
use crate::action::Action;
use crate::paging::Page;
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

fn status_id(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Processing => "status-processing",
        OrderStatus::Completed => "status-completed",
        OrderStatus::Issued => "status-issued",
        OrderStatus::Cancelled => "status-cancelled",
    }
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
) -> Result<Reply, UiError> {
    let mut toast = None;
    match action {
        Action::Desk(DeskAction::Orders {
            status,
            session,
            newest_first,
            page,
        }) => {
            state.screen = Screen::Orders {
                status,
                session,
                newest_first,
                page,
            };
        }
        Action::Desk(DeskAction::Order(id)) => state.screen = Screen::Order { id, lines: 0 },
        Action::Desk(DeskAction::Complete(id, version)) => {
            return lifecycle(ctx, state, id, version, StatusEvent::Complete).await;
        }
        Action::Desk(DeskAction::Reopen(id, version)) => {
            return lifecycle(ctx, state, id, version, StatusEvent::Reopen).await;
        }
        Action::Desk(DeskAction::Unissue(id, version)) => {
            return lifecycle(ctx, state, id, version, StatusEvent::Unissue).await;
        }
        Action::Desk(DeskAction::IssueToday(id, version)) => {
            return lifecycle(ctx, state, id, version, StatusEvent::Issue).await;
        }
        Action::Desk(DeskAction::OrderCancel(id, version)) => {
            return lifecycle(ctx, state, id, version, StatusEvent::Cancel).await;
        }
        Action::Desk(DeskAction::OrderRestore(id, version)) => {
            return lifecycle(ctx, state, id, version, StatusEvent::Restore).await;
        }
        Action::Desk(DeskAction::IssueMenu(id)) => state.screen = Screen::IssueChoice { id },
        Action::Desk(DeskAction::IssuePickDate(id)) => {
            state.screen = super::calendar::open(ctx, CalPurpose::IssueOn(id), None);
        }
        Action::Desk(DeskAction::CustomerText(id)) => {
            state.screen = Screen::CustomerText { id };
            let o = orders::get(ctx.tx, id).await?;
            let parts = customer_texts(ctx, &OrderLook::of_order(&o));
            if parts.len() > 1 {
                // Too long for the desk: the parts go below, to forward.
                let mut reply = Reply::show(super::render(ctx, state, None).await?);
                reply.say = parts
                    .into_iter()
                    .map(|text| View {
                        text,
                        ..View::default()
                    })
                    .collect();
                return Ok(reply);
            }
        }
        Action::Desk(DeskAction::SendToCustomer(id)) => {
            let o = orders::get(ctx.tx, id).await?;
            let Some(customer) = o.customer else {
                return Ok(Reply::keep().with_alert(ctx.lang.t("customer-unknown")));
            };
            let mut reply = Reply::keep().with_toast(ctx.lang.t("customer-text-sent"));
            for text in customer_texts(ctx, &OrderLook::of_order(&o)) {
                reply.notes.push(crate::Note {
                    channel: larder_store::Channel::Telegram,
                    chat_id: customer.get(),
                    view: View {
                        text,
                        ..View::default()
                    },
                });
            }
            return Ok(reply);
        }
        Action::Desk(DeskAction::OrderDelete(id)) => state.screen = Screen::OrderDelete { id },
        Action::Desk(DeskAction::History(id, page)) => state.screen = Screen::History { id, page },
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    let reply = Reply::show(super::render(ctx, state, None).await?);
    Ok(match toast.take() {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

/// The automatic delivery fee, fixed when the order is completed (from the
/// weighed goods); `None` for pickup or a manual fee.
pub(crate) fn fixed_fee(ctx: &Ctx<'_>, o: &Order) -> Option<larder_core::Money> {
    if o.delivery && o.fee == Fee::Auto {
        OrderLook::of_order(o)
            .price(ctx)
            .map(|p| delivery_fee(&ctx.config.pricing, p.subtotal))
    } else {
        None
    }
}

/// A status move pressed on a card showing `version`: applied once, or
/// refused with a toast when the order changed meanwhile (someone else was first).
async fn lifecycle(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    id: OrderId,
    version: i64,
    event: StatusEvent,
) -> Result<Reply, UiError> {
    state.screen = Screen::Order { id, lines: 0 };
    let o = match orders::get(ctx.tx, id).await {
        Ok(o) => o,
        Err(StoreError::NotFound) => return Ok(Reply::keep().with_alert(ctx.lang.t("not-found"))),
        Err(e) => return Err(e.into()),
    };
    if o.version != version {
        let view = super::render(ctx, state, None).await?;
        return Ok(Reply::show(view).with_alert(ctx.lang.t("changed-elsewhere")));
    }
    let mut fee_fixed = None;
    let mut issued_on = None;
    match event {
        StatusEvent::Complete => fee_fixed = fixed_fee(ctx, &o),
        StatusEvent::Issue => issued_on = Some(today(ctx)),
        StatusEvent::Reopen | StatusEvent::Unissue | StatusEvent::Cancel | StatusEvent::Restore => {
        }
    }
    // The table (and whether every line is weighed) is checked as the move
    // is written.
    let to = match orders::set_status(
        ctx.tx,
        id,
        version,
        event,
        fee_fixed,
        issued_on,
        Some(ctx.user.me()?),
        ctx.now,
    )
    .await
    {
        Ok(to) => to,
        Err(StoreError::Transition(e)) => {
            return Ok(Reply::keep().with_alert(ctx.lang.t_args(e.message_id(), &e.args())));
        }
        Err(StoreError::Conflict) => {
            let view = super::render(ctx, state, None).await?;
            return Ok(Reply::show(view).with_alert(ctx.lang.t("changed-elsewhere")));
        }
        Err(e) => return Err(e.into()),
    };
    if to == OrderStatus::Cancelled {
        // Cancelled at the desk: by the shop, no reason given.
        larder_store::shop::set_cancel_reason(ctx.tx, id, None).await?;
    }
    if event == StatusEvent::Restore {
        // The courier who had it was told not to deliver it: it goes back
        // to the couriers.
        larder_store::shop::release(ctx.tx, id, ctx.user.me()?, ctx.now).await?;
    }
    tracing::info!(
        order.id = id.get(),
        to = to.as_str(),
        "order status changed"
    );
    let view = super::render(ctx, state, None).await?;
    Ok(Reply::show(view).with_toast(ctx.lang.t(status_id(to))))
}

pub async fn typed(ctx: &mut Ctx<'_>, state: &mut DeskState, text: &str) -> Result<Reply, UiError> {
    if let Screen::OrderDelete { id } = state.screen.clone() {
        if text.trim().to_lowercase() == ctx.lang.t("confirm-word").to_lowercase() {
            let o = orders::get(ctx.tx, id).await?;
            match orders::delete(ctx.tx, id, o.version).await {
                Ok(()) => {}
                Err(StoreError::Conflict) => {
                    let view =
                        super::render(ctx, state, Some(ctx.lang.t("changed-elsewhere"))).await?;
                    return Ok(Reply::show(view));
                }
                Err(e) => return Err(e.into()),
            }
            tracing::info!(order.id = id.get(), "order deleted");
            state.screen = Screen::Orders {
                status: o.status,
                session: None,
                newest_first: false,
                page: 0,
            };
            let toast = ctx
                .lang
                .t_args("order-deleted", &[("number", o.number.to_string())]);
            return Ok(Reply::show(super::render(ctx, state, None).await?).with_toast(toast));
        }
        let notice = warn(
            ctx,
            "confirm-word-wrong",
            &[("word", ctx.lang.t("confirm-word"))],
        );
        return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?));
    }
    Ok(Reply::show(
        super::render(ctx, state, Some(ctx.lang.t("type-buttons"))).await?,
    ))
}

/// An owner erases the personal data of an order's customer: asked first,
/// refused while any of their orders is still going.
pub async fn erase(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
    roles: &[larder_core::Role],
) -> Result<Reply, UiError> {
    if !roles.contains(&larder_core::Role::Owner) {
        return Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed")));
    }
    match action {
        Action::Desk(DeskAction::EraseCustomer(id)) => state.screen = Screen::EraseCustomer { id },
        Action::Desk(DeskAction::EraseCustomerConfirm(id))
            if state.screen == (Screen::EraseCustomer { id }) =>
        {
            let subject = erasure::of_order(ctx.tx, id).await?;
            if erasure::has_open_orders(ctx.tx, &subject).await? {
                let notice = warn(ctx, "erase-open-orders", &[]);
                return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?));
            }
            let erased =
                erasure::erase(ctx.tx, &subject, Some(ctx.user.me()?.get()), ctx.now).await?;
            tracing::info!(
                order.id = id.get(),
                orders = erased.orders,
                updates = erased.updates,
                calls = erased.calls,
                "customer data erased by an owner"
            );
            state.screen = Screen::Order { id, lines: 0 };
            let toast = ctx
                .lang
                .t_args("customer-erased", &[("orders", erased.orders.to_string())]);
            return Ok(Reply::show(super::render(ctx, state, None).await?).with_toast(toast));
        }
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    Ok(Reply::show(super::render(ctx, state, None).await?))
}

/// What erasing would remove, and the buttons to go on or not.
async fn erase_view(ctx: &mut Ctx<'_>, o: &Order) -> Result<View, UiError> {
    let subject = erasure::of_order(ctx.tx, o.id).await?;
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("order-title", &[("number", o.number.to_string())]),
        )
        .newline();
    let who = match o.phone.as_deref() {
        Some(p) => format!("{} · {p}", o.client_name),
        None => o.client_name.clone(),
    };
    v.text.plain(ctx.lang.t_args(
        "erase-customer-warning",
        &[("who", who), ("orders", subject.orders.len().to_string())],
    ));
    v.row(vec![
        Button::action(
            ctx.lang.t("btn-erase-confirm"),
            Action::Desk(DeskAction::EraseCustomerConfirm(o.id)),
        ),
        Button::action(
            ctx.lang.t("btn-cancel"),
            Action::Desk(DeskAction::OrderEdit(o.id)),
        ),
    ]);
    Ok(v)
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    let id = match &state.screen {
        Screen::Order { id, .. }
        | Screen::IssueChoice { id }
        | Screen::CustomerText { id }
        | Screen::OrderDelete { id }
        | Screen::EraseCustomer { id }
        | Screen::History { id, .. } => Some(*id),
        _ => None,
    };
    let order = match id {
        Some(id) => match orders::get(ctx.tx, id).await {
            Ok(o) => Some(o),
            Err(StoreError::NotFound) => {
                state.screen = Screen::Menu;
                return Ok(super::menu::view(ctx).with_notice(Some(&ctx.lang.t("not-found"))));
            }
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let view = match (state.screen.clone(), order) {
        (
            Screen::Orders {
                status,
                session,
                newest_first,
                page,
            },
            _,
        ) => list(ctx, status, session, newest_first, page).await?,
        (Screen::Order { lines, .. }, Some(o)) => card(ctx, &o, lines).await?,
        (Screen::IssueChoice { .. }, Some(o)) => {
            let mut v = View::default();
            v.text
                .bold(
                    ctx.lang
                        .t_args("order-title", &[("number", o.number.to_string())]),
                )
                .newline();
            v.text.plain(ctx.lang.t("issue-when"));
            v.row(vec![
                Button::action(
                    format!("{} ({})", ctx.lang.t("btn-issue-today"), date(today(ctx))),
                    Action::Desk(DeskAction::IssueToday(o.id, o.version)),
                ),
                Button::action(
                    ctx.lang.t("btn-issue-pick-date"),
                    Action::Desk(DeskAction::IssuePickDate(o.id)),
                ),
            ]);
            v.button(
                ctx.lang.t("btn-cancel"),
                Action::Desk(DeskAction::Order(o.id)),
            );
            v
        }
        (Screen::CustomerText { .. }, Some(o)) => {
            let mut parts = customer_texts(ctx, &OrderLook::of_order(&o));
            let mut v = View::default();
            if parts.len() == 1 {
                v.text = parts.remove(0);
            } else {
                v.text.plain(
                    ctx.lang
                        .t_args("customer-text-parts", &[("parts", parts.len().to_string())]),
                );
            }
            if o.customer.is_some() {
                v.button(
                    ctx.lang.t("btn-send-to-customer"),
                    Action::Desk(DeskAction::SendToCustomer(o.id)),
                );
            }
            v.button(
                ctx.lang.t("btn-back"),
                Action::Desk(DeskAction::Order(o.id)),
            );
            v
        }
        (Screen::OrderDelete { .. }, Some(o)) => {
            let mut v = View::default();
            v.text
                .bold(
                    ctx.lang
                        .t_args("order-title", &[("number", o.number.to_string())]),
                )
                .newline();
            v.text.plain(ctx.lang.t_args(
                "order-delete-warning",
                &[("word", ctx.lang.t("confirm-word"))],
            ));
            v.button(
                ctx.lang.t("btn-cancel"),
                Action::Desk(DeskAction::Order(o.id)),
            );
            v
        }
        (Screen::EraseCustomer { .. }, Some(o)) => erase_view(ctx, &o).await?,
        (Screen::History { page, .. }, Some(o)) => history(ctx, &o, page).await?,
        _ => super::menu::view(ctx),
    };
    Ok(view.with_notice(notice.as_deref()))
}

async fn list(
    ctx: &mut Ctx<'_>,
    status: OrderStatus,
    session: Option<larder_core::SessionId>,
    newest_first: bool,
    page: u32,
) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let total = orders::count(ctx.tx, status, session).await?;
    let page = Page::new(page, total, ctx.config.page_size);
    let sort = match (status, newest_first) {
        (OrderStatus::Issued, true) => Sort::IssuedNewest,
        (_, true) => Sort::IssueDateDesc,
        (_, false) => Sort::IssueDateAsc,
    };
    let items = orders::list(ctx.tx, status, session, sort, page.offset(), page.limit()).await?;
    let title = match status {
        OrderStatus::Processing => "menu-processing",
        OrderStatus::Completed => "menu-completed",
        OrderStatus::Issued => "menu-issued",
        OrderStatus::Cancelled => "menu-cancelled",
    };
    let mut v = View::default();
    v.text.bold(format!("{} ({total})", t(title)));
    if let Some(s) = session {
        let s = sessions::get(ctx.tx, s).await?;
        v.text
            .plain(format!(" · {}", super::sessions::name(ctx, &s)));
    }
    v.text.newline();
    if items.is_empty() {
        v.text.italic(t("orders-empty"));
    }
    // Across sessions, numbers repeat: each line names its session.
    let places = if session.is_none() {
        let ids: Vec<_> = items.iter().map(|o| o.session_id).collect();
        session_names(ctx, ids).await?
    } else {
        Places::new()
    };
    for o in &items {
        let when = match status {
            OrderStatus::Issued => o.issued_on,
            _ => o.issue_date,
        };
        let mut line = match places.get(&o.session_id) {
            Some(place) => format!("№{} {} · {place}", o.number, o.client_name),
            None => format!("№{} {}", o.number, o.client_name),
        };
        if let Some(d) = when {
            line.push_str(&format!(" · {}", format_date(d)));
        }
        if o.delivery {
            line.push_str(" 🚚");
        }
        if status == OrderStatus::Processing && o.unweighed > 0 {
            line.push_str(&format!(" ⚖️{}", o.unweighed));
        }
        v.button(label(&line), Action::Desk(DeskAction::Order(o.id)));
    }
    v.row(page.nav(ctx.lang, |page| {
        Action::Desk(DeskAction::Orders {
            status,
            session,
            newest_first,
            page,
        })
    }));
    let sort_label = if newest_first {
        t("sort-newest-first")
    } else {
        t("sort-oldest-first")
    };
    v.button(
        sort_label,
        Action::Desk(DeskAction::Orders {
            status,
            session,
            newest_first: !newest_first,
            page: 0,
        }),
    );
    let back_to = match session {
        Some(s) => back(ctx, Action::Desk(DeskAction::Session(s))),
        None => menu(ctx),
    };
    v.row(vec![back_to]);
    Ok(v)
}

async fn card(ctx: &mut Ctx<'_>, o: &Order, lines: u32) -> Result<View, UiError> {
    let t = |id: &str| ctx.lang.t(id);
    let session = sessions::get(ctx.tx, o.session_id).await?;
    let mut v = View::default();
    v.text.bold(
        ctx.lang
            .t_args("order-title", &[("number", o.number.to_string())]),
    );
    v.text
        .plain(format!(
            " · {} · {}",
            super::sessions::name(ctx, &session),
            t(status_id(o.status))
        ))
        .newline();
    if let Some(d) = o.issued_on {
        v.text
            .line(ctx.lang.t_args("order-issued-on", &[("date", date(d))]));
    }
    let page = lines_page(lines, o.lines.len());
    staff_view(ctx, &OrderLook::of_order(o), page, &mut v.text);
    v.row(lines_nav(ctx, page));
    let (id, ver) = (o.id, o.version);
    match o.status {
        OrderStatus::Processing => {
            v.row(vec![
                Button::action(t("btn-weigh"), Action::Desk(DeskAction::Weigh(id))),
                Button::action(
                    t("btn-complete"),
                    Action::Desk(DeskAction::Complete(id, ver)),
                ),
            ]);
            v.button(
                t("btn-cancel-order"),
                Action::Desk(DeskAction::OrderCancel(id, ver)),
            );
        }
        OrderStatus::Cancelled => {
            v.button(
                t("btn-restore-order"),
                Action::Desk(DeskAction::OrderRestore(id, ver)),
            );
        }
        OrderStatus::Completed => {
            v.row(vec![
                Button::action(t("btn-issue"), Action::Desk(DeskAction::IssueMenu(id))),
                Button::action(
                    t("btn-customer-text"),
                    Action::Desk(DeskAction::CustomerText(id)),
                ),
            ]);
            // A weighed order the customer never came for is called off too.
            v.row(vec![
                Button::action(t("btn-reopen"), Action::Desk(DeskAction::Reopen(id, ver))),
                Button::action(
                    t("btn-cancel-order"),
                    Action::Desk(DeskAction::OrderCancel(id, ver)),
                ),
            ]);
        }
        OrderStatus::Issued => {
            v.button(
                t("btn-customer-text"),
                Action::Desk(DeskAction::CustomerText(id)),
            );
            v.row(vec![
                Button::action(t("btn-unissue"), Action::Desk(DeskAction::Unissue(id, ver))),
                Button::action(t("btn-reopen"), Action::Desk(DeskAction::Reopen(id, ver))),
            ]);
        }
    }
    v.row(vec![
        Button::action(t("btn-edit-order"), Action::Desk(DeskAction::OrderEdit(id))),
        Button::action(t("btn-history"), Action::Desk(DeskAction::History(id, 0))),
    ]);
    let list = Action::Desk(DeskAction::Orders {
        status: o.status,
        session: None,
        newest_first: o.status == OrderStatus::Issued,
        page: 0,
    });
    v.row(vec![back(ctx, list), menu(ctx)]);
    Ok(v)
}

async fn history(ctx: &mut Ctx<'_>, o: &Order, page: u32) -> Result<View, UiError> {
    let entries = orders::history(ctx.tx, o.id).await?;
    let names = staff::list(ctx.tx).await?;
    let page = Page::new(page, i64::try_from(entries.len()).unwrap_or(0), 15);
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("history-title", &[("number", o.number.to_string())]),
        )
        .newline();
    let start = usize::try_from(page.offset()).unwrap_or(0);
    // Sessions are recorded by id: shown by their names.
    let moves = entries
        .iter()
        .skip(start)
        .take(15)
        .filter(|e| e.field == HistoryField::Session)
        .flat_map(|e| [&e.old, &e.new])
        .flatten()
        .filter_map(|value| session_place(value).map(|(session, _)| session));
    let moves: Vec<_> = moves.collect();
    let places = session_names(ctx, moves).await?;
    for e in entries.iter().skip(start).take(15) {
        let when = jiff::Timestamp::from_millisecond(e.at)
            .map(|ts| {
                ts.to_zoned(ctx.config.timezone.clone())
                    .strftime("%d.%m %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        let who = e
            .actor
            .and_then(|a| {
                names
                    .iter()
                    .find(|s| s.user_id == a)
                    .map(|s| s.display_name.clone())
            })
            .unwrap_or_else(|| "—".into());
        let field = ctx.lang.t(&history_id(e.field));
        let change = if e.field == HistoryField::Erased {
            String::new()
        } else {
            format!(
                "{} → {}",
                history_value(ctx, e.field, e.old.as_deref(), &places),
                history_value(ctx, e.field, e.new.as_deref(), &places)
            )
        };
        v.text
            .plain(format!("{when} {who}: "))
            .bold(field)
            .plain(format!(" {change}"))
            .newline();
    }
    v.row(page.nav(ctx.lang, |p| Action::Desk(DeskAction::History(o.id, p))));
    v.button(
        ctx.lang.t("btn-back"),
        Action::Desk(DeskAction::Order(o.id)),
    );
    Ok(v)
}

/// The Fluent id naming a history field (`history-issue-date`).
pub(crate) fn history_id(field: HistoryField) -> String {
    format!("history-{}", field.as_str().replace('_', "-"))
}

/// Sessions' names as the desk shows them, by id.
type Places = std::collections::HashMap<larder_core::SessionId, String>;

/// The names of these sessions (one query each, however often they come);
/// a session deleted since reads "—".
async fn session_names(
    ctx: &mut Ctx<'_>,
    ids: Vec<larder_core::SessionId>,
) -> Result<Places, UiError> {
    let mut places = Places::new();
    for id in ids {
        if places.contains_key(&id) {
            continue;
        }
        let name = match sessions::get(ctx.tx, id).await {
            Ok(s) => super::sessions::name(ctx, &s),
            Err(StoreError::NotFound) => "—".to_owned(),
            Err(e) => return Err(e.into()),
        };
        places.insert(id, name);
    }
    Ok(places)
}

/// `"session 2, #1"` (how a move is recorded): the session and the number.
fn session_place(value: &str) -> Option<(larder_core::SessionId, i64)> {
    let (session, number) = value.strip_prefix("session ")?.split_once(", #")?;
    Some((
        larder_core::SessionId::new(session.parse().ok()?),
        number.parse().ok()?,
    ))
}

/// `"315 g"`, `"2 pcs"` (how quantities are recorded).
fn recorded_quantity(value: &str) -> Option<larder_core::Quantity> {
    let (n, unit) = value.split_once(' ')?;
    let n: i64 = n.parse().ok()?;
    match unit {
        "g" => larder_core::Quantity::grams(n).ok(),
        "pcs" => larder_core::Quantity::pieces(n).ok(),
        _ => None,
    }
}

/// A recorded value as a person reads it, in their language: statuses,
/// quantities with units ("not available" for a weight of 0), dates in the
/// desk's format, sessions by name, fees as money.
fn history_value(
    ctx: &Ctx<'_>,
    field: HistoryField,
    value: Option<&str>,
    places: &Places,
) -> String {
    use HistoryField as F;
    let Some(v) = value else {
        return "—".to_owned();
    };
    match field {
        F::Status => v
            .parse::<OrderStatus>()
            .map_or_else(|_| v.to_owned(), |s| ctx.lang.t(status_id(s))),
        F::Kitchen if v == "accepted" => ctx.lang.t("history-kitchen-accepted"),
        F::Delivery => match v {
            "yes" => ctx.lang.t("order-delivery"),
            "no" => ctx.lang.t("order-pickup"),
            other => other.to_owned(),
        },
        F::IssueDate => v
            .parse::<jiff::civil::Date>()
            .map_or_else(|_| v.to_owned(), date),
        F::Fee if v == "auto" => ctx.lang.t("history-fee-auto"),
        F::Fee => v
            .parse::<i64>()
            .map(|minor| money(ctx, larder_core::Money::from_minor(minor)))
            .unwrap_or_else(|_| v.to_owned()),
        F::Session => match session_place(v) {
            Some((session, number)) => format!(
                "{}, №{number}",
                places.get(&session).map_or("—", String::as_str)
            ),
            None => v.to_owned(),
        },
        F::Added | F::Removed | F::Ordered | F::Weighed | F::Packing => {
            let Some((name, rest)) = v.rsplit_once(": ") else {
                return v.to_owned();
            };
            let shown = match (field, rest, recorded_quantity(rest)) {
                (F::Weighed, "—", _) => ctx.lang.t("line-not-weighed"),
                (F::Packing, "—", _) => ctx.lang.t("history-no-packing"),
                (F::Packing, code, _) => ctx
                    .config
                    .pricing
                    .packing(code)
                    .map_or(code, |p| p.name())
                    .to_owned(),
                (F::Weighed, _, Some(q)) if q.is_zero() => ctx.lang.t("line-not-available"),
                (_, _, Some(q)) => quantity(ctx, q),
                (_, other, None) => other.to_owned(),
            };
            format!("{name}: {shown}")
        }
        _ => v.to_owned(),
    }
}
