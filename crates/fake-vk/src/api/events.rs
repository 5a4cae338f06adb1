//! `messages.sendMessageEventAnswer`: the community's answer to a callback
//! button press. A press (`message_event`) can be answered once, within a
//! minute of the press (emulator clock); otherwise VK answers error 100
//! "invalid event_id".

use serde_json::{Map, Value, json};

use super::{Call, MethodResult, VkError};
use crate::model::EventAnswer;

/// How long a `message_event` can be answered.
pub(crate) const EVENT_LIFETIME_MS: i64 = 60_000;

/// Longest snackbar text, in characters.
const MAX_SNACKBAR: usize = 90;

/// `event_data` is at most 1000 characters (API schema).
const MAX_EVENT_DATA: usize = 1000;

pub(crate) fn answer(call: &Call<'_>) -> MethodResult {
    let p = call.params;
    let event_id = p
        .get("event_id")
        .ok_or_else(|| VkError::param("event_id is undefined"))?
        .to_owned();
    let user_id = p
        .int("user_id")?
        .ok_or_else(|| VkError::param("user_id is undefined"))?;
    let peer_id = p
        .int("peer_id")?
        .ok_or_else(|| VkError::param("peer_id is undefined"))?;
    let data = p.get("event_data").map(event_data).transpose()?;
    let now = call.app.clock.now_ms();
    let mut world = call.app.lock();
    let group = &mut world.groups[call.group];
    let callback = group
        .callbacks
        .get_mut(&event_id)
        .filter(|c| c.user_id == user_id && c.peer_id == peer_id)
        .filter(|c| !c.answered && now - c.created_ms <= EVENT_LIFETIME_MS)
        .ok_or_else(|| VkError::param("invalid event_id"))?;
    callback.answered = true;
    let field = |key: &str| {
        data.as_ref()
            .and_then(|d| d.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let number = |key: &str| {
        data.as_ref()
            .and_then(|d| d.get(key))
            .and_then(Value::as_i64)
    };
    group.answers.push(EventAnswer {
        event_id,
        user_id,
        peer_id,
        kind: field("type"),
        text: field("text"),
        link: field("link"),
        app_id: number("app_id"),
        owner_id: number("owner_id"),
        hash: field("hash"),
        at_ms: now,
    });
    Ok(json!(1))
}

/// Parses `event_data`: `{"type": "show_snackbar", "text"}` (at most 90
/// characters), `{"type": "open_link", "link"}` or `{"type": "open_app",
/// "app_id", "owner_id"?, "hash"?}`.
fn event_data(text: &str) -> Result<Map<String, Value>, VkError> {
    let invalid = || VkError::param("event_data is invalid");
    if text.chars().count() > MAX_EVENT_DATA {
        return Err(invalid());
    }
    let Ok(Value::Object(data)) = serde_json::from_str::<Value>(text) else {
        return Err(invalid());
    };
    let str_of = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or("");
    let valid = match str_of("type") {
        "show_snackbar" => {
            let text = str_of("text");
            !text.is_empty() && text.chars().count() <= MAX_SNACKBAR
        }
        "open_link" => {
            let link = str_of("link");
            link.starts_with("https://") || link.starts_with("http://")
        }
        "open_app" => data.get("app_id").is_some_and(Value::is_i64),
        _ => false,
    };
    if valid { Ok(data) } else { Err(invalid()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_data_is_checked_per_type() {
        assert!(event_data(r#"{"type":"show_snackbar","text":"Готово"}"#).is_ok());
        let long = format!(r#"{{"type":"show_snackbar","text":"{}"}}"#, "x".repeat(91));
        assert!(event_data(&long).is_err());
        assert!(event_data(r#"{"type":"open_link","link":"https://vk.com"}"#).is_ok());
        assert!(event_data(r#"{"type":"open_link","link":"vk.com"}"#).is_err());
        assert!(event_data(r#"{"type":"open_app","app_id":6232540}"#).is_ok());
        assert!(event_data(r#"{"type":"vibrate"}"#).is_err());
        assert!(event_data("[]").is_err());
    }
}
