//! Pressing buttons: text buttons send a message with the payload, callback
//! buttons a message_event to answer within a minute.

use fake_vk::NewUser;
use serde_json::{Value, json};

use crate::common::{WAIT, all_events, fails, keyboard, ok, send_keyboard, start, started_user};

fn answer(event_id: &str, event_data: Value) -> Value {
    json!({ "event_id": event_id, "user_id": 42, "peer_id": 42, "event_data": event_data })
}

fn snackbar(text: &str) -> Value {
    json!({ "type": "show_snackbar", "text": text })
}

#[tokio::test]
async fn a_text_button_sends_its_label_with_the_payload() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let menu = keyboard(false, &[&[("text", "🛒 Cart", r#"{"cmd":"cart"}"#)]]);
    let menu_id = send_keyboard(&vk, 42, "Menu", menu).await;
    let pressed = ctl.press(42, "Cart").await.expect("pressed");
    assert_eq!(pressed.update, "message_new");
    assert_eq!(pressed.message_id, menu_id);
    let events = all_events(&vk).await;
    let event = events.last().expect("an event");
    assert_eq!(event["type"], "message_new");
    assert_eq!(event["event_id"], pressed.event_id);
    let message = &event["object"]["message"];
    assert_eq!(message["text"], "🛒 Cart");
    assert_eq!(message["payload"], r#"{"cmd":"cart"}"#);
    assert_eq!(message["from_id"], 42);
    assert_eq!(message["peer_id"], 42);
    assert_eq!(Some(message["id"].as_i64()), Some(pressed.new_message_id));
    let peer = ctl.peer(42).await;
    assert_eq!(
        peer.last().and_then(|m| m.payload.as_deref()),
        Some(r#"{"cmd":"cart"}"#)
    );
}

#[tokio::test]
async fn a_callback_button_sends_a_message_event() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let keys = keyboard(
        true,
        &[&[("callback", "Accept", r#"{"cmd":"accept","id":7}"#)]],
    );
    let id = send_keyboard(&vk, 42, "Order #7", keys).await;
    let pressed = ctl.press(42, "Accept").await.expect("pressed");
    assert_eq!(
        (pressed.update.as_str(), pressed.message_id),
        ("message_event", id)
    );
    let events = all_events(&vk).await;
    let event = events.last().expect("an event");
    assert_eq!(event["type"], "message_event");
    assert_eq!(event["group_id"], vk.group_id());
    let object = &event["object"];
    assert_eq!(object["user_id"], 42);
    assert_eq!(object["peer_id"], 42);
    assert_eq!(
        object["event_id"].as_str(),
        pressed.callback_event_id.as_deref()
    );
    assert_eq!(object["payload"], json!({ "cmd": "accept", "id": 7 }));
    let cmid = ctl
        .peer(42)
        .await
        .message(id)
        .map(|m| m.conversation_message_id);
    assert_eq!(object["conversation_message_id"].as_i64(), cmid);
    assert_eq!(ctl.peer(42).await.pending_events.len(), 1);
}

#[tokio::test]
async fn an_event_answer_within_a_minute_shows_the_snackbar() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.freeze_clock(true).await;
    send_keyboard(
        &vk,
        42,
        "Order",
        keyboard(true, &[&[("callback", "Ok", "{}")]]),
    )
    .await;
    let pressed = ctl.press(42, "Ok").await.expect("pressed");
    let event_id = pressed.callback_event_id.expect("a callback event id");
    assert_eq!(ctl.answer(&event_id).await, None);
    ctl.advance_clock(59).await;
    let done = ok(
        &vk,
        "messages.sendMessageEventAnswer",
        answer(&event_id, snackbar("Accepted ✅")),
    )
    .await;
    assert_eq!(done, 1);
    let answered = ctl.wait_answer(&event_id, WAIT).await.expect("answered");
    assert_eq!(answered.kind.as_deref(), Some("show_snackbar"));
    assert_eq!(answered.text.as_deref(), Some("Accepted ✅"));
    let snackbars = ctl.snackbars(42).await;
    assert_eq!(snackbars.len(), 1);
    assert!(ctl.peer(42).await.pending_events.is_empty());
}

#[tokio::test]
async fn an_event_answer_after_a_minute_is_refused() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.freeze_clock(true).await;
    send_keyboard(
        &vk,
        42,
        "Order",
        keyboard(true, &[&[("callback", "Ok", "{}")]]),
    )
    .await;
    let event_id = ctl
        .press(42, "Ok")
        .await
        .expect("pressed")
        .callback_event_id
        .expect("id");
    ctl.advance_clock(61).await;
    assert_eq!(
        fails(
            &vk,
            "messages.sendMessageEventAnswer",
            answer(&event_id, snackbar("late"))
        )
        .await,
        (
            100,
            "One of the parameters specified was missing or invalid: invalid event_id".into()
        )
    );
    assert!(ctl.peer(42).await.pending_events.is_empty(), "expired");
}

#[tokio::test]
async fn unknown_answered_or_misdirected_events_are_refused() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    send_keyboard(
        &vk,
        42,
        "Order",
        keyboard(true, &[&[("callback", "Ok", "{}")]]),
    )
    .await;
    let event_id = ctl
        .press(42, "Ok")
        .await
        .expect("pressed")
        .callback_event_id
        .expect("id");
    assert_eq!(
        fails(
            &vk,
            "messages.sendMessageEventAnswer",
            answer("abcdef123456", snackbar("?"))
        )
        .await
        .0,
        100
    );
    let wrong_user = json!({ "event_id": event_id, "user_id": 43, "peer_id": 42 });
    assert_eq!(
        fails(&vk, "messages.sendMessageEventAnswer", wrong_user)
            .await
            .0,
        100
    );
    let bare = json!({ "event_id": event_id, "user_id": 42, "peer_id": 42 });
    ok(&vk, "messages.sendMessageEventAnswer", bare.clone()).await;
    assert_eq!(
        fails(&vk, "messages.sendMessageEventAnswer", bare).await.0,
        100,
        "answered twice"
    );
    let answered = ctl.answer(&event_id).await.expect("answered");
    assert_eq!(answered.kind, None, "no event_data: only the spinner stops");
}

#[tokio::test]
async fn event_answers_can_open_links_but_not_overlong_snackbars() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    send_keyboard(
        &vk,
        42,
        "Order",
        keyboard(true, &[&[("callback", "Ok", "{}")]]),
    )
    .await;
    let event_id = ctl
        .press(42, "Ok")
        .await
        .expect("pressed")
        .callback_event_id
        .expect("id");
    let (code, msg) = fails(
        &vk,
        "messages.sendMessageEventAnswer",
        answer(&event_id, snackbar(&"x".repeat(91))),
    )
    .await;
    assert_eq!(code, 100);
    assert!(msg.ends_with("event_data is invalid"), "{msg}");
    let link = json!({ "type": "open_link", "link": "https://vk.com/larder" });
    ok(
        &vk,
        "messages.sendMessageEventAnswer",
        answer(&event_id, link),
    )
    .await;
    let answered = ctl.answer(&event_id).await.expect("answered");
    assert_eq!(answered.link.as_deref(), Some("https://vk.com/larder"));
    assert!(ctl.snackbars(42).await.is_empty());
}

#[tokio::test]
async fn a_client_without_callback_support_says_so_and_cannot_press_them() {
    let (vk, ctl) = start().await;
    ctl.user(NewUser::new(42, "Old Phone").without_callback())
        .await;
    started_user(&ctl, 42).await;
    let events = all_events(&vk).await;
    let actions = &events[0]["object"]["client_info"]["button_actions"];
    assert!(
        actions
            .as_array()
            .is_some_and(|a| !a.contains(&json!("callback")))
    );
    assert!(
        actions
            .as_array()
            .is_some_and(|a| a.contains(&json!("text")))
    );
    send_keyboard(
        &vk,
        42,
        "Order",
        keyboard(true, &[&[("callback", "Ok", "{}")]]),
    )
    .await;
    let err = ctl.press(42, "Ok").await.expect_err("refused");
    assert_eq!(err.status, 409);
}

#[tokio::test]
async fn presses_find_buttons_by_substring_or_payload_and_list_the_labels() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let keys = json!({ "inline": true, "buttons": [[
        { "action": { "type": "callback", "label": "✅ Accept", "payload": "{\"a\":1}" } },
        { "action": { "type": "callback", "label": "❌ Reject", "payload": "{\"r\":1}" } },
        { "action": { "type": "open_link", "label": "Map", "link": "https://maps.example" } }
    ]]});
    send_keyboard(&vk, 42, "Order", keys).await;
    assert_eq!(
        ctl.press(42, "accept").await.expect("found").label,
        "✅ Accept"
    );
    assert_eq!(
        ctl.press_payload(42, r#"{"r":1}"#)
            .await
            .expect("found")
            .label,
        "❌ Reject"
    );
    let missing = ctl.press(42, "Cancel").await.expect_err("missing");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.labels, ["✅ Accept", "❌ Reject", "Map"]);
    let link = ctl
        .press(42, "Map")
        .await
        .expect_err("a link sends nothing");
    assert_eq!(link.status, 400);
}
