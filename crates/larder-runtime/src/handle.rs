//! Handling one update: one transaction that claims its inbox row, runs the
//! screens, saves the chat's state and queues the outgoing calls (with the
//! press's answer); after it commits, the calls go straight to the senders.
//!
//! An update that fails the same way whatever happens (a forged button, a
//! press about something deleted, a broken reference) is answered "this
//! button is outdated" and parked at once. One that failed for want of the
//! database is retried until it goes through; a press waiting on that is
//! told "one moment" rather than left spinning.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use base64::Engine;
use larder_store::inbox::{self, InboxRow, Incoming};
use larder_store::{Channel, StoreError, Tx, chat_state, coord, files, groups, outbox, settings};
use larder_ui::wire::WireView;
use larder_ui::{Ctx, Desk, Input, Reply, Stored, Toast, UiError};

use crate::metrics::Metrics;
use crate::plan::{self, Planned};
use crate::send::{Queued, ToSender};
use crate::{Caps, Event, Group, Inner, Private, Stopping};

/// A stored update waiting for its turn.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub row: InboxRow,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum HandleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ui(#[from] UiError),
}

impl HandleError {
    /// Whether trying again may succeed (the database, not the update).
    fn is_transient(&self) -> bool {
        match self {
            HandleError::Store(e) | HandleError::Ui(UiError::Store(e)) => e.is_transient(),
            HandleError::Ui(_) => false,
        }
    }
}

/// Where the update comes from.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// Just received, not stored yet: handling stores it.
    Fresh(&'a Incoming),
    /// Stored before.
    Stored(&'a InboxRow),
}

impl Source<'_> {
    fn payload(&self) -> &str {
        match self {
            Source::Fresh(u) => &u.payload,
            Source::Stored(r) => &r.payload,
        }
    }

    fn chat_id(&self) -> i64 {
        match self {
            Source::Fresh(u) => u.chat_id,
            Source::Stored(r) => r.chat_id,
        }
        .unwrap_or(0)
    }

    fn incoming(&self) -> Incoming {
        match self {
            Source::Fresh(u) => (*u).clone(),
            Source::Stored(r) => Incoming {
                update_id: r.update_id,
                identity: r.identity,
                chat_id: r.chat_id,
                payload: r.payload.clone(),
            },
        }
    }
}

/// Takes a received batch: a lone update of an idle chat is handled at once
/// (stored by its own transaction); otherwise the batch is stored in one
/// transaction and queued. Returns once everything is durable.
pub(crate) async fn receive(
    inner: &Arc<Inner>,
    channel: Channel,
    batch: Vec<Incoming>,
    cursor: Option<(String, String)>,
) -> Result<(), Stopping> {
    if batch.is_empty() {
        return Ok(());
    }
    for _ in &batch {
        Metrics::inc(&inner.deps.metrics.updates_received_total);
        Metrics::inc(&inner.deps.metrics.of(channel).updates_received_total);
    }
    if let [only] = batch.as_slice()
        && inner.config.handle
    {
        let key = (channel, only.chat_id.unwrap_or(0));
        if inner.lanes.try_take(key) {
            let handled = update(inner, channel, Source::Fresh(only), cursor.as_ref()).await;
            inner.lanes.done(key);
            return handled;
        }
    }
    let rows = store_batch(inner, channel, &batch, cursor.as_ref()).await?;
    for row in rows {
        inner.queue_update(channel, row);
    }
    Ok(())
}

/// Stores a batch, retrying while the database is away.
async fn store_batch(
    inner: &Inner,
    channel: Channel,
    batch: &[Incoming],
    cursor: Option<&(String, String)>,
) -> Result<Vec<InboxRow>, Stopping> {
    let mut attempt = 0;
    loop {
        let stored = async {
            let mut tx = inner.deps.store.begin().await?;
            let rows = inbox::insert(&mut tx, channel, batch, inner.now_ms()).await?;
            if let Some((key, value)) = cursor {
                settings::set(&mut tx, key, value).await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(rows)
        };
        match stored.await {
            Ok(rows) => return Ok(rows),
            Err(e) => {
                tracing::error!(channel = channel.as_str(), error = %e, "cannot store received updates; retrying");
                wait_to_retry(inner, &mut attempt).await?;
            }
        }
    }
}

/// Sleeps before another attempt (100 ms doubling to 5 s); `Stopping` if
/// asked to stop meanwhile.
async fn wait_to_retry(inner: &Inner, attempt: &mut u32) -> Result<(), Stopping> {
    let delay =
        Duration::from_millis(100 * 2u64.pow((*attempt).min(6))).min(Duration::from_secs(5));
    *attempt += 1;
    let mut stop = inner.stop.clone();
    if *stop.borrow() {
        return Err(Stopping);
    }
    tokio::select! {
        _ = tokio::time::sleep(crate::random::jitter(delay)) => Ok(()),
        _ = stop.changed() => Err(Stopping),
    }
}

/// Updates stored but not handled before a restart, queued in order.
pub(crate) async fn resume(inner: &Arc<Inner>) {
    for &channel in inner.channels.keys() {
        let mut attempt = 0;
        let rows = loop {
            let pending = async {
                let mut conn = inner.deps.store.conn().await?;
                inbox::pending(&mut conn, channel, 100_000).await
            };
            match pending.await {
                Ok(rows) => break rows,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the inbox; retrying");
                    if wait_to_retry(inner, &mut attempt).await.is_err() {
                        return;
                    }
                }
            }
        };
        if !rows.is_empty() {
            tracing::info!(
                channel = channel.as_str(),
                count = rows.len(),
                "resuming updates stored before the restart"
            );
        }
        for row in rows {
            inner.queue_update(channel, row);
        }
    }
}

/// A worker's turn: handles one stored update.
pub(crate) async fn run(inner: &Arc<Inner>, channel: Channel, job: Job) {
    let _ = update(inner, channel, Source::Stored(&job.row), None).await;
}

const PENDING: u8 = 0;
const DONE: u8 = 1;
const ANSWERED: u8 = 2;

/// The answer of a press: given with the handling's outcome, or at the
/// deadline if handling takes longer.
struct PressClock {
    state: Arc<AtomicU8>,
    timer: tokio::task::JoinHandle<()>,
    press: String,
}

impl PressClock {
    fn start(inner: &Arc<Inner>, channel: Channel, press: &str) -> PressClock {
        let state = Arc::new(AtomicU8::new(PENDING));
        let (s, i, p) = (state.clone(), inner.clone(), press.to_owned());
        let deadline = inner.config.answer_deadline;
        let timer = tokio::spawn(async move {
            tokio::time::sleep(deadline).await;
            answer_now(&i, channel, &s, &p, None);
        });
        PressClock {
            state,
            timer,
            press: press.to_owned(),
        }
    }

    /// Handling is over: the stored answer goes out (unless one already did).
    fn finish(self) {
        self.timer.abort();
        let _ = self
            .state
            .compare_exchange(PENDING, DONE, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// Handling is held up: the person is told so now.
    fn one_moment(&self, inner: &Arc<Inner>, channel: Channel, lang: &larder_ui::Lang<'_>) {
        let toast = crate::out::ToastOut {
            text: lang.t("one-moment"),
            alert: false,
        };
        answer_now(inner, channel, &self.state, &self.press, Some(toast));
    }
}

/// Answers a press at once (not stored: the stored answer is then skipped).
fn answer_now(
    inner: &Inner,
    channel: Channel,
    state: &AtomicU8,
    press: &str,
    toast: Option<crate::out::ToastOut>,
) {
    if state
        .compare_exchange(PENDING, ANSWERED, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return;
    }
    inner
        .answered
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(press.to_owned(), ());
    inner.tell_sender(
        channel,
        ToSender::AnswerNow {
            press: press.to_owned(),
            toast,
        },
    );
}

/// Handles an update until it is done, refused, or the runtime stops.
async fn update(
    inner: &Arc<Inner>,
    channel: Channel,
    source: Source<'_>,
    cursor: Option<&(String, String)>,
) -> Result<(), Stopping> {
    let Some(decode) = inner.decoder(channel) else {
        return Ok(());
    };
    let event = decode.decode(source.payload());
    let caps = decode.caps();
    let press = event.press().map(|p| PressClock::start(inner, channel, p));
    let mut attempt = 0;
    loop {
        match attempt_once(inner, channel, caps, source, &event, cursor).await {
            Ok(Attempted::Older(older)) => {
                // The chat's older update first; then this one again.
                Box::pin(update(inner, channel, Source::Stored(&older), None)).await?;
            }
            Ok(Attempted::Queued(row)) => {
                if let Some(p) = press {
                    p.finish();
                }
                inner.queue_update(channel, row);
                return Ok(());
            }
            Ok(Attempted::Handled((queued, after))) => {
                if let Some(p) = press {
                    p.finish();
                }
                inner.push(queued);
                for msg in after {
                    inner.tell_sender(channel, msg);
                }
                Metrics::inc(&inner.deps.metrics.updates_handled_total);
                Metrics::inc(&inner.deps.metrics.of(channel).updates_handled_total);
                return Ok(());
            }
            Ok(Attempted::Before) => {
                if let Some(p) = press {
                    p.finish();
                }
                return Ok(());
            }
            Err(e) if !e.is_transient() => {
                if let Some(p) = press {
                    p.finish();
                }
                return refuse(inner, channel, source, &event, &e.to_string()).await;
            }
            Err(e) => {
                Metrics::inc(&inner.deps.metrics.updates_retried_total);
                tracing::warn!(
                    channel = channel.as_str(),
                    chat.id = source.chat_id(),
                    attempt = attempt + 1,
                    error = %e,
                    "the database is not answering; the update will be handled when it is"
                );
                // The person is told at once that it takes a moment.
                if attempt == 0
                    && let Some(p) = &press
                {
                    p.one_moment(inner, channel, &inner.deps.i18n.pick(None));
                }
                if let Err(stopping) = wait_to_retry(inner, &mut attempt).await {
                    if let Some(p) = press {
                        p.finish();
                    }
                    return Err(stopping);
                }
            }
        }
    }
}

/// Parks an update that cannot be handled and answers its press.
async fn refuse(
    inner: &Arc<Inner>,
    channel: Channel,
    source: Source<'_>,
    event: &Event,
    error: &str,
) -> Result<(), Stopping> {
    Metrics::inc(&inner.deps.metrics.updates_refused_total);
    tracing::warn!(
        channel = channel.as_str(),
        chat.id = source.chat_id(),
        error,
        "update refused: it cannot be handled (forged, or about something gone)"
    );
    let lang = inner.deps.i18n.pick(None);
    let answer = event.press().map(|press| {
        let toast = Toast {
            text: lang.t("outdated-button"),
            alert: false,
        };
        plan::answer(channel, source.chat_id(), press, Some(&toast))
    });
    let incoming = source.incoming();
    let mut attempt = 0;
    loop {
        let parked = async {
            let now = inner.now_ms();
            let mut tx = inner.deps.store.begin().await?;
            inbox::park(&mut tx, channel, &incoming, error, now).await?;
            let planned: Vec<Planned> = answer.iter().cloned().collect();
            let key = format!("{}:refused:{}", channel.as_str(), incoming.identity);
            let queued = enqueue(inner, &mut tx, planned, &key, now).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(queued)
        };
        match parked.await {
            Ok(queued) => {
                inner.push(queued);
                return Ok(());
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot park a refused update; retrying");
                wait_to_retry(inner, &mut attempt).await?;
            }
        }
    }
}

/// Queues planned calls in the transaction; keys are `{prefix}:{n}`.
pub(crate) async fn enqueue(
    inner: &Inner,
    tx: &mut Tx,
    planned: Vec<Planned>,
    prefix: &str,
    now: i64,
) -> Result<Vec<Queued>, StoreError> {
    if planned.is_empty() {
        return Ok(Vec::new());
    }
    let mut news = Vec::with_capacity(planned.len());
    for (n, p) in planned.iter().enumerate() {
        let mut new = p.to_new(format!("{prefix}:{n}"));
        if let crate::out::Out::Document {
            file_name,
            data,
            file: None,
            caption,
        } = &p.out
        {
            // The bytes go to their own table; the row names them.
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap_or_default();
            let id = files::insert(tx, file_name, &bytes, now).await?;
            new.payload = crate::out::Out::Document {
                file_name: file_name.clone(),
                data: String::new(),
                file: Some(id),
                caption: caption.clone(),
            }
            .to_json();
            new.file_id = Some(id);
        }
        news.push(new);
    }
    let deadline = now.saturating_add(
        i64::try_from(inner.config.delivery_deadline.as_millis()).unwrap_or(i64::MAX),
    );
    let rows = outbox::enqueue(tx, &news, now, deadline).await?;
    let queued: Vec<Queued> = rows
        .into_iter()
        .zip(planned)
        .filter_map(|(row, p)| {
            row.map(|row| Queued {
                row,
                out: p.out,
                screen: p.screen,
                card_message: p.card_message,
            })
        })
        .collect();
    announce(inner, tx, &queued).await?;
    Ok(queued)
}

type Handled = (Vec<Queued>, Vec<ToSender>);

/// What one attempt came to.
enum Attempted {
    Handled(Handled),
    /// It had been handled (or parked) before.
    Before,
    /// An older update of the chat still waits: that one goes first.
    Older(InboxRow),
    /// Older updates of the chat wait: this one was stored behind them.
    Queued(InboxRow),
}

/// One attempt in one transaction.
async fn attempt_once(
    inner: &Arc<Inner>,
    channel: Channel,
    caps: Caps,
    source: Source<'_>,
    event: &Event,
    cursor: Option<&(String, String)>,
) -> Result<Attempted, HandleError> {
    let now = inner.now_ms();
    let backend = inner.deps.store.backend();
    let mut tx = inner.deps.store.begin().await?;
    if backend == larder_store::Backend::Postgres {
        // Several processes may share the database: one chat's updates are
        // handled one at a time, oldest first, whoever stored them.
        let chat = match source {
            Source::Fresh(u) => u.chat_id,
            Source::Stored(r) => r.chat_id,
        };
        coord::lock_chat(&mut tx, backend, channel, chat).await?;
        let before = match source {
            Source::Fresh(_) => i64::MAX,
            Source::Stored(r) => r.id,
        };
        if let Some(older) = inbox::older_pending(&mut tx, channel, chat, before).await? {
            if let Source::Fresh(u) = source {
                let stored = inbox::insert(&mut tx, channel, std::slice::from_ref(u), now).await?;
                if let Some((key, value)) = cursor {
                    settings::set(&mut tx, key, value).await?;
                }
                tx.commit().await?;
                return Ok(match stored.into_iter().next() {
                    Some(row) => Attempted::Queued(row),
                    None => Attempted::Before,
                });
            }
            return Ok(Attempted::Older(older));
        }
    }
    let inbox_id = match source {
        Source::Stored(row) => {
            if !inbox::mark_done(&mut tx, row.id, now).await? {
                return Ok(Attempted::Before);
            }
            row.id
        }
        Source::Fresh(u) => match inbox::claim(&mut tx, channel, u, now).await? {
            Some(id) => id,
            None => return Ok(Attempted::Before),
        },
    };
    let mut planned = Vec::new();
    let mut after = Vec::new();
    let toast = apply(
        inner,
        &mut tx,
        channel,
        caps,
        event,
        now,
        &mut planned,
        &mut after,
    )
    .await?;
    if let Some(press) = event.press() {
        planned.push(plan::answer(
            channel,
            source.chat_id(),
            press,
            toast.as_ref(),
        ));
    }
    if let Some((key, value)) = cursor {
        settings::set(&mut tx, key, value).await?;
    }
    let prefix = format!("{}:{inbox_id}", channel.as_str());
    let queued = enqueue(inner, &mut tx, planned, &prefix, now).await?;
    tx.commit().await?;
    Ok(Attempted::Handled((queued, after)))
}

/// Tells the process leading a channel this one does not lead that calls
/// were queued for it (on commit).
async fn announce(inner: &Inner, tx: &mut Tx, queued: &[Queued]) -> Result<(), StoreError> {
    let backend = inner.deps.store.backend();
    let mut told: Vec<Channel> = Vec::new();
    for q in queued {
        let channel = q.row.channel;
        let answers_only = matches!(q.out, crate::out::Out::Answer { .. });
        if answers_only || inner.leading(channel) || told.contains(&channel) {
            continue;
        }
        coord::announce_calls(tx, backend, channel).await?;
        told.push(channel);
    }
    Ok(())
}

/// Runs what the event asks for; returns the toast for its press.
#[expect(clippy::too_many_arguments, reason = "one transaction's whole context")]
async fn apply(
    inner: &Arc<Inner>,
    tx: &mut Tx,
    channel: Channel,
    caps: Caps,
    event: &Event,
    now: i64,
    planned: &mut Vec<Planned>,
    after: &mut Vec<ToSender>,
) -> Result<Option<Toast>, HandleError> {
    let lang = inner.deps.i18n.pick(None);
    match event {
        Event::Private(p) => private(inner, tx, channel, caps, p, now, planned).await,
        Event::Group(g) => group(inner, tx, channel, g, now, planned).await,
        Event::Migrated { from, to } => {
            groups::move_chat(tx, channel, *from, *to).await?;
            outbox::move_chat(tx, channel, *from, *to).await?;
            tracing::info!(
                chat.id = from,
                to,
                "group became a supergroup; following it"
            );
            after.push(ToSender::MoveChat {
                from: *from,
                to: *to,
            });
            Ok(None)
        }
        Event::Left { chat_id, title } => {
            crate::chats::group_left(inner, tx, channel, *chat_id, title, now, planned).await?;
            after.push(ToSender::DropChat { chat_id: *chat_id });
            Ok(None)
        }
        Event::Page { chat_id, page, .. } => {
            let stored = chat_state::load(tx, channel, *chat_id).await?;
            if let Some(state) = stored
                && let Some(shown) = &state.shown
                && let Ok(view) = serde_json::from_str::<WireView>(shown)
            {
                planned.push(Planned {
                    channel,
                    chat_id: *chat_id,
                    out: crate::out::Out::ScreenEdit { view, page: *page },
                    screen: state.desk_message_id,
                    card_message: None,
                });
            }
            Ok(None)
        }
        Event::Reachable { chat_id } => {
            if larder_store::customers::allows_again(tx, channel, *chat_id).await? {
                tracing::info!(chat.id = chat_id, "the customer allows messages again");
            }
            Ok(None)
        }
        Event::Unreadable { .. } => Ok(Some(Toast {
            text: lang.t("outdated-button"),
            alert: false,
        })),
        Event::Ignore => Ok(None),
    }
}

async fn private(
    inner: &Arc<Inner>,
    tx: &mut Tx,
    channel: Channel,
    caps: Caps,
    p: &Private,
    now: i64,
    planned: &mut Vec<Planned>,
) -> Result<Option<Toast>, HandleError> {
    let stored = chat_state::load(tx, channel, p.chat_id).await?;
    // The newest screen: as stored, or just sent and not stored yet.
    let lately = inner
        .screens
        .lock()
        .ok()
        .and_then(|l| l.get(&(channel, p.chat_id)).copied());
    let desk_id = stored.as_ref().and_then(|s| s.desk_message_id).max(lately);
    let previous = stored.as_ref().map(|s| Stored {
        screen: s.screen.clone(),
        draft: s.draft.clone(),
    });
    let known = stored.as_ref().and_then(|s| s.language.clone());
    let lang = inner
        .deps
        .i18n
        .pick(p.language.as_deref().or(known.as_deref()));
    for (key, value) in &p.remember {
        match value {
            Some(v) => settings::set(tx, key, v).await?,
            None => settings::delete(tx, key).await?,
        }
    }
    // A press on another message than the screen (not a card, not a
    // notice's button) is stale.
    let detached = matches!(&p.input, Input::Press(d) if larder_ui::is_detached_press(d));
    let stale = matches!(p.input, Input::Press(_))
        && !detached
        && desk_id.is_some()
        && p.message_id.is_some()
        && p.message_id != desk_id;
    let input = match &p.input {
        Input::Text(_) | Input::Command(_) if caps.first_message_starts && stored.is_none() => {
            Input::Start(None)
        }
        other => other.clone(),
    };
    let (reply, new_state) = if stale {
        (Reply::keep().with_toast(lang.t("outdated-button")), None)
    } else {
        let mut ctx = Ctx {
            tx: &mut *tx,
            channel,
            lang,
            config: &inner.deps.ui,
            user: p.user.clone(),
            now,
            setup_code: inner.deps.setup_code.as_deref(),
            roles: Vec::new(),
        };
        larder_ui::handle_private(&mut ctx, previous.as_ref(), input).await?
    };
    let old_shown = stored.as_ref().and_then(|s| s.shown.clone());
    let shown = match (&reply.desk, caps.pages) {
        (Desk::Show(v) | Desk::Fresh(v), true) => {
            Some(serde_json::to_string(&WireView::from(v)).map_err(UiError::State)?)
        }
        (Desk::Keep, true) => old_shown.clone(),
        (_, false) => None,
    };
    let language_changed = stored
        .as_ref()
        .is_some_and(|s| s.language.as_deref() != Some(lang.code()));
    let first = stored.is_none() && caps.first_message_starts;
    if new_state.is_some() || language_changed || first || shown != old_shown {
        let state = new_state.or(previous).unwrap_or_default();
        let record = chat_state::ChatState {
            channel,
            chat_id: p.chat_id,
            screen: state.screen,
            draft: state.draft,
            desk_message_id: desk_id,
            language: Some(lang.code().to_owned()),
            shown,
            version: stored.as_ref().map_or(0, |s| s.version),
        };
        chat_state::save(tx, &record, now).await?;
    }
    let came = plan::Came {
        input: p.message_id,
        // Typed words, or a text button's label sent as a message.
        typed: p.press.is_none(),
        elsewhere: detached
            && desk_id.is_some()
            && p.message_id.is_some()
            && p.message_id != desk_id,
        summary: old_shown.as_deref().and_then(summary),
    };
    planned.extend(plan::private(
        &reply, caps, channel, p.chat_id, &came, desk_id,
    ));
    Ok(reply.toast)
}

/// A shown screen as the one line it leaves behind: its last line (the
/// question it asked), cut short.
fn summary(shown: &str) -> Option<String> {
    let view: WireView = serde_json::from_str(shown).ok()?;
    let plain = view.text.to_plain();
    let line = plain.lines().map(str::trim).rfind(|l| !l.is_empty())?;
    Some(if line.chars().count() <= 200 {
        line.to_owned()
    } else {
        format!("{}…", line.chars().take(199).collect::<String>())
    })
}

async fn group(
    inner: &Arc<Inner>,
    tx: &mut Tx,
    channel: Channel,
    g: &Group,
    now: i64,
    planned: &mut Vec<Planned>,
) -> Result<Option<Toast>, HandleError> {
    let mut ctx = Ctx {
        tx: &mut *tx,
        channel,
        lang: inner.deps.i18n.pick(None),
        config: &inner.deps.ui,
        user: g.user.clone(),
        now,
        setup_code: None,
        roles: Vec::new(),
    };
    let reply = larder_ui::handle_group(&mut ctx, g.chat.clone(), g.input.clone()).await?;
    planned.extend(plan::group(&reply, channel, g.chat.chat_id, g.message_id));
    Ok(reply.toast)
}
