//! Receives updates by long polling. Each batch is stored in the inbox
//! before the next `getUpdates` confirms it, so a crash at any point loses
//! nothing; a batch delivered twice is stored once.

use std::sync::Arc;
use std::time::Duration;

use larder_store::{Channel, inbox};
use teloxide_core::payloads::GetUpdatesSetters;
use teloxide_core::prelude::Requester;
use teloxide_core::requests::Request;
use teloxide_core::types::{AllowedUpdate, Update};
use tokio::sync::mpsc::UnboundedSender;

use crate::Shared;
use crate::metrics::Metrics;

const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The chat an update belongs to: updates of one chat are handled in order.
pub fn chat_of(update: &Update) -> Option<i64> {
    update
        .chat()
        .map(|c| c.id.0)
        .or_else(|| update.from().and_then(|u| i64::try_from(u.id.0).ok()))
}

pub async fn run(shared: Arc<Shared>, to_dispatch: Option<UnboundedSender<inbox::InboxRow>>) {
    let mut stop = shared.stop.clone();
    let mut offset = loop {
        let start = async {
            let mut conn = shared.deps.store.conn().await?;
            inbox::max_update_id(&mut conn, Channel::Telegram).await
        };
        match start.await {
            Ok(max) => break max.map_or(0, |m| i32::try_from(m + 1).unwrap_or(0)),
            Err(e) => {
                tracing::error!(error = %e, "cannot read the inbox; retrying");
                if sleep_or_stop(&mut stop, Duration::from_secs(2)).await {
                    return;
                }
            }
        }
    };
    let mut backoff = Duration::from_secs(1);
    loop {
        if *stop.borrow() {
            return;
        }
        let request = shared
            .bot
            .get_updates()
            .offset(offset)
            .timeout(shared.config.poll_timeout_s)
            .allowed_updates(vec![
                AllowedUpdate::Message,
                AllowedUpdate::CallbackQuery,
                AllowedUpdate::MyChatMember,
            ]);
        let result = tokio::select! {
            r = request.send() => r,
            _ = stop.changed() => return,
        };
        let updates = match result {
            Ok(updates) => {
                backoff = Duration::from_secs(1);
                updates
            }
            Err(e) => {
                tracing::warn!(error = %shared.redact(&e.to_string()), retry_in_s = backoff.as_secs(), "getUpdates failed");
                if sleep_or_stop(&mut stop, backoff).await {
                    return;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        if updates.is_empty() {
            continue;
        }
        let incoming: Vec<inbox::Incoming> = updates
            .iter()
            .filter_map(|u| {
                Some(inbox::Incoming {
                    update_id: i64::from(u.id.0),
                    chat_id: chat_of(u),
                    payload: serde_json::to_string(u).ok()?,
                })
            })
            .collect();
        let Some(fresh) = store_batch(&shared, &incoming, &mut stop).await else {
            return;
        };
        if let Some(last) = updates.iter().map(|u| u.id.0).max() {
            offset = i32::try_from(u64::from(last) + 1).unwrap_or(i32::MAX);
        }
        for row in fresh {
            Metrics::inc(&shared.deps.metrics.updates_received_total);
            if let Some(tx) = &to_dispatch {
                let _ = tx.send(row);
            }
        }
    }
}

/// Stores a batch, retrying until it is stored; `None` if stopped first
/// (the batch is then not confirmed and Telegram delivers it again).
async fn store_batch(
    shared: &Shared,
    incoming: &[inbox::Incoming],
    stop: &mut tokio::sync::watch::Receiver<bool>,
) -> Option<Vec<inbox::InboxRow>> {
    let mut backoff = Duration::from_millis(200);
    loop {
        let attempt = async {
            let mut tx = shared.deps.store.begin().await?;
            let fresh = inbox::insert(
                &mut tx,
                larder_store::Channel::Telegram,
                incoming,
                shared.now_ms(),
            )
            .await?;
            tx.commit().await?;
            Ok::<_, larder_store::StoreError>(fresh)
        };
        match attempt.await {
            Ok(fresh) => return Some(fresh),
            Err(e) => {
                tracing::error!(error = %e, "cannot store received updates; retrying");
                if sleep_or_stop(stop, backoff).await {
                    return None;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Sleeps; true if asked to stop meanwhile.
pub(crate) async fn sleep_or_stop(
    stop: &mut tokio::sync::watch::Receiver<bool>,
    d: Duration,
) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => *stop.borrow(),
        _ = stop.changed() => true,
    }
}
