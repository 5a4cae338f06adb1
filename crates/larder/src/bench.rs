//! `larder bench`: a load generator against the Telegram emulator. Many
//! staff work their desks at once (each press waits for its desk to change,
//! as a person would); it reports round-trip latency percentiles, throughput
//! and the process's peak memory. Figures are recorded in docs/benchmarks.md.

use std::time::{Duration, Instant};

use anyhow::Context;
use fake_telegram::{Control, NewUser};

use crate::app::StartOptions;
use crate::config::{Config, Secret};

/// What to run.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    pub users: u32,
    pub rounds: u32,
    pub database_url: Option<String>,
}

pub async fn run(base: &Config, opts: BenchOptions) -> anyhow::Result<String> {
    let emulator = fake_telegram::spawn(fake_telegram::Config {
        rate_limits: fake_telegram::RateLimits::disabled(),
        ..fake_telegram::Config::default()
    })
    .await
    .context("cannot start the emulator")?;
    let dir = tempfile::tempdir()?;
    let mut config = base.clone();
    config.database_url = opts
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    config.owner_ids = (1..=i64::from(opts.users)).map(|u| 10_000 + u).collect();
    config.admin_addr = String::new();
    config.language = "en".into();
    config.telegram.token = Some(Secret::new(emulator.token()));
    config.telegram.api_url = emulator.base_url();
    config.telegram.rate_limits.enabled = false;
    let store = crate::app::open_store(&config).await?;
    crate::seed::demo_catalog(&store).await?;
    store.close().await;
    let app = crate::app::start(
        &config,
        StartOptions {
            poll_timeout_s: Some(1),
            ..StartOptions::default()
        },
    )
    .await?;
    let ctl = emulator.control();

    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 1..=opts.users {
        let (ctl, rounds) = (ctl.clone(), opts.rounds);
        tasks.spawn(async move { user(ctl, 10_000 + i64::from(n), rounds).await });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.context("a user task failed")??);
    }
    let elapsed = started.elapsed();
    app.shutdown().await;
    emulator.shutdown().await;

    latencies.sort_unstable();
    let pct = |p: usize| {
        latencies
            .get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1)))
            .copied()
    };
    let ms = |d: Option<Duration>| d.map_or_else(|| "—".into(), |d| format!("{}", d.as_millis()));
    let per_s = u128::try_from(latencies.len()).unwrap_or(0) * 1000 / elapsed.as_millis().max(1);
    Ok(format!(
        "| {} users × {} round trips | {} presses in {} ms | {per_s} presses/s | p50 {} ms | p95 {} ms | p99 {} ms | max {} ms | peak memory {} |",
        opts.users,
        opts.rounds,
        latencies.len(),
        elapsed.as_millis(),
        ms(pct(50)),
        ms(pct(95)),
        ms(pct(99)),
        ms(latencies.last().copied()),
        peak_memory().unwrap_or_else(|| "—".into()),
    ))
}

/// One staff member: opens the desk, then toggles between the products list
/// and the menu, timing each press until the desk shows the new screen.
async fn user(ctl: Control, id: i64, rounds: u32) -> anyhow::Result<Vec<Duration>> {
    let wait = Duration::from_secs(30);
    ctl.user(NewUser::new(id, "Bench")).await;
    ctl.send_text(id, id, "/start").await;
    ctl.wait_text(id, "Choose a section", wait)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut out = Vec::new();
    for _ in 0..rounds {
        for (label, shows) in [("Products", "Products (10)"), ("Menu", "Choose a section")] {
            let t0 = Instant::now();
            ctl.press_button(id, id, label)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            ctl.wait_text(id, shows, wait)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            out.push(t0.elapsed());
        }
    }
    Ok(out)
}

/// Peak resident memory of this process (Linux), e.g. "41 MiB".
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(format!("{} MiB", kb / 1024))
}
