//! HTML, text limits, keyboards and parameter encodings, checked on the raw
//! JSON Telegram would send.

use serde_json::json;

use crate::common::{call, fails, ok, start, started_user};

#[tokio::test]
async fn an_unescaped_less_than_is_refused() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let (code, description) = fails(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "1 < 2", "parse_mode": "HTML" }),
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(
        description,
        "Bad Request: can't parse entities: Unsupported start tag \"\" at byte offset 2"
    );
}

#[tokio::test]
async fn an_unescaped_ampersand_is_refused() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let (_, description) = fails(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "Tom & Jerry", "parse_mode": "HTML" }),
    )
    .await;
    assert!(
        description.starts_with("Bad Request: can't parse entities: "),
        "{description}"
    );
}

#[tokio::test]
async fn unsupported_tags_are_refused_with_their_offset() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let (_, description) = fails(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "Hello, <foo>x</foo>", "parse_mode": "HTML" }),
    )
    .await;
    assert_eq!(
        description,
        "Bad Request: can't parse entities: Unsupported start tag \"foo\" at byte offset 7"
    );
}

#[tokio::test]
async fn escaped_text_is_shown_without_tags() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let message = ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "1 &lt; 2 <b>&amp;</b> <code>x</code>", "parse_mode": "HTML" }),
    )
    .await;
    assert_eq!(message["text"], "1 < 2 & x");
    assert_eq!(
        message["entities"][0],
        json!({ "type": "bold", "offset": 6, "length": 1 })
    );
    assert_eq!(message["entities"][1]["type"], "code");
    let chat = ctl.chat(42).await;
    assert_eq!(
        chat.last_bot_message().map(|m| m.text.as_str()),
        Some("1 < 2 & x")
    );
}

#[tokio::test]
async fn texts_of_4096_characters_pass_and_4097_do_not() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let longest = "я".repeat(4096);
    ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": longest }),
    )
    .await;
    let (code, description) = fails(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "a".repeat(4097) }),
    )
    .await;
    assert_eq!(
        (code, description.as_str()),
        (400, "Bad Request: message is too long")
    );
    // The limit counts what is left after the tags are gone.
    let tagged = format!("<b>{}</b>", "a".repeat(4096));
    ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": tagged, "parse_mode": "HTML" }),
    )
    .await;
}

#[tokio::test]
async fn editing_text_without_reply_markup_removes_the_keyboard() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let keys = json!({ "inline_keyboard": [[{ "text": "A", "callback_data": "a" }]] });
    let sent = ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "v1", "reply_markup": keys }),
    )
    .await;
    let id = sent["message_id"].clone();
    let edited = ok(
        &emulator,
        "editMessageText",
        json!({ "chat_id": 42, "message_id": id, "text": "v2" }),
    )
    .await;
    assert!(edited.get("reply_markup").is_none());
    let view = ctl.chat(42).await;
    let message = view.last_bot_message().expect("message");
    assert!(message.edited);
    assert!(!message.has_buttons());
}

#[tokio::test]
async fn form_bodies_and_query_strings_are_accepted() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let base = format!("{}/bot{}", emulator.base_url(), emulator.token());
    let http = reqwest::Client::new();
    let keys = r#"{"inline_keyboard":[[{"text":"Yes","callback_data":"y"}]]}"#;
    let form = http
        .post(format!("{base}/sendMessage"))
        .form(&[
            ("chat_id", "42"),
            ("text", "form & body"),
            ("reply_markup", keys),
        ])
        .send()
        .await
        .expect("form call");
    assert_eq!(form.status(), 200);
    let query = http
        .get(format!("{base}/sendmessage"))
        .query(&[("chat_id", "42"), ("text", "by query")])
        .send()
        .await
        .expect("query call");
    assert_eq!(query.status(), 200);
    let chat = ctl.chat(42).await;
    assert_eq!(
        chat.find("form & body").map(|m| m.labels()),
        Some(vec!["Yes"])
    );
    assert!(chat.shows("by query"));
}

#[tokio::test]
async fn unknown_methods_and_tokens_answer_like_telegram() {
    let (emulator, _) = start().await;
    let (status, body) = call(&emulator, "fooBar", json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 404, "description": "Not Found" })
    );
    let url = format!("{}/bot1:NOPE/getMe", emulator.base_url());
    let response = reqwest::get(url).await.expect("call");
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["description"], "Unauthorized");
}

#[tokio::test]
async fn text_only_inline_buttons_are_refused() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let keys = json!({ "inline_keyboard": [[{ "text": "Nothing" }]] });
    let (_, description) = fails(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "x", "reply_markup": keys }),
    )
    .await;
    assert!(
        description.contains("Text buttons are unallowed"),
        "{description}"
    );
}

#[tokio::test]
async fn reply_keyboards_show_up_in_the_chat() {
    let (emulator, ctl) = start().await;
    started_user(&ctl, 42).await;
    let keys = json!({ "keyboard": [[{ "text": "Share phone", "request_contact": true }]] });
    ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "Phone?", "reply_markup": keys }),
    )
    .await;
    let chat = ctl.chat(42).await;
    assert_eq!(chat.keyboard[0][0].text, "Share phone");
    assert!(chat.keyboard[0][0].request_contact);
    let removed = json!({ "remove_keyboard": true });
    ok(
        &emulator,
        "sendMessage",
        json!({ "chat_id": 42, "text": "Thanks", "reply_markup": removed }),
    )
    .await;
    assert!(ctl.chat(42).await.keyboard.is_empty());
}
