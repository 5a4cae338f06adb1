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

/// What a pass deletes, a batch at a time.
#[derive(Clone, Copy)]
enum Old {
    /// Files of finished calls.
    Files,
    Updates,
    Calls,
}

/// One pass: files of finished calls, then old updates and calls.
pub(crate) async fn prune(inner: &Inner) -> Result<(), StoreError> {
    let metrics = &inner.deps.metrics;
    let before = inner.now_ms() - i64::try_from(inner.config.keep.as_millis()).unwrap_or(i64::MAX);
    let files = in_batches(inner, Old::Files, before).await?;
    let updates = in_batches(inner, Old::Updates, before).await?;
    let calls = in_batches(inner, Old::Calls, before).await?;
    let add = |counter: &std::sync::atomic::AtomicU64, n: u64| {
        counter.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    };
    add(&metrics.files_released_total, files);
    add(&metrics.pruned_updates_total, updates);
    add(&metrics.pruned_calls_total, calls);
    add(&metrics.prune_passes_total, 1);
    if files + updates + calls > 0 {
        tracing::info!(files, updates, calls, "old rows pruned");
    }
    Ok(())
}

/// Deletes `what` in small transactions with pauses between them, until a
/// batch comes back short; returns how many rows went.
async fn in_batches(inner: &Inner, what: Old, before: i64) -> Result<u64, StoreError> {
    let limit = match what {
        Old::Files => 50,
        Old::Updates | Old::Calls => BATCH,
    };
    let mut total = 0;
    loop {
        let mut tx = inner.deps.store.begin().await?;
        let n = match what {
            Old::Files => retention::release_files(&mut tx, limit).await?,
            Old::Updates => retention::prune_inbox(&mut tx, before, limit).await?,
            Old::Calls => retention::prune_outbox(&mut tx, before, limit).await?,
        };
        tx.commit().await?;
        total += n;
        if n < limit.unsigned_abs() || inner.stopping() {
            return Ok(total);
        }
        tokio::time::sleep(PAUSE).await;
    }
}
