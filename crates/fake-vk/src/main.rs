//! `fake-vk --port 8082`: runs the emulator until Ctrl-C.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

use anyhow::Context as _;
use clap::Parser;
use fake_vk::{Config, FakeVk, GroupSpec, TOKEN_RIGHTS};

/// An emulator of the VK API (community tokens, Bots Long Poll) with a
/// control API.
#[derive(Debug, Parser)]
#[command(name = "fake-vk", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8082)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The community id.
    #[arg(long, default_value_t = 200_000_001)]
    group_id: i64,
    /// The community's name.
    #[arg(long, default_value = "Larder")]
    group_name: String,
    /// A community access token (repeat for several).
    #[arg(long = "token", default_value = "vk1.a.TEST-GROUP-TOKEN")]
    tokens: Vec<String>,
    /// A token with only some rights, `TOKEN=messages,manage` (repeat for
    /// several); other tokens carry every right.
    #[arg(long = "token-rights", value_parser = token_rights)]
    token_rights: Vec<(String, Vec<String>)>,
    /// Enforce VK's 20 requests per second per token (error 6).
    #[arg(long)]
    rate_limit: bool,
}

/// `TOKEN=right,right`.
fn token_rights(arg: &str) -> Result<(String, Vec<String>), String> {
    let (token, rights) = arg
        .split_once('=')
        .ok_or_else(|| format!("expected TOKEN=right,right, got {arg:?}"))?;
    let rights: Vec<String> = rights
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(unknown) = rights.iter().find(|r| !TOKEN_RIGHTS.contains(&r.as_str())) {
        return Err(format!(
            "unknown right {unknown:?} (known: {})",
            TOKEN_RIGHTS.join(", ")
        ));
    }
    Ok((token.to_owned(), rights))
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
    let config = Config {
        bind: SocketAddr::new(args.bind, args.port),
        groups: vec![GroupSpec {
            id: args.group_id,
            name: args.group_name.clone(),
            tokens: args.tokens.clone(),
            rights: args
                .token_rights
                .iter()
                .cloned()
                .collect::<BTreeMap<_, _>>(),
        }],
        rate_limit: args.rate_limit,
        ..Config::default()
    };
    let emulator = FakeVk::start(config)
        .await
        .with_context(|| format!("binding {}:{}", args.bind, args.port))?;
    println!("{}", emulator.base_url());
    tracing::info!(
        group.id = args.group_id,
        "fake VK API at {0}/method/NAME, control API at {0}/control/",
        emulator.base_url(),
    );
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    emulator.shutdown().await;
    Ok(())
}
