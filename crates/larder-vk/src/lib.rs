//! VK adapter: the shop on VK through the Bots Long Poll API, under the same
//! durable pipeline as Telegram.
//!
//! * [`listener`] long-polls, stores each event in the inbox (keyed by its
//!   `event_id`) and saves `ts` only after the batch is stored, then handles
//!   the stored events in order;
//! * the handler runs the channel-neutral screens (the customers' shop) in one
//!   transaction with the outgoing messages — to the VK customer, and to the
//!   Telegram staff groups;
//! * [`sender`] drains the VK outbox within VK's 20 requests a second, with a
//!   `random_id` fixed when the message was queued, so a retry after a lost
//!   response never shows a message twice.

pub mod api;
mod handler;
mod listener;
mod photos;
pub mod render;
mod sender;

use std::sync::Arc;
use std::time::Duration;

use larder_telegram::Deps;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

pub use api::{VkApi, VkError};

/// Settings of the VK side.
#[derive(Clone, Debug)]
pub struct VkConfig {
    /// The community's access token (messages and manage rights).
    pub token: String,
    /// The community's id (positive).
    pub group_id: i64,
    /// `https://api.vk.com` or an emulator.
    pub api_url: String,
    /// Seconds a long-poll request waits for news (at most 90).
    pub wait_s: u32,
    /// Where product photos (Telegram file ids) can be downloaded from.
    pub telegram_files: Option<TelegramFiles>,
}

/// The Telegram Bot API the product photos live in.
#[derive(Clone, Debug)]
pub struct TelegramFiles {
    pub api_url: String,
    pub token: String,
}

impl VkConfig {
    pub fn new(token: impl Into<String>, group_id: i64, api_url: impl Into<String>) -> VkConfig {
        VkConfig {
            token: token.into(),
            group_id,
            api_url: api_url.into(),
            wait_s: 25,
            telegram_files: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not build the HTTP client: {0}")]
    Client(String),
}

pub(crate) struct Shared {
    pub deps: Deps,
    pub config: VkConfig,
    pub api: VkApi,
    /// Wakes the sender when messages are queued.
    pub outbox_ready: Notify,
    pub stop: watch::Receiver<bool>,
}

impl Shared {
    /// Now, unix ms, from the service's clock.
    pub fn now_ms(&self) -> i64 {
        self.deps.clock.now_ms()
    }
}

/// The running adapter.
pub struct Service {
    tasks: JoinSet<()>,
    stop: watch::Sender<bool>,
}

impl Service {
    pub fn spawn(deps: Deps, config: VkConfig) -> Result<Service, StartError> {
        let api = VkApi::new(
            &config.api_url,
            &config.token,
            Duration::from_secs(u64::from(config.wait_s) + 20),
        )
        .map_err(|e| StartError::Client(e.to_string()))?;
        let (stop_tx, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            deps,
            config,
            api,
            outbox_ready: Notify::new(),
            stop: stop_rx,
        });
        let mut tasks = JoinSet::new();
        tasks.spawn(listener::run(shared.clone()));
        tasks.spawn(sender::run(shared));
        Ok(Service {
            tasks,
            stop: stop_tx,
        })
    }

    /// Stops taking new events, lets running work finish (up to `grace`).
    pub async fn shutdown(mut self, grace: Duration) {
        let _ = self.stop.send(true);
        let drained = tokio::time::timeout(grace, async {
            while self.tasks.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            self.tasks.abort_all();
            while self.tasks.join_next().await.is_some() {}
        }
    }

    /// Stops at once, as if the process were killed.
    pub async fn abort(mut self) {
        self.tasks.abort_all();
        while self.tasks.join_next().await.is_some() {}
    }
}

/// A stable 63-bit key of a VK `event_id` (the inbox keys updates by number).
pub fn event_key(event_id: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in event_id.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    i64::try_from(hash >> 1).unwrap_or(i64::MAX)
}
