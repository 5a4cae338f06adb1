//! Checks shared by the methods: which chat a call addresses, formatted
//! text, reply markup and flood control.

use crate::api::params::ChatRef;
use crate::api::{ApiError, Params};
use crate::html;
use crate::markup::{self, Markup};
use crate::state::World;
use crate::text::{Entity, FormattedText};

/// Why a method addresses a chat; decides which refusals apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// A new message: refused when blocked or never started.
    Send,
    /// Changing a message: refused when blocked.
    Edit,
    /// Reading or housekeeping (delete, pin, getChat).
    Manage,
}

/// The id of the chat a call addresses, or Telegram's refusal.
pub(crate) fn chat_id(
    world: &World,
    bot: usize,
    chat: &ChatRef,
    purpose: Purpose,
) -> Result<i64, ApiError> {
    let id = match chat {
        ChatRef::Id(id) => *id,
        ChatRef::Username(name) => world
            .users
            .values()
            .find(|u| {
                u.username
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .map(|u| u.id)
            .ok_or_else(ApiError::chat_not_found)?,
    };
    let Some(chat) = world.bots[bot].chats.get(&id) else {
        if id > 0 && world.users.contains_key(&id) && purpose == Purpose::Send {
            return Err(ApiError::cant_initiate());
        }
        return Err(ApiError::chat_not_found());
    };
    if let Some(to) = chat.migrated_to {
        return Err(ApiError::migrated(to));
    }
    if chat.blocked && id < 0 {
        return Err(ApiError::kicked());
    }
    if chat.blocked && purpose != Purpose::Manage {
        return Err(ApiError::blocked());
    }
    Ok(id)
}

/// Text (or caption) with `parse_mode` / explicit entities applied and
/// surrounding whitespace trimmed, as Telegram stores it.
pub(crate) fn formatted(
    params: &Params,
    text_key: &str,
    entities_key: &str,
) -> Result<FormattedText, ApiError> {
    let raw = params.str(text_key).unwrap_or_default();
    let mode = params.str("parse_mode").unwrap_or_default();
    let parsed = match mode.to_ascii_lowercase().as_str() {
        "" => {
            let entities = match params.json(entities_key) {
                Ok(Some(serde_json::Value::Array(items))) => {
                    items.iter().filter_map(Entity::from_json).collect()
                }
                Ok(_) => Vec::new(),
                Err(_) => {
                    return Err(ApiError::bad_request("can't parse entities JSON object"));
                }
            };
            FormattedText {
                text: raw,
                entities,
            }
            .clip_entities()
        }
        "html" => html::parse(&raw).map_err(|e| ApiError::cant_parse_entities(&e))?,
        _ => return Err(ApiError::bad_request("unsupported parse_mode")),
    };
    Ok(parsed.trimmed())
}

/// The `reply_markup` parameter, validated.
pub(crate) fn reply_markup(params: &Params) -> Result<Option<Markup>, ApiError> {
    match params.json("reply_markup") {
        Ok(Some(value)) => markup::parse(&value).map(Some),
        Ok(None) => Ok(None),
        Err(_) => Err(ApiError::bad_request(
            "can't parse reply keyboard markup JSON object",
        )),
    }
}

/// Counts a sending call against the flood limits.
pub(crate) fn take_rate(
    world: &mut World,
    bot: usize,
    chat_id: i64,
    now_ms: i64,
) -> Result<(), ApiError> {
    let limits = world.limits;
    world.bots[bot]
        .rate
        .take(&limits, chat_id, now_ms)
        .map_err(ApiError::too_many_requests)
}

/// A required message id.
pub(crate) fn message_id(params: &Params) -> Result<i64, ApiError> {
    params
        .int("message_id", "message identifier is not specified")?
        .ok_or_else(|| ApiError::bad_request("message identifier is not specified"))
}
