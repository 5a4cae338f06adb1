//! Users and groups: create them, block the bot, migrate a group.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::json;

use super::view::chat_summary;
use super::{Body, Bot, CtlError, CtlResult, reply};
use crate::json::{Ctx, message_json, my_chat_member_json};
use crate::model::{NewGroup, NewUser};
use crate::state::{App, Body as MsgBody, Chat, ChatKind, Sender};

/// Telegram's service account, the author of changes nobody else made.
const SERVICE_USER: i64 = 777_000;
/// Supergroup ids are -100xxxxxxxxxx.
const SUPERGROUP_BASE: i64 = 1_000_000_000_000;

pub(crate) async fn list_users(State(app): State<Arc<App>>) -> CtlResult {
    let world = app.lock();
    reply(world.users.values().collect::<Vec<_>>())
}

pub(crate) async fn upsert_user(
    State(app): State<Arc<App>>,
    Body(user): Body<NewUser>,
) -> CtlResult {
    if user.id <= 0 {
        return Err(CtlError::bad("a user id must be positive"));
    }
    if user.first_name.trim().is_empty() {
        return Err(CtlError::bad("first_name must not be empty"));
    }
    app.lock().users.insert(user.id, user.clone());
    app.changed();
    reply(user)
}

pub(crate) async fn list_chats(State(app): State<Arc<App>>, bot: Bot) -> CtlResult {
    let world = app.lock();
    let chats: Vec<_> = world.bots[bot.0]
        .chats
        .values()
        .map(|c| chat_summary(&world, c))
        .collect();
    reply(chats)
}

pub(crate) async fn create_group(
    State(app): State<Arc<App>>,
    bot: Bot,
    Body(group): Body<NewGroup>,
) -> CtlResult {
    if group.id >= 0 {
        return Err(CtlError::bad("a group id must be negative"));
    }
    if group.members.iter().any(|m| *m <= 0) {
        return Err(CtlError::bad("members are positive user ids"));
    }
    let now = app.clock.now_ms();
    let summary = {
        let mut world = app.lock();
        for member in &group.members {
            world.user(*member);
        }
        let existed = world.bots[bot.0].chats.contains_key(&group.id);
        let kind = if group.id <= -SUPERGROUP_BASE {
            ChatKind::Supergroup
        } else {
            ChatKind::Group
        };
        let chat = world.bots[bot.0]
            .chats
            .entry(group.id)
            .or_insert_with(|| Chat::new(group.id, kind, None));
        chat.title = Some(group.title.clone());
        chat.members = group.members.clone();
        chat.bot_admin = group.bot_admin;
        if !existed {
            let by = group.members.first().copied().unwrap_or(SERVICE_USER);
            world.user(by);
            let chat = &world.bots[bot.0].chats[&group.id];
            let new_status = if group.bot_admin {
                "administrator"
            } else {
                "member"
            };
            let payload = my_chat_member_json(
                Ctx::new(&app.bots[bot.0], &world),
                chat,
                by,
                "left",
                new_status,
                now.div_euclid(1000),
            );
            world.push_update(bot.0, "my_chat_member", payload);
        }
        chat_summary(&world, &world.bots[bot.0].chats[&group.id])
    };
    app.changed();
    reply(summary)
}

/// The user blocks the bot (`blocked = true`) or restarts it.
fn set_blocked(app: &App, bot: usize, user_id: i64, blocked: bool) -> CtlResult {
    if user_id <= 0 {
        return Err(CtlError::bad("a user id must be positive"));
    }
    let now = app.clock.now_s();
    let update_id = {
        let mut world = app.lock();
        let chat = world.private_chat(bot, user_id);
        if chat.blocked == blocked {
            None
        } else {
            chat.blocked = blocked;
            let (old, new) = if blocked {
                ("member", "kicked")
            } else {
                ("kicked", "member")
            };
            let chat = &world.bots[bot].chats[&user_id];
            let payload = my_chat_member_json(
                Ctx::new(&app.bots[bot], &world),
                chat,
                user_id,
                old,
                new,
                now,
            );
            Some(world.push_update(bot, "my_chat_member", payload))
        }
    };
    app.changed();
    reply(json!({ "update_id": update_id }))
}

pub(crate) async fn block(State(app): State<Arc<App>>, bot: Bot, Path(id): Path<i64>) -> CtlResult {
    set_blocked(&app, bot.0, id, true)
}

pub(crate) async fn unblock(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(id): Path<i64>,
) -> CtlResult {
    set_blocked(&app, bot.0, id, false)
}

/// Someone removes the bot from the group: a `my_chat_member` update
/// (status "kicked"), and from then on every call to the group is refused
/// with 403 "bot was kicked from the group chat".
pub(crate) async fn remove_bot(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(id): Path<i64>,
) -> CtlResult {
    let now = app.clock.now_s();
    let update_id = {
        let mut world = app.lock();
        let chat = world.bots[bot.0]
            .chats
            .get_mut(&id)
            .filter(|c| c.kind != ChatKind::Private)
            .ok_or_else(|| CtlError::not_found(&format!("no group {id}")))?;
        if chat.blocked {
            None
        } else {
            chat.blocked = true;
            let old = if chat.bot_admin {
                "administrator"
            } else {
                "member"
            };
            let by = chat.members.first().copied().unwrap_or(SERVICE_USER);
            let chat = &world.bots[bot.0].chats[&id];
            let payload = my_chat_member_json(
                Ctx::new(&app.bots[bot.0], &world),
                chat,
                by,
                old,
                "kicked",
                now,
            );
            Some(world.push_update(bot.0, "my_chat_member", payload))
        }
    };
    app.changed();
    reply(json!({ "update_id": update_id }))
}

/// The group becomes a supergroup: the old id answers with
/// `migrate_to_chat_id`, and both chats get their migration message.
pub(crate) async fn migrate(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(id): Path<i64>,
) -> CtlResult {
    let now = app.clock.now_ms();
    let new_id = -SUPERGROUP_BASE.saturating_add(id.saturating_abs());
    {
        let mut world = app.lock();
        let chats = &mut world.bots[bot.0].chats;
        let old = chats
            .get_mut(&id)
            .ok_or_else(|| CtlError::not_found(&format!("no group {id}")))?;
        if old.kind != ChatKind::Group || old.migrated_to.is_some() {
            return Err(CtlError::bad(
                "only a basic group that was not migrated can migrate",
            ));
        }
        old.migrated_to = Some(new_id);
        let by = old.members.first().copied().unwrap_or(SERVICE_USER);
        let mut supergroup = Chat::new(new_id, ChatKind::Supergroup, old.title.clone());
        supergroup.members = old.members.clone();
        supergroup.bot_admin = old.bot_admin;
        let to_msg = old.add(Sender::User(by), now, MsgBody::MigrateTo(new_id));
        let from_msg = supergroup.add(Sender::User(by), now, MsgBody::MigrateFrom(id));
        chats.insert(new_id, supergroup);
        world.user(by);
        for (chat_id, msg_id) in [(id, to_msg), (new_id, from_msg)] {
            let chat = &world.bots[bot.0].chats[&chat_id];
            let payload = message_json(
                Ctx::new(&app.bots[bot.0], &world),
                chat,
                &chat.messages[&msg_id],
            );
            world.push_update(bot.0, "message", payload);
        }
    }
    app.changed();
    reply(json!({ "new_id": new_id }))
}
