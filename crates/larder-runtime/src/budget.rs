//! How fast a channel's sender may go: a token bucket per chat (a short
//! burst, then a steady rate), a rolling minute per group, a rolling second
//! overall — each set a little under what the messenger allows, so the bot
//! is not refused in normal operation (see docs/delivery.md for the sources).
//!
//! A refusal that comes anyway (429 with `retry_after`) pauses the chat for
//! that long and halves its rate for ten minutes; refusals in several chats
//! within a minute slow the whole channel for ten minutes. Entries of chats
//! that have been quiet long enough to be back at full budget are dropped,
//! so memory follows the chats being written to, not every chat ever seen.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

/// The budgets of one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SendLimits {
    pub enabled: bool,
    /// Messages a chat may get at once before the steady rate applies.
    pub private_burst: u32,
    /// Steady messages a second per chat.
    pub private_per_sec: u32,
    /// Messages a minute per group (chats with negative ids).
    pub group_per_min: u32,
    /// Messages a second over all chats.
    pub global_per_sec: u32,
}

impl Default for SendLimits {
    /// Telegram's budgets, a little under its limits.
    fn default() -> Self {
        SendLimits {
            enabled: true,
            private_burst: 4,
            private_per_sec: 1,
            group_per_min: 19,
            global_per_sec: 28,
        }
    }
}

impl SendLimits {
    /// No limits (tests and benchmarks against an emulator without them).
    pub fn off() -> SendLimits {
        SendLimits {
            enabled: false,
            ..SendLimits::default()
        }
    }
}

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);
/// How long a 429 slows a chat (or, after several, the whole channel).
const PENALTY: Duration = Duration::from_secs(600);
/// Refusals in this many chats within a minute slow the whole channel.
const CHANNEL_ALARM: usize = 3;

#[derive(Debug)]
struct Bucket {
    tokens_milli: u64,
    at: Instant,
    /// Until when the chat runs at half rate (after a 429).
    slow_until: Option<Instant>,
}

/// Why a message must wait, and how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// This chat's own budget (or a pause after a 429).
    Chat(Duration),
    /// The channel's budget over all chats.
    Channel(Duration),
}

impl Wait {
    pub fn duration(self) -> Duration {
        match self {
            Wait::Chat(d) | Wait::Channel(d) => d,
        }
    }
}

/// The budget state of one channel. Not shared: the channel's sender owns it.
#[derive(Debug)]
pub struct Budget {
    limits: SendLimits,
    chats: HashMap<i64, Bucket>,
    groups: HashMap<i64, VecDeque<Instant>>,
    /// Calls of the last second over all chats, by ticket: a call counts
    /// from when it was made until a second after it returned (the
    /// messenger saw it somewhere in between), which absorbs the jitter of
    /// the way there.
    global: Vec<(u64, Instant)>,
    next_ticket: u64,
    paused: HashMap<i64, Instant>,
    refusals: VecDeque<(Instant, i64)>,
    channel_slow_until: Option<Instant>,
    last_sweep: Instant,
}

impl Budget {
    pub fn new(limits: SendLimits) -> Budget {
        Budget {
            limits,
            chats: HashMap::new(),
            groups: HashMap::new(),
            global: Vec::new(),
            next_ticket: 0,
            paused: HashMap::new(),
            refusals: VecDeque::new(),
            channel_slow_until: None,
            last_sweep: Instant::now(),
        }
    }

    /// Takes a slot for a message to `chat` now, or says how long to wait.
    /// `counted`: whether the messenger counts the call (deletes, pins and
    /// answers only wait out a pause).
    /// Returns a ticket to give back with [`Budget::returned`] (0 for calls
    /// that are not counted).
    pub fn take(&mut self, chat: i64, counted: bool, now: Instant) -> Result<u64, Wait> {
        self.sweep(now);
        if let Some(until) = self.paused.get(&chat).copied() {
            if until > now {
                return Err(Wait::Chat(until - now));
            }
            self.paused.remove(&chat);
        }
        if !counted || !self.limits.enabled {
            return Ok(0);
        }
        let channel_slow = self.channel_slow_until.is_some_and(|t| t > now);
        let global_cap = if channel_slow {
            (self.limits.global_per_sec * 3 / 4).max(1)
        } else {
            self.limits.global_per_sec.max(1)
        };
        self.global.retain(|(_, at)| *at + SECOND > now);
        if self.global.len() >= global_cap as usize {
            let oldest = self.global.iter().map(|(_, at)| *at).min().unwrap_or(now);
            return Err(Wait::Channel(oldest + SECOND - now));
        }
        let cap = u64::from(self.limits.private_burst.max(1)) * 1000;
        let b = self.chats.entry(chat).or_insert(Bucket {
            tokens_milli: cap,
            at: now,
            slow_until: None,
        });
        let slow = channel_slow || b.slow_until.is_some_and(|t| t > now);
        // Milli-tokens gained per millisecond: the steady rate, halved when slowed.
        let rate_num = u64::from(self.limits.private_per_sec.max(1));
        let rate_den = if slow { 2 } else { 1 };
        let gained = u64::try_from((now - b.at).as_millis())
            .unwrap_or(u64::MAX)
            .saturating_mul(rate_num)
            / rate_den;
        b.tokens_milli = b.tokens_milli.saturating_add(gained).min(cap);
        b.at = now;
        if b.tokens_milli < 1000 {
            let missing = 1000 - b.tokens_milli;
            return Err(Wait::Chat(Duration::from_millis(
                (missing * rate_den).div_ceil(rate_num),
            )));
        }
        if chat < 0 {
            let window = self.groups.entry(chat).or_default();
            prune(window, now, MINUTE);
            let group_cap = if slow {
                (self.limits.group_per_min / 2).max(1)
            } else {
                self.limits.group_per_min.max(1)
            };
            if window.len() >= group_cap as usize {
                return Err(Wait::Chat(window[0] + MINUTE - now));
            }
            window.push_back(now);
        }
        if let Some(b) = self.chats.get_mut(&chat) {
            b.tokens_milli -= 1000;
        }
        self.next_ticket += 1;
        self.global.push((self.next_ticket, now));
        Ok(self.next_ticket)
    }

    /// The call of `ticket` returned: it counts from now on.
    pub fn returned(&mut self, ticket: u64, now: Instant) {
        if let Some(entry) = self.global.iter_mut().find(|(t, _)| *t == ticket) {
            entry.1 = now;
        }
    }

    /// The messenger said 429: nothing goes to `chat` for `after`, and the
    /// chat (or, after refusals in several chats, the channel) slows down.
    pub fn refused(&mut self, chat: i64, after: Duration, now: Instant) {
        let until = now + after;
        let entry = self.paused.entry(chat).or_insert(until);
        *entry = (*entry).max(until);
        let cap = u64::from(self.limits.private_burst.max(1)) * 1000;
        let b = self.chats.entry(chat).or_insert(Bucket {
            tokens_milli: cap,
            at: now,
            slow_until: None,
        });
        b.tokens_milli = 0;
        b.at = until;
        b.slow_until = Some(until + PENALTY);
        prune_pairs(&mut self.refusals, now, MINUTE);
        self.refusals.push_back((now, chat));
        let mut chats: Vec<i64> = self.refusals.iter().map(|(_, c)| *c).collect();
        chats.sort_unstable();
        chats.dedup();
        if chats.len() >= CHANNEL_ALARM {
            self.channel_slow_until = Some(now + PENALTY);
        }
    }

    /// Whether the whole channel is slowed after refusals in several chats.
    pub fn channel_slowed(&self, now: Instant) -> bool {
        self.channel_slow_until.is_some_and(|t| t > now)
    }

    /// Chats with state kept (for tests of memory use).
    pub fn tracked(&self) -> usize {
        self.chats.len() + self.groups.len() + self.paused.len()
    }

    /// Drops what no longer limits anything: full buckets not slowed,
    /// empty group windows, pauses that are over. At most every few seconds.
    fn sweep(&mut self, now: Instant) {
        if now < self.last_sweep + Duration::from_secs(5) {
            return;
        }
        self.last_sweep = now;
        let burst = Duration::from_secs(u64::from(self.limits.private_burst.max(1))) * 2
            / self.limits.private_per_sec.max(1);
        self.chats.retain(|_, b| {
            let slowed = b.slow_until.is_some_and(|t| t > now);
            slowed || b.at + burst > now
        });
        self.groups.retain(|_, w| {
            prune(w, now, MINUTE);
            !w.is_empty()
        });
        self.paused.retain(|_, until| *until > now);
        if self.channel_slow_until.is_some_and(|t| t <= now) {
            self.channel_slow_until = None;
        }
    }
}

fn prune(window: &mut VecDeque<Instant>, now: Instant, span: Duration) {
    while window.front().is_some_and(|t| *t + span <= now) {
        window.pop_front();
    }
}

fn prune_pairs(window: &mut VecDeque<(Instant, i64)>, now: Instant, span: Duration) {
    while window.front().is_some_and(|(t, _)| *t + span <= now) {
        window.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> Budget {
        Budget::new(SendLimits::default())
    }

    #[test]
    fn a_chat_gets_a_burst_then_one_a_second() {
        let mut b = budget();
        let t0 = Instant::now();
        for _ in 0..4 {
            assert!(b.take(7, true, t0).is_ok());
        }
        let wait = b.take(7, true, t0).unwrap_err();
        assert_eq!(wait, Wait::Chat(Duration::from_secs(1)));
        assert!(b.take(7, true, t0 + Duration::from_secs(1)).is_ok());
        assert!(b.take(8, true, t0).is_ok(), "other chats are not held");
    }

    #[test]
    fn deletes_pins_and_answers_are_not_counted_but_wait_out_a_pause() {
        let mut b = budget();
        let t0 = Instant::now();
        for _ in 0..10 {
            assert!(b.take(7, false, t0).is_ok());
        }
        b.refused(7, Duration::from_secs(3), t0);
        assert_eq!(
            b.take(7, false, t0 + Duration::from_secs(1)).unwrap_err(),
            Wait::Chat(Duration::from_secs(2))
        );
    }

    #[test]
    fn a_group_gets_at_most_nineteen_a_minute() {
        let mut b = budget();
        let t0 = Instant::now();
        let mut sent = 0;
        let mut t = t0;
        while t < t0 + MINUTE {
            if b.take(-100, true, t).is_ok() {
                sent += 1;
            }
            t += Duration::from_millis(100);
        }
        assert_eq!(sent, 19);
    }

    #[test]
    fn overall_at_most_twenty_eight_a_second() {
        let mut b = budget();
        let t0 = Instant::now();
        let ok = (0..100).filter(|c| b.take(*c, true, t0).is_ok()).count();
        assert_eq!(ok, 28);
        assert!(matches!(b.take(500, true, t0), Err(Wait::Channel(_))));
        assert!(b.take(1000, true, t0 + SECOND).is_ok());
    }

    #[test]
    fn a_refusal_pauses_the_chat_then_halves_its_rate_for_a_while() {
        let mut b = budget();
        let t0 = Instant::now();
        b.refused(7, Duration::from_secs(5), t0);
        assert_eq!(
            b.take(7, true, t0).unwrap_err(),
            Wait::Chat(Duration::from_secs(5)),
            "paused for retry_after"
        );
        let after = t0 + Duration::from_secs(5);
        // The bucket refills at half speed: one message every two seconds.
        assert_eq!(
            b.take(7, true, after).unwrap_err(),
            Wait::Chat(Duration::from_secs(2))
        );
        assert!(b.take(7, true, after + Duration::from_secs(2)).is_ok());
        // Ten minutes later the chat is back to normal.
        let later = after + PENALTY + Duration::from_secs(10);
        for _ in 0..4 {
            assert!(b.take(7, true, later).is_ok());
        }
    }

    #[test]
    fn refusals_in_several_chats_slow_the_channel() {
        let mut b = budget();
        let t0 = Instant::now();
        for chat in 1..=3 {
            b.refused(chat, Duration::from_secs(1), t0);
        }
        assert!(b.channel_slowed(t0));
        let t1 = t0 + Duration::from_secs(2);
        let ok = (100..200).filter(|c| b.take(*c, true, t1).is_ok()).count();
        assert_eq!(ok, 21, "three quarters of 28");
    }

    #[test]
    fn a_call_counts_until_a_second_after_it_returned() {
        let mut b = Budget::new(SendLimits {
            global_per_sec: 1,
            ..SendLimits::default()
        });
        let t0 = Instant::now();
        let ticket = b.take(1, true, t0).unwrap();
        // The call took 400 ms; the next may go a second after its return.
        b.returned(ticket, t0 + Duration::from_millis(400));
        assert_eq!(
            b.take(2, true, t0 + Duration::from_secs(1)).unwrap_err(),
            Wait::Channel(Duration::from_millis(400))
        );
        assert!(b.take(2, true, t0 + Duration::from_millis(1400)).is_ok());
    }

    #[test]
    fn quiet_chats_are_forgotten() {
        let mut b = Budget::new(SendLimits {
            global_per_sec: 10_000,
            ..SendLimits::default()
        });
        let t0 = Instant::now();
        for chat in 0..1000 {
            b.take(chat, true, t0).unwrap();
        }
        assert!(b.tracked() >= 1000);
        let later = t0 + Duration::from_secs(60);
        b.take(5000, true, later).unwrap();
        assert_eq!(b.tracked(), 1, "only the chat just written to");
    }
}
