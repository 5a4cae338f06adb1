//! Shared helpers: an emulator per test, raw VK API calls over HTTP (form
//! bodies, like VK clients send), and the long poll.

use std::time::Duration;

use fake_vk::{Config, Control, FakeVk};
use serde_json::{Value, json};

/// How long a test waits for something that should happen at once.
pub const WAIT: Duration = Duration::from_secs(5);

pub async fn start() -> (FakeVk, Control) {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> (FakeVk, Control) {
    let vk = FakeVk::start(config).await.expect("emulator starts");
    let control = vk.control();
    (vk, control)
}

/// Form pairs from a JSON object: numbers as text, objects and arrays as
/// JSON text (how `keyboard` and `event_data` travel).
pub fn form(params: &Value) -> Vec<(String, String)> {
    params
        .as_object()
        .expect("params are an object")
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}

/// A raw call with the community token and `v=5.199`; returns the body.
pub async fn call(vk: &FakeVk, method: &str, params: Value) -> Value {
    call_with_token(vk, method, params, vk.token()).await
}

pub async fn call_with_token(vk: &FakeVk, method: &str, params: Value, token: &str) -> Value {
    let mut pairs = form(&params);
    pairs.push(("access_token".into(), token.into()));
    pairs.push(("v".into(), "5.199".into()));
    reqwest::Client::new()
        .post(format!("{}/method/{method}", vk.base_url()))
        .form(&pairs)
        .send()
        .await
        .expect("the emulator answers")
        .json()
        .await
        .expect("JSON body")
}

/// A call that must succeed; returns `response`.
pub async fn ok(vk: &FakeVk, method: &str, params: Value) -> Value {
    let body = call(vk, method, params).await;
    assert!(body.get("error").is_none(), "{method} failed: {body}");
    body["response"].clone()
}

/// A call that must fail; returns `(error_code, error_msg)`.
pub async fn fails(vk: &FakeVk, method: &str, params: Value) -> (i64, String) {
    let body = call(vk, method, params).await;
    error_of(method, &body)
}

pub fn error_of(method: &str, body: &Value) -> (i64, String) {
    let error = &body["error"];
    assert!(error.is_object(), "{method} should fail: {body}");
    (
        error["error_code"].as_i64().unwrap_or_default(),
        error["error_msg"].as_str().unwrap_or_default().to_owned(),
    )
}

/// `messages.send` of a text; returns the message id.
pub async fn send(vk: &FakeVk, peer_id: i64, text: &str, random_id: i64) -> i64 {
    let params = json!({ "peer_id": peer_id, "message": text, "random_id": random_id });
    ok(vk, "messages.send", params)
        .await
        .as_i64()
        .expect("a message id")
}

/// `messages.send` with a keyboard; returns the message id.
pub async fn send_keyboard(vk: &FakeVk, peer_id: i64, text: &str, keyboard: Value) -> i64 {
    let params = json!({
        "peer_id": peer_id,
        "message": text,
        "random_id": 0,
        "keyboard": keyboard,
    });
    ok(vk, "messages.send", params)
        .await
        .as_i64()
        .expect("a message id")
}

/// A person who wrote to the community, so it may answer.
pub async fn started_user(control: &Control, id: i64) {
    control.send_text(id, "Начать").await;
}

/// A long-poll server as `groups.getLongPollServer` hands it out.
pub struct LongPoll {
    pub server: String,
    pub key: String,
    pub ts: String,
}

pub async fn long_poll_server(vk: &FakeVk) -> LongPoll {
    let answer = ok(
        vk,
        "groups.getLongPollServer",
        json!({ "group_id": vk.group_id() }),
    )
    .await;
    let text = |key: &str| answer[key].as_str().expect("a string").to_owned();
    LongPoll {
        server: text("server"),
        key: text("key"),
        ts: text("ts"),
    }
}

impl LongPoll {
    /// One `a_check`, with this key.
    pub async fn check(&self, ts: &str, wait: u64) -> Value {
        check(&self.server, &self.key, ts, wait).await
    }
}

pub async fn check(server: &str, key: &str, ts: &str, wait: u64) -> Value {
    reqwest::Client::new()
        .get(server)
        .query(&[
            ("act", "a_check"),
            ("key", key),
            ("ts", ts),
            ("wait", &wait.to_string()),
        ])
        .timeout(Duration::from_secs(wait + 10))
        .send()
        .await
        .expect("the long poll answers")
        .json()
        .await
        .expect("JSON body")
}

/// Every event queued so far, from the start of the history.
pub async fn all_events(vk: &FakeVk) -> Vec<Value> {
    let lp = long_poll_server(vk).await;
    let answer = lp.check("0", 0).await;
    answer["updates"].as_array().cloned().unwrap_or_default()
}

/// A keyboard from rows of `(type, label, payload)`.
pub fn keyboard(inline: bool, rows: &[&[(&str, &str, &str)]]) -> Value {
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|(kind, label, payload)| {
                    json!({ "action": { "type": kind, "label": label, "payload": payload } })
                })
                .collect()
        })
        .collect();
    json!({ "inline": inline, "buttons": rows })
}
