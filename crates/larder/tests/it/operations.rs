//! Running larder: one process per SQLite file, clear errors at start,
//! health that tells the truth.

use crate::harness::{Db, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_larder_on_the_same_sqlite_file_refuses_to_start() {
    let app = TestApp::new(Db::Sqlite).await.unwrap();
    let second = larder::app::start(&app.config, larder::app::StartOptions::default()).await;
    let message = format!("{:#}", second.err().expect("refused"));
    assert!(
        message.contains("another larder is already running") && message.contains("PostgreSQL"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_a_database_is_named_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("larder.db");
    std::fs::write(&path, "x".repeat(4096)).unwrap();
    let config = larder::config::Config {
        database_url: format!("sqlite://{}", path.display()),
        ..larder::config::Config::default()
    };
    let started = tokio::time::Instant::now();
    let Err(error) = larder::app::open_store(&config, &larder_core::Clock::system()).await else {
        panic!("a file that is not a database was opened");
    };
    let message = format!("{error:#}");
    assert!(message.contains("file is not a database"), "{message}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "said at once, not after a pool timeout"
    );
}

async fn health(app: &TestApp) -> (u16, serde_json::Value) {
    let addr = app.running().admin_addr.expect("admin address");
    let r = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_tells_the_database_the_channels_and_the_oldest_waiting_message() {
    let app = TestApp::new(Db::Sqlite).await.unwrap();
    app.say(crate::harness::OWNER, "/start").await;
    app.settled().await;
    let (status, body) = health(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["channels"]["telegram"]["state"], "receiving", "{body}");
    assert!(body["oldest_unsent_s"].is_null(), "{body}");
    let addr = app.running().admin_addr.unwrap();
    let live = reqwest::get(format!("http://{addr}/livez")).await.unwrap();
    assert_eq!(live.status(), 200);
    // Telegram stops answering polls, and a few minutes pass.
    app.ctl
        .fault(fake_telegram::Fault::error("getUpdates", 502).times(1000))
        .await;
    let deadline = tokio::time::Instant::now() + crate::harness::WAIT;
    while !app
        .ctl
        .requests()
        .await
        .iter()
        .any(|r| r.method == "getUpdates" && r.error_code == Some(502))
    {
        assert!(tokio::time::Instant::now() < deadline, "polls never failed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.clock.advance_ms(120_000);
    let (status, body) = health(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        body["channels"]["telegram"]["state"], "not hearing from the messenger",
        "{body}"
    );
    let ready = reqwest::get(format!("http://{addr}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 503);
    // Back again.
    app.ctl.clear_faults().await;
    let deadline = tokio::time::Instant::now() + crate::harness::WAIT;
    while health(&app).await.0 != 200 {
        assert!(tokio::time::Instant::now() < deadline, "never ready again");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_shows_how_long_the_oldest_message_has_waited() {
    let mut app = TestApp::unstarted(Db::Sqlite, vec![crate::harness::OWNER])
        .await
        .unwrap();
    app.start_parts(larder::app::Parts {
        listen: true,
        handle: true,
        send: false,
    })
    .await;
    app.say(crate::harness::OWNER, "/start").await;
    app.clock.advance_ms(90_000);
    let (_, body) = health(&app).await;
    assert!(
        body["oldest_unsent_s"].as_i64().is_some_and(|s| s >= 90),
        "{body}"
    );
}
