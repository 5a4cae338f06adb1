//! Bots Long Poll: each batch of events is handed to the runtime, which
//! makes it durable (with the new `ts`, in the same transaction) before
//! `ts` moves on, so a crash between receiving and handling loses nothing,
//! and an event seen twice (by its `event_id`) is handled once. Events are
//! handled per person in parallel, like Telegram's: one slow call never
//! holds another customer. `failed` 1, 2 and 3 recover as VK documents: 1
//! continues from the given `ts`, 2 asks for a new key, 3 for a new key and
//! `ts`.

use std::time::Duration;

use larder_runtime::Handle;
use larder_store::{Channel, settings};
use serde_json::Value;
use tokio::sync::watch;

use crate::{VkApi, VkConfig};

const TS_KEY: &str = "vk.ts";

struct Server {
    server: String,
    key: String,
    ts: String,
}

async fn server(api: &VkApi, config: &VkConfig) -> Result<Server, crate::VkError> {
    let r = api
        .call(
            "groups.getLongPollServer",
            &[("group_id", config.group_id.to_string())],
        )
        .await?;
    let field = |name: &str| match &r[name] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    Ok(Server {
        server: field("server"),
        key: field("key"),
        ts: field("ts"),
    })
}

/// Retries after failures: 250 ms doubling to at most 4 s.
fn backoff(failures: u32) -> Duration {
    Duration::from_millis(250 * 2u64.pow(failures.saturating_sub(1).min(4)))
        .min(Duration::from_secs(4))
}

pub async fn run(handle: Handle, api: VkApi, config: VkConfig, stop: watch::Receiver<bool>) {
    handle.receiving(Channel::Vk, true);
    poll(&handle, &api, &config, stop).await;
    handle.receiving(Channel::Vk, false);
}

async fn poll(handle: &Handle, api: &VkApi, config: &VkConfig, mut stop: watch::Receiver<bool>) {
    let mut failures = 0u32;
    let mut fresh_ts = false;
    'outer: loop {
        if *stop.borrow() {
            return;
        }
        let mut lp = match server(api, config).await {
            Ok(s) => s,
            Err(e) => {
                if e.code() == Some(15) {
                    handle.lacking(Channel::Vk, "manage").await;
                }
                failures += 1;
                let wait = backoff(failures);
                tracing::warn!(error = %e, retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(0), "cannot get the VK long-poll server");
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => return,
                }
                continue;
            }
        };
        if !fresh_ts {
            let saved = async {
                let mut conn = handle.deps().store.conn().await?;
                settings::get(&mut conn, TS_KEY).await
            };
            match saved.await {
                Ok(Some(ts)) => lp.ts = ts,
                // The first position is kept at once: whatever comes while
                // larder is down before the first event is heard after it.
                Ok(None) => {
                    let keep = async {
                        let mut conn = handle.deps().store.conn().await?;
                        settings::set(&mut conn, TS_KEY, &lp.ts).await
                    };
                    if let Err(e) = keep.await {
                        tracing::warn!(error = %e, "cannot keep the first VK long-poll position");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot read the VK long-poll position"),
            }
        }
        fresh_ts = false;
        loop {
            let checked = tokio::select! {
                r = api.check(&lp.server, &lp.key, &lp.ts, config.wait_s) => r,
                _ = stop.changed() => return,
            };
            let body = match checked {
                Ok(b) => {
                    handle.heard(Channel::Vk);
                    if failures > 0 {
                        tracing::info!(failures, "the VK long poll answers again");
                    }
                    failures = 0;
                    b
                }
                Err(e) => {
                    failures += 1;
                    let wait = backoff(failures);
                    tracing::warn!(error = %e, retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(0), "VK long poll failed");
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = stop.changed() => return,
                    }
                    continue;
                }
            };
            match body["failed"].as_i64() {
                Some(1) => {
                    // History is out of date: continue from the new ts.
                    if let Some(ts) = ts_of(&body) {
                        lp.ts = ts;
                    }
                    continue;
                }
                Some(2) => continue 'outer,
                Some(3) => {
                    fresh_ts = true;
                    continue 'outer;
                }
                Some(other) => {
                    tracing::warn!(failed = other, "unknown long-poll failure; starting over");
                    continue 'outer;
                }
                None => {}
            }
            let Some(ts) = ts_of(&body) else {
                continue;
            };
            let batch: Vec<_> = body["updates"]
                .as_array()
                .map(|u| u.iter().filter_map(crate::decode::incoming).collect())
                .unwrap_or_default();
            if !batch.is_empty()
                && handle
                    .receive(Channel::Vk, batch, Some((TS_KEY.to_owned(), ts.clone())))
                    .await
                    .is_err()
            {
                return;
            }
            lp.ts = ts;
        }
    }
}

fn ts_of(body: &Value) -> Option<String> {
    match &body["ts"] {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
