//! Flood limits, on a frozen emulator clock that only the tests move.

use fake_telegram::RateLimits;
use serde_json::{Value, json};

use fake_telegram::{Control, Handle};

use crate::common::{call, ok, start_with, started_user};

/// Default limits, clock frozen.
async fn start() -> (Handle, Control) {
    let (emulator, ctl) = start_with(RateLimits::default()).await;
    ctl.freeze_clock(true).await;
    (emulator, ctl)
}

fn text(chat: i64, text: &str) -> Value {
    json!({ "chat_id": chat, "text": text })
}

#[tokio::test]
async fn a_private_chat_gets_a_burst_then_429_with_retry_after() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    for i in 0..5 {
        ok(&emulator, "sendMessage", text(42, &format!("burst {i}"))).await;
    }
    let (status, body) = call(&emulator, "sendMessage", text(42, "too many")).await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({
            "ok": false,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": { "retry_after": 1 },
        })
    );
    assert!(
        !ctl.chat(42).await.shows("too many"),
        "a refused call has no effect"
    );
    ctl.advance_clock(1).await;
    ok(&emulator, "sendMessage", text(42, "after a second")).await;
}

#[tokio::test]
async fn a_group_gets_twenty_messages_a_minute() {
    let (emulator, ctl) = start().await;
    ctl.group(-5, "Kitchen", &[42]).await;
    for i in 0..20 {
        if i >= 5 {
            ctl.advance_clock(1).await; // the per-chat bucket refills
        }
        ok(&emulator, "sendMessage", text(-5, &format!("order {i}"))).await;
    }
    ctl.advance_clock(1).await;
    let (status, body) = call(&emulator, "sendMessage", text(-5, "twenty-first")).await;
    assert_eq!(status, 429);
    // The first of the twenty left 16 s ago: 44 s to go.
    assert_eq!(body["parameters"]["retry_after"], 44);
    ctl.advance_clock(43).await;
    let (status, _) = call(&emulator, "sendMessage", text(-5, "still too early")).await;
    assert_eq!(status, 429);
    ctl.advance_clock(1).await;
    ok(&emulator, "sendMessage", text(-5, "next minute")).await;
}

#[tokio::test]
async fn edits_count_but_deletes_pins_and_answers_do_not() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let sent = ok(&emulator, "sendMessage", text(42, "v0")).await;
    let id = sent["message_id"].clone();
    for i in 1..5 {
        let edit = json!({ "chat_id": 42, "message_id": id, "text": format!("v{i}") });
        ok(&emulator, "editMessageText", edit).await;
    }
    let edit = json!({ "chat_id": 42, "message_id": id, "text": "v5" });
    let (status, _) = call(&emulator, "editMessageText", edit).await;
    assert_eq!(status, 429);
    for _ in 0..10 {
        ok(
            &emulator,
            "pinChatMessage",
            json!({ "chat_id": 42, "message_id": id }),
        )
        .await;
    }
    ok(
        &emulator,
        "deleteMessage",
        json!({ "chat_id": 42, "message_id": id }),
    )
    .await;
}

#[tokio::test]
async fn thirty_messages_a_second_overall() {
    let (emulator, ctl) = start().await;
    for user in 1..=31 {
        started_user(&ctl, user).await;
    }
    for user in 1..=30 {
        ok(&emulator, "sendMessage", text(user, "broadcast")).await;
    }
    let (status, _) = call(&emulator, "sendMessage", text(31, "broadcast")).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn rate_limits_can_be_switched_off() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let limits = ctl.set_rate_limits(false).await;
    assert!(!limits.enabled);
    for i in 0..50 {
        ok(&emulator, "sendMessage", text(42, &format!("load {i}"))).await;
    }
    emulator.set_rate_limits(true);
    for i in 0..5 {
        ok(&emulator, "sendMessage", text(42, &format!("limited {i}"))).await;
    }
    let (status, _) = call(&emulator, "sendMessage", text(42, "over")).await;
    assert_eq!(status, 429);
}
