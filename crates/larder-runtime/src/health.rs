//! What `/healthz` reports about the channels: whether this process
//! receives a channel's updates (only one process polls each channel at a
//! time) and when it last heard from the messenger.

use std::collections::HashMap;
use std::sync::Mutex;

use larder_store::Channel;

/// One channel as this process sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelHealth {
    /// This process receives the channel's updates (it holds the poll).
    pub receiving: bool,
    /// This process serves the channel's webhook (every process does).
    pub webhook: bool,
    /// This process leads the channel: it polls (or registers the webhook)
    /// and sends the channel's messages.
    pub leading: bool,
    /// When the messenger last answered a poll or delivered an update (unix
    /// ms), if ever.
    pub last_heard_ms: Option<i64>,
    /// What the messenger reports going wrong (e.g. it cannot reach the
    /// webhook).
    pub problem: Option<String>,
}

#[derive(Debug, Default)]
pub struct Health {
    channels: Mutex<HashMap<Channel, ChannelHealth>>,
}

impl Health {
    fn with(&self, channel: Channel, f: impl FnOnce(&mut ChannelHealth)) {
        let mut map = self
            .channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(map.entry(channel).or_default());
    }

    /// The messenger answered a poll (or delivered an update) at `now`.
    pub fn heard(&self, channel: Channel, now: i64) {
        self.with(channel, |c| c.last_heard_ms = Some(now));
    }

    /// This process started or stopped receiving the channel's updates.
    pub fn receiving(&self, channel: Channel, receiving: bool) {
        self.with(channel, |c| c.receiving = receiving);
    }

    /// This process took (or lost) the lead of the channel.
    pub fn leading(&self, channel: Channel, leading: bool) {
        self.with(channel, |c| c.leading = leading);
    }

    /// This process started or stopped serving the channel's webhook.
    pub fn webhook(&self, channel: Channel, serving: bool) {
        self.with(channel, |c| c.webhook = serving);
    }

    /// What the messenger reports going wrong now (`None`: nothing).
    pub fn problem(&self, channel: Channel, problem: Option<String>) {
        self.with(channel, |c| c.problem = problem);
    }

    /// Every channel this process serves, as seen now.
    pub fn channels(&self) -> Vec<(Channel, ChannelHealth)> {
        let map = self
            .channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut out: Vec<_> = map.iter().map(|(c, h)| (*c, h.clone())).collect();
        out.sort_by_key(|(c, _)| c.as_str());
        out
    }
}
