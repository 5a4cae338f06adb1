//! The staff order desk: one message per staff chat, edited in place.
//!
//! [`handle`] authorises the sender, interprets the input against the chat's
//! current [`Screen`] and returns the next view. Its database effects join
//! the caller's transaction, together with the new [`DeskState`].

mod menu;
mod products;

use larder_core::{ProductId, Role, Unit};
use larder_store::staff;
use serde::{Deserialize, Serialize};

use crate::action::{Action, DecodeError, Field};
use crate::view::View;
use crate::{Ctx, Desk, Input, Reply, UiError};

/// Where a desk chat is; decides what typed text means.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "s", rename_all = "snake_case")]
pub enum Screen {
    #[default]
    Menu,
    Products {
        archived: bool,
        page: u32,
    },
    Product {
        id: ProductId,
    },
    /// Creating a product: waiting for its name, unit, price, then confirmation.
    NewName,
    NewUnit,
    NewPrice,
    NewConfirm,
    Edit {
        id: ProductId,
        field: Field,
    },
}

/// A product being created, kept until saved or cancelled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDraft {
    pub name: Option<String>,
    pub unit: Option<Unit>,
    pub price_minor: Option<i64>,
}

/// Persistent state of one desk chat.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskState {
    pub screen: Screen,
    #[serde(default)]
    pub draft: Option<ProductDraft>,
}

impl DeskState {
    /// Restores from stored JSON; unreadable state (e.g. after an upgrade
    /// changed its shape) falls back to the main menu rather than failing.
    pub fn restore(screen: &str, draft: Option<&str>) -> DeskState {
        DeskState {
            screen: serde_json::from_str(screen).unwrap_or_default(),
            draft: draft.and_then(|d| serde_json::from_str(d).ok()),
        }
    }

    pub fn screen_json(&self) -> String {
        serde_json::to_string(&self.screen).unwrap_or_else(|_| "null".into())
    }

    pub fn draft_json(&self) -> Option<String> {
        self.draft
            .as_ref()
            .and_then(|d| serde_json::to_string(d).ok())
    }
}

/// Whether `roles` may use the desk.
pub fn may_use_desk(roles: &[Role]) -> bool {
    roles.iter().any(|r| r.can_use_desk())
}

/// Handles one input of a private chat with the desk.
pub async fn handle(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    input: Input,
) -> Result<Reply, UiError> {
    let roles = staff::roles(ctx.tx, ctx.user.id).await?;
    if let Input::Start(Some(code)) = &input
        && !may_use_desk(&roles)
    {
        return claim_owner(ctx, state, code).await;
    }
    if !may_use_desk(&roles) {
        return Ok(refuse(ctx, &input));
    }
    match input {
        Input::Start(_) => {
            *state = DeskState::default();
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
            let mut reply = products::typed(ctx, state, &text).await?;
            reply.delete_input = true;
            Ok(reply)
        }
        Input::Press(data) => match Action::decode(&data) {
            Ok(action) => press(ctx, state, action).await,
            Err(DecodeError::Outdated | DecodeError::Invalid) => {
                Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")))
            }
        },
    }
}

async fn press(ctx: &mut Ctx<'_>, state: &mut DeskState, action: Action) -> Result<Reply, UiError> {
    match action {
        Action::Noop => Ok(Reply::keep()),
        Action::PageEnd { last } => {
            Ok(Reply::keep().with_toast(ctx.lang.t(if last { "page-last" } else { "page-first" })))
        }
        Action::Menu => {
            *state = DeskState::default();
            Ok(Reply::show(menu::view(ctx)))
        }
        Action::Soon(_) => Ok(Reply::keep().with_toast(ctx.lang.t("soon"))),
        other => products::press(ctx, state, other).await,
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
        _ => products::render(ctx, state, notice).await,
    }
}

async fn claim_owner(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    code: &str,
) -> Result<Reply, UiError> {
    let unclaimed = staff::count_with_role(ctx.tx, Role::Owner).await? == 0;
    let matches = ctx
        .setup_code
        .is_some_and(|c| constant_time_eq(c.trim(), code.trim()));
    if !(unclaimed && matches) {
        let mut v = View::default();
        v.text.line(ctx.lang.t("setup-code-wrong"));
        // The message carried a code: remove it from the chat either way.
        return Ok(Reply {
            say: vec![v],
            delete_input: true,
            ..Reply::keep()
        });
    }
    staff::grant(
        ctx.tx,
        ctx.user.id,
        Role::Owner,
        &ctx.user.display_name,
        None,
        ctx.now,
    )
    .await?;
    tracing::info!(
        user.id = ctx.user.id.get(),
        "owner claimed the desk with the setup code"
    );
    *state = DeskState::default();
    let view = menu::view(ctx).with_notice(Some(&ctx.lang.t("owner-claimed")));
    Ok(Reply {
        desk: Desk::Fresh(view),
        delete_input: true,
        ..Reply::keep()
    })
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
