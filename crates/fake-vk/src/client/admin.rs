//! Inspecting and steering the emulator: the request log, faults, the
//! clock, reset, the rate limit, blocking, polling.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Control, Timeout, decode};
use crate::model::{Fault, RequestLog, TokenRights};

impl Control {
    /// Every API call so far, in order.
    pub async fn requests(&self) -> Vec<RequestLog> {
        self.get("/requests").await
    }

    /// The API calls of one method, in order.
    pub async fn requests_for(&self, method: &str) -> Vec<RequestLog> {
        let query = [("method", method.to_owned())];
        let (_, bytes) = self
            .call(Method::GET, "/requests", &query, None, None)
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

    /// Moves the emulator clock forward by milliseconds.
    pub async fn advance_clock_ms(&self, ms: i64) -> i64 {
        let now: Value = self.post("/clock", json!({ "advance_ms": ms })).await;
        now["now_ms"].as_i64().unwrap_or_default()
    }

    /// Stops the emulator clock (`true`) so only advances move it, or lets
    /// it run again.
    pub async fn freeze_clock(&self, frozen: bool) -> i64 {
        let now: Value = self.post("/clock", json!({ "freeze": frozen })).await;
        now["now_ms"].as_i64().unwrap_or_default()
    }

    /// The emulator clock, unix ms.
    pub async fn now_ms(&self) -> i64 {
        let now: Value = self.get("/clock").await;
        now["now_ms"].as_i64().unwrap_or_default()
    }

    /// Forgets people, conversations, uploads, answers, faults, requests and
    /// the clock; tokens get their configured rights back.
    pub async fn reset(&self) {
        self.post::<Value>("/reset", json!({})).await;
    }

    /// Turns VK's 20 requests/s per token limit (error 6) on or off.
    pub async fn set_rate_limit(&self, enabled: bool) {
        self.post::<Value>("/rate_limit", json!({ "enabled": enabled }))
            .await;
    }

    /// The person forbids messages from the community (`message_deny`;
    /// sending then fails with 901).
    pub async fn block(&self, peer_id: i64) {
        self.post::<Value>(&format!("/peers/{peer_id}/block"), json!({}))
            .await;
    }

    /// The community blacklists the person (sending fails with 900).
    pub async fn blacklist(&self, peer_id: i64) {
        let body = json!({ "blacklist": true });
        self.post::<Value>(&format!("/peers/{peer_id}/block"), body)
            .await;
    }

    /// The person allows messages from the community (`message_allow`
    /// with an empty `key`).
    pub async fn allow(&self, peer_id: i64) {
        self.allow_with_key(peer_id, "").await;
    }

    /// The person allows messages through a link carrying `key`
    /// (`message_allow` with that `key`).
    pub async fn allow_with_key(&self, peer_id: i64, key: &str) {
        let body = json!({ "key": key });
        self.post::<Value>(&format!("/peers/{peer_id}/allow"), body)
            .await;
    }

    /// Gives a token exactly these rights from now on (`messages`,
    /// `manage`, `photos`, `docs`, `wall`, `stories`, `app_widget`); calls
    /// needing another right fail with error 15. Panics on an unknown token
    /// or right.
    pub async fn set_token_rights(&self, token: &str, rights: &[&str]) -> TokenRights {
        let body = json!({ "token": token, "rights": rights });
        self.post("/rights", body).await
    }

    /// Every accepted token and the rights it carries now.
    pub async fn token_rights(&self) -> Vec<TokenRights> {
        self.get("/rights").await
    }

    /// Waits until the bot has a long poll waiting, i.e. it listens.
    pub async fn wait_polling(&self, timeout: Duration) -> Result<(), Timeout> {
        let query = [("timeout_ms", timeout.as_millis().to_string())];
        let (status, _) = self
            .call(Method::GET, "/polling", &query, None, Some(timeout))
            .await;
        match status {
            s if s.is_success() => Ok(()),
            StatusCode::REQUEST_TIMEOUT => Err(Timeout {
                waited_for: "the bot to poll for events".to_owned(),
                peer: None,
            }),
            s => panic!("fake-vk: waiting for a poller answered {s}"),
        }
    }

    /// The communities, with whether each is polled and its current `ts`.
    pub async fn groups(&self) -> Value {
        self.get("/groups").await
    }
}
