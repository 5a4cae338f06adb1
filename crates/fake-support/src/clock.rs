//! The emulator clock: wall time plus an offset that tests can move forward,
//! and that tests can freeze so only explicit advances move it.
//!
//! Everything an emulator dates (messages, limits, expiries, the request
//! log) reads this clock, so advancing it is how tests "wait" for time.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// `frozen_at` when the clock runs.
const RUNNING: i64 = i64::MIN;

#[derive(Debug)]
pub struct Clock {
    offset_ms: AtomicI64,
    /// The emulator time at which the clock stands still, or `RUNNING`.
    frozen_at: AtomicI64,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            offset_ms: AtomicI64::new(0),
            frozen_at: AtomicI64::new(RUNNING),
        }
    }
}

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Clock {
    /// Now, in unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let frozen = self.frozen_at.load(Ordering::SeqCst);
        if frozen != RUNNING {
            return frozen;
        }
        wall_ms().saturating_add(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Now, in unix seconds (the unit of messenger dates).
    pub fn now_s(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the clock forward.
    pub fn advance_ms(&self, ms: i64) {
        let ms = ms.max(0);
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
        let _ = self
            .frozen_at
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |f| {
                (f != RUNNING).then(|| f.saturating_add(ms))
            });
    }

    /// Stops (`true`) or restarts the clock; it goes on from where it stood.
    pub fn set_frozen(&self, frozen: bool) {
        if frozen {
            let now = self.now_ms();
            let _ =
                self.frozen_at
                    .compare_exchange(RUNNING, now, Ordering::SeqCst, Ordering::SeqCst);
        } else {
            let stood = self.frozen_at.swap(RUNNING, Ordering::SeqCst);
            if stood != RUNNING {
                self.offset_ms.store(stood - wall_ms(), Ordering::SeqCst);
            }
        }
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen_at.load(Ordering::SeqCst) != RUNNING
    }

    /// Back to wall time, running.
    pub fn reset(&self) {
        self.frozen_at.store(RUNNING, Ordering::SeqCst);
        self.offset_ms.store(0, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now_ms();
        clock.advance_ms(48 * 3600 * 1000);
        assert!(clock.now_ms() - before >= 48 * 3600 * 1000);
        clock.reset();
        assert!(clock.now_ms() - before < 3600 * 1000);
    }

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let clock = Clock::default();
        clock.set_frozen(true);
        let stood = clock.now_ms();
        assert_eq!(clock.now_ms(), stood);
        clock.advance_ms(1500);
        assert_eq!(clock.now_ms(), stood + 1500);
        clock.set_frozen(false);
        assert!(clock.now_ms() >= stood + 1500);
        assert!(!clock.is_frozen());
    }
}
