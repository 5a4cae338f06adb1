//! Recording what calls did, in batches. A call whose repetition would show
//! nothing twice (an edit, a delete, a pin, an answer) is recorded with the
//! next batch, at most a second later; one that would (a sent message) is
//! recorded at once, together with whatever else is waiting — one
//! transaction for many outcomes under load. New screen and card messages
//! are remembered in the same transaction, and the pin of a new screen is
//! queued there too.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use larder_store::outbox::{Finished, Outcome};
use larder_store::{Channel, StoreError, chat_state, groups, outbox};
use tokio::sync::mpsc;

use crate::Inner;
use crate::metrics::Metrics;
use crate::out::Out;
use crate::plan::Planned;
use crate::send::{Queued, ToSender};

#[derive(Debug)]
pub(crate) enum Record {
    /// A call ended; `urgent` if repeating it would show something twice.
    Finish {
        channel: Channel,
        done: Finished,
        urgent: bool,
    },
    /// A call failed transiently and is due again at `at`.
    Retry { id: i64, at: i64, error: String },
    /// A new screen message of a chat (pinned if `pin`).
    Screen {
        channel: Channel,
        chat_id: i64,
        message_id: i64,
        pin: bool,
    },
    /// A card's message.
    Card { card_id: i64, message_id: i64 },
    /// Everything is recorded: write what waits and stop.
    Close,
}

#[derive(Default)]
struct Batch {
    finished: Vec<(Channel, Finished)>,
    retries: Vec<(i64, i64, String)>,
    screens: Vec<(Channel, i64, i64, bool)>,
    cards: Vec<(i64, i64)>,
    urgent: bool,
}

impl Batch {
    fn add(&mut self, r: Record) {
        match r {
            Record::Finish {
                channel,
                done,
                urgent,
            } => {
                self.urgent |= urgent;
                self.finished.push((channel, done));
            }
            Record::Retry { id, at, error } => self.retries.push((id, at, error)),
            Record::Screen {
                channel,
                chat_id,
                message_id,
                pin,
            } => {
                self.urgent = true;
                self.screens.push((channel, chat_id, message_id, pin));
            }
            Record::Card {
                card_id,
                message_id,
            } => {
                self.urgent = true;
                self.cards.push((card_id, message_id));
            }
            Record::Close => {}
        }
    }

    fn is_empty(&self) -> bool {
        self.finished.is_empty()
            && self.retries.is_empty()
            && self.screens.is_empty()
            && self.cards.is_empty()
    }

    fn len(&self) -> usize {
        self.finished.len() + self.retries.len() + self.screens.len() + self.cards.len()
    }
}

/// Flushes at once past this many waiting outcomes.
const MAX_BATCH: usize = 512;

pub(crate) async fn run(inner: Arc<Inner>, mut rx: mpsc::UnboundedReceiver<Record>) {
    let mut batch = Batch::default();
    let every = inner.config.record_every;
    loop {
        let flush_at = tokio::time::sleep(every);
        tokio::pin!(flush_at);
        let mut closing = false;
        // Collect until something urgent, enough, or the interval is over.
        while !batch.urgent && batch.len() < MAX_BATCH {
            tokio::select! {
                r = rx.recv() => match r {
                    Some(Record::Close) | None => { closing = true; break; }
                    Some(r) => batch.add(r),
                },
                _ = &mut flush_at, if !batch.is_empty() => break,
            }
        }
        // Whatever else has arrived meanwhile joins this transaction.
        while let Ok(r) = rx.try_recv() {
            match r {
                Record::Close => closing = true,
                r => batch.add(r),
            }
        }
        if !batch.is_empty() {
            flush(&inner, &mut batch).await;
        }
        if closing {
            return;
        }
    }
}

/// Writes a batch, retrying until it is written (outcomes are not lost while
/// the database is away; the calls stay known to their senders meanwhile).
async fn flush(inner: &Arc<Inner>, batch: &mut Batch) {
    let mut delay = Duration::from_millis(100);
    loop {
        match write(inner, batch).await {
            Ok(pins) => {
                Metrics::inc(&inner.deps.metrics.outcomes_recorded_total);
                let mut ids: HashMap<Channel, Vec<i64>> = HashMap::new();
                for (channel, f) in &batch.finished {
                    ids.entry(*channel).or_default().push(f.id);
                }
                for (channel, ids) in ids {
                    inner.tell_sender(channel, ToSender::Recorded(ids));
                }
                inner.push(pins);
                *batch = Batch::default();
                return;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot record call outcomes; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}

async fn write(inner: &Arc<Inner>, batch: &Batch) -> Result<Vec<Queued>, StoreError> {
    let now = inner.now_ms();
    let mut tx = inner.deps.store.begin().await?;
    let finished: Vec<Finished> = batch.finished.iter().map(|(_, f)| f.clone()).collect();
    outbox::finish(&mut tx, &finished, now).await?;
    for (id, at, error) in &batch.retries {
        outbox::retry_later(&mut tx, *id, *at, error).await?;
    }
    for (card_id, message_id) in &batch.cards {
        groups::set_card_message(&mut tx, *card_id, *message_id).await?;
    }
    let mut pins = Vec::new();
    for (channel, chat_id, message_id, pin) in &batch.screens {
        chat_state::set_desk_message(&mut tx, *channel, *chat_id, Some(*message_id), now).await?;
        if *pin {
            pins.push(Planned {
                channel: *channel,
                chat_id: *chat_id,
                out: Out::Pin {
                    message_id: *message_id,
                },
                screen: Some(*message_id),
                card_message: None,
            });
        }
    }
    let mut queued = Vec::new();
    for p in pins {
        let key = match &p.out {
            Out::Pin { message_id } => {
                format!("{}:pin:{}:{message_id}", p.channel.as_str(), p.chat_id)
            }
            _ => continue,
        };
        queued.extend(crate::handle::enqueue(inner, &mut tx, vec![p], &key, now).await?);
    }
    tx.commit().await?;
    if batch
        .finished
        .iter()
        .any(|(_, f)| f.outcome == Outcome::Expired)
    {
        tracing::debug!("expired calls recorded");
    }
    Ok(queued)
}
