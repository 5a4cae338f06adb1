//! Keeping the database from growing without end: files of finished calls
//! are deleted, and handled updates and finished calls older than the
//! retention age (`keep`) are pruned — a small batch per transaction, with
//! a pause between batches, so handling never waits behind it. With several
//! processes, the one leading a channel does it.

use std::sync::Arc;
use std::time::Duration;

use larder_store::{StoreError, retention};

use crate::Inner;

/// Rows per transaction.
const BATCH: i64 = 500;
/// Between batches, others get the database.
const PAUSE: Duration = Duration::from_millis(20);

pub(crate) async fn run(inner: Arc<Inner>) {
    let mut stop = inner.stop.clone();
    let mut tick = tokio::time::interval(inner.config.prune_every);
    tick.reset();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        if inner.stopping() {
            return;
        }
        let leads = inner.channels.keys().any(|c| inner.leading(*c));
        if !leads {
            continue;
        }
        if let Err(e) = prune(&inner).await {
            tracing::warn!(error = %e, "pruning old rows failed; trying again later");
        }
    }
}

/// One pass: files of finished calls, then old updates and calls.
pub(crate) async fn prune(inner: &Inner) -> Result<(), StoreError> {
    let metrics = &inner.deps.metrics;
    let before = inner.now_ms() - i64::try_from(inner.config.keep.as_millis()).unwrap_or(i64::MAX);
    let (mut files, mut updates, mut calls) = (0, 0, 0);
    loop {
        let mut tx = inner.deps.store.begin().await?;
        let n = retention::release_files(&mut tx, 50).await?;
        tx.commit().await?;
        files += n;
        if n < 50 || inner.stopping() {
            break;
        }
        tokio::time::sleep(PAUSE).await;
    }
    loop {
        let mut tx = inner.deps.store.begin().await?;
        let n = retention::prune_inbox(&mut tx, before, BATCH).await?;
        tx.commit().await?;
        updates += n;
        if n < BATCH.unsigned_abs() || inner.stopping() {
            break;
        }
        tokio::time::sleep(PAUSE).await;
    }
    loop {
        let mut tx = inner.deps.store.begin().await?;
        let n = retention::prune_outbox(&mut tx, before, BATCH).await?;
        tx.commit().await?;
        calls += n;
        if n < BATCH.unsigned_abs() || inner.stopping() {
            break;
        }
        tokio::time::sleep(PAUSE).await;
    }
    metrics
        .files_released_total
        .fetch_add(files, std::sync::atomic::Ordering::Relaxed);
    metrics
        .pruned_updates_total
        .fetch_add(updates, std::sync::atomic::Ordering::Relaxed);
    metrics
        .pruned_calls_total
        .fetch_add(calls, std::sync::atomic::Ordering::Relaxed);
    if files + updates + calls > 0 {
        tracing::info!(files, updates, calls, "old rows pruned");
    }
    Ok(())
}
