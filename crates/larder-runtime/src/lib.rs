//! The delivery runtime: one pipeline for every messenger.
//!
//! 1. **Receive.** A channel's listener hands each batch of raw updates to
//!    [`Handle::receive`]: a single update whose chat is idle is handled at
//!    once in the transaction that stores it; a larger batch is stored in one
//!    transaction and queued. Either way it is durable before the listener
//!    confirms it to the messenger.
//! 2. **Handle.** Updates are handled in order per chat, chats in parallel,
//!    by a fixed pool of workers ([`lanes`]). Each is one transaction: the
//!    inbox row, the domain rows, the chat's state and the outgoing calls.
//!    An update that cannot be handled (forged, about something gone) is
//!    answered and parked; one that failed for want of the database is
//!    retried until it goes through.
//! 3. **Send.** Each channel's sender takes the committed calls straight from
//!    the handler (no re-reading), keeps them in order per chat, coalesces
//!    edits of the same message, paces them within the channel's budgets
//!    ([`budget`]), answers presses at once on a separate lane, retries
//!    transient failures with backoff and jitter until a deadline, and ends
//!    permanent ones with a final status (dead letters). Outcomes are
//!    recorded in batches ([`record`]).
//!
//! A channel plugs in with a [`Decode`] (raw update → [`Event`]) and a
//! [`Transport`] (perform one [`Call`], classify its errors); everything else
//! is shared, and no adapter depends on another.

pub mod budget;
mod chats;
pub use chats::lacking_key;
mod handle;
pub mod health;
pub mod lanes;
mod lead;
mod lifecycle;
pub mod metrics;
pub mod out;
mod plan;
mod random;
mod recent;
mod record;
mod send;

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use larder_core::Clock;
use larder_store::inbox::Incoming;
use larder_store::{Channel, Store};
use larder_ui::pipeline::GroupChat;
use larder_ui::{GroupInput, I18n, Input, UiConfig, User};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

pub use budget::{Budget, SendLimits, Wait};
pub use metrics::Metrics;
pub use out::{Out, ToastOut};

/// What the runtime needs from the rest of the service.
#[derive(Clone)]
pub struct Deps {
    pub store: Store,
    pub i18n: Arc<I18n>,
    pub ui: Arc<UiConfig>,
    pub metrics: Arc<Metrics>,
    /// The one-time code that makes its sender the owner, while no owner exists.
    pub setup_code: Option<String>,
    /// What time it is: the system clock, or one a test or demo has set.
    pub clock: Clock,
    /// What the channels' listeners last heard.
    pub health: Arc<health::Health>,
}

/// Tuning of the runtime; the defaults suit a small shop.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// A press is answered at the latest after this, even while its
    /// handling is still going on (the person's client stops spinning).
    pub answer_deadline: Duration,
    /// Transient failures of a call are retried until it is this old.
    pub delivery_deadline: Duration,
    /// Workers handling updates (chats in parallel).
    pub handlers: usize,
    /// Calls in flight at once per channel.
    pub max_in_flight: usize,
    /// Outcomes of calls that are safe to repeat are recorded this often.
    pub record_every: Duration,
    /// How often each sender looks for calls it has not been handed
    /// (queued before a restart, or by another process).
    pub scan_every: Duration,
    /// Handled updates and finished calls are deleted once this old.
    pub keep: Duration,
    /// How often old rows are looked for.
    pub prune_every: Duration,
    /// Whether updates are handled (off: only stored, as if handling were
    /// down; tests of restarts use it).
    pub handle: bool,
    /// Whether messages are sent (off: they wait in the outbox, as if
    /// sending were down; presses are still answered).
    pub send: bool,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            answer_deadline: Duration::from_millis(700),
            delivery_deadline: Duration::from_secs(24 * 3600),
            handlers: 4,
            max_in_flight: 32,
            record_every: Duration::from_secs(1),
            scan_every: Duration::from_secs(30),
            keep: Duration::from_secs(14 * 24 * 3600),
            prune_every: Duration::from_secs(600),
            handle: true,
            send: true,
        }
    }
}

/// What a channel can do, which shapes how replies become calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Caps {
    /// Typed input can be removed, so the screen stays the last message.
    pub delete_input: bool,
    /// A new screen is pinned.
    pub pin_screen: bool,
    /// Long keyboards are shown a page at a time: the screen shown is kept
    /// so another page can be drawn.
    pub pages: bool,
    /// There is no /start: a person's first message opens the conversation.
    pub first_message_starts: bool,
}

/// What a person did in a private chat.
#[derive(Clone, Debug)]
pub struct Private {
    pub chat_id: i64,
    pub user: User,
    /// The person's language as the messenger tells it.
    pub language: Option<String>,
    pub input: Input,
    /// The typed message, or the message whose button was pressed.
    pub message_id: Option<i64>,
    /// The press to answer, in the channel's terms.
    pub press: Option<String>,
    /// Settings to store for this chat with its handling (`None` removes).
    pub remember: Vec<(String, Option<String>)>,
}

/// What a person did in a staff group.
#[derive(Clone, Debug)]
pub struct Group {
    pub chat: GroupChat,
    pub user: User,
    pub input: GroupInput,
    /// The message the command came in, or whose button was pressed.
    pub message_id: i64,
    pub press: Option<String>,
}

/// A received update, as the runtime understands it.
#[derive(Clone, Debug)]
pub enum Event {
    Private(Private),
    Group(Group),
    /// A group became another chat (a supergroup) with a new id.
    Migrated {
        from: i64,
        to: i64,
    },
    /// The bot was removed from a group.
    Left {
        chat_id: i64,
        title: String,
    },
    /// Another page of the buttons of the chat's screen.
    Page {
        chat_id: i64,
        page: usize,
        press: Option<String>,
    },
    /// A person allows messages again (VK's `message_allow`): what they
    /// are told of their orders reaches them from now on.
    Reachable {
        chat_id: i64,
    },
    /// A press the runtime cannot read (answered "this button is outdated").
    Unreadable {
        press: Option<String>,
    },
    /// Nothing for us.
    Ignore,
}

impl Event {
    pub fn press(&self) -> Option<&str> {
        match self {
            Event::Private(p) => p.press.as_deref(),
            Event::Group(g) => g.press.as_deref(),
            Event::Page { press, .. } | Event::Unreadable { press } => press.as_deref(),
            _ => None,
        }
    }
}

/// How a channel reads its updates.
pub trait Decode: Send + Sync + 'static {
    fn channel(&self) -> Channel;
    fn caps(&self) -> Caps;
    /// Reads a raw update as stored.
    fn decode(&self, payload: &str) -> Event;
}

/// One call for a transport to make.
#[derive(Clone, Debug)]
pub struct Call {
    /// The outbox row.
    pub id: i64,
    pub chat_id: i64,
    /// Fixed per row: a retry carries the same one.
    pub random_id: i64,
    pub out: Out,
    /// The chat's screen message, when known (for screen edits).
    pub screen: Option<i64>,
    /// The card's message, when known (for card edits).
    pub card_message: Option<i64>,
    /// The payload of a call queued by an older version (`out` is then
    /// [`Out::Legacy`]).
    pub legacy: Option<(String, String)>,
}

/// What a call did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    /// Done; `detail` is what to keep (a new message's id).
    Sent { detail: Option<String> },
    /// A new screen message: remembered, and pinned if `pin`.
    Screen { message_id: i64, pin: bool },
    /// A card's message was sent: remembered.
    Card { card_id: i64, message_id: i64 },
}

/// Why a call failed, by what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// Worth retrying: a server error, a timeout, a lost connection, flood
    /// control (`retry_after`). `unsure`: the call may have taken effect
    /// before its response was lost (a retry may then show a duplicate).
    Transient {
        error: String,
        retry_after: Option<Duration>,
        unsure: bool,
    },
    /// Refused for good (a bad request): a dead letter.
    Permanent { error: String },
    /// The chat cannot be written to any more (blocked, removed, gone).
    Unreachable { error: String },
    /// The group became a supergroup with a new id: retry there.
    Migrated { to: i64 },
}

/// How a channel makes calls.
pub trait Transport: Send + Sync + 'static {
    fn perform(&self, call: Call) -> impl Future<Output = Result<Done, CallError>> + Send;

    /// Rights the channel's token was found to lack since last asked (VK:
    /// `photos`, `messages`): the owners are told once.
    fn lacking(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A channel's sender, as the rest of the runtime reaches it.
struct ChannelLink {
    decode: Arc<dyn Decode>,
    to_sender: mpsc::UnboundedSender<send::ToSender>,
}

pub(crate) struct Inner {
    pub deps: Deps,
    pub config: RuntimeConfig,
    channels: HashMap<Channel, ChannelLink>,
    pub lanes: Arc<lanes::Lanes<(Channel, i64), handle::Job>>,
    pub recorder: mpsc::UnboundedSender<record::Record>,
    /// Presses already answered at their deadline (their stored answer is
    /// then not sent again).
    pub answered: Mutex<recent::Recent<String, ()>>,
    /// Stored updates handed to this process's workers lately (so one
    /// found again is not queued twice).
    pub queued: Mutex<recent::Recent<i64, ()>>,
    /// Screens sent lately, per chat (the recorder stores them a moment
    /// later): a press on one is not taken for a press on an old message.
    pub screens: Mutex<recent::Recent<(Channel, i64), i64>>,
    /// Whether this process leads each channel (polls it, sends its calls).
    leads: HashMap<Channel, watch::Sender<bool>>,
    pub stop: watch::Receiver<bool>,
}

impl Inner {
    pub fn now_ms(&self) -> i64 {
        self.deps.clock.now_ms()
    }

    fn link(&self, channel: Channel) -> Option<&ChannelLink> {
        self.channels.get(&channel)
    }

    pub fn decoder(&self, channel: Channel) -> Option<Arc<dyn Decode>> {
        self.link(channel).map(|l| l.decode.clone())
    }

    /// Hands committed calls to their channels' senders.
    pub fn push(&self, calls: Vec<send::Queued>) {
        let mut by_channel: HashMap<Channel, Vec<send::Queued>> = HashMap::new();
        for q in calls {
            by_channel.entry(q.row.channel).or_default().push(q);
        }
        for (channel, calls) in by_channel {
            match self.link(channel) {
                Some(link) => {
                    let _ = link.to_sender.send(send::ToSender::Queue(calls));
                }
                None => tracing::debug!(
                    channel = channel.as_str(),
                    "calls for a channel not served here wait in the outbox"
                ),
            }
        }
    }

    pub fn tell_sender(&self, channel: Channel, msg: send::ToSender) {
        if let Some(link) = self.link(channel) {
            let _ = link.to_sender.send(msg);
        }
    }

    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    pub fn leading(&self, channel: Channel) -> bool {
        self.leads.get(&channel).is_some_and(|l| *l.borrow())
    }

    pub fn set_leading(&self, channel: Channel, leading: bool) {
        if let Some(l) = self.leads.get(&channel) {
            l.send_replace(leading);
        }
        self.deps.health.leading(channel, leading);
    }

    /// Hands a stored update to this process's workers, unless it was
    /// handed over lately.
    pub fn queue_update(&self, channel: Channel, row: larder_store::inbox::InboxRow) {
        let fresh = {
            let mut queued = self
                .queued
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let fresh = !queued.contains(&row.id);
            if fresh {
                queued.insert(row.id, ());
            }
            fresh
        };
        if fresh {
            self.lanes
                .push((channel, row.chat_id.unwrap_or(0)), handle::Job { row });
        }
    }
}

/// Receives updates for one channel (what listeners hold).
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

/// Asked to stop before the batch was durable: do not confirm it.
#[derive(Debug, thiserror::Error)]
#[error("stopping")]
pub struct Stopping;

impl Handle {
    /// Takes a batch of received updates; returns once every one of them is
    /// stored or handled (only then may the listener confirm them).
    /// `cursor`: a setting saved with them (a long-poll position).
    pub async fn receive(
        &self,
        channel: Channel,
        batch: Vec<Incoming>,
        cursor: Option<(String, String)>,
    ) -> Result<(), Stopping> {
        handle::receive(&self.inner, channel, batch, cursor).await
    }

    pub fn deps(&self) -> &Deps {
        &self.inner.deps
    }

    /// The messenger answered this channel's poll now.
    pub fn heard(&self, channel: Channel) {
        self.inner.deps.health.heard(channel, self.inner.now_ms());
    }

    /// This process starts (or stops) receiving the channel's updates.
    pub fn receiving(&self, channel: Channel, receiving: bool) {
        self.inner.deps.health.receiving(channel, receiving);
    }

    /// This process starts (or stops) serving the channel's webhook.
    pub fn webhook(&self, channel: Channel, serving: bool) {
        self.inner.deps.health.webhook(channel, serving);
    }

    /// What the messenger reports going wrong with the channel now.
    pub fn problem(&self, channel: Channel, problem: Option<String>) {
        self.inner.deps.health.problem(channel, problem);
    }

    /// Now, by the runtime's clock (unix ms).
    pub fn now_ms(&self) -> i64 {
        self.inner.now_ms()
    }

    /// The channel's token lacks a right (VK: `manage` for the long poll):
    /// the admins' group and the owners are told once.
    pub async fn lacking(&self, channel: Channel, right: &str) {
        match chats::lacking(&self.inner, channel, right).await {
            Ok(queued) => self.inner.push(queued),
            Err(e) => {
                tracing::error!(error = %e, right, "cannot tell the owners of a lacking right")
            }
        }
    }

    pub fn stopped(&self) -> watch::Receiver<bool> {
        self.inner.stop.clone()
    }

    /// Whether this process leads `channel` (and so polls it), as it changes.
    pub fn leading(&self, channel: Channel) -> watch::Receiver<bool> {
        match self.inner.leads.get(&channel) {
            Some(l) => l.subscribe(),
            None => watch::channel(false).1,
        }
    }
}

/// A channel's running listener (its long poll), which polls only while
/// this process leads the channel: stopped gracefully, or at once as a
/// killed process would be.
pub struct Listener {
    task: tokio::task::JoinHandle<()>,
    /// Tasks that run beside it whatever the lead (a webhook endpoint).
    beside: Vec<tokio::task::JoinHandle<()>>,
    stop: watch::Sender<bool>,
}

impl Listener {
    /// Runs `listen` whenever this process leads `channel`; `listen` should
    /// return once the receiver it is given says stop (the process stops,
    /// or another process took over).
    pub fn spawn<F, Fut>(handle: &Handle, channel: Channel, listen: F) -> Listener
    where
        F: Fn(watch::Receiver<bool>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (stop, mut stopped) = watch::channel(false);
        let mut leading = handle.leading(channel);
        let task = tokio::spawn(async move {
            loop {
                // Wait for the lead (or for the stop).
                while !*leading.borrow_and_update() {
                    tokio::select! {
                        r = leading.changed() => if r.is_err() { return },
                        _ = stopped.changed() => return,
                    }
                }
                if *stopped.borrow() {
                    return;
                }
                let (stop_one, stop_rx) = watch::channel(false);
                let run = tokio::spawn(listen(stop_rx));
                tokio::pin!(run);
                tokio::select! {
                    _ = &mut run => {}
                    _ = stopped.changed() => {
                        let _ = stop_one.send(true);
                        let _ = run.await;
                        return;
                    }
                    _ = async {
                        while *leading.borrow_and_update() {
                            if leading.changed().await.is_err() { break; }
                        }
                    } => {
                        let _ = stop_one.send(true);
                        let _ = run.await;
                    }
                }
            }
        });
        Listener {
            task,
            beside: Vec::new(),
            stop,
        }
    }

    /// Also runs `start`'s task for as long as the listener runs, whether
    /// or not this process leads; it is given the listener's stop.
    pub fn beside(
        mut self,
        start: impl FnOnce(watch::Receiver<bool>) -> tokio::task::JoinHandle<()>,
    ) -> Listener {
        self.beside.push(start(self.stop.subscribe()));
        self
    }

    /// Stops listening; a batch being stored is finished first.
    pub async fn shutdown(self, grace: Duration) {
        let _ = self.stop.send(true);
        let deadline = tokio::time::Instant::now() + grace;
        for mut task in std::iter::once(self.task).chain(self.beside) {
            if tokio::time::timeout_at(deadline, &mut task).await.is_err() {
                task.abort();
                let _ = task.await;
            }
        }
    }

    /// Stops at once, as if the process were killed.
    pub async fn abort(self) {
        for task in std::iter::once(self.task).chain(self.beside) {
            task.abort();
            let _ = task.await;
        }
    }
}

/// A channel to serve.
pub struct ChannelSetup<T> {
    pub decode: Arc<dyn Decode>,
    pub transport: Arc<T>,
    pub limits: SendLimits,
}

/// The running runtime.
pub struct Runtime {
    inner: Arc<Inner>,
    stop: watch::Sender<bool>,
    handlers: JoinSet<()>,
    senders: JoinSet<()>,
    recorder: Option<tokio::task::JoinHandle<()>>,
}

/// Starts a channel's sender once the runtime exists.
type SenderStart = Box<dyn FnOnce(Arc<Inner>, &mut JoinSet<()>) + Send>;

/// Collects the channels, then starts everything.
pub struct Builder {
    deps: Deps,
    config: RuntimeConfig,
    channels: HashMap<Channel, ChannelLink>,
    leads: HashMap<Channel, watch::Sender<bool>>,
    starts: Vec<SenderStart>,
    stop: (watch::Sender<bool>, watch::Receiver<bool>),
}

impl Runtime {
    pub fn builder(deps: Deps, config: RuntimeConfig) -> Builder {
        Builder {
            deps,
            config,
            channels: HashMap::new(),
            leads: HashMap::new(),
            starts: Vec::new(),
            stop: watch::channel(false),
        }
    }

    pub fn handle(&self) -> Handle {
        Handle {
            inner: self.inner.clone(),
        }
    }

    /// Stops taking work, lets what runs finish (up to `grace`), records
    /// every outcome, then stops.
    pub async fn shutdown(mut self, grace: Duration) {
        let _ = self.stop.send(true);
        self.inner.lanes.close();
        let drained = tokio::time::timeout(grace, async {
            while self.handlers.join_next().await.is_some() {}
            while self.senders.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            self.handlers.abort_all();
            self.senders.abort_all();
        }
        let _ = self.inner.recorder.send(record::Record::Close);
        if let Some(recorder) = self.recorder.take() {
            let _ = tokio::time::timeout(grace, recorder).await;
        }
    }

    /// Stops at once, as if the process were killed: nothing is finished
    /// or recorded.
    pub async fn abort(mut self) {
        self.handlers.abort_all();
        self.senders.abort_all();
        if let Some(recorder) = self.recorder.take() {
            recorder.abort();
            let _ = recorder.await;
        }
        while self.handlers.join_next().await.is_some() {}
        while self.senders.join_next().await.is_some() {}
    }
}

impl Builder {
    /// Serves a channel: its updates are handled and its calls sent.
    pub fn channel<T: Transport>(mut self, setup: ChannelSetup<T>) -> Builder {
        let channel = setup.decode.channel();
        self.leads.insert(channel, watch::channel(false).0);
        let (to_sender, from_runtime) = mpsc::unbounded_channel();
        self.channels.insert(
            channel,
            ChannelLink {
                decode: setup.decode,
                to_sender,
            },
        );
        let (transport, limits) = (setup.transport, setup.limits);
        self.starts.push(Box::new(move |inner, set| {
            set.spawn(send::run(inner, channel, transport, limits, from_runtime));
        }));
        self
    }

    /// Starts the workers, the senders and the recorder; updates stored but
    /// not handled before a restart are queued first, in order.
    pub async fn start(self) -> Runtime {
        let (recorder_tx, recorder_rx) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner {
            deps: self.deps,
            config: self.config,
            channels: self.channels,
            lanes: Arc::default(),
            recorder: recorder_tx,
            answered: Mutex::new(recent::Recent::new(Duration::from_secs(120))),
            queued: Mutex::new(recent::Recent::new(Duration::from_secs(60))),
            screens: Mutex::new(recent::Recent::new(Duration::from_secs(60))),
            leads: self.leads,
            stop: self.stop.1,
        });
        let recorder = tokio::spawn(record::run(inner.clone(), recorder_rx));
        let mut senders = JoinSet::new();
        for start in self.starts {
            start(inner.clone(), &mut senders);
        }
        let several = inner.deps.store.backend() == larder_store::Backend::Postgres;
        for &channel in inner.channels.keys() {
            senders.spawn(lead::run(inner.clone(), channel));
            if several && inner.config.handle {
                senders.spawn(lead::sweep(inner.clone(), channel));
            }
        }
        if several {
            senders.spawn(lead::listen_calls(inner.clone()));
        }
        senders.spawn(lifecycle::run(inner.clone()));
        let mut handlers = JoinSet::new();
        if !inner.config.handle {
            return Runtime {
                inner,
                stop: self.stop.0,
                handlers,
                senders,
                recorder: Some(recorder),
            };
        }
        handle::resume(&inner).await;
        let workers = inner.config.handlers;
        let work_inner = inner.clone();
        lanes::spawn_workers(
            &inner.lanes,
            workers,
            move |key: (Channel, i64), job: handle::Job| {
                let inner = work_inner.clone();
                async move { handle::run(&inner, key.0, job).await }
            },
            &mut handlers,
        );
        Runtime {
            inner,
            stop: self.stop.0,
            handlers,
            senders,
            recorder: Some(recorder),
        }
    }
}
