//! VK adapter: what the delivery runtime needs to serve the shop on VK.
//!
//! * [`listener`] long-polls (Bots Long Poll) and hands each batch of events
//!   to the runtime, saving `ts` with them;
//! * [`decode`] reads an event into what a person did;
//! * [`transport`] renders stored views as VK messages (paged inline
//!   keyboards, text buttons for clients without callbacks) and makes the
//!   calls, each message with its own fixed `random_id`, so a retry after a
//!   lost response never shows a message twice.

pub mod api;
pub mod decode;
mod listener;
mod photos;
pub mod render;
pub mod transport;

use std::sync::Arc;
use std::time::Duration;

use larder_runtime::{ChannelSetup, Handle, Listener, SendLimits};
use larder_store::{Channel, Store};

pub use api::{VkApi, VkError};
pub use decode::VkDecode;
pub use transport::VkTransport;

/// Settings of the VK side.
#[derive(Clone, Debug)]
pub struct VkConfig {
    /// The community's access token (rights: messages, manage, photos).
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

/// VK allows a community 20 requests a second; each chat is not limited.
pub fn limits() -> SendLimits {
    SendLimits {
        enabled: true,
        private_burst: 1000,
        private_per_sec: 1000,
        group_per_min: 1000,
        global_per_sec: 19,
    }
}

/// The VK channel: its client and settings.
pub struct Vk {
    api: VkApi,
    config: VkConfig,
}

impl Vk {
    pub fn new(config: VkConfig) -> Result<Vk, StartError> {
        let api = VkApi::new(
            &config.api_url,
            &config.token,
            Duration::from_secs(u64::from(config.wait_s) + 20),
        )
        .map_err(|e| StartError::Client(e.to_string()))?;
        Ok(Vk { api, config })
    }

    /// What the runtime needs to handle and send for VK.
    pub fn setup(&self, store: Store) -> ChannelSetup<VkTransport> {
        ChannelSetup {
            decode: Arc::new(VkDecode),
            transport: Arc::new(VkTransport {
                api: self.api.clone(),
                config: self.config.clone(),
                store,
                lacking: std::sync::Mutex::default(),
            }),
            limits: limits(),
        }
    }

    /// Starts receiving events into the runtime.
    pub fn listen(&self, handle: Handle) -> Listener {
        let (api, config) = (self.api.clone(), self.config.clone());
        let h = handle.clone();
        Listener::spawn(&handle, Channel::Vk, move |stopped| {
            listener::run(h.clone(), api.clone(), config.clone(), stopped)
        })
    }
}
