//! Shared helpers: an emulator per test, a teloxide bot pointed at it, and
//! raw Bot API calls for checking exact JSON.

use std::time::Duration;

use fake_telegram::{Config, Control, Handle, RateLimits};
use serde_json::Value;
use teloxide_core::Bot;

/// How long a test waits for something that should happen at once.
pub const WAIT: Duration = Duration::from_secs(5);

/// An emulator with flood limits off (most tests send in bursts).
pub async fn start() -> (Handle, Control) {
    start_with(RateLimits::disabled()).await
}

pub async fn start_with(rate_limits: RateLimits) -> (Handle, Control) {
    let emulator = fake_telegram::spawn(Config {
        rate_limits,
        ..Config::default()
    })
    .await
    .expect("emulator starts");
    let control = emulator.control();
    (emulator, control)
}

/// A teloxide bot talking to the emulator.
pub fn bot(emulator: &Handle) -> Bot {
    let url = reqwest::Url::parse(&emulator.base_url()).expect("base url");
    Bot::new(emulator.token()).set_api_url(url)
}

/// A raw JSON call: `(HTTP status, body)`.
pub async fn call(emulator: &Handle, method: &str, params: Value) -> (u16, Value) {
    let url = format!("{}/bot{}/{method}", emulator.base_url(), emulator.token());
    let response = reqwest::Client::new()
        .post(url)
        .json(&params)
        .send()
        .await
        .expect("the emulator answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// A raw call that must succeed; returns `result`.
pub async fn ok(emulator: &Handle, method: &str, params: Value) -> Value {
    let (status, body) = call(emulator, method, params).await;
    assert_eq!(status, 200, "{method} failed: {body}");
    body["result"].clone()
}

/// A raw call that must fail; returns `(error_code, description)`.
pub async fn fails(emulator: &Handle, method: &str, params: Value) -> (i64, String) {
    let (status, body) = call(emulator, method, params).await;
    assert_eq!(body["ok"], false, "{method} should fail: {body}");
    let code = body["error_code"].as_i64().unwrap_or_default();
    assert_eq!(i64::from(status), code, "HTTP status equals error_code");
    (
        code,
        body["description"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A user who has started the bot: their private chat exists.
pub async fn started_user(control: &Control, id: i64) {
    control.send_text(id, id, "/start").await;
}
