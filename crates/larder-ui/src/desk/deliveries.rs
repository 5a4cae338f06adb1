//! Delivery problems, for owners: the messages that could not be delivered
//! (refused for good, or still failing when their deadline came) — to whom,
//! what, when and why — so someone can call the customer or fix the group.

use crate::action::DeskAction;
use larder_store::outbox::{self, DeadLetter};
use larder_store::{Channel, customers, groups, staff};

use super::common::menu;
use crate::action::Action;
use crate::view::{Button, View};
use crate::{Ctx, UiError};

/// The newest shown.
const SHOWN: i64 = 10;

pub async fn render(ctx: &mut Ctx<'_>) -> Result<View, UiError> {
    let letters = outbox::dead_letters(ctx.tx, SHOWN).await?;
    let total = outbox::count(ctx.tx, "failed").await? + outbox::count(ctx.tx, "expired").await?;
    let mut v = View::default();
    v.text
        .bold(
            ctx.lang
                .t_args("deliveries-title", &[("count", total.to_string())]),
        )
        .newline();
    if letters.is_empty() {
        v.text.line(ctx.lang.t("deliveries-none"));
    }
    for d in &letters {
        let who = recipient(ctx, d).await?;
        let when = when_at(ctx, d.finished_at);
        let what = ctx.lang.t(kind_id(&d.kind));
        v.text.plain(format!("• {when} — {who}: {what}")).newline();
        if let Some(error) = &d.error {
            let reason = ctx.lang.t_args(
                if d.status == "expired" {
                    "deliveries-expired"
                } else {
                    "deliveries-refused"
                },
                &[("error", error.chars().take(120).collect::<String>())],
            );
            v.text.italic(format!("  {reason}")).newline();
        }
    }
    v.text.newline().italic(ctx.lang.t("deliveries-hint"));
    v.row(vec![
        Button::action(ctx.lang.t("btn-back"), Action::Desk(DeskAction::Staff)),
        menu(ctx),
    ]);
    Ok(v)
}

/// Who the message was for, as staff know them.
async fn recipient(ctx: &mut Ctx<'_>, d: &DeadLetter) -> Result<String, UiError> {
    if d.chat_id < 0 {
        for role in groups::roles_of(ctx.tx, d.channel, d.chat_id).await? {
            if let Some(g) = groups::get(ctx.tx, role).await? {
                return Ok(g.title);
            }
        }
        return Ok(ctx
            .lang
            .t_args("deliveries-group", &[("id", d.chat_id.to_string())]));
    }
    if let Some(name) = customers::name_of(ctx.tx, d.channel, d.chat_id).await? {
        let tag = if d.channel == Channel::Vk {
            " [VK]"
        } else {
            ""
        };
        return Ok(format!("{name}{tag}"));
    }
    if d.channel == Channel::Telegram
        && let Some(m) = staff::list(ctx.tx)
            .await?
            .into_iter()
            .find(|m| m.user_id.get() == d.chat_id)
    {
        return Ok(m.display_name);
    }
    Ok(ctx
        .lang
        .t_args("deliveries-chat", &[("id", d.chat_id.to_string())]))
}

fn kind_id(kind: &str) -> &'static str {
    match kind.trim_start_matches("v1:") {
        "screen_send" | "screen_edit" | "desk_send" | "desk_edit" => "deliveries-kind-screen",
        "card_send" | "card_edit" => "deliveries-kind-card",
        "document" => "deliveries-kind-document",
        "answer" => "deliveries-kind-answer",
        "pin" | "delete" | "edit" => "deliveries-kind-other",
        _ => "deliveries-kind-message",
    }
}

/// "01.12 14:02" in the business time zone.
fn when_at(ctx: &Ctx<'_>, ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|ts| {
            ts.to_zoned(ctx.config.timezone.clone())
                .strftime("%d.%m %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}
