//! Telegram adapter: what the delivery runtime needs to serve Telegram.
//!
//! * [`listener`] long-polls `getUpdates` and hands each batch, as received,
//!   to the runtime, confirming it only once it is durable;
//! * [`decode`] reads an update into what a person did;
//! * [`transport`] renders stored views as Telegram HTML and keyboards,
//!   makes the Bot API calls and tells what each failure means;
//! * [`api`] is the small Bot API client underneath.

pub mod api;
mod commands;
pub mod decode;
mod legacy;
mod listener;
pub mod render;
pub mod transport;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use larder_runtime::{ChannelSetup, Handle, Listener, SendLimits};
use larder_store::Channel;

pub use api::{ApiError, BotApi};
pub use decode::TelegramDecode;
pub use transport::TelegramTransport;
pub use webhook::WebhookConfig;

/// Settings of the Telegram side.
#[derive(Clone, Debug)]
pub struct TelegramConfig {
    pub token: String,
    /// Bot API base URL without the `/bot<token>` part.
    pub api_url: String,
    /// Seconds a `getUpdates` call waits for news.
    pub poll_timeout_s: u32,
    /// How long any other call may take before it counts as lost (it may
    /// still have taken effect: it is retried as such).
    pub call_timeout: Duration,
    pub limits: SendLimits,
    /// Receive by webhook instead of long polling.
    pub webhook: Option<WebhookConfig>,
}

impl TelegramConfig {
    pub fn new(token: impl Into<String>, api_url: impl Into<String>) -> TelegramConfig {
        TelegramConfig {
            token: token.into(),
            api_url: api_url.into(),
            poll_timeout_s: 25,
            call_timeout: Duration::from_secs(15),
            limits: SendLimits::default(),
            webhook: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the Telegram API URL is not valid: {0}")]
    ApiUrl(String),
    #[error("Telegram refused the bot token (check LARDER_TELEGRAM_TOKEN)")]
    Token,
    #[error("could not build the HTTP client: {0}")]
    Client(String),
    #[error("cannot receive the webhook on {listen}: {error}")]
    Webhook { listen: String, error: String },
}

/// The Telegram channel: its client and settings.
pub struct Telegram {
    api: BotApi,
    config: TelegramConfig,
}

impl Telegram {
    pub fn new(config: TelegramConfig) -> Result<Telegram, StartError> {
        if !config.api_url.starts_with("http://") && !config.api_url.starts_with("https://") {
            return Err(StartError::ApiUrl(config.api_url.clone()));
        }
        let api = BotApi::new(&config.api_url, &config.token, config.call_timeout)
            .map_err(|e| StartError::Client(e.to_string()))?;
        Ok(Telegram { api, config })
    }

    /// The bot's username from `getMe` (for invite links); `None` if
    /// Telegram cannot be reached now (start-up does not wait for it). A
    /// token Telegram refuses is an error: nothing would work with it.
    pub async fn bot_username(&self) -> Result<Option<String>, StartError> {
        let me = tokio::time::timeout(
            Duration::from_secs(5),
            self.api.call("getMe", &serde_json::json!({})),
        )
        .await;
        match me {
            Ok(Ok(me)) => Ok(me["username"].as_str().map(str::to_owned)),
            Ok(Err(ApiError::Api { code: 401, .. })) => Err(StartError::Token),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "getMe failed; invite links will show /start codes");
                Ok(None)
            }
            Err(_) => Ok(None),
        }
    }

    /// What the runtime needs to handle and send for Telegram.
    pub fn setup(&self, bot_username: Option<String>) -> ChannelSetup<TelegramTransport> {
        ChannelSetup {
            decode: Arc::new(TelegramDecode { bot: bot_username }),
            transport: Arc::new(TelegramTransport {
                api: self.api.clone(),
            }),
            limits: self.config.limits.clone(),
        }
    }

    /// Starts receiving updates into the runtime: by long polling while
    /// this process leads the channel, or by webhook (every process serves
    /// the endpoint; the leader registers it).
    pub async fn listen(&self, handle: Handle) -> Result<Listener, StartError> {
        let api = self.api.clone();
        let h = handle.clone();
        let (menus, menus_api) = (handle.clone(), api.clone());
        let keep_menus = move |stop| tokio::spawn(commands::keep(menus, menus_api, stop));
        let Some(hook) = self.config.webhook.clone() else {
            let timeout_s = self.config.poll_timeout_s;
            return Ok(Listener::spawn(&handle, Channel::Telegram, move |stopped| {
                listener::run(h.clone(), api.clone(), timeout_s, stopped)
            })
            .beside(keep_menus));
        };
        let tcp = tokio::net::TcpListener::bind(&hook.listen)
            .await
            .map_err(|e| StartError::Webhook {
                listen: hook.listen.clone(),
                error: e.to_string(),
            })?;
        let kept = hook.clone();
        let listener = Listener::spawn(&handle, Channel::Telegram, move |stopped| {
            webhook::keep(h.clone(), api.clone(), kept.clone(), stopped)
        });
        Ok(listener
            .beside(|stop| webhook::serve(handle, tcp, &hook, stop))
            .beside(keep_menus))
    }
}
