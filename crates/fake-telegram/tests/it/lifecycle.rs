//! The emulated world over time: the clock, blocking, groups, reset, waits
//! and the demo page.

use std::time::Duration;

use serde_json::json;

use crate::common::{WAIT, fails, ok, start, started_user};

#[tokio::test]
async fn deleting_after_48_hours_is_refused() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let sent = ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "old news" }),
    )
    .await;
    let id = sent["message_id"].clone();
    ctl.advance_clock(47 * 3600).await;
    let young = ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "fresh" }),
    )
    .await;
    ctl.advance_clock(3600 + 1).await;
    let (code, description) = fails(
        &emulator,
        "deleteMessage",
        json!({ "chat_id": 42, "message_id": id }),
    )
    .await;
    assert_eq!(
        (code, description.as_str()),
        (400, "Bad Request: message can't be deleted for everyone")
    );
    let young_id = young["message_id"].clone();
    ok(
        &emulator,
        "deleteMessage",
        json!({ "chat_id": 42, "message_id": young_id }),
    )
    .await;
}

#[tokio::test]
async fn message_dates_follow_the_emulator_clock() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let now = ctl.advance_clock(86_400).await;
    let sent = ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "tomorrow" }),
    )
    .await;
    let date = sent["date"].as_i64().expect("date");
    assert!((date - now / 1000).abs() <= 2, "{date} vs {now}");
    let log = ctl.requests().await;
    assert!(log[0].at_ms >= now);
}

#[tokio::test]
async fn a_blocked_user_refuses_messages_until_they_restart_the_bot() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.block(42).await;
    let (code, description) = fails(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "hi" }),
    )
    .await;
    assert_eq!(
        (code, description.as_str()),
        (403, "Forbidden: bot was blocked by the user")
    );
    ctl.send_text(42, 42, "/start").await;
    ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "welcome back" }),
    )
    .await;
    let updates = ok(&emulator, "getUpdates", json!({})).await;
    let statuses: Vec<&str> = updates
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["my_chat_member"]["new_chat_member"]["status"].as_str())
        .collect();
    assert_eq!(statuses, ["kicked", "member"]);
}

#[tokio::test]
async fn a_bot_removed_from_a_group_is_told_and_refused() {
    let (emulator, ctl) = start().await;
    ctl.group(-5, "Kitchen", &[42]).await;
    ctl.remove_bot(-5).await;
    let (code, description) = fails(
        &emulator,
        "sendMessage",
        json!({ "chat_id": -5, "text": "hi" }),
    )
    .await;
    assert_eq!(
        (code, description.as_str()),
        (403, "Forbidden: bot was kicked from the group chat")
    );
    let updates = ok(&emulator, "getUpdates", json!({})).await;
    let removed: Vec<(i64, &str)> = updates
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| {
            let m = &u["my_chat_member"];
            Some((
                m["chat"]["id"].as_i64()?,
                m["new_chat_member"]["status"].as_str()?,
            ))
        })
        .collect();
    assert_eq!(removed, [(-5, "administrator"), (-5, "kicked")]);
}

#[tokio::test]
async fn a_migrated_group_answers_with_its_new_id() {
    let (emulator, ctl) = start().await;
    ctl.group(-5, "Kitchen", &[42]).await;
    let new_id = ctl.migrate(-5).await;
    let (status, body) = crate::common::call(
        &emulator,
        "sendMessage",
        json!({ "chat_id": -5, "text": "x" }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "Bad Request: group chat was upgraded to a supergroup chat"
    );
    assert_eq!(body["parameters"]["migrate_to_chat_id"], new_id);
    let chats = ctl.chats().await;
    assert!(
        chats
            .iter()
            .any(|c| c.id == new_id && c.kind == "supergroup")
    );
}

#[tokio::test]
async fn reset_forgets_everything_but_the_bots() {
    let (emulator, ctl) = start().await;
    let before = ctl.send_text(42, 42, "hello").await;
    ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "hi" }),
    )
    .await;
    ctl.reset().await;
    assert!(ctl.chats().await.is_empty());
    assert!(ctl.users().await.is_empty());
    assert!(ctl.requests().await.is_empty());
    assert_eq!(ok(&emulator, "getUpdates", json!({})).await, json!([]));
    assert_eq!(
        ok(&emulator, "getMe", json!({})).await["username"],
        "larder_test_bot"
    );
    let after = ctl.send_text(42, 42, "again").await;
    assert!(
        after.update_id > before.update_id,
        "update ids keep growing"
    );
    assert_eq!(after.message_id, 1, "message ids start over");
}

#[tokio::test]
async fn waiting_for_text_returns_when_it_appears_and_408_otherwise() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let waiter = {
        let ctl = ctl.clone();
        tokio::spawn(async move { ctl.wait_text(42, "Ready", WAIT).await })
    };
    ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "Ready to order" }),
    )
    .await;
    let chat = waiter.await.expect("join").expect("found");
    assert!(chat.shows("Ready to order"));
    let timeout = ctl
        .wait_text(42, "never", Duration::from_millis(100))
        .await
        .expect_err("times out");
    assert!(timeout.to_string().contains("Ready to order"), "{timeout}");
}

#[tokio::test]
async fn users_and_groups_are_listed() {
    let (_emulator, ctl) = start().await;
    let anna = ctl
        .user(
            fake_telegram::NewUser::new(42, "Anna")
                .username("anna")
                .language("ru"),
        )
        .await;
    assert_eq!(anna.username.as_deref(), Some("anna"));
    ctl.group(-5, "Kitchen", &[42, 43]).await;
    let users = ctl.users().await;
    assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [42, 43]);
    assert_eq!(users[1].first_name, "User 43");
    let chats = ctl.chats().await;
    assert_eq!(
        (chats[0].name.as_str(), chats[0].members.as_slice()),
        ("Kitchen", &[42, 43][..])
    );
}

#[tokio::test]
async fn the_demo_page_is_served() {
    let (emulator, _) = start().await;
    let page = reqwest::get(emulator.base_url()).await.expect("GET /");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("/control/chats"),
        "the page uses the control API"
    );
}

#[tokio::test]
async fn shutdown_ends_pending_long_polls() {
    let (emulator, ctl) = start().await;
    let url = format!(
        "{}/bot{}/getUpdates?timeout=30",
        emulator.base_url(),
        emulator.token()
    );
    let poll = tokio::spawn(reqwest::get(url));
    ctl.wait_polling(WAIT).await.expect("polling");
    tokio::time::timeout(WAIT, emulator.shutdown())
        .await
        .expect("shutdown is prompt");
    let answer = poll.await.expect("join").expect("answered");
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn two_bots_keep_separate_chats_and_updates() {
    let staff = fake_telegram::BotSpec {
        token: "777:STAFF".into(),
        id: 777,
        username: "larder_staff_bot".into(),
        first_name: "Staff".into(),
    };
    let emulator = fake_telegram::spawn(fake_telegram::Config {
        bots: vec![fake_telegram::BotSpec::default(), staff],
        ..fake_telegram::Config::default()
    })
    .await
    .expect("starts");
    let shop = emulator.control();
    let desk = shop.for_bot(777);
    desk.send_text(42, 42, "/desk").await;
    assert!(
        shop.try_chat(42).await.is_none(),
        "the shop bot has no chat with 42"
    );
    assert!(desk.chat(42).await.shows("/desk"));
    let url = format!("{}/bot777:STAFF/getUpdates", emulator.base_url());
    let body: serde_json::Value = reqwest::get(url)
        .await
        .expect("call")
        .json()
        .await
        .expect("json");
    assert_eq!(body["result"][0]["message"]["text"], "/desk");
    assert_eq!(ok(&emulator, "getUpdates", json!({})).await, json!([]));
}
