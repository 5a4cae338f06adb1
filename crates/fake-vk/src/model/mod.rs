//! JSON shapes of the control API, shared by the server and the typed
//! [`Control`](crate::Control) client.

mod fault;
mod people;

use serde::{Deserialize, Serialize};

pub use fault::Fault;
pub use people::{ALL_BUTTON_ACTIONS, ClientInfo, NewUser, UserView, lang_id};

/// A line of `GET /control/peers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerSummary {
    pub peer_id: i64,
    pub name: String,
    pub allowed: bool,
    pub blocked: bool,
    pub blacklisted: bool,
    pub message_count: usize,
}

/// A conversation as the person sees it (`GET /control/peers/{peer_id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerView {
    pub peer_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserView>,
    /// The person allows messages from the community.
    pub allowed: bool,
    /// The person forbade messages from the community.
    pub blocked: bool,
    /// The person is on the community's blacklist.
    pub blacklisted: bool,
    /// Messages in order, deleted ones included (flagged).
    pub messages: Vec<MessageView>,
    /// The standard keyboard open under the input field, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<KeyboardView>,
    /// The community's answers to callback-button presses, oldest first.
    #[serde(default)]
    pub answers: Vec<EventAnswer>,
    /// Callback presses (their `event_id`) still waiting for an answer.
    #[serde(default)]
    pub pending_events: Vec<String>,
}

/// One message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub conversation_message_id: i64,
    pub from_bot: bool,
    /// The sender: a user id, or `-group_id` for the community.
    pub from_id: i64,
    /// Unix seconds, emulator clock.
    pub date: i64,
    pub text: String,
    /// A person's message sent by a text button: that button's payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyboard: Option<KeyboardView>,
    #[serde(default)]
    pub attachments: Vec<AttachmentView>,
    pub edited: bool,
    /// Deleted for everyone: the person no longer sees it.
    pub deleted: bool,
}

/// A keyboard: rows of buttons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyboardView {
    pub inline: bool,
    pub one_time: bool,
    pub rows: Vec<Vec<ButtonView>>,
}

/// One button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonView {
    /// `text`, `callback`, `open_link`, `location`, `vkpay` or `open_app`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// An attachment of a message: `photo-1_2`, `doc-1_3`, ...
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    /// The attachment string as the bot gave it, without an access key.
    pub attachment: String,
    /// `photo`, `doc`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether it names a file uploaded to the emulator.
    pub known: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// The community's `messages.sendMessageEventAnswer` to a callback press.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAnswer {
    pub event_id: String,
    pub user_id: i64,
    pub peer_id: i64,
    /// `show_snackbar`, `open_link` or `open_app`; `None` when the answer
    /// carried no `event_data` (it only stops the spinner).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// When the answer arrived, unix ms (emulator clock).
    pub at_ms: i64,
}

/// What `POST /control/peers/{peer_id}/messages` returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentText {
    /// The `event_id` of the `message_new` update.
    pub event_id: String,
    pub message_id: i64,
    pub conversation_message_id: i64,
}

/// What `POST /control/peers/{peer_id}/press` returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pressed {
    /// `message_event` (callback button) or `message_new` (text button).
    pub update: String,
    /// The `event_id` of that update.
    pub event_id: String,
    /// The message whose button was pressed.
    pub message_id: i64,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// For a callback button: `object.event_id`, to be answered with
    /// `messages.sendMessageEventAnswer` within a minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_event_id: Option<String>,
    /// For a text button: the person's new message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_message_id: Option<i64>,
}

/// One API call, as logged by `GET /control/requests`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLog {
    pub method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub random_id: Option<i64>,
    /// The `v` the call gave (`None` when it gave none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<String>,
    /// Whether it went through: a `peer_ids` send to one person that VK
    /// refused for that person (in the answer's array) is not.
    pub ok: bool,
    /// VK's error, or the one person's error of a `peer_ids` send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
    /// Unix ms, emulator clock.
    pub at_ms: i64,
    /// The community whose token made the call (0 when the token was bad).
    pub group_id: i64,
    /// The call took effect but its response was lost by a fault.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lost: bool,
}

/// A token and the rights it carries now (`GET|POST /control/rights`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRights {
    pub token: String,
    /// The community the token belongs to.
    pub group_id: i64,
    /// Right names (see [`TOKEN_RIGHTS`](crate::TOKEN_RIGHTS)), sorted.
    pub rights: Vec<String>,
}
