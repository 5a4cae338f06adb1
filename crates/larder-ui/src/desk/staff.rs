//! Staff: the owner invites people by one-time links for a role, sees who
//! works at the desk, and removes them. Only owners manage staff.

use crate::action::DeskAction;
use larder_core::{Role, TgUserId};
use larder_store::{invites, staff};

use super::common::{label, menu};
use super::state::{DeskState, Screen};
use crate::action::Action;
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

/// How long an invite link stays valid.
const INVITE_DAYS: i64 = 7;

pub fn role_id(role: Role) -> &'static str {
    match role {
        Role::Owner => "role-owner",
        Role::Manager => "role-manager",
        Role::Cook => "role-cook",
        Role::Courier => "role-courier",
        Role::Admin => "role-admin",
    }
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
    roles: &[Role],
) -> Result<Reply, UiError> {
    if !roles.contains(&Role::Owner) {
        return Ok(Reply::keep().with_alert(ctx.lang.t("owner-only")));
    }
    match action {
        Action::Desk(DeskAction::Staff) => {
            state.screen = Screen::Staff;
            Ok(Reply::show(render(ctx, None).await?))
        }
        Action::Desk(DeskAction::Invite(role)) => {
            let code = invite_code();
            let expires = ctx.now + INVITE_DAYS * 24 * 3600 * 1000;
            invites::create_invite(ctx.tx, &code, role, ctx.user.me()?, ctx.now, expires).await?;
            tracing::info!(role = role.as_str(), "invite created");
            state.screen = Screen::Staff;
            let link = match &ctx.config.bot_username {
                Some(bot) => format!("https://t.me/{bot}?start={code}"),
                None => format!("/start {code}"),
            };
            let mut notice = View::default();
            notice
                .text
                .bold(
                    ctx.lang
                        .t_args("invite-created", &[("role", ctx.lang.t(role_id(role)))]),
                )
                .newline();
            notice.text.push(crate::view::Style::Code, link).newline();
            notice.text.italic(
                ctx.lang
                    .t_args("invite-hint", &[("days", INVITE_DAYS.to_string())]),
            );
            // The link goes in its own message, easy to forward; the desk stays.
            Ok(Reply {
                say: vec![notice],
                ..Reply::show(render(ctx, None).await?)
            })
        }
        Action::Desk(DeskAction::Deliveries) => {
            state.screen = Screen::Deliveries;
            Ok(Reply::show(super::deliveries::render(ctx).await?))
        }
        Action::Desk(DeskAction::StaffRemove(user, role)) => {
            if user == ctx.user.me()? {
                return Ok(Reply::keep().with_alert(ctx.lang.t("staff-not-yourself")));
            }
            state.screen = Screen::StaffRemove { user, role };
            Ok(Reply::show(render_remove(ctx, user, role).await?))
        }
        Action::Desk(DeskAction::StaffRemoveConfirm(user, role)) => {
            if user == ctx.user.me()? {
                return Ok(Reply::keep().with_alert(ctx.lang.t("staff-not-yourself")));
            }
            state.screen = Screen::Staff;
            if !staff::roles(ctx.tx, user).await?.contains(&role) {
                // Removed meanwhile (a second press, another owner).
                let view = render(ctx, None).await?;
                return Ok(Reply::show(view).with_toast(ctx.lang.t("staff-removed")));
            }
            staff::revoke(ctx.tx, user, role).await?;
            tracing::info!(
                user.id = user.get(),
                role = role.as_str(),
                "staff role removed"
            );
            let mut reply =
                Reply::show(render(ctx, None).await?).with_toast(ctx.lang.t("staff-removed"));
            // Out of the desk: their desk message stops showing orders, and
            // what they had open there is forgotten.
            if !super::may_use_desk(&staff::roles(ctx.tx, user).await?) {
                let channel = larder_store::Channel::Telegram;
                let message_id =
                    larder_store::chat_state::desk_message(ctx.tx, channel, user.get()).await?;
                larder_store::chat_state::forget_screen(ctx.tx, channel, user.get()).await?;
                let mut view = View::default();
                view.text.plain(ctx.lang.t("staff-you-were-removed"));
                reply.screens.push(crate::ScreenOut {
                    channel,
                    chat_id: user.get(),
                    message_id,
                    view,
                });
            }
            Ok(reply)
        }
        _ => Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
}

/// A code nobody can guess (90 random bits).
fn invite_code() -> String {
    format!("inv{}", crate::random::code(18))
}

pub async fn render(ctx: &mut Ctx<'_>, notice: Option<String>) -> Result<View, UiError> {
    let t = |id: &str| ctx.lang.t(id);
    let members = staff::list(ctx.tx).await?;
    let mut v = View::default();
    v.text
        .bold(format!("{} ({})", t("staff-title"), members.len()))
        .newline();
    for m in &members {
        v.text
            .plain(format!("• {} — {}", m.display_name, t(role_id(m.role))))
            .newline();
        if m.user_id != ctx.user.me()? {
            v.button(
                label(&format!("✖ {} ({})", m.display_name, t(role_id(m.role)))),
                Action::Desk(DeskAction::StaffRemove(m.user_id, m.role)),
            );
        }
    }
    v.row(vec![
        Button::action(
            t("btn-invite-manager"),
            Action::Desk(DeskAction::Invite(Role::Manager)),
        ),
        Button::action(
            t("btn-invite-owner"),
            Action::Desk(DeskAction::Invite(Role::Owner)),
        ),
    ]);
    if ctx.config.shop_enabled {
        v.row(vec![
            Button::action(
                t("btn-invite-cook"),
                Action::Desk(DeskAction::Invite(Role::Cook)),
            ),
            Button::action(
                t("btn-invite-courier"),
                Action::Desk(DeskAction::Invite(Role::Courier)),
            ),
            Button::action(
                t("btn-invite-admin"),
                Action::Desk(DeskAction::Invite(Role::Admin)),
            ),
        ]);
        v.text.newline().bold(t("staff-groups-title")).newline();
        for role in larder_store::groups::GroupRole::ALL {
            let name = t(&format!("group-{}", role.as_str()));
            let line = match larder_store::groups::get(ctx.tx, role).await? {
                Some(g) if g.lost.is_some() => ctx
                    .lang
                    .t_args("staff-group-lost", &[("group", name), ("title", g.title)]),
                Some(g) => ctx
                    .lang
                    .t_args("staff-group-bound", &[("group", name), ("title", g.title)]),
                None => ctx.lang.t_args("staff-group-unbound", &[("group", name)]),
            };
            v.text.line(line);
        }
        v.text.italic(t("staff-groups-hint")).newline();
    }
    let dead = larder_store::outbox::count(ctx.tx, "failed").await?
        + larder_store::outbox::count(ctx.tx, "expired").await?;
    if dead > 0 {
        v.button(
            ctx.lang
                .t_args("deliveries-button", &[("count", dead.to_string())]),
            Action::Desk(DeskAction::Deliveries),
        );
    }
    v.row(vec![menu(ctx)]);
    Ok(v.with_notice(notice.as_deref()))
}

/// "Remove <name> as <role>?"
pub async fn render_remove(ctx: &mut Ctx<'_>, user: TgUserId, role: Role) -> Result<View, UiError> {
    let name = staff::list(ctx.tx)
        .await?
        .into_iter()
        .find(|m| m.user_id == user)
        .map_or_else(|| user.to_string(), |m| m.display_name);
    let mut v = View::default();
    v.text.bold(ctx.lang.t_args(
        "staff-remove-ask",
        &[("name", name), ("role", ctx.lang.t(role_id(role)))],
    ));
    v.text.newline().plain(ctx.lang.t("staff-remove-hint"));
    v.row(vec![
        Button::action(
            ctx.lang.t("btn-staff-remove-yes"),
            Action::Desk(DeskAction::StaffRemoveConfirm(user, role)),
        ),
        Button::action(ctx.lang.t("btn-back"), Action::Desk(DeskAction::Staff)),
    ]);
    Ok(v)
}

/// What to tell someone whose `/start CODE` joined nothing: the invite was
/// used, has expired, or is no code at all.
pub async fn refusal(ctx: &mut Ctx<'_>, code: &str) -> Result<String, UiError> {
    let id = match invites::why_not(ctx.tx, code.trim(), ctx.now).await? {
        invites::InviteRefusal::Used => "invite-used",
        invites::InviteRefusal::Expired => "invite-expired",
        invites::InviteRefusal::Unknown => "setup-code-wrong",
    };
    Ok(ctx.lang.t_args(id, &[("days", INVITE_DAYS.to_string())]))
}

/// `/start CODE` of someone not yet on the staff: redeems an invite.
pub async fn redeem(ctx: &mut Ctx<'_>, code: &str) -> Result<Option<Role>, UiError> {
    match invites::redeem_invite(ctx.tx, code.trim(), ctx.user.me()?, ctx.now).await {
        Ok(role) => {
            staff::grant(
                ctx.tx,
                ctx.user.me()?,
                role,
                &ctx.user.display_name,
                None,
                ctx.now,
            )
            .await?;
            tracing::info!(
                user.id = ctx.user.id.raw(),
                role = role.as_str(),
                "invite redeemed"
            );
            Ok(Some(role))
        }
        Err(larder_store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
