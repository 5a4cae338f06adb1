//! Telegram objects (User, Chat, Message, ChatMember, ...) written from the
//! Bot API documentation, with every field typed clients require.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use crate::BotSpec;
use crate::markup::inline_json;
use crate::state::{Body, Chat, ChatKind, Msg, Sender, StoredFile, User, World};
use crate::text::FormattedText;

/// What message JSON needs to know besides the message.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub bot: &'a BotSpec,
    pub users: &'a BTreeMap<i64, User>,
    pub files: &'a HashMap<String, StoredFile>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(bot: &'a BotSpec, world: &'a World) -> Self {
        Self {
            bot,
            users: &world.users,
            files: &world.files,
        }
    }
}

pub(crate) fn user_json(user: &User) -> Value {
    let mut obj = json!({ "id": user.id, "is_bot": false, "first_name": user.first_name });
    put(&mut obj, "last_name", user.last_name.clone());
    put(&mut obj, "username", user.username.clone());
    put(&mut obj, "language_code", user.language_code.clone());
    obj
}

pub(crate) fn user_json_by_id(users: &BTreeMap<i64, User>, id: i64) -> Value {
    match users.get(&id) {
        Some(user) => user_json(user),
        None => user_json(&User::from(id)),
    }
}

pub(crate) fn bot_json(bot: &BotSpec) -> Value {
    json!({
        "id": bot.id,
        "is_bot": true,
        "first_name": bot.first_name,
        "username": bot.username,
    })
}

/// `getMe`.
pub(crate) fn me_json(bot: &BotSpec) -> Value {
    let mut me = bot_json(bot);
    let extra = json!({
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": false,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    });
    merge(&mut me, extra);
    me
}

pub(crate) fn chat_json(chat: &Chat, users: &BTreeMap<i64, User>) -> Value {
    let mut obj = json!({ "id": chat.id, "type": chat.kind.as_str() });
    match chat.kind {
        ChatKind::Private => {
            let user = users
                .get(&chat.id)
                .cloned()
                .unwrap_or_else(|| User::from(chat.id));
            obj["first_name"] = json!(user.first_name);
            put(&mut obj, "last_name", user.last_name);
            put(&mut obj, "username", user.username);
        }
        ChatKind::Group | ChatKind::Supergroup => {
            obj["title"] = json!(chat.title.clone().unwrap_or_default());
        }
    }
    obj
}

/// `getChat`: ChatFullInfo.
pub(crate) fn chat_full_json(ctx: Ctx<'_>, chat: &Chat) -> Value {
    let mut obj = chat_json(chat, ctx.users);
    let extra = json!({
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": true,
            "limited_gifts": true,
            "unique_gifts": true,
            "premium_subscription": true,
        },
    });
    merge(&mut obj, extra);
    if chat.kind != ChatKind::Private {
        obj["permissions"] = json!({
            "can_send_messages": true,
            "can_send_photos": true,
            "can_send_documents": true,
            "can_invite_users": true,
            "can_pin_messages": false,
        });
    }
    if let Some(pinned) = chat.pinned_id().and_then(|id| chat.messages.get(&id)) {
        obj["pinned_message"] = message_json(ctx, chat, pinned);
    }
    obj
}

pub(crate) fn message_json(ctx: Ctx<'_>, chat: &Chat, msg: &Msg) -> Value {
    let mut obj = shallow_message_json(ctx, chat, msg);
    if let Some(reply) = msg.reply_to.and_then(|id| chat.messages.get(&id)) {
        obj["reply_to_message"] = shallow_message_json(ctx, chat, reply);
    }
    obj
}

fn shallow_message_json(ctx: Ctx<'_>, chat: &Chat, msg: &Msg) -> Value {
    let from = match msg.from {
        Sender::Bot => bot_json(ctx.bot),
        Sender::User(id) => user_json_by_id(ctx.users, id),
    };
    let mut obj = json!({
        "message_id": msg.id,
        "from": from,
        "chat": chat_json(chat, ctx.users),
        "date": msg.date_ms.div_euclid(1000),
    });
    if let Some(edit) = msg.edit_date_ms {
        obj["edit_date"] = json!(edit.div_euclid(1000));
    }
    match &msg.body {
        Body::Text(text) => {
            obj["text"] = json!(text.text);
            if !text.entities.is_empty() {
                obj["entities"] = text.entities_json();
            }
        }
        Body::Photo { file_id, caption } => {
            obj["photo"] = ctx
                .files
                .get(file_id)
                .map(photo_sizes_json)
                .unwrap_or(json!([]));
            put_caption(&mut obj, caption);
        }
        Body::Document { file_id, caption } => {
            if let Some(file) = ctx.files.get(file_id) {
                obj["document"] = document_json(file);
            }
            put_caption(&mut obj, caption);
        }
        Body::Contact {
            phone_number,
            first_name,
            last_name,
            user_id,
        } => {
            let mut contact = json!({ "phone_number": phone_number, "first_name": first_name });
            put(&mut contact, "last_name", last_name.clone());
            put(&mut contact, "user_id", *user_id);
            obj["contact"] = contact;
        }
        Body::MigrateTo(id) => obj["migrate_to_chat_id"] = json!(id),
        Body::MigrateFrom(id) => obj["migrate_from_chat_id"] = json!(id),
    }
    if let Some(markup) = &msg.markup {
        obj["reply_markup"] = inline_json(markup);
    }
    obj
}

fn put_caption(obj: &mut Value, caption: &FormattedText) {
    if caption.text.is_empty() {
        return;
    }
    obj["caption"] = json!(caption.text);
    if !caption.entities.is_empty() {
        obj["caption_entities"] = caption.entities_json();
    }
}

pub(crate) fn photo_sizes_json(file: &StoredFile) -> Value {
    json!([{
        "file_id": file.file_id,
        "file_unique_id": file.unique_id,
        "file_size": file.bytes.len(),
        "width": file.width,
        "height": file.height,
    }])
}

pub(crate) fn document_json(file: &StoredFile) -> Value {
    let mut obj = json!({
        "file_id": file.file_id,
        "file_unique_id": file.unique_id,
        "file_size": file.bytes.len(),
        "mime_type": file.mime_type,
    });
    put(&mut obj, "file_name", file.file_name.clone());
    obj
}

/// `getFile`.
pub(crate) fn file_json(file: &StoredFile) -> Value {
    json!({
        "file_id": file.file_id,
        "file_unique_id": file.unique_id,
        "file_size": file.bytes.len(),
        "file_path": file.path,
    })
}

/// A ChatMember object with `status` = creator, administrator, member, left
/// or kicked.
pub(crate) fn member_json(user: Value, status: &str) -> Value {
    let mut obj = json!({ "user": user, "status": status });
    let extra = match status {
        "creator" => json!({ "is_anonymous": false }),
        "administrator" => json!({
            "can_be_edited": false,
            "is_anonymous": false,
            "can_manage_chat": true,
            "can_delete_messages": true,
            "can_manage_video_chats": true,
            "can_restrict_members": true,
            "can_promote_members": false,
            "can_change_info": true,
            "can_invite_users": true,
            "can_post_stories": false,
            "can_edit_stories": false,
            "can_delete_stories": false,
            "can_pin_messages": true,
        }),
        "kicked" => json!({ "until_date": 0 }),
        _ => json!({}),
    };
    merge(&mut obj, extra);
    obj
}

/// The bot's own status in a chat.
pub(crate) fn bot_status(chat: &Chat) -> &'static str {
    if chat.blocked {
        "kicked"
    } else if chat.kind != ChatKind::Private && chat.bot_admin {
        "administrator"
    } else {
        "member"
    }
}

/// A `my_chat_member` payload: the bot's status changed from `old` to `new`.
pub(crate) fn my_chat_member_json(
    ctx: Ctx<'_>,
    chat: &Chat,
    by: i64,
    old: &str,
    new: &str,
    date_s: i64,
) -> Value {
    json!({
        "chat": chat_json(chat, ctx.users),
        "from": user_json_by_id(ctx.users, by),
        "date": date_s,
        "old_chat_member": member_json(bot_json(ctx.bot), old),
        "new_chat_member": member_json(bot_json(ctx.bot), new),
    })
}

fn put<T: Into<Value>>(obj: &mut Value, key: &str, value: Option<T>) {
    if let Some(value) = value {
        obj[key] = value.into();
    }
}

fn merge(obj: &mut Value, extra: Value) {
    if let (Value::Object(target), Value::Object(source)) = (obj, extra) {
        let source: Map<String, Value> = source;
        target.extend(source);
    }
}
