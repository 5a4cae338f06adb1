//! Starts the real per-process cluster. Skips (passes) when PostgreSQL is not
//! installed, unless `CI=true` / `LARDER_REQUIRE_POSTGRES=1`.

use std::process::Command;

use larder_testkit::postgres_database;

/// Runs `sql` with `psql` against `url`, returning trimmed unaligned output.
fn psql(url: &str, sql: &str) -> String {
    let output = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("run psql");
    assert!(
        output.status.success(),
        "psql {url} -c {sql:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn server_of(url: &str) -> &str {
    &url[..url.rfind('/').expect("url has a database path")]
}

#[test]
fn two_calls_give_distinct_databases_on_one_server() {
    let Some(a) = postgres_database() else {
        eprintln!("PostgreSQL unavailable; skipping");
        return;
    };
    let b = postgres_database().expect("second call after a successful first one");
    assert_ne!(a, b);
    assert_eq!(server_of(&a), server_of(&b));
    assert!(
        a.starts_with("postgres://larder@127.0.0.1:")
            || std::env::var_os("LARDER_TEST_POSTGRES_URL").is_some(),
        "{a}"
    );

    // Both are empty and isolated from each other.
    psql(&a, "CREATE TABLE only_in_a (id int)");
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    assert_eq!(psql(&a, tables), "1");
    assert_eq!(psql(&b, tables), "0");
}

#[test]
fn server_accepts_connections() {
    let Some(url) = postgres_database() else {
        eprintln!("PostgreSQL unavailable; skipping");
        return;
    };
    assert_eq!(psql(&url, "select 1"), "1");
    let db = &url[url.rfind('/').unwrap() + 1..];
    assert_eq!(psql(&url, "select current_database()"), db);
    assert_eq!(psql(&url, "show server_encoding"), "UTF8");
}

#[test]
fn concurrent_callers_share_one_cluster() {
    let urls: Vec<Option<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(postgres_database)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let Some(urls) = urls.into_iter().collect::<Option<Vec<_>>>() else {
        eprintln!("PostgreSQL unavailable; skipping");
        return;
    };
    let unique: std::collections::HashSet<_> = urls.iter().collect();
    assert_eq!(unique.len(), urls.len());
    assert!(urls.iter().all(|u| server_of(u) == server_of(&urls[0])));
}
