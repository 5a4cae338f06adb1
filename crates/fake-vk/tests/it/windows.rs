//! The 24-hour windows (emulator clock): a community edits its message
//! (`messages.edit`, else 909) and deletes it for everyone
//! (`messages.delete` with `delete_for_all`, else 924) within 24 hours of
//! sending it. An edit replaces the attachments and, when given, the
//! keyboard.

use fake_vk::FakeVk;
use serde_json::{Value, json};

use crate::common::{fails, keyboard, ok, send, start, started_user};
use crate::uploads::{png, upload};

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;

fn edit(id: i64, text: &str) -> Value {
    json!({ "peer_id": 42, "message_id": id, "message": text })
}

#[tokio::test]
async fn an_edit_at_23h59m_passes_and_at_24h01m_is_too_old() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.freeze_clock(true).await;
    let id = send(&vk, 42, "Order #7: cooking", 1).await;
    ctl.advance_clock(23 * HOUR + 59 * MINUTE).await;
    ok(&vk, "messages.edit", edit(id, "Order #7: on its way")).await;
    ctl.advance_clock(2 * MINUTE).await;
    assert_eq!(
        fails(&vk, "messages.edit", edit(id, "Order #7: delivered")).await,
        (909, "Can't edit this message, because it's too old".into())
    );
    let peer = ctl.peer(42).await;
    assert_eq!(
        peer.message(id).map(|m| m.text.as_str()),
        Some("Order #7: on its way"),
        "the refused edit changed nothing"
    );
}

#[tokio::test]
async fn deleting_for_everyone_at_23h59m_passes_and_at_24h01m_is_refused() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.freeze_clock(true).await;
    let early = send(&vk, 42, "Cart: 2 items", 1).await;
    ctl.advance_clock(23 * HOUR + 59 * MINUTE).await;
    let late = send(&vk, 42, "Cart: 3 items", 2).await;
    let items = ok(
        &vk,
        "messages.delete",
        json!({ "message_ids": early, "delete_for_all": 1 }),
    )
    .await;
    assert_eq!(items[0]["response"], 1);
    ctl.advance_clock(24 * HOUR + MINUTE).await;
    let items = ok(
        &vk,
        "messages.delete",
        json!({ "message_ids": late, "delete_for_all": 1 }),
    )
    .await;
    assert_eq!(items[0]["response"], 0);
    assert_eq!(
        items[0]["error"],
        json!({ "code": 924, "description": "Can't delete this message for everybody" })
    );
    let peer = ctl.peer(42).await;
    assert!(peer.message(early).is_some_and(|m| m.deleted));
    assert!(peer.shows("Cart: 3 items"), "the person keeps it");
    let items = ok(&vk, "messages.delete", json!({ "message_ids": late })).await;
    assert_eq!(
        items[0]["response"], 1,
        "deleting on the community's side only has no window"
    );
}

/// Uploads and saves a photo; returns `photo{owner}_{id}` and the same
/// with its access key.
async fn photo(vk: &FakeVk) -> (String, String) {
    let server = ok(
        vk,
        "photos.getMessagesUploadServer",
        json!({ "peer_id": 42 }),
    )
    .await;
    let url = server["upload_url"].as_str().expect("upload_url");
    let uploaded = upload(url, "photo", "card.png", png()).await;
    let saved = ok(
        vk,
        "photos.saveMessagesPhoto",
        json!({ "photo": uploaded["photo"], "server": uploaded["server"], "hash": uploaded["hash"] }),
    )
    .await;
    let plain = format!("photo{}_{}", saved[0]["owner_id"], saved[0]["id"]);
    let keyed = format!("{plain}_{}", saved[0]["access_key"].as_str().expect("key"));
    (plain, keyed)
}

#[tokio::test]
async fn an_edit_replaces_the_photo_and_the_keyboard() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let (first, _) = photo(&vk).await;
    let (second, second_keyed) = photo(&vk).await;
    assert!(first.starts_with(&format!("photo-{}_", vk.group_id())));
    let card = ok(
        &vk,
        "messages.send",
        json!({
            "peer_id": 42,
            "message": "Rye bread, 120 ₽",
            "attachment": first,
            "random_id": 1,
            "keyboard": keyboard(true, &[&[("callback", "Add to cart", r#"{"add":1}"#)]]),
        }),
    )
    .await
    .as_i64()
    .expect("a message id");
    ok(
        &vk,
        "messages.edit",
        json!({
            "peer_id": 42,
            "message_id": card,
            "message": "Wheat bread, 95 ₽",
            "attachment": second_keyed,
            "keyboard": keyboard(true, &[&[
                ("callback", "◀", r#"{"page":0}"#),
                ("callback", "Add to cart", r#"{"add":2}"#),
            ]]),
        }),
    )
    .await;
    let peer = ctl.peer(42).await;
    let msg = peer.message(card).expect("the card");
    assert!(msg.edited);
    assert_eq!(msg.text, "Wheat bread, 95 ₽");
    let shown: Vec<(&str, &str, bool)> = msg
        .attachments
        .iter()
        .map(|a| (a.attachment.as_str(), a.kind.as_str(), a.known))
        .collect();
    assert_eq!(shown, [(second.as_str(), "photo", true)]);
    assert_eq!(msg.labels(), ["◀", "Add to cart"]);
    assert_eq!(
        msg.button("Add to cart").and_then(|b| b.payload.as_deref()),
        Some(r#"{"add":2}"#)
    );
}
