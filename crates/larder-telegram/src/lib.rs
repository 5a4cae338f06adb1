//! Telegram adapter: teloxide-core used thinly (the `Bot` client, typed
//! requests and errors) under larder's own durable pipeline:
//!
//! * [`listener`] long-polls `getUpdates`, stores each update in the inbox and
//!   only then confirms the offset;
//! * [`dispatch`] hands stored updates to one worker per chat (in order within
//!   a chat, chats in parallel), which runs the channel-neutral screens in one
//!   transaction with the outgoing calls;
//! * [`sender`] drains the outbox per chat, within rate limits.

mod callback;
mod dispatch;
mod handler;
pub mod limits;
mod listener;
pub mod metrics;
pub mod render;
mod sender;

use std::sync::Arc;
use std::time::Duration;

use larder_store::Store;
use larder_ui::{I18n, UiConfig};
use teloxide_core::Bot;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

pub use handler::elsewhere as queue_effects;
pub use limits::SendLimits;
pub use metrics::Metrics;

/// Settings of the Telegram side.
#[derive(Clone, Debug)]
pub struct TelegramConfig {
    pub token: String,
    /// Bot API base URL without the `/bot<token>` part.
    pub api_url: String,
    /// Seconds a `getUpdates` call waits for news.
    pub poll_timeout_s: u32,
    pub limits: SendLimits,
    /// When a press is answered at the latest, even if its handling is slow.
    pub answer_deadline: Duration,
}

impl TelegramConfig {
    pub fn new(token: impl Into<String>, api_url: impl Into<String>) -> TelegramConfig {
        TelegramConfig {
            token: token.into(),
            api_url: api_url.into(),
            poll_timeout_s: 25,
            limits: SendLimits::default(),
            answer_deadline: Duration::from_millis(700),
        }
    }
}

/// The bot's username from `getMe` (for invite links); `None` if Telegram
/// cannot be reached now (start-up does not wait for it). A token Telegram
/// refuses is an error: nothing would work with it.
pub async fn bot_username(config: &TelegramConfig) -> Result<Option<String>, StartError> {
    use teloxide_core::prelude::Requester;
    let url: reqwest::Url = config
        .api_url
        .parse()
        .map_err(|e| StartError::ApiUrl(format!("{e}")))?;
    let bot = Bot::new(config.token.clone()).set_api_url(url);
    match tokio::time::timeout(Duration::from_secs(5), bot.get_me()).await {
        Ok(Ok(me)) => Ok(me.user.username.clone()),
        Ok(Err(teloxide_core::RequestError::Api(teloxide_core::ApiError::InvalidToken))) => {
            Err(StartError::Token)
        }
        Ok(Err(e)) => {
            let error = e.to_string().replace(&config.token, "<token>");
            tracing::warn!(%error, "getMe failed; invite links will show /start codes");
            Ok(None)
        }
        Err(_) => Ok(None),
    }
}

/// What the adapter needs from the rest of the service.
#[derive(Clone)]
pub struct Deps {
    pub store: Store,
    pub i18n: Arc<I18n>,
    pub ui: Arc<UiConfig>,
    pub metrics: Arc<Metrics>,
    /// The one-time code that makes its sender the owner, while no owner exists.
    pub setup_code: Option<String>,
    /// What time it is: the system clock, or one a test or demo has set.
    pub clock: larder_core::Clock,
}

/// Which parts to run; tests run the listener alone to simulate a crash
/// between receiving updates and handling them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    pub listen: bool,
    pub handle: bool,
    pub send: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        listen: true,
        handle: true,
        send: true,
    };
}

/// Shared by the adapter's tasks.
pub(crate) struct Shared {
    pub deps: Deps,
    pub config: TelegramConfig,
    pub bot: Bot,
    pub limiter: limits::Limiter,
    /// Wakes the sender when calls are queued.
    pub outbox_ready: Notify,
    pub stop: watch::Receiver<bool>,
}

impl Shared {
    /// Now, unix ms, from the service's clock.
    pub fn now_ms(&self) -> i64 {
        self.deps.clock.now_ms()
    }

    /// Removes the token from text that may quote a request URL.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.config.token, "<token>")
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
}

/// The running adapter.
pub struct Service {
    tasks: JoinSet<()>,
    stop: watch::Sender<bool>,
}

impl Service {
    pub fn spawn(deps: Deps, config: TelegramConfig, parts: Parts) -> Result<Service, StartError> {
        let url: reqwest::Url = config
            .api_url
            .parse()
            .map_err(|e| StartError::ApiUrl(format!("{e}")))?;
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(u64::from(config.poll_timeout_s) + 20))
            .build()
            .map_err(|e| StartError::Client(e.to_string()))?;
        let bot = Bot::with_client(config.token.clone(), client).set_api_url(url);
        let (stop_tx, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            limiter: limits::Limiter::new(config.limits.clone()),
            deps,
            config,
            bot,
            outbox_ready: Notify::new(),
            stop: stop_rx,
        });
        let mut tasks = JoinSet::new();
        let (to_dispatch, from_listener) = tokio::sync::mpsc::unbounded_channel();
        if parts.listen {
            tasks.spawn(listener::run(
                shared.clone(),
                parts.handle.then_some(to_dispatch),
            ));
        }
        if parts.handle {
            tasks.spawn(dispatch::run(shared.clone(), from_listener));
        }
        if parts.send {
            tasks.spawn(sender::run(shared.clone()));
        }
        Ok(Service {
            tasks,
            stop: stop_tx,
        })
    }

    /// Stops taking new updates, lets running work finish (up to `grace`),
    /// then stops everything.
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

    /// Stops at once, as if the process were killed: no work is finished.
    pub async fn abort(mut self) {
        self.tasks.abort_all();
        while self.tasks.join_next().await.is_some() {}
    }
}
