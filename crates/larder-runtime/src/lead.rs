//! Leading a channel: of several processes on one PostgreSQL database,
//! exactly one polls each channel and sends its messages (so Telegram's
//! budgets, which are per bot, hold for all of them together); any process
//! handles updates. The lead is a database lock (`larder_store::coord`):
//! when its holder dies, another process takes over within seconds. On
//! SQLite the one process always leads.
//!
//! Also here, for several processes: calls queued by a process that does
//! not lead their channel are announced, and the leader's sender looks for
//! them at once; updates left waiting by a process that stopped are picked
//! up by the others.

use std::sync::Arc;
use std::time::Duration;

use larder_store::{Channel, inbox};

use crate::Inner;
use crate::send::ToSender;

/// How often a process that does not lead tries again, and how often the
/// leader checks that it still leads.
const LEAD_CHECK: Duration = Duration::from_secs(2);
/// Updates waiting this long were left by a process that stopped.
const STALE_MS: i64 = 3_000;

async fn sleep_or_stop(inner: &Inner, d: Duration) -> bool {
    let mut stop = inner.stop.clone();
    if *stop.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(d) => *stop.borrow(),
        _ = stop.changed() => true,
    }
}

/// Holds (or waits for) the lead of `channel` until the runtime stops.
pub(crate) async fn run(inner: Arc<Inner>, channel: Channel) {
    loop {
        match inner.deps.store.try_lead(channel.as_str()).await {
            Ok(Some(mut lead)) => {
                tracing::info!(channel = channel.as_str(), "this process leads the channel");
                inner.set_leading(channel, true);
                inner.tell_sender(channel, ToSender::Lead(true));
                let mut stopped = false;
                while !stopped {
                    stopped = sleep_or_stop(&inner, LEAD_CHECK).await;
                    if !stopped && !lead.alive().await {
                        tracing::warn!(
                            channel = channel.as_str(),
                            "lost the lead of the channel (the database connection broke)"
                        );
                        break;
                    }
                }
                inner.set_leading(channel, false);
                inner.tell_sender(channel, ToSender::Lead(false));
                lead.release().await;
                if stopped {
                    return;
                }
            }
            Ok(None) => {
                tracing::debug!(
                    channel = channel.as_str(),
                    "another process leads the channel"
                );
                if sleep_or_stop(&inner, LEAD_CHECK).await {
                    return;
                }
            }
            Err(e) => {
                tracing::error!(channel = channel.as_str(), error = %e, "cannot take the lead of the channel");
                if sleep_or_stop(&inner, LEAD_CHECK).await {
                    return;
                }
            }
        }
    }
}

/// Wakes the sender of a channel this process leads when another process
/// queued calls for it (PostgreSQL's notifications).
pub(crate) async fn listen_calls(inner: Arc<Inner>) {
    loop {
        let listening = inner.deps.store.listen_calls().await;
        let mut listener = match listening {
            Ok(Some(l)) => l,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for queued calls; retrying");
                if sleep_or_stop(&inner, LEAD_CHECK).await {
                    return;
                }
                continue;
            }
        };
        let mut stop = inner.stop.clone();
        loop {
            if *stop.borrow() {
                return;
            }
            // Waiting is never cut short but by stopping: a wait abandoned
            // half-way could lose the notification it was reading.
            let next = tokio::select! {
                n = listener.next() => n,
                _ = stop.changed() => return,
            };
            match next {
                Ok(Some(channel)) => {
                    if let Ok(channel) = Channel::parse(&channel)
                        && inner.leading(channel)
                    {
                        inner.tell_sender(channel, ToSender::Scan);
                    }
                }
                Ok(None) => {
                    // Reconnected: whatever was announced meanwhile is read now.
                    for channel in [Channel::Telegram, Channel::Vk] {
                        if inner.leading(channel) {
                            inner.tell_sender(channel, ToSender::Scan);
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "lost the notifications of queued calls; reconnecting");
                    break;
                }
            }
        }
    }
}

/// Picks up updates another process stored and then stopped before
/// handling (several processes on PostgreSQL).
pub(crate) async fn sweep(inner: Arc<Inner>, channel: Channel) {
    loop {
        if sleep_or_stop(&inner, LEAD_CHECK).await {
            return;
        }
        let stale = async {
            let mut conn = inner.deps.store.conn().await?;
            inbox::stale(&mut conn, channel, inner.now_ms() - STALE_MS, 200).await
        };
        match stale.await {
            Ok(rows) => {
                for row in rows {
                    inner.queue_update(channel, row);
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot look for waiting updates"),
        }
    }
}
