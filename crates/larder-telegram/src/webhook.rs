//! Receives updates by webhook: Telegram POSTs each update to a public URL
//! (usually a reverse proxy in front of larder). Every process serves the
//! endpoint, so several behind a load balancer share the work; the process
//! leading the channel registers the webhook and watches Telegram's view of
//! it.
//!
//! * A request without the secret token set with the webhook is refused
//!   (401) and nothing is stored.
//! * An update is answered 200 only once it is stored (or handled): a crash
//!   before that makes Telegram deliver it again, and one delivered twice
//!   is stored once.
//! * When the database is away the answer is 503 after a few seconds, and
//!   Telegram tries again later.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use larder_runtime::Handle;
use larder_store::Channel;
use serde_json::json;
use sha2::Digest;
use tokio::sync::watch;

use crate::api::BotApi;
use crate::decode;
use crate::listener::ALLOWED;

/// How Telegram reaches this bot by webhook.
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// The public HTTPS URL Telegram POSTs to.
    pub url: String,
    /// The address this process listens on for those POSTs.
    pub listen: String,
    /// Sent by Telegram with every update; other requests are refused.
    pub secret: String,
    /// Deliveries Telegram makes at once (1..=100).
    pub max_connections: u32,
}

/// A secret derived from the bot token, the same in every process that has
/// it: Telegram allows `A-Z a-z 0-9 _ -`, 1 to 256 characters.
pub fn derived_secret(token: &str) -> String {
    let digest = sha2::Sha256::digest(format!("larder webhook secret\n{token}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The path part of the public URL, which the proxy passes on unchanged.
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.is_empty() {
        "/".to_owned()
    } else {
        path.to_owned()
    }
}

#[derive(Clone)]
struct Hook {
    handle: Handle,
    secret: Arc<str>,
}

/// How long an update may wait to be stored before Telegram is asked to
/// try again later.
const STORE_WITHIN: Duration = Duration::from_secs(8);

/// Serves the webhook endpoint on `listener` until told to stop.
pub fn serve(
    handle: Handle,
    listener: tokio::net::TcpListener,
    config: &WebhookConfig,
    mut stopped: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let path = path_of(&config.url);
    tracing::info!(listen = %config.listen, path, "receiving Telegram updates by webhook");
    handle.webhook(Channel::Telegram, true);
    let app = Router::new().route(&path, post(receive)).with_state(Hook {
        handle: handle.clone(),
        secret: config.secret.clone().into(),
    });
    tokio::spawn(async move {
        let stop = async move {
            while !*stopped.borrow_and_update() {
                if stopped.changed().await.is_err() {
                    break;
                }
            }
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
        {
            tracing::error!(error = %e, "the webhook endpoint stopped");
        }
        handle.webhook(Channel::Telegram, false);
    })
}

/// Compares without telling by its timing how much of a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn receive(State(hook): State<Hook>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers
        .get("x-telegram-bot-api-secret-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same(given, hook.secret.as_bytes()) {
        tracing::warn!("a webhook request without the right secret token was refused");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(raw) = std::str::from_utf8(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let update = decode::incoming(raw);
    if update.update_id.is_none() {
        return StatusCode::BAD_REQUEST;
    }
    hook.handle.heard(Channel::Telegram);
    let stored = tokio::time::timeout(
        STORE_WITHIN,
        hook.handle.receive(Channel::Telegram, vec![update], None),
    )
    .await;
    match stored {
        Ok(Ok(())) => StatusCode::OK,
        // Stopping, or the database is away: Telegram delivers it again.
        Ok(Err(_)) | Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// While this process leads the channel: registers the webhook, then checks
/// Telegram's view of it every minute (registering it again if it was
/// changed, and reporting delivery errors).
pub async fn keep(
    handle: Handle,
    api: BotApi,
    config: WebhookConfig,
    mut stop: watch::Receiver<bool>,
) {
    let mut registered = false;
    let mut failures = 0u32;
    loop {
        let wait = match check(&handle, &api, &config, &mut registered).await {
            Ok(()) => {
                failures = 0;
                Duration::from_secs(60)
            }
            Err(e) => {
                failures += 1;
                tracing::warn!(error = %e, failures, "cannot register or check the webhook");
                crate::listener::backoff(failures)
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

async fn check(
    handle: &Handle,
    api: &BotApi,
    config: &WebhookConfig,
    registered: &mut bool,
) -> Result<(), crate::api::ApiError> {
    let info = api.call("getWebhookInfo", &json!({})).await?;
    handle.heard(Channel::Telegram);
    if info["url"].as_str() != Some(config.url.as_str()) || !*registered {
        api.call(
            "setWebhook",
            &json!({
                "url": config.url,
                "secret_token": config.secret,
                "allowed_updates": ALLOWED,
                "max_connections": config.max_connections,
            }),
        )
        .await?;
        *registered = true;
        tracing::info!(url = config.url, "webhook registered with Telegram");
        return Ok(());
    }
    let pending = info["pending_update_count"].as_i64().unwrap_or(0);
    let error = info["last_error_message"].as_str().unwrap_or_default();
    let now_s = handle.now_ms() / 1000;
    let recent = info["last_error_date"]
        .as_i64()
        .is_some_and(|at| now_s - at < 120);
    let problem = (recent && pending > 0)
        .then(|| format!("Telegram cannot deliver updates ({pending} waiting): {error}"));
    if let Some(p) = &problem {
        tracing::warn!(problem = p, "the webhook is not reached");
    }
    handle.problem(Channel::Telegram, problem);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_taken_from_the_public_url() {
        assert_eq!(path_of("https://shop.example/telegram"), "/telegram");
        assert_eq!(path_of("https://shop.example"), "/");
        assert_eq!(path_of("https://shop.example/a/b?x=1"), "/a/b");
    }

    #[test]
    fn the_derived_secret_is_fixed_per_token_and_telegram_accepts_it() {
        let s = derived_secret("123:ABC");
        assert_eq!(s, derived_secret("123:ABC"));
        assert_ne!(s, derived_secret("123:ABD"));
        assert_eq!(s.len(), 64);
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric()));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"ab", b"abc"));
        assert!(!same(b"", b"abc"));
    }
}
