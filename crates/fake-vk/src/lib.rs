//! `fake-vk`: an HTTP server that behaves like the VK API for community
//! (group) tokens and the Bots Long Poll API, plus a JSON **control API**
//! through which tests, benchmarks and demos play the people writing to the
//! community.
//!
//! Run it in process with [`FakeVk::start`] and point the bot at
//! [`FakeVk::base_url`] (methods live at `{base}/method/{name}`), then drive
//! the people with the typed [`Control`] client:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use std::time::Duration;
//! let vk = fake_vk::FakeVk::start(fake_vk::Config::default()).await?;
//! let ctl = vk.control();
//! ctl.send_text(42, "Начать").await;
//! let peer = ctl.wait_text(42, "Welcome", Duration::from_secs(5)).await.unwrap();
//! assert!(peer.last_bot_message().is_some());
//! vk.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The contract lives in `docs/emulator.md` of the project (section
//! "fake-vk"); this crate follows it and only extends it.

mod api;
mod client;
mod control;
mod faults;
mod ids;
mod keyboard;
mod longpoll;
mod model;
mod ratelimit;
mod rights;
mod server;
mod state;
mod views;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use client::{Control, PressError, Timeout};
pub use model::{
    ALL_BUTTON_ACTIONS, AttachmentView, ButtonView, ClientInfo, EventAnswer, Fault, KeyboardView,
    MessageView, NewUser, PeerSummary, PeerView, Pressed, RequestLog, SentText, TokenRights,
    UserView,
};
pub use rights::TOKEN_RIGHTS;

/// The API version the emulator speaks (and stamps on every event).
pub const API_VERSION: &str = "5.199";

/// How to run an emulator.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// The communities the emulator serves; the first one is the default
    /// community of the control API.
    pub groups: Vec<GroupSpec>,
    /// VK's limit of 20 requests per second per token (error 6). Off by
    /// default so tests may send in bursts.
    pub rate_limit: bool,
    /// The emulator's clock: the system clock unless a test or demo hands
    /// it one it has set (and may share with the bot).
    pub clock: fake_support::clock::Clock,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            groups: vec![GroupSpec::default()],
            rate_limit: false,
            clock: fake_support::clock::Clock::system(),
        }
    }
}

/// One community served by the emulator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSpec {
    /// The community id (positive; messages from it carry `from_id = -id`).
    pub id: i64,
    /// The community's name.
    pub name: String,
    /// Community access tokens accepted as `access_token`, each with every
    /// right of [`TOKEN_RIGHTS`] unless [`GroupSpec::rights`] names it.
    pub tokens: Vec<String>,
    /// Tokens with only some rights: token → right names (`messages`,
    /// `manage`, `photos`, `docs`, `wall`, `stories`, `app_widget`). A token
    /// named here is accepted too, whether or not `tokens` lists it. A call
    /// needing a right the token lacks fails with error 15.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rights: BTreeMap<String, Vec<String>>,
}

impl Default for GroupSpec {
    fn default() -> Self {
        Self {
            id: 200_000_001,
            name: "Larder".to_owned(),
            tokens: vec!["vk1.a.TEST-GROUP-TOKEN".to_owned()],
            rights: BTreeMap::new(),
        }
    }
}

impl GroupSpec {
    /// A community with one token (carrying every right).
    pub fn new(id: i64, token: &str) -> Self {
        Self {
            id,
            tokens: vec![token.to_owned()],
            ..Self::default()
        }
    }

    /// The same community with `token` accepted and carrying only `rights`
    /// (e.g. `&["messages", "manage"]`).
    #[must_use]
    pub fn with_token_rights(mut self, token: &str, rights: &[&str]) -> Self {
        self.rights.insert(
            token.to_owned(),
            rights.iter().map(|r| (*r).to_owned()).collect(),
        );
        self
    }
}

/// A running emulator. Dropping it stops the server; [`FakeVk::shutdown`]
/// stops it gracefully and waits for it.
pub struct FakeVk {
    base_url: String,
    addr: SocketAddr,
    app: Arc<state::App>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl FakeVk {
    /// Starts an emulator in the current tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<Self> {
        server::spawn(config).await
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash; methods are at
    /// `{base_url}/method/{name}`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// `{base_url}/method`: what a VK client takes as its API root.
    pub fn api_url(&self) -> String {
        format!("{}/method", self.base_url)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The first token of the default (first) community.
    pub fn token(&self) -> &str {
        self.app.groups[0].tokens.first().map_or("", String::as_str)
    }

    /// The id of the default (first) community.
    pub fn group_id(&self) -> i64 {
        self.app.groups[0].id
    }

    /// Every community the emulator serves.
    pub fn groups(&self) -> &[GroupSpec] {
        &self.app.groups
    }

    /// A control client for the default community.
    pub fn control(&self) -> Control {
        Control::new(self.base_url())
    }

    /// Turns the 20 requests/s limit on or off at runtime (same as
    /// [`Control::set_rate_limit`], without HTTP).
    pub fn set_rate_limit(&self, enabled: bool) {
        self.app.lock().rate_limit = enabled;
        self.app.changed();
    }

    /// Gives a token exactly `rights` from now on (same as
    /// [`Control::set_token_rights`], without HTTP). Panics on a token the
    /// emulator does not accept or a right VK does not know.
    pub fn set_token_rights(&self, token: &str, rights: &[&str]) {
        assert!(
            self.app.tokens.contains_key(token),
            "fake-vk: no token {token:?}"
        );
        let rights = rights::parse(rights).unwrap_or_else(|e| panic!("fake-vk: {e}"));
        self.app.lock().rights.insert(token.to_owned(), rights);
        self.app.changed();
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

impl Drop for FakeVk {
    fn drop(&mut self) {
        self.app.begin_shutdown();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for FakeVk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeVk")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
