//! Receives updates by long polling. Each batch is handed to the runtime,
//! which makes it durable, before the next `getUpdates` confirms it; a
//! batch delivered twice is stored once.
//!
//! The offset is only ever the one just received plus one, held in memory:
//! at start, and whenever everything received is confirmed, larder asks for
//! "the oldest unconfirmed updates" instead. Telegram may hand out update
//! ids anew (lower ones, after a quiet week or for a new token); asking by a
//! remembered high offset would then discard every new update unseen.

use std::time::Duration;

use larder_runtime::Handle;
use larder_store::Channel;
use tokio::sync::watch;

use crate::api::{ApiError, BotApi};
use crate::decode;

/// The update kinds larder handles.
pub(crate) const ALLOWED: &[&str] = &["message", "callback_query", "my_chat_member"];

/// Retries after failures: 250 ms doubling to at most 4 s, so polling is
/// back within about five seconds of the API answering again.
pub(crate) fn backoff(failures: u32) -> Duration {
    Duration::from_millis(250 * 2u64.pow(failures.saturating_sub(1).min(4)))
        .min(Duration::from_secs(4))
}

pub async fn run(handle: Handle, api: BotApi, timeout_s: u32, stop: watch::Receiver<bool>) {
    handle.receiving(Channel::Telegram, true);
    poll(&handle, &api, timeout_s, stop).await;
    handle.receiving(Channel::Telegram, false);
}

async fn poll(handle: &Handle, api: &BotApi, timeout_s: u32, mut stop: watch::Receiver<bool>) {
    let mut offset: Option<i64> = None;
    let mut failures = 0u32;
    loop {
        if *stop.borrow() {
            return;
        }
        let polled = tokio::select! {
            r = api.get_updates(offset, timeout_s, ALLOWED) => r,
            _ = stop.changed() => return,
        };
        let raw = match polled {
            Ok(raw) => {
                handle.heard(Channel::Telegram);
                if failures > 0 {
                    tracing::info!(failures, "getUpdates answers again");
                }
                failures = 0;
                raw
            }
            Err(e) => {
                failures += 1;
                let wait = match &e {
                    ApiError::Api {
                        code: 429,
                        retry_after,
                        ..
                    } => Duration::from_secs(retry_after.unwrap_or(1).max(1)),
                    ApiError::Api { code: 409, .. } if e.says("webhook") => {
                        // Switched back from webhook mode: take the updates
                        // by polling again (those waiting are kept).
                        match api.call("deleteWebhook", &serde_json::json!({})).await {
                            Ok(_) => {
                                tracing::info!("webhook removed: receiving by long polling");
                                Duration::ZERO
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "cannot remove the webhook");
                                backoff(failures)
                            }
                        }
                    }
                    ApiError::Api { code: 409, .. } => {
                        tracing::error!(error = %e, "another program is polling this bot");
                        Duration::from_secs(4)
                    }
                    ApiError::Api {
                        code: 401 | 404, ..
                    } => {
                        tracing::error!(error = %e, "Telegram does not accept the bot token");
                        Duration::from_secs(4)
                    }
                    _ => backoff(failures),
                };
                tracing::warn!(
                    error = %e,
                    failures,
                    retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "getUpdates failed"
                );
                if sleep_or_stop(&mut stop, wait).await {
                    return;
                }
                continue;
            }
        };
        if raw.is_empty() {
            // Everything received is confirmed: ask for whatever comes next.
            offset = None;
            continue;
        }
        let batch: Vec<_> = raw.iter().map(|r| decode::incoming(r.get())).collect();
        let next = batch
            .iter()
            .filter_map(|u| u.update_id)
            .max()
            .map(|m| m + 1);
        if handle
            .receive(Channel::Telegram, batch, None)
            .await
            .is_err()
        {
            return;
        }
        offset = next.or(offset);
    }
}

/// Sleeps; true if asked to stop meanwhile.
async fn sleep_or_stop(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => *stop.borrow(),
        _ = stop.changed() => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polling_backs_off_to_four_seconds_at_most() {
        let waits: Vec<u64> = (1..=7)
            .map(|n| u64::try_from(backoff(n).as_millis()).unwrap())
            .collect();
        assert_eq!(waits, [250, 500, 1000, 2000, 4000, 4000, 4000]);
    }
}
