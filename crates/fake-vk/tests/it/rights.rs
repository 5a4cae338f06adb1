//! Token rights: a call needing a right the token lacks fails with 15 and
//! has no effect; rights are set at start and changed at runtime.

use fake_vk::{Config, FakeVk, GroupSpec, TOKEN_RIGHTS};
use serde_json::{Value, json};

use crate::common::{call_with_token, error_of, ok, start, start_with, started_user};

const NO_RIGHT: &str =
    "Access denied: no access to call this method. It cannot be called with current scopes.";

const NARROW: &str = "vk1.a.MESSAGES-AND-MANAGE";
const BARE: &str = "vk1.a.NO-RIGHTS";

async fn narrow() -> (FakeVk, fake_vk::Control) {
    let group = GroupSpec::default()
        .with_token_rights(NARROW, &["messages", "manage"])
        .with_token_rights(BARE, &[]);
    start_with(Config {
        groups: vec![group],
        ..Config::default()
    })
    .await
}

async fn refused(vk: &FakeVk, method: &str, params: Value, token: &str) -> (i64, String) {
    error_of(method, &call_with_token(vk, method, params, token).await)
}

async fn succeeds(vk: &FakeVk, method: &str, params: Value, token: &str) -> Value {
    let body = call_with_token(vk, method, params, token).await;
    assert!(body.get("error").is_none(), "{method} failed: {body}");
    body["response"].clone()
}

#[tokio::test]
async fn configured_tokens_carry_every_right_unless_narrowed() {
    let (vk, ctl) = narrow().await;
    let tokens = ctl.token_rights().await;
    let all: Vec<String> = {
        let mut all: Vec<String> = TOKEN_RIGHTS.iter().map(|r| (*r).to_owned()).collect();
        all.sort();
        all
    };
    let of = |token: &str| {
        tokens
            .iter()
            .find(|t| t.token == token)
            .unwrap_or_else(|| panic!("{token} listed"))
            .clone()
    };
    assert_eq!(of(vk.token()).rights, all);
    assert_eq!(of(vk.token()).group_id, vk.group_id());
    assert_eq!(of(NARROW).rights, ["manage", "messages"]);
    assert!(of(BARE).rights.is_empty());
}

#[tokio::test]
async fn each_method_needs_its_right() {
    let (vk, ctl) = narrow().await;
    started_user(&ctl, 42).await;
    let send = |r: i64| json!({ "peer_id": 42, "message": "Hi", "random_id": r });
    succeeds(&vk, "messages.send", send(1), NARROW).await;
    let lp = json!({ "group_id": vk.group_id() });
    succeeds(&vk, "groups.getLongPollServer", lp.clone(), NARROW).await;
    let photo = json!({ "peer_id": 42 });
    assert_eq!(
        refused(&vk, "photos.getMessagesUploadServer", photo.clone(), NARROW).await,
        (15, NO_RIGHT.into())
    );
    let doc = json!({ "peer_id": 42, "type": "doc" });
    assert_eq!(
        refused(&vk, "docs.getMessagesUploadServer", doc, NARROW)
            .await
            .0,
        15
    );
    let users = json!({ "user_ids": "42" });
    succeeds(&vk, "users.get", users.clone(), BARE).await;
    for (method, params) in [
        ("messages.send", send(2)),
        ("groups.getLongPollServer", lp),
        ("photos.getMessagesUploadServer", photo),
        (
            "messages.sendMessageEventAnswer",
            json!({ "event_id": "x", "user_id": 42, "peer_id": 42 }),
        ),
    ] {
        assert_eq!(
            refused(&vk, method, params, BARE).await,
            (15, NO_RIGHT.into()),
            "{method}"
        );
    }
    assert_eq!(
        ctl.peer(42).await.bot_messages().count(),
        1,
        "the refused send had no effect"
    );
    let log = ctl.requests_for("messages.send").await;
    assert_eq!(log.last().and_then(|r| r.error_code), Some(15));
}

#[tokio::test]
async fn rights_change_at_runtime_and_reset_restores_them() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let photo = json!({ "peer_id": 42 });
    ok(&vk, "photos.getMessagesUploadServer", photo.clone()).await;
    let now = ctl
        .set_token_rights(vk.token(), &["messages", "manage"])
        .await;
    assert_eq!(now.rights, ["manage", "messages"]);
    let token = vk.token().to_owned();
    assert_eq!(
        refused(&vk, "photos.getMessagesUploadServer", photo.clone(), &token).await,
        (15, NO_RIGHT.into())
    );
    ctl.set_token_rights(vk.token(), &["messages", "manage", "photos"])
        .await;
    ok(&vk, "photos.getMessagesUploadServer", photo.clone()).await;
    vk.set_token_rights(vk.token(), &["manage"]);
    assert_eq!(
        refused(&vk, "photos.getMessagesUploadServer", photo.clone(), &token)
            .await
            .0,
        15
    );
    ctl.reset().await;
    ok(&vk, "photos.getMessagesUploadServer", photo).await;
}

#[tokio::test]
async fn unknown_rights_and_tokens_are_refused() {
    let (vk, _ctl) = start().await;
    let set = |body: Value| {
        reqwest::Client::new()
            .post(format!("{}/control/rights", vk.base_url()))
            .json(&body)
            .send()
    };
    let bad_right = set(json!({ "token": vk.token(), "rights": ["everything"] }))
        .await
        .expect("answers");
    assert_eq!(bad_right.status(), 400);
    let bad_token = set(json!({ "token": "stolen", "rights": [] }))
        .await
        .expect("answers");
    assert_eq!(bad_token.status(), 404);
    let config = Config {
        groups: vec![GroupSpec::default().with_token_rights("t", &["root"])],
        ..Config::default()
    };
    let err = FakeVk::start(config).await.expect_err("an unknown right");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("root"), "{err}");
}
