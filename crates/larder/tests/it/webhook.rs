//! Telegram webhook mode: updates POSTed by Telegram are stored before the
//! answer, a request without the secret is refused and stores nothing, and
//! switching back to polling removes the webhook.

use std::time::Duration;

use larder::app::Parts;
use larder::config::TelegramMode;
use serde_json::json;

use crate::harness::{Db, OWNER, TestApp, WAIT};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// An app set to receive by webhook on a free local port (not started).
async fn webhook_app(db: Db) -> Option<TestApp> {
    let mut app = TestApp::unstarted(db, vec![OWNER]).await?;
    let port = free_port();
    app.config.telegram.mode = TelegramMode::Webhook;
    app.config.telegram.webhook_listen = format!("127.0.0.1:{port}");
    app.config.telegram.webhook_url = format!("http://127.0.0.1:{port}/telegram/hook");
    Some(app)
}

async fn registered(app: &TestApp) -> serde_json::Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let bots = app.ctl.bots().await;
        if bots[0]["webhook"] == app.config.telegram.webhook_url.as_str() {
            return bots[0].clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no webhook set: {bots:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn inbox_rows(app: &TestApp) -> i64 {
    let mut conn = app.store().conn().await.expect("a connection");
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM inbox")
        .fetch_one(&mut *conn)
        .await
        .expect("counted")
}

/// POSTs an update to the app's webhook as Telegram would, with `secret`.
async fn post(app: &TestApp, secret: Option<&str>, body: &serde_json::Value) -> u16 {
    let mut request = reqwest::Client::new()
        .post(&app.config.telegram.webhook_url)
        .json(body);
    if let Some(s) = secret {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", s);
    }
    request
        .send()
        .await
        .expect("the endpoint answers")
        .status()
        .as_u16()
}

fn the_secret(app: &TestApp) -> String {
    larder_telegram::webhook::derived_secret(
        app.config
            .telegram
            .token
            .as_ref()
            .expect("a token")
            .expose(),
    )
}

fn a_message(update_id: i64, text: &str) -> serde_json::Value {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_764_590_400,
            "chat": { "id": OWNER, "type": "private", "first_name": "Olga" },
            "from": { "id": OWNER, "is_bot": false, "first_name": "Olga" },
            "text": text,
        }
    })
}

async fn updates_arrive_by_webhook(mut app: TestApp) {
    app.start().await;
    let bot = registered(&app).await;
    assert_eq!(bot["webhook"], app.config.telegram.webhook_url.as_str());
    assert_eq!(bot["webhook_max_connections"], 40, "{bot}");
    assert_eq!(
        bot["allowed_updates"],
        json!(["message", "callback_query", "my_chat_member"]),
        "{bot}"
    );
    // A person writes and presses as always; nothing polls.
    app.say(OWNER, "/start").await;
    app.sees(OWNER, "Choose a section").await;
    app.press(OWNER, "🧀 Products").await;
    app.desk_shows(OWNER, "Products").await;
    let requests = app.ctl.requests().await;
    let set_at = requests
        .iter()
        .position(|r| r.method == "setWebhook")
        .expect("setWebhook called");
    assert!(
        !requests[set_at..].iter().any(|r| r.method == "getUpdates"),
        "no polling once the webhook is set"
    );
    let health: serde_json::Value = reqwest::get(format!(
        "http://{}/healthz",
        app.running().admin_addr.expect("admin")
    ))
    .await
    .expect("health")
    .json()
    .await
    .expect("json");
    assert_eq!(
        health["channels"]["telegram"]["state"], "receiving by webhook",
        "{health}"
    );
    assert_eq!(health["status"], "ready", "{health}");
}

async fn a_request_without_the_secret_is_refused_and_stores_nothing(mut app: TestApp) {
    app.start().await;
    registered(&app).await;
    let before = inbox_rows(&app).await;
    assert_eq!(post(&app, None, &a_message(900_001, "/start")).await, 401);
    assert_eq!(
        post(&app, Some("guess"), &a_message(900_002, "/start")).await,
        401
    );
    let almost = format!("{}x", &the_secret(&app)[1..]);
    assert_eq!(
        post(&app, Some(&almost), &a_message(900_003, "/start")).await,
        401
    );
    assert_eq!(inbox_rows(&app).await, before, "nothing stored");
    // The right secret with something that is no update: refused too.
    assert_eq!(
        post(&app, Some(&the_secret(&app)), &json!({"hello": 1})).await,
        400
    );
    assert_eq!(inbox_rows(&app).await, before, "nothing stored");
    assert!(app.texts(OWNER).await.is_empty(), "nobody was answered");
}

/// The update is stored before Telegram gets its 200: a process that dies
/// right after answering handles it once started again; delivered twice,
/// it is stored once.
async fn an_update_answered_is_stored_and_handled_after_a_crash(mut app: TestApp) {
    app.start_parts(Parts {
        listen: true,
        handle: false,
        send: false,
    })
    .await;
    registered(&app).await;
    let sent = app.ctl.send_text(OWNER, OWNER, "/start").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.ctl.bots().await[0]["pending_updates"] != 0 {
        assert!(tokio::time::Instant::now() < deadline, "never answered 200");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Telegram has forgotten it (answered 200): only the database has it.
    let repeat = a_message(900_010, "/start");
    let secret = the_secret(&app);
    assert_eq!(post(&app, Some(&secret), &repeat).await, 200);
    assert_eq!(
        post(&app, Some(&secret), &repeat).await,
        200,
        "a repeat is fine"
    );
    {
        let mut conn = app.store().conn().await.expect("a connection");
        let pending = larder_store::inbox::count(&mut conn, "pending")
            .await
            .expect("count");
        assert_eq!(pending, 2, "each stored once, before the answer");
    }
    app.kill().await;
    app.start().await;
    app.handled(sent.update_id).await;
    app.handled(900_010).await;
    app.sees(OWNER, "Choose a section").await;
    assert_eq!(inbox_rows(&app).await, 2);
}

/// Back to polling: the webhook is removed and updates are polled again,
/// none lost on the way.
async fn switching_back_to_polling_removes_the_webhook(mut app: TestApp) {
    app.start().await;
    registered(&app).await;
    app.say(OWNER, "/start").await;
    app.sees(OWNER, "Choose a section").await;
    app.stop().await;
    // Written while nobody listens: Telegram keeps it.
    let waiting = app.ctl.send_text(OWNER, OWNER, "/start").await;
    app.config.telegram.mode = TelegramMode::Polling;
    app.start().await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while !app.ctl.bots().await[0]["webhook"].is_null() {
        assert!(tokio::time::Instant::now() < deadline, "the webhook stays");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.handled(waiting.update_id).await;
    let requests = app.ctl.requests().await;
    assert!(requests.iter().any(|r| r.method == "deleteWebhook" && r.ok));
    assert!(requests.iter().any(|r| r.method == "getUpdates" && r.ok));
}

crate::on_both_backends!(with crate::webhook::webhook_app;
    updates_arrive_by_webhook,
    a_request_without_the_secret_is_refused_and_stores_nothing,
    an_update_answered_is_stored_and_handled_after_a_crash,
    switching_back_to_polling_removes_the_webhook,
);
