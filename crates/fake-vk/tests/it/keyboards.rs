//! Keyboards: what VK accepts (911 otherwise) and what the person sees.

use serde_json::{Value, json};

use crate::common::{WAIT, fails, keyboard, send, send_keyboard, start, started_user};

fn buttons(inline: bool, rows: usize, per_row: usize) -> Value {
    let row: Vec<(&str, &str, &str)> = vec![("callback", "Pick", r#"{"n":1}"#); per_row];
    let rows: Vec<&[(&str, &str, &str)]> = vec![row.as_slice(); rows];
    keyboard(inline, &rows)
}

async fn refused(vk: &fake_vk::FakeVk, keyboard: Value) -> (i64, String) {
    let params =
        json!({ "peer_id": 42, "message": "Choose", "random_id": 0, "keyboard": keyboard });
    fails(vk, "messages.send", params).await
}

#[tokio::test]
async fn an_inline_keyboard_is_shown_on_its_message() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let keys = json!({
        "inline": true,
        "buttons": [
            [
                { "action": { "type": "callback", "label": "✅ Accept", "payload": "{\"a\":7}" }, "color": "positive" },
                { "action": { "type": "text", "label": "Later", "payload": "{\"l\":7}" } }
            ],
            [ { "action": { "type": "open_link", "label": "Site", "link": "https://example.com" } } ]
        ]
    });
    let id = send_keyboard(&vk, 42, "Order #7", keys).await;
    let peer = ctl
        .wait_button(42, "Accept", WAIT)
        .await
        .expect("the button shows");
    let msg = peer.message(id).expect("the message");
    let keys = msg.keyboard.as_ref().expect("a keyboard");
    assert!(keys.inline);
    assert_eq!(keys.labels(), ["✅ Accept", "Later", "Site"]);
    let accept = msg.button("✅ Accept").expect("accept");
    assert_eq!(
        (
            accept.kind.as_str(),
            accept.payload.as_deref(),
            accept.color.as_deref()
        ),
        ("callback", Some(r#"{"a":7}"#), Some("positive"))
    );
    assert_eq!(
        msg.button("Site").and_then(|b| b.link.as_deref()),
        Some("https://example.com")
    );
    assert!(peer.keyboard.is_none(), "no standard keyboard");
}

#[tokio::test]
async fn inline_keyboards_over_six_rows_or_ten_buttons_are_refused_with_911() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let invalid = (911, "Keyboard format is invalid".to_owned());
    assert_eq!(refused(&vk, buttons(true, 7, 1)).await, invalid);
    assert_eq!(
        refused(&vk, buttons(true, 3, 4)).await,
        invalid,
        "12 buttons"
    );
    send_keyboard(&vk, 42, "ok", buttons(true, 6, 1)).await;
    send_keyboard(&vk, 42, "ok", buttons(true, 2, 5)).await;
    assert_eq!(ctl.peer(42).await.bot_messages().count(), 2);
}

#[tokio::test]
async fn standard_keyboards_over_ten_rows_or_forty_buttons_are_refused() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    assert_eq!(refused(&vk, buttons(false, 11, 1)).await.0, 911);
    assert_eq!(
        refused(&vk, buttons(false, 9, 5)).await.0,
        911,
        "45 buttons"
    );
    assert_eq!(
        refused(&vk, buttons(false, 1, 6)).await.0,
        911,
        "6 in a row"
    );
    send_keyboard(&vk, 42, "ok", buttons(false, 10, 4)).await;
}

#[tokio::test]
async fn long_labels_long_payloads_and_bad_buttons_are_refused() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let label = "Д".repeat(41);
    let one = |action: Value| json!({ "inline": true, "buttons": [[{ "action": action }]] });
    assert_eq!(
        refused(&vk, one(json!({ "type": "text", "label": label })))
            .await
            .0,
        911
    );
    let payload = format!("\"{}\"", "p".repeat(254));
    assert_eq!(
        refused(
            &vk,
            one(json!({ "type": "callback", "label": "x", "payload": payload }))
        )
        .await
        .0,
        911,
        "256 bytes of payload"
    );
    assert_eq!(
        refused(&vk, one(json!({ "type": "teleport", "label": "x" })))
            .await
            .0,
        911
    );
    assert_eq!(
        refused(&vk, one(json!({ "type": "open_link", "label": "x" })))
            .await
            .0,
        911,
        "a link button without a link"
    );
    assert_eq!(refused(&vk, json!("not a keyboard")).await.0, 911);
    assert_eq!(
        ctl.peer(42).await.bot_messages().count(),
        0,
        "nothing was sent"
    );
}

#[tokio::test]
async fn a_standard_keyboard_stays_until_replaced_or_removed() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let menu = keyboard(
        false,
        &[&[
            ("text", "Catalog", r#"{"c":1}"#),
            ("text", "Cart", r#"{"c":2}"#),
        ]],
    );
    send_keyboard(&vk, 42, "Menu", menu).await;
    send(&vk, 42, "Plain text keeps the keyboard", 1).await;
    let peer = ctl.peer(42).await;
    assert_eq!(
        peer.keyboard.as_ref().map(|k| k.labels()),
        Some(vec!["Catalog", "Cart"])
    );
    send_keyboard(&vk, 42, "Bye", json!({ "buttons": [] })).await;
    assert!(ctl.peer(42).await.keyboard.is_none());
}

#[tokio::test]
async fn a_one_time_keyboard_hides_after_a_press() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let mut keys = keyboard(false, &[&[("text", "Yes", r#"{"y":1}"#)]]);
    keys["one_time"] = json!(true);
    send_keyboard(&vk, 42, "Sure?", keys).await;
    assert!(ctl.peer(42).await.keyboard.is_some());
    ctl.press(42, "Yes").await.expect("pressed");
    let peer = ctl.peer(42).await;
    assert!(peer.keyboard.is_none());
    assert_eq!(peer.last().map(|m| m.text.as_str()), Some("Yes"));
}
