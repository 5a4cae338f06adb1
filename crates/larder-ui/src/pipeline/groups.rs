//! Commands in staff groups (`/bind`, `/stop`, `/help`) and the admins'
//! stop-list, a message edited in place.

use crate::action::CardAction;
use larder_core::{Role, format_date};
use larder_store::groups::{self as store_groups, GroupRole};
use larder_store::{Channel, categories, products};

use super::may;
use crate::action::Action;
use crate::desk::common::label;
use crate::paging::Page;
use crate::view::{Button, View};
use crate::{Ctx, Desk, GroupInput, Reply, UiError};

/// The group an input came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupChat {
    pub channel: Channel,
    pub chat_id: i64,
    pub title: String,
}

fn say(text: String) -> Reply {
    Reply {
        say: vec![super::line(text)],
        ..Reply::keep()
    }
}

/// Handles a command or press in a staff group.
pub async fn group(
    ctx: &mut Ctx<'_>,
    chat: GroupChat,
    input: GroupInput,
) -> Result<Reply, UiError> {
    let (name, args) = match input {
        GroupInput::Press(data) => {
            return match crate::Action::decode(&data) {
                Ok(crate::Action::Card(card)) => super::press(ctx, card).await,
                Ok(_) => Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed"))),
                Err(_) => Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
            };
        }
        GroupInput::Command { name, args } => (name, args),
    };
    let roles = ctx.user.roles(ctx.tx).await?;
    let bound = store_groups::roles_of(ctx.tx, chat.channel, chat.chat_id).await?;
    match name.as_str() {
        "bind" => {
            if !roles.contains(&Role::Owner) {
                return Ok(say(ctx.lang.t("group-bind-owner-only")));
            }
            let Some(role) = GroupRole::parse(&args) else {
                return Ok(say(ctx.lang.t("group-bind-usage")));
            };
            store_groups::bind(
                ctx.tx,
                role,
                chat.channel,
                chat.chat_id,
                &chat.title,
                ctx.user.me()?,
                ctx.now,
            )
            .await?;
            tracing::info!(
                chat.id = chat.chat_id,
                role = role.as_str(),
                "staff group bound"
            );
            Ok(say(ctx.lang.t_args(
                "group-bound",
                &[("group", ctx.lang.t(&format!("group-{}", role.as_str())))],
            )))
        }
        "stop" if bound.contains(&GroupRole::Admins) => {
            if !may(&roles, Role::Admin) {
                return Ok(say(ctx.lang.t("group-admins-only")));
            }
            let view = stop_list(ctx, 0).await?;
            Ok(Reply {
                say: vec![view],
                ..Reply::keep()
            })
        }
        "today" if bound.contains(&GroupRole::Admins) => {
            if !may(&roles, Role::Admin) {
                return Ok(say(ctx.lang.t("group-admins-only")));
            }
            Ok(Reply {
                say: vec![today(ctx).await?],
                ..Reply::keep()
            })
        }
        _ => {
            let mut help = ctx.lang.t("group-help");
            for role in bound {
                help.push_str("\n\n");
                help.push_str(&ctx.lang.t(&format!("group-help-{}", role.as_str())));
            }
            Ok(say(help))
        }
    }
}

/// The admins' stop-list: every category and product with a switch.
async fn stop_list(ctx: &mut Ctx<'_>, page: u32) -> Result<View, UiError> {
    let t = |id: &str| ctx.lang.t(id);
    let cats = categories::all(ctx.tx).await?;
    // One entry per category, then its products; paged as a whole.
    let mut entries: Vec<Button> = Vec::new();
    for c in &cats {
        let mark = if c.available { "✅" } else { "⛔" };
        entries.push(Button::action(
            label(&format!("{mark} 📂 {}", c.name)),
            Action::Card(CardAction::StopCategory(c.id, !c.available)),
        ));
        for p in products::in_category(ctx.tx, Some(c.id)).await? {
            let mark = if p.available { "✅" } else { "⛔" };
            entries.push(Button::action(
                label(&format!("{mark} {}", p.name)),
                Action::Card(CardAction::StopProduct(p.id, !p.available)),
            ));
        }
    }
    for p in products::in_category(ctx.tx, None).await? {
        let mark = if p.available { "✅" } else { "⛔" };
        entries.push(Button::action(
            label(&format!("{mark} {}", p.name)),
            Action::Card(CardAction::StopProduct(p.id, !p.available)),
        ));
    }
    let total = i64::try_from(entries.len()).unwrap_or(0);
    let page = Page::new(page, total, 10);
    let mut v = View::default();
    v.text.bold(t("stop-title")).newline();
    v.text.plain(t("stop-hint"));
    let start = usize::try_from(page.offset()).unwrap_or(0);
    for b in entries.into_iter().skip(start).take(10) {
        v.row(vec![b]);
    }
    v.row(page.nav(ctx.lang, |a0| Action::Card(CardAction::StopList(a0))));
    Ok(v)
}

/// A press on the stop-list: the switch, then the list again in place.
pub async fn stop_press(ctx: &mut Ctx<'_>, action: CardAction) -> Result<Reply, UiError> {
    let mut page = 0;
    let toast = match action {
        CardAction::StopList(p) => {
            page = p;
            None
        }
        CardAction::StopProduct(id, on) => {
            let p = products::get(ctx.tx, id).await?;
            if p.available != on {
                products::update(
                    ctx.tx,
                    id,
                    p.version,
                    products::Change::Available(on),
                    ctx.now,
                )
                .await?;
            }
            Some(ctx.lang.t_args(
                if on {
                    "stop-product-on"
                } else {
                    "stop-product-off"
                },
                &[("name", p.name)],
            ))
        }
        CardAction::StopCategory(id, on) => {
            let c = categories::get(ctx.tx, id).await?;
            if c.available != on {
                categories::update(
                    ctx.tx,
                    id,
                    c.version,
                    categories::CategoryChange::Available(on),
                    ctx.now,
                )
                .await?;
            }
            Some(ctx.lang.t_args(
                if on {
                    "stop-product-on"
                } else {
                    "stop-product-off"
                },
                &[("name", c.name)],
            ))
        }
        _ => None,
    };
    tracing::info!(user.id = ctx.user.id.raw(), ?action, "stop-list changed");
    let view = stop_list(ctx, page).await?;
    let reply = Reply {
        desk: Desk::Show(view),
        ..Reply::keep()
    };
    Ok(match toast {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

/// Today's figures for the admins: orders, cancellations, popular dishes.
async fn today(ctx: &mut Ctx<'_>) -> Result<View, UiError> {
    let day = crate::desk::common::today(ctx);
    let (from, to) = larder_core::day_bounds_ms(day, &ctx.config.timezone);
    let figures = larder_store::shop::day_figures(ctx.tx, from, to).await?;
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("today-title", &[("date", format_date(day))]),
        )
        .newline();
    v.text.line(ctx.lang.t_args(
        "today-orders",
        &[
            ("total", figures.orders.to_string()),
            ("cancelled", figures.cancelled.to_string()),
        ],
    ));
    if !figures.dishes.is_empty() {
        v.text.bold(ctx.lang.t("today-popular")).newline();
        for (name, amount) in figures.dishes.iter().take(10) {
            let amount = crate::desk::common::quantity(ctx, *amount);
            v.text.line(format!("• {name} — {amount}"));
        }
    }
    Ok(v)
}
