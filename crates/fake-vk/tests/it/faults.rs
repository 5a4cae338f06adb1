//! Injected failures and the rate limit.

use std::time::{Duration, Instant};

use fake_vk::Fault;
use serde_json::json;

use crate::common::{fails, form, ok, send, start, started_user};

#[tokio::test]
async fn each_error_code_can_be_injected_with_vks_message() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let cases = [
        (
            Fault::too_many_requests(),
            6,
            "Too many requests per second",
        ),
        (Fault::flood_control(), 9, "Flood control"),
        (Fault::internal_error(), 10, "Internal server error"),
        (Fault::rate_limit_reached(), 29, "Rate limit reached"),
        (
            Fault::blacklisted(),
            900,
            "Can't send messages for users from blacklist",
        ),
        (
            Fault::no_permission(),
            901,
            "Can't send messages for users without permission",
        ),
        (
            Fault::privacy(),
            902,
            "Can't send messages to this user due to their privacy settings",
        ),
        (Fault::keyboard_invalid(), 911, "Keyboard format is invalid"),
        (Fault::message_too_long(), 914, "Message is too long"),
    ];
    for (n, (fault, code, msg)) in cases.into_iter().enumerate() {
        ctl.fault(fault.method("messages.send")).await;
        let params = json!({ "peer_id": 42, "message": "hi", "random_id": n + 1 });
        assert_eq!(
            fails(&vk, "messages.send", params).await,
            (code, msg.to_owned())
        );
    }
    assert_eq!(
        ctl.peer(42).await.bot_messages().count(),
        0,
        "failed calls have no effect"
    );
    send(&vk, 42, "now it works", 100).await;
}

#[tokio::test]
async fn a_fault_can_target_one_peer_a_number_of_times() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    started_user(&ctl, 43).await;
    ctl.fault(Fault::flood_control().peer(43).times(2)).await;
    send(&vk, 42, "fine", 1).await;
    let to_43 = |r: i64| json!({ "peer_id": 43, "message": "x", "random_id": r });
    assert_eq!(fails(&vk, "messages.send", to_43(2)).await.0, 9);
    assert_eq!(fails(&vk, "messages.send", to_43(3)).await.0, 9);
    ok(&vk, "messages.send", to_43(4)).await;
}

#[tokio::test]
async fn a_lost_response_still_sends_the_message_once() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.fault(Fault::lose_response("messages.send")).await;
    let params = json!({ "peer_id": 42, "message": "Order accepted", "random_id": 4242 });
    let mut pairs = form(&params);
    pairs.push(("access_token".into(), vk.token().into()));
    pairs.push(("v".into(), "5.199".into()));
    let lost = reqwest::Client::new()
        .post(format!("{}/method/messages.send", vk.base_url()))
        .form(&pairs)
        .send()
        .await;
    assert!(lost.is_err(), "the response was lost: {lost:?}");
    let peer = ctl.peer(42).await;
    let first = peer.last_bot_message().expect("the message exists").id;
    let retried = ok(&vk, "messages.send", params).await;
    assert_eq!(
        retried.as_i64(),
        Some(first),
        "the retry returns the same id"
    );
    assert_eq!(ctl.peer(42).await.bot_messages().count(), 1);
    let log = ctl.requests_for("messages.send").await;
    assert!(log[0].ok && log[0].lost);
    assert_eq!(log[0].message_id, Some(first));
    assert!(!log[1].lost);
}

#[tokio::test]
async fn a_delay_fault_holds_the_response_back() {
    let (vk, ctl) = start().await;
    ctl.fault(Fault::delay(300).method("users.get").times(1))
        .await;
    let started = Instant::now();
    ok(&vk, "users.get", json!({ "user_ids": "1" })).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    ok(&vk, "users.get", json!({ "user_ids": "1" })).await;
    assert!(started.elapsed() < Duration::from_millis(300), "only once");
}

#[tokio::test]
async fn the_rate_limit_allows_twenty_calls_a_second_per_token() {
    let (vk, ctl) = start().await;
    let get = || ok(&vk, "users.get", json!({ "user_ids": "1" }));
    for _ in 0..30 {
        get().await;
    }
    ctl.set_rate_limit(true).await;
    ctl.freeze_clock(true).await;
    for _ in 0..20 {
        get().await;
    }
    assert_eq!(
        fails(&vk, "users.get", json!({ "user_ids": "1" })).await,
        (6, "Too many requests per second".into())
    );
    ctl.advance_clock_ms(1000).await;
    get().await;
}

#[tokio::test]
async fn bad_faults_are_refused_by_the_control_api() {
    let (vk, _ctl) = start().await;
    let response = reqwest::Client::new()
        .post(format!("{}/control/faults", vk.base_url()))
        .json(&json!({ "error_code": 9, "delay_ms": 5 }))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("exactly one"))
    );
}
