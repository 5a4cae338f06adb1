//! Admin endpoints: health and metrics.

use std::time::Duration;

use crate::harness::{Db, OWNER, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_are_served_on_the_admin_address() {
    let app = TestApp::new(Db::Sqlite).await.unwrap();
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    let addr = app.running().admin_addr.expect("admin address");
    let health = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("larder_updates_handled_total 1"),
        "{metrics}"
    );
    assert!(metrics.contains("larder_outbox_pending 0"), "{metrics}");
}

fn bench(users: u32, rounds: u32) -> larder::bench::BenchOptions {
    larder::bench::BenchOptions {
        binary: env!("CARGO_BIN_EXE_larder").into(),
        users,
        rounds,
        database_url: None,
        shop: false,
        pace: larder::bench::Pace::Flat,
        limits: false,
        burst: false,
        chats: None,
        instances: 1,
        webhook: false,
        run_for: None,
        sample_every: Duration::from_secs(60),
        keep: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_generator_runs_and_reports_its_figures() {
    let config = larder::config::Config::default();
    let report = larder::bench::run(&config, bench(3, 2))
        .await
        .expect("bench runs");
    let row = report.row();
    assert!(
        row.contains("3 staff × 2 round trips, flat out") && row.contains("12 presses in"),
        "{row}"
    );
    assert_eq!(report.latencies.len(), 12);
    assert!(report.transactions > 0 && report.bot_cpu_ms > 0, "{row}");
    assert!(report.idle_rss_kib > 0 && report.peak_rss_kib >= report.idle_rss_kib);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shop_load_generator_orders_and_every_kitchen_card_arrives() {
    let config = larder::config::Config {
        language: "en".into(),
        ..larder::config::Config::default()
    };
    let opts = larder::bench::BenchOptions {
        shop: true,
        ..bench(2, 2)
    };
    let row = larder::bench::run(&config, opts)
        .await
        .expect("bench runs")
        .row();
    // 6 registration steps and 11 per order, for each customer.
    assert!(
        row.contains("2 customers × 2 orders") && row.contains("56 presses in"),
        "{row}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_and_many_chats_are_measured_too() {
    let config = larder::config::Config::default();
    let burst = larder::bench::run(
        &config,
        larder::bench::BenchOptions {
            burst: true,
            limits: true,
            ..bench(1, 1)
        },
    )
    .await
    .expect("burst runs");
    assert_eq!(burst.latencies.len(), 12, "every press answered");
    assert!(burst.final_screen.is_some());
    let chats = larder::bench::run(
        &config,
        larder::bench::BenchOptions {
            chats: Some(30),
            ..bench(1, 1)
        },
    )
    .await
    .expect("chats run");
    assert_eq!(chats.latencies.len(), 30, "everyone greeted");
}

/// A long run goes on for its time and takes the database's size as it
/// goes; several processes by webhook are measured together.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_run_samples_the_database_and_several_instances_are_measured() {
    let config = larder::config::Config::default();
    let report = larder::bench::run(
        &config,
        larder::bench::BenchOptions {
            run_for: Some(Duration::from_secs(3)),
            sample_every: Duration::from_millis(500),
            keep: Some("10m".into()),
            ..bench(2, 1)
        },
    )
    .await
    .expect("a timed run");
    assert!(report.sizes.len() >= 4, "{:?}", report.sizes);
    let (first, last) = (report.sizes[0], report.sizes[report.sizes.len() - 1]);
    assert!(last.inbox_rows > first.inbox_rows, "{:?}", report.sizes);
    assert!(last.bytes > 0);
    assert!(report.latencies.len() > 4, "more than one round each");
    let Some(database_url) = larder_testkit::postgres_database() else {
        return;
    };
    let report = larder::bench::run(
        &config,
        larder::bench::BenchOptions {
            database_url: Some(database_url),
            instances: 2,
            webhook: true,
            ..bench(3, 2)
        },
    )
    .await
    .expect("two instances by webhook");
    let row = report.row();
    assert!(
        row.contains("2 instances by webhook") && row.contains("12 presses"),
        "{row}"
    );
}
