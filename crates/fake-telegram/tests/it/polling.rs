//! getUpdates long polling and webhooks.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use serde_json::{Value, json};
use teloxide_core::payloads::GetUpdatesSetters;
use teloxide_core::prelude::Requester;
use teloxide_core::{ApiError, RequestError};
use tokio::sync::mpsc;

use crate::common::{WAIT, bot, call, fails, ok, start};

#[tokio::test]
async fn long_polling_wakes_as_soon_as_an_update_arrives() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    let poll = tokio::spawn(async move { bot.get_updates().timeout(10).await });
    ctl.wait_polling(WAIT).await.expect("the poll waits");
    let sent_at = Instant::now();
    ctl.send_text(42, 42, "hello").await;
    let updates = poll.await.expect("join").expect("getUpdates");
    assert!(sent_at.elapsed() < Duration::from_secs(3), "woke late");
    assert_eq!(updates.len(), 1);
}

#[tokio::test]
async fn unconfirmed_updates_are_delivered_again() {
    let (emulator, ctl) = start().await;
    let first = ctl.send_text(42, 42, "one").await;
    let second = ctl.send_text(42, 42, "two").await;
    let batch = ok(&emulator, "getUpdates", json!({})).await;
    assert_eq!(batch.as_array().map(Vec::len), Some(2));
    // The bot "crashed" before confirming: it gets the same updates again.
    let again = ok(
        &emulator,
        "getUpdates",
        json!({ "offset": first.update_id }),
    )
    .await;
    assert_eq!(again[0]["update_id"], first.update_id);
    assert_eq!(again[1]["update_id"], second.update_id);
    let rest = ok(
        &emulator,
        "getUpdates",
        json!({ "offset": first.update_id + 1 }),
    )
    .await;
    assert_eq!(rest.as_array().map(Vec::len), Some(1));
    let none = ok(
        &emulator,
        "getUpdates",
        json!({ "offset": second.update_id + 1 }),
    )
    .await;
    assert_eq!(none, json!([]));
}

#[tokio::test]
async fn limit_caps_the_batch() {
    let (emulator, ctl) = start().await;
    for i in 0..3 {
        ctl.send_text(42, 42, &format!("m{i}")).await;
    }
    let batch = ok(&emulator, "getUpdates", json!({ "limit": 2 })).await;
    assert_eq!(batch.as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_second_poller_ends_the_first_with_conflict() {
    let (emulator, ctl) = start().await;
    let first = bot(&emulator);
    let poll = tokio::spawn(async move { first.get_updates().timeout(10).await });
    ctl.wait_polling(WAIT).await.expect("the first poll waits");
    let second = bot(&emulator).get_updates().timeout(0).await;
    assert!(second.is_ok(), "the newer call goes on: {second:?}");
    match poll.await.expect("join") {
        Err(RequestError::Api(ApiError::TerminatedByOtherGetUpdates)) => {}
        other => panic!("expected 409, got {other:?}"),
    }
}

#[tokio::test]
async fn allowed_updates_filters_new_updates() {
    let (emulator, ctl) = start().await;
    ok(
        &emulator,
        "getUpdates",
        json!({ "allowed_updates": "[\"callback_query\"]" }),
    )
    .await;
    ctl.send_text(42, 42, "ignored").await;
    let pressed = ctl.press_data(42, 42, "x", None).await;
    let batch = ok(&emulator, "getUpdates", json!({})).await;
    assert_eq!(batch.as_array().map(Vec::len), Some(1));
    assert_eq!(batch[0]["callback_query"]["id"], pressed.callback_query_id);
}

#[derive(Clone)]
struct Inbox(mpsc::UnboundedSender<(Option<String>, Value)>);

async fn receive(State(inbox): State<Inbox>, headers: HeaderMap, body: axum::Json<Value>) {
    let secret = headers
        .get("x-telegram-bot-api-secret-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let _ = inbox.0.send((secret, body.0));
}

#[tokio::test]
async fn a_webhook_receives_updates_with_its_secret_token() {
    let (emulator, ctl) = start().await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hook = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(Inbox(tx));
    tokio::spawn(async move { axum::serve(listener, app).await });

    ok(
        &emulator,
        "setWebhook",
        json!({ "url": hook, "secret_token": "s3cret" }),
    )
    .await;
    let (code, description) = fails(&emulator, "getUpdates", json!({})).await;
    assert_eq!(code, 409);
    assert!(description.contains("webhook is active"), "{description}");

    let sent = ctl.send_text(42, 42, "via webhook").await;
    let (secret, update) = tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("delivered in time")
        .expect("delivered");
    assert_eq!(secret.as_deref(), Some("s3cret"));
    assert_eq!(update["update_id"], sent.update_id);
    let info = ok(&emulator, "getWebhookInfo", json!({})).await;
    assert_eq!(info["url"], hook);

    ok(&emulator, "deleteWebhook", json!({})).await;
    let (status, _) = call(&emulator, "getUpdates", json!({})).await;
    assert_eq!(status, 200);
}

#[derive(Clone)]
struct SlowHook {
    arrived: std::sync::Arc<std::sync::Mutex<Vec<(i64, String)>>>,
    /// Updates of chat 1 are answered after a pause.
    pause: Duration,
}

async fn slow_receive(State(hook): State<SlowHook>, body: axum::Json<Value>) {
    let chat = body.0["message"]["chat"]["id"].as_i64().unwrap_or(0);
    let text = body.0["message"]["text"].as_str().unwrap_or("").to_owned();
    hook.arrived
        .lock()
        .expect("not poisoned")
        .push((chat, text));
    if chat == 1 {
        tokio::time::sleep(hook.pause).await;
    }
}

#[tokio::test]
async fn a_webhook_gets_chats_at_once_and_each_chat_in_order() {
    let (emulator, ctl) = start().await;
    let hook = SlowHook {
        arrived: std::sync::Arc::default(),
        pause: Duration::from_millis(300),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let app = Router::new()
        .route("/hook", post(slow_receive))
        .with_state(hook.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    for n in 1..=3 {
        ctl.send_text(1, 1, &format!("one-{n}")).await;
    }
    ctl.send_text(2, 2, "two-1").await;
    ok(&emulator, "setWebhook", json!({ "url": url })).await;
    let deadline = Instant::now() + WAIT;
    while hook.arrived.lock().expect("not poisoned").len() < 4 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let arrived: Vec<String> = hook
        .arrived
        .lock()
        .expect("not poisoned")
        .iter()
        .map(|(_, t)| t.clone())
        .collect();
    let at = |t: &str| arrived.iter().position(|a| a == t).expect(t);
    assert_eq!(arrived.len(), 4, "{arrived:?}");
    assert!(
        at("one-1") < at("one-2") && at("one-2") < at("one-3"),
        "{arrived:?}"
    );
    assert!(
        at("two-1") < at("one-2"),
        "chat 2 does not wait for chat 1's slow answers: {arrived:?}"
    );
    // One connection: strictly one after another.
    while ok(&emulator, "getWebhookInfo", json!({})).await["pending_update_count"] != 0 {
        assert!(Instant::now() < deadline, "delivered in time");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    hook.arrived.lock().expect("not poisoned").clear();
    ok(
        &emulator,
        "setWebhook",
        json!({ "url": url, "max_connections": 1 }),
    )
    .await;
    ctl.send_text(1, 1, "one-4").await;
    ctl.send_text(2, 2, "two-2").await;
    let deadline = Instant::now() + WAIT;
    while hook.arrived.lock().expect("not poisoned").len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let arrived: Vec<String> = hook
        .arrived
        .lock()
        .expect("not poisoned")
        .iter()
        .map(|(_, t)| t.clone())
        .collect();
    assert_eq!(arrived, ["one-4", "two-2"]);
}
