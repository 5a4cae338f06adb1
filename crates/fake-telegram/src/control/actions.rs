//! What people do in chats: type text (commands included), share their
//! contact, send a photo. Each action stores the message and queues a
//! `message` update for the bot.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;

use super::{Body, Bot, CtlError, CtlResult, reply};
use crate::json::{Ctx, message_json, my_chat_member_json};
use crate::model::{SentPhoto, SentUpdate};
use crate::state::{App, Body as MsgBody, FileKind, Sender, World};
use crate::text::{FormattedText, command_entities};

/// A 16×16 orange PNG: the photo people send.
const PHOTO: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0xd, 0xa, 0x1a, 0xa, 0x0, 0x0, 0x0, 0xd, 0x49, 0x48, 0x44, 0x52, 0x0,
    0x0, 0x0, 0x10, 0x0, 0x0, 0x0, 0x10, 0x8, 0x2, 0x0, 0x0, 0x0, 0x90, 0x91, 0x68, 0x36, 0x0, 0x0,
    0x0, 0x16, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x78, 0xd1, 0x65, 0x43, 0x12, 0x62, 0x18,
    0xd5, 0x30, 0xaa, 0x61, 0xf8, 0x6a, 0x0, 0x0, 0x45, 0xad, 0xae, 0x10, 0xa5, 0x17, 0x5c, 0xda,
    0x0, 0x0, 0x0, 0x0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

const MAX_TEXT: usize = 4096;

/// Makes sure `from` can write in `chat_id` and returns the sender: a
/// private chat is created on first use (and a blocked bot is restarted);
/// a group must exist and gains the sender as a member.
pub(crate) fn enter_chat(
    app: &App,
    world: &mut World,
    bot: usize,
    chat_id: i64,
    from: Option<i64>,
) -> Result<i64, CtlError> {
    if chat_id > 0 {
        let from = from.unwrap_or(chat_id);
        if from != chat_id {
            return Err(CtlError::bad(
                "in a private chat, `from` must be the chat id",
            ));
        }
        let chat = world.private_chat(bot, chat_id);
        if chat.blocked {
            chat.blocked = false;
            let chat = &world.bots[bot].chats[&chat_id];
            let payload = my_chat_member_json(
                Ctx::new(&app.bots[bot], world),
                chat,
                from,
                "kicked",
                "member",
                app.clock.now_s(),
            );
            world.push_update(bot, "my_chat_member", payload);
        }
        return Ok(from);
    }
    let from = from.ok_or_else(|| CtlError::bad("`from` is required in a group"))?;
    if from <= 0 {
        return Err(CtlError::bad("`from` must be a user id"));
    }
    world.user(from);
    let chat = world.bots[bot]
        .chats
        .get_mut(&chat_id)
        .ok_or_else(|| CtlError::not_found(&format!("no chat {chat_id}")))?;
    if let Some(to) = chat.migrated_to {
        return Err(CtlError::new(
            StatusCode::CONFLICT,
            "the group was migrated to a supergroup",
        )
        .with("migrated_to", json!(to)));
    }
    if !chat.members.contains(&from) {
        chat.members.push(from);
    }
    Ok(from)
}

/// Stores a user's message and queues its update.
fn post(
    app: &App,
    world: &mut World,
    bot: usize,
    chat_id: i64,
    from: i64,
    body: MsgBody,
) -> SentUpdate {
    let now = app.clock.now_ms();
    let Some(chat) = world.bots[bot].chats.get_mut(&chat_id) else {
        return SentUpdate {
            update_id: 0,
            message_id: 0,
        };
    };
    let message_id = chat.add(Sender::User(from), now, body);
    let chat = &world.bots[bot].chats[&chat_id];
    let payload = message_json(
        Ctx::new(&app.bots[bot], world),
        chat,
        &chat.messages[&message_id],
    );
    let update_id = world.push_update(bot, "message", payload);
    SentUpdate {
        update_id,
        message_id,
    }
}

#[derive(Deserialize)]
pub(crate) struct TextBody {
    from: Option<i64>,
    text: String,
}

pub(crate) async fn send_text(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(chat_id): Path<i64>,
    Body(body): Body<TextBody>,
) -> CtlResult {
    let text = FormattedText::plain(&body.text).trimmed();
    if text.text.is_empty() {
        return Err(CtlError::bad("text is empty"));
    }
    if text.char_len() > MAX_TEXT {
        return Err(CtlError::bad("text is longer than 4096 characters"));
    }
    let text = FormattedText {
        entities: command_entities(&text.text),
        text: text.text,
    };
    let sent = {
        let mut world = app.lock();
        let from = enter_chat(&app, &mut world, bot.0, chat_id, body.from)?;
        post(&app, &mut world, bot.0, chat_id, from, MsgBody::Text(text))
    };
    app.changed();
    reply(sent)
}

#[derive(Deserialize)]
pub(crate) struct ContactBody {
    from: Option<i64>,
    phone_number: String,
    /// Whose contact it is: the sender's own by default; another user's id,
    /// or `0` for a phone-book entry that is not a Telegram user.
    #[serde(default)]
    user_id: Option<i64>,
}

pub(crate) async fn share_contact(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(chat_id): Path<i64>,
    Body(body): Body<ContactBody>,
) -> CtlResult {
    if body.phone_number.trim().is_empty() {
        return Err(CtlError::bad("phone_number is empty"));
    }
    let sent = {
        let mut world = app.lock();
        let from = enter_chat(&app, &mut world, bot.0, chat_id, body.from)?;
        let owner = body.user_id.unwrap_or(from);
        let user = world.user(if owner == 0 { from } else { owner }).clone();
        let contact = MsgBody::Contact {
            phone_number: body.phone_number.trim().to_owned(),
            first_name: user.first_name,
            last_name: user.last_name,
            user_id: (owner != 0).then_some(owner),
        };
        post(&app, &mut world, bot.0, chat_id, from, contact)
    };
    app.changed();
    reply(sent)
}

#[derive(Deserialize)]
pub(crate) struct PhotoBody {
    from: Option<i64>,
    caption: Option<String>,
}

pub(crate) async fn send_photo(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(chat_id): Path<i64>,
    Body(body): Body<PhotoBody>,
) -> CtlResult {
    let caption = FormattedText::plain(body.caption.as_deref().unwrap_or("")).trimmed();
    if caption.char_len() > 1024 {
        return Err(CtlError::bad("caption is longer than 1024 characters"));
    }
    let sent = {
        let mut world = app.lock();
        let from = enter_chat(&app, &mut world, bot.0, chat_id, body.from)?;
        let file_id = world.store_file(
            FileKind::Photo,
            Bytes::from_static(PHOTO),
            Some("photo.png".into()),
            Some("image/png"),
        );
        let sent = post(
            &app,
            &mut world,
            bot.0,
            chat_id,
            from,
            MsgBody::Photo {
                file_id: file_id.clone(),
                caption,
            },
        );
        SentPhoto {
            update_id: sent.update_id,
            message_id: sent.message_id,
            file_id,
        }
    };
    app.changed();
    reply(sent)
}
