//! VK objects as the API and the long poll serialise them, written from the
//! API schema (`messages_message`, `client_info_for_bots`).

use serde_json::{Value, json};

use crate::keyboard::Keyboard;
use crate::state::{Msg, Sender};

/// A `messages_message` object.
pub(crate) fn message_json(group_id: i64, peer_id: i64, msg: &Msg) -> Value {
    let from_id = match msg.from {
        Sender::Bot => -group_id,
        Sender::User(id) => id,
    };
    let mut message = json!({
        "date": msg.date_ms.div_euclid(1000),
        "from_id": from_id,
        "id": msg.id,
        "out": i64::from(msg.is_from_bot()),
        "attachments": [],
        "conversation_message_id": msg.cmid,
        "fwd_messages": [],
        "important": false,
        "is_hidden": false,
        "peer_id": peer_id,
        "random_id": 0,
        "text": msg.text,
    });
    if let Some(payload) = &msg.payload {
        message["payload"] = Value::String(payload.clone());
    }
    if let Some(keyboard) = &msg.keyboard {
        message["keyboard"] = keyboard_json(group_id, keyboard);
    }
    message
}

/// A `messages_keyboard` object.
pub(crate) fn keyboard_json(group_id: i64, keyboard: &Keyboard) -> Value {
    let rows: Vec<Value> = keyboard
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| {
                    let mut action = json!({ "type": b.kind });
                    for (key, value) in [
                        ("label", &b.label),
                        ("payload", &b.payload),
                        ("link", &b.link),
                    ] {
                        if let Some(value) = value {
                            action[key] = Value::String(value.clone());
                        }
                    }
                    let mut button = json!({ "action": action });
                    if let Some(color) = &b.color {
                        button["color"] = Value::String(color.clone());
                    }
                    button
                })
                .collect()
        })
        .collect();
    json!({
        "one_time": keyboard.one_time,
        "buttons": rows,
        "author_id": -group_id,
        "inline": keyboard.inline,
    })
}
