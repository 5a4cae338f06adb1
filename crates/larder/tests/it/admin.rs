//! Admin endpoints: health and metrics.

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
    let metrics = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("larder_updates_handled_total 1"),
        "{metrics}"
    );
    assert!(metrics.contains("larder_outbox_pending 0"), "{metrics}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_generator_runs_and_reports_its_figures() {
    let config = larder::config::Config::default();
    let opts = larder::bench::BenchOptions {
        users: 3,
        rounds: 2,
        database_url: None,
        shop: false,
        clock: larder_core::Clock::starting_at(crate::harness::local(crate::harness::START)),
    };
    let line = larder::bench::run(&config, opts).await.expect("bench runs");
    assert!(
        line.contains("3 users × 2 round trips") && line.contains("12 presses in"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shop_load_generator_orders_and_every_kitchen_card_arrives() {
    let config = larder::config::Config {
        language: "en".into(),
        ..larder::config::Config::default()
    };
    let opts = larder::bench::BenchOptions {
        users: 2,
        rounds: 2,
        database_url: None,
        shop: true,
        clock: larder_core::Clock::starting_at(crate::harness::local(crate::harness::START)),
    };
    let line = larder::bench::run(&config, opts).await.expect("bench runs");
    // 6 registration steps and 10 per order, for each customer.
    assert!(
        line.contains("2 customers × 2 orders") && line.contains("52 presses in"),
        "{line}"
    );
}
