//! The data lifecycle: old rows pruned, files let go of once sent.

use std::time::Duration;

use crate::harness::{Db, OWNER, TestApp, WAIT};

const DAY_MS: i64 = 24 * 3600 * 1000;

async fn pruning_app(db: Db) -> Option<TestApp> {
    let mut app = TestApp::unstarted(db, vec![OWNER]).await?;
    app.prune_every = Some(Duration::from_millis(100));
    app.start().await;
    Some(app)
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.store().conn().await.expect("a connection");
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut *conn)
        .await
        .expect("counted")
}

async fn until(app: &TestApp, sql: &str, want: impl Fn(i64) -> bool) -> i64 {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let n = count(app, sql).await;
        if want(n) {
            return n;
        }
        assert!(tokio::time::Instant::now() < deadline, "{sql} stays at {n}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the pruner has completed two more passes than now (so at
/// least one whole pass started after this point).
async fn two_more_passes(app: &TestApp) {
    let passes = |metrics: String| -> u64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("larder_prune_passes_total "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    };
    let from = passes(app.metrics().await);
    crate::harness::polled(async || passes(app.metrics().await), |n| *n >= from + 2).await;
}

async fn old_rows_are_pruned_and_sent_files_let_go(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Sessions").await;
    app.press(OWNER, "Inbox").await;
    app.press(OWNER, "Orders (XLSX)").await;
    let chat = app.ctl.chat(OWNER).await;
    assert!(
        chat.messages.iter().any(|m| m.document.is_some()),
        "the export arrived: {chat}"
    );
    // Sent: its bytes are gone from the database, and the row never held them.
    until(&app, "SELECT COUNT(*) FROM files", |n| n == 0).await;
    let longest = count(
        &app,
        "SELECT COALESCE(MAX(LENGTH(payload)), 0) FROM outbox WHERE kind = 'document'",
    )
    .await;
    assert!(
        (1..400).contains(&longest),
        "the outbox row names its file ({longest} bytes)"
    );
    assert!(count(&app, "SELECT COUNT(*) FROM inbox").await > 0);
    assert!(count(&app, "SELECT COUNT(*) FROM outbox").await > 0);
    // Nothing is pruned before its time.
    two_more_passes(&app).await;
    assert!(count(&app, "SELECT COUNT(*) FROM inbox").await > 0);
    // Thirteen days on, still kept; fifteen days on, gone.
    app.clock.advance_ms(13 * DAY_MS);
    two_more_passes(&app).await;
    assert!(count(&app, "SELECT COUNT(*) FROM inbox").await > 0);
    app.clock.advance_ms(2 * DAY_MS);
    until(&app, "SELECT COUNT(*) FROM inbox", |n| n == 0).await;
    until(&app, "SELECT COUNT(*) FROM outbox", |n| n == 0).await;
    // The bot goes on as before; what is new is kept.
    app.press(OWNER, "Menu").await;
    app.desk_shows(OWNER, "Choose a section").await;
    two_more_passes(&app).await;
    assert!(count(&app, "SELECT COUNT(*) FROM inbox").await > 0);
    let metrics = app.metrics().await;
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("larder_pruned_updates_total") && !l.ends_with(" 0")),
        "{metrics}"
    );
}

/// A file queued while sending is down waits in the database and goes out
/// whole after a restart; then it is let go of.
async fn an_export_waiting_across_a_restart_is_sent_whole(mut app: TestApp) {
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Sessions").await;
    app.press(OWNER, "Inbox").await;
    app.stop().await;
    app.start_parts(larder::app::Parts {
        listen: true,
        handle: true,
        send: false,
    })
    .await;
    let pressed = app
        .ctl
        .press_button(OWNER, OWNER, "Orders (XLSX)")
        .await
        .expect("the button is there");
    app.handled(pressed.update_id).await;
    until(&app, "SELECT COUNT(*) FROM files", |n| n == 1).await;
    app.kill().await;
    app.start().await;
    app.settled().await;
    let chat = app.ctl.chat(OWNER).await;
    let doc = chat
        .messages
        .iter()
        .find_map(|m| m.document.clone())
        .expect("the export arrived");
    assert!(doc.file_name.ends_with("orders.xlsx"), "{doc:?}");
    let bytes = app.ctl.file(&doc.file_id).await;
    assert!(
        bytes.starts_with(b"PK") && bytes.len() > 1000,
        "a whole XLSX"
    );
    until(&app, "SELECT COUNT(*) FROM files", |n| n == 0).await;
}

crate::on_both_backends!(with crate::lifecycle::pruning_app;
    old_rows_are_pruned_and_sent_files_let_go,
    an_export_waiting_across_a_restart_is_sent_whole,
);
