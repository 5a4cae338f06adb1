//! Telegram-like flood control, on the emulator clock:
//! a token bucket per chat, a rolling minute per group and a rolling second
//! overall. A refused call has no effect and gets `retry_after` seconds.

use std::collections::{HashMap, VecDeque};

use crate::RateLimits;

const MILLI: u64 = 1000;

#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// Tokens times 1000.
    milli_tokens: u64,
    last_ms: i64,
}

/// Per-bot flood state.
#[derive(Debug, Default)]
pub(crate) struct RateState {
    buckets: HashMap<i64, Bucket>,
    groups: HashMap<i64, VecDeque<i64>>,
    global: VecDeque<i64>,
}

impl RateState {
    /// Counts one sending call to `chat_id` at `now_ms`, or refuses it with
    /// the whole seconds to wait (at least 1).
    pub(crate) fn take(
        &mut self,
        limits: &RateLimits,
        chat_id: i64,
        now_ms: i64,
    ) -> Result<(), u32> {
        if !limits.enabled {
            return Ok(());
        }
        let mut wait_ms: i64 = 0;

        let capacity = u64::from(limits.private_burst.max(1)) * MILLI;
        let per_ms = u64::from(limits.private_per_sec.max(1));
        let bucket = self.buckets.entry(chat_id).or_insert(Bucket {
            milli_tokens: capacity,
            last_ms: now_ms,
        });
        let elapsed = u64::try_from(now_ms - bucket.last_ms).unwrap_or(0);
        bucket.milli_tokens = (bucket.milli_tokens + elapsed.saturating_mul(per_ms)).min(capacity);
        bucket.last_ms = bucket.last_ms.max(now_ms);
        if bucket.milli_tokens < MILLI {
            let missing = MILLI - bucket.milli_tokens;
            wait_ms = wait_ms.max(i64::try_from(missing.div_ceil(per_ms)).unwrap_or(i64::MAX));
        }

        if chat_id < 0 {
            let window = self.groups.entry(chat_id).or_default();
            wait_ms = wait_ms.max(window_wait(window, now_ms, 60_000, limits.group_per_min));
        }
        wait_ms = wait_ms.max(window_wait(
            &mut self.global,
            now_ms,
            1000,
            limits.global_per_sec,
        ));

        if wait_ms > 0 {
            let secs = (wait_ms + 999) / 1000;
            return Err(u32::try_from(secs.max(1)).unwrap_or(u32::MAX));
        }
        if let Some(bucket) = self.buckets.get_mut(&chat_id) {
            bucket.milli_tokens -= MILLI;
        }
        if chat_id < 0 {
            self.groups.entry(chat_id).or_default().push_back(now_ms);
        }
        self.global.push_back(now_ms);
        Ok(())
    }
}

/// Drops entries older than the window and returns how long until one more
/// call fits (0 if it fits now).
fn window_wait(window: &mut VecDeque<i64>, now_ms: i64, span_ms: i64, max: u32) -> i64 {
    while window.front().is_some_and(|&t| t <= now_ms - span_ms) {
        window.pop_front();
    }
    let max = usize::try_from(max.max(1)).unwrap_or(usize::MAX);
    if window.len() < max {
        return 0;
    }
    // The call fits once enough old entries have left the window.
    let blocking = window[window.len() - max];
    (blocking + span_ms - now_ms).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_chats_burst_then_refill() {
        let limits = RateLimits::default();
        let mut state = RateState::default();
        for _ in 0..5 {
            assert!(state.take(&limits, 7, 0).is_ok());
        }
        assert_eq!(state.take(&limits, 7, 0), Err(1));
        assert!(state.take(&limits, 7, 1000).is_ok());
        assert_eq!(state.take(&limits, 7, 1000), Err(1));
    }

    #[test]
    fn groups_get_twenty_a_minute() {
        let limits = RateLimits {
            private_burst: 100,
            ..RateLimits::default()
        };
        let mut state = RateState::default();
        for i in 0..20 {
            assert!(state.take(&limits, -5, i * 100).is_ok());
        }
        assert_eq!(state.take(&limits, -5, 2000), Err(58));
        assert!(state.take(&limits, -5, 60_001).is_ok());
    }

    #[test]
    fn thirty_a_second_overall() {
        let limits = RateLimits::default();
        let mut state = RateState::default();
        for chat in 0..30 {
            assert!(state.take(&limits, chat + 1, 500).is_ok());
        }
        assert_eq!(state.take(&limits, 99, 600), Err(1));
        assert!(state.take(&limits, 99, 1500).is_ok());
    }

    #[test]
    fn disabled_limits_let_everything_through() {
        let limits = RateLimits::disabled();
        let mut state = RateState::default();
        for _ in 0..1000 {
            assert!(state.take(&limits, 7, 0).is_ok());
        }
    }
}
