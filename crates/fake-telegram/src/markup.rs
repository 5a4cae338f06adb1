//! `reply_markup`: inline keyboards (validated like Telegram) and reply
//! keyboards (remembered per chat for the demo page and tests).

use serde_json::{Map, Value, json};

use crate::api::ApiError;

/// One inline keyboard button, as the bot sent it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Button {
    pub text: String,
    pub callback_data: Option<String>,
    pub url: Option<String>,
    /// The whole button object as it will be echoed back in messages.
    pub raw: Map<String, Value>,
}

pub(crate) type InlineKeyboard = Vec<Vec<Button>>;

/// A reply keyboard button (`KeyboardButton`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KeyButton {
    pub text: String,
    pub request_contact: bool,
}

/// What a `reply_markup` parameter asks for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Markup {
    Inline(InlineKeyboard),
    Reply(Vec<Vec<KeyButton>>),
    RemoveReply,
    ForceReply,
}

const ACTIONS: &[&str] = &[
    "url",
    "callback_data",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "web_app",
    "copy_text",
    "callback_game",
    "pay",
];

fn bad(desc: &str) -> ApiError {
    ApiError::bad_request(desc)
}

/// Parses and validates a `reply_markup` value.
pub(crate) fn parse(value: &Value) -> Result<Markup, ApiError> {
    let obj = value
        .as_object()
        .ok_or_else(|| bad("can't parse reply keyboard markup JSON object"))?;
    if let Some(rows) = obj.get("inline_keyboard") {
        return parse_inline(rows).map(Markup::Inline);
    }
    if let Some(rows) = obj.get("keyboard") {
        return parse_reply(rows).map(Markup::Reply);
    }
    if obj.get("remove_keyboard").and_then(Value::as_bool) == Some(true) {
        return Ok(Markup::RemoveReply);
    }
    if obj.get("force_reply").and_then(Value::as_bool) == Some(true) {
        return Ok(Markup::ForceReply);
    }
    Err(bad("can't parse reply keyboard markup JSON object"))
}

fn parse_inline(rows: &Value) -> Result<InlineKeyboard, ApiError> {
    let rows = rows.as_array().ok_or_else(|| {
        bad("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")
    })?;
    let mut keyboard = Vec::new();
    for row in rows {
        let row = row.as_array().ok_or_else(|| {
            bad("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")
        })?;
        let mut buttons = Vec::new();
        for button in row {
            buttons.push(parse_button(button)?);
        }
        if !buttons.is_empty() {
            keyboard.push(buttons);
        }
    }
    Ok(keyboard)
}

fn parse_button(value: &Value) -> Result<Button, ApiError> {
    let obj = value.as_object().ok_or_else(|| {
        bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    })?;
    let text = obj.get("text").and_then(Value::as_str).ok_or_else(|| {
        bad("can't parse inline keyboard button: Field \"text\" must be of type String")
    })?;
    if text.trim().is_empty() {
        return Err(bad("BUTTON_TEXT_INVALID"));
    }
    if !ACTIONS.iter().any(|a| obj.contains_key(*a)) {
        return Err(bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ));
    }
    let callback_data = match obj.get("callback_data") {
        None => None,
        Some(Value::String(data)) if (1..=64).contains(&data.len()) => Some(data.clone()),
        Some(_) => return Err(bad("BUTTON_DATA_INVALID")),
    };
    let url = match obj.get("url") {
        None => None,
        Some(Value::String(url)) if valid_button_url(url) => Some(url.clone()),
        Some(_) => return Err(bad("BUTTON_URL_INVALID")),
    };
    Ok(Button {
        text: text.to_owned(),
        callback_data,
        url,
        raw: obj.clone(),
    })
}

fn valid_button_url(url: &str) -> bool {
    reqwest::Url::parse(url)
        .map(|u| matches!(u.scheme(), "http" | "https" | "tg") && !url.contains(' '))
        .unwrap_or(false)
}

fn parse_reply(rows: &Value) -> Result<Vec<Vec<KeyButton>>, ApiError> {
    let rows = rows
        .as_array()
        .ok_or_else(|| bad("field \"keyboard\" of the ReplyKeyboardMarkup must be an Array"))?;
    let mut keyboard = Vec::new();
    for row in rows {
        let row = row.as_array().ok_or_else(|| {
            bad("field \"keyboard\" of the ReplyKeyboardMarkup must be an Array of Arrays")
        })?;
        let mut buttons = Vec::new();
        for button in row {
            let (text, request_contact) = match button {
                Value::String(text) => (text.clone(), false),
                Value::Object(obj) => (
                    obj.get("text")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad("can't parse keyboard button: Field \"text\" must be of type String"))?
                        .to_owned(),
                    obj.get("request_contact").and_then(Value::as_bool) == Some(true),
                ),
                _ => return Err(bad("can't parse keyboard button: KeyboardButton must be a String or an Object")),
            };
            if text.trim().is_empty() {
                return Err(bad("BUTTON_TEXT_INVALID"));
            }
            buttons.push(KeyButton {
                text,
                request_contact,
            });
        }
        if !buttons.is_empty() {
            keyboard.push(buttons);
        }
    }
    Ok(keyboard)
}

/// The `reply_markup` field of a Message object.
pub(crate) fn inline_json(keyboard: &InlineKeyboard) -> Value {
    let rows: Vec<Value> = keyboard
        .iter()
        .map(|row| {
            Value::Array(
                row.iter()
                    .map(|button| Value::Object(button.raw.clone()))
                    .collect(),
            )
        })
        .collect();
    json!({ "inline_keyboard": rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_data_must_be_1_to_64_bytes() {
        let ok = json!({"inline_keyboard": [[{"text": "a", "callback_data": "x".repeat(64)}]]});
        assert!(parse(&ok).is_ok());
        let long = json!({"inline_keyboard": [[{"text": "a", "callback_data": "x".repeat(65)}]]});
        assert_eq!(
            parse(&long).unwrap_err().description,
            "Bad Request: BUTTON_DATA_INVALID"
        );
        let empty = json!({"inline_keyboard": [[{"text": "a", "callback_data": ""}]]});
        assert!(parse(&empty).is_err());
    }

    #[test]
    fn text_only_buttons_are_refused() {
        let v = json!({"inline_keyboard": [[{"text": "a"}]]});
        assert!(
            parse(&v)
                .unwrap_err()
                .description
                .contains("Text buttons are unallowed")
        );
    }

    #[test]
    fn reply_keyboards_are_read() {
        let v = json!({"keyboard": [["Menu", {"text": "Share", "request_contact": true}]]});
        let Markup::Reply(rows) = parse(&v).unwrap() else {
            panic!()
        };
        assert!(rows[0][1].request_contact);
    }
}
