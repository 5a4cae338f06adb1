//! Client-side rate limits, kept a little under Telegram's so the bot is not
//! answered 429 in normal operation: a token bucket per private chat, a
//! rolling minute per group, a rolling second overall. A 429 that arrives
//! anyway pauses the chat for `retry_after`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SendLimits {
    pub enabled: bool,
    pub private_burst: u32,
    pub private_per_sec: u32,
    pub group_per_min: u32,
    pub global_per_sec: u32,
}

impl Default for SendLimits {
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

#[derive(Debug)]
struct Bucket {
    tokens_milli: u64,
    at: Instant,
}

#[derive(Debug, Default)]
struct State {
    private: HashMap<i64, Bucket>,
    groups: HashMap<i64, VecDeque<Instant>>,
    /// Calls of the last second, by ticket; a call still in flight counts,
    /// and a finished one counts from when it finished (the server saw it
    /// somewhere in between, so the later time is the safe one).
    global: Vec<(u64, Instant)>,
    next_ticket: u64,
    paused: HashMap<i64, Instant>,
}

#[derive(Debug)]
pub struct Limiter {
    limits: SendLimits,
    state: Mutex<State>,
}

impl Limiter {
    pub fn new(limits: SendLimits) -> Limiter {
        Limiter {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    /// Waits until a message to `chat_id` may go out, and counts it.
    /// Waits until a message to `chat_id` is within the limits; the ticket
    /// goes back through [`Limiter::finished`] once the call returns.
    pub async fn acquire(&self, chat_id: i64) -> u64 {
        loop {
            match self.try_take(chat_id, Instant::now()) {
                Ok(ticket) => return ticket,
                Err(d) => tokio::time::sleep(d).await,
            }
        }
    }

    /// The call of this ticket returned: it counts from now on.
    pub fn finished(&self, ticket: u64) {
        let now = Instant::now();
        let mut s = self.lock();
        match s.global.iter_mut().find(|(t, _)| *t == ticket) {
            Some(entry) => entry.1 = now,
            None => s.global.push((ticket, now)),
        }
    }

    /// Waits until calls that are not counted (deletes, pins) may reach the chat.
    pub async fn wait_unpaused(&self, chat_id: i64) {
        let until = self.lock().paused.get(&chat_id).copied();
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    /// Telegram said 429: nothing goes to this chat until `after` has passed.
    pub fn pause(&self, chat_id: i64, after: Duration) {
        let until = Instant::now() + after;
        let mut s = self.lock();
        let entry = s.paused.entry(chat_id).or_insert(until);
        *entry = (*entry).max(until);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes a slot now, or says how long to wait.
    fn try_take(&self, chat_id: i64, now: Instant) -> Result<u64, Duration> {
        let mut s = self.lock();
        if let Some(until) = s.paused.get(&chat_id).copied() {
            if until > now {
                return Err(until - now);
            }
            s.paused.remove(&chat_id);
        }
        s.next_ticket += 1;
        let ticket = s.next_ticket;
        if !self.limits.enabled {
            return Ok(ticket);
        }
        let second = Duration::from_secs(1);
        let minute = Duration::from_secs(60);
        s.global.retain(|(_, at)| *at + second > now);
        if s.global.len() >= self.limits.global_per_sec as usize {
            let oldest = s.global.iter().map(|(_, at)| *at).min().unwrap_or(now);
            return Err(oldest + second - now);
        }
        // One message a second in any chat (groups too), after a short burst.
        let cap = u64::from(self.limits.private_burst.max(1)) * 1000;
        let rate = u64::from(self.limits.private_per_sec.max(1));
        let b = s.private.entry(chat_id).or_insert(Bucket {
            tokens_milli: cap,
            at: now,
        });
        let gained = u64::try_from((now - b.at).as_millis())
            .unwrap_or(u64::MAX)
            .saturating_mul(rate);
        b.tokens_milli = (b.tokens_milli.saturating_add(gained)).min(cap);
        b.at = now;
        if b.tokens_milli < 1000 {
            return Err(Duration::from_millis(
                (1000 - b.tokens_milli).div_ceil(rate),
            ));
        }
        // And at most so many a minute in a group.
        if chat_id < 0 {
            let window = s.groups.entry(chat_id).or_default();
            prune(window, now, minute);
            if window.len() >= self.limits.group_per_min as usize {
                return Err(window[0] + minute - now);
            }
            window.push_back(now);
        }
        if let Some(b) = s.private.get_mut(&chat_id) {
            b.tokens_milli -= 1000;
        }
        s.global.push((ticket, now));
        Ok(ticket)
    }
}

fn prune(window: &mut VecDeque<Instant>, now: Instant, span: Duration) {
    while window.front().is_some_and(|t| *t + span <= now) {
        window.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_chat_gets_a_burst_then_one_per_second() {
        let l = Limiter::new(SendLimits::default());
        let t0 = Instant::now();
        for _ in 0..4 {
            assert!(l.try_take(7, t0).is_ok());
        }
        let wait = l.try_take(7, t0).expect_err("must wait after the burst");
        assert_eq!(wait, Duration::from_secs(1));
        assert!(l.try_take(7, t0 + Duration::from_secs(1)).is_ok());
        assert!(l.try_take(8, t0).is_ok(), "other chats are not held up");
    }

    #[test]
    fn groups_get_a_rolling_minute() {
        let l = Limiter::new(SendLimits::default());
        let t0 = Instant::now();
        for i in 0..19 {
            assert!(l.try_take(-5, t0 + Duration::from_secs(i)).is_ok());
        }
        let wait = l
            .try_take(-5, t0 + Duration::from_secs(19))
            .expect_err("window full");
        assert_eq!(wait, Duration::from_secs(41));
    }

    #[test]
    fn groups_also_get_one_message_a_second_after_a_burst() {
        let l = Limiter::new(SendLimits::default());
        let t0 = Instant::now();
        for _ in 0..4 {
            assert!(l.try_take(-7, t0).is_ok());
        }
        let wait = l.try_take(-7, t0).expect_err("burst used");
        assert_eq!(wait, Duration::from_secs(1));
    }

    #[test]
    fn a_pause_holds_the_chat_even_with_limits_off() {
        let l = Limiter::new(SendLimits {
            enabled: false,
            ..SendLimits::default()
        });
        l.pause(3, Duration::from_secs(2));
        assert!(l.try_take(3, Instant::now()).is_err());
        assert!(l.try_take(4, Instant::now()).is_ok());
    }
}
