//! A channel's sender. Calls arrive straight from the handler once their
//! transaction commits (and, after a restart, from a scan of the outbox);
//! they wait in a queue per chat and go out in order, one at a time per
//! chat, chats in parallel, within the channel's budget.
//!
//! * Edits of the same screen or card are coalesced: only the newest waiting
//!   one is sent, and a new message takes the newest edit's content.
//! * Answers to presses skip the queues and the budget: they go at once.
//! * A transient failure puts the call back with exponential backoff and
//!   jitter (or exactly `retry_after` after a 429, which also slows the
//!   chat); later calls of the chat wait behind it, so order holds. It is
//!   retried until its deadline, then ends as expired.
//! * A permanent failure ends the call (a dead letter); a chat that cannot
//!   be written to drops what waits for it and the admins are told once.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use larder_store::outbox::{Finished, OutboxRow, Outcome};
use larder_store::{Channel, chat_state, groups, outbox};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::budget::{Budget, SendLimits};
use crate::metrics::Metrics;
use crate::out::{LEGACY_PREFIX, Out, ToastOut};
use crate::recent::Recent;
use crate::record::Record;
use crate::{Call, CallError, Done, Inner, Transport};

/// A committed call, with what the handler knew when it queued it.
#[derive(Clone, Debug)]
pub(crate) struct Queued {
    pub row: OutboxRow,
    pub out: Out,
    pub screen: Option<i64>,
    pub card_message: Option<i64>,
}

pub(crate) enum ToSender {
    /// Committed calls to make.
    Queue(Vec<Queued>),
    /// Answer a press now, without storing it (its deadline passed).
    AnswerNow {
        press: String,
        toast: Option<ToastOut>,
    },
    /// These calls' outcomes are written: forget them.
    Recorded(Vec<i64>),
    /// A group became a supergroup: its waiting calls go there.
    MoveChat { from: i64, to: i64 },
    /// The chat cannot be written to: what waits for it was dropped.
    DropChat { chat_id: i64 },
    /// This process now leads the channel (or no longer does): only the
    /// leader sends the channel's messages.
    Lead(bool),
    /// Another process queued calls: look for them.
    Scan,
}

/// What a finished call reports back to the sender's loop.
struct Completed {
    chat_id: i64,
    queued: Option<Queued>,
    result: Result<Done, CallError>,
    /// The budget's ticket of the call (0: not counted).
    ticket: u64,
}

/// The next thing to do for a chat.
enum Step {
    Stop,
    Wait(Duration),
    /// The channel's budget is spent: wait in line with other chats.
    WaitInLine(Duration),
    Expired(Queued),
    Superseded(Vec<Queued>),
    Go(Queued, u64),
}

#[derive(Default)]
struct ChatQueue {
    calls: VecDeque<Queued>,
    busy: bool,
}

/// Retries back off from half a second, doubling, to at most a minute.
const BACKOFF_FIRST: Duration = Duration::from_millis(500);
const BACKOFF_MAX: Duration = Duration::from_secs(60);
/// Screens and cards the sender learned recently.
const REMEMBER: Duration = Duration::from_secs(120);
/// For this long an answer belongs to the process that queued it.
const ANSWER_OWNED_MS: i64 = 10_000;

struct Sender<T> {
    inner: Arc<Inner>,
    channel: Channel,
    transport: Arc<T>,
    budget: Budget,
    chats: HashMap<i64, ChatQueue>,
    /// Calls queued or in flight whose outcome is not recorded yet.
    known: HashSet<i64>,
    ready: VecDeque<i64>,
    queued_ready: HashSet<i64>,
    /// Chats waiting for the channel's budget, first come first served.
    in_line: VecDeque<i64>,
    lined: HashSet<i64>,
    line_wake: Option<Instant>,
    timers: BinaryHeap<Reverse<(Instant, i64)>>,
    screens: Recent<i64, i64>,
    cards: Recent<i64, i64>,
    in_flight: usize,
    done_tx: mpsc::UnboundedSender<Completed>,
    /// Whether this process leads the channel (and so sends its messages).
    leading: bool,
    /// A scan was asked for (done once the current messages are read).
    scan_asked: bool,
    /// A scan of everything waiting, answers queued by others included, is
    /// due (this process just took the lead).
    scan_all: bool,
}

pub(crate) async fn run<T: Transport>(
    inner: Arc<Inner>,
    channel: Channel,
    transport: Arc<T>,
    limits: SendLimits,
    mut from_runtime: mpsc::UnboundedReceiver<ToSender>,
) {
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let mut s = Sender {
        inner: inner.clone(),
        channel,
        transport,
        budget: Budget::new(limits),
        chats: HashMap::new(),
        known: HashSet::new(),
        ready: VecDeque::new(),
        queued_ready: HashSet::new(),
        in_line: VecDeque::new(),
        lined: HashSet::new(),
        line_wake: None,
        timers: BinaryHeap::new(),
        screens: Recent::new(REMEMBER),
        cards: Recent::new(REMEMBER),
        in_flight: 0,
        done_tx,
        leading: false,
        scan_asked: false,
        scan_all: false,
    };
    let mut stop = inner.stop.clone();
    let mut scan = tokio::time::interval(inner.config.scan_every);
    scan.reset();
    loop {
        if s.scan_all {
            s.scan_all = false;
            s.scan(true).await;
        } else if s.scan_asked {
            s.scan_asked = false;
            s.scan(false).await;
        }
        s.dispatch();
        let next_timer = match (s.timers.peek().map(|Reverse((at, _))| *at), s.line_wake) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        tokio::select! {
            msg = from_runtime.recv() => match msg {
                Some(msg) => s.on_message(msg),
                None => break,
            },
            Some(c) = done_rx.recv() => s.on_completed(c).await,
            _ = sleep_until(next_timer) => s.on_timers(),
            _ = scan.tick() => s.scan(false).await,
            _ = stop.changed() => break,
        }
    }
    // Stopping: calls in flight finish and are recorded; nothing new starts.
    while s.in_flight > 0 {
        match done_rx.recv().await {
            Some(c) => s.on_completed(c).await,
            None => break,
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

impl<T: Transport> Sender<T> {
    fn mark_ready(&mut self, chat: i64) {
        if self.queued_ready.insert(chat) {
            self.ready.push_back(chat);
        }
    }

    fn on_message(&mut self, msg: ToSender) {
        match msg {
            ToSender::Queue(calls) => {
                for q in calls {
                    self.add(q);
                }
            }
            ToSender::AnswerNow { press, toast } => {
                let call = Call {
                    id: 0,
                    chat_id: 0,
                    random_id: 0,
                    out: Out::Answer { press, toast },
                    screen: None,
                    card_message: None,
                    legacy: None,
                };
                self.perform(0, call, None);
            }
            ToSender::Recorded(ids) => {
                for id in ids {
                    self.known.remove(&id);
                }
            }
            ToSender::MoveChat { from, to } => {
                if let Some(mut q) = self.chats.remove(&from) {
                    for c in &mut q.calls {
                        c.row.chat_id = to;
                    }
                    let target = self.chats.entry(to).or_default();
                    target.calls.extend(q.calls);
                    target.busy |= q.busy;
                    self.mark_ready(to);
                }
            }
            ToSender::Lead(leading) => {
                self.leading = leading;
                if leading {
                    // Everything waiting, answers included, is ours now.
                    self.scan_asked = false;
                    self.scan_all = true;
                } else {
                    // Another process sends from now on; what was queued here
                    // is in the database for it.
                    self.chats.retain(|_, q| q.busy);
                    for q in self.chats.values_mut() {
                        q.calls.truncate(1);
                    }
                    self.known = self
                        .chats
                        .values()
                        .flat_map(|q| q.calls.iter().map(|c| c.row.id))
                        .collect();
                    self.ready.clear();
                    self.queued_ready.clear();
                    self.in_line.clear();
                    self.lined.clear();
                }
            }
            ToSender::Scan => self.scan_asked = true,
            ToSender::DropChat { chat_id } => {
                let mut dropped = Vec::new();
                if let Some(q) = self.chats.get_mut(&chat_id) {
                    // The call in flight (if any) stays until it returns.
                    let keep = usize::from(q.busy);
                    while q.calls.len() > keep {
                        dropped.extend(q.calls.pop_back().map(|c| c.row.id));
                    }
                }
                for id in dropped {
                    self.known.remove(&id);
                }
            }
        }
    }

    /// Takes a committed call (once, however often it is handed over).
    /// A process that does not lead the channel answers its own presses
    /// (at once, as a press wants) and leaves the rest to the leader.
    fn add(&mut self, q: Queued) {
        let answer = matches!(q.out, Out::Answer { .. });
        if !(answer || self.leading) || !self.known.insert(q.row.id) {
            return;
        }
        if let Out::Answer { press, .. } = &q.out {
            let early = self
                .inner
                .answered
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(press);
            if early {
                // Answered at its deadline already.
                self.record(&q, Outcome::Superseded, None);
                return;
            }
            let call = self.call_of(&q);
            self.perform(q.row.chat_id, call, Some(q));
            return;
        }
        let chat = q.row.chat_id;
        self.chats.entry(chat).or_default().calls.push_back(q);
        self.mark_ready(chat);
    }

    fn on_timers(&mut self) {
        let now = Instant::now();
        if self.line_wake.is_some_and(|at| at <= now) {
            self.line_wake = None;
        }
        while let Some(Reverse((at, chat))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            self.mark_ready(chat);
        }
    }

    /// Starts the next call of every ready chat, within the budget.
    fn dispatch(&mut self) {
        if !(self.inner.config.send && self.leading) {
            return;
        }
        let max = self.inner.config.max_in_flight;
        // Chats waiting in line for the channel's budget go first, in order.
        while self.in_flight < max
            && self.line_wake.is_none()
            && let Some(chat) = self.in_line.pop_front()
        {
            self.lined.remove(&chat);
            self.start_next_from(chat, true);
        }
        while self.in_flight < max
            && let Some(chat) = self.ready.pop_front()
        {
            self.queued_ready.remove(&chat);
            if self.lined.contains(&chat) {
                // It waits in line already; its turn comes from there.
                continue;
            }
            self.start_next(chat);
        }
    }

    /// The channel's budget is spent: the chat waits in line (a chat taken
    /// from the front keeps its place) until a slot frees.
    fn wait_in_line(&mut self, chat: i64, wait: Duration, front: bool) {
        if self.lined.insert(chat) {
            if front {
                self.in_line.push_front(chat);
            } else {
                self.in_line.push_back(chat);
            }
        }
        let at = Instant::now() + wait;
        self.line_wake = Some(self.line_wake.map_or(at, |w| w.min(at)));
    }

    fn start_next(&mut self, chat: i64) {
        self.start_next_from(chat, false);
    }

    /// `from_line`: the chat was taken from the front of the line.
    fn start_next_from(&mut self, chat: i64, from_line: bool) {
        loop {
            match self.next_step(chat) {
                Step::Stop => return,
                Step::Wait(wait) => {
                    self.timers.push(Reverse((Instant::now() + wait, chat)));
                    return;
                }
                Step::WaitInLine(wait) => {
                    self.wait_in_line(chat, wait, from_line);
                    return;
                }
                Step::Expired(head) => {
                    self.expire(&head, "its deadline passed before it could be made");
                }
                Step::Superseded(dropped) => {
                    for d in dropped {
                        self.record(&d, Outcome::Superseded, None);
                        Metrics::inc(&self.inner.deps.metrics.outbox_superseded_total);
                    }
                }
                Step::Go(head, ticket) => {
                    let call = self.call_of(&head);
                    self.perform_counted(chat, call, Some(head), ticket);
                    return;
                }
            }
        }
    }

    /// What to do next for a chat's queue.
    fn next_step(&mut self, chat: i64) -> Step {
        let Some(q) = self.chats.get_mut(&chat) else {
            return Step::Stop;
        };
        if q.busy {
            return Step::Stop;
        }
        let Some(head) = q.calls.front() else {
            self.chats.remove(&chat);
            return Step::Stop;
        };
        let now_ms = self.inner.now_ms();
        if head.row.next_attempt_at > now_ms {
            let wait = head.row.next_attempt_at - now_ms;
            return Step::Wait(Duration::from_millis(u64::try_from(wait).unwrap_or(0)));
        }
        if now_ms > head.row.deadline_at {
            return q.calls.pop_front().map_or(Step::Stop, Step::Expired);
        }
        if let Some(dropped) = coalesce(&mut q.calls) {
            return Step::Superseded(dropped);
        }
        let Some(head) = q.calls.front() else {
            return Step::Stop;
        };
        let ticket = match self
            .budget
            .take(chat, head.out.is_counted(), Instant::now())
        {
            Ok(ticket) => ticket,
            Err(crate::budget::Wait::Chat(d)) => return Step::Wait(d),
            Err(crate::budget::Wait::Channel(d)) => return Step::WaitInLine(d),
        };
        q.busy = true;
        Step::Go(head.clone(), ticket)
    }

    fn call_of(&self, q: &Queued) -> Call {
        let legacy = q
            .row
            .kind
            .starts_with(LEGACY_PREFIX)
            .then(|| (q.row.kind.clone(), q.row.payload.clone()));
        let card_message = match &q.out {
            Out::CardEdit { card_id, .. } | Out::CardSend { card_id, .. } => {
                self.cards.get(card_id).copied().or(q.card_message)
            }
            _ => q.card_message,
        };
        Call {
            id: q.row.id,
            chat_id: q.row.chat_id,
            random_id: q.row.random_id,
            out: q.out.clone(),
            screen: self.screens.get(&q.row.chat_id).copied().or(q.screen),
            card_message,
            legacy,
        }
    }

    fn perform(&mut self, chat_id: i64, call: Call, queued: Option<Queued>) {
        self.perform_counted(chat_id, call, queued, 0);
    }

    fn perform_counted(&mut self, chat_id: i64, call: Call, queued: Option<Queued>, ticket: u64) {
        self.in_flight += 1;
        let (transport, done) = (self.transport.clone(), self.done_tx.clone());
        tokio::spawn(async move {
            let result = transport.perform(call).await;
            let _ = done.send(Completed {
                chat_id,
                queued,
                result,
                ticket,
            });
        });
    }

    fn record(&self, q: &Queued, outcome: Outcome, detail: Option<String>) {
        let urgent = !(q.out.is_idempotent() || matches!(outcome, Outcome::Superseded));
        let _ = self.inner.recorder.send(Record::Finish {
            channel: self.channel,
            done: Finished {
                id: q.row.id,
                outcome,
                detail,
            },
            urgent,
        });
    }

    fn expire(&self, q: &Queued, why: &str) {
        Metrics::inc(&self.inner.deps.metrics.outbox_expired_total);
        tracing::warn!(
            channel = self.channel.as_str(),
            chat.id = q.row.chat_id,
            outbox.id = q.row.id,
            kind = q.row.kind,
            why,
            "call expired: a dead letter"
        );
        self.record(q, Outcome::Expired, Some(why.to_owned()));
    }

    async fn on_completed(&mut self, c: Completed) {
        self.in_flight = self.in_flight.saturating_sub(1);
        for right in self.transport.lacking() {
            match crate::chats::lacking(&self.inner, self.channel, &right).await {
                Ok(queued) => self.inner.push(queued),
                Err(e) => {
                    tracing::error!(error = %e, right, "cannot tell the owners of a lacking right")
                }
            }
        }
        if c.ticket != 0 {
            self.budget.returned(c.ticket, Instant::now());
        }
        let metrics = self.inner.deps.metrics.clone();
        let Some(q) = c.queued else {
            // An answer given at its deadline (chat 0), or an old screen
            // removed: nothing is stored for either.
            if c.chat_id == 0 && c.result.is_ok() {
                Metrics::inc(&metrics.callbacks_answered_total);
                Metrics::inc(&metrics.of(self.channel).callbacks_answered_total);
            }
            return;
        };
        let chat = c.chat_id;
        if matches!(q.out, Out::Answer { .. }) {
            self.answered(q, c.result);
            return;
        }
        if let Some(cq) = self.chats.get_mut(&chat) {
            cq.busy = false;
        }
        match c.result {
            Ok(done) => {
                self.pop(chat, q.row.id);
                let detail = match done {
                    Done::Sent { detail } => detail,
                    Done::Screen { message_id, pin } => {
                        let before = self.screens.get(&chat).copied();
                        self.screens.insert(chat, message_id);
                        if let Ok(mut lately) = self.inner.screens.lock() {
                            lately.insert((self.channel, chat), message_id);
                        }
                        // Another screen was sent while the handler of this
                        // one could not know it (two /start in a row): only
                        // the newest stays, as if it had been replaced.
                        if let Some(old) = before
                            && old != message_id
                            && q.screen != Some(old)
                            && matches!(q.out, Out::ScreenSend { .. })
                        {
                            let call = Call {
                                id: 0,
                                chat_id: chat,
                                random_id: 0,
                                out: Out::Delete { message_id: old },
                                screen: None,
                                card_message: None,
                                legacy: None,
                            };
                            self.perform(chat, call, None);
                        }
                        let _ = self.inner.recorder.send(Record::Screen {
                            channel: self.channel,
                            chat_id: chat,
                            message_id,
                            pin,
                        });
                        Some(message_id.to_string())
                    }
                    Done::Card {
                        card_id,
                        message_id,
                    } => {
                        self.cards.insert(card_id, message_id);
                        let _ = self.inner.recorder.send(Record::Card {
                            card_id,
                            message_id,
                        });
                        Some(message_id.to_string())
                    }
                };
                self.record(&q, Outcome::Sent, detail);
                Metrics::inc(&metrics.outbox_sent_total);
                Metrics::inc(&metrics.of(self.channel).outbox_sent_total);
            }
            Err(CallError::Transient {
                error,
                retry_after,
                unsure,
            }) => {
                if unsure {
                    Metrics::inc(&metrics.outbox_unsure_total);
                }
                let wait = match retry_after {
                    Some(d) => {
                        Metrics::inc(&metrics.rate_limited_total);
                        Metrics::inc(&metrics.of(self.channel).rate_limited_total);
                        self.budget.refused(chat, d, Instant::now());
                        d
                    }
                    None => backoff(q.row.attempts),
                };
                let at = self
                    .inner
                    .now_ms()
                    .saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
                if at > q.row.deadline_at {
                    self.pop(chat, q.row.id);
                    self.expire(&q, &error);
                } else {
                    Metrics::inc(&metrics.outbox_retried_total);
                    Metrics::inc(&metrics.of(self.channel).outbox_retried_total);
                    tracing::warn!(
                        channel = self.channel.as_str(),
                        chat.id = chat,
                        outbox.id = q.row.id,
                        kind = q.row.kind,
                        attempt = q.row.attempts + 1,
                        retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        error,
                        "call failed; it will be retried"
                    );
                    let _ = self.inner.recorder.send(Record::Retry {
                        id: q.row.id,
                        at,
                        error: error.clone(),
                    });
                    let mut again = q.clone();
                    again.row.attempts += 1;
                    again.row.next_attempt_at = at;
                    if let Some(cq) = self.chats.get_mut(&chat)
                        && let Some(head) = cq.calls.front_mut()
                        && head.row.id == again.row.id
                    {
                        *head = again;
                    }
                }
            }
            Err(CallError::Permanent { error }) => {
                self.pop(chat, q.row.id);
                Metrics::inc(&metrics.outbox_failed_total);
                Metrics::inc(&metrics.of(self.channel).outbox_failed_total);
                tracing::warn!(
                    channel = self.channel.as_str(),
                    chat.id = chat,
                    outbox.id = q.row.id,
                    kind = q.row.kind,
                    error,
                    "call refused for good: a dead letter"
                );
                self.record(&q, Outcome::Failed, Some(error));
            }
            Err(CallError::Unreachable { error }) => {
                Metrics::inc(&metrics.outbox_failed_total);
                Metrics::inc(&metrics.of(self.channel).outbox_failed_total);
                let dropped: Vec<i64> = self
                    .chats
                    .remove(&chat)
                    .map(|cq| cq.calls.iter().map(|c| c.row.id).collect())
                    .unwrap_or_default();
                self.unreachable(chat, q.row.id, &error).await;
                for id in dropped {
                    self.known.remove(&id);
                }
                self.known.remove(&q.row.id);
            }
            Err(CallError::Migrated { to }) => {
                let mut delay = Duration::from_millis(100);
                while let Err(e) = crate::chats::migrate(&self.inner, self.channel, chat, to).await
                {
                    tracing::error!(error = %e, "cannot follow a migrated group; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(BACKOFF_MAX);
                }
                self.on_message(ToSender::MoveChat { from: chat, to });
            }
        }
        if !self.leading {
            // Another process sends now; what is left of the chat is in the
            // database for it (a retry with its time written above).
            if let Some(cq) = self.chats.remove(&chat) {
                for c in cq.calls {
                    self.known.remove(&c.row.id);
                }
            }
            self.known.remove(&q.row.id);
            return;
        }
        self.mark_ready(chat);
    }

    /// An answer returned: recorded, or tried again at once (a press's
    /// answer is worth little once the person has waited a while).
    fn answered(&mut self, q: Queued, result: Result<Done, CallError>) {
        match result {
            Ok(_) => {
                Metrics::inc(&self.inner.deps.metrics.callbacks_answered_total);
                let of = self.inner.deps.metrics.of(self.channel);
                Metrics::inc(&of.callbacks_answered_total);
                self.record(&q, Outcome::Sent, None);
            }
            Err(CallError::Transient { .. }) if q.row.attempts < 2 => {
                let mut again = q;
                again.row.attempts += 1;
                let call = self.call_of(&again);
                self.perform(again.row.chat_id, call, Some(again));
            }
            Err(e) => {
                tracing::info!(chat.id = q.row.chat_id, error = ?e, "a press could not be answered");
                self.record(&q, Outcome::Failed, Some(format!("{e:?}")));
            }
        }
    }

    /// Removes a finished call from the head of its chat's queue.
    fn pop(&mut self, chat: i64, id: i64) {
        if let Some(cq) = self.chats.get_mut(&chat)
            && cq.calls.front().is_some_and(|h| h.row.id == id)
        {
            cq.calls.pop_front();
        }
    }

    async fn unreachable(&self, chat: i64, row_id: i64, error: &str) {
        let mut delay = Duration::from_millis(100);
        loop {
            match crate::chats::unreachable(&self.inner, self.channel, chat, row_id, error).await {
                Ok(queued) => {
                    self.inner.push(queued);
                    return;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot record an unreachable chat; retrying");
                    if self.inner.stopping() {
                        return;
                    }
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(BACKOFF_MAX);
                }
            }
        }
    }

    /// Picks up calls queued before a restart (or by another process) that
    /// this sender was not handed. Answers queued in the last seconds are
    /// the business of the process that queued them (it answers its own
    /// presses) unless `all`: this process just took over.
    async fn scan(&mut self, all: bool) {
        if !self.leading {
            return;
        }
        let young = self.inner.now_ms() - ANSWER_OWNED_MS;
        let mut after = 0;
        loop {
            let rows = async {
                let mut conn = self.inner.deps.store.conn().await?;
                outbox::pending(&mut conn, self.channel, after, 500).await
            };
            let rows = match rows.await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the outbox");
                    return;
                }
            };
            let Some(last) = rows.last().map(|r| r.id) else {
                return;
            };
            after = last;
            let count = rows.len();
            for row in rows {
                if self.known.contains(&row.id)
                    || (!all && row.kind == "answer" && row.created_at > young)
                {
                    continue;
                }
                let q = self.read_back(row).await;
                self.add(q);
            }
            if count < 500 {
                return;
            }
        }
    }

    /// A call read back from the outbox, with what its chat is known to show.
    async fn read_back(&self, row: OutboxRow) -> Queued {
        let mut out = if row.kind.starts_with(LEGACY_PREFIX) {
            Out::Legacy
        } else {
            serde_json::from_str(&row.payload).unwrap_or(Out::Legacy)
        };
        let known = async {
            let mut conn = self.inner.deps.store.conn().await?;
            if let Out::Document {
                data,
                file: Some(id),
                ..
            } = &mut out
                && let Some((_, bytes)) = larder_store::files::get(&mut conn, *id).await?
            {
                *data = base64::engine::general_purpose::STANDARD.encode(bytes);
            }
            let screen = chat_state::desk_message(&mut conn, self.channel, row.chat_id).await?;
            let card = match &out {
                Out::CardEdit { card_id, .. } => {
                    groups::get_card(&mut conn, *card_id).await?.message_id
                }
                _ => None,
            };
            Ok::<_, larder_store::StoreError>((screen, card))
        };
        let (screen, card_message) = known.await.unwrap_or_default();
        Queued {
            row,
            out,
            screen,
            card_message,
        }
    }
}

/// 0.5 s, 1 s, 2 s … up to a minute, each moved by up to a quarter.
fn backoff(attempts: i64) -> Duration {
    let doubling = u32::try_from(attempts.clamp(0, 10)).unwrap_or(10);
    crate::random::jitter((BACKOFF_FIRST * 2u32.pow(doubling)).min(BACKOFF_MAX))
}

/// Makes the head of a chat's queue worth sending: an edit that a later one
/// replaces is dropped; a new message takes the content of the edits of it
/// that wait behind it. Returns what was dropped (`None`: nothing changed).
fn coalesce(calls: &mut VecDeque<Queued>) -> Option<Vec<Queued>> {
    let head = calls.front()?;
    match &head.out {
        Out::ScreenEdit { .. } => {
            let replaced = calls.iter().skip(1).find_map(|c| match c.out {
                Out::ScreenEdit { .. } => Some(true),
                Out::ScreenSend { .. } => Some(false),
                _ => None,
            });
            if replaced == Some(true) {
                return calls.pop_front().map(|h| vec![h]);
            }
            None
        }
        Out::CardEdit { card_id, .. } => {
            let card = *card_id;
            let replaced = calls.iter().skip(1).any(|c| {
                matches!(c.out, Out::CardEdit { card_id, .. } | Out::CardSend { card_id, .. } if card_id == card)
            });
            replaced
                .then(|| calls.pop_front().map(|h| vec![h]))
                .flatten()
        }
        Out::ScreenSend { .. } => {
            // Edits of this new screen up to the next new screen.
            let mut edits = Vec::new();
            for (i, c) in calls.iter().enumerate().skip(1) {
                match &c.out {
                    Out::ScreenSend { .. } => break,
                    Out::ScreenEdit { page: 0, .. } => edits.push(i),
                    _ => {}
                }
            }
            let last = *edits.last()?;
            let Out::ScreenEdit { view, .. } = calls[last].out.clone() else {
                return None;
            };
            if let Some(h) = calls.front_mut() {
                h.out = Out::ScreenSend { view };
            }
            Some(take_at(calls, &edits))
        }
        Out::CardSend { card_id, .. } => {
            let card = *card_id;
            let edits: Vec<usize> = calls
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, c)| matches!(c.out, Out::CardEdit { card_id, .. } if card_id == card))
                .map(|(i, _)| i)
                .collect();
            let last = *edits.last()?;
            let Out::CardEdit { view, .. } = calls[last].out.clone() else {
                return None;
            };
            if let Some(h) = calls.front_mut() {
                h.out = Out::CardSend {
                    card_id: card,
                    view,
                };
            }
            Some(take_at(calls, &edits))
        }
        _ => None,
    }
}

/// Removes the calls at these positions (ascending).
fn take_at(calls: &mut VecDeque<Queued>, at: &[usize]) -> Vec<Queued> {
    at.iter()
        .rev()
        .filter_map(|i| calls.remove(*i))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use larder_ui::wire::WireView;

    fn q(id: i64, out: Out) -> Queued {
        Queued {
            row: OutboxRow {
                id,
                channel: Channel::Telegram,
                chat_id: 5,
                kind: out.kind().to_owned(),
                payload: out.to_json(),
                random_id: 1,
                attempts: 0,
                next_attempt_at: 0,
                deadline_at: i64::MAX,
                created_at: 0,
            },
            out,
            screen: None,
            card_message: None,
        }
    }

    fn view(text: &str) -> WireView {
        let mut v = WireView::default();
        v.text.plain(text);
        v
    }

    fn edit(text: &str) -> Out {
        Out::ScreenEdit {
            view: view(text),
            page: 0,
        }
    }

    fn ids(calls: &VecDeque<Queued>) -> Vec<i64> {
        calls.iter().map(|c| c.row.id).collect()
    }

    #[test]
    fn only_the_newest_screen_edit_is_sent() {
        let mut calls: VecDeque<Queued> = [
            q(1, edit("a")),
            q(2, Out::Delete { message_id: 9 }),
            q(3, edit("b")),
            q(4, edit("c")),
        ]
        .into_iter()
        .collect();
        while let Some(dropped) = coalesce(&mut calls) {
            assert_eq!(dropped.len(), 1);
        }
        assert_eq!(ids(&calls), [2, 3, 4], "the delete comes first now");
        calls.pop_front();
        while coalesce(&mut calls).is_some() {}
        assert_eq!(ids(&calls), [4]);
    }

    #[test]
    fn an_edit_before_a_new_screen_is_still_sent() {
        let mut calls: VecDeque<Queued> = [
            q(1, edit("old screen")),
            q(2, Out::ScreenSend { view: view("new") }),
        ]
        .into_iter()
        .collect();
        assert!(coalesce(&mut calls).is_none());
    }

    #[test]
    fn a_new_screen_takes_the_content_of_the_edits_behind_it() {
        let mut calls: VecDeque<Queued> = [
            q(1, Out::ScreenSend { view: view("v1") }),
            q(2, Out::Send { view: view("note") }),
            q(3, edit("v2")),
            q(4, edit("v3")),
        ]
        .into_iter()
        .collect();
        let dropped = coalesce(&mut calls).unwrap();
        assert_eq!(dropped.iter().map(|d| d.row.id).collect::<Vec<_>>(), [3, 4]);
        assert_eq!(ids(&calls), [1, 2]);
        assert_eq!(calls[0].out, Out::ScreenSend { view: view("v3") });
    }

    #[test]
    fn card_edits_of_one_card_are_coalesced_and_others_kept() {
        let card = |id: i64, text: &str| Out::CardEdit {
            card_id: id,
            view: view(text),
        };
        let mut calls: VecDeque<Queued> = [
            q(1, card(7, "accepted")),
            q(2, card(8, "new")),
            q(3, card(7, "prepared")),
        ]
        .into_iter()
        .collect();
        let dropped = coalesce(&mut calls).unwrap();
        assert_eq!(dropped[0].row.id, 1);
        assert!(
            coalesce(&mut calls).is_none(),
            "card 8's edit is the head now"
        );
        assert_eq!(ids(&calls), [2, 3]);
    }

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        let b0 = backoff(0);
        assert!((Duration::from_millis(375)..=Duration::from_millis(625)).contains(&b0));
        let b3 = backoff(3);
        assert!((Duration::from_secs(3)..=Duration::from_secs(5)).contains(&b3));
        let b9 = backoff(9);
        assert!(b9 <= Duration::from_secs(75) && b9 >= Duration::from_secs(45));
    }
}
