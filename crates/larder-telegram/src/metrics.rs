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
    updates_received_total: "Updates stored in the inbox.",
    updates_handled_total: "Updates handled successfully.",
    updates_failed_total: "Update handling attempts that failed.",
    outbox_sent_total: "Outgoing calls completed.",
    outbox_retried_total: "Outgoing calls put back for a later attempt.",
    outbox_failed_total: "Outgoing calls given up.",
    rate_limited_total: "429 answers received.",
    callbacks_answered_total: "Button presses answered.",
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
