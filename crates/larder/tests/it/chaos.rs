//! larder as a separate process, killed with `kill -9` at random moments
//! while customers check out and the kitchen accepts their orders (the
//! short run; `larder chaos` runs the long one).

use crate::harness::Db;

async fn chaos_run(db: Db, instances: u32, webhook: bool) {
    let database_url = match db {
        Db::Sqlite => None,
        Db::Postgres => match larder_testkit::postgres_database() {
            Some(url) => Some(url),
            None => return,
        },
    };
    let opts = larder::chaos::ChaosOptions {
        binary: env!("CARGO_BIN_EXE_larder").into(),
        customers: 12,
        kills: 4,
        instances,
        webhook,
        at_once: 6,
        database_url,
        kill_every_ms: (300, 1200),
        seed: 7,
    };
    let report = larder::chaos::run(opts).await.expect("the run completes");
    println!("{}", report.line());
    assert!(report.nothing_lost(), "{}", report.line());
    assert_eq!(report.kills, 4, "{}", report.line());
    if instances > 1 {
        assert!(
            report.leader_kills >= 1,
            "the leader was killed: {}",
            report.line()
        );
    }
    // A kill can cut calls Telegram already made: those messages may show
    // twice, the second copy sent after the restart. `nothing_lost` checks
    // that no message was repeated without a kill between its copies.
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_again_and_again_nothing_is_lost_on_sqlite() {
    chaos_run(Db::Sqlite, 1, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_again_and_again_nothing_is_lost_on_postgres() {
    chaos_run(Db::Postgres, 1, false).await;
}

/// Three processes on one database, any of them (the leader every other
/// time) killed: every order once, every message once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_killed_at_random_lose_nothing_on_postgres() {
    chaos_run(Db::Postgres, 3, false).await;
}

/// Three processes behind a load balancer, Telegram delivering by webhook;
/// any of them (the leader every other time) killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_by_webhook_killed_at_random_lose_nothing_on_postgres() {
    chaos_run(Db::Postgres, 3, true).await;
}

/// One process by webhook on SQLite, killed again and again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_webhook_killed_again_and_again_nothing_is_lost_on_sqlite() {
    chaos_run(Db::Sqlite, 1, true).await;
}
