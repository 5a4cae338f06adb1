//! `fake-telegram`: an HTTP server that behaves like the Telegram Bot API, plus
//! a JSON **control API** through which tests, benchmarks and the demo page
//! play the people on the other side.
//!
//! Run it in process with [`spawn`] and point the bot at [`Handle::base_url`]
//! (teloxide: `Bot::new(token).set_api_url(url)`), then drive the humans with
//! the typed [`Control`] client:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use std::time::Duration;
//! let emulator = fake_telegram::spawn(fake_telegram::Config::default()).await?;
//! let ctl = emulator.control();
//! ctl.send_text(42, 42, "/start").await;
//! let chat = ctl.wait_text(42, "Welcome", Duration::from_secs(5)).await.unwrap();
//! assert!(chat.pinned().is_some());
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The contract lives in `docs/emulator.md` of the project; this crate follows
//! it and only extends it.

mod api;
mod client;
mod control;
mod faults;
mod html;
mod json;
mod markup;
mod model;
mod ratelimit;
mod server;
mod state;
mod text;
mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use client::{Control, PressError, Timeout};
pub use model::{
    ButtonView, CallbackAnswer, ChatSummary, ChatView, ContactView, DocumentView, Fault,
    KeyButtonView, MessageView, NewGroup, NewUser, PhotoView, Pressed, RequestLog, SentPhoto,
    SentUpdate, UserView,
};

/// How to run an emulator.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// The bots the emulator knows; the first one is the default bot of the
    /// control API.
    pub bots: Vec<BotSpec>,
    /// Telegram-like flood limits.
    pub rate_limits: RateLimits,
    /// The emulator's clock: the system clock unless a test or demo hands
    /// it one it has set (and may share with the bot).
    pub clock: fake_support::clock::Clock,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            bots: vec![BotSpec::default()],
            rate_limits: RateLimits::default(),
            clock: fake_support::clock::Clock::system(),
        }
    }
}

/// One bot account served by the emulator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotSpec {
    /// The token in `/bot{token}/{method}`.
    pub token: String,
    /// The bot's user id.
    pub id: i64,
    /// The bot's username, without `@`.
    pub username: String,
    /// The bot's display name.
    pub first_name: String,
}

impl Default for BotSpec {
    fn default() -> Self {
        Self {
            token: "123456:TEST-TOKEN".to_owned(),
            id: 123_456,
            username: "larder_test_bot".to_owned(),
            first_name: "Larder".to_owned(),
        }
    }
}

impl BotSpec {
    /// A bot whose id is taken from the digits before `:` in the token.
    pub fn from_token(token: &str) -> Self {
        let id = token
            .split(':')
            .next()
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(123_456);
        Self {
            token: token.to_owned(),
            id,
            ..Self::default()
        }
    }
}

/// Flood limits, modelled on what Telegram enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimits {
    /// `false` turns every limit off (load tests).
    pub enabled: bool,
    /// Tokens in each chat's bucket.
    pub private_burst: u32,
    /// Tokens added to each chat's bucket per second.
    pub private_per_sec: u32,
    /// Messages to one group (negative chat id) in any rolling minute.
    pub group_per_min: u32,
    /// Messages overall in any rolling second.
    pub global_per_sec: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enabled: true,
            private_burst: 5,
            private_per_sec: 1,
            group_per_min: 20,
            global_per_sec: 30,
        }
    }
}

impl RateLimits {
    /// The default limits, switched off.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }
}

/// Starts an emulator in the current tokio runtime.
pub async fn spawn(config: Config) -> std::io::Result<Handle> {
    server::spawn(config).await
}

/// A running emulator. Dropping it stops the server; [`Handle::shutdown`]
/// stops it gracefully and waits for it.
pub struct Handle {
    base_url: String,
    addr: SocketAddr,
    app: Arc<state::App>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Handle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token of the default (first) bot.
    pub fn token(&self) -> &str {
        &self.app.bots[0].token
    }

    /// Every bot the emulator serves.
    pub fn bots(&self) -> &[BotSpec] {
        &self.app.bots
    }

    /// A control client for the default bot.
    pub fn control(&self) -> Control {
        Control::new(self.base_url())
    }

    /// Turns the flood limits on or off at runtime (same as
    /// [`Control::set_rate_limits`], without HTTP).
    pub fn set_rate_limits(&self, enabled: bool) {
        self.app.set_rate_limits_enabled(enabled);
    }

    /// Stops accepting connections, ends pending long polls and waits for the
    /// server to finish.
    pub async fn shutdown(mut self) {
        self.app.begin_shutdown();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.app.begin_shutdown();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
