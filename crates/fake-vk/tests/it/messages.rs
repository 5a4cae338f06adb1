//! messages.send, messages.edit, messages.delete, users.get.

use fake_vk::NewUser;
use serde_json::json;

use crate::common::{fails, keyboard, ok, send, send_keyboard, start, started_user};

#[tokio::test]
async fn sending_returns_the_message_id_and_the_person_sees_it() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let id = send(&vk, 42, "Hello from Larder", 1).await;
    let peer = ctl.peer(42).await;
    let sent = peer.last_bot_message().expect("a bot message");
    assert_eq!((sent.id, sent.text.as_str()), (id, "Hello from Larder"));
    assert_eq!(sent.from_id, -vk.group_id());
    assert_eq!(sent.conversation_message_id, 2, "the person's message is 1");
    assert!(!sent.edited && !sent.deleted);
}

#[tokio::test]
async fn a_repeated_random_id_returns_the_same_message_and_sends_nothing() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    started_user(&ctl, 43).await;
    let first = send(&vk, 42, "Your order is accepted", 777).await;
    let again = send(&vk, 42, "Your order is accepted", 777).await;
    assert_eq!(first, again);
    assert_eq!(ctl.peer(42).await.bot_messages().count(), 1);
    let other = send(&vk, 42, "Another", 778).await;
    assert_ne!(other, first, "another random_id is another message");
    let elsewhere = send(&vk, 43, "Your order is accepted", 777).await;
    assert_ne!(elsewhere, first, "the same random_id to another peer");
    send(&vk, 42, "zero", 0).await;
    send(&vk, 42, "zero", 0).await;
    assert_eq!(
        ctl.peer(42).await.bot_messages().count(),
        4,
        "random_id 0 is not deduplicated"
    );
}

#[tokio::test]
async fn random_id_and_a_recipient_are_required() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    assert_eq!(
        fails(&vk, "messages.send", json!({ "peer_id": 42, "message": "x" })).await,
        (
            100,
            "One of the parameters specified was missing or invalid: random_id is a required parameter"
                .into()
        )
    );
    let (code, msg) = fails(
        &vk,
        "messages.send",
        json!({ "message": "x", "random_id": 1 }),
    )
    .await;
    assert_eq!(code, 100);
    assert!(
        msg.ends_with("you should specify peer_id, user_id, domain, chat_id or user_ids param")
    );
    let by_user_id = ok(
        &vk,
        "messages.send",
        json!({ "user_id": 42, "message": "x", "random_id": 2 }),
    )
    .await;
    assert!(by_user_id.as_i64().is_some_and(|id| id > 0));
}

#[tokio::test]
async fn peer_ids_get_one_item_per_peer() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.user((43, "Silent")).await;
    let items = ok(
        &vk,
        "messages.send",
        json!({ "peer_ids": "42,43", "message": "News", "random_id": 5 }),
    )
    .await;
    assert_eq!(items[0]["peer_id"], 42);
    assert!(items[0]["message_id"].as_i64().is_some_and(|id| id > 0));
    assert_eq!(items[0]["conversation_message_id"], 2);
    assert_eq!(items[1]["peer_id"], 43);
    assert_eq!(items[1]["message_id"], 0);
    assert_eq!(items[1]["error"]["code"], 901);
    assert_eq!(
        items[1]["error"]["description"],
        "Can't send messages for users without permission"
    );
}

#[tokio::test]
async fn a_person_who_never_wrote_gets_901_until_they_allow_messages() {
    let (vk, ctl) = start().await;
    ctl.user((50, "Newcomer")).await;
    let params = json!({ "peer_id": 50, "message": "Hi", "random_id": 1 });
    assert_eq!(
        fails(&vk, "messages.send", params.clone()).await,
        (
            901,
            "Can't send messages for users without permission".into()
        )
    );
    ctl.allow(50).await;
    ok(&vk, "messages.send", params).await;
    assert!(ctl.peer(50).await.shows("Hi"));
}

#[tokio::test]
async fn blocking_and_blacklisting_refuse_messages() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    ctl.block(42).await;
    let params = |r: i64| json!({ "peer_id": 42, "message": "Hi", "random_id": r });
    assert_eq!(fails(&vk, "messages.send", params(1)).await.0, 901);
    assert!(ctl.peer(42).await.blocked);
    ctl.send_text(42, "I'm back").await;
    ok(&vk, "messages.send", params(2)).await;
    ctl.blacklist(42).await;
    assert_eq!(
        fails(&vk, "messages.send", params(3)).await,
        (900, "Can't send messages for users from blacklist".into())
    );
}

#[tokio::test]
async fn messages_over_4096_characters_are_refused_with_914() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let long = "я".repeat(4097);
    assert_eq!(
        fails(
            &vk,
            "messages.send",
            json!({ "peer_id": 42, "message": long, "random_id": 1 })
        )
        .await,
        (914, "Message is too long".into())
    );
    send(&vk, 42, &"я".repeat(4096), 2).await;
    assert_eq!(ctl.peer(42).await.bot_messages().count(), 1);
}

#[tokio::test]
async fn empty_messages_are_refused() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    assert_eq!(
        fails(
            &vk,
            "messages.send",
            json!({ "peer_id": 42, "message": "  ", "random_id": 1 })
        )
        .await,
        (
            100,
            "One of the parameters specified was missing or invalid: message is empty or invalid"
                .into()
        )
    );
}

#[tokio::test]
async fn editing_replaces_the_text_and_keeps_the_keyboard_unless_given() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let keys = keyboard(true, &[&[("callback", "Accept", r#"{"a":1}"#)]]);
    let id = send_keyboard(&vk, 42, "Order #7", keys).await;
    let edited = ok(
        &vk,
        "messages.edit",
        json!({ "peer_id": 42, "message_id": id, "message": "Order #7: accepted" }),
    )
    .await;
    assert_eq!(edited, 1);
    let peer = ctl.peer(42).await;
    let msg = peer.message(id).expect("still there");
    assert_eq!(msg.text, "Order #7: accepted");
    assert!(msg.edited);
    assert_eq!(msg.labels(), ["Accept"]);
    let cmid = msg.conversation_message_id;
    ok(
        &vk,
        "messages.edit",
        json!({
            "peer_id": 42,
            "conversation_message_id": cmid,
            "message": "Order #7: done",
            "keyboard": { "buttons": [] },
        }),
    )
    .await;
    let peer = ctl.peer(42).await;
    let msg = peer.message(id).expect("still there");
    assert_eq!(msg.text, "Order #7: done");
    assert!(!msg.has_keyboard());
}

#[tokio::test]
async fn editing_a_missing_foreign_or_old_message_fails() {
    let (vk, ctl) = start().await;
    let typed = ctl.send_text(42, "my own words").await;
    let edit = |id: i64| json!({ "peer_id": 42, "message_id": id, "message": "x" });
    assert_eq!(fails(&vk, "messages.edit", edit(9_999)).await.0, 100);
    assert_eq!(
        fails(&vk, "messages.edit", edit(typed.message_id)).await,
        (920, "Can't edit this kind of message".into())
    );
    let id = send(&vk, 42, "fresh", 1).await;
    ctl.advance_clock(25 * 3600).await;
    assert_eq!(
        fails(&vk, "messages.edit", edit(id)).await,
        (909, "Can't edit this message, because it's too old".into())
    );
}

#[tokio::test]
async fn deleting_for_everyone_takes_the_message_away() {
    let (vk, ctl) = start().await;
    let typed = ctl.send_text(42, "hello").await;
    let id = send(&vk, 42, "Menu", 1).await;
    let items = ok(
        &vk,
        "messages.delete",
        json!({ "message_ids": format!("{id},{},999999", typed.message_id), "delete_for_all": 1 }),
    )
    .await;
    assert_eq!(
        items[0],
        json!({ "peer_id": 42, "message_id": id, "conversation_message_id": 2, "response": 1 })
    );
    assert_eq!(items[1]["response"], 0, "someone else's message");
    assert_eq!(items[1]["error"]["code"], 924);
    assert_eq!(items[2]["response"], 0, "an unknown message");
    let peer = ctl.peer(42).await;
    assert!(peer.message(id).is_some_and(|m| m.deleted));
    assert!(!peer.shows("Menu"));
    assert!(peer.shows("hello"));
}

#[tokio::test]
async fn deleting_only_for_the_community_leaves_the_person_their_copy() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let id = send(&vk, 42, "Kept for the person", 1).await;
    let items = ok(&vk, "messages.delete", json!({ "message_ids": id })).await;
    assert_eq!(items[0]["response"], 1);
    assert!(ctl.peer(42).await.shows("Kept for the person"));
}

#[tokio::test]
async fn users_get_returns_names() {
    let (vk, ctl) = start().await;
    ctl.user(NewUser::new(42, "Anna").last_name("Petrova").lang("en"))
        .await;
    let users = ok(
        &vk,
        "users.get",
        json!({ "user_ids": "42,43", "fields": "screen_name" }),
    )
    .await;
    assert_eq!(users[0]["id"], 42);
    assert_eq!(users[0]["first_name"], "Anna");
    assert_eq!(users[0]["last_name"], "Petrova");
    assert_eq!(users[0]["screen_name"], "id42");
    assert_eq!(users[1]["first_name"], "User 43");
    assert_eq!(
        fails(&vk, "users.get", json!({ "user_ids": "durov" })).await,
        (113, "Invalid user id".into())
    );
}
