//! [`Control`]: a typed async client of the control API.
//!
//! It is a test helper: a call the emulator rejects, or an emulator that
//! cannot be reached, panics with the reason. Calls whose failure is an
//! expected outcome return a `Result` ([`Control::press_button`],
//! [`Control::wait_text`], ...).

mod admin;
mod errors;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub use errors::{PressError, Timeout};

use crate::model::{
    CallbackAnswer, ChatSummary, ChatView, NewGroup, NewUser, Pressed, SentPhoto, SentUpdate,
    UserView,
};

/// Slack on top of a server-side wait before the HTTP call itself gives up.
const WAIT_SLACK: Duration = Duration::from_secs(10);

/// Client of `{base}/control/...`.
#[derive(Clone, Debug)]
pub struct Control {
    http: reqwest::Client,
    base: String,
    bot: Option<i64>,
}

impl Control {
    /// A client for the emulator at `base_url` (e.g. `http://127.0.0.1:8081`).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base_url.into().trim_end_matches('/').to_owned(),
            bot: None,
        }
    }

    /// The same client, acting on another bot's chats.
    pub fn for_bot(&self, bot_id: i64) -> Self {
        Self {
            bot: Some(bot_id),
            ..self.clone()
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
        timeout: Option<Duration>,
    ) -> (StatusCode, Vec<u8>) {
        let url = format!("{}/control{path}", self.base);
        let mut request = self.http.request(method.clone(), &url).query(query);
        if let Some(bot) = self.bot {
            request = request.query(&[("bot", bot)]);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(timeout) = timeout {
            request = request.timeout(timeout + WAIT_SLACK);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("fake-telegram: {method} {url} failed: {e}"));
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("fake-telegram: {method} {url}: reading the body: {e}"));
        (status, bytes.to_vec())
    }

    /// A call that must succeed.
    pub(super) async fn expect<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> T {
        let (status, bytes) = self.call(method.clone(), path, &[], body, None).await;
        if !status.is_success() {
            panic!(
                "fake-telegram: {method} /control{path} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        decode(&bytes, path)
    }

    pub(super) async fn get<T: DeserializeOwned>(&self, path: &str) -> T {
        self.expect(Method::GET, path, None).await
    }

    pub(super) async fn post<T: DeserializeOwned>(&self, path: &str, body: impl Serialize) -> T {
        let body = serde_json::to_value(body).unwrap_or(Value::Null);
        self.expect(Method::POST, path, Some(body)).await
    }

    /// Creates or updates a user: `ctl.user((42, "Anna"))`,
    /// `ctl.user(NewUser::new(42, "Anna").username("anna"))`.
    pub async fn user(&self, user: impl Into<NewUser>) -> UserView {
        self.post("/users", user.into()).await
    }

    pub async fn users(&self) -> Vec<UserView> {
        self.get("/users").await
    }

    /// Creates a group (negative id) with the bot as an administrator; the
    /// first member is its creator.
    pub async fn group(&self, id: i64, title: &str, members: &[i64]) -> ChatSummary {
        self.group_with(NewGroup {
            id,
            title: title.to_owned(),
            members: members.to_vec(),
            bot_admin: true,
        })
        .await
    }

    pub async fn group_with(&self, group: NewGroup) -> ChatSummary {
        self.post("/groups", group).await
    }

    pub async fn chats(&self) -> Vec<ChatSummary> {
        self.get("/chats").await
    }

    /// The user types `text` (commands included) in the chat.
    pub async fn send_text(&self, chat_id: i64, from: i64, text: &str) -> SentUpdate {
        let body = json!({ "from": from, "text": text });
        self.post(&format!("/chats/{chat_id}/messages"), body).await
    }

    /// The user shares their own contact.
    pub async fn share_contact(&self, chat_id: i64, from: i64, phone_number: &str) -> SentUpdate {
        let body = json!({ "from": from, "phone_number": phone_number });
        self.post(&format!("/chats/{chat_id}/contact"), body).await
    }

    /// The user shares a contact that is not their own: another user's
    /// (`Some(id)`) or a phone-book entry (`None`).
    pub async fn share_other_contact(
        &self,
        chat_id: i64,
        from: i64,
        phone_number: &str,
        user_id: Option<i64>,
    ) -> SentUpdate {
        let body =
            json!({ "from": from, "phone_number": phone_number, "user_id": user_id.unwrap_or(0) });
        self.post(&format!("/chats/{chat_id}/contact"), body).await
    }

    /// The user sends a (small PNG) photo.
    pub async fn send_photo(&self, chat_id: i64, from: i64, caption: Option<&str>) -> SentPhoto {
        let body = json!({ "from": from, "caption": caption });
        self.post(&format!("/chats/{chat_id}/photo"), body).await
    }

    async fn press(&self, chat_id: i64, body: Value) -> Result<Pressed, PressError> {
        let path = format!("/chats/{chat_id}/press");
        let (status, bytes) = self.call(Method::POST, &path, &[], Some(body), None).await;
        if status.is_success() {
            return Ok(decode(&bytes, &path));
        }
        let error: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Err(PressError {
            status: status.as_u16(),
            message: error["error"].as_str().unwrap_or("press failed").to_owned(),
            labels: serde_json::from_value(error["labels"].clone()).unwrap_or_default(),
        })
    }

    /// Presses the button with this label (exact, then unique substring) on
    /// the pinned message, else on the newest bot message with a keyboard.
    pub async fn press_button(
        &self,
        chat_id: i64,
        from: i64,
        label: &str,
    ) -> Result<Pressed, PressError> {
        self.press(chat_id, json!({ "from": from, "button": label }))
            .await
    }

    /// Presses the button with this label on a given message.
    pub async fn press_button_on(
        &self,
        chat_id: i64,
        from: i64,
        label: &str,
        message_id: i64,
    ) -> Result<Pressed, PressError> {
        let body = json!({ "from": from, "button": label, "message_id": message_id });
        self.press(chat_id, body).await
    }

    /// Sends callback data as-is, even if no button carries it.
    pub async fn press_data(
        &self,
        chat_id: i64,
        from: i64,
        data: &str,
        message_id: Option<i64>,
    ) -> Pressed {
        let body = json!({ "from": from, "data": data, "message_id": message_id });
        self.press(chat_id, body)
            .await
            .unwrap_or_else(|e| panic!("fake-telegram: pressing data {data:?} failed: {e}"))
    }

    /// The chat as a person sees it; panics if there is no such chat.
    pub async fn chat(&self, chat_id: i64) -> ChatView {
        self.get(&format!("/chats/{chat_id}")).await
    }

    /// The chat as a person sees it, if it exists.
    pub async fn try_chat(&self, chat_id: i64) -> Option<ChatView> {
        let path = format!("/chats/{chat_id}");
        let (status, bytes) = self.call(Method::GET, &path, &[], None, None).await;
        status.is_success().then(|| decode(&bytes, &path))
    }

    async fn wait(
        &self,
        chat_id: i64,
        key: &str,
        value: &str,
        timeout: Duration,
    ) -> Result<ChatView, Timeout> {
        let path = format!("/chats/{chat_id}/wait");
        let query = [
            (key, value.to_owned()),
            ("timeout_ms", timeout.as_millis().to_string()),
        ];
        let (status, bytes) = self
            .call(Method::GET, &path, &query, None, Some(timeout))
            .await;
        if status.is_success() {
            return Ok(decode(&bytes, &path));
        }
        if status != StatusCode::REQUEST_TIMEOUT {
            panic!("fake-telegram: waiting on chat {chat_id} answered {status}");
        }
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Err(Timeout {
            waited_for: format!("{key} {value:?} in chat {chat_id}"),
            chat: serde_json::from_value(body["chat"].clone()).ok(),
        })
    }

    /// Waits (without polling) until a shown message contains `text`.
    pub async fn wait_text(
        &self,
        chat_id: i64,
        text: &str,
        timeout: Duration,
    ) -> Result<ChatView, Timeout> {
        self.wait(chat_id, "text", text, timeout).await
    }

    /// Waits until a button label contains `label`.
    pub async fn wait_button(
        &self,
        chat_id: i64,
        label: &str,
        timeout: Duration,
    ) -> Result<ChatView, Timeout> {
        self.wait(chat_id, "button", label, timeout).await
    }

    /// The bot's answer to a callback query, `None` while unanswered.
    pub async fn callback_answer(&self, callback_query_id: &str) -> Option<CallbackAnswer> {
        self.get(&format!("/callbacks/{callback_query_id}")).await
    }

    /// Waits for the bot's answer to a callback query.
    pub async fn wait_callback_answer(
        &self,
        callback_query_id: &str,
        timeout: Duration,
    ) -> Result<CallbackAnswer, Timeout> {
        let path = format!("/callbacks/{callback_query_id}/wait");
        let query = [("timeout_ms", timeout.as_millis().to_string())];
        let (status, bytes) = self
            .call(Method::GET, &path, &query, None, Some(timeout))
            .await;
        match status {
            s if s.is_success() => Ok(decode(&bytes, &path)),
            StatusCode::REQUEST_TIMEOUT => Err(Timeout {
                waited_for: format!("an answer to callback query {callback_query_id}"),
                chat: None,
            }),
            s => panic!("fake-telegram: waiting for callback {callback_query_id} answered {s}"),
        }
    }

    /// The bytes of a file (document or photo) by its file_id.
    pub async fn file(&self, file_id: &str) -> Vec<u8> {
        let path = format!("/files/{file_id}");
        let (status, bytes) = self.call(Method::GET, &path, &[], None, None).await;
        assert!(
            status.is_success(),
            "fake-telegram: no file {file_id} ({status})"
        );
        bytes
    }
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8], path: &str) -> T {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "fake-telegram: unexpected answer from /control{path}: {e}: {}",
            String::from_utf8_lossy(bytes)
        )
    })
}
