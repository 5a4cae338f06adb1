//! `message_deny` and `message_allow`: a person forbids messages (sending
//! then fails with 901) and allows them again (sending works).

use serde_json::{Value, json};

use crate::common::{all_events, call, error_of, ok, start, started_user};

fn send(random_id: i64) -> Value {
    json!({ "peer_id": 42, "message": "Your order is ready", "random_id": random_id })
}

#[tokio::test]
async fn deny_stops_messages_and_allow_lets_them_through_again() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    ok(&vk, "messages.send", send(1)).await;

    ctl.block(42).await;
    let events = all_events(&vk).await;
    let deny = events.last().expect("an event");
    assert_eq!(deny["type"], "message_deny");
    assert_eq!(deny["group_id"], vk.group_id());
    assert_eq!(deny["object"], json!({ "user_id": 42 }));
    assert_eq!(
        error_of("messages.send", &call(&vk, "messages.send", send(2)).await),
        (
            901,
            "Can't send messages for users without permission".into()
        )
    );
    let peer = ctl.peer(42).await;
    assert!(peer.blocked);
    assert_eq!(peer.bot_messages().count(), 1, "nothing new arrived");

    ctl.allow_with_key(42, "promo-spring").await;
    let events = all_events(&vk).await;
    let allow = events.last().expect("an event");
    assert_eq!(allow["type"], "message_allow");
    assert_eq!(
        allow["object"],
        json!({ "user_id": 42, "key": "promo-spring" })
    );
    ok(&vk, "messages.send", send(3)).await;
    let peer = ctl.peer(42).await;
    assert!(peer.allowed && !peer.blocked);
    assert_eq!(peer.bot_messages().count(), 2);
}

#[tokio::test]
async fn a_person_who_never_wrote_can_be_reached_once_they_allow() {
    let (vk, ctl) = start().await;
    ctl.user((43, "Quiet")).await;
    let to_43 = json!({ "peer_id": 43, "message": "Hello", "random_id": 1 });
    let refused = call(&vk, "messages.send", to_43.clone()).await;
    assert_eq!(error_of("messages.send", &refused).0, 901);
    ctl.allow(43).await;
    let events = all_events(&vk).await;
    assert_eq!(events.len(), 1, "only the allow");
    assert_eq!(events[0]["object"], json!({ "user_id": 43, "key": "" }));
    ok(&vk, "messages.send", to_43).await;
}
