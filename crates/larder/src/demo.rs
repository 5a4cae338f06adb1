//! `larder demo`: the Telegram emulator with its web chat, the bot, and a
//! demo cheese shop, all on this machine — no Telegram account needed.

use std::net::SocketAddr;

use anyhow::Context;
use fake_telegram::NewUser;
use larder_core::Clock;

use crate::app::{Running, StartOptions};
use crate::config::Config;

/// Pricing of the demo shop (the rules of the cheese maker larder was built for).
const DEMO_PRICING: &str = r#"
[[pricing.packing]]
code = "vacuum"
name = "Vacuum"
per_100g = "2"
per_piece = "5"

[pricing.delivery]
fee = "20"
free_from = "300"
"#;

/// The demo owner the web page opens as.
pub const DEMO_OWNER: i64 = 1001;
/// A customer of the demo shop.
pub const DEMO_CUSTOMER: i64 = 2001;
/// The demo's staff groups, bound by the owner at start.
pub const DEMO_GROUPS: [(i64, &str, &str); 3] = [
    (-1001, "Kitchen", "kitchen"),
    (-1002, "Couriers", "couriers"),
    (-1003, "Admins", "admins"),
];

/// A customer of the demo shop on VK.
pub const DEMO_VK_CUSTOMER: i64 = 3001;

pub struct Demo {
    /// The page to open.
    pub url: String,
    pub emulator_url: String,
    /// The VK emulator's web chat and API.
    pub vk_url: String,
    pub app: Running,
    emulator: fake_telegram::Handle,
    vk: fake_vk::FakeVk,
    _dir: Option<tempfile::TempDir>,
}

/// Starts everything on `clock` (the system clock, or `--at`); `port` 0
/// picks a free port.
pub async fn start(
    base: &Config,
    port: u16,
    database_url: Option<String>,
    clock: Clock,
) -> anyhow::Result<Demo> {
    let emulator = fake_telegram::spawn(fake_telegram::Config {
        bind: SocketAddr::from(([127, 0, 0, 1], port)),
        clock: clock.clone(),
        ..fake_telegram::Config::default()
    })
    .await
    .with_context(|| format!("cannot listen on port {port} (try --port with another number)"))?;
    let (database_url, dir) = match database_url {
        Some(url) => (url, None),
        None => {
            let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
            (
                format!("sqlite://{}", dir.path().join("demo.db").display()),
                Some(dir),
            )
        }
    };
    let vk_port = if port == 0 { 0 } else { port.saturating_add(1) };
    let vk = fake_vk::FakeVk::start(fake_vk::Config {
        bind: SocketAddr::from(([127, 0, 0, 1], vk_port)),
        clock: clock.clone(),
        ..fake_vk::Config::default()
    })
    .await
    .with_context(|| format!("cannot listen on port {vk_port} for the VK emulator"))?;
    let mut config = base.clone();
    if config.pricing == larder_core::PricingConfig::default() {
        // The demo shop's rules: vacuum packing, delivery free from 300.
        config.pricing = crate::config::Config::from_toml(DEMO_PRICING)?.pricing;
    }
    if config.shop_name == crate::config::Config::default().shop_name {
        config.shop_name = "Demo Cheese Dairy".into();
    }
    // Anyone else who opens the demo chat is a customer of the shop.
    config.shop.enabled = true;
    config.database_url = database_url;
    config.owner_ids = vec![DEMO_OWNER];
    config.admin_addr = "127.0.0.1:0".into();
    config.telegram.token = Some(crate::config::Secret::new(emulator.token()));
    config.telegram.api_url = emulator.base_url();
    config.vk.token = Some(crate::config::Secret::new(vk.token()));
    config.vk.group_id = vk.group_id();
    config.vk.api_url = vk.base_url();
    let store = crate::app::open_store(&config, &clock).await?;
    crate::seed::demo_catalog(&store, clock.now_ms()).await?;
    store.close().await;
    let app = crate::app::start(
        &config,
        StartOptions {
            clock: clock.clone(),
            ..StartOptions::default()
        },
    )
    .await?;
    let control = emulator.control();
    let mut owner = NewUser::new(DEMO_OWNER, "Olga").last_name("Demo");
    owner.language_code = Some(config.language.clone());
    control.user(owner).await;
    control.send_text(DEMO_OWNER, DEMO_OWNER, "/start").await;
    let mut customer = NewUser::new(DEMO_CUSTOMER, "Anna").last_name("Customer");
    customer.language_code = Some(config.language.clone());
    control.user(customer).await;
    // Olga is in every staff group; as the owner she may press every card.
    for (id, title, role) in DEMO_GROUPS {
        control.group(id, title, &[DEMO_OWNER]).await;
        control
            .send_text(id, DEMO_OWNER, &format!("/bind {role}"))
            .await;
    }
    let mut vk_customer = fake_vk::NewUser::new(DEMO_VK_CUSTOMER, "Vera").last_name("Customer");
    vk_customer.lang = Some(config.language.clone());
    vk.control().user(vk_customer).await;
    let url = format!("{}/?chat={DEMO_OWNER}&as={DEMO_OWNER}", emulator.base_url());
    Ok(Demo {
        url,
        emulator_url: emulator.base_url(),
        vk_url: vk.base_url(),
        app,
        emulator,
        vk,
        _dir: dir,
    })
}

impl Demo {
    pub async fn stop(self) {
        self.app.shutdown().await;
        self.emulator.shutdown().await;
        self.vk.shutdown().await;
    }
}

pub async fn run_until_ctrl_c(
    base: &Config,
    port: u16,
    database_url: Option<String>,
    clock: Clock,
) -> anyhow::Result<()> {
    let hours = hours_line(base, &clock)?;
    let demo = start(base, port, database_url, clock).await?;
    println!();
    println!("  larder demo is running.");
    println!("  {hours}");
    println!(
        "  Open {} in your browser: you are Olga, the shop's owner.",
        demo.url
    );
    println!(
        "  Order as a customer at {}/?chat={DEMO_CUSTOMER}&as={DEMO_CUSTOMER}",
        demo.emulator_url
    );
    println!(
        "  and follow the order in the kitchen at {}/?chat=-1001&as={DEMO_OWNER}",
        demo.emulator_url
    );
    println!("  Order on VK at {}/?peer={DEMO_VK_CUSTOMER}", demo.vk_url);
    println!("  Press Ctrl-C to stop.");
    println!();
    tokio::signal::ctrl_c()
        .await
        .context("cannot listen for Ctrl-C")?;
    println!("stopping…");
    demo.stop().await;
    Ok(())
}

/// What time the demo thinks it is, and whether the shop is open then.
pub fn hours_line(config: &Config, clock: &Clock) -> anyhow::Result<String> {
    let tz = config.timezone()?;
    let rules = config.shop.rules()?;
    let now = jiff::Timestamp::from_millisecond(clock.now_ms())?.to_zoned(tz);
    let time = now.time();
    let shown = format!(
        "It is {} {} in {}",
        larder_core::format_date(now.date()),
        larder_core::format_time(time),
        config.timezone
    );
    Ok(if time >= rules.opens && time < rules.closes {
        format!(
            "{shown}: the shop is open until {}.",
            larder_core::format_time(rules.closes)
        )
    } else {
        format!(
            "{shown}: the shop is closed (open {}–{}); start with --at 12:00 to try it open.",
            larder_core::format_time(rules.opens),
            larder_core::format_time(rules.closes)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Clock {
        let config = Config::default();
        crate::at::clock_at(Some(text), &config.timezone().unwrap()).unwrap()
    }

    #[test]
    fn the_demo_says_whether_the_shop_is_open_at_its_time() {
        let config = Config::default();
        let open = hours_line(&config, &at("2026-12-01T11:00")).unwrap();
        assert!(
            open.starts_with(
                "It is 01.12.2026 11:00 in Europe/Moscow: the shop is open until 22:00"
            ),
            "{open}"
        );
        let night = hours_line(&config, &at("2026-12-01T23:30")).unwrap();
        assert!(
            night.contains("23:30") && night.contains("closed (open 10:00–22:00)"),
            "{night}"
        );
        assert!(night.contains("--at 12:00"), "{night}");
    }
}
