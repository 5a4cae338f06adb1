//! The Bots Long Poll: groups.getLongPollServer, a_check, failed 1/2/3.

use std::time::{Duration, Instant};

use fake_vk::Fault;
use serde_json::json;

use crate::common::{WAIT, check, fails, long_poll_server, start};

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.chars().all(|c| c.is_ascii_hexdigit())
}

#[tokio::test]
async fn the_long_poll_server_lives_on_the_emulator() {
    let (vk, _ctl) = start().await;
    let lp = long_poll_server(&vk).await;
    assert_eq!(
        lp.server,
        format!("{}/longpoll/{}", vk.base_url(), vk.group_id())
    );
    assert!(is_hex(&lp.key, 40), "{}", lp.key);
    assert_eq!(lp.ts, "0");
    let other = json!({ "group_id": vk.group_id() + 1 });
    assert_eq!(fails(&vk, "groups.getLongPollServer", other).await.0, 15);
}

#[tokio::test]
async fn a_long_poll_returns_as_soon_as_an_event_arrives() {
    let (vk, ctl) = start().await;
    let lp = long_poll_server(&vk).await;
    let (server, key, ts) = (lp.server.clone(), lp.key.clone(), lp.ts.clone());
    let poll = tokio::spawn(async move { check(&server, &key, &ts, 25).await });
    ctl.wait_polling(WAIT).await.expect("the poll waits");
    let sent_at = Instant::now();
    let sent = ctl.send_text(42, "Hello").await;
    let answer = poll.await.expect("join");
    assert!(sent_at.elapsed() < Duration::from_secs(5), "woke late");
    assert_eq!(answer["ts"], "1");
    let update = &answer["updates"][0];
    assert_eq!(update["type"], "message_new");
    assert_eq!(update["group_id"], vk.group_id());
    assert_eq!(update["v"], "5.199");
    assert_eq!(update["event_id"], sent.event_id);
    assert!(is_hex(&sent.event_id, 40));
    let message = &update["object"]["message"];
    assert_eq!(message["text"], "Hello");
    assert_eq!(message["id"], sent.message_id);
    assert_eq!(message["conversation_message_id"], 1);
    assert_eq!(message["out"], 0);
    let client_info = &update["object"]["client_info"];
    assert_eq!(client_info["keyboard"], true);
    assert_eq!(client_info["inline_keyboard"], true);
    assert_eq!(client_info["lang_id"], 0);
}

#[tokio::test]
async fn a_quiet_long_poll_ends_after_wait_with_the_same_ts() {
    let (vk, _ctl) = start().await;
    let lp = long_poll_server(&vk).await;
    let answer = lp.check("0", 0).await;
    assert_eq!(answer, json!({ "ts": "0", "updates": [] }));
}

#[tokio::test]
async fn polling_from_an_older_ts_repeats_events_and_the_newest_ts_has_none() {
    let (vk, ctl) = start().await;
    ctl.send_text(42, "one").await;
    ctl.send_text(43, "two").await;
    let lp = long_poll_server(&vk).await;
    assert_eq!(lp.ts, "2");
    let all = lp.check("0", 0).await;
    assert_eq!(all["ts"], "2");
    assert_eq!(all["updates"].as_array().map(Vec::len), Some(2));
    let rest = lp.check("1", 0).await;
    assert_eq!(rest["updates"][0]["object"]["message"]["text"], "two");
    let none = lp.check("2", 0).await;
    assert_eq!(none, json!({ "ts": "2", "updates": [] }));
}

#[tokio::test]
async fn failed_1_hands_out_a_ts_to_go_on_with() {
    let (vk, ctl) = start().await;
    let lp = long_poll_server(&vk).await;
    ctl.send_text(42, "missed").await;
    ctl.fault(Fault::longpoll_failed(1)).await;
    let answer = lp.check("0", 0).await;
    assert_eq!(answer, json!({ "failed": 1, "ts": "1" }));
    ctl.send_text(42, "after").await;
    let next = lp.check("1", 0).await;
    assert_eq!(next["updates"][0]["object"]["message"]["text"], "after");
    let future = lp.check("99", 0).await;
    assert_eq!(
        future,
        json!({ "failed": 1, "ts": "2" }),
        "a ts from the future"
    );
}

#[tokio::test]
async fn failed_2_retires_the_key_until_a_new_one_is_fetched() {
    let (vk, ctl) = start().await;
    let lp = long_poll_server(&vk).await;
    ctl.fault(Fault::longpoll_failed(2)).await;
    assert_eq!(lp.check("0", 0).await, json!({ "failed": 2 }));
    assert_eq!(
        lp.check("0", 0).await,
        json!({ "failed": 2 }),
        "the old key is dead"
    );
    ctl.send_text(42, "hi").await;
    let fresh = long_poll_server(&vk).await;
    assert_ne!(fresh.key, lp.key);
    let answer = fresh.check("0", 0).await;
    assert_eq!(answer["updates"][0]["object"]["message"]["text"], "hi");
    let unknown = check(&lp.server, "not-a-key", "0", 0).await;
    assert_eq!(unknown, json!({ "failed": 2 }));
}

#[tokio::test]
async fn failed_3_loses_the_events_and_needs_a_new_key_and_ts() {
    let (vk, ctl) = start().await;
    let lp = long_poll_server(&vk).await;
    ctl.send_text(42, "lost").await;
    ctl.fault(Fault::longpoll_failed(3)).await;
    assert_eq!(lp.check("0", 0).await, json!({ "failed": 3 }));
    assert_eq!(
        lp.check("0", 0).await,
        json!({ "failed": 3 }),
        "the old key is dead"
    );
    let fresh = long_poll_server(&vk).await;
    assert_eq!(fresh.ts, "1");
    assert_eq!(
        fresh.check("0", 0).await,
        json!({ "failed": 1, "ts": "1" }),
        "the old history is gone"
    );
    ctl.send_text(42, "new").await;
    let answer = fresh.check(&fresh.ts, 0).await;
    assert_eq!(answer["updates"][0]["object"]["message"]["text"], "new");
}

#[tokio::test]
async fn allow_and_deny_are_events_too() {
    let (vk, ctl) = start().await;
    ctl.allow(42).await;
    ctl.block(42).await;
    let lp = long_poll_server(&vk).await;
    let answer = lp.check("0", 0).await;
    assert_eq!(answer["updates"][0]["type"], "message_allow");
    assert_eq!(
        answer["updates"][0]["object"],
        json!({ "user_id": 42, "key": "" })
    );
    assert_eq!(answer["updates"][1]["type"], "message_deny");
    assert_eq!(answer["updates"][1]["object"], json!({ "user_id": 42 }));
}
