//! sendMessage, editMessageText/Caption/ReplyMarkup, deleteMessage and
//! pinning.

use serde_json::Value;

use super::resolve::{Purpose, chat_id, formatted, message_id, reply_markup, take_rate};
use super::{ApiError, Call, MethodResult, Params};
use crate::json::{Ctx, message_json};
use crate::markup::{InlineKeyboard, Markup};
use crate::state::{Body, ChatKind, Sender, World};

const MAX_TEXT: usize = 4096;
const MAX_CAPTION: usize = 1024;
const DELETE_WINDOW_MS: i64 = 48 * 3600 * 1000;

const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/// Stores a bot message (applying its markup) and returns its JSON.
pub(crate) fn deliver(
    world: &mut World,
    call: &Call<'_>,
    chat_id: i64,
    body: Body,
    markup: Option<Markup>,
    reply_to: Option<i64>,
) -> Value {
    let now = call.app.clock.now_ms();
    let bot = call.bot;
    let Some(chat) = world.bots[bot].chats.get_mut(&chat_id) else {
        return Value::Null;
    };
    let id = chat.add(Sender::Bot, now, body);
    match markup {
        Some(Markup::Inline(keyboard)) => {
            if let Some(msg) = chat.messages.get_mut(&id) {
                msg.markup = non_empty(keyboard);
            }
        }
        Some(Markup::Reply(keyboard)) => chat.reply_keyboard = Some(keyboard),
        Some(Markup::RemoveReply) => chat.reply_keyboard = None,
        Some(Markup::ForceReply) | None => {}
    }
    if let Some(msg) = chat.messages.get_mut(&id) {
        msg.reply_to = reply_to.filter(|r| *r != id);
    }
    let chat = &world.bots[bot].chats[&chat_id];
    message_json(
        Ctx::new(&call.app.bots[bot], world),
        chat,
        &chat.messages[&id],
    )
}

fn non_empty(keyboard: InlineKeyboard) -> Option<InlineKeyboard> {
    (!keyboard.is_empty()).then_some(keyboard)
}

/// `reply_to_message_id` or `reply_parameters`, checked against the chat.
pub(crate) fn reply_target(
    params: &Params,
    world: &World,
    bot: usize,
    chat_id: i64,
) -> Result<Option<i64>, ApiError> {
    let mut target = params.int("reply_to_message_id", "message to be replied not found")?;
    let mut allow_missing = params.bool("allow_sending_without_reply");
    if let Ok(Some(reply)) = params.json("reply_parameters") {
        target = reply.get("message_id").and_then(Value::as_i64).or(target);
        allow_missing |= reply
            .get("allow_sending_without_reply")
            .and_then(Value::as_bool)
            == Some(true);
    }
    let Some(target) = target else {
        return Ok(None);
    };
    let exists = world.bots[bot]
        .chats
        .get(&chat_id)
        .is_some_and(|c| c.messages.contains_key(&target));
    match (exists, allow_missing) {
        (true, _) => Ok(Some(target)),
        (false, true) => Ok(None),
        (false, false) => Err(ApiError::bad_request("message to be replied not found")),
    }
}

pub(crate) fn send_message(call: &Call<'_>) -> MethodResult {
    let p = &call.params;
    let chat_ref = p.chat()?;
    let text = formatted(p, "text", "entities")?;
    match text.char_len() {
        0 => return Err(ApiError::bad_request("message text is empty")),
        n if n > MAX_TEXT => return Err(ApiError::bad_request("message is too long")),
        _ => {}
    }
    let markup = reply_markup(p)?;
    let mut world = call.app.lock();
    let chat_id = chat_id(&world, call.bot, &chat_ref, Purpose::Send)?;
    let reply_to = reply_target(p, &world, call.bot, chat_id)?;
    take_rate(&mut world, call.bot, chat_id, call.app.clock.now_ms())?;
    Ok(deliver(
        &mut world,
        call,
        chat_id,
        Body::Text(text),
        markup,
        reply_to,
    ))
}

/// The new inline keyboard of an edit: none when the parameter is absent.
fn edited_keyboard(params: &Params) -> Result<Option<InlineKeyboard>, ApiError> {
    match reply_markup(params)? {
        None => Ok(None),
        Some(Markup::Inline(keyboard)) => Ok(non_empty(keyboard)),
        Some(_) => Err(ApiError::bad_request("inline keyboard expected")),
    }
}

fn edit_target(call: &Call<'_>) -> Result<(crate::api::params::ChatRef, i64), ApiError> {
    let p = &call.params;
    let Some(chat_ref) = p.chat_opt()? else {
        if p.has("inline_message_id") {
            return Err(ApiError::bad_request("MESSAGE_ID_INVALID"));
        }
        return Err(ApiError::bad_request("chat_id is empty"));
    };
    Ok((chat_ref, message_id(p)?))
}

/// editMessageText (`caption = false`) and editMessageCaption.
pub(crate) fn edit_text(call: &Call<'_>, caption: bool) -> MethodResult {
    let p = &call.params;
    let (chat_ref, id) = edit_target(call)?;
    let new_text = if caption {
        let text = formatted(p, "caption", "caption_entities")?;
        if text.char_len() > MAX_CAPTION {
            return Err(ApiError::bad_request("message caption is too long"));
        }
        text
    } else {
        let text = formatted(p, "text", "entities")?;
        match text.char_len() {
            0 => return Err(ApiError::bad_request("message text is empty")),
            n if n > MAX_TEXT => return Err(ApiError::bad_request("MESSAGE_TOO_LONG")),
            _ => {}
        }
        text
    };
    let keyboard = edited_keyboard(p)?;
    let now = call.app.clock.now_ms();
    let mut world = call.app.lock();
    let chat_id = chat_id(&world, call.bot, &chat_ref, Purpose::Edit)?;
    let chat = &world.bots[call.bot].chats[&chat_id];
    let msg = chat
        .messages
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if msg.from != Sender::Bot {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    let new_body = match (&msg.body, caption) {
        (Body::Text(_), false) => Body::Text(new_text),
        (Body::Photo { file_id, .. }, true) => Body::Photo {
            file_id: file_id.clone(),
            caption: new_text,
        },
        (Body::Document { file_id, .. }, true) => Body::Document {
            file_id: file_id.clone(),
            caption: new_text,
        },
        (_, false) => {
            return Err(ApiError::bad_request(
                "there is no text in the message to edit",
            ));
        }
        (_, true) => {
            return Err(ApiError::bad_request(
                "there is no caption in the message to edit",
            ));
        }
    };
    if new_body == msg.body && keyboard == msg.markup {
        return Err(ApiError::bad_request(NOT_MODIFIED));
    }
    take_rate(&mut world, call.bot, chat_id, now)?;
    apply_edit(&mut world, call, chat_id, id, Some(new_body), keyboard, now)
}

pub(crate) fn edit_reply_markup(call: &Call<'_>) -> MethodResult {
    let (chat_ref, id) = edit_target(call)?;
    let keyboard = edited_keyboard(&call.params)?;
    let now = call.app.clock.now_ms();
    let mut world = call.app.lock();
    let chat_id = chat_id(&world, call.bot, &chat_ref, Purpose::Edit)?;
    let chat = &world.bots[call.bot].chats[&chat_id];
    let msg = chat
        .messages
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if msg.from != Sender::Bot {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    if keyboard == msg.markup {
        return Err(ApiError::bad_request(NOT_MODIFIED));
    }
    take_rate(&mut world, call.bot, chat_id, now)?;
    apply_edit(&mut world, call, chat_id, id, None, keyboard, now)
}

fn apply_edit(
    world: &mut World,
    call: &Call<'_>,
    chat_id: i64,
    id: i64,
    body: Option<Body>,
    keyboard: Option<InlineKeyboard>,
    now: i64,
) -> MethodResult {
    let chat = world.bots[call.bot]
        .chats
        .get_mut(&chat_id)
        .ok_or_else(ApiError::chat_not_found)?;
    let msg = chat
        .messages
        .get_mut(&id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if let Some(body) = body {
        msg.body = body;
    }
    msg.markup = keyboard;
    msg.edit_date_ms = Some(now);
    let chat = &world.bots[call.bot].chats[&chat_id];
    Ok(message_json(
        Ctx::new(&call.app.bots[call.bot], world),
        chat,
        &chat.messages[&id],
    ))
}

pub(crate) fn delete_message(call: &Call<'_>) -> MethodResult {
    let p = &call.params;
    let chat_ref = p.chat()?;
    let id = message_id(p)?;
    let now = call.app.clock.now_ms();
    let mut world = call.app.lock();
    let chat_id = chat_id(&world, call.bot, &chat_ref, Purpose::Manage)?;
    let chat = world.bots[call.bot]
        .chats
        .get_mut(&chat_id)
        .ok_or_else(ApiError::chat_not_found)?;
    let msg = chat
        .messages
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("message to delete not found"))?;
    if now - msg.date_ms > DELETE_WINDOW_MS {
        return Err(ApiError::bad_request(
            "message can't be deleted for everyone",
        ));
    }
    if chat.kind != ChatKind::Private && !chat.bot_admin && msg.from != Sender::Bot {
        return Err(ApiError::bad_request("message can't be deleted"));
    }
    chat.messages.remove(&id);
    chat.pinned.retain(|p| *p != id);
    Ok(Value::Bool(true))
}

fn pin_rights(world: &World, bot: usize, chat_id: i64) -> Result<(), ApiError> {
    let chat = &world.bots[bot].chats[&chat_id];
    if chat.kind != ChatKind::Private && !chat.bot_admin {
        return Err(ApiError::bad_request(
            "not enough rights to manage pinned messages in the chat",
        ));
    }
    Ok(())
}

pub(crate) fn pin(call: &Call<'_>) -> MethodResult {
    let p = &call.params;
    let chat_ref = p.chat()?;
    let id = message_id(p)?;
    let mut world = call.app.lock();
    let chat_id = chat_id(&world, call.bot, &chat_ref, Purpose::Manage)?;
    pin_rights(&world, call.bot, chat_id)?;
    let chat = world.bots[call.bot]
        .chats
        .get_mut(&chat_id)
        .ok_or_else(ApiError::chat_not_found)?;
    if !chat.messages.contains_key(&id) {
        return Err(ApiError::bad_request("message to pin not found"));
    }
    chat.pinned.retain(|p| *p != id);
    chat.pinned.push(id);
    Ok(Value::Bool(true))
}

/// unpinChatMessage (`all = false`) and unpinAllChatMessages.
pub(crate) fn unpin(call: &Call<'_>, all: bool) -> MethodResult {
    let p = &call.params;
    let chat_ref = p.chat()?;
    let id = if all {
        None
    } else {
        p.int("message_id", "message to unpin not found")?
    };
    let mut world = call.app.lock();
    let chat_id = chat_id(&world, call.bot, &chat_ref, Purpose::Manage)?;
    pin_rights(&world, call.bot, chat_id)?;
    let chat = world.bots[call.bot]
        .chats
        .get_mut(&chat_id)
        .ok_or_else(ApiError::chat_not_found)?;
    match (all, id) {
        (true, _) => chat.pinned.clear(),
        (false, Some(id)) => {
            if !chat.messages.contains_key(&id) {
                return Err(ApiError::bad_request("message to unpin not found"));
            }
            chat.pinned.retain(|p| *p != id);
        }
        (false, None) => {
            chat.pinned.pop();
        }
    }
    Ok(Value::Bool(true))
}
