use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use larder::config::{Config, LogFormat};

/// larder: orders of a small food business, run through Telegram.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// Configuration file (optional; environment variables override it).
    #[arg(long, global = true, default_value = "larder.toml")]
    config: PathBuf,
    /// Log format (default: human, or log_format from the config).
    #[arg(long, global = true, value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the bot against Telegram.
    Run,
    /// Try larder locally: a Telegram emulator with a web chat, demo data and the bot.
    Demo {
        /// Port of the web chat and emulator.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Database to use (default: a fresh one in a temporary directory).
        #[arg(long)]
        database_url: Option<String>,
        /// Pretend it is this moment, in the business time zone
        /// ("2026-12-01T11:00", or "11:00" for today), and run on from there:
        /// a demo in the evening can still show an open shop.
        #[arg(long)]
        at: Option<String>,
    },
    /// Measure: larder (as its own process) under load from the emulator.
    Bench {
        /// Staff members (or customers, with --shop) working at once.
        #[arg(long, default_value_t = 50)]
        users: u32,
        /// Round trips (products list and back) per staff member, or orders
        /// per customer.
        #[arg(long, default_value_t = 20)]
        rounds: u32,
        /// Database to use (default: a fresh SQLite file in a temporary directory).
        #[arg(long)]
        database_url: Option<String>,
        /// Customers order in the shop (with a kitchen card per order)
        /// instead of staff working their desks.
        #[arg(long)]
        shop: bool,
        /// People pause 1–3 s before each press, as people do.
        #[arg(long)]
        human: bool,
        /// Telegram's limits off in the bot and the emulator (default: on,
        /// as configured).
        #[arg(long)]
        no_limits: bool,
        /// One staff member presses 12 times in a row instead.
        #[arg(long)]
        burst: bool,
        /// This many people write /start once each instead (memory by chats).
        #[arg(long)]
        chats: Option<u32>,
        /// larder processes sharing the database (more than one: PostgreSQL).
        #[arg(long, default_value_t = 1)]
        instances: u32,
        /// Telegram delivers by webhook through a balancer in front of them.
        #[arg(long)]
        webhook: bool,
        /// Work on for this many minutes, taking the database's size every
        /// minute (instead of a number of rounds).
        #[arg(long)]
        minutes: Option<u32>,
        /// larder's retention, as `[retention] keep` (e.g. 10m).
        #[arg(long)]
        keep: Option<String>,
    },
    /// Kill larder (a child process) again and again while customers check
    /// out and the kitchen accepts orders; check that nothing was lost.
    Chaos {
        /// Customers checking out.
        #[arg(long, default_value_t = 200)]
        customers: u32,
        /// Times larder is killed (`kill -9`) and restarted.
        #[arg(long, default_value_t = 50)]
        kills: u32,
        /// Database to use (default: a fresh SQLite file in a temporary directory).
        #[arg(long)]
        database_url: Option<String>,
        /// Processes sharing the database (more than one: PostgreSQL only).
        #[arg(long, default_value_t = 1)]
        instances: u32,
        /// Telegram delivers by webhook through a load balancer (instead of
        /// one process polling).
        #[arg(long)]
        webhook: bool,
        /// Seed of the pauses between kills, to repeat a run.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Copy the database to FILE while larder runs (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump, the command printed).
    Backup {
        /// Where to write the backup (must not exist yet).
        file: std::path::PathBuf,
    },
    /// Replace the database with a backup (stop larder first); the replaced
    /// data is kept beside it.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
    },
    /// Print the effective configuration, secrets redacted.
    Config,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let explicit = std::env::args().any(|a| a == "--config" || a.starts_with("--config="));
    let config = match Config::load(&cli.config, explicit, |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("larder: {}", one_line(&e));
            return ExitCode::from(2);
        }
    };
    larder::logging::init(cli.log_format.unwrap_or(config.log_format));
    for (key, _) in std::env::vars() {
        if key.starts_with("LARDER_")
            && !larder::config::ENV_VARS.contains(&key.as_str())
            && !key.starts_with("LARDER_TEST")
        {
            tracing::warn!(variable = %key, "unknown LARDER_ environment variable ignored");
        }
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("larder: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Run => run(&config).await,
            Command::Demo {
                port,
                database_url,
                at,
            } => {
                let clock = larder::at::clock_at(at.as_deref(), &config.timezone()?)?;
                larder::demo::run_until_ctrl_c(&config, port, database_url, clock).await
            }
            Command::Bench {
                users,
                rounds,
                database_url,
                shop,
                human,
                no_limits,
                burst,
                chats,
                instances,
                webhook,
                minutes,
                keep,
            } => {
                let opts = larder::bench::BenchOptions {
                    binary: std::env::current_exe()?,
                    users,
                    rounds,
                    database_url,
                    shop,
                    pace: if human {
                        larder::bench::Pace::Human
                    } else {
                        larder::bench::Pace::Flat
                    },
                    limits: !no_limits,
                    burst,
                    chats,
                    instances,
                    webhook,
                    run_for: minutes.map(|m| Duration::from_secs(u64::from(m) * 60)),
                    sample_every: Duration::from_secs(60),
                    keep,
                };
                let report = larder::bench::run(&config, opts).await?;
                println!("{}", report.row());
                if !report.sizes.is_empty() {
                    println!("| time | database | inbox rows | outbox rows |\n|---|---|---|---|");
                    for s in &report.sizes {
                        println!("{}", s.row());
                    }
                }
                Ok(())
            }
            Command::Chaos {
                customers,
                kills,
                database_url,
                instances,
                webhook,
                seed,
            } => {
                let opts = larder::chaos::ChaosOptions {
                    binary: std::env::current_exe()?,
                    customers,
                    kills,
                    instances,
                    webhook,
                    at_once: 20,
                    database_url,
                    kill_every_ms: (500, 2500),
                    seed,
                };
                let report = larder::chaos::run(opts).await?;
                println!("{}", report.line());
                anyhow::ensure!(report.nothing_lost(), "something was lost");
                Ok(())
            }
            Command::Backup { file } => {
                match larder::backup::backup(&config.database_url, &file).await? {
                    larder::backup::Done::Written { bytes, command } => {
                        if let Some(c) = command {
                            println!("{c}");
                        }
                        println!("backup written to {} ({bytes} bytes)", file.display());
                    }
                    larder::backup::Done::Restored { .. } => {}
                }
                Ok(())
            }
            Command::Restore { file } => {
                let clock = larder_core::Clock::system();
                if let larder::backup::Done::Restored { kept } =
                    larder::backup::restore(&config.database_url, &file, &clock).await?
                {
                    println!(
                        "restored from {}; the data it replaced is kept in {}",
                        file.display(),
                        kept.display()
                    );
                }
                Ok(())
            }
            Command::Migrate => {
                let store = larder::app::open_store(&config, &larder_core::Clock::system()).await?;
                println!("database is up to date ({})", store.backend().as_str());
                Ok(())
            }
            Command::Config => {
                print!("{}", config.to_redacted_toml());
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("larder: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, without causes that repeat the text before them.
fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

async fn run(config: &Config) -> anyhow::Result<()> {
    let running = larder::app::start(config, larder::app::StartOptions::default()).await?;
    wait_for_ctrl_c().await;
    tracing::info!("stopping");
    running.shutdown().await;
    Ok(())
}

/// Waits for Ctrl-C or, on Unix, SIGTERM (as sent by systemd and container runtimes).
async fn wait_for_ctrl_c() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
