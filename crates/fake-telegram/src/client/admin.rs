//! Inspecting and steering the emulator: the request log, faults, the
//! clock, reset, flood limits, blocking and migration.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Control, Timeout, decode};
use crate::RateLimits;
use crate::model::{Fault, RequestLog};

impl Control {
    /// Every Bot API call so far, in order.
    pub async fn requests(&self) -> Vec<RequestLog> {
        self.get("/requests").await
    }

    /// The Bot API calls of one method, in order.
    pub async fn requests_for(&self, method: &str) -> Vec<RequestLog> {
        let (_, bytes) = self
            .call(
                Method::GET,
                "/requests",
                &[("method", method.to_owned())],
                None,
                None,
            )
            .await;
        decode(&bytes, "/requests")
    }

    pub async fn clear_requests(&self) {
        self.expect::<Value>(Method::DELETE, "/requests", None)
            .await;
    }

    /// Injects a failure; see [`Fault`].
    pub async fn fault(&self, fault: Fault) {
        self.post::<Value>("/faults", fault).await;
    }

    pub async fn clear_faults(&self) {
        self.expect::<Value>(Method::DELETE, "/faults", None).await;
    }

    /// Moves the emulator clock forward; returns the new time (unix ms).
    pub async fn advance_clock(&self, secs: i64) -> i64 {
        let now: Value = self.post("/clock", json!({ "advance_s": secs })).await;
        now["now_ms"].as_i64().unwrap_or_default()
    }

    /// Stops the emulator clock (`true`) so only [`Control::advance_clock`]
    /// moves it, or lets it run again.
    pub async fn freeze_clock(&self, frozen: bool) -> i64 {
        let now: Value = self.post("/clock", json!({ "freeze": frozen })).await;
        now["now_ms"].as_i64().unwrap_or_default()
    }

    /// The emulator clock, unix ms.
    pub async fn now_ms(&self) -> i64 {
        let now: Value = self.get("/clock").await;
        now["now_ms"].as_i64().unwrap_or_default()
    }

    /// Forgets chats, users, updates, files, faults and requests.
    pub async fn reset(&self) {
        self.post::<Value>("/reset", json!({})).await;
    }

    /// Turns the flood limits on or off.
    pub async fn set_rate_limits(&self, enabled: bool) -> RateLimits {
        self.post("/rate_limits", json!({ "enabled": enabled }))
            .await
    }

    /// Sets the rate limits (every field), e.g. scaled down for a quick burst test.
    pub async fn set_limits(&self, limits: crate::RateLimits) -> crate::RateLimits {
        self.post("/rate_limits", limits).await
    }

    /// The user blocks the bot (a `my_chat_member` "kicked" update).
    pub async fn block(&self, user_id: i64) {
        self.post::<Value>(&format!("/users/{user_id}/block"), json!({}))
            .await;
    }

    /// The user restarts the bot.
    pub async fn unblock(&self, user_id: i64) {
        self.post::<Value>(&format!("/users/{user_id}/unblock"), json!({}))
            .await;
    }

    /// Someone removes the bot from the group (a `my_chat_member` "kicked"
    /// update; later calls to the group get 403).
    pub async fn remove_bot(&self, group_id: i64) {
        self.post::<Value>(&format!("/groups/{group_id}/remove_bot"), json!({}))
            .await;
    }

    /// The group becomes a supergroup; returns its new id.
    pub async fn migrate(&self, group_id: i64) -> i64 {
        let answer: Value = self
            .post(&format!("/groups/{group_id}/migrate"), json!({}))
            .await;
        answer["new_id"].as_i64().unwrap_or_default()
    }

    /// Waits until the bot has a getUpdates call waiting, i.e. it listens.
    pub async fn wait_polling(&self, timeout: Duration) -> Result<(), Timeout> {
        let query = [("timeout_ms", timeout.as_millis().to_string())];
        let (status, _) = self
            .call(Method::GET, "/polling", &query, None, Some(timeout))
            .await;
        match status {
            s if s.is_success() => Ok(()),
            StatusCode::REQUEST_TIMEOUT => Err(Timeout {
                waited_for: "the bot to poll for updates".to_owned(),
                chat: None,
            }),
            s => panic!("fake-telegram: waiting for a poller answered {s}"),
        }
    }

    /// The bots, with whether each is polling and how many updates wait.
    pub async fn bots(&self) -> Value {
        self.get("/bots").await
    }

    /// The bot's command lists by `"{scope}|{language_code}"`.
    pub async fn commands(&self) -> Value {
        self.get("/commands").await
    }
}
