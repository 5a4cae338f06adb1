//! `larder bench`: a load generator against the Telegram emulator. Many
//! staff work their desks at once — or, with `--shop`, many customers order
//! at once while the kitchen's group gets a card for each order. Each press
//! waits for its screen to change, as a person would; it reports round-trip
//! latency percentiles, throughput and the process's peak memory. Figures
//! are recorded in docs/benchmarks.md.

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
    /// Customers ordering in the shop (each round is one order) instead of
    /// staff at their desks.
    pub shop: bool,
    /// The time the run pretends it is (shared with the emulator).
    pub clock: larder_core::Clock,
}

/// The shop's owner in `--shop` runs, who binds the kitchen group.
const SHOP_OWNER: i64 = 9_999;
const KITCHEN: i64 = -1;

pub async fn run(base: &Config, opts: BenchOptions) -> anyhow::Result<String> {
    let emulator = fake_telegram::spawn(fake_telegram::Config {
        rate_limits: fake_telegram::RateLimits::disabled(),
        clock: opts.clock.clone(),
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
    config.owner_ids = if opts.shop {
        vec![SHOP_OWNER]
    } else {
        (1..=i64::from(opts.users)).map(|u| 10_000 + u).collect()
    };
    if opts.shop {
        config.shop.enabled = true;
    }
    config.admin_addr = String::new();
    config.language = "en".into();
    config.telegram.token = Some(Secret::new(emulator.token()));
    config.telegram.api_url = emulator.base_url();
    config.telegram.rate_limits.enabled = false;
    let store = crate::app::open_store(&config, &opts.clock).await?;
    crate::seed::demo_catalog(&store, opts.clock.now_ms()).await?;
    store.close().await;
    let app = crate::app::start(
        &config,
        StartOptions {
            poll_timeout_s: Some(1),
            clock: opts.clock.clone(),
            ..StartOptions::default()
        },
    )
    .await?;
    let ctl = emulator.control();
    if opts.shop {
        ctl.user(NewUser::new(SHOP_OWNER, "Owner")).await;
        ctl.group(KITCHEN, "Kitchen", &[SHOP_OWNER]).await;
        ctl.send_text(KITCHEN, SHOP_OWNER, "/bind kitchen").await;
        ctl.wait_text(KITCHEN, "This group is now", Duration::from_secs(30))
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }

    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 1..=opts.users {
        let (ctl, rounds) = (ctl.clone(), opts.rounds);
        let id = 10_000 + i64::from(n);
        if opts.shop {
            tasks.spawn(async move { customer(ctl, id, rounds).await });
        } else {
            tasks.spawn(async move { user(ctl, id, rounds).await });
        }
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.context("a user task failed")??);
    }
    let elapsed = started.elapsed();
    if opts.shop {
        // Every order's kitchen card arrived.
        let want = opts.users * opts.rounds;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let cards = ctl
                .chat(KITCHEN)
                .await
                .messages
                .iter()
                .filter(|m| m.text.contains("Order №"))
                .count();
            if u32::try_from(cards).unwrap_or(0) >= want {
                break;
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "only {cards} of {want} kitchen cards arrived"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
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
    let load = if opts.shop {
        format!("{} customers × {} orders", opts.users, opts.rounds)
    } else {
        format!("{} users × {} round trips", opts.users, opts.rounds)
    };
    Ok(format!(
        "| {load} | {} presses in {} ms | {per_s} presses/s | p50 {} ms | p95 {} ms | p99 {} ms | max {} ms | peak memory {} |",
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

/// One press (or message) and the wait until the screen shows `shows`.
async fn step(
    ctl: &Control,
    id: i64,
    action: Result<&str, &str>,
    shows: &str,
    button: bool,
) -> anyhow::Result<Duration> {
    let wait = Duration::from_secs(30);
    let t0 = Instant::now();
    match action {
        Ok(label) => {
            ctl.press_button(id, id, label)
                .await
                .map_err(|e| anyhow::anyhow!("{label}: {e:?}"))?;
        }
        Err(text) => {
            ctl.send_text(id, id, text).await;
        }
    }
    let seen = if button {
        ctl.wait_button(id, shows, wait).await
    } else {
        ctl.wait_text(id, shows, wait).await
    };
    seen.map_err(|e| anyhow::anyhow!("waiting for {shows:?}: {e:?}"))?;
    Ok(t0.elapsed())
}

/// One customer: registers, then places `rounds` pickup orders, timing each
/// press or answer until the shop shows the next screen.
async fn customer(ctl: Control, id: i64, rounds: u32) -> anyhow::Result<Vec<Duration>> {
    ctl.user(NewUser::new(id, "Guest")).await;
    let phone = format!("+7 912 {:03} {:04}", id / 10_000, id % 10_000);
    let mut out = Vec::new();
    for (action, shows) in [
        (Err("/start"), "Step 1 of 4"),
        (Err("Guest"), "Step 2 of 4"),
        (Err("Bench"), "Step 3 of 4"),
        (Err(phone.as_str()), "Step 4 of 4"),
        (Ok("Skip"), "Hello, Guest"),
        (Ok("Menu"), "Choose a category"),
    ] {
        out.push(step(&ctl, id, action, shows, false).await?);
    }
    for _ in 0..rounds {
        for (label, shows, button) in [
            ("Other", "Other", false),
            ("Camembert", "180.00", false),
            ("Add to cart", "In cart", true),
            ("Cart", "Total:", false),
            ("Check out", "Pickup or delivery?", false),
            ("Pickup", "When do you want it?", false),
            ("As soon as possible", "Any wishes", false),
            ("No comment", "To pay", false),
            ("Confirm the order", "is placed", false),
            ("Menu", "Choose a category", false),
        ] {
            out.push(step(&ctl, id, Ok(label), shows, button).await?);
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
