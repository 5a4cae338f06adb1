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
    let error = larder::app::open_store(&config, &larder_core::Clock::system())
        .await
        .err()
        .expect("refused");
    let message = format!("{error:#}");
    assert!(message.contains("file is not a database"), "{message}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "said at once, not after a pool timeout"
    );
}
