//! The emulated world: people, conversations, messages, long-poll events,
//! uploads. One mutex guards it; a watch channel announces every change so
//! long polls and `/wait` calls wake without polling.

mod events;
mod media;
mod world;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::{Config, GroupSpec};
use fake_support::clock::Clock;

pub(crate) use events::{EventLog, KeyState};
pub(crate) use media::{Media, MediaKind, Pending, Stored, doc_type};
pub(crate) use world::*;

/// Shared server state.
pub(crate) struct App {
    pub groups: Vec<GroupSpec>,
    /// `http://host:port` of this emulator, for long-poll and upload URLs.
    pub base_url: String,
    pub clock: Clock,
    pub default_rate_limit: bool,
    /// Every accepted token: its community (index) and its rights as
    /// configured (a reset restores them).
    pub tokens: BTreeMap<String, (usize, BTreeSet<String>)>,
    world: Mutex<World>,
    changes: watch::Sender<u64>,
    shutdown: AtomicBool,
}

impl App {
    /// The state for `config`; a token right VK does not know is an error.
    pub(crate) fn new(config: &Config, base_url: String) -> Result<Self, String> {
        let groups = if config.groups.is_empty() {
            vec![GroupSpec::default()]
        } else {
            config.groups.clone()
        };
        let ids: Vec<i64> = groups.iter().map(|g| g.id).collect();
        let tokens = crate::rights::configured(&groups)?;
        let mut world = World::new(&ids, config.rate_limit);
        world.rights = Self::rights_of(&tokens);
        Ok(Self {
            world: Mutex::new(world),
            groups,
            base_url,
            clock: config.clock.clone(),
            default_rate_limit: config.rate_limit,
            tokens,
            changes: watch::channel(0).0,
            shutdown: AtomicBool::new(false),
        })
    }

    /// The configured rights by token, as the world keeps them.
    fn rights_of(
        tokens: &BTreeMap<String, (usize, BTreeSet<String>)>,
    ) -> BTreeMap<String, BTreeSet<String>> {
        tokens
            .iter()
            .map(|(token, (_, rights))| (token.clone(), rights.clone()))
            .collect()
    }

    /// The rights every token had at start (what a reset restores).
    pub(crate) fn configured_rights(&self) -> BTreeMap<String, BTreeSet<String>> {
        Self::rights_of(&self.tokens)
    }

    /// Locks the world. A panic while locked does not make it unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Announces a change to every waiter.
    pub(crate) fn changed(&self) {
        self.changes.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// The community a token belongs to.
    pub(crate) fn group_by_token(&self, token: &str) -> Option<usize> {
        self.tokens.get(token).map(|(group, _)| *group)
    }

    pub(crate) fn group_by_id(&self, id: i64) -> Option<usize> {
        self.groups.iter().position(|g| g.id == id)
    }

    pub(crate) fn is_shutting_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    pub(crate) fn begin_shutdown(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
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
