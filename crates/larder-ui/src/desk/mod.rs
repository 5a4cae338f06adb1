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

use larder_core::Role;
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
    match action {
        A::Noop => Ok(Reply::keep()),
        A::PageEnd { last } => {
            Ok(Reply::keep().with_toast(ctx.lang.t(if last { "page-last" } else { "page-first" })))
        }
        A::Menu => {
            state.screen = Screen::Menu;
            Ok(Reply::show(menu::view(ctx)))
        }
        A::Cancel => match state.screen {
            Screen::NewName
            | Screen::NewUnit
            | Screen::NewPrice
            | Screen::NewConfirm
            | Screen::Edit { .. } => products::press(ctx, state, A::Cancel).await,
            Screen::Draft
            | Screen::Prompt { .. }
            | Screen::Picker { .. }
            | Screen::Quantity { .. }
            | Screen::LineMenu { .. }
            | Screen::Weight { .. }
            | Screen::SessionPicker { .. } => edit::press(ctx, state, A::Cancel).await,
            _ => {
                state.screen = Screen::Menu;
                Ok(Reply::show(menu::view(ctx)))
            }
        },
        A::Products { .. }
        | A::Product(_)
        | A::NewProduct
        | A::DraftUnit(_)
        | A::DraftSave
        | A::Edit(..)
        | A::SetUnit(..)
        | A::Archive(_)
        | A::Restore(_) => products::press(ctx, state, action).await,
        A::Categories
        | A::Category(_)
        | A::NewCategory
        | A::RenameCategory(_)
        | A::CategoryMove(..)
        | A::CategoryHide(..)
        | A::CategoryStop(..)
        | A::ProductCategory(_)
        | A::SetCategory(..)
        | A::ProductStop(..)
        | A::ProductPhotoRemove(_) => catalog::press(ctx, state, action).await,
        A::Sessions { .. }
        | A::Session(_)
        | A::NewSession
        | A::SessionEdit(..)
        | A::SessionArchive(..)
        | A::SessionDelete(_)
        | A::IssueAll(_)
        | A::IssueAllNow(_) => sessions::press(ctx, state, action).await,
        A::CalMonth(..) | A::CalDay(_) | A::CalClear => calendar::press(ctx, state, action).await,
        A::NewOrder(_)
        | A::OrderEdit(_)
        | A::OrderField(..)
        | A::SetDelivery(..)
        | A::FeeAuto(_)
        | A::AddLine(_)
        | A::Picker(_)
        | A::Pick(_)
        | A::Line(..)
        | A::LineQty(..)
        | A::LineWeight(..)
        | A::LinePack(..)
        | A::LineRemove(..)
        | A::PackAll(..)
        | A::ChooseSession(_)
        | A::PickSession(_)
        | A::SessionsPage(_)
        | A::OrderSave => edit::press(ctx, state, action).await,
        A::Orders { .. }
        | A::Order(_)
        | A::Complete(..)
        | A::Reopen(..)
        | A::Unissue(..)
        | A::OrderCancel(..)
        | A::OrderRestore(..)
        | A::IssueMenu(_)
        | A::IssueToday(..)
        | A::IssuePickDate(_)
        | A::CustomerText(_)
        | A::SendToCustomer(_)
        | A::OrderDelete(_)
        | A::History(..) => orders::press(ctx, state, action).await,
        A::EraseCustomer(_) | A::EraseCustomerConfirm(_) => {
            orders::erase(ctx, state, action, roles).await
        }
        A::Weigh(_) | A::WeighNotAvailable | A::WeighSkip => weigh::press(ctx, state, action).await,
        A::Staff | A::Invite(_) | A::StaffRemove(..) | A::Deliveries => {
            staff::press(ctx, state, action, roles).await
        }
        A::ShopHome
        | A::ShopProfile
        | A::ShopEdit(_)
        | A::ShopSkipEmail
        | A::ShopForget
        | A::ShopForgetConfirm
        | A::ShopLink
        | A::ShopCategory(..)
        | A::ShopProduct(_)
        | A::CartAdd(_)
        | A::CartSub(_)
        | A::CartRemove(_)
        | A::Cart
        | A::Checkout
        | A::CheckoutMode(_)
        | A::CheckoutLastAddress
        | A::CheckoutAsap
        | A::CheckoutSlots(_)
        | A::CheckoutSlot(..)
        | A::CheckoutSkipComment
        | A::CheckoutConfirm
        | A::MyOrders(_)
        | A::MyOrder(_)
        | A::MyOrderCancel(_)
        | A::MyOrderCancelYes(_)
        | A::ShopReviews(_)
        | A::Rate(..)
        | A::RateDish(..)
        | A::FeedbackComment(_)
        | A::FeedbackDone(_)
        | A::KitchenAccept(_)
        | A::KitchenPrepared(_)
        | A::CourierTake(_)
        | A::CourierDelivered(_)
        | A::CourierRelease(_)
        | A::AdminIssue(_)
        | A::AdminCancelAsk(_)
        | A::AdminCancel(..)
        | A::CardBack(_)
        | A::KitchenWeigh(_)
        | A::KitchenKey(..)
        | A::KitchenWeighed(..)
        | A::KitchenNotAvailable(..)
        | A::AdminReassignAsk(_)
        | A::AdminReassign(..)
        | A::ReviewPublish(_)
        | A::ReviewReject(_)
        | A::StopList(_)
        | A::StopProduct(..)
        | A::StopCategory(..) => Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
        A::Stats { .. } | A::StatsPickDay(_) | A::Production(..) | A::Download(..) => {
            stats::press(ctx, state, action).await
        }
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
        Screen::Draft
        | Screen::OrderEdit { .. }
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
        Screen::Deliveries => deliveries::render(ctx).await,
        Screen::Stats { .. } | Screen::Production { .. } => stats::render(ctx, state, notice).await,
    }
}

/// `/start CODE` from someone not on the staff: the one-time setup code
/// (while the desk has no owner) or an invite link.
async fn join(ctx: &mut Ctx<'_>, state: &mut DeskState, code: &str) -> Result<Reply, UiError> {
    if let Some(reply) = try_join(ctx, state, code).await? {
        return Ok(reply);
    }
    let mut v = View::default();
    v.text.line(ctx.lang.t("setup-code-wrong"));
    // The message carried a code: remove it from the chat either way.
    Ok(Reply {
        say: vec![v],
        delete_input: true,
        ..Reply::keep()
    })
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
