//! The one place that reads the wall clock.
//!
//! Everything that asks "what time is it" — larder's opening hours, "today",
//! history timestamps, outbox schedules, and the emulators' message dates and
//! limits — asks a [`Clock`]. In production it is the system clock. Tests and
//! demos start it at an instant of their choosing ([`Clock::starting_at`]):
//! it then runs at real speed from there, so timeouts and retries behave as
//! usual, and can be set, advanced or frozen while it runs. Clones share one
//! clock, so a test that hands the same clock to the bot and to an emulator
//! moves both at once.
//!
//! Measuring intervals (`std::time::Instant`, tokio's timers) is not asking
//! the time of day and stays monotonic; nothing here replaces it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// `frozen_at` while the clock runs.
const RUNNING: i64 = i64::MIN;

const MS_PER_S: i64 = 1000;

#[derive(Debug)]
struct State {
    /// Added to the wall clock while running.
    offset_ms: AtomicI64,
    /// The instant at which the clock stands still, or `RUNNING`.
    frozen_at: AtomicI64,
}

/// A clock in unix milliseconds (UTC). Cheap to clone; clones share the time.
#[derive(Clone, Debug)]
pub struct Clock {
    state: Arc<State>,
}

impl Default for Clock {
    /// The system clock.
    fn default() -> Self {
        Clock::system()
    }
}

/// The wall clock: the only read of it in the whole workspace.
#[expect(
    clippy::disallowed_methods,
    reason = "this is the one place that reads the wall clock"
)]
fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Clock {
    /// The system clock, running.
    pub fn system() -> Clock {
        Clock::with_offset(0)
    }

    /// A clock that reads `at_ms` now and runs at real speed from there.
    pub fn starting_at(at_ms: i64) -> Clock {
        Clock::with_offset(at_ms.saturating_sub(wall_ms()))
    }

    /// A clock standing still at `at_ms`: only [`Clock::advance_ms`] and
    /// [`Clock::set_ms`] move it.
    pub fn frozen_at(at_ms: i64) -> Clock {
        let clock = Clock::starting_at(at_ms);
        clock.state.frozen_at.store(at_ms, Ordering::SeqCst);
        clock
    }

    fn with_offset(offset_ms: i64) -> Clock {
        Clock {
            state: Arc::new(State {
                offset_ms: AtomicI64::new(offset_ms),
                frozen_at: AtomicI64::new(RUNNING),
            }),
        }
    }

    /// Now, in unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let frozen = self.state.frozen_at.load(Ordering::SeqCst);
        if frozen != RUNNING {
            return frozen;
        }
        wall_ms().saturating_add(self.state.offset_ms.load(Ordering::SeqCst))
    }

    /// Now, in unix seconds (the unit of messenger dates).
    pub fn now_s(&self) -> i64 {
        self.now_ms().div_euclid(MS_PER_S)
    }

    /// Moves the clock forward by `ms` (a negative amount is ignored).
    pub fn advance_ms(&self, ms: i64) {
        let ms = ms.max(0);
        self.state.offset_ms.fetch_add(ms, Ordering::SeqCst);
        let _ = self
            .state
            .frozen_at
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |f| {
                (f != RUNNING).then(|| f.saturating_add(ms))
            });
    }

    /// Makes now `at_ms`, forward or back; a running clock goes on running
    /// from there, a frozen one stands at it.
    pub fn set_ms(&self, at_ms: i64) {
        self.state
            .offset_ms
            .store(at_ms.saturating_sub(wall_ms()), Ordering::SeqCst);
        let _ = self
            .state
            .frozen_at
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |f| {
                (f != RUNNING).then_some(at_ms)
            });
    }

    /// Stops (`true`) or restarts the clock; it goes on from where it stood.
    pub fn set_frozen(&self, frozen: bool) {
        if frozen {
            let now = self.now_ms();
            let _ = self.state.frozen_at.compare_exchange(
                RUNNING,
                now,
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
        } else {
            let stood = self.state.frozen_at.swap(RUNNING, Ordering::SeqCst);
            if stood != RUNNING {
                self.state
                    .offset_ms
                    .store(stood.saturating_sub(wall_ms()), Ordering::SeqCst);
            }
        }
    }

    pub fn is_frozen(&self) -> bool {
        self.state.frozen_at.load(Ordering::SeqCst) != RUNNING
    }

    /// Back to the system time, running.
    pub fn reset(&self) {
        self.state.frozen_at.store(RUNNING, Ordering::SeqCst);
        self.state.offset_ms.store(0, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: i64 = 3_600_000;
    /// 2026-12-01T10:00:00Z.
    const AT: i64 = 1_796_119_200_000;

    #[test]
    fn a_clock_started_at_an_instant_reads_it_and_runs_on() {
        let clock = Clock::starting_at(AT);
        let now = clock.now_ms();
        assert!((AT..AT + HOUR_MS).contains(&now), "{now}");
        assert!(!clock.is_frozen());
    }

    #[test]
    fn advancing_moves_now_forward_and_reset_returns_to_the_system_time() {
        let clock = Clock::system();
        let before = clock.now_ms();
        clock.advance_ms(48 * HOUR_MS);
        assert!(clock.now_ms() - before >= 48 * HOUR_MS);
        clock.advance_ms(-HOUR_MS);
        assert!(clock.now_ms() - before >= 48 * HOUR_MS, "never backwards");
        clock.reset();
        assert!(clock.now_ms() - before < HOUR_MS);
    }

    #[test]
    fn a_frozen_clock_moves_only_when_advanced_or_set() {
        let clock = Clock::frozen_at(AT);
        assert_eq!(clock.now_ms(), AT);
        assert_eq!(clock.now_ms(), AT);
        clock.advance_ms(1500);
        assert_eq!(clock.now_ms(), AT + 1500);
        clock.set_ms(AT - 24 * HOUR_MS);
        assert_eq!(clock.now_ms(), AT - 24 * HOUR_MS, "set goes back too");
        clock.set_frozen(false);
        assert!(clock.now_ms() >= AT - 24 * HOUR_MS);
        assert!(clock.now_ms() < AT - 23 * HOUR_MS);
        assert!(!clock.is_frozen());
    }

    #[test]
    fn setting_a_running_clock_keeps_it_running_from_there() {
        let clock = Clock::starting_at(AT);
        clock.set_ms(AT + 5 * HOUR_MS);
        let now = clock.now_ms();
        assert!((AT + 5 * HOUR_MS..AT + 6 * HOUR_MS).contains(&now));
        assert!(!clock.is_frozen());
    }

    #[test]
    fn clones_share_one_time() {
        let clock = Clock::frozen_at(AT);
        let other = clock.clone();
        other.advance_ms(HOUR_MS);
        assert_eq!(clock.now_ms(), AT + HOUR_MS);
        assert_eq!(clock.now_s(), (AT + HOUR_MS) / 1000);
    }
}
