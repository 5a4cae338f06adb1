//! A map whose entries are forgotten a while after they were written: what a
//! sender learned about recent chats (their screen's message id) without
//! keeping something for every chat ever seen.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub struct Recent<K, V> {
    keep: Duration,
    entries: HashMap<K, (V, Instant)>,
    swept: Instant,
}

impl<K: Eq + Hash, V> Recent<K, V> {
    pub fn new(keep: Duration) -> Recent<K, V> {
        Recent {
            keep,
            entries: HashMap::new(),
            swept: Instant::now(),
        }
    }

    pub fn insert(&mut self, key: K, value: V) {
        let now = Instant::now();
        self.sweep(now);
        self.entries.insert(key, (value, now));
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.entries
            .get(key)
            .filter(|(_, at)| at.elapsed() < self.keep)
            .map(|(v, _)| v)
    }

    pub fn contains(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    fn sweep(&mut self, now: Instant) {
        if now < self.swept + self.keep / 4 {
            return;
        }
        self.swept = now;
        let keep = self.keep;
        self.entries
            .retain(|_, (_, at)| now.duration_since(*at) < keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn entries_are_forgotten_after_a_while() {
        let mut r = Recent::new(Duration::from_millis(40));
        r.insert(1, "a");
        assert_eq!(r.get(&1), Some(&"a"));
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(r.get(&1), None);
        r.insert(2, "b");
        assert_eq!(r.len(), 1, "the old entry is swept away");
    }
}
