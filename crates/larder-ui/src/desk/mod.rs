//! The staff order desk: one message per staff chat, edited in place.
//!
//! [`handle`] authorises the sender, interprets the input against the chat's
//! current [`Screen`] and returns the next view. Its database effects join
//! the caller's transaction, together with the new [`DeskState`]. Each
//! screen family lives in its own module; this one only routes.

mod calendar;
mod catalog;
pub(crate) mod common;
mod deliveries;
mod edit;
mod menu;
pub(crate) mod orders;
mod products;
mod sessions;
pub(crate) mod staff;
mod state;
mod stats;
mod target;
pub(crate) mod texts;
mod weigh;

use crate::action::DeskAction;
use larder_core::Role;
use larder_store::attempts;
use larder_store::staff as staff_store;

pub use state::{CalPurpose, DeskState, DraftLine, OrderDraft, ProductDraft, Screen};

use crate::action::{Action, DecodeError};
use crate::view::View;
use crate::{Ctx, Desk, Input, Reply, UiError};

/// Whether `roles` may use the desk.
pub fn may_use_desk(roles: &[Role]) -> bool {
    roles.iter().any(|r| r.can_use_desk())
}

/// Handles one input of a private chat with the desk.
/// `roles` and `shown_as`: the person's roles and the name staff see them
/// by, as the caller read them.
pub async fn handle(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    input: Input,
    roles: &[Role],
    shown_as: Option<&str>,
) -> Result<Reply, UiError> {
    let roles = roles.to_vec();
    ctx.roles.clone_from(&roles);
    if shown_as.is_some_and(|name| name != ctx.user.display_name) {
        // Staff are shown (e.g. in order history) by their current Telegram name.
        staff_store::set_display_name(ctx.tx, ctx.user.me()?, &ctx.user.display_name).await?;
    }
    if !may_use_desk(&roles) {
        return match input {
            Input::Start(Some(code)) => join(ctx, state, &code).await,
            other => Ok(refuse(ctx, &other)),
        };
    }
    match input {
        Input::Start(_) => {
            // The desk restarts at the menu; an unsaved order draft is kept.
            state.screen = Screen::Menu;
            Ok(Reply {
                desk: Desk::Fresh(menu::view(ctx)),
                delete_input: true,
                ..Reply::keep()
            })
        }
        Input::Command(_) => {
            let view = render(ctx, state, Some(ctx.lang.t("unknown-command"))).await?;
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Text(text) => {
            let mut reply = typed(ctx, state, &text).await?;
            reply.delete_input = true;
            Ok(reply)
        }
        Input::Contact { .. } => {
            let view = render(ctx, state, Some(ctx.lang.t("type-buttons"))).await?;
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Photo(file_id) => {
            let mut reply = catalog::photo(ctx, state, &file_id).await?;
            reply.delete_input = true;
            Ok(reply)
        }
        Input::Press(data) => match Action::decode(&data) {
            Ok(action) => press(ctx, state, action, &roles).await,
            Err(DecodeError::Outdated | DecodeError::Invalid) => {
                Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")))
            }
        },
    }
}

async fn typed(ctx: &mut Ctx<'_>, state: &mut DeskState, text: &str) -> Result<Reply, UiError> {
    match state.screen {
        Screen::NewName | Screen::NewPrice | Screen::Edit { .. } => {
            products::typed(ctx, state, text).await
        }
        Screen::SessionPrompt { .. } | Screen::SessionDelete { .. } => {
            sessions::typed(ctx, state, text).await
        }
        Screen::CategoryPrompt { .. } => catalog::typed(ctx, state, text).await,
        Screen::Calendar { .. } => calendar::typed(ctx, state, text).await,
        Screen::Prompt { .. } | Screen::Quantity { .. } | Screen::Weight { .. } => {
            edit::typed(ctx, state, text).await
        }
        Screen::Weigh { .. } => weigh::typed(ctx, state, text).await,
        Screen::OrderDelete { .. } => orders::typed(ctx, state, text).await,
        _ => Ok(Reply::show(
            render(ctx, state, Some(ctx.lang.t("type-buttons"))).await?,
        )),
    }
}

async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
    roles: &[Role],
) -> Result<Reply, UiError> {
    use Action as A;
    use DeskAction as D;
    let desk = match &action {
        A::Desk(desk) => desk,
        // The shop's and the cards' presses are not the desk's.
        A::Shop(_) | A::Card(_) => {
            return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
        }
        A::Noop => return Ok(Reply::keep()),
        A::PageEnd { last } => {
            let id = if *last { "page-last" } else { "page-first" };
            return Ok(Reply::keep().with_toast(ctx.lang.t(id)));
        }
        A::Menu => {
            state.screen = Screen::Menu;
            return Ok(Reply::show(menu::view(ctx)));
        }
        A::Cancel => {
            return match state.screen {
                Screen::NewName
                | Screen::NewUnit
                | Screen::NewPrice
                | Screen::NewConfirm
                | Screen::Edit { .. } => products::press(ctx, state, A::Cancel).await,
                Screen::Draft { .. }
                | Screen::Prompt { .. }
                | Screen::Picker { .. }
                | Screen::Quantity { .. }
                | Screen::LineMenu { .. }
                | Screen::LineRemoveLast { .. }
                | Screen::Weight { .. }
                | Screen::SessionPicker { .. } => edit::press(ctx, state, A::Cancel).await,
                _ => {
                    state.screen = Screen::Menu;
                    Ok(Reply::show(menu::view(ctx)))
                }
            };
        }
    };
    match desk {
        D::SureQuantity(value) => {
            let text = value.to_string();
            match state.screen {
                Screen::Weigh { .. } => weigh::typed_as(ctx, state, &text, true).await,
                Screen::Quantity { .. } | Screen::Weight { .. } => {
                    edit::typed_as(ctx, state, &text, true).await
                }
                _ => Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
            }
        }
        D::LinesPage(page) => {
            let page = *page;
            match &mut state.screen {
                Screen::Order { lines, .. }
                | Screen::OrderEdit { lines, .. }
                | Screen::Draft { lines } => *lines = page,
                _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
            }
            Ok(Reply::show(render(ctx, state, None).await?))
        }
        D::Products { .. }
        | D::Product(_)
        | D::NewProduct
        | D::DraftUnit(_)
        | D::DraftSave
        | D::Edit(..)
        | D::SetUnit(..)
        | D::Archive(_)
        | D::Restore(_) => products::press(ctx, state, action).await,
        D::Categories
        | D::Category(_)
        | D::NewCategory
        | D::RenameCategory(_)
        | D::CategoryMove(..)
        | D::CategoryHide(..)
        | D::CategoryStop(..)
        | D::ProductCategory(_)
        | D::SetCategory(..)
        | D::ProductStop(..)
        | D::ProductPhotoRemove(_) => catalog::press(ctx, state, action).await,
        D::Sessions { .. }
        | D::Session(_)
        | D::NewSession
        | D::SessionEdit(..)
        | D::SessionArchive(..)
        | D::SessionDelete(_)
        | D::IssueAll(_)
        | D::IssueAllNow(_)
        | D::IssueAllOn(..)
        | D::IssueAllPickDate(_) => sessions::press(ctx, state, action).await,
        D::CalMonth(..) | D::CalDay(_) | D::CalClear => calendar::press(ctx, state, action).await,
        D::NewOrder(_)
        | D::OrderEdit(_)
        | D::OrderField(..)
        | D::SetDelivery(..)
        | D::FeeAuto(_)
        | D::AddLine(_)
        | D::Picker(_)
        | D::Pick(_)
        | D::Line(..)
        | D::LineQty(..)
        | D::LineWeight(..)
        | D::LinePack(..)
        | D::LineRemove(..)
        | D::LineRemoveSure(..)
        | D::PackAll(..)
        | D::ChooseSession(_)
        | D::PickSession(_)
        | D::SessionsPage(_)
        | D::OrderSave => edit::press(ctx, state, action).await,
        D::Orders { .. }
        | D::Order(_)
        | D::Complete(..)
        | D::Reopen(..)
        | D::Unissue(..)
        | D::OrderCancel(..)
        | D::OrderRestore(..)
        | D::IssueMenu(_)
        | D::IssueToday(..)
        | D::IssuePickDate(_)
        | D::CustomerText(_)
        | D::SendToCustomer(_)
        | D::OrderDelete(_)
        | D::History(..) => orders::press(ctx, state, action).await,
        D::EraseCustomer(_) | D::EraseCustomerConfirm(_) => {
            orders::erase(ctx, state, action, roles).await
        }
        D::Weigh(_) | D::WeighNotAvailable | D::WeighSkip => weigh::press(ctx, state, action).await,
        D::Staff
        | D::Invite(_)
        | D::StaffRemove(..)
        | D::StaffRemoveConfirm(..)
        | D::Deliveries => staff::press(ctx, state, action, roles).await,
        D::Stats { .. }
        | D::StatsPickDay(_)
        | D::Production(..)
        | D::Download(..)
        | D::DownloadPeriod(..) => stats::press(ctx, state, action).await,
    }
}

/// Renders the current screen, with an optional notice on top.
pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    match state.screen {
        Screen::Menu => Ok(menu::view(ctx).with_notice(notice.as_deref())),
        Screen::Products { .. }
        | Screen::Product { .. }
        | Screen::NewName
        | Screen::NewUnit
        | Screen::NewPrice
        | Screen::NewConfirm
        | Screen::Edit { .. } => products::render(ctx, state, notice).await,
        Screen::Sessions { .. }
        | Screen::Session { .. }
        | Screen::SessionPrompt { .. }
        | Screen::SessionDelete { .. }
        | Screen::IssueAll { .. } => sessions::render(ctx, state, notice).await,
        Screen::Calendar { .. } => calendar::render(ctx, state, notice).await,
        Screen::Categories
        | Screen::Category { .. }
        | Screen::CategoryPrompt { .. }
        | Screen::CategoryPicker { .. } => catalog::render(ctx, state, notice).await,
        Screen::Draft { .. }
        | Screen::OrderEdit { .. }
        | Screen::LineRemoveLast { .. }
        | Screen::Prompt { .. }
        | Screen::Picker { .. }
        | Screen::Quantity { .. }
        | Screen::LineMenu { .. }
        | Screen::Weight { .. }
        | Screen::SessionPicker { .. } => edit::render(ctx, state, notice).await,
        Screen::Orders { .. }
        | Screen::Order { .. }
        | Screen::IssueChoice { .. }
        | Screen::CustomerText { .. }
        | Screen::OrderDelete { .. }
        | Screen::EraseCustomer { .. }
        | Screen::History { .. } => orders::render(ctx, state, notice).await,
        Screen::Weigh { .. } => weigh::render(ctx, state, notice).await,
        Screen::Staff => staff::render(ctx, notice).await,
        Screen::StaffRemove { user, role } => staff::render_remove(ctx, user, role).await,
        Screen::Deliveries => deliveries::render(ctx).await,
        Screen::Stats { .. } | Screen::Production { .. } => stats::render(ctx, state, notice).await,
    }
}

/// `/start CODE` from someone not on the staff: the one-time setup code
/// (while the desk has no owner) or an invite link.
async fn join(ctx: &mut Ctx<'_>, state: &mut DeskState, code: &str) -> Result<Reply, UiError> {
    let refusal = match join_with(ctx, state, code, true).await? {
        Ok(reply) => return Ok(reply),
        Err(refusal) => refusal,
    };
    let mut v = View::default();
    v.text.line(refusal);
    // The message carried a code: remove it from the chat either way.
    Ok(Reply {
        say: vec![v],
        delete_input: true,
        ..Reply::keep()
    })
}

/// A code from someone not on the staff: joined, or why not. Wrong codes
/// are counted per account; after too many, codes are refused for a while
/// (whatever they are), so neither an invite nor the setup code can be
/// found by trying.
/// `counted`: whether a wrong code counts against the account (in the shop
/// a `/start` link may carry other things than codes).
pub async fn join_with(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    code: &str,
    counted: bool,
) -> Result<Result<Reply, String>, UiError> {
    let (channel, me) = (ctx.channel, ctx.user.id.raw());
    if let Some(until) = attempts::blocked_until(ctx.tx, channel, me, ctx.now).await? {
        let at = crate::pipeline::clock_of(ctx, until);
        return Ok(Err(ctx.lang.t_args("code-too-many", &[("at", at)])));
    }
    if let Some(reply) = try_join(ctx, state, code).await? {
        attempts::cleared(ctx.tx, channel, me).await?;
        return Ok(Ok(reply));
    }
    if counted {
        attempts::failed(ctx.tx, channel, me, ctx.now).await?;
    }
    Ok(Err(staff::refusal(ctx, code).await?))
}

/// Whether a `/start` payload is a staff invite's code (`inv…`).
pub fn is_invite_code(code: &str) -> bool {
    code.trim().starts_with("inv")
}

/// Joins the desk with a valid setup code or invite; `None` if the code is neither.
pub async fn try_join(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    code: &str,
) -> Result<Option<Reply>, UiError> {
    let unclaimed = staff_store::count_with_role(ctx.tx, Role::Owner).await? == 0;
    let setup = unclaimed
        && ctx
            .setup_code
            .is_some_and(|c| constant_time_eq(c.trim(), code.trim()));
    let role = if setup {
        staff_store::grant(
            ctx.tx,
            ctx.user.me()?,
            Role::Owner,
            &ctx.user.display_name,
            None,
            ctx.now,
        )
        .await?;
        tracing::info!(
            user.id = ctx.user.id.raw(),
            "owner claimed the desk with the setup code"
        );
        Some(Role::Owner)
    } else {
        staff::redeem(ctx, code).await?
    };
    let Some(role) = role else {
        return Ok(None);
    };
    *state = DeskState::default();
    if !role.can_use_desk() {
        // Cooks, couriers and admins work on the cards in their groups.
        let mut v = View::default();
        v.text.line(ctx.lang.t_args(
            "invite-welcome-group",
            &[("role", ctx.lang.t(staff::role_id(role)))],
        ));
        return Ok(Some(Reply {
            say: vec![v],
            delete_input: true,
            ..Reply::keep()
        }));
    }
    let welcome = if setup {
        ctx.lang.t("owner-claimed")
    } else {
        ctx.lang.t_args(
            "invite-welcome",
            &[("role", ctx.lang.t(staff::role_id(role)))],
        )
    };
    // The menu offers what the new role may do (an owner sees Staff).
    ctx.roles = staff_store::roles(ctx.tx, ctx.user.me()?).await?;
    let view = menu::view(ctx).with_notice(Some(&welcome));
    Ok(Some(Reply {
        desk: Desk::Fresh(view),
        delete_input: true,
        ..Reply::keep()
    }))
}

fn refuse(ctx: &Ctx<'_>, input: &Input) -> Reply {
    match input {
        Input::Press(_) => Reply::keep().with_alert(ctx.lang.t("not-allowed")),
        _ => {
            let mut v = View::default();
            v.text.line(ctx.lang.t("stranger-start"));
            Reply {
                say: vec![v],
                ..Reply::keep()
            }
        }
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
