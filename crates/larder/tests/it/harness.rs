//! Spawns the emulator and larder on random ports with a fresh database, on
//! SQLite or PostgreSQL, and offers steps that read like what a person does.

use std::time::Duration;

use fake_telegram::{ChatView, Control, NewUser};
use larder::app::Parts;
use larder::app::{Running, StartOptions};
use larder::config::{Config, Secret};
use larder_core::Clock;
use larder_runtime::SendLimits;
use larder_store::Store;

pub const OWNER: i64 = 1001;
pub const STRANGER: i64 = 6666;
pub const WAIT: Duration = Duration::from_secs(10);
/// The business time zone of every test shop (it has summer time).
pub const TIME_ZONE: &str = "Europe/Chisinau";
/// When every test starts, in [`TIME_ZONE`]: a Tuesday, mid-day, while the
/// shop is open. Tests that need another time set it ([`TestApp::set_time`]);
/// none reads the machine's clock, so the suite passes at any hour.
pub const START: &str = "2026-12-01T12:00";

/// The instant of a wall-clock time in [`TIME_ZONE`] ("2026-12-01T12:00").
pub fn local(at: &str) -> i64 {
    let tz = jiff::tz::TimeZone::get(TIME_ZONE).unwrap();
    let at: jiff::civil::DateTime = at.parse().unwrap();
    larder_core::local_ms(&tz, at).unwrap_or_else(|| panic!("{at} does not exist in {TIME_ZONE}"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    /// The time of the bot and of the emulators (one clock, shared).
    pub clock: Clock,
    pub emulator: fake_telegram::Handle,
    pub ctl: Control,
    pub config: Config,
    pub app: Option<Running>,
    /// How often old rows are pruned (default: as configured, 10 minutes).
    pub prune_every: Option<Duration>,
    parts: Parts,
    _dir: tempfile::TempDir,
}

/// Runs a test body on both backends: `on_both_backends!(name, …)` expects
/// `async fn name(app: TestApp)`, given a fresh `TestApp::new`;
/// `on_both_backends!(with setup; name, …)` gets its app from
/// `setup(db) -> Option<App>` instead (a path from the crate root).
#[macro_export]
macro_rules! on_both_backends {
    (with $setup:path; $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $setup($crate::harness::Db::Sqlite).await.expect("sqlite");
                super::$name(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $setup($crate::harness::Db::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
    ($($name:ident),* $(,)?) => {
        $crate::on_both_backends!(with $crate::harness::TestApp::new; $($name),*);
    };
}

impl TestApp {
    /// A fresh database and emulator, larder started with `OWNER` as owner.
    /// `None` only when PostgreSQL is unavailable outside CI.
    pub async fn new(db: Db) -> Option<TestApp> {
        let mut app = TestApp::unstarted(db, vec![OWNER]).await?;
        app.start().await;
        Some(app)
    }

    pub async fn unstarted(db: Db, owners: Vec<i64>) -> Option<TestApp> {
        init_logs();
        let dir = tempfile::tempdir().unwrap();
        let database_url = match db {
            Db::Sqlite => format!("sqlite://{}", dir.path().join("larder.db").display()),
            Db::Postgres => larder_testkit::postgres_database()?,
        };
        let clock = Clock::starting_at(local(START));
        let emulator = fake_telegram::spawn(fake_telegram::Config {
            rate_limits: fake_telegram::RateLimits::disabled(),
            clock: clock.clone(),
            ..fake_telegram::Config::default()
        })
        .await
        .unwrap();
        let mut config = Config {
            database_url,
            language: "en".into(),
            owner_ids: owners,
            admin_addr: "127.0.0.1:0".into(),
            shop_name: "Cheese Dairy".into(),
            country_code: "373".into(),
            timezone: TIME_ZONE.into(),
            ..Config::default()
        };
        // The original shop's rules: vacuum packing 2 per 100 g / 5 per piece,
        // delivery 20, free from 300.
        config.pricing = larder::config::Config::from_toml(
            "[[pricing.packing]]\ncode = \"vacuum\"\nname = \"Vacuum\"\nper_100g = \"2\"\nper_piece = \"5\"\n\
             [pricing.delivery]\nfee = \"20\"\nfree_from = \"300\"\n",
        )
        .expect("pricing parses")
        .pricing;
        config.telegram.token = Some(Secret::new(emulator.token()));
        config.telegram.api_url = emulator.base_url();
        config.telegram.rate_limits = SendLimits {
            enabled: false,
            ..SendLimits::default()
        };
        let ctl = emulator.control();
        ctl.user(NewUser::new(OWNER, "Olga").last_name("Owner"))
            .await;
        ctl.user(NewUser::new(STRANGER, "Mallory")).await;
        Some(TestApp {
            clock,
            emulator,
            ctl,
            config,
            app: None,
            prune_every: None,
            parts: Parts::ALL,
            _dir: dir,
        })
    }

    pub async fn start(&mut self) {
        self.start_parts(Parts::ALL).await;
    }

    pub async fn start_parts(&mut self, parts: Parts) {
        assert!(self.app.is_none(), "already running");
        let options = StartOptions {
            parts,
            poll_timeout_s: Some(1),
            clock: self.clock.clone(),
            record_every: Some(Duration::from_millis(10)),
            call_timeout: Some(Duration::from_secs(3)),
            prune_every: self.prune_every,
        };
        self.parts = parts;
        self.app = Some(
            larder::app::start(&self.config, options)
                .await
                .expect("larder starts"),
        );
    }

    /// Makes it `at` ("2026-12-01T08:00", in [`TIME_ZONE`]) for the bot and
    /// the emulators; the clock runs on from there.
    pub fn set_time(&self, at: &str) {
        self.clock.set_ms(local(at));
    }

    /// Now, unix ms, on the test's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Waits until every channel of this process has had an answer from its
    /// messenger since it started (its first poll came back).
    pub async fn heard_from_messengers(&self) {
        let addr = self.running().admin_addr.expect("admin address");
        let health = async || -> serde_json::Value {
            reqwest::get(format!("http://{addr}/healthz"))
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        };
        polled(health, |h| {
            let channels = h["channels"].as_object().cloned().unwrap_or_default();
            !channels.is_empty() && channels.values().all(|c| !c["last_heard_s_ago"].is_null())
        })
        .await;
    }

    /// What `/metrics` says now.
    pub async fn metrics(&self) -> String {
        let addr = self.running().admin_addr.expect("admin address");
        reqwest::get(format!("http://{addr}/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub fn running(&self) -> &Running {
        self.app.as_ref().expect("running")
    }

    pub fn store(&self) -> &Store {
        &self.running().store
    }

    /// A graceful stop (as on Ctrl-C).
    pub async fn stop(&mut self) {
        if let Some(app) = self.app.take() {
            app.shutdown().await;
        }
    }

    /// Stops at once, as if the process were killed.
    pub async fn kill(&mut self) {
        if let Some(app) = self.app.take() {
            app.abort().await;
        }
    }

    // --- what a person does -------------------------------------------------

    /// Sends text as a person; while the bot runs, waits until it is handled
    /// and its effects are on screen (a person answers what they see).
    pub async fn say(&self, from: i64, text: &str) {
        let sent = self.ctl.send_text(from, from, text).await;
        self.handled(sent.update_id).await;
    }

    /// Presses a button of the desk (the pinned message) by its label, waits
    /// until the press is answered and its effects are on screen.
    pub async fn press(&self, from: i64, label: &str) {
        let pressed = self
            .ctl
            .press_button(from, from, label)
            .await
            .unwrap_or_else(|e| panic!("press {label:?}: {e:?}"));
        self.ctl
            .wait_callback_answer(&pressed.callback_query_id, WAIT)
            .await
            .unwrap_or_else(|e| panic!("press {label:?} not answered: {e:?}"));
        self.handled(pressed.update_id).await;
    }

    /// Presses a button and returns how the press was answered (the toast).
    pub async fn toast(&self, from: i64, label: &str) -> fake_telegram::CallbackAnswer {
        self.press_in(from, from, label).await
    }

    /// Says something in another chat (a group), as `from`.
    pub async fn say_in(&self, chat: i64, from: i64, text: &str) {
        let sent = self.ctl.send_text(chat, from, text).await;
        self.handled(sent.update_id).await;
    }

    /// Presses a button in another chat (a group card, a private card) as
    /// `from`; returns the answer once its effects are on screen.
    pub async fn press_in(
        &self,
        chat: i64,
        from: i64,
        label: &str,
    ) -> fake_telegram::CallbackAnswer {
        let pressed = self
            .ctl
            .press_button(chat, from, label)
            .await
            .unwrap_or_else(|e| panic!("press {label:?} in {chat}: {e:?}"));
        let answer = self
            .ctl
            .wait_callback_answer(&pressed.callback_query_id, WAIT)
            .await
            .unwrap_or_else(|e| panic!("press {label:?} not answered: {e:?}"));
        self.handled(pressed.update_id).await;
        answer
    }

    /// Presses a button carrying `action` (forged or stale: it need not be
    /// on screen) and waits for the answer and the handling.
    pub async fn press_action(
        &self,
        chat: i64,
        from: i64,
        action: &larder_ui::Action,
    ) -> fake_telegram::CallbackAnswer {
        let pressed = self
            .ctl
            .press_data(chat, from, &action.encode(), None)
            .await;
        let answer = self
            .ctl
            .wait_callback_answer(&pressed.callback_query_id, WAIT)
            .await
            .unwrap_or_else(|e| panic!("{action:?} not answered: {e:?}"));
        self.handled(pressed.update_id).await;
        answer
    }

    /// Waits until the update is handled and what it queued is sent.
    pub async fn handled(&self, update_id: i64) {
        if self.app.is_none() || !self.parts.handle {
            return;
        }
        self.handled_alone(update_id).await;
        self.settled().await;
    }

    /// Waits until the update is handled, whatever else is still going on
    /// (for many people acting at once).
    pub async fn handled_alone(&self, update_id: i64) {
        if self.app.is_none() || !self.parts.handle {
            return;
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let status = {
                let mut conn = self.store().conn().await.unwrap();
                larder_store::inbox::status(&mut conn, larder_store::Channel::Telegram, update_id)
                    .await
                    .unwrap()
            };
            if matches!(status.as_deref(), Some("done" | "failed")) {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "update {update_id} never handled ({status:?})"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until some message of the chat shows `text`.
    pub async fn sees(&self, chat: i64, text: &str) -> ChatView {
        match self.ctl.wait_text(chat, text, WAIT).await {
            Ok(view) => view,
            Err(_) => panic!(
                "chat {chat} never showed {text:?}; it shows {:#?}",
                self.texts(chat).await
            ),
        }
    }

    /// Waits until the pinned desk shows `text`.
    pub async fn desk_shows(&self, chat: i64, text: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let view = self.ctl.chat(chat).await;
            if let Some(desk) = view.pinned()
                && desk.text.contains(text)
            {
                return desk.text.clone();
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "desk of {chat} never showed {text:?}; chat: {:#?}",
                    self.texts(chat).await
                );
            }
            self.ctl
                .wait_text(chat, text, Duration::from_millis(300))
                .await
                .ok();
        }
    }

    pub async fn desk_text(&self, chat: i64) -> String {
        self.ctl
            .chat(chat)
            .await
            .pinned()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    pub async fn texts(&self, chat: i64) -> Vec<String> {
        self.ctl
            .try_chat(chat)
            .await
            .map(|c| c.messages.iter().map(|m| m.text.clone()).collect())
            .unwrap_or_default()
    }

    /// Waits until the bot has nothing left to send.
    pub async fn settled(&self) {
        if !self.parts.send {
            return;
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let pending = {
                let mut conn = self.store().conn().await.unwrap();
                larder_store::outbox::count(&mut conn, "pending")
                    .await
                    .unwrap()
                    + larder_store::inbox::count(&mut conn, "pending")
                        .await
                        .unwrap()
            };
            if pending == 0 {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let mut conn = self.store().conn().await.unwrap();
                let inbox =
                    larder_store::inbox::pending(&mut conn, larder_store::Channel::Telegram, 10)
                        .await
                        .unwrap();
                let mut outbox = Vec::new();
                for channel in [larder_store::Channel::Telegram, larder_store::Channel::Vk] {
                    outbox.extend(
                        larder_store::outbox::pending(&mut conn, channel, 0, 10)
                            .await
                            .unwrap(),
                    );
                }
                panic!("the bot never settled: inbox {inbox:#?}, outbox {outbox:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Opens the desk and creates a product by pressing and typing.
    pub async fn create_product(&self, name: &str, by_weight: bool, price: &str) {
        if !self.desk_text(OWNER).await.contains("Choose a section") {
            self.press(OWNER, "Menu").await;
        }
        self.press(OWNER, "Products").await;
        self.press(OWNER, "Add product").await;
        self.desk_shows(OWNER, "Send the product name").await;
        self.say(OWNER, name).await;
        self.desk_shows(OWNER, "How is it sold?").await;
        self.press(
            OWNER,
            if by_weight {
                "By weight"
            } else {
                "By the piece"
            },
        )
        .await;
        self.desk_shows(OWNER, "Send the price").await;
        self.say(OWNER, price).await;
        self.desk_shows(OWNER, "Check and save").await;
        self.press(OWNER, "Save").await;
        self.desk_shows(OWNER, "Price:").await;
    }

    /// Adds products straight to the catalog: (name, by weight, price in minor units).
    pub async fn seed_products(&self, items: &[(&str, bool, i64)]) {
        let mut tx = self.store().begin().await.unwrap();
        for (name, by_weight, price) in items {
            let name = larder_core::ProductName::parse(name).unwrap();
            let unit = if *by_weight {
                larder_core::Unit::Kg
            } else {
                larder_core::Unit::Piece
            };
            larder_store::products::insert(
                &mut tx,
                &name,
                unit,
                larder_core::Money::from_minor(*price),
                1,
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }

    /// Presses, then types, then waits for the desk to show `expect`.
    pub async fn press_type(&self, from: i64, label: &str, text: &str, expect: &str) -> String {
        self.press(from, label).await;
        self.say(from, text).await;
        self.desk_shows(from, expect).await
    }

    pub async fn product_names(&self) -> Vec<(String, bool, i64)> {
        let mut conn = self.store().conn().await.unwrap();
        let mut all = larder_store::products::page(&mut conn, false, 0, 100)
            .await
            .unwrap();
        all.extend(
            larder_store::products::page(&mut conn, true, 0, 100)
                .await
                .unwrap(),
        );
        all.into_iter()
            .map(|p| (p.name, p.archived, p.price.minor()))
            .collect()
    }
}

/// Logs in test output when `RUST_LOG` is set (e.g. `RUST_LOG=debug`).
fn init_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
    }
}

/// What `probe` returns once `done` holds of it, looked at again every 20 ms
/// for up to [`WAIT`]; past that the test fails, showing the last value.
pub async fn polled<T: std::fmt::Debug>(
    mut probe: impl AsyncFnMut() -> T,
    done: impl Fn(&T) -> bool,
) -> T {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let value = probe().await;
        if done(&value) {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still not there: {value:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
