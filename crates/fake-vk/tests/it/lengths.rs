//! Label and payload lengths, counted the stricter way: labels in UTF-16
//! code units (an emoji such as 🔗 is 2), payloads in UTF-8 bytes (a
//! Cyrillic letter is 2).

use fake_vk::FakeVk;
use serde_json::{Value, json};

use crate::common::{call, error_of, start, started_user};

fn with_label(label: &str) -> Value {
    json!({ "inline": true, "buttons": [[{ "action": { "type": "text", "label": label } }]] })
}

fn with_payload(payload: &str) -> Value {
    json!({
        "inline": true,
        "buttons": [[{ "action": { "type": "callback", "label": "Go", "payload": payload } }]],
    })
}

/// `messages.send` with the keyboard: `None` when sent, else the error.
async fn try_send(vk: &FakeVk, keyboard: Value) -> Option<(i64, String)> {
    let params = json!({ "peer_id": 42, "message": "Menu", "random_id": 0, "keyboard": keyboard });
    let body = call(vk, "messages.send", params).await;
    body.get("error").map(|_| error_of("messages.send", &body))
}

#[tokio::test]
async fn labels_are_counted_in_utf16_code_units() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let at_limit = format!("🔗{}", "a".repeat(38));
    assert_eq!(at_limit.encode_utf16().count(), 40);
    assert_eq!(try_send(&vk, with_label(&at_limit)).await, None);
    let over = format!("🔗{}", "a".repeat(39));
    assert_eq!(over.chars().count(), 40, "40 code points");
    assert_eq!(over.encode_utf16().count(), 41);
    assert_eq!(
        try_send(&vk, with_label(&over)).await,
        Some((911, "Keyboard format is invalid".into()))
    );
    assert_eq!(try_send(&vk, with_label(&"Ж".repeat(40))).await, None);
    assert_eq!(
        try_send(&vk, with_label(&"Ж".repeat(41)))
            .await
            .map(|e| e.0),
        Some(911)
    );
    let shown = ctl.peer(42).await;
    let labels: Vec<Vec<String>> = shown
        .bot_messages()
        .map(|m| m.labels().into_iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(labels, [vec![at_limit], vec!["Ж".repeat(40)]]);
}

#[tokio::test]
async fn payloads_are_counted_in_utf8_bytes() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let at_limit = format!("\"{}\"", "p".repeat(253));
    assert_eq!(at_limit.len(), 255);
    assert_eq!(try_send(&vk, with_payload(&at_limit)).await, None);
    let over = format!("\"{}\"", "p".repeat(254));
    assert_eq!(
        try_send(&vk, with_payload(&over)).await,
        Some((911, "Keyboard format is invalid".into()))
    );
    let cyrillic_fits = format!("\"{}a\"", "я".repeat(126));
    assert_eq!(
        (cyrillic_fits.chars().count(), cyrillic_fits.len()),
        (129, 255)
    );
    assert_eq!(try_send(&vk, with_payload(&cyrillic_fits)).await, None);
    let cyrillic_over = format!("\"{}\"", "я".repeat(127));
    assert_eq!(
        (cyrillic_over.chars().count(), cyrillic_over.len()),
        (129, 256),
        "129 characters, but 256 bytes"
    );
    assert_eq!(
        try_send(&vk, with_payload(&cyrillic_over))
            .await
            .map(|e| e.0),
        Some(911)
    );
    assert_eq!(ctl.peer(42).await.bot_messages().count(), 2);
}
