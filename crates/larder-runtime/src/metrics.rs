//! Counters exported at `/metrics` in the Prometheus text format: the
//! pipeline's totals, and each messenger's traffic with a `channel` label
//! (`larder_channel_outbox_sent_total{channel="vk"}`).

use std::sync::atomic::{AtomicU64, Ordering};

use larder_store::Channel;

macro_rules! counters {
    ($($name:ident: $help:literal),* $(,)?) => {
        /// Process-wide counters of the messaging pipeline.
        #[derive(Debug, Default)]
        pub struct Metrics {
            $(pub $name: AtomicU64,)*
            /// Telegram's, then VK's traffic.
            pub channels: [ChannelMetrics; 2],
        }

        impl Metrics {
            /// Prometheus exposition of every counter.
            pub fn render(&self) -> String {
                let mut out = String::new();
                $(
                    out.push_str(concat!("# HELP larder_", stringify!($name), " ", $help, "\n"));
                    out.push_str(concat!("# TYPE larder_", stringify!($name), " counter\n"));
                    out.push_str(&format!(concat!("larder_", stringify!($name), " {}\n"), self.$name.load(Ordering::Relaxed)));
                )*
                ChannelMetrics::render(&self.channels, &mut out);
                out
            }
        }
    };
}

macro_rules! channel_counters {
    ($($name:ident: $help:literal),* $(,)?) => {
        /// One messenger's traffic.
        #[derive(Debug, Default)]
        pub struct ChannelMetrics { $(pub $name: AtomicU64,)* }

        impl ChannelMetrics {
            fn render(all: &[ChannelMetrics; 2], out: &mut String) {
                $(
                    out.push_str(concat!("# HELP larder_channel_", stringify!($name), " ", $help, "\n"));
                    out.push_str(concat!("# TYPE larder_channel_", stringify!($name), " counter\n"));
                    for (channel, m) in [Channel::Telegram, Channel::Vk].into_iter().zip(all) {
                        out.push_str(&format!(
                            concat!("larder_channel_", stringify!($name), "{{channel=\"{}\"}} {}\n"),
                            channel.as_str(),
                            m.$name.load(Ordering::Relaxed),
                        ));
                    }
                )*
            }
        }
    };
}

channel_counters! {
    updates_received_total: "Updates received from the messenger.",
    updates_handled_total: "Updates from the messenger handled successfully.",
    outbox_sent_total: "Calls to the messenger completed.",
    outbox_retried_total: "Calls to the messenger that failed transiently and were put back for later.",
    outbox_failed_total: "Calls the messenger refused for good (dead letters).",
    rate_limited_total: "Answers of the messenger asking to slow down (429, VK errors 6 and 9).",
    callbacks_answered_total: "Button presses answered on the messenger.",
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
    /// One messenger's counters.
    pub fn of(&self, channel: Channel) -> &ChannelMetrics {
        match channel {
            Channel::Telegram => &self.channels[0],
            Channel::Vk => &self.channels[1],
        }
    }

    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
