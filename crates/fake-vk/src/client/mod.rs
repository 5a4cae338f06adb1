//! [`Control`]: a typed async client of the control API.
//!
//! It is a test helper: a call the emulator rejects, or an emulator that
//! cannot be reached, panics with the reason. Calls whose failure is an
//! expected outcome return a `Result` ([`Control::press`],
//! [`Control::wait_text`], ...).

mod admin;
mod errors;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub use errors::{PressError, Timeout};

use crate::model::{EventAnswer, NewUser, PeerSummary, PeerView, Pressed, SentText, UserView};

/// Slack on top of a server-side wait before the HTTP call itself gives up.
const WAIT_SLACK: Duration = Duration::from_secs(10);

/// Client of `{base}/control/...`.
#[derive(Clone, Debug)]
pub struct Control {
    http: reqwest::Client,
    base: String,
    group: Option<i64>,
}

impl Control {
    /// A client for the emulator at `base_url` (e.g. `http://127.0.0.1:8082`).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base_url.into().trim_end_matches('/').to_owned(),
            group: None,
        }
    }

    /// The same client, acting on another community's conversations.
    pub fn for_group(&self, group_id: i64) -> Self {
        Self {
            group: Some(group_id),
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
        if let Some(group) = self.group {
            request = request.query(&[("group", group)]);
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
            .unwrap_or_else(|e| panic!("fake-vk: {method} {url} failed: {e}"));
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("fake-vk: {method} {url}: reading the body: {e}"));
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
                "fake-vk: {method} /control{path} answered {status}: {}",
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

    /// Creates or updates a person: `ctl.user((42, "Anna"))`,
    /// `ctl.user(NewUser::new(42, "Anna").without_callback())`.
    pub async fn user(&self, user: impl Into<NewUser>) -> UserView {
        self.post("/users", user.into()).await
    }

    pub async fn users(&self) -> Vec<UserView> {
        self.get("/users").await
    }

    pub async fn peers(&self) -> Vec<PeerSummary> {
        self.get("/peers").await
    }

    /// The person types `text` to the community.
    pub async fn send_text(&self, peer_id: i64, text: &str) -> SentText {
        let body = json!({ "text": text });
        self.post(&format!("/peers/{peer_id}/messages"), body).await
    }

    /// The person sends `text` carrying `payload`, as a text button would.
    pub async fn send_with_payload(&self, peer_id: i64, text: &str, payload: &str) -> SentText {
        let body = json!({ "text": text, "payload": payload });
        self.post(&format!("/peers/{peer_id}/messages"), body).await
    }

    async fn press_with(&self, peer_id: i64, body: Value) -> Result<Pressed, PressError> {
        let path = format!("/peers/{peer_id}/press");
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
    /// the newest keyboard the person sees.
    pub async fn press(&self, peer_id: i64, label: &str) -> Result<Pressed, PressError> {
        self.press_with(peer_id, json!({ "button": label })).await
    }

    /// Presses the button with this label on a given message.
    pub async fn press_on(
        &self,
        peer_id: i64,
        label: &str,
        message_id: i64,
    ) -> Result<Pressed, PressError> {
        let body = json!({ "button": label, "message_id": message_id });
        self.press_with(peer_id, body).await
    }

    /// Presses the button carrying exactly this payload.
    pub async fn press_payload(&self, peer_id: i64, payload: &str) -> Result<Pressed, PressError> {
        self.press_with(peer_id, json!({ "payload": payload }))
            .await
    }

    /// The conversation as the person sees it; panics if there is none.
    pub async fn peer(&self, peer_id: i64) -> PeerView {
        self.get(&format!("/peers/{peer_id}")).await
    }

    /// The conversation, if it exists.
    pub async fn try_peer(&self, peer_id: i64) -> Option<PeerView> {
        let path = format!("/peers/{peer_id}");
        let (status, bytes) = self.call(Method::GET, &path, &[], None, None).await;
        status.is_success().then(|| decode(&bytes, &path))
    }

    async fn wait(
        &self,
        peer_id: i64,
        key: &str,
        value: &str,
        timeout: Duration,
    ) -> Result<PeerView, Timeout> {
        let path = format!("/peers/{peer_id}/wait");
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
            panic!("fake-vk: waiting on peer {peer_id} answered {status}");
        }
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Err(Timeout {
            waited_for: format!("{key} {value:?} in peer {peer_id}"),
            peer: serde_json::from_value(body["peer"].clone()).ok(),
        })
    }

    /// Waits (without polling) until a message the person sees contains
    /// `needle`.
    pub async fn wait_text(
        &self,
        peer_id: i64,
        needle: &str,
        timeout: Duration,
    ) -> Result<PeerView, Timeout> {
        self.wait(peer_id, "text", needle, timeout).await
    }

    /// Waits until a button the person sees has a label containing `label`.
    pub async fn wait_button(
        &self,
        peer_id: i64,
        label: &str,
        timeout: Duration,
    ) -> Result<PeerView, Timeout> {
        self.wait(peer_id, "button", label, timeout).await
    }

    /// The community's answer to a callback press (by
    /// [`Pressed::callback_event_id`]), `None` while unanswered.
    pub async fn answer(&self, event_id: &str) -> Option<EventAnswer> {
        self.get(&format!("/answers/{event_id}")).await
    }

    /// Waits for the community's answer to a callback press.
    pub async fn wait_answer(
        &self,
        event_id: &str,
        timeout: Duration,
    ) -> Result<EventAnswer, Timeout> {
        let path = format!("/answers/{event_id}/wait");
        let query = [("timeout_ms", timeout.as_millis().to_string())];
        let (status, bytes) = self
            .call(Method::GET, &path, &query, None, Some(timeout))
            .await;
        match status {
            s if s.is_success() => Ok(decode(&bytes, &path)),
            StatusCode::REQUEST_TIMEOUT => Err(Timeout {
                waited_for: format!("an answer to callback press {event_id}"),
                peer: None,
            }),
            s => panic!("fake-vk: waiting for the answer to {event_id} answered {s}"),
        }
    }

    /// The snackbars the community showed the person, oldest first.
    pub async fn snackbars(&self, peer_id: i64) -> Vec<EventAnswer> {
        self.peer(peer_id).await.snackbars().cloned().collect()
    }

    /// The bytes of an uploaded photo or document (`photo-1_457239017`).
    pub async fn file(&self, attachment: &str) -> Vec<u8> {
        let path = format!("/files/{attachment}");
        let (status, bytes) = self.call(Method::GET, &path, &[], None, None).await;
        assert!(
            status.is_success(),
            "fake-vk: no file {attachment} ({status})"
        );
        bytes
    }
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8], path: &str) -> T {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "fake-vk: unexpected answer from /control{path}: {e}: {}",
            String::from_utf8_lossy(bytes)
        )
    })
}
