//! `fake-telegram --port 8081`: runs the emulator until Ctrl-C.

use std::net::{IpAddr, SocketAddr};

use anyhow::Context as _;
use clap::Parser;
use fake_telegram::{BotSpec, Config, RateLimits};

/// An emulator of the Telegram Bot API with a control API and a demo page.
#[derive(Debug, Parser)]
#[command(name = "fake-telegram", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8081)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Bot token; the bot id is the number before `:`.
    #[arg(long, default_value = "123456:TEST-TOKEN")]
    token: String,
    /// The bot's username.
    #[arg(long, default_value = "larder_test_bot")]
    username: String,
    /// Turn Telegram's flood limits off.
    #[arg(long)]
    no_rate_limits: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let bot = BotSpec {
        username: args.username.clone(),
        ..BotSpec::from_token(&args.token)
    };
    let config = Config {
        bind: SocketAddr::new(args.bind, args.port),
        bots: vec![bot],
        rate_limits: if args.no_rate_limits {
            RateLimits::disabled()
        } else {
            RateLimits::default()
        },
        ..Config::default()
    };
    let emulator = fake_telegram::spawn(config)
        .await
        .with_context(|| format!("binding {}:{}", args.bind, args.port))?;
    println!("{}", emulator.base_url());
    tracing::info!(
        "fake Telegram Bot API at {0}/bot{1}/METHOD, demo page at {0}/",
        emulator.base_url(),
        args.token
    );
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    emulator.shutdown().await;
    Ok(())
}
