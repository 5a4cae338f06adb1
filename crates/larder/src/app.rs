//! Wiring: open and migrate the database, settle who owns the desk, start
//! the Telegram adapter and the admin endpoints.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use larder_core::{Clock, Role, TgUserId};
use larder_store::{Store, staff};
use larder_telegram::{Deps, Metrics, Parts, Service, TelegramConfig};
use larder_ui::{I18n, UiConfig};

use crate::config::Config;

/// How to start.
#[derive(Clone, Debug)]
pub struct StartOptions {
    pub parts: Parts,
    /// Answer deadline for presses and poll timeout, shortened in tests.
    pub poll_timeout_s: Option<u32>,
    /// What time it is: the system clock, or one set by a test or the demo.
    pub clock: Clock,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            parts: Parts::ALL,
            poll_timeout_s: None,
            clock: Clock::system(),
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
    service: Option<Service>,
    vk: Option<larder_vk::Service>,
    admin: Option<tokio::task::JoinHandle<()>>,
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
    let store = open_store(config, &clock).await?;
    let setup_code = settle_owners(&store, &config.owner_ids, clock.now_ms()).await?;
    let i18n = Arc::new(I18n::new(&config.language)?);
    let mut telegram = TelegramConfig::new(token, config.telegram.api_url.clone());
    telegram.limits = config.telegram.rate_limits.clone();
    telegram.poll_timeout_s = options
        .poll_timeout_s
        .unwrap_or(config.telegram.poll_timeout_s);
    let ui = Arc::new(UiConfig {
        currency: config.currency()?,
        limits: config.limits,
        timezone: config.timezone()?,
        pricing: config.pricing()?,
        country_code: config.country_code.clone(),
        shop_name: config.shop_name.clone(),
        bot_username: if telegram_on {
            larder_telegram::bot_username(&telegram).await?
        } else {
            None
        },
        shop_enabled: config.shop.enabled,
        email_required: config.shop.email_required,
        shop: config.shop.rules()?,
        ..UiConfig::default()
    });
    let metrics = Arc::new(Metrics::default());
    let deps = Deps {
        store: store.clone(),
        i18n,
        ui,
        metrics: metrics.clone(),
        setup_code: setup_code.clone(),
        clock,
    };
    let (admin, admin_addr) = if config.admin_addr.is_empty() {
        (None, None)
    } else {
        let (handle, addr) =
            crate::admin::serve(&config.admin_addr, store.clone(), metrics.clone()).await?;
        (Some(handle), Some(addr))
    };
    let vk = match vk_config {
        Some(c) => Some(larder_vk::Service::spawn(deps.clone(), c)?),
        None => None,
    };
    let service = if telegram_on {
        Some(Service::spawn(deps, telegram, options.parts)?)
    } else {
        None
    };
    let active = match (service.is_some(), vk.is_some()) {
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
        service,
        vk,
        admin,
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
        if let Some(vk) = self.vk {
            vk.shutdown(Duration::from_secs(10)).await;
        }
        if let Some(service) = self.service {
            service.shutdown(Duration::from_secs(10)).await;
        }
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
        if let Some(service) = self.service {
            service.abort().await;
        }
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
