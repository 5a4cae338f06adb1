//! Bots Long Poll: events are stored in the inbox before `ts` moves on, so
//! a crash between receiving and handling loses nothing, and an event seen
//! twice (by its `event_id`) is handled once. `failed` 1, 2 and 3 recover as
//! VK documents: 1 continues from the given `ts`, 2 asks for a new key, 3 for
//! a new key and `ts`.

use std::sync::Arc;
use std::time::Duration;

use larder_store::inbox::{self, Incoming};
use larder_store::{Channel, settings};
use serde_json::Value;

use crate::{Shared, event_key, handler};

const TS_KEY: &str = "vk.ts";

struct Server {
    server: String,
    key: String,
    ts: String,
}

async fn server(shared: &Shared) -> Result<Server, crate::VkError> {
    let r = shared
        .api
        .call(
            "groups.getLongPollServer",
            &[("group_id", shared.config.group_id.to_string())],
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

pub async fn run(shared: Arc<Shared>) {
    let mut stop = shared.stop.clone();
    // What was stored before a restart is handled first.
    handle_pending(&shared).await;
    let mut backoff = Duration::from_millis(500);
    let mut fresh_ts = false;
    'outer: loop {
        if *stop.borrow() {
            return;
        }
        let mut lp = match server(&shared).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot get the VK long-poll server; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = stop.changed() => return,
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        if !fresh_ts {
            let saved = async {
                let mut conn = shared.deps.store.conn().await?;
                settings::get(&mut conn, TS_KEY).await
            };
            if let Ok(Some(ts)) = saved.await {
                lp.ts = ts;
            }
        }
        fresh_ts = false;
        loop {
            let checked = tokio::select! {
                r = shared.api.check(&lp.server, &lp.key, &lp.ts, shared.config.wait_s) => r,
                _ = stop.changed() => return,
            };
            let body = match checked {
                Ok(b) => {
                    backoff = Duration::from_millis(500);
                    b
                }
                Err(e) => {
                    tracing::warn!(error = %e, "VK long poll failed; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = stop.changed() => return,
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(30));
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
            let updates = body["updates"].as_array().cloned().unwrap_or_default();
            match store(&shared, &updates, &ts).await {
                Ok(rows) => {
                    lp.ts = ts;
                    for row in rows {
                        handler::handle_logged(&shared, &row).await;
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot store VK events; asking again");
                    tokio::time::sleep(backoff).await;
                }
            }
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

fn peer_of(update: &Value) -> Option<i64> {
    let o = &update["object"];
    o["message"]["peer_id"]
        .as_i64()
        .or_else(|| o["peer_id"].as_i64())
        .or_else(|| o["user_id"].as_i64())
}

/// Stores the batch and the new `ts` together; returns the new rows.
async fn store(
    shared: &Shared,
    updates: &[Value],
    ts: &str,
) -> larder_store::Result<Vec<inbox::InboxRow>> {
    let incoming: Vec<Incoming> = updates
        .iter()
        .filter_map(|u| {
            let event = u["event_id"].as_str()?;
            Some(Incoming {
                update_id: event_key(event),
                chat_id: peer_of(u),
                payload: u.to_string(),
            })
        })
        .collect();
    let mut tx = shared.deps.store.begin().await?;
    let rows = inbox::insert(&mut tx, Channel::Vk, &incoming, shared.now_ms()).await?;
    settings::set(&mut tx, TS_KEY, ts).await?;
    tx.commit().await?;
    Ok(rows)
}

async fn handle_pending(shared: &Shared) {
    let rows = async {
        let mut conn = shared.deps.store.conn().await?;
        inbox::pending(&mut conn, Channel::Vk, 100_000).await
    };
    match rows.await {
        Ok(rows) => {
            for row in rows {
                handler::handle_logged(shared, &row).await;
            }
        }
        Err(e) => tracing::error!(error = %e, "cannot read the VK inbox"),
    }
}
