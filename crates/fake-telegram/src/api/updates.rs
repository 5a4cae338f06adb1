//! getUpdates: offset/limit/timeout long polling with Telegram's semantics.
//!
//! Updates stay queued until a later call confirms them with a higher
//! `offset`, so a bot that crashes before confirming gets them again. A new
//! call ends a pending one with 409, as Telegram does.

use std::time::Duration;

use serde_json::{Value, json};

use super::{ApiError, Call, MethodResult};
use crate::state::{App, BotWorld};

const CONFLICT: &str =
    "terminated by other getUpdates request; make sure that only one bot instance is running";

pub(crate) async fn get_updates(call: &Call<'_>) -> MethodResult {
    let p = &call.params;
    let offset = p.int("offset", "invalid offset specified")?.unwrap_or(0);
    let limit = p
        .int("limit", "invalid limit specified")?
        .unwrap_or(100)
        .clamp(1, 100);
    let limit = usize::try_from(limit).unwrap_or(100);
    let timeout = p
        .int("timeout", "invalid timeout specified")?
        .unwrap_or(0)
        .max(0);
    let timeout = Duration::from_secs(u64::try_from(timeout).unwrap_or(0));
    let allowed = match p.json("allowed_updates") {
        Ok(Some(Value::Array(items))) => Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect::<Vec<_>>(),
        ),
        Ok(_) => None,
        Err(_) => return Err(ApiError::bad_request("can't parse allowed updates")),
    };
    let generation = {
        let mut world = call.app.lock();
        let bot = &mut world.bots[call.bot];
        if bot.webhook.is_some() {
            return Err(ApiError::conflict(
                "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            ));
        }
        if let Some(allowed) = allowed {
            bot.allowed_updates = allowed;
        }
        confirm(bot, offset);
        bot.poll_generation += 1;
        bot.poll_generation
    };
    // Wakes a poller that is still waiting: it ends with 409.
    call.app.changed();
    let bot = call.bot;
    let _waiting = Waiting::start(call.app, bot);
    let outcome = call
        .app
        .wait_for(timeout, |world| {
            let queue = &world.bots[bot];
            if queue.poll_generation != generation {
                return Some(Err(ApiError::conflict(CONFLICT)));
            }
            let batch: Vec<Value> = queue
                .updates
                .iter()
                .take(limit)
                .map(|u| u.json.clone())
                .collect();
            (!batch.is_empty()).then_some(Ok(batch))
        })
        .await;
    match outcome {
        Some(Ok(batch)) => Ok(Value::Array(batch)),
        Some(Err(err)) => Err(err),
        None => Ok(json!([])),
    }
}

/// Counts a waiting poller for `/control/polling`, also when the client
/// goes away mid-wait.
struct Waiting<'a> {
    app: &'a App,
    bot: usize,
}

impl<'a> Waiting<'a> {
    fn start(app: &'a App, bot: usize) -> Self {
        app.lock().bots[bot].waiting_pollers += 1;
        app.changed();
        Self { app, bot }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut world = self.app.lock();
        let pollers = &mut world.bots[self.bot].waiting_pollers;
        *pollers = pollers.saturating_sub(1);
        drop(world);
        self.app.changed();
    }
}

/// Forgets updates below `offset`; a negative offset keeps only the last
/// `-offset` updates.
fn confirm(bot: &mut BotWorld, offset: i64) {
    if offset > 0 {
        while bot.updates.front().is_some_and(|u| u.id < offset) {
            bot.updates.pop_front();
        }
    } else if offset < 0 {
        let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
        while bot.updates.len() > keep {
            bot.updates.pop_front();
        }
    }
}
