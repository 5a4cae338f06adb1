//! The API envelope: unknown methods, tokens, parameters, the request log,
//! reset, several communities.

use fake_vk::{Config, GroupSpec};
use serde_json::{Value, json};

use crate::common::{call_with_token, error_of, fails, ok, send, start, start_with, started_user};

#[tokio::test]
async fn an_unknown_method_is_error_3() {
    let (vk, _ctl) = start().await;
    let (code, msg) = fails(&vk, "messages.teleport", json!({ "peer_id": 1 })).await;
    assert_eq!((code, msg.as_str()), (3, "Unknown method passed"));
}

#[tokio::test]
async fn a_bad_or_missing_token_is_error_5_without_echoing_the_token() {
    let (vk, _ctl) = start().await;
    let body = call_with_token(&vk, "users.get", json!({ "user_ids": "1" }), "stolen").await;
    assert_eq!(
        error_of("users.get", &body),
        (
            5,
            "User authorization failed: invalid access_token (4).".into()
        )
    );
    let params: Vec<(&str, &str)> = body["error"]["request_params"]
        .as_array()
        .expect("request_params")
        .iter()
        .map(|p| {
            (
                p["key"].as_str().unwrap_or(""),
                p["value"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("method", "users.get"),
            ("oauth", "1"),
            ("user_ids", "1"),
            ("v", "5.199")
        ]
    );
    let anonymous: Value = reqwest::Client::new()
        .post(format!("{}/method/users.get", vk.base_url()))
        .form(&[("user_ids", "1"), ("v", "5.199")])
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        error_of("users.get", &anonymous),
        (
            5,
            "User authorization failed: no access_token passed.".into()
        )
    );
}

#[tokio::test]
async fn query_parameters_and_bearer_tokens_work_too() {
    let (vk, _ctl) = start().await;
    let url = format!("{}/method/users.get", vk.base_url());
    let by_query: Value = reqwest::Client::new()
        .get(&url)
        .query(&[
            ("user_ids", "7"),
            ("access_token", vk.token()),
            ("v", "5.199"),
        ])
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(by_query["response"][0]["id"], 7);
    let by_bearer: Value = reqwest::Client::new()
        .post(&url)
        .bearer_auth(vk.token())
        .form(&[("user_ids", "8"), ("v", "5.199")])
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(by_bearer["response"][0]["id"], 8);
}

#[tokio::test]
async fn the_request_log_lists_every_call_in_order() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let id = send(&vk, 42, "hi", 9).await;
    fails(
        &vk,
        "messages.edit",
        json!({ "peer_id": 42, "message_id": 999, "message": "x" }),
    )
    .await;
    ok(&vk, "users.get", json!({ "user_ids": "42" })).await;
    let log = ctl.requests().await;
    let methods: Vec<&str> = log.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["messages.send", "messages.edit", "users.get"]);
    assert_eq!((log[0].peer_id, log[0].message_id), (Some(42), Some(id)));
    assert_eq!(log[0].random_id, Some(9));
    assert_eq!(log[0].v.as_deref(), Some("5.199"));
    assert_eq!(log[0].group_id, vk.group_id());
    assert_eq!((log[1].ok, log[1].error_code), (false, Some(100)));
    assert!(log[0].at_ms <= log[1].at_ms && log[1].at_ms <= log[2].at_ms);
    ctl.clear_requests().await;
    assert!(ctl.requests().await.is_empty());
}

#[tokio::test]
async fn reset_forgets_people_but_keeps_the_long_poll_going() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    send(&vk, 42, "before", 1).await;
    let lp = crate::common::long_poll_server(&vk).await;
    ctl.reset().await;
    assert!(ctl.try_peer(42).await.is_none());
    assert!(ctl.requests().await.is_empty());
    assert_eq!(
        fails(
            &vk,
            "messages.send",
            json!({ "peer_id": 42, "message": "x", "random_id": 1 })
        )
        .await
        .0,
        901,
        "the person must write again"
    );
    ctl.send_text(42, "after").await;
    let answer = lp.check(&lp.ts, 0).await;
    assert_eq!(answer["updates"][0]["object"]["message"]["text"], "after");
}

#[tokio::test]
async fn each_community_has_its_own_token_and_conversations() {
    let config = Config {
        groups: vec![GroupSpec::default(), GroupSpec::new(300, "second-token")],
        ..Config::default()
    };
    let (vk, ctl) = start_with(config).await;
    let second = ctl.for_group(300);
    second.send_text(42, "to the second").await;
    let params = json!({ "peer_id": 42, "message": "from the second", "random_id": 1 });
    assert_eq!(
        error_of(
            "messages.send",
            &call_with_token(&vk, "messages.send", params.clone(), vk.token()).await
        )
        .0,
        901,
        "the first community never heard from 42"
    );
    let sent = call_with_token(&vk, "messages.send", params, "second-token").await;
    assert!(sent["response"].as_i64().is_some(), "{sent}");
    assert!(second.peer(42).await.shows("from the second"));
    assert!(ctl.try_peer(42).await.is_none());
}
