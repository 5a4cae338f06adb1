//! Injected failures.

use std::time::{Duration, Instant};

use fake_telegram::Fault;
use serde_json::json;
use teloxide_core::RequestError;
use teloxide_core::prelude::Requester;
use teloxide_core::types::ChatId;

use crate::common::{bot, call, fails, ok, start, started_user};

#[tokio::test]
async fn an_error_fault_fails_the_call_the_given_number_of_times() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.fault(Fault::error("sendMessage", 502).times(2)).await;
    let params = json!({ "chat_id": 42, "text": "hi" });
    assert_eq!(
        fails(&emulator, "sendMessage", params.clone()).await,
        (502, "Bad Gateway".into())
    );
    assert_eq!(fails(&emulator, "sendMessage", params.clone()).await.0, 502);
    ok(&emulator, "sendMessage", params).await;
    assert_eq!(
        ctl.chat(42).await.bot_messages().count(),
        1,
        "failed calls have no effect"
    );
}

#[tokio::test]
async fn a_fault_can_target_one_chat_and_carry_a_description() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    started_user(&ctl, 43).await;
    ctl.fault(
        Fault::error("sendMessage", 403)
            .chat(43)
            .description("Forbidden: user is deactivated"),
    )
    .await;
    ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "fine" }),
    )
    .await;
    let (code, description) = fails(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 43, "text": "x" }),
    )
    .await;
    assert_eq!(
        (code, description.as_str()),
        (403, "Forbidden: user is deactivated")
    );
}

#[tokio::test]
async fn a_flood_fault_is_a_retry_after_for_teloxide() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.fault(Fault::flood("sendMessage", 7)).await;
    match bot(&emulator).send_message(ChatId(42), "hi").await {
        Err(RequestError::RetryAfter(after)) => assert_eq!(after.seconds(), 7),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
}

#[tokio::test]
async fn a_delay_fault_holds_the_response_back() {
    let (emulator, ctl) = start().await;
    ctl.fault(Fault::delay(300).method("getMe").times(1)).await;
    let started = Instant::now();
    ok(&emulator, "getMe", json!({})).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    ok(&emulator, "getMe", json!({})).await;
    assert!(started.elapsed() < Duration::from_millis(300), "only once");
}

#[tokio::test]
async fn a_dropped_response_is_a_network_error_but_the_message_exists() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.fault(Fault::drop_response("sendMessage")).await;
    match bot(&emulator)
        .send_message(ChatId(42), "did it arrive?")
        .await
    {
        Err(RequestError::Network(_)) => {}
        other => panic!("expected a network error, got {other:?}"),
    }
    assert!(ctl.chat(42).await.shows("did it arrive?"));
    let log = ctl.requests_for("sendMessage").await;
    assert!(log[0].ok && log[0].dropped);
    // The connection is gone, the emulator is not.
    let (status, _) = call(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "again" }),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_request_log_lists_every_call_in_order() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    ok(&emulator, "getMe", json!({})).await;
    let sent = ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "hi" }),
    )
    .await;
    fails(
        &emulator,
        "deleteMessage",
        json!({ "chat_id": 42, "message_id": 999 }),
    )
    .await;
    let log = ctl.requests().await;
    let methods: Vec<&str> = log.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["getMe", "sendMessage", "deleteMessage"]);
    assert_eq!(log[1].chat_id, Some(42));
    assert_eq!(log[1].message_id, sent["message_id"].as_i64());
    assert_eq!((log[2].ok, log[2].error_code), (false, Some(400)));
    assert!(log[0].at_ms <= log[1].at_ms && log[1].at_ms <= log[2].at_ms);
    ctl.clear_requests().await;
    assert!(ctl.requests().await.is_empty());
}
