//! Pressing buttons through the control API.

use serde_json::{Value, json};

use crate::common::{WAIT, ok, start, started_user};

fn keyboard(rows: &[&[(&str, &str)]]) -> Value {
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            Value::Array(
                row.iter()
                    .map(|(text, data)| json!({ "text": text, "callback_data": data }))
                    .collect(),
            )
        })
        .collect();
    json!({ "inline_keyboard": rows })
}

async fn send_keys(emulator: &fake_telegram::Handle, chat: i64, text: &str, keys: Value) -> i64 {
    let sent = ok(
        emulator,
        "sendMessage",
        json!({ "chat_id": chat, "text": text, "reply_markup": keys }),
    )
    .await;
    sent["message_id"].as_i64().expect("message id")
}

async fn last_callback(emulator: &fake_telegram::Handle) -> Value {
    let updates = ok(
        emulator,
        "getUpdates",
        json!({ "allowed_updates": ["callback_query"] }),
    )
    .await;
    updates
        .as_array()
        .and_then(|all| all.iter().rev().find(|u| u.get("callback_query").is_some()))
        .map(|u| u["callback_query"].clone())
        .expect("a callback query")
}

#[tokio::test]
async fn pressing_by_label_delivers_a_callback_query() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let id = send_keys(
        &emulator,
        42,
        "Order #7",
        keyboard(&[&[("✅ Accept", "acc:7"), ("❌ Reject", "rej:7")]]),
    )
    .await;
    let pressed = ctl
        .press_button(42, 42, "✅ Accept")
        .await
        .expect("pressed");
    assert_eq!((pressed.message_id, pressed.data.as_str()), (id, "acc:7"));
    let query = last_callback(&emulator).await;
    assert_eq!(query["id"], pressed.callback_query_id);
    assert_eq!(query["data"], "acc:7");
    assert_eq!(query["from"]["id"], 42);
    assert_eq!(query["message"]["message_id"], id);
    assert_eq!(
        query["message"]["reply_markup"],
        keyboard(&[&[("✅ Accept", "acc:7"), ("❌ Reject", "rej:7")]])
    );
    assert!(
        query["chat_instance"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}

#[tokio::test]
async fn a_unique_substring_finds_the_button() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    send_keys(
        &emulator,
        42,
        "Menu",
        keyboard(&[&[("🍰 Cakes (3)", "cat:1")], &[("🥖 Bread (5)", "cat:2")]]),
    )
    .await;
    let pressed = ctl.press_button(42, 42, "Bread").await.expect("pressed");
    assert_eq!(pressed.data, "cat:2");
    let pressed = ctl
        .press_button(42, 42, "cakes")
        .await
        .expect("case-insensitive");
    assert_eq!(pressed.data, "cat:1");
}

#[tokio::test]
async fn an_unknown_label_answers_404_with_the_labels_on_offer() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    send_keys(
        &emulator,
        42,
        "Menu",
        keyboard(&[&[("Cakes", "1"), ("Bread", "2")]]),
    )
    .await;
    let err = ctl
        .press_button(42, 42, "Pies")
        .await
        .expect_err("no such button");
    assert_eq!(err.status, 404);
    assert_eq!(err.labels, ["Cakes", "Bread"]);
    assert!(err.to_string().contains("Cakes"));
}

#[tokio::test]
async fn an_ambiguous_substring_lists_the_candidates() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    send_keys(
        &emulator,
        42,
        "Menu",
        keyboard(&[&[("Add 1", "a1"), ("Add 2", "a2"), ("Back", "b")]]),
    )
    .await;
    let err = ctl
        .press_button(42, 42, "Add")
        .await
        .expect_err("ambiguous");
    assert_eq!(err.labels, ["Add 1", "Add 2"]);
}

#[tokio::test]
async fn the_pinned_message_is_searched_before_the_newest() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let desk = send_keys(
        &emulator,
        42,
        "Desk",
        keyboard(&[&[("Refresh", "desk:refresh")]]),
    )
    .await;
    ok(
        &emulator,
        "pinChatMessage",
        json!({ "chat_id": 42, "message_id": desk }),
    )
    .await;
    let note = send_keys(
        &emulator,
        42,
        "Note",
        keyboard(&[&[("Refresh", "note:refresh"), ("Dismiss", "note:x")]]),
    )
    .await;
    let pressed = ctl
        .press_button(42, 42, "Refresh")
        .await
        .expect("pinned first");
    assert_eq!(
        (pressed.message_id, pressed.data.as_str()),
        (desk, "desk:refresh")
    );
    let pressed = ctl
        .press_button(42, 42, "Dismiss")
        .await
        .expect("then the newest");
    assert_eq!(pressed.message_id, note);
    let pressed = ctl
        .press_button_on(42, 42, "Refresh", note)
        .await
        .expect("a given message");
    assert_eq!(pressed.data, "note:refresh");
}

#[tokio::test]
async fn forged_data_is_sent_as_is() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let id = send_keys(&emulator, 42, "Menu", keyboard(&[&[("A", "a")]])).await;
    let pressed = ctl.press_data(42, 42, "v9:evil", None).await;
    assert_eq!(pressed.message_id, id);
    let query = last_callback(&emulator).await;
    assert_eq!(query["data"], "v9:evil");
    // A press on a message that is gone carries an inaccessible message.
    ctl.press_data(42, 42, "old", Some(999)).await;
    let query = last_callback(&emulator).await;
    assert_eq!(query["message"]["date"], 0);
}

#[tokio::test]
async fn a_group_member_presses_in_the_group() {
    let (emulator, ctl) = start().await;
    ctl.group(-9, "Kitchen", &[42]).await;
    send_keys(
        &emulator,
        -9,
        "Order #1",
        keyboard(&[&[("Take", "take:1")]]),
    )
    .await;
    let pressed = ctl
        .press_button(-9, 43, "Take")
        .await
        .expect("a newcomer presses");
    let query = last_callback(&emulator).await;
    assert_eq!(query["from"]["id"], 43);
    assert_eq!(query["message"]["chat"]["id"], -9);
    assert_eq!(pressed.data, "take:1");
}

#[tokio::test]
async fn callback_answers_are_visible_and_waitable() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    send_keys(&emulator, 42, "Menu", keyboard(&[&[("A", "a")]])).await;
    let pressed = ctl.press_button(42, 42, "A").await.expect("pressed");
    assert_eq!(ctl.callback_answer(&pressed.callback_query_id).await, None);
    let id = pressed.callback_query_id.clone();
    let waiter = {
        let ctl = ctl.clone();
        tokio::spawn(async move { ctl.wait_callback_answer(&id, WAIT).await })
    };
    ok(
        &emulator,
        "answerCallbackQuery",
        json!({ "callback_query_id": pressed.callback_query_id, "text": "Saved", "show_alert": true }),
    )
    .await;
    let answer = waiter.await.expect("join").expect("answered");
    assert_eq!(answer.text.as_deref(), Some("Saved"));
    assert!(answer.show_alert);
    let stored = ctl
        .callback_answer(&pressed.callback_query_id)
        .await
        .expect("stored");
    assert_eq!(stored, answer);
}
