//! The emulated world: people, chats, messages, queued updates, files. One
//! mutex guards it; a watch channel announces every change so long polls and
//! `/wait` calls wake without polling.

mod world;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::{BotSpec, Config, RateLimits};
use fake_support::clock::Clock;

pub(crate) use world::*;

/// Shared server state.
pub(crate) struct App {
    pub bots: Vec<BotSpec>,
    pub clock: Clock,
    pub default_limits: RateLimits,
    pub http: reqwest::Client,
    world: Mutex<World>,
    changes: watch::Sender<u64>,
    shutdown: AtomicBool,
}

impl App {
    pub(crate) fn new(config: &Config) -> Self {
        let bots = if config.bots.is_empty() {
            vec![BotSpec::default()]
        } else {
            config.bots.clone()
        };
        Self {
            world: Mutex::new(World::new(bots.len(), config.rate_limits)),
            bots,
            clock: config.clock.clone(),
            default_limits: config.rate_limits,
            http: reqwest::Client::new(),
            changes: watch::channel(0).0,
            shutdown: AtomicBool::new(false),
        }
    }

    /// Locks the world. A panic while locked does not make it unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes on every change.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Announces a change to every waiter.
    pub(crate) fn changed(&self) {
        self.changes.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub(crate) fn bot_index(&self, token: &str) -> Option<usize> {
        self.bots.iter().position(|b| b.token == token)
    }

    pub(crate) fn bot_index_by_id(&self, id: i64) -> Option<usize> {
        self.bots.iter().position(|b| b.id == id)
    }

    pub(crate) fn is_shutting_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    pub(crate) fn begin_shutdown(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
        self.changed();
    }

    pub(crate) fn set_rate_limits_enabled(&self, enabled: bool) {
        self.lock().limits.enabled = enabled;
        self.changed();
    }

    /// Runs `check` now and after every change until it returns `Some`, the
    /// timeout passes (one last check) or the server shuts down.
    pub(crate) async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&mut World) -> Option<T>,
    ) -> Option<T> {
        let deadline = Instant::now() + timeout;
        loop {
            let mut rx = self.changes.subscribe();
            if let Some(found) = check(&mut self.lock()) {
                return Some(found);
            }
            if self.is_shutting_down() {
                return None;
            }
            tokio::select! {
                changed = rx.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                () = tokio::time::sleep_until(deadline) => {
                    return check(&mut self.lock());
                }
            }
        }
    }
}
