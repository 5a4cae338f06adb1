//! Counters exported at `/metrics` in the Prometheus text format.

use std::sync::atomic::{AtomicU64, Ordering};

macro_rules! counters {
    ($($name:ident: $help:literal),* $(,)?) => {
        /// Process-wide counters of the messaging pipeline.
        #[derive(Debug, Default)]
        pub struct Metrics { $(pub $name: AtomicU64,)* }

        impl Metrics {
            /// Prometheus exposition of every counter.
            pub fn render(&self) -> String {
                let mut out = String::new();
                $(
                    out.push_str(concat!("# HELP larder_", stringify!($name), " ", $help, "\n"));
                    out.push_str(concat!("# TYPE larder_", stringify!($name), " counter\n"));
                    out.push_str(&format!(concat!("larder_", stringify!($name), " {}\n"), self.$name.load(Ordering::Relaxed)));
                )*
                out
            }
        }
    };
}

counters! {
    updates_received_total: "Updates stored in the inbox or handled as they arrived.",
    updates_handled_total: "Updates handled successfully.",
    updates_refused_total: "Updates that cannot be handled (forged, about something gone), answered and parked.",
    updates_retried_total: "Handling attempts that failed for want of the database and were retried.",
    outbox_sent_total: "Outgoing calls completed.",
    outbox_superseded_total: "Outgoing calls made pointless by a newer one (coalesced edits).",
    outbox_retried_total: "Outgoing calls that failed transiently and were put back for later.",
    outbox_failed_total: "Outgoing calls refused for good (dead letters).",
    outbox_expired_total: "Outgoing calls still failing at their deadline (dead letters).",
    outbox_unsure_total: "Calls whose response was lost after they may have taken effect; a retry may show a duplicate.",
    rate_limited_total: "429 answers received.",
    callbacks_answered_total: "Button presses answered.",
    outcomes_recorded_total: "Outcome batches written to the database.",
    pruned_updates_total: "Handled updates deleted after the retention age.",
    pruned_calls_total: "Finished calls deleted after the retention age.",
    files_released_total: "Files (exports) deleted once their call was finished.",
    prune_passes_total: "Pruning passes completed (each looks at every old row once).",
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
