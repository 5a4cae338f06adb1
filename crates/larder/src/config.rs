//! Configuration: `larder.toml` (optional) overlaid by `LARDER_*` environment
//! variables, validated once into a typed [`Config`] that is passed down.
//! Secrets are wrapped so that `Debug` and `larder config` never show them.

use std::path::Path;

use anyhow::{Context, bail};
use larder_core::{Currency, Limits, PricingConfig, PricingRules};
use larder_runtime::SendLimits;
use serde::{Deserialize, Serialize};

/// A secret value: shown as `***` everywhere except where it is used.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if self.0.is_empty() { "" } else { "***" })
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Human,
    Json,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelegramSection {
    pub token: Option<Secret>,
    pub api_url: String,
    /// `polling` (default: larder asks Telegram for updates) or `webhook`
    /// (Telegram POSTs them to `webhook_url`).
    pub mode: TelegramMode,
    pub poll_timeout_s: u32,
    /// The public HTTPS URL Telegram POSTs updates to (webhook mode).
    pub webhook_url: String,
    /// Where larder listens for those POSTs (behind the reverse proxy).
    pub webhook_listen: String,
    /// The secret Telegram sends with each update (default: derived from
    /// the token, the same in every process).
    pub webhook_secret: Option<Secret>,
    /// Deliveries Telegram makes at once (1..=100).
    pub webhook_max_connections: u32,
    pub rate_limits: SendLimits,
}

/// How Telegram's updates arrive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TelegramMode {
    #[default]
    Polling,
    Webhook,
}

impl Default for TelegramSection {
    fn default() -> Self {
        TelegramSection {
            token: None,
            api_url: "https://api.telegram.org".into(),
            mode: TelegramMode::Polling,
            poll_timeout_s: 25,
            webhook_url: String::new(),
            webhook_listen: "127.0.0.1:8081".into(),
            webhook_secret: None,
            webhook_max_connections: 40,
            rate_limits: SendLimits::default(),
        }
    }
}

/// The VK community the shop also runs in (optional).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VkSection {
    /// The community's access token (with the messages right).
    pub token: Option<Secret>,
    /// The community's id.
    pub group_id: i64,
    pub api_url: String,
    /// Seconds a long-poll request waits for news (1..=90).
    pub wait_s: u32,
}

impl Default for VkSection {
    fn default() -> Self {
        VkSection {
            token: None,
            group_id: 0,
            api_url: "https://api.vk.com".into(),
            wait_s: 25,
        }
    }
}

impl VkSection {
    /// Whether VK is configured at all.
    pub fn configured(&self) -> bool {
        self.token.as_ref().is_some_and(|t| !t.is_empty()) || self.group_id != 0
    }
}

/// How outgoing messages are delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliverySection {
    /// A message that keeps failing transiently (the messenger is down) is
    /// retried for this many hours before it is given up as a dead letter.
    pub deadline_hours: u32,
    /// Updates handled at once (different chats in parallel); 0 picks 4 on
    /// SQLite, 8 on PostgreSQL.
    pub handlers: u32,
}

impl Default for DeliverySection {
    fn default() -> Self {
        DeliverySection {
            deadline_hours: 24,
            handlers: 0,
        }
    }
}

/// How long records of the conversation are kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionSection {
    /// Handled updates and finished messages are deleted once this old:
    /// `14d`, `36h`, `90m` (at least 10 minutes; keep it above a day in
    /// production, longer than any outage Telegram could re-deliver across).
    pub keep: String,
}

impl Default for RetentionSection {
    fn default() -> Self {
        RetentionSection { keep: "14d".into() }
    }
}

impl RetentionSection {
    /// The retention age.
    pub fn keep(&self) -> anyhow::Result<std::time::Duration> {
        let text = self.keep.trim();
        let split = text.len().saturating_sub(1);
        let (number, unit) = (
            text.get(..split).unwrap_or(""),
            text.get(split..).unwrap_or(""),
        );
        let n: u64 = number.trim().parse().map_err(|_| {
            anyhow::anyhow!("[retention] keep must be a number of days, hours or minutes (14d, 36h, 90m), not {:?}", self.keep)
        })?;
        let minutes = match unit {
            "d" => n.saturating_mul(24 * 60),
            "h" => n.saturating_mul(60),
            "m" => n,
            _ => bail!(
                "[retention] keep must end in d, h or m (14d, 36h, 90m), not {:?}",
                self.keep
            ),
        };
        if !(10..=3650 * 24 * 60).contains(&minutes) {
            bail!(
                "[retention] keep must be between 10m and 3650d, not {:?}",
                self.keep
            );
        }
        Ok(std::time::Duration::from_secs(minutes * 60))
    }
}

/// The customers' shop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShopSection {
    /// People who are not staff register and order as customers; when off,
    /// they are politely refused (a desk-only business).
    pub enabled: bool,
    /// Customers must give an e-mail address to register.
    pub email_required: bool,
    /// The shop's phone, for customers who need to talk to someone.
    pub phone: String,
    /// Where pickup orders are collected, told to customers.
    pub address: String,
    /// Opening hours, "HH:MM", every day.
    pub opens: String,
    pub closes: String,
    /// Wanted times are offered in slots of this many minutes.
    pub slot_minutes: u16,
    /// How many days after today a time may be chosen.
    pub days_ahead: u8,
    /// Minutes every order needs besides its dishes' preparation times.
    pub base_minutes: u16,
    /// The session shop orders go to, by name; empty: the Inbox.
    pub session: String,
}

impl Default for ShopSection {
    fn default() -> Self {
        ShopSection {
            enabled: false,
            email_required: false,
            phone: String::new(),
            address: String::new(),
            opens: "10:00".into(),
            closes: "22:00".into(),
            slot_minutes: 30,
            days_ahead: 2,
            base_minutes: 30,
            session: String::new(),
        }
    }
}

impl ShopSection {
    /// The rules the screens use; errors name the bad setting.
    pub fn rules(&self) -> anyhow::Result<larder_ui::ShopRules> {
        let time = |name: &str, v: &str| {
            larder_core::parse_time(v)
                .map_err(|_| anyhow::anyhow!("[shop] {name} must be a time like 09:30, not {v:?}"))
        };
        let opens = time("opens", &self.opens)?;
        let closes = time("closes", &self.closes)?;
        if closes <= opens {
            bail!(
                "[shop] closes ({}) must be after opens ({})",
                self.closes,
                self.opens
            );
        }
        if !(5..=240).contains(&self.slot_minutes) {
            bail!(
                "[shop] slot_minutes must be 5..=240, not {}",
                self.slot_minutes
            );
        }
        if self.days_ahead > 14 {
            bail!(
                "[shop] days_ahead must be at most 14, not {}",
                self.days_ahead
            );
        }
        if self.base_minutes > 24 * 60 {
            bail!(
                "[shop] base_minutes must be at most 1440, not {}",
                self.base_minutes
            );
        }
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(larder_ui::ShopRules {
            phone: text(&self.phone),
            address: text(&self.address),
            opens,
            closes,
            slot_minutes: self.slot_minutes,
            days_ahead: self.days_ahead,
            base_minutes: self.base_minutes,
            session: text(&self.session),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub database_url: String,
    /// Default language of the bot (a user's own language wins when shipped).
    pub language: String,
    /// The business's time zone (IANA name), for "today" and day boundaries.
    pub timezone: String,
    /// ISO code, optionally with the number of decimals: `RUB`, `JPY:0`.
    pub currency: String,
    /// Telegram user ids that are owners from the start.
    pub owner_ids: Vec<i64>,
    /// The shop's name in messages to customers.
    pub shop_name: String,
    /// Country calling code added to local phone numbers (digits: "7", "373").
    pub country_code: String,
    /// Address of `/healthz` and `/metrics`; empty turns them off.
    pub admin_addr: String,
    pub log_format: LogFormat,
    pub telegram: TelegramSection,
    pub vk: VkSection,
    pub limits: Limits,
    pub pricing: PricingConfig,
    pub shop: ShopSection,
    pub delivery: DeliverySection,
    pub retention: RetentionSection,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://larder.db".into(),
            language: "ru".into(),
            timezone: "Europe/Moscow".into(),
            currency: "RUB".into(),
            owner_ids: vec![],
            shop_name: "our shop".into(),
            country_code: "7".into(),
            admin_addr: "127.0.0.1:9464".into(),
            log_format: LogFormat::Human,
            telegram: TelegramSection::default(),
            vk: VkSection::default(),
            limits: Limits::default(),
            pricing: PricingConfig::default(),
            shop: ShopSection::default(),
            delivery: DeliverySection::default(),
            retention: RetentionSection::default(),
        }
    }
}

/// Environment variables read, and the config field each sets.
pub const ENV_VARS: &[&str] = &[
    "LARDER_TELEGRAM_TOKEN",
    "LARDER_TELEGRAM_API_URL",
    "LARDER_TELEGRAM_MODE",
    "LARDER_TELEGRAM_WEBHOOK_URL",
    "LARDER_TELEGRAM_WEBHOOK_LISTEN",
    "LARDER_TELEGRAM_WEBHOOK_SECRET",
    "LARDER_VK_TOKEN",
    "LARDER_VK_GROUP_ID",
    "LARDER_VK_API_URL",
    "LARDER_DATABASE_URL",
    "LARDER_OWNER_IDS",
    "LARDER_LANGUAGE",
    "LARDER_TIMEZONE",
    "LARDER_CURRENCY",
    "LARDER_SHOP_NAME",
    "LARDER_COUNTRY_CODE",
    "LARDER_ADMIN_ADDR",
    "LARDER_LOG_FORMAT",
    "LARDER_RETENTION_KEEP",
];

impl Config {
    /// Reads the file (if it exists, or fails if it was named explicitly and
    /// is missing), then the environment, then validates.
    pub fn load(
        path: &Path,
        explicit: bool,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Config> {
        let mut config = if path.exists() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Config::from_toml(&text).with_context(|| format!("{} is not valid", path.display()))?
        } else if explicit {
            bail!("config file {} does not exist", path.display());
        } else {
            Config::default()
        };
        config.apply_env(env)?;
        config.validate()?;
        Ok(config)
    }

    pub fn from_toml(text: &str) -> anyhow::Result<Config> {
        toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("{}", e.message().trim().to_owned() + &location(&e)))
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        if let Some(v) = get("LARDER_TELEGRAM_TOKEN") {
            self.telegram.token = Some(Secret::new(v.trim()));
        }
        if let Some(v) = get("LARDER_TELEGRAM_API_URL") {
            self.telegram.api_url = v.trim().trim_end_matches('/').to_owned();
        }
        if let Some(v) = get("LARDER_TELEGRAM_MODE") {
            self.telegram.mode = match v.trim() {
                "polling" => TelegramMode::Polling,
                "webhook" => TelegramMode::Webhook,
                other => bail!("LARDER_TELEGRAM_MODE must be polling or webhook, not {other:?}"),
            };
        }
        if let Some(v) = get("LARDER_TELEGRAM_WEBHOOK_URL") {
            self.telegram.webhook_url = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_TELEGRAM_WEBHOOK_LISTEN") {
            self.telegram.webhook_listen = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_TELEGRAM_WEBHOOK_SECRET") {
            self.telegram.webhook_secret = Some(Secret::new(v.trim()));
        }
        if let Some(v) = get("LARDER_VK_TOKEN") {
            self.vk.token = Some(Secret::new(v.trim()));
        }
        if let Some(v) = get("LARDER_VK_GROUP_ID") {
            self.vk.group_id = v
                .trim()
                .parse()
                .with_context(|| format!("LARDER_VK_GROUP_ID: {v:?} is not a community id"))?;
        }
        if let Some(v) = get("LARDER_VK_API_URL") {
            self.vk.api_url = v.trim().trim_end_matches('/').to_owned();
        }
        if let Some(v) = get("LARDER_DATABASE_URL") {
            self.database_url = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_OWNER_IDS") {
            self.owner_ids = v
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<i64>()
                        .with_context(|| format!("LARDER_OWNER_IDS: {s:?} is not a user id"))
                })
                .collect::<anyhow::Result<_>>()?;
        }
        if let Some(v) = get("LARDER_RETENTION_KEEP") {
            self.retention.keep = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_LANGUAGE") {
            self.language = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_TIMEZONE") {
            self.timezone = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_CURRENCY") {
            self.currency = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_SHOP_NAME") {
            self.shop_name = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_COUNTRY_CODE") {
            self.country_code = v.trim().trim_start_matches('+').to_owned();
        }
        if let Some(v) = env("LARDER_ADMIN_ADDR") {
            self.admin_addr = v.trim().to_owned();
        }
        if let Some(v) = get("LARDER_LOG_FORMAT") {
            self.log_format = match v.trim() {
                "human" => LogFormat::Human,
                "json" => LogFormat::Json,
                other => bail!("LARDER_LOG_FORMAT must be human or json, not {other:?}"),
            };
        }
        Ok(())
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        self.currency()?;
        self.pricing()?;
        self.shop.rules()?;
        if self.vk.configured() {
            self.vk_config()?;
        }
        if self.telegram.mode == TelegramMode::Webhook {
            self.webhook_checked()?;
        }
        self.retention.keep()?;
        if !(1..=720).contains(&self.delivery.deadline_hours) {
            bail!(
                "[delivery] deadline_hours must be 1..=720, not {}",
                self.delivery.deadline_hours
            );
        }
        if self.delivery.handlers > 64 {
            bail!(
                "[delivery] handlers must be at most 64, not {}",
                self.delivery.handlers
            );
        }
        if self.country_code.is_empty()
            || self.country_code.len() > 3
            || !self.country_code.bytes().all(|b| b.is_ascii_digit())
        {
            bail!(
                "country_code must be 1-3 digits (e.g. 7 or 373), not {:?}",
                self.country_code
            );
        }
        if self.shop_name.trim().is_empty() {
            bail!("shop_name must not be empty");
        }
        if larder_ui::i18n::supported(&self.language).is_none() {
            bail!("language {:?} is not supported (en, ru)", self.language);
        }
        jiff::tz::TimeZone::get(&self.timezone).map_err(|_| {
            anyhow::anyhow!(
                "time zone {:?} is not known (use an IANA name like Europe/Berlin)",
                self.timezone
            )
        })?;
        larder_store::Backend::from_url(&self.database_url).map_err(|_| {
            anyhow::anyhow!("database URL must start with sqlite:// or postgres://")
        })?;
        if !self.admin_addr.is_empty() {
            self.admin_addr
                .parse::<std::net::SocketAddr>()
                .map_err(|_| {
                    anyhow::anyhow!("admin address {:?} is not host:port", self.admin_addr)
                })?;
        }
        Ok(())
    }

    pub fn currency(&self) -> anyhow::Result<Currency> {
        self.currency
            .parse()
            .map_err(|e| anyhow::anyhow!("currency {:?} is not valid: {e}", self.currency))
    }

    /// The pricing rules in the configured currency.
    pub fn pricing(&self) -> anyhow::Result<PricingRules> {
        self.pricing
            .rules(&self.currency()?, &self.limits)
            .map_err(|e| anyhow::anyhow!("[pricing] is not valid: {e}"))
    }

    pub fn timezone(&self) -> anyhow::Result<jiff::tz::TimeZone> {
        jiff::tz::TimeZone::get(&self.timezone).map_err(|_| {
            anyhow::anyhow!(
                "time zone {:?} is not known (use an IANA name like Europe/Berlin)",
                self.timezone
            )
        })
    }

    /// The bot token, or the one-line error `larder run` shows without it.
    pub fn token(&self) -> anyhow::Result<&str> {
        match &self.telegram.token {
            Some(t) if !t.is_empty() => Ok(t.expose()),
            _ => bail!(
                "no Telegram bot token: set LARDER_TELEGRAM_TOKEN (from @BotFather) or [telegram] token in larder.toml"
            ),
        }
    }

    /// The webhook settings (webhook mode), checked; the secret is derived
    /// from the token unless given.
    pub fn webhook(&self) -> anyhow::Result<Option<larder_telegram::WebhookConfig>> {
        if self.telegram.mode != TelegramMode::Webhook {
            return Ok(None);
        }
        self.webhook_checked()?;
        let secret = match &self.telegram.webhook_secret {
            Some(s) if !s.is_empty() => s.expose().to_owned(),
            _ => larder_telegram::webhook::derived_secret(self.token()?),
        };
        Ok(Some(larder_telegram::WebhookConfig {
            url: self.telegram.webhook_url.clone(),
            listen: self.telegram.webhook_listen.clone(),
            secret,
            max_connections: self.telegram.webhook_max_connections,
        }))
    }

    fn webhook_checked(&self) -> anyhow::Result<()> {
        let t = &self.telegram;
        if !(t.webhook_url.starts_with("https://") || t.webhook_url.starts_with("http://")) {
            bail!(
                "webhook mode needs [telegram] webhook_url, the public https:// address Telegram posts updates to (LARDER_TELEGRAM_WEBHOOK_URL)"
            );
        }
        t.webhook_listen
            .parse::<std::net::SocketAddr>()
            .map_err(|_| {
                anyhow::anyhow!(
                    "[telegram] webhook_listen {:?} is not host:port",
                    t.webhook_listen
                )
            })?;
        if !(1..=100).contains(&t.webhook_max_connections) {
            bail!(
                "[telegram] webhook_max_connections must be 1..=100, not {}",
                t.webhook_max_connections
            );
        }
        if let Some(s) = &t.webhook_secret {
            let fits = (1..=256).contains(&s.expose().len())
                && s.expose()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !fits {
                bail!(
                    "[telegram] webhook_secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
                );
            }
        }
        Ok(())
    }

    /// The VK adapter's settings; errors name what is missing.
    pub fn vk_config(&self) -> anyhow::Result<larder_vk::VkConfig> {
        let token = match &self.vk.token {
            Some(t) if !t.is_empty() => t.expose().to_owned(),
            _ => bail!("VK is half configured: set LARDER_VK_TOKEN (the community's access token)"),
        };
        if self.vk.group_id <= 0 {
            bail!(
                "VK is half configured: set LARDER_VK_GROUP_ID (the community's id, a positive number)"
            );
        }
        if !(1..=90).contains(&self.vk.wait_s) {
            bail!("[vk] wait_s must be 1..=90, not {}", self.vk.wait_s);
        }
        let mut c = larder_vk::VkConfig::new(token, self.vk.group_id, self.vk.api_url.clone());
        c.wait_s = self.vk.wait_s;
        c.telegram_files = self
            .telegram
            .token
            .as_ref()
            .filter(|t| !t.is_empty())
            .map(|t| larder_vk::TelegramFiles {
                api_url: self.telegram.api_url.clone(),
                token: t.expose().to_owned(),
            });
        Ok(c)
    }

    /// The effective configuration as TOML, secrets redacted.
    pub fn to_redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = redact_url(&self.database_url);
        toml::to_string_pretty(&shown).unwrap_or_default()
    }
}

fn location(e: &toml::de::Error) -> String {
    e.span()
        .map(|s| format!(" (at byte {})", s.start))
        .unwrap_or_default()
}

/// Hides a password in a database URL.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((creds, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match creds.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variable read is known (no "unknown variable" warning for it).
    #[test]
    fn every_variable_read_is_listed() {
        let source = include_str!("config.rs");
        let mut read = Vec::new();
        for call in ["get(\"LARDER_", "env(\"LARDER_"] {
            for part in source.split(call).skip(1) {
                let name = format!("LARDER_{}", part.split('"').next().unwrap_or_default());
                assert!(
                    ENV_VARS.contains(&name.as_str()),
                    "{name} is read but not listed"
                );
                read.push(name);
            }
        }
        for listed in ENV_VARS {
            assert!(
                read.iter().any(|r| r == listed),
                "{listed} is listed but never read"
            );
        }
    }

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn environment_overrides_the_file() {
        let mut c = Config::from_toml("language = \"en\"\ncurrency = \"EUR\"").unwrap();
        c.apply_env(env(&[
            ("LARDER_OWNER_IDS", "1, 2"),
            ("LARDER_CURRENCY", "UAH"),
            ("LARDER_TELEGRAM_TOKEN", "1:abc"),
        ]))
        .unwrap();
        assert_eq!(c.owner_ids, vec![1, 2]);
        assert_eq!(c.currency, "UAH");
        assert_eq!(c.language, "en");
        assert_eq!(c.token().unwrap(), "1:abc");
    }

    #[test]
    fn unknown_keys_are_refused_by_name() {
        let err = Config::from_toml("langauge = \"en\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("langauge"), "{err}");
    }

    #[test]
    fn secrets_never_show() {
        let mut c = Config::default();
        c.telegram.token = Some(Secret::new("123:SECRET"));
        c.database_url = "postgres://larder:hunter2@db/larder".into();
        let shown = c.to_redacted_toml();
        assert!(
            !shown.contains("SECRET") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(!format!("{c:?}").contains("SECRET"));
    }

    #[test]
    fn missing_token_and_bad_values_have_clear_errors() {
        assert!(
            Config::default()
                .token()
                .unwrap_err()
                .to_string()
                .contains("LARDER_TELEGRAM_TOKEN")
        );
        let bad = Config {
            timezone: "Mars/Olympus".into(),
            ..Config::default()
        };
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("Mars/Olympus")
        );
        let bad = Config {
            currency: "rubles".into(),
            ..Config::default()
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn retention_is_days_hours_or_minutes() {
        let keep = |k: &str| {
            RetentionSection { keep: k.into() }
                .keep()
                .map(|d| d.as_secs() / 60)
        };
        assert_eq!(keep("14d").unwrap(), 14 * 24 * 60);
        assert_eq!(keep("36h").unwrap(), 36 * 60);
        assert_eq!(keep(" 90m ").unwrap(), 90);
        for bad in ["5m", "abc", "10x", "", "d", "-3d", "1.5d", "99999d"] {
            let e = keep(bad).expect_err(bad).to_string();
            assert!(e.contains("[retention] keep"), "{bad}: {e}");
        }
        let from_env = Config::load(
            Path::new("/nonexistent/larder.toml"),
            false,
            env(&[("LARDER_RETENTION_KEEP", "2x")]),
        );
        assert!(from_env.is_err(), "a bad retention stops the start");
    }

    #[test]
    fn webhook_mode_needs_a_public_url() {
        let mut c = Config::default();
        c.telegram.mode = TelegramMode::Webhook;
        let e = c.validate().expect_err("no URL").to_string();
        assert!(e.contains("webhook_url"), "{e}");
        c.telegram.webhook_url = "https://shop.example/telegram".into();
        c.validate().expect("valid");
        c.telegram.webhook_secret = Some(Secret::new("has spaces"));
        assert!(c.validate().is_err());
        c.telegram.webhook_secret = Some(Secret::new("ok_secret-1"));
        c.telegram.webhook_max_connections = 0;
        assert!(c.validate().is_err());
        c.telegram.webhook_max_connections = 40;
        c.telegram.token = Some(Secret::new("1:T"));
        let hook = c.webhook().expect("valid").expect("webhook mode");
        assert_eq!(hook.secret, "ok_secret-1");
        c.telegram.webhook_secret = None;
        let derived = c.webhook().expect("valid").expect("webhook mode").secret;
        assert_eq!(derived, larder_telegram::webhook::derived_secret("1:T"));
    }
}
