//! getMe, getChat, getChatMember, answerCallbackQuery, sendChatAction and
//! the bot command menu.

use serde_json::{Value, json};

use super::params::ChatRef;
use super::resolve::{Purpose, chat_id};
use super::{ApiError, Call, MethodResult};
use crate::json::{Ctx, bot_json, bot_status, chat_full_json, me_json, member_json, user_json};
use crate::model::CallbackAnswer;
use crate::state::{Chat, ChatKind};

pub(crate) fn get_me(call: &Call<'_>) -> MethodResult {
    Ok(me_json(&call.app.bots[call.bot]))
}

/// The chat a read-only call addresses; a known user's private chat exists
/// for reading even before they wrote to the bot.
fn readable_chat(call: &Call<'_>) -> Result<Chat, ApiError> {
    let chat_ref = call.params.chat()?;
    let world = call.app.lock();
    let id = match &chat_ref {
        ChatRef::Id(id) => *id,
        ChatRef::Username(_) => chat_id(&world, call.bot, &chat_ref, Purpose::Manage)?,
    };
    match world.bots[call.bot].chats.get(&id) {
        Some(chat) => match chat.migrated_to {
            Some(to) => Err(ApiError::migrated(to)),
            None => Ok(chat.clone()),
        },
        None if id > 0 && world.users.contains_key(&id) => {
            Ok(Chat::new(id, ChatKind::Private, None))
        }
        None => Err(ApiError::chat_not_found()),
    }
}

pub(crate) fn get_chat(call: &Call<'_>) -> MethodResult {
    let chat = readable_chat(call)?;
    let world = call.app.lock();
    Ok(chat_full_json(
        Ctx::new(&call.app.bots[call.bot], &world),
        &chat,
    ))
}

pub(crate) fn get_chat_member(call: &Call<'_>) -> MethodResult {
    let chat = readable_chat(call)?;
    let user_id = call
        .params
        .int("user_id", "invalid user_id specified")?
        .ok_or_else(|| ApiError::bad_request("invalid user_id specified"))?;
    let bot = &call.app.bots[call.bot];
    if user_id == bot.id {
        return Ok(member_json(bot_json(bot), bot_status(&chat)));
    }
    let world = call.app.lock();
    let user = world
        .users
        .get(&user_id)
        .ok_or_else(|| ApiError::bad_request("user not found"))?;
    let status = match chat.kind {
        ChatKind::Private if user_id == chat.id => "member",
        ChatKind::Private => return Err(ApiError::bad_request("user not found")),
        _ if chat.members.first() == Some(&user_id) => "creator",
        _ if chat.members.contains(&user_id) => "member",
        _ => "left",
    };
    Ok(member_json(user_json(user), status))
}

pub(crate) fn answer_callback_query(call: &Call<'_>) -> MethodResult {
    let p = &call.params;
    let id = p.str("callback_query_id").unwrap_or_default();
    let now = call.app.clock.now_ms();
    let mut world = call.app.lock();
    let query = world.bots[call.bot]
        .callbacks
        .get_mut(&id)
        .filter(|q| q.answer.is_none())
        .ok_or_else(|| {
            ApiError::bad_request(
                "query is too old and response timeout expired or query ID is invalid",
            )
        })?;
    query.answer = Some(CallbackAnswer {
        text: p.str("text").filter(|t| !t.is_empty()),
        show_alert: p.bool("show_alert"),
        url: p.str("url").filter(|u| !u.is_empty()),
        at_ms: now,
    });
    Ok(Value::Bool(true))
}

pub(crate) fn send_chat_action(call: &Call<'_>) -> MethodResult {
    let chat_ref = call.params.chat()?;
    let world = call.app.lock();
    chat_id(&world, call.bot, &chat_ref, Purpose::Send)?;
    Ok(Value::Bool(true))
}

/// Commands are kept per scope and language, like Telegram does.
fn commands_key(call: &Call<'_>) -> String {
    let scope = call
        .params
        .json("scope")
        .ok()
        .flatten()
        .unwrap_or_else(|| json!({ "type": "default" }));
    let language = call.params.str("language_code").unwrap_or_default();
    format!("{scope}|{language}")
}

fn valid_command(command: &Value) -> bool {
    let name = command.get("command").and_then(Value::as_str).unwrap_or("");
    let description = command
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && (1..=256).contains(&description.chars().count())
}

pub(crate) fn set_my_commands(call: &Call<'_>) -> MethodResult {
    let commands = match call.params.json("commands") {
        Ok(Some(Value::Array(items))) => items,
        _ => return Err(ApiError::bad_request("can't parse commands JSON object")),
    };
    if commands.len() > 100 || !commands.iter().all(valid_command) {
        return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
    }
    let key = commands_key(call);
    let mut world = call.app.lock();
    world.bots[call.bot]
        .commands
        .insert(key, Value::Array(commands));
    Ok(Value::Bool(true))
}

pub(crate) fn delete_my_commands(call: &Call<'_>) -> MethodResult {
    let key = commands_key(call);
    call.app.lock().bots[call.bot].commands.remove(&key);
    Ok(Value::Bool(true))
}

pub(crate) fn get_my_commands(call: &Call<'_>) -> MethodResult {
    let key = commands_key(call);
    let world = call.app.lock();
    Ok(world.bots[call.bot]
        .commands
        .get(&key)
        .cloned()
        .unwrap_or_else(|| json!([])))
}
