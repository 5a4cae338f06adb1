//! VK's request-frequency limit for community tokens: at most 20 calls in
//! any rolling second per token, on the emulator clock. A refused call has no
//! effect and answers error 6 ("Too many requests per second").

use std::collections::{HashMap, VecDeque};

/// Calls allowed per token in a rolling second.
pub(crate) const PER_SECOND: usize = 20;

const WINDOW_MS: i64 = 1000;

#[derive(Debug, Default)]
pub(crate) struct RateState {
    calls: HashMap<String, VecDeque<i64>>,
}

impl RateState {
    /// Counts one call with `token` at `now_ms`; `false` when it is over
    /// the limit (and then it is not counted).
    pub(crate) fn take(&mut self, token: &str, now_ms: i64) -> bool {
        let window = self.calls.entry(token.to_owned()).or_default();
        while window.front().is_some_and(|&t| t <= now_ms - WINDOW_MS) {
            window.pop_front();
        }
        if window.len() >= PER_SECOND {
            return false;
        }
        window.push_back(now_ms);
        true
    }

    pub(crate) fn clear(&mut self) {
        self.calls.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_calls_a_second_per_token() {
        let mut state = RateState::default();
        for i in 0..20 {
            assert!(state.take("a", 1000 + i * 10), "call {i}");
        }
        assert!(!state.take("a", 1500), "the 21st call in a second");
        assert!(state.take("b", 1500), "another token has its own budget");
        assert!(state.take("a", 2000), "the first call left the window");
    }

    #[test]
    fn refused_calls_do_not_count() {
        let mut state = RateState::default();
        for _ in 0..20 {
            assert!(state.take("a", 0));
        }
        for _ in 0..50 {
            assert!(!state.take("a", 500));
        }
        assert!(state.take("a", 1000));
    }
}
