//! VK events, read from the long poll's JSON, into what the runtime
//! understands: a message or a button press in a private dialog, or a turn
//! of the page of a long keyboard.

use larder_core::{UserRef, VkUserId};
use larder_runtime::{Caps, Decode, Event, Private};
use larder_store::Channel;
use larder_store::inbox::{Incoming, identity};
use larder_ui::{Input, User};
use serde_json::{Value, json};

use crate::render::Payload;

/// VK's `lang_id`: 0 Russian, 3 English (others: the configured default).
fn language_of(lang_id: Option<i64>) -> Option<&'static str> {
    match lang_id? {
        0 => Some("ru"),
        3 => Some("en"),
        _ => None,
    }
}

/// `/cmd args`, else text.
fn parse_text(text: &str) -> Input {
    let Some(rest) = text.strip_prefix('/') else {
        return Input::Text(text.to_owned());
    };
    let name = rest
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    match name.as_str() {
        "start" => Input::Start(None),
        _ => Input::Command(name),
    }
}

/// The setting that says a person's client shows text buttons only.
pub fn text_buttons_key(peer: i64) -> String {
    format!("vk.text_buttons.{peer}")
}

/// The setting that says a person's client shows no inline keyboards (only
/// the keyboard under the input box).
pub fn no_inline_key(peer: i64) -> String {
    format!("vk.no_inline.{peer}")
}

/// A long-poll event as received: its identity is its `event_id`.
pub fn incoming(update: &Value) -> Option<Incoming> {
    let event = update["event_id"].as_str()?;
    let o = &update["object"];
    let peer = o["message"]["peer_id"]
        .as_i64()
        .or_else(|| o["peer_id"].as_i64())
        .or_else(|| o["user_id"].as_i64());
    Some(Incoming {
        update_id: None,
        identity: identity(&["vk", event]),
        chat_id: peer,
        payload: update.to_string(),
    })
}

fn user(id: i64) -> User {
    User {
        id: UserRef::Vk(VkUserId::new(id)),
        display_name: format!("VK {id}"),
    }
}

/// What a press carries back: the event to answer.
pub fn press_of(event_id: &str, user: i64, peer: i64) -> String {
    json!({ "event_id": event_id, "user_id": user, "peer_id": peer }).to_string()
}

pub struct VkDecode;

impl Decode for VkDecode {
    fn channel(&self) -> Channel {
        Channel::Vk
    }

    fn caps(&self) -> Caps {
        Caps {
            // A community cannot remove a person's messages in a dialog.
            delete_input: false,
            pin_screen: false,
            pages: true,
            first_message_starts: true,
        }
    }

    fn decode(&self, payload: &str) -> Event {
        let Ok(update) = serde_json::from_str::<Value>(payload) else {
            return Event::Ignore;
        };
        let o = &update["object"];
        match update["type"].as_str() {
            Some("message_new") => {
                let m = &o["message"];
                let (Some(peer), Some(from)) = (m["peer_id"].as_i64(), m["from_id"].as_i64())
                else {
                    return Event::Ignore;
                };
                if peer != from || from <= 0 {
                    // Only private dialogs with people.
                    return Event::Ignore;
                }
                let callbacks = o["client_info"]["button_actions"]
                    .as_array()
                    .map(|a| a.iter().any(|x| x.as_str() == Some("callback")));
                let inline = o["client_info"]["inline_keyboard"].as_bool();
                let remember = callbacks
                    .map(|c| (text_buttons_key(peer), (!c).then(|| "1".to_owned())))
                    .into_iter()
                    .chain(inline.map(|i| (no_inline_key(peer), (!i).then(|| "1".to_owned()))))
                    .collect();
                let input = match m.get("payload").and_then(Payload::from_value) {
                    Some(Payload::Action(a)) => Input::Press(a),
                    Some(Payload::Page(page)) => {
                        return Event::Page {
                            chat_id: peer,
                            page,
                            press: None,
                        };
                    }
                    Some(Payload::Start) => Input::Start(None),
                    None => parse_text(m["text"].as_str().unwrap_or_default().trim()),
                };
                Event::Private(Private {
                    chat_id: peer,
                    user: user(from),
                    language: language_of(o["client_info"]["lang_id"].as_i64()).map(str::to_owned),
                    input,
                    message_id: None,
                    press: None,
                    remember,
                })
            }
            Some("message_allow") => match o["user_id"].as_i64() {
                Some(user) if user > 0 => Event::Reachable { chat_id: user },
                _ => Event::Ignore,
            },
            Some("message_event") => {
                let (Some(peer), Some(from)) = (o["peer_id"].as_i64(), o["user_id"].as_i64())
                else {
                    return Event::Ignore;
                };
                let press = o["event_id"]
                    .as_str()
                    .map(|event| press_of(event, from, peer));
                let input = match Payload::from_value(&o["payload"]) {
                    Some(Payload::Action(a)) => Input::Press(a),
                    Some(Payload::Page(page)) => {
                        return Event::Page {
                            chat_id: peer,
                            page,
                            press,
                        };
                    }
                    Some(Payload::Start) => Input::Start(None),
                    None => return Event::Unreadable { press },
                };
                Event::Private(Private {
                    chat_id: peer,
                    user: user(from),
                    language: None,
                    input,
                    // The pressed message, as larder names VK messages.
                    message_id: o["conversation_message_id"].as_i64(),
                    press,
                    remember: Vec::new(),
                })
            }
            _ => Event::Ignore,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_remembers_whether_the_client_has_callback_buttons() {
        let raw = json!({
            "type": "message_new", "event_id": "e1",
            "object": {
                "message": {"peer_id": 7, "from_id": 7, "text": "Hello"},
                "client_info": {"button_actions": ["text"], "lang_id": 3}
            }
        });
        match VkDecode.decode(&raw.to_string()) {
            Event::Private(p) => {
                assert_eq!(p.input, Input::Text("Hello".into()));
                assert_eq!(p.language.as_deref(), Some("en"));
                assert_eq!(p.remember, [(text_buttons_key(7), Some("1".to_owned()))]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(incoming(&raw).unwrap().chat_id, Some(7));
    }

    #[test]
    fn a_press_with_a_page_turns_the_page_and_is_answered() {
        let raw = json!({
            "type": "message_event", "event_id": "e2",
            "object": {"peer_id": 7, "user_id": 7, "event_id": "ev", "payload": {"page": 2}}
        });
        match VkDecode.decode(&raw.to_string()) {
            Event::Page {
                chat_id,
                page,
                press,
            } => {
                assert_eq!((chat_id, page), (7, 2));
                assert!(press.unwrap().contains("\"ev\""));
            }
            other => panic!("{other:?}"),
        }
    }
}
