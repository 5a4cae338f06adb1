//! setWebhook, deleteWebhook, getWebhookInfo and delivery: while a webhook is
//! set, queued updates are POSTed to it (with the
//! `X-Telegram-Bot-Api-Secret-Token` header) — different chats' at once, up
//! to `max_connections`, one chat's in order — and dropped once answered 2xx.
//! Unlike Telegram, plain `http://` URLs on any port are accepted.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use serde_json::{Value, json};

use super::{ApiError, Call, MethodResult};
use crate::state::{App, Webhook};

const RETRY_DELAY: Duration = Duration::from_millis(500);

pub(crate) fn set_webhook(call: &Call<'_>) -> MethodResult {
    let p = &call.params;
    let url = p.str("url").unwrap_or_default();
    if url.trim().is_empty() {
        return delete_webhook(call);
    }
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|_| ApiError::bad_request("invalid webhook URL specified"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(ApiError::bad_request(
            "bad webhook: HTTPS url must be provided for webhook",
        ));
    }
    let max_connections = p
        .int("max_connections", "invalid max_connections")?
        .and_then(|n| u64::try_from(n).ok());
    let allowed = match p.json("allowed_updates") {
        Ok(Some(Value::Array(items))) => Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect::<Vec<_>>(),
        ),
        _ => None,
    };
    let epoch = {
        let mut world = call.app.lock();
        let bot = &mut world.bots[call.bot];
        if p.bool("drop_pending_updates") {
            bot.updates.clear();
        }
        if let Some(allowed) = allowed {
            bot.allowed_updates = allowed;
        }
        bot.webhook = Some(Webhook {
            url: parsed.to_string(),
            secret_token: p.str("secret_token").filter(|s| !s.is_empty()),
            max_connections,
            ..Webhook::default()
        });
        bot.webhook_epoch += 1;
        bot.webhook_epoch
    };
    // Ends a pending getUpdates, which now conflicts with the webhook.
    call.app.changed();
    tokio::spawn(deliver(Arc::clone(call.app), call.bot, epoch));
    Ok(Value::Bool(true))
}

pub(crate) fn delete_webhook(call: &Call<'_>) -> MethodResult {
    {
        let mut world = call.app.lock();
        let bot = &mut world.bots[call.bot];
        if call.params.bool("drop_pending_updates") {
            bot.updates.clear();
        }
        bot.webhook = None;
        bot.webhook_epoch += 1;
    }
    call.app.changed();
    Ok(Value::Bool(true))
}

pub(crate) fn get_webhook_info(call: &Call<'_>) -> MethodResult {
    let world = call.app.lock();
    let bot = &world.bots[call.bot];
    let hook = bot.webhook.clone().unwrap_or_default();
    let mut info = json!({
        "url": hook.url,
        "has_custom_certificate": false,
        "pending_update_count": bot.updates.len(),
    });
    if let Some(date) = hook.last_error_date {
        info["last_error_date"] = json!(date);
    }
    if let Some(message) = hook.last_error_message {
        info["last_error_message"] = json!(message);
    }
    if let Some(max) = hook.max_connections {
        info["max_connections"] = json!(max);
    }
    if !bot.allowed_updates.is_empty() {
        info["allowed_updates"] = json!(bot.allowed_updates);
    }
    Ok(info)
}

/// How many deliveries run at once when `max_connections` is not given
/// (Telegram's default).
const DEFAULT_CONNECTIONS: u64 = 40;

/// The chat an update belongs to (Telegram delivers one chat's updates one
/// at a time, different chats' at once).
fn chat_of(update: &Value) -> i64 {
    let found = update.as_object().and_then(|o| {
        o.iter().find_map(|(key, v)| {
            (key != "update_id").then(|| {
                v["chat"]["id"]
                    .as_i64()
                    .or_else(|| v["message"]["chat"]["id"].as_i64())
                    .or_else(|| v["from"]["id"].as_i64())
                    .or_else(|| v["user"]["id"].as_i64())
            })?
        })
    });
    found.unwrap_or(0)
}

/// What one delivery came to.
struct Delivered {
    id: i64,
    chat: i64,
    failure: Option<String>,
}

/// Delivers queued updates while the webhook set at `epoch` stays in place:
/// up to `max_connections` at once, one chat's updates in order, each only
/// after the one before it was answered 2xx (a failed one is retried after
/// a pause and holds its chat's later updates back).
async fn deliver(app: Arc<App>, bot: usize, epoch: u64) {
    let mut running: JoinSet<Delivered> = JoinSet::new();
    let mut busy: HashSet<i64> = HashSet::new();
    let mut resting: HashMap<i64, Instant> = HashMap::new();
    loop {
        if app.is_shutting_down() {
            return;
        }
        let mut changes = app.subscribe();
        let now = Instant::now();
        resting.retain(|_, until| *until > now);
        let (hook, start) = {
            let world = app.lock();
            let queue = &world.bots[bot];
            let hook = match &queue.webhook {
                Some(hook) if queue.webhook_epoch == epoch => hook.clone(),
                _ => return,
            };
            let max = usize::try_from(hook.max_connections.unwrap_or(DEFAULT_CONNECTIONS))
                .unwrap_or(1)
                .max(1);
            let mut seen = HashSet::new();
            let mut start = Vec::new();
            for u in &queue.updates {
                if busy.len() + start.len() >= max {
                    break;
                }
                let chat = chat_of(&u.json);
                // Only the oldest waiting update of a chat may go.
                if !seen.insert(chat) || busy.contains(&chat) || resting.contains_key(&chat) {
                    continue;
                }
                start.push((u.id, chat, u.json.clone()));
            }
            (hook, start)
        };
        for (id, chat, update) in start {
            busy.insert(chat);
            let (http, hook) = (app.http.clone(), hook.clone());
            running.spawn(async move {
                let failure = post(&http, &hook, &update).await;
                Delivered { id, chat, failure }
            });
        }
        let wake = resting.values().min().copied();
        tokio::select! {
            Some(done) = running.join_next(), if !running.is_empty() => {
                let Ok(done) = done else { continue };
                busy.remove(&done.chat);
                let failed = done.failure.is_some();
                {
                    let now_s = app.clock.now_s();
                    let mut world = app.lock();
                    let queue = &mut world.bots[bot];
                    match done.failure {
                        None => queue.updates.retain(|u| u.id != done.id),
                        Some(message) => {
                            if let Some(hook) = queue.webhook.as_mut() {
                                hook.last_error_date = Some(now_s);
                                hook.last_error_message = Some(message);
                            }
                        }
                    }
                }
                if failed {
                    resting.insert(done.chat, Instant::now() + RETRY_DELAY);
                }
                app.changed();
            }
            _ = changes.changed() => {}
            () = sleep_until(wake) => {}
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// POSTs one update; the failure Telegram would record, if any.
async fn post(http: &reqwest::Client, hook: &Webhook, update: &Value) -> Option<String> {
    let mut request = http
        .post(&hook.url)
        .timeout(Duration::from_secs(10))
        .json(update);
    if let Some(secret) = &hook.secret_token {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    match request.send().await {
        Ok(response) if response.status().is_success() => None,
        Ok(response) => Some(format!(
            "Wrong response from the webhook: {}",
            response.status()
        )),
        Err(err) if err.is_timeout() => Some("Read timeout expired".to_owned()),
        Err(_) => Some("Connection refused".to_owned()),
    }
}
