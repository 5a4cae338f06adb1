//! JSON shapes of the control API, shared by the server and the typed
//! [`Control`](crate::Control) client.

use serde::{Deserialize, Serialize};

/// A person known to the emulator (`POST /control/users`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

/// Body of `POST /control/users`.
pub type NewUser = UserView;

impl NewUser {
    /// A user with just an id and a first name.
    pub fn new(id: i64, first_name: &str) -> Self {
        Self {
            id,
            first_name: first_name.to_owned(),
            last_name: None,
            username: None,
            language_code: None,
        }
    }

    pub fn last_name(mut self, last_name: &str) -> Self {
        self.last_name = Some(last_name.to_owned());
        self
    }

    pub fn username(mut self, username: &str) -> Self {
        self.username = Some(username.to_owned());
        self
    }

    pub fn language(mut self, language_code: &str) -> Self {
        self.language_code = Some(language_code.to_owned());
        self
    }
}

impl From<i64> for NewUser {
    fn from(id: i64) -> Self {
        Self::new(id, &format!("User {id}"))
    }
}

impl From<(i64, &str)> for NewUser {
    fn from((id, first_name): (i64, &str)) -> Self {
        Self::new(id, first_name)
    }
}

/// Body of `POST /control/groups`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewGroup {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub members: Vec<i64>,
    /// Whether the bot is an administrator (default `true`); a plain member
    /// can't pin or delete other people's messages.
    #[serde(default = "yes")]
    pub bot_admin: bool,
}

fn yes() -> bool {
    true
}

/// A line of `GET /control/chats`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatSummary {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    /// The title of a group, or the user's name for a private chat.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default)]
    pub members: Vec<i64>,
    #[serde(default)]
    pub blocked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_to: Option<i64>,
    #[serde(default)]
    pub message_count: usize,
}

/// A chat as a person sees it now (`GET /control/chats/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatView {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub pinned_message_id: Option<i64>,
    pub messages: Vec<MessageView>,
    /// The reply keyboard the bot left open, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyboard: Vec<Vec<KeyButtonView>>,
}

/// One message on screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub message_id: i64,
    pub from_bot: bool,
    /// The sender's user id (`None` for the bot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    /// Unix seconds, emulator clock.
    #[serde(default)]
    pub date: i64,
    /// What is displayed: text or caption, tags removed.
    pub text: String,
    #[serde(default)]
    pub buttons: Vec<Vec<ButtonView>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<PhotoView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactView>,
    pub edited: bool,
}

/// An inline keyboard button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonView {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A reply keyboard button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyButtonView {
    pub text: String,
    #[serde(default)]
    pub request_contact: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub file_id: String,
    pub file_name: String,
    pub mime_type: String,
    pub size: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoView {
    pub file_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub phone_number: String,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
}

/// What `POST /control/chats/{id}/messages` and `/contact` return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentUpdate {
    pub update_id: i64,
    pub message_id: i64,
}

/// What `POST /control/chats/{id}/photo` returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentPhoto {
    pub update_id: i64,
    pub message_id: i64,
    pub file_id: String,
}

/// What `POST /control/chats/{id}/press` returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pressed {
    pub update_id: i64,
    pub callback_query_id: String,
    /// The message whose button was pressed.
    pub message_id: i64,
    pub data: String,
}

/// The bot's `answerCallbackQuery`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default)]
    pub show_alert: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When the answer arrived, unix ms (emulator clock).
    #[serde(default)]
    pub at_ms: i64,
}

/// One Bot API call, as logged by `GET /control/requests`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLog {
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<i64>,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Unix ms, emulator clock.
    pub at_ms: i64,
    /// The bot that made the call.
    #[serde(default)]
    pub bot_id: i64,
    /// The call took effect but its response was dropped by a fault.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dropped: bool,
}

/// An injected failure (`POST /control/faults`). Build one with
/// [`Fault::error`], [`Fault::delay`] or [`Fault::drop_response`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// Bot API method (case-insensitive); `None` matches every method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drop_response: bool,
    /// How many calls it affects; errors and drops default to 1, delays to
    /// every call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

impl Fault {
    /// The call fails with `error_code` (Telegram's usual description unless
    /// [`Fault::description`] is given).
    pub fn error(method: &str, error_code: u16) -> Self {
        Self {
            method: Some(method.to_owned()),
            error_code: Some(error_code),
            ..Self::default()
        }
    }

    /// A 429 with `parameters.retry_after`.
    pub fn flood(method: &str, retry_after: u32) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::error(method, 429)
        }
    }

    /// Every call (or every call of [`Fault::method`]) is delayed.
    pub fn delay(delay_ms: u64) -> Self {
        Self {
            delay_ms: Some(delay_ms),
            ..Self::default()
        }
    }

    /// The call takes effect, then the connection is closed unanswered.
    pub fn drop_response(method: &str) -> Self {
        Self {
            method: Some(method.to_owned()),
            drop_response: true,
            ..Self::default()
        }
    }

    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    pub fn chat(mut self, chat_id: i64) -> Self {
        self.chat_id = Some(chat_id);
        self
    }

    pub fn description(mut self, description: &str) -> Self {
        self.description = Some(description.to_owned());
        self
    }

    pub fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }
}
