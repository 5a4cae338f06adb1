//! A community's Bots Long Poll history and keys.
//!
//! Events are numbered from 1; `ts` is the number of the last event a poller
//! has seen, and a poll returns the events after it. The newest
//! [`MAX_HISTORY`] events are kept, so a poller that falls further behind
//! gets `failed: 1`.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

/// Events kept for pollers that fall behind.
pub(crate) const MAX_HISTORY: usize = 10_000;

/// Whether a long-poll key still works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyState {
    Valid,
    /// Revoked by a `failed: 2` or `failed: 3`; polls with it get that again.
    Revoked(u8),
}

#[derive(Debug, Default)]
pub(crate) struct EventLog {
    events: VecDeque<(i64, Value)>,
    /// The number of the newest event (0 before the first).
    pub head: i64,
    keys: HashMap<String, KeyState>,
    /// Long polls waiting right now.
    pub waiting: u32,
}

impl EventLog {
    /// Appends an event and returns its number.
    pub(crate) fn push(&mut self, event: Value) -> i64 {
        self.head += 1;
        self.events.push_back((self.head, event));
        while self.events.len() > MAX_HISTORY {
            self.events.pop_front();
        }
        self.head
    }

    /// The events after `ts`, oldest first, at most `limit`, with the number
    /// of the last one returned.
    pub(crate) fn since(&self, ts: i64, limit: usize) -> (Vec<Value>, i64) {
        let batch: Vec<&(i64, Value)> = self
            .events
            .iter()
            .skip_while(|(n, _)| *n <= ts)
            .take(limit)
            .collect();
        let last = batch.last().map_or(ts, |(n, _)| *n);
        (batch.into_iter().map(|(_, e)| e.clone()).collect(), last)
    }

    /// Whether a poll may start at `ts`: not before the kept history and not
    /// after the newest event.
    pub(crate) fn serves(&self, ts: i64) -> bool {
        let oldest = self.events.front().map_or(self.head, |(n, _)| n - 1);
        (oldest..=self.head).contains(&ts)
    }

    /// Forgets every kept event (`failed: 3`, reset): pollers must start
    /// again from a fresh `ts`.
    pub(crate) fn lose_history(&mut self) {
        self.events.clear();
    }

    pub(crate) fn add_key(&mut self, key: String) {
        self.keys.insert(key, KeyState::Valid);
    }

    pub(crate) fn key(&self, key: &str) -> Option<KeyState> {
        self.keys.get(key).copied()
    }

    pub(crate) fn revoke(&mut self, key: &str, failed: u8) {
        if let Some(state) = self.keys.get_mut(key) {
            *state = KeyState::Revoked(failed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn polls_return_the_events_after_ts() {
        let mut log = EventLog::default();
        for n in 1..=3 {
            assert_eq!(log.push(json!(n)), n);
        }
        assert_eq!(log.since(0, 100), (vec![json!(1), json!(2), json!(3)], 3));
        assert_eq!(log.since(2, 100), (vec![json!(3)], 3));
        assert_eq!(log.since(3, 100), (vec![], 3));
        assert_eq!(log.since(0, 2), (vec![json!(1), json!(2)], 2));
    }

    #[test]
    fn only_kept_history_is_served() {
        let mut log = EventLog::default();
        assert!(log.serves(0));
        log.push(json!(1));
        log.push(json!(2));
        assert!(log.serves(0) && log.serves(2));
        assert!(!log.serves(3), "a ts from the future");
        log.lose_history();
        assert!(!log.serves(0) && log.serves(2));
    }

    #[test]
    fn revoked_keys_remember_why() {
        let mut log = EventLog::default();
        log.add_key("k".into());
        assert_eq!(log.key("k"), Some(KeyState::Valid));
        log.revoke("k", 3);
        assert_eq!(log.key("k"), Some(KeyState::Revoked(3)));
        assert_eq!(log.key("other"), None);
    }
}
