//! `larder chaos`: larder as a separate process (or several on one
//! PostgreSQL database), killed (`kill -9`) at random moments while
//! customers check out and the kitchen accepts their orders, then
//! restarted — again and again. With several processes every other kill
//! takes the one leading Telegram (polling it or registering its webhook,
//! and sending); `webhook` puts a round-robin balancer in front of them and
//! has Telegram deliver by webhook. At the end every confirmed
//! order must exist once, every order's kitchen card and every customer's
//! news must have arrived, and a message may only have been shown twice
//! where a kill cut a call whose effect Telegram had already made (a lost
//! response).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use fake_telegram::{Control, NewUser};

use crate::config::{Config, Secret};
use crate::fleet::{Fleet, leader_of};
use crate::people::{self, Wanted};

/// What to run.
#[derive(Clone, Debug)]
pub struct ChaosOptions {
    /// The larder binary to run as the child.
    pub binary: PathBuf,
    pub customers: u32,
    pub kills: u32,
    /// Processes sharing the database (more than one: PostgreSQL only).
    pub instances: u32,
    /// Telegram delivers by webhook, through a round-robin balancer in
    /// front of the processes (instead of one of them polling).
    pub webhook: bool,
    /// Customers ordering at once.
    pub at_once: usize,
    /// Database (default: a fresh SQLite file).
    pub database_url: Option<String>,
    /// Kills come every `min..max` milliseconds.
    pub kill_every_ms: (u64, u64),
    /// Seed of the pauses between kills (a failing run can be repeated).
    pub seed: u64,
}

/// What happened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChaosReport {
    pub customers: u32,
    pub instances: u32,
    pub webhook: bool,
    pub kills: u32,
    /// Kills of the process that led Telegram at that moment.
    pub leader_kills: u32,
    /// Orders the customers saw confirmed.
    pub confirmed: i64,
    /// Orders in the database.
    pub orders: i64,
    /// Orders beyond those confirmed (must be 0).
    pub doubled_orders: i64,
    /// Orders whose kitchen card never arrived (must be 0).
    pub missing_cards: usize,
    /// Kitchen cards shown more than once for one order.
    pub duplicate_cards: usize,
    /// Accepted orders whose customer never heard of it (must be 0).
    pub customers_not_told: usize,
    /// "Kitchen has started" messages beyond one per order.
    pub duplicate_news: usize,
    /// Messages shown twice without a kill between the two sends (must be
    /// 0: a repeat is only allowed where a kill cut a call Telegram made).
    pub unexplained_duplicates: usize,
    /// Updates or calls still waiting at the end (must be 0).
    pub left_waiting: i64,
}

impl ChaosReport {
    /// Whether everything arrived once, duplicates aside.
    pub fn nothing_lost(&self) -> bool {
        self.orders == self.confirmed
            && self.confirmed >= i64::from(self.customers)
            && self.doubled_orders == 0
            && self.missing_cards == 0
            && self.customers_not_told == 0
            && self.left_waiting == 0
            && self.unexplained_duplicates == 0
    }

    pub fn line(&self) -> String {
        format!(
            "{} customers, {} instance(s){}, {} kills ({} of the leader): {} orders confirmed, {} stored ({} doubled), cards missing {} / shown twice {}, customers not told {} / told twice {}, repeats without a kill {}, left waiting {}",
            self.customers,
            self.instances,
            if self.webhook { " by webhook" } else { "" },
            self.kills,
            self.leader_kills,
            self.confirmed,
            self.orders,
            self.doubled_orders,
            self.missing_cards,
            self.duplicate_cards,
            self.customers_not_told,
            self.duplicate_news,
            self.unexplained_duplicates,
            self.left_waiting
        )
    }
}

const OWNER: i64 = 9_001;
const KITCHEN: i64 = -9_100;
const FIRST_CUSTOMER: i64 = 20_000;

/// A small deterministic generator for the pauses between kills.
struct Pauses(u64);

impl Pauses {
    fn next(&mut self, (min, max): (u64, u64)) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Duration::from_millis(min + self.0 % (max.saturating_sub(min).max(1)))
    }

    /// One of `n`.
    fn pick(&mut self, n: usize) -> usize {
        let ms = self.next((0, u64::try_from(n).unwrap_or(1)));
        usize::try_from(ms.as_millis()).unwrap_or(0)
    }
}

pub async fn run(opts: ChaosOptions) -> anyhow::Result<ChaosReport> {
    let emulator = fake_telegram::spawn(fake_telegram::Config {
        rate_limits: fake_telegram::RateLimits::disabled(),
        ..fake_telegram::Config::default()
    })
    .await
    .context("cannot start the emulator")?;
    let dir = tempfile::tempdir()?;
    let mut config = Config {
        database_url: opts
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("chaos.db").display())),
        language: "en".into(),
        owner_ids: vec![OWNER],
        admin_addr: String::new(),
        ..Config::default()
    };
    config.shop.enabled = true;
    config.telegram.token = Some(Secret::new(emulator.token()));
    config.telegram.api_url = emulator.base_url();
    config.telegram.poll_timeout_s = 1;
    config.telegram.rate_limits.enabled = false;
    let clock = larder_core::Clock::system();
    let store = crate::app::open_store(&config, &clock).await?;
    crate::seed::demo_catalog(&store, clock.now_ms()).await?;
    let ctl = emulator.control();
    ctl.user(NewUser::new(OWNER, "Olga")).await;
    ctl.group(KITCHEN, "Kitchen", &[OWNER]).await;
    let fleet = Fleet::start(
        &opts.binary,
        &config,
        dir.path(),
        opts.instances,
        opts.webhook,
    )
    .await?;
    fleet.wait_receiving(&ctl).await?;
    let admins = fleet.admins();
    let child = Arc::new(Mutex::new(fleet));
    ctl.send_text(KITCHEN, OWNER, "/bind kitchen").await;
    ctl.wait_text(KITCHEN, "This group is now", Duration::from_secs(30))
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;

    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let killed_at = Arc::new(Mutex::new(Vec::new()));
    let killer = {
        let (child, done, every) = (child.clone(), done.clone(), opts.kill_every_ms);
        let (ctl, killed_at) = (ctl.clone(), killed_at.clone());
        let mut pauses = Pauses(opts.seed.max(1));
        let (kills, instances) = (opts.kills, opts.instances.max(1) as usize);
        tokio::spawn(async move {
            let (mut made, mut leader_kills) = (0, 0);
            while made < kills && !done.load(std::sync::atomic::Ordering::SeqCst) {
                tokio::time::sleep(pauses.next(every)).await;
                // Every other kill takes the leader (the only one there is
                // with one process); the others one at random.
                let leader = leader_of(&admins).await;
                let victim = match leader {
                    Some(p) if made % 2 == 0 => p,
                    _ => pauses.pick(instances),
                };
                if instances == 1 || leader == Some(victim) {
                    leader_kills += 1;
                }
                let at = ctl.now_ms().await;
                killed_at
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(at);
                made += 1;
                if let Err(e) = lock(&child).kill_and_restart(victim) {
                    tracing::error!(error = %e, "cannot restart larder");
                }
            }
            (made, leader_kills)
        })
    };
    let kitchen = {
        let (ctl, done) = (ctl.clone(), done.clone());
        tokio::spawn(async move { accept_orders(&ctl, &done).await })
    };
    // Customers keep ordering until every kill is made.
    let kills_made = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut customers = tokio::task::JoinSet::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(opts.at_once.max(1)));
    for n in 0..opts.customers {
        let (ctl, permits, kills_made) = (ctl.clone(), permits.clone(), kills_made.clone());
        let id = FIRST_CUSTOMER + i64::from(n);
        customers.spawn(async move {
            let _permit = permits.acquire_owned().await?;
            let who = people::Person::flat(Duration::from_secs(5));
            people::register(&ctl, id, who).await?;
            let mut confirmed = 0i64;
            loop {
                people::order(&ctl, id, Wanted::Tomorrow, who).await?;
                confirmed += 1;
                if kills_made.load(std::sync::atomic::Ordering::SeqCst) {
                    return anyhow::Ok(confirmed);
                }
            }
        });
    }
    let (kills, leader_kills) = killer.await?;
    kills_made.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut failed = Vec::new();
    let mut confirmed = 0;
    while let Some(r) = customers.join_next().await {
        match r.context("a customer task")? {
            Ok(n) => confirmed += n,
            Err(e) => failed.push(e.to_string()),
        }
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    // The last orders are accepted too, then everything settles.
    let accepted = kitchen.await??;
    if let Some(status) = lock(&child).exited() {
        anyhow::bail!(
            "larder exited by itself ({status}): {}",
            lock(&child).log_tail(20)
        );
    }
    anyhow::ensure!(
        failed.is_empty(),
        "{} customers could not finish: {:?}\n{}",
        failed.len(),
        &failed[..failed.len().min(3)],
        lock(&child).log_tail(20)
    );
    let killed_at = killed_at
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let run = Run {
        customers: opts.customers,
        instances: opts.instances.max(1),
        webhook: opts.webhook,
        kills,
        leader_kills,
        confirmed,
        accepted,
        killed_at,
    };
    let report = verify(&ctl, &store, run).await?;
    let fleet = Arc::try_unwrap(child)
        .map_err(|_| anyhow::anyhow!("the processes are still shared"))?
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    fleet.stop(Duration::from_secs(10)).await;
    store.close().await;
    emulator.shutdown().await;
    Ok(report)
}

fn lock(fleet: &Arc<Mutex<Fleet>>) -> std::sync::MutexGuard<'_, Fleet> {
    fleet
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The owner accepts each new order in the kitchen group until `done`;
/// returns the order numbers accepted.
async fn accept_orders(
    ctl: &Control,
    done: &std::sync::atomic::AtomicBool,
) -> anyhow::Result<Vec<String>> {
    let mut accepted = Vec::new();
    loop {
        let finishing = done.load(std::sync::atomic::Ordering::SeqCst);
        let chat = ctl.chat(KITCHEN).await;
        let waiting: Vec<(i64, String)> = chat
            .messages
            .iter()
            .filter(|m| m.from_bot && m.labels().iter().any(|l| l.contains("Accept")))
            .filter_map(|m| Some((m.message_id, order_number(&m.text)?)))
            .filter(|(_, n)| !accepted.contains(n))
            .collect();
        for (message_id, number) in waiting {
            if ctl
                .press_button_on(KITCHEN, OWNER, "Accept", message_id)
                .await
                .is_ok()
            {
                accepted.push(number);
            }
        }
        if finishing {
            return Ok(accepted);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// "Order №12" → "12".
fn order_number(text: &str) -> Option<String> {
    let rest = text.split("Order №").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// What the run did, to check against what arrived.
struct Run {
    customers: u32,
    instances: u32,
    webhook: bool,
    kills: u32,
    leader_kills: u32,
    confirmed: i64,
    accepted: Vec<String>,
    /// When each kill came (emulator clock, ms).
    killed_at: Vec<i64>,
}

/// How long after a kill a request the dead process had sent may still
/// reach the emulator.
const IN_FLIGHT_MS: i64 = 500;

/// Whether every repeat of a message was sent after a kill that came
/// after the previous copy (the copies' message ids, in `chat`).
fn explained(
    requests: &[fake_telegram::RequestLog],
    chat: i64,
    copies: &[i64],
    killed_at: &[i64],
) -> bool {
    let sent_at = |id: i64| {
        requests
            .iter()
            .find(|r| {
                matches!(r.method.as_str(), "sendMessage" | "sendPhoto")
                    && r.chat_id == Some(chat)
                    && r.message_id == Some(id)
            })
            .map(|r| r.at_ms)
    };
    copies
        .windows(2)
        .all(|pair| match (sent_at(pair[0]), sent_at(pair[1])) {
            // A request already on its way when the process died may reach
            // the emulator a moment after the kill.
            (Some(first), Some(again)) => killed_at
                .iter()
                .any(|k| first <= *k + IN_FLIGHT_MS && *k <= again),
            _ => false,
        })
}

async fn verify(
    ctl: &Control,
    store: &larder_store::Store,
    run: Run,
) -> anyhow::Result<ChaosReport> {
    let Run {
        customers,
        instances,
        webhook,
        kills,
        leader_kills,
        confirmed,
        accepted,
        killed_at,
    } = run;
    let requests = ctl.requests().await;
    let mut unexplained = 0;
    // Waiting: updates Telegram has not handed over yet, and rows stored
    // but not handled or sent.
    let waiting = || async {
        let bots = ctl.bots().await;
        let undelivered = bots[0]["pending_updates"].as_i64().unwrap_or(0);
        let mut c = store.conn().await?;
        anyhow::Ok(
            undelivered
                + larder_store::inbox::count(&mut c, "pending").await?
                + larder_store::outbox::count(&mut c, "pending").await?,
        )
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut left = waiting().await?;
    while left > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        left = waiting().await?;
    }
    let mut c = store.conn().await?;
    let placed = larder_store::shop::placed_by_account(&mut c).await?;
    let orders = i64::try_from(placed.len()).unwrap_or(i64::MAX);
    let doubled = (orders - confirmed).max(0);
    // Cards in the kitchen: one per order.
    let kitchen = ctl.chat(KITCHEN).await;
    let mut cards: HashMap<String, Vec<i64>> = HashMap::new();
    for m in kitchen.messages.iter().filter(|m| m.from_bot) {
        if let Some(n) = order_number(&m.text) {
            cards.entry(n).or_default().push(m.message_id);
        }
    }
    for copies in cards.values() {
        if copies.len() > 1 && !explained(&requests, KITCHEN, copies, &killed_at) {
            unexplained += 1;
        }
    }
    let missing_cards = placed
        .iter()
        .filter(|(n, _)| !cards.contains_key(&n.to_string()))
        .count();
    let duplicate_cards = cards.values().map(|n| n.len().saturating_sub(1)).sum();
    // Customers of accepted orders heard that the kitchen started, once.
    let mut not_told = 0;
    let mut told_twice = 0;
    for (number, user) in placed {
        if !accepted.contains(&number.to_string()) {
            continue;
        }
        let chat = ctl.chat(user).await;
        let told: Vec<i64> = chat
            .messages
            .iter()
            .filter(|m| {
                m.text.contains("the kitchen has started")
                    && order_number(&m.text).as_deref() == Some(number.to_string().as_str())
            })
            .map(|m| m.message_id)
            .collect();
        if told.is_empty() {
            not_told += 1;
        }
        if told.len() > 1 && !explained(&requests, user, &told, &killed_at) {
            unexplained += 1;
        }
        told_twice += told.len().saturating_sub(1);
    }
    Ok(ChaosReport {
        customers,
        instances,
        webhook,
        kills,
        leader_kills,
        confirmed,
        orders,
        doubled_orders: doubled,
        missing_cards,
        duplicate_cards,
        customers_not_told: not_told,
        duplicate_news: told_twice,
        unexplained_duplicates: unexplained,
        left_waiting: left,
    })
}
