//! setWebhook, deleteWebhook, getWebhookInfo and delivery: while a webhook is
//! set, queued updates are POSTed to it one by one (with the
//! `X-Telegram-Bot-Api-Secret-Token` header) and dropped once answered 2xx.
//! Unlike Telegram, plain `http://` URLs on any port are accepted.

use std::sync::Arc;
use std::time::Duration;

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

/// Delivers queued updates while the webhook set at `epoch` stays in place.
async fn deliver(app: Arc<App>, bot: usize, epoch: u64) {
    loop {
        if app.is_shutting_down() {
            return;
        }
        let next = app
            .wait_for(Duration::from_secs(3600), |world| {
                let queue = &world.bots[bot];
                match &queue.webhook {
                    Some(hook) if queue.webhook_epoch == epoch => queue
                        .updates
                        .front()
                        .map(|u| Some((u.id, u.json.clone(), hook.clone()))),
                    _ => Some(None),
                }
            })
            .await;
        let (id, update, hook) = match next {
            Some(Some(found)) => found,
            Some(None) => return,
            None => continue,
        };
        let mut request = app
            .http
            .post(&hook.url)
            .timeout(Duration::from_secs(10))
            .json(&update);
        if let Some(secret) = &hook.secret_token {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        let failure = match request.send().await {
            Ok(response) if response.status().is_success() => None,
            Ok(response) => Some(format!(
                "Wrong response from the webhook: {}",
                response.status()
            )),
            Err(err) if err.is_timeout() => Some("Read timeout expired".to_owned()),
            Err(_) => Some("Connection refused".to_owned()),
        };
        let failed = failure.is_some();
        {
            let now = app.clock.now_s();
            let mut world = app.lock();
            let queue = &mut world.bots[bot];
            match failure {
                None => {
                    if queue.updates.front().is_some_and(|u| u.id == id) {
                        queue.updates.pop_front();
                    }
                }
                Some(message) => {
                    if let Some(hook) = queue.webhook.as_mut() {
                        hook.last_error_date = Some(now);
                        hook.last_error_message = Some(message);
                    }
                }
            }
        }
        app.changed();
        if failed {
            tokio::time::sleep(RETRY_DELAY).await;
        }
    }
}
