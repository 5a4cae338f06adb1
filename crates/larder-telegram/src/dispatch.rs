//! Routes stored updates to one worker per chat: in order within a chat,
//! chats in parallel. After a restart it first picks up what was stored but
//! not handled.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use larder_store::inbox;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinSet;

use crate::Shared;
use crate::metrics::Metrics;

/// A chat's worker ends after this long without updates.
const IDLE: Duration = Duration::from_secs(30);
const MAX_ATTEMPTS: i64 = 3;

pub async fn run(shared: Arc<Shared>, mut from_listener: UnboundedReceiver<inbox::InboxRow>) {
    let mut stop = shared.stop.clone();
    let mut workers: HashMap<i64, UnboundedSender<inbox::InboxRow>> = HashMap::new();
    let mut set = JoinSet::new();
    loop {
        let pending = async {
            let mut conn = shared.deps.store.conn().await?;
            inbox::pending(&mut conn, larder_store::Channel::Telegram, 100_000).await
        };
        match pending.await {
            Ok(rows) => {
                if !rows.is_empty() {
                    tracing::info!(
                        count = rows.len(),
                        "resuming updates stored before the restart"
                    );
                }
                for row in rows {
                    route(&shared, &mut workers, &mut set, row);
                }
                break;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot read pending updates; retrying");
                if crate::listener::sleep_or_stop(&mut stop, Duration::from_secs(2)).await {
                    return;
                }
            }
        }
    }
    loop {
        tokio::select! {
            row = from_listener.recv() => match row {
                Some(row) => route(&shared, &mut workers, &mut set, row),
                None => break,
            },
            Some(_) = set.join_next(), if !set.is_empty() => {
                workers.retain(|_, tx| !tx.is_closed());
            }
            _ = stop.changed() => break,
        }
    }
    // Graceful stop: workers finish what they were given.
    workers.clear();
    while set.join_next().await.is_some() {}
}

fn route(
    shared: &Arc<Shared>,
    workers: &mut HashMap<i64, UnboundedSender<inbox::InboxRow>>,
    set: &mut JoinSet<()>,
    row: inbox::InboxRow,
) {
    let key = row.chat_id.unwrap_or(0);
    let row = match workers.get(&key) {
        Some(tx) => match tx.send(row) {
            Ok(()) => return,
            Err(returned) => returned.0,
        },
        None => row,
    };
    let (tx, rx) = unbounded_channel();
    let _ = tx.send(row);
    set.spawn(worker(shared.clone(), rx));
    workers.insert(key, tx);
}

async fn worker(shared: Arc<Shared>, mut rx: UnboundedReceiver<inbox::InboxRow>) {
    loop {
        match tokio::time::timeout(IDLE, rx.recv()).await {
            Ok(Some(row)) => handle_with_retry(&shared, row).await,
            Ok(None) => return,
            Err(_idle) => {
                // Refuse new rows, then finish the ones already queued.
                rx.close();
                while let Ok(row) = rx.try_recv() {
                    handle_with_retry(&shared, row).await;
                }
                return;
            }
        }
    }
}

async fn handle_with_retry(shared: &Shared, row: inbox::InboxRow) {
    let mut attempts = row.attempts;
    loop {
        match crate::handler::handle(shared, &row).await {
            Ok(handled_now) => {
                if handled_now {
                    Metrics::inc(&shared.deps.metrics.updates_handled_total);
                }
                return;
            }
            Err(e) => {
                attempts += 1;
                Metrics::inc(&shared.deps.metrics.updates_failed_total);
                let error = shared.redact(&e.to_string());
                tracing::error!(inbox.id = row.id, update.id = row.update_id, attempt = attempts, error = %error, "update handling failed");
                let recorded = async {
                    let mut conn = shared.deps.store.conn().await?;
                    inbox::record_failure(&mut conn, row.id, &error, MAX_ATTEMPTS, shared.now_ms())
                        .await
                };
                if let Err(e) = recorded.await {
                    tracing::error!(inbox.id = row.id, error = %e, "cannot record the failure; the update stays pending");
                    return;
                }
                if attempts >= MAX_ATTEMPTS {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(
                    250 * 2u64.pow(u32::try_from(attempts).unwrap_or(4)),
                ))
                .await;
            }
        }
    }
}
