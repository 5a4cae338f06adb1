//! Per-chat order without a task per chat: jobs are queued by key (a chat),
//! a fixed set of workers takes the next key that has work and is not being
//! worked on, so one chat's updates are handled one after another while
//! different chats run in parallel. A key's entry exists only while it has
//! work: memory follows the work in progress, not the chats ever seen.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

#[derive(Debug)]
struct State<K, J> {
    queues: HashMap<K, VecDeque<J>>,
    busy: HashSet<K>,
    ready: VecDeque<K>,
    closed: bool,
}

/// Keyed FIFO queues served by a pool of workers.
#[derive(Debug)]
pub struct Lanes<K, J> {
    state: Mutex<State<K, J>>,
    work: Notify,
}

impl<K: Copy + Eq + Hash, J> Default for Lanes<K, J> {
    fn default() -> Self {
        Lanes {
            state: Mutex::new(State {
                queues: HashMap::new(),
                busy: HashSet::new(),
                ready: VecDeque::new(),
                closed: false,
            }),
            work: Notify::new(),
        }
    }
}

/// A key taken by a worker; given back with [`Lanes::done`].
#[derive(Debug, PartialEq, Eq)]
pub struct Taken<K, J> {
    pub key: K,
    pub job: J,
}

impl<K: Copy + Eq + Hash, J> Lanes<K, J> {
    fn lock(&self) -> MutexGuard<'_, State<K, J>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a job behind the key's earlier ones.
    pub fn push(&self, key: K, job: J) {
        let mut s = self.lock();
        let queue = s.queues.entry(key).or_default();
        let was_empty = queue.is_empty();
        queue.push_back(job);
        if was_empty && !s.busy.contains(&key) {
            s.ready.push_back(key);
            drop(s);
            self.work.notify_one();
        }
    }

    /// Takes the key for work done outside the queue (an update handled as
    /// it arrives), if nothing of that key is queued or running.
    pub fn try_take(&self, key: K) -> bool {
        let mut s = self.lock();
        if s.busy.contains(&key) || s.queues.get(&key).is_some_and(|q| !q.is_empty()) {
            return false;
        }
        s.busy.insert(key);
        true
    }

    /// The next job of a key nobody works on; waits for one. `None` once
    /// closed.
    pub async fn next(&self) -> Option<Taken<K, J>> {
        loop {
            let notified = self.work.notified();
            {
                let mut s = self.lock();
                if s.closed {
                    return None;
                }
                while let Some(key) = s.ready.pop_front() {
                    let job = s.queues.get_mut(&key).and_then(VecDeque::pop_front);
                    if let Some(job) = job {
                        s.busy.insert(key);
                        let more = !s.ready.is_empty();
                        drop(s);
                        if more {
                            // Another worker may take the next key at once.
                            self.work.notify_one();
                        }
                        return Some(Taken { key, job });
                    }
                    s.queues.remove(&key);
                }
            }
            notified.await;
        }
    }

    /// The key's job is finished: its next job (if any) may be taken.
    pub fn done(&self, key: K) {
        let mut s = self.lock();
        s.busy.remove(&key);
        if s.queues.get(&key).is_some_and(|q| !q.is_empty()) {
            s.ready.push_back(key);
            drop(s);
            self.work.notify_one();
        } else {
            s.queues.remove(&key);
        }
    }

    /// Stops handing out work; workers waiting in [`Lanes::next`] return.
    pub fn close(&self) {
        self.lock().closed = true;
        self.work.notify_waiters();
    }

    /// Keys with work queued or running (for tests of memory use).
    pub fn keys(&self) -> usize {
        let s = self.lock();
        s.queues.len().max(s.busy.len())
    }
}

/// A worker pool over lanes: `workers` tasks run `work` for each job.
pub fn spawn_workers<K, J, F, Fut>(
    lanes: &Arc<Lanes<K, J>>,
    workers: usize,
    work: F,
    set: &mut tokio::task::JoinSet<()>,
) where
    K: Copy + Eq + Hash + Send + Sync + 'static,
    J: Send + 'static,
    F: Fn(K, J) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    for _ in 0..workers.max(1) {
        let (lanes, work) = (lanes.clone(), work.clone());
        set.spawn(async move {
            while let Some(Taken { key, job }) = lanes.next().await {
                work(key, job).await;
                lanes.done(key);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn one_key_runs_in_order_and_keys_run_in_parallel() {
        let lanes: Arc<Lanes<i64, u32>> = Arc::default();
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut set = tokio::task::JoinSet::new();
        let l = log.clone();
        spawn_workers(
            &lanes,
            4,
            move |key, job| {
                let l = l.clone();
                async move {
                    // Key 1's first job is slow; key 2 must not wait for it.
                    if key == 1 && job == 0 {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    l.lock().unwrap().push((key, job));
                }
            },
            &mut set,
        );
        for job in 0..3 {
            lanes.push(1, job);
        }
        lanes.push(2, 0);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let log = log.lock().unwrap().clone();
        assert_eq!(log[0], (2, 0), "{log:?}");
        let ones: Vec<u32> = log
            .iter()
            .filter(|(k, _)| *k == 1)
            .map(|(_, j)| *j)
            .collect();
        assert_eq!(ones, [0, 1, 2]);
        assert_eq!(lanes.keys(), 0, "nothing kept once the work is done");
        lanes.close();
        while set.join_next().await.is_some() {}
    }

    #[test]
    fn a_key_is_taken_outside_only_when_idle() {
        let lanes: Lanes<i64, u32> = Lanes::default();
        assert!(lanes.try_take(1));
        assert!(!lanes.try_take(1), "already busy");
        lanes.push(1, 5);
        lanes.done(1);
        assert!(!lanes.try_take(1), "a queued job goes first");
    }
}
