//! Wiring: open and migrate the database, settle who owns the desk, start
//! the delivery runtime with the Telegram and VK channels, their listeners
//! and the admin endpoints.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use larder_core::{Clock, Role, TgUserId};
use larder_runtime::{Deps, Metrics, Runtime, RuntimeConfig};
use larder_store::{Store, staff};
use larder_telegram::{Telegram, TelegramConfig};
use larder_ui::{I18n, UiConfig};

use crate::config::Config;

/// Which parts to run; tests run some alone to simulate a crash between
/// receiving updates and handling them, or sending being down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    pub listen: bool,
    pub handle: bool,
    pub send: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        listen: true,
        handle: true,
        send: true,
    };
}

/// How to start.
#[derive(Clone, Debug)]
pub struct StartOptions {
    pub parts: Parts,
    /// Answer deadline for presses and poll timeout, shortened in tests.
    pub poll_timeout_s: Option<u32>,
    /// What time it is: the system clock, or one set by a test or the demo.
    pub clock: Clock,
    /// How often outcomes of repeatable calls are written (tests shorten it
    /// so the outbox they read is up to date at once).
    pub record_every: Option<Duration>,
    /// How long a Bot API call may take (tests shorten it to test timeouts).
    pub call_timeout: Option<Duration>,
    /// How often old rows are pruned (tests shorten it).
    pub prune_every: Option<Duration>,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            parts: Parts::ALL,
            poll_timeout_s: None,
            clock: Clock::system(),
            record_every: None,
            call_timeout: None,
            prune_every: None,
        }
    }
}

/// A running larder.
pub struct Running {
    pub store: Store,
    pub metrics: Arc<Metrics>,
    /// Printed to the log while the desk has no owner.
    pub setup_code: Option<String>,
    pub admin_addr: Option<SocketAddr>,
    runtime: Runtime,
    telegram: Option<larder_runtime::Listener>,
    vk: Option<larder_runtime::Listener>,
    admin: Option<tokio::task::JoinHandle<()>>,
    /// On SQLite: this process's hold on the database (one process at a time).
    _sole: Option<std::fs::File>,
}

/// SQLite serves one process: a lock on `<database>.lock`, held while
/// larder runs, makes a second `larder run` on the same file stop at once.
pub fn hold_sqlite(url: &str) -> anyhow::Result<Option<std::fs::File>> {
    let Some(path) = larder_store::sqlite_path(url) else {
        return Ok(None);
    };
    let lock = std::path::PathBuf::from(format!("{}.lock", path.display()));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .with_context(|| format!("cannot open {}", lock.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another larder is already running on {}: SQLite serves one process (stop the other, or use PostgreSQL for several instances)",
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", lock.display()))
        }
    }
}

/// Opens the database named in the config and applies migrations.
pub async fn open_store(config: &Config, clock: &Clock) -> anyhow::Result<Store> {
    let shown = crate::config::redact_url(&config.database_url);
    let store = Store::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database {shown}"))?;
    let applied = store
        .migrate(clock.now_ms())
        .await
        .with_context(|| format!("cannot migrate the database {shown}"))?;
    if !applied.is_empty() {
        tracing::info!(
            ?applied,
            backend = store.backend().as_str(),
            "migrations applied"
        );
    }
    Ok(store)
}

pub async fn start(config: &Config, options: StartOptions) -> anyhow::Result<Running> {
    let vk_config = if config.vk.configured() {
        Some(config.vk_config()?)
    } else {
        None
    };
    let telegram_on = config
        .telegram
        .token
        .as_ref()
        .is_some_and(|t| !t.is_empty());
    if !telegram_on && vk_config.is_none() {
        anyhow::bail!(
            "nothing to serve: set LARDER_TELEGRAM_TOKEN (from @BotFather) for Telegram, and/or LARDER_VK_TOKEN with LARDER_VK_GROUP_ID for VK"
        );
    }
    let token = config
        .telegram
        .token
        .as_ref()
        .map(|t| t.expose().to_owned())
        .unwrap_or_default();
    let clock = options.clock.clone();
    let sole = hold_sqlite(&config.database_url)?;
    let store = open_store(config, &clock).await?;
    let setup_code = settle_owners(&store, &config.owner_ids, clock.now_ms()).await?;
    let i18n = Arc::new(I18n::new(&config.language)?);
    let mut telegram = TelegramConfig::new(token, config.telegram.api_url.clone());
    telegram.limits = config.telegram.rate_limits.clone();
    telegram.poll_timeout_s = options
        .poll_timeout_s
        .unwrap_or(config.telegram.poll_timeout_s);
    let telegram_poll_timeout = telegram.poll_timeout_s.max(config.vk.wait_s);
    if let Some(t) = options.call_timeout {
        telegram.call_timeout = t;
    }
    telegram.webhook = config.webhook()?;
    let telegram = if telegram_on {
        Some(Telegram::new(telegram)?)
    } else {
        None
    };
    let bot_username = match &telegram {
        Some(t) => t.bot_username().await?,
        None => None,
    };
    let ui = Arc::new(UiConfig {
        currency: config.currency()?,
        limits: config.limits,
        timezone: config.timezone()?,
        pricing: config.pricing()?,
        country_code: config.country_code.clone(),
        shop_name: config.shop_name.clone(),
        bot_username: bot_username.clone(),
        shop_enabled: config.shop.enabled,
        email_required: config.shop.email_required,
        shop: config.shop.rules()?,
        ..UiConfig::default()
    });
    let metrics = Arc::new(Metrics::default());
    let health = Arc::new(larder_runtime::health::Health::default());
    let deps = Deps {
        store: store.clone(),
        i18n,
        ui,
        metrics: metrics.clone(),
        setup_code: setup_code.clone(),
        clock: clock.clone(),
        health: health.clone(),
    };
    let (admin, admin_addr) = if config.admin_addr.is_empty() {
        (None, None)
    } else {
        let (handle, addr) = crate::admin::serve(
            &config.admin_addr,
            crate::admin::Watched {
                store: store.clone(),
                metrics: metrics.clone(),
                health,
                clock,
                poll_timeout_s: telegram_poll_timeout,
            },
        )
        .await?;
        (Some(handle), Some(addr))
    };
    let handlers = match (config.delivery.handlers, store.backend()) {
        (0, larder_store::Backend::Sqlite) => 4,
        (0, larder_store::Backend::Postgres) => 8,
        (n, _) => usize::try_from(n).unwrap_or(4),
    };
    let keep = config.retention.keep()?;
    let runtime_config = RuntimeConfig {
        delivery_deadline: Duration::from_secs(u64::from(config.delivery.deadline_hours) * 3600),
        handlers,
        handle: options.parts.handle,
        send: options.parts.send,
        record_every: options
            .record_every
            .unwrap_or(RuntimeConfig::default().record_every),
        keep,
        // A tenth of the retention, between half a minute and ten minutes.
        prune_every: options.prune_every.unwrap_or_else(|| {
            (keep / 10).clamp(
                Duration::from_secs(30),
                RuntimeConfig::default().prune_every,
            )
        }),
        ..RuntimeConfig::default()
    };
    let vk = match vk_config {
        Some(c) => Some(larder_vk::Vk::new(c)?),
        None => None,
    };
    let mut builder = Runtime::builder(deps, runtime_config);
    if let Some(t) = &telegram {
        builder = builder.channel(t.setup(bot_username));
    }
    if let Some(v) = &vk {
        builder = builder.channel(v.setup(store.clone()));
    }
    let runtime = builder.start().await;
    let listen = options.parts.listen;
    let telegram = match telegram.filter(|_| listen) {
        Some(t) => match t.listen(runtime.handle()).await {
            Ok(l) => Some(l),
            Err(e) => {
                runtime.shutdown(std::time::Duration::from_secs(5)).await;
                return Err(e.into());
            }
        },
        None => None,
    };
    let vk = vk.filter(|_| listen).map(|v| v.listen(runtime.handle()));
    let active = match (telegram_on, vk.is_some()) {
        (true, true) => "Telegram (order desk, staff groups, shop) and VK (shop)",
        (true, false) => "Telegram (order desk, staff groups, shop); VK is off",
        _ => "VK (shop) only; Telegram is off, so staff cannot work the orders",
    };
    tracing::info!(
        backend = store.backend().as_str(),
        admin = ?admin_addr,
        "larder is running: {active}"
    );
    Ok(Running {
        store,
        metrics,
        setup_code,
        admin_addr,
        runtime,
        telegram,
        vk,
        admin,
        _sole: sole,
    })
}

/// Grants the configured owners; with no owner at all, makes a one-time
/// setup code and logs it (`/start CODE` claims the desk).
async fn settle_owners(
    store: &Store,
    owner_ids: &[i64],
    now: i64,
) -> anyhow::Result<Option<String>> {
    let mut tx = store.begin().await?;
    for id in owner_ids {
        staff::grant(&mut tx, TgUserId::new(*id), Role::Owner, "owner", None, now).await?;
    }
    let owners = staff::count_with_role(&mut tx, Role::Owner).await?;
    tx.commit().await?;
    if owners > 0 {
        return Ok(None);
    }
    let code = setup_code();
    tracing::warn!(
        setup_code = %code,
        "the desk has no owner yet: send /start {code} to the bot from your Telegram account to become the owner"
    );
    Ok(Some(code))
}

/// Ten characters from an unambiguous alphabet, seeded by the OS through
/// std's randomly keyed hasher.
fn setup_code() -> String {
    use std::hash::{BuildHasher, Hasher};
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::new();
    for round in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(round);
        let mut bits = h.finish();
        for _ in 0..5 {
            out.push(char::from(
                ALPHABET[usize::try_from(bits % 32).unwrap_or(0)],
            ));
            bits /= 32;
        }
    }
    out
}

impl Running {
    /// Stops gracefully: running work finishes, nothing new is taken.
    pub async fn shutdown(self) {
        let grace = Duration::from_secs(10);
        if let Some(vk) = self.vk {
            vk.shutdown(grace).await;
        }
        if let Some(telegram) = self.telegram {
            telegram.shutdown(grace).await;
        }
        self.runtime.shutdown(grace).await;
        if let Some(a) = self.admin {
            a.abort();
        }
        self.store.close().await;
    }

    /// Stops at once, as a killed process would.
    pub async fn abort(self) {
        if let Some(vk) = self.vk {
            vk.abort().await;
        }
        if let Some(telegram) = self.telegram {
            telegram.abort().await;
        }
        self.runtime.abort().await;
        if let Some(a) = self.admin {
            a.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn setup_codes_are_ten_unambiguous_characters_and_differ() {
        let a = super::setup_code();
        let b = super::setup_code();
        assert_eq!(a.len(), 10);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        );
        assert!(!a.contains(['O', '0', 'I', '1']));
        assert_ne!(a, b);
    }
}
