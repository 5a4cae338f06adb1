//! Telegram updates, read from the JSON exactly as Telegram sent it, into
//! what the runtime understands. Only the fields larder uses are read, and
//! leniently: a press on a message the bot can no longer see (Telegram sends
//! it with `"date": 0` and little else) still decodes and is answered.

use larder_core::{TgUserId, UserRef};
use larder_runtime::{Caps, Decode, Event, Group, Private};
use larder_store::Channel;
use larder_store::inbox::{Incoming, identity};
use larder_ui::pipeline::GroupChat;
use larder_ui::{GroupInput, Input, User};
use serde::Deserialize;

#[derive(Deserialize, Debug, Default)]
struct Update {
    #[serde(default)]
    update_id: Option<i64>,
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    callback_query: Option<CallbackQuery>,
    #[serde(default)]
    my_chat_member: Option<MemberUpdate>,
}

#[derive(Deserialize, Debug, Default)]
struct Chat {
    id: i64,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    title: Option<String>,
}

impl Chat {
    fn is_private(&self) -> bool {
        self.kind == "private"
    }
}

#[derive(Deserialize, Debug, Default)]
struct From {
    id: i64,
    #[serde(default)]
    is_bot: bool,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    language_code: Option<String>,
}

impl From {
    fn user(&self) -> User {
        let display_name = match &self.last_name {
            Some(last) => format!("{} {last}", self.first_name),
            None => self.first_name.clone(),
        };
        User {
            id: UserRef::Telegram(TgUserId::new(self.id)),
            display_name,
        }
    }
}

#[derive(Deserialize, Debug, Default)]
struct PhotoSize {
    file_id: String,
    #[serde(default)]
    width: i64,
    #[serde(default)]
    height: i64,
}

#[derive(Deserialize, Debug, Default)]
struct Contact {
    phone_number: String,
    #[serde(default)]
    user_id: Option<i64>,
}

#[derive(Deserialize, Debug, Default)]
struct Message {
    message_id: i64,
    chat: Chat,
    #[serde(default)]
    from: Option<From>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    photo: Option<Vec<PhotoSize>>,
    #[serde(default)]
    contact: Option<Contact>,
    #[serde(default)]
    migrate_to_chat_id: Option<i64>,
}

#[derive(Deserialize, Debug, Default)]
struct CallbackQuery {
    id: String,
    from: From,
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    data: Option<String>,
}

#[derive(Deserialize, Debug, Default)]
struct Member {
    #[serde(default)]
    status: String,
}

#[derive(Deserialize, Debug, Default)]
struct MemberUpdate {
    chat: Chat,
    #[serde(default)]
    date: i64,
    new_chat_member: Member,
}

/// A received update: its identity (what makes it unique) and chat.
pub fn incoming(raw: &str) -> Incoming {
    let u: Update = serde_json::from_str(raw).unwrap_or_default();
    let id = u.update_id.unwrap_or_default().to_string();
    let (kind, what, chat_id) = if let Some(m) = &u.message {
        (
            "m",
            format!("{}:{}", m.chat.id, m.message_id),
            Some(m.chat.id),
        )
    } else if let Some(q) = &u.callback_query {
        let chat = q.message.as_ref().map_or(q.from.id, |m| m.chat.id);
        ("c", q.id.clone(), Some(chat))
    } else if let Some(m) = &u.my_chat_member {
        (
            "k",
            format!("{}:{}:{}", m.chat.id, m.date, m.new_chat_member.status),
            Some(m.chat.id),
        )
    } else {
        ("?", raw.to_owned(), None)
    };
    Incoming {
        update_id: u.update_id,
        identity: identity(&[&id, kind, &what]),
        chat_id,
        payload: raw.to_owned(),
    }
}

/// `/start CODE`, `/cmd@bot args`, or plain text.
pub fn parse_text(text: &str) -> Input {
    let Some(rest) = text.strip_prefix('/') else {
        return Input::Text(text.to_owned());
    };
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let name = head.split('@').next().unwrap_or(head).to_lowercase();
    match name.as_str() {
        "start" => Input::Start(
            Some(args.trim())
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
        ),
        _ => Input::Command(name),
    }
}

/// What a message says: a photo, a shared contact, a command or text.
fn input_of(m: &Message) -> Input {
    if let Some(photo) = m
        .photo
        .as_ref()
        .and_then(|sizes| sizes.iter().max_by_key(|p| p.width * p.height))
    {
        return Input::Photo(photo.file_id.clone());
    }
    if let Some(c) = &m.contact {
        return Input::Contact {
            phone: c.phone_number.clone(),
            user_id: c.user_id,
        };
    }
    parse_text(m.text.as_deref().unwrap_or_default())
}

/// Reads Telegram updates. `bot`: the bot's username, to skip commands
/// addressed to other bots in a group (`/stop@otherbot`).
pub struct TelegramDecode {
    pub bot: Option<String>,
}

impl Decode for TelegramDecode {
    fn channel(&self) -> Channel {
        Channel::Telegram
    }

    fn caps(&self) -> Caps {
        Caps {
            delete_input: true,
            pin_screen: true,
            pages: false,
            first_message_starts: false,
        }
    }

    fn decode(&self, payload: &str) -> Event {
        let update: Update = match serde_json::from_str(payload) {
            Ok(u) => u,
            Err(_) => {
                // Not what we expect, but a press is still answered.
                let press = serde_json::from_str::<serde_json::Value>(payload)
                    .ok()
                    .and_then(|v| v["callback_query"]["id"].as_str().map(str::to_owned));
                return Event::Unreadable { press };
            }
        };
        if let Some(m) = update.message {
            return self.message(m);
        }
        if let Some(q) = update.callback_query {
            return press(q);
        }
        if let Some(m) = update.my_chat_member
            && !m.chat.is_private()
            && matches!(m.new_chat_member.status.as_str(), "left" | "kicked")
        {
            return Event::Left {
                chat_id: m.chat.id,
                title: m.chat.title.unwrap_or_default(),
            };
        }
        Event::Ignore
    }
}

impl TelegramDecode {
    fn message(&self, m: Message) -> Event {
        if let Some(to) = m.migrate_to_chat_id {
            return Event::Migrated {
                from: m.chat.id,
                to,
            };
        }
        let Some(from) = m.from.as_ref().filter(|u| !u.is_bot) else {
            return Event::Ignore;
        };
        if m.chat.is_private() {
            return Event::Private(Private {
                chat_id: m.chat.id,
                user: from.user(),
                language: from.language_code.clone(),
                input: input_of(&m),
                message_id: Some(m.message_id),
                press: None,
                remember: Vec::new(),
            });
        }
        let Some(text) = m.text.as_deref().and_then(|t| t.strip_prefix('/')) else {
            return Event::Ignore;
        };
        let (head, args) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let (name, to) = head.split_once('@').unwrap_or((head, ""));
        if !to.is_empty()
            && self
                .bot
                .as_deref()
                .is_some_and(|b| !b.eq_ignore_ascii_case(to))
        {
            return Event::Ignore;
        }
        Event::Group(Group {
            chat: GroupChat {
                channel: Channel::Telegram,
                chat_id: m.chat.id,
                title: m.chat.title.clone().unwrap_or_default(),
            },
            user: from.user(),
            input: GroupInput::Command {
                name: name.to_lowercase(),
                args: args.trim().to_owned(),
            },
            message_id: m.message_id,
            press: None,
        })
    }
}

fn press(q: CallbackQuery) -> Event {
    let data = q.data.clone().unwrap_or_default();
    let Some(message) = q.message else {
        // A press on an inline message (not ours to show): just answered.
        return Event::Unreadable { press: Some(q.id) };
    };
    if message.chat.is_private() {
        return Event::Private(Private {
            chat_id: message.chat.id,
            user: q.from.user(),
            language: q.from.language_code.clone(),
            input: Input::Press(data),
            message_id: Some(message.message_id),
            press: Some(q.id),
            remember: Vec::new(),
        });
    }
    Event::Group(Group {
        chat: GroupChat {
            channel: Channel::Telegram,
            chat_id: message.chat.id,
            title: message.chat.title.clone().unwrap_or_default(),
        },
        user: q.from.user(),
        input: GroupInput::Press(data),
        message_id: message.message_id,
        press: Some(q.id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Event {
        TelegramDecode {
            bot: Some("larder_bot".into()),
        }
        .decode(json)
    }

    #[test]
    fn commands_are_parsed_with_payloads_and_bot_names() {
        assert_eq!(parse_text("/start"), Input::Start(None));
        assert_eq!(
            parse_text("/start abc123"),
            Input::Start(Some("abc123".into()))
        );
        assert_eq!(parse_text("/START@larder_bot"), Input::Start(None));
        assert_eq!(parse_text("/help me"), Input::Command("help".into()));
        assert_eq!(parse_text("250,50"), Input::Text("250,50".into()));
    }

    #[test]
    fn a_press_on_a_message_the_bot_cannot_see_is_still_answered() {
        let raw = r#"{"update_id":5,"callback_query":{"id":"77","from":{"id":1,"is_bot":false,"first_name":"A"},
            "message":{"message_id":3,"chat":{"id":1,"type":"private"},"date":0},"data":"1m"}}"#;
        match decode(raw) {
            Event::Private(p) => {
                assert_eq!(p.press.as_deref(), Some("77"));
                assert_eq!(p.input, Input::Press("1m".into()));
            }
            other => panic!("{other:?}"),
        }
        match decode(r#"{"update_id":6,"callback_query":{"id":"78","from":"garbage"}}"#) {
            Event::Unreadable { press } => assert_eq!(press.as_deref(), Some("78")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn commands_for_another_bot_in_a_group_are_not_ours() {
        let raw = |text: &str| {
            format!(
                r#"{{"update_id":1,"message":{{"message_id":9,"chat":{{"id":-5,"type":"group","title":"K"}},
                "from":{{"id":2,"is_bot":false,"first_name":"B"}},"text":"{text}"}}}}"#
            )
        };
        assert!(matches!(decode(&raw("/stop@other_bot")), Event::Ignore));
        assert!(matches!(decode(&raw("/stop@larder_bot")), Event::Group(_)));
        assert!(matches!(decode(&raw("hello")), Event::Ignore));
    }

    #[test]
    fn an_update_id_given_again_for_another_update_is_a_new_identity() {
        let a = incoming(
            r#"{"update_id":100,"message":{"message_id":1,"chat":{"id":5,"type":"private"}}}"#,
        );
        let again = incoming(
            r#"{"update_id":100,"message":{"message_id":1,"chat":{"id":5,"type":"private"}}}"#,
        );
        let reused = incoming(
            r#"{"update_id":100,"message":{"message_id":2,"chat":{"id":5,"type":"private"}}}"#,
        );
        assert_eq!(a.identity, again.identity);
        assert_ne!(a.identity, reused.identity);
        assert_eq!(a.chat_id, Some(5));
    }
}
