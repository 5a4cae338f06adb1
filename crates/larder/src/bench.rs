//! `larder bench`: a load generator. larder runs as its own process (as in
//! production), against the Telegram emulator in this one, so what larder
//! itself costs — CPU time, memory, database transactions — is measured
//! apart from the emulator and the people it plays.
//!
//! Workloads: staff toggling their desks (products ↔ menu), or customers
//! registering and ordering in the shop, flat out or at human pace (a
//! random 1–3 s pause before each press); a burst of presses in one chat;
//! or many people writing /start once each (memory by chats seen). Every
//! press waits until that person's screen shows the next step, as a person
//! would; latency is press → screen. Figures go in docs/benchmarks.md.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use fake_telegram::{Control, NewUser};

use crate::child::usage_of;
use crate::config::{Config, Secret};
use crate::fleet::{Fleet, free_port};
use crate::people::{self, Wanted};

/// How people press.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// The next press as soon as the screen shows.
    Flat,
    /// A random 1–3 s pause before each press.
    Human,
}

/// What to run.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// The larder binary to run.
    pub binary: PathBuf,
    pub users: u32,
    pub rounds: u32,
    pub database_url: Option<String>,
    /// Customers ordering in the shop instead of staff at their desks.
    pub shop: bool,
    pub pace: Pace,
    /// Telegram's limits on (the default configuration) or off.
    pub limits: bool,
    /// Instead: one staff member presses 12 times in a row, as fast as the
    /// buttons allow, not waiting for the screens.
    pub burst: bool,
    /// Instead: this many people write /start once each.
    pub chats: Option<u32>,
    /// larder processes sharing the database (more than one: PostgreSQL).
    pub instances: u32,
    /// Telegram delivers by webhook through a balancer in front of them.
    pub webhook: bool,
    /// Work goes on this long (rounds over and over), the database's size
    /// taken every `sample_every`.
    pub run_for: Option<Duration>,
    pub sample_every: Duration,
    /// larder's retention (`[retention] keep`, e.g. `10m`).
    pub keep: Option<String>,
}

/// What a run measured.
#[derive(Clone, Debug, Default)]
pub struct BenchReport {
    pub load: String,
    pub database: &'static str,
    pub config: String,
    pub presses: usize,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
    /// Database transactions (larder's own count; PostgreSQL's own count of
    /// committed transactions when on PostgreSQL).
    pub transactions: u64,
    pub db_commits: Option<u64>,
    pub bot_cpu_ms: u64,
    pub db_cpu_ms: Option<u64>,
    /// 429 answers larder got.
    pub refused: u64,
    /// CPU of the emulator and the people it plays (this process), ms.
    pub harness_cpu_ms: u64,
    pub idle_rss_kib: u64,
    pub peak_rss_kib: u64,
    pub end_rss_kib: u64,
    /// For bursts: the slowest answer, and the final screen after the last press.
    pub slowest_answer: Option<Duration>,
    pub final_screen: Option<Duration>,
    /// For long runs: the database each minute.
    pub sizes: Vec<DbSize>,
}

/// The database at one moment of a long run.
#[derive(Clone, Copy, Debug, Default)]
pub struct DbSize {
    /// Seconds into the run.
    pub at_s: u64,
    /// On disk (SQLite: the file and its WAL; PostgreSQL: the database).
    pub bytes: u64,
    pub inbox_rows: i64,
    pub outbox_rows: i64,
}

impl DbSize {
    pub fn row(&self) -> String {
        let tenths = self.bytes * 10 / 1_048_576;
        format!(
            "| {}:{:02} | {}.{} MiB | {} | {} |",
            self.at_s / 60,
            self.at_s % 60,
            tenths / 10,
            tenths % 10,
            self.inbox_rows,
            self.outbox_rows
        )
    }
}

impl BenchReport {
    fn pct(&self, p: usize) -> String {
        let mut l = self.latencies.clone();
        l.sort_unstable();
        l.get((l.len() * p / 100).min(l.len().saturating_sub(1)))
            .map_or_else(|| "—".into(), |d| format!("{}", d.as_millis()))
    }

    /// `total / presses` with two decimals.
    fn per_press(&self, total: u64) -> String {
        let presses = u64::try_from(self.presses).unwrap_or(0);
        if presses == 0 {
            return "—".into();
        }
        let hundredths = total * 100 / presses;
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }

    /// One row of the tables in docs/benchmarks.md.
    pub fn row(&self) -> String {
        let ms = u64::try_from(self.elapsed.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        let per_s = u64::try_from(self.presses).unwrap_or(0) * 1000 / ms;
        let commits = self.db_commits.unwrap_or(self.transactions);
        let db_cpu = self.db_cpu_ms.map_or_else(
            || "db in the bot".into(),
            |ms| format!("db {} ms/press", self.per_press(ms)),
        );
        let burst = match (self.slowest_answer, self.final_screen) {
            (Some(a), Some(s)) => format!(
                " | slowest answer {} ms, final screen {} ms after the last press",
                a.as_millis(),
                s.as_millis()
            ),
            _ => String::new(),
        };
        format!(
            "| {} | {} | {} | {} presses in {}.{} s | {}/s | p50 {} ms | p95 {} ms | p99 {} ms | {} commits/press | bot {} ms/press | {} | emulator {} ms/press | {} × 429 | RSS idle {} MiB, peak {} MiB, end {} MiB{burst} |",
            self.database,
            self.config,
            self.load,
            self.presses,
            ms / 1000,
            ms % 1000 / 100,
            per_s,
            self.pct(50),
            self.pct(95),
            self.pct(99),
            self.per_press(commits),
            self.per_press(self.bot_cpu_ms),
            db_cpu,
            self.per_press(self.harness_cpu_ms),
            self.refused,
            self.idle_rss_kib / 1024,
            self.peak_rss_kib / 1024,
            self.end_rss_kib / 1024,
        )
    }
}

/// The shop's owner, who binds the kitchen group.
const SHOP_OWNER: i64 = 9_999;
const KITCHEN: i64 = -1;
const FIRST_USER: i64 = 10_001;

pub async fn run(base: &Config, opts: BenchOptions) -> anyhow::Result<BenchReport> {
    let emulator = fake_telegram::spawn(fake_telegram::Config {
        rate_limits: if opts.limits {
            fake_telegram::RateLimits::default()
        } else {
            fake_telegram::RateLimits::disabled()
        },
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
    let staff: Vec<i64> = (0..i64::from(opts.users)).map(|u| FIRST_USER + u).collect();
    config.owner_ids = if opts.shop || opts.chats.is_some() {
        vec![SHOP_OWNER]
    } else {
        staff.clone()
    };
    config.shop.enabled = opts.shop || opts.chats.is_some();
    let admin = format!("127.0.0.1:{}", free_port()?);
    config.admin_addr.clone_from(&admin);
    config.language = "en".into();
    config.telegram.token = Some(Secret::new(emulator.token()));
    config.telegram.api_url = emulator.base_url();
    config.telegram.rate_limits.enabled = opts.limits;
    if let Some(keep) = &opts.keep {
        config.retention.keep.clone_from(keep);
    }
    let clock = larder_core::Clock::system();
    let store = crate::app::open_store(&config, &clock).await?;
    crate::seed::demo_catalog(&store, clock.now_ms()).await?;
    let fleet = Fleet::start(
        &opts.binary,
        &config,
        dir.path(),
        opts.instances,
        opts.webhook,
    )
    .await?;
    let ctl = emulator.control();
    fleet.wait_receiving(&ctl).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = fleet.usage();
    if opts.shop {
        ctl.user(NewUser::new(SHOP_OWNER, "Owner")).await;
        ctl.group(KITCHEN, "Kitchen", &[SHOP_OWNER]).await;
        ctl.send_text(KITCHEN, SHOP_OWNER, "/bind kitchen").await;
        ctl.wait_text(KITCHEN, "This group is now", Duration::from_secs(30))
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    // Who is warmed up before measuring: staff have their desks open.
    if !opts.shop && opts.chats.is_none() {
        for id in staff.iter().take(if opts.burst { 1 } else { staff.len() }) {
            ctl.user(NewUser::new(*id, "Bench")).await;
            ctl.send_text(*id, *id, "/start").await;
        }
        for id in staff.iter().take(if opts.burst { 1 } else { staff.len() }) {
            ctl.wait_text(*id, "Choose a section", Duration::from_secs(60))
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
    }
    let admins = fleet.admins();
    let before = Snapshot::take(&fleet, &admins, &store).await?;
    let sizes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sampler = opts.run_for.map(|_| {
        let (store, path, sizes) = (store.clone(), dir.path().join("bench.db"), sizes.clone());
        let every = opts.sample_every;
        tokio::spawn(async move { sample_sizes(&store, &path, every, &sizes).await })
    });
    let started = Instant::now();
    let mut report = BenchReport::default();
    if let Some(chats) = opts.chats {
        report.load = format!("{chats} people write /start once");
        report.latencies = many_chats(&ctl, chats).await?;
    } else if opts.burst {
        report.load = "a burst of 12 presses in one chat".into();
        let (answers, final_screen) = burst(&ctl, staff[0]).await?;
        report.slowest_answer = answers.iter().max().copied();
        report.final_screen = Some(final_screen);
        report.latencies = answers;
    } else {
        let who = if opts.shop { "customers" } else { "staff" };
        let pace = match opts.pace {
            Pace::Flat => "flat out",
            Pace::Human => "at human pace",
        };
        let rounds = if opts.shop { "orders" } else { "round trips" };
        report.load = match opts.run_for {
            Some(t) => format!("{} {who} for {} min, {pace}", opts.users, t.as_secs() / 60),
            None => format!("{} {who} × {} {rounds}, {pace}", opts.users, opts.rounds),
        };
        report.latencies = people_work(&ctl, &opts, &staff).await?;
    }
    report.elapsed = started.elapsed();
    report.presses = report.latencies.len();
    if let Some(sampler) = sampler {
        sampler.abort();
        let _ = sampler.await;
        report.sizes = sizes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
    }
    if opts.shop {
        let want = opts.users * opts.rounds;
        wait_for_cards(&ctl, want).await?;
    }
    if store.backend() == larder_store::Backend::Postgres {
        // PostgreSQL publishes its counts of transactions about once a second.
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    let after = Snapshot::take(&fleet, &admins, &store).await?;
    let end = fleet.usage();
    report.database = store.backend().as_str();
    let limits = if opts.limits { "default" } else { "limits off" };
    report.config = match (opts.instances, opts.webhook) {
        (0 | 1, false) => limits.to_owned(),
        (n, false) => format!("{limits}, {n} instances"),
        (n, true) => format!(
            "{limits}, {} by webhook",
            match n {
                0 | 1 => "1 instance".to_owned(),
                n => format!("{n} instances"),
            }
        ),
    };
    report.transactions = after.transactions.saturating_sub(before.transactions)
        + after.reads.saturating_sub(before.reads);
    report.db_commits = match (after.db_commits, before.db_commits) {
        (Some(a), Some(b)) => Some(a.saturating_sub(b)),
        _ => None,
    };
    report.bot_cpu_ms = after.bot_cpu_ms.saturating_sub(before.bot_cpu_ms);
    report.refused = after.refused.saturating_sub(before.refused);
    report.harness_cpu_ms = after.harness_cpu_ms.saturating_sub(before.harness_cpu_ms);
    report.db_cpu_ms = match (after.db_cpu_ms, before.db_cpu_ms) {
        (Some(a), Some(b)) => Some(a.saturating_sub(b)),
        _ => None,
    };
    report.idle_rss_kib = idle.rss_kib;
    report.peak_rss_kib = end.peak_kib;
    report.end_rss_kib = end.rss_kib;
    let mut fleet = fleet;
    if let Some(status) = fleet.exited() {
        anyhow::bail!("larder exited ({status}): {}", fleet.log_tail(20));
    }
    fleet.stop(Duration::from_secs(10)).await;
    store.close().await;
    emulator.shutdown().await;
    Ok(report)
}

/// Counters read before and after a run.
struct Snapshot {
    refused: u64,
    harness_cpu_ms: u64,
    transactions: u64,
    reads: u64,
    db_commits: Option<u64>,
    bot_cpu_ms: u64,
    db_cpu_ms: Option<u64>,
}

impl Snapshot {
    /// Counters of every process, added up.
    async fn take(
        fleet: &Fleet,
        admins: &[String],
        store: &larder_store::Store,
    ) -> anyhow::Result<Snapshot> {
        let mut texts = Vec::new();
        for admin in admins {
            texts.push(
                reqwest::get(format!("http://{admin}/metrics"))
                    .await?
                    .text()
                    .await?,
            );
        }
        let counter = |name: &str| {
            texts
                .iter()
                .flat_map(|t| t.lines())
                .filter_map(|l| l.strip_prefix(name)?.trim().parse::<u64>().ok())
                .sum::<u64>()
        };
        let postgres = store.backend() == larder_store::Backend::Postgres;
        let db_commits = if postgres {
            let mut c = store.conn().await?;
            Some(larder_store::database_commits(&mut c).await?)
        } else {
            None
        };
        Ok(Snapshot {
            refused: counter("larder_rate_limited_total "),
            harness_cpu_ms: usage_of(std::process::id()).map_or(0, |u| u.cpu_ms),
            transactions: counter("larder_db_transactions_total "),
            reads: counter("larder_db_reads_total "),
            db_commits,
            bot_cpu_ms: fleet.usage().cpu_ms,
            db_cpu_ms: postgres.then(postgres_cpu_ms),
        })
    }
}

/// CPU time of every PostgreSQL process on this machine, ms.
fn postgres_cpu_ms() -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .filter_map(|pid| usage_of(pid).map(|u| u.cpu_ms))
        .sum()
}

/// Staff or customers working at once; every press's latency.
async fn people_work(
    ctl: &Control,
    opts: &BenchOptions,
    staff: &[i64],
) -> anyhow::Result<Vec<Duration>> {
    let mut tasks = tokio::task::JoinSet::new();
    for id in staff.iter().copied() {
        let (ctl, opts) = (ctl.clone(), opts.clone());
        tasks.spawn(async move {
            let who = people::Person {
                patience: Duration::from_secs(60),
                human: opts.pace == Pace::Human,
            };
            let mut out = Vec::new();
            // A long run goes round and round until its time is up.
            let until = opts.run_for.map(|d| Instant::now() + d);
            let more = |done: u32| match until {
                Some(t) => Instant::now() < t,
                None => done < opts.rounds,
            };
            let mut done = 0;
            if opts.shop {
                out.extend(people::register(&ctl, id, who).await?);
                while more(done) {
                    out.extend(people::order(&ctl, id, Wanted::Tomorrow, who).await?);
                    done += 1;
                }
            } else {
                while more(done) {
                    out.extend(people::staff_round(&ctl, id, who).await?);
                    done += 1;
                }
            }
            anyhow::Ok(out)
        });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.context("a user task failed")??);
    }
    Ok(latencies)
}

/// Twelve presses in a row, each as soon as the previous one is made (not
/// answered): how long each waits for its answer, and when the final
/// screen shows after the last press.
async fn burst(ctl: &Control, id: i64) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let labels = ["Products", "Menu"];
    let mut pressed = Vec::new();
    for n in 0..12 {
        let label = labels[n % 2];
        // The button on screen may still be the previous one: press by data.
        let action = match label {
            "Products" => larder_ui::Action::Desk(larder_ui::DeskAction::Products {
                archived: false,
                page: 0,
            }),
            _ => larder_ui::Action::Menu,
        };
        let t0 = Instant::now();
        let p = ctl.press_data(id, id, &action.encode(), None).await;
        pressed.push((t0, p.callback_query_id));
    }
    let last = pressed.last().map(|(t, _)| *t).unwrap_or_else(Instant::now);
    let mut answers = Vec::new();
    for (t0, query) in &pressed {
        ctl.wait_callback_answer(query, Duration::from_secs(30))
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        // The answer's arrival time, by the emulator's record of it.
        answers.push(t0.elapsed());
    }
    // The twelfth press was Menu: the final screen is the menu.
    ctl.wait_text(id, "Choose a section", Duration::from_secs(30))
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let final_screen = last.elapsed();
    Ok((answers, final_screen))
}

/// `chats` people write /start once each; the latency of each first answer.
async fn many_chats(ctl: &Control, chats: u32) -> anyhow::Result<Vec<Duration>> {
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..chats {
        let (ctl, permits) = (ctl.clone(), permits.clone());
        let id = 1_000_000 + i64::from(n);
        tasks.spawn(async move {
            let _p = permits.acquire_owned().await?;
            ctl.user(NewUser::new(id, "Guest")).await;
            let t0 = Instant::now();
            ctl.send_text(id, id, "/start").await;
            ctl.wait_text(id, "Step 1 of 4", Duration::from_secs(120))
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            anyhow::Ok(t0.elapsed())
        });
    }
    let mut out = Vec::new();
    while let Some(r) = tasks.join_next().await {
        out.push(r??);
    }
    Ok(out)
}

/// The database's size and rows every `every`, from the start.
async fn sample_sizes(
    store: &larder_store::Store,
    sqlite_file: &std::path::Path,
    every: Duration,
    out: &std::sync::Mutex<Vec<DbSize>>,
) {
    let mut tick = tokio::time::interval(every);
    let start = Instant::now();
    loop {
        tick.tick().await;
        let at_s = start.elapsed().as_secs();
        let size = async {
            let mut c = store.conn().await?;
            let bytes = if store.backend() == larder_store::Backend::Postgres {
                larder_store::database_size(&mut c).await?
            } else {
                let wal = sqlite_file.with_extension("db-wal");
                [sqlite_file, wal.as_path()]
                    .iter()
                    .filter_map(|p| std::fs::metadata(p).ok())
                    .map(|m| m.len())
                    .sum()
            };
            let inbox_rows: i64 = larder_store::inbox::total(&mut c).await?;
            let outbox_rows: i64 = larder_store::outbox::total(&mut c).await?;
            anyhow::Ok(DbSize {
                at_s,
                bytes,
                inbox_rows,
                outbox_rows,
            })
        };
        match size.await {
            Ok(s) => out
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(s),
            Err(e) => tracing::warn!(error = %e, "cannot measure the database"),
        }
    }
}

/// Every order's kitchen card arrived.
async fn wait_for_cards(ctl: &Control, want: u32) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let cards = ctl
            .chat(KITCHEN)
            .await
            .messages
            .iter()
            .filter(|m| m.text.contains("Order №"))
            .count();
        if u32::try_from(cards).unwrap_or(0) >= want {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "only {cards} of {want} kitchen cards arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
