//! `larder backup FILE` and `larder restore FILE`.
//!
//! SQLite: the backup is `VACUUM INTO`, a consistent copy taken while the
//! bot runs; a restore (with the bot stopped) moves the current file aside
//! and puts the copy in its place. PostgreSQL: `pg_dump` in its custom
//! format and `pg_restore`, run when they are on the PATH and printed
//! either way, so an operator can run them from another machine.
//!
//! A restored database resumes where the backup was taken: updates marked
//! handled are not handled again, calls marked sent are not sent again, and
//! Telegram's offset and VK's `ts` are the stored ones. VK's `random_id` of
//! every call is random and kept with its row, so calls made after a
//! restore never repeat an id VK has seen.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use larder_core::Clock;
use larder_store::{Backend, Store};

use crate::config::redact_url;

/// What a backup or restore did.
#[derive(Debug, PartialEq, Eq)]
pub enum Done {
    /// The backup was written: its size in bytes, and the PostgreSQL
    /// command that wrote it (password hidden).
    Written { bytes: u64, command: Option<String> },
    /// The database was replaced; the one it replaced was kept here.
    Restored { kept: PathBuf },
}

/// Writes a backup of the database at `url` to `file` (which must not
/// exist yet).
pub async fn backup(url: &str, file: &Path) -> anyhow::Result<Done> {
    if file.exists() {
        bail!(
            "{} already exists: choose a new name (a backup never overwrites a file)",
            file.display()
        );
    }
    match Backend::from_url(url)? {
        Backend::Sqlite => {
            let path = larder_store::sqlite_path(url)
                .context("a backup needs a database file, not an in-memory database")?;
            if !path.exists() {
                bail!("there is no database at {}", path.display());
            }
            let store = Store::connect(url).await?;
            store
                .vacuum_into(file)
                .await
                .with_context(|| format!("cannot write the backup to {}", file.display()))?;
            store.close().await;
            check_sqlite(file).await?;
            Ok(Done::Written {
                bytes: std::fs::metadata(file)?.len(),
                command: None,
            })
        }
        Backend::Postgres => {
            let args = [
                "--format=custom".to_owned(),
                "--no-owner".to_owned(),
                format!("--file={}", file.display()),
                format!("--dbname={url}"),
            ];
            let command = postgres_tool("pg_dump", &args)?;
            Ok(Done::Written {
                bytes: std::fs::metadata(file)?.len(),
                command: Some(command),
            })
        }
    }
}

/// Replaces the database at `url` with the backup in `file`; larder must
/// be stopped (every instance). The replaced database is kept beside it
/// (SQLite) or dumped first (PostgreSQL), and the restored one is migrated.
pub async fn restore(url: &str, file: &Path, clock: &Clock) -> anyhow::Result<Done> {
    if !file.is_file() {
        bail!("there is no backup at {}", file.display());
    }
    let stamp = jiff::Timestamp::from_millisecond(clock.now_ms())?
        .strftime("%Y%m%d-%H%M%S")
        .to_string();
    let kept = match Backend::from_url(url)? {
        Backend::Sqlite => {
            let path = larder_store::sqlite_path(url)
                .context("a restore needs a database file, not an in-memory database")?;
            check_sqlite(file).await?;
            // The bot must not be running on it meanwhile.
            let _sole = crate::app::hold_sqlite(url)?;
            let kept = PathBuf::from(format!("{}.replaced-{stamp}", path.display()));
            if path.exists() {
                // Checkpoint the old file first, so the copy kept aside is whole.
                let old = Store::connect(url).await?;
                old.checkpoint().await?;
                old.close().await;
                std::fs::rename(&path, &kept)
                    .with_context(|| format!("cannot move {} aside", path.display()))?;
            }
            for suffix in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{suffix}", path.display()));
                if side.exists() {
                    std::fs::remove_file(&side)
                        .with_context(|| format!("cannot remove {}", side.display()))?;
                }
            }
            std::fs::copy(file, &path)
                .with_context(|| format!("cannot copy {} to {}", file.display(), path.display()))?;
            kept
        }
        Backend::Postgres => {
            let store = Store::connect(url).await?;
            let running = store.leaders().await?;
            if running > 0 {
                bail!(
                    "larder is running on this database ({running} process(es) hold its locks): stop every instance first"
                );
            }
            let kept = PathBuf::from(format!("{}.replaced-{stamp}", file.display()));
            let dump = [
                "--format=custom".to_owned(),
                "--no-owner".to_owned(),
                format!("--file={}", kept.display()),
                format!("--dbname={url}"),
            ];
            postgres_tool("pg_dump", &dump)?;
            store.drop_all_tables().await?;
            store.close().await;
            let restore = [
                "--no-owner".to_owned(),
                "--single-transaction".to_owned(),
                "--exit-on-error".to_owned(),
                format!("--dbname={url}"),
                file.display().to_string(),
            ];
            postgres_tool("pg_restore", &restore).with_context(|| {
                format!(
                    "the restore failed and the database is now empty; the data it held is in {}",
                    kept.display()
                )
            })?;
            kept
        }
    };
    let store = Store::connect(url).await?;
    store.migrate(clock.now_ms()).await?;
    store.close().await;
    Ok(Done::Restored { kept })
}

/// The file is a whole SQLite database written by larder.
async fn check_sqlite(file: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=ro", file.display());
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("{} is not a database", file.display()))?;
    let (ok, ours) = store.integrity().await?;
    store.close().await;
    if ok != "ok" {
        bail!("{} is damaged: {ok}", file.display());
    }
    if !ours {
        bail!("{} is a database, but not larder's", file.display());
    }
    Ok(())
}

/// Runs a PostgreSQL tool, or says how to when it is not installed;
/// returns the command (password hidden).
fn postgres_tool(tool: &str, args: &[String]) -> anyhow::Result<String> {
    let shown: Vec<String> = args
        .iter()
        .map(|a| match a.strip_prefix("--dbname=") {
            Some(url) => format!("--dbname='{}'", redact_url(url)),
            None => a.clone(),
        })
        .collect();
    let command = format!("{tool} {}", shown.join(" "));
    let output = match Command::new(tool).args(args).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!(
                "{tool} is not installed here; run it where it is (PostgreSQL's client tools):\n  {command}"
            )
        }
        Err(e) => return Err(e).with_context(|| format!("cannot run {tool}")),
    };
    tracing::info!(command = %command, "ran");
    if !output.status.success() {
        bail!(
            "{command} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(command)
}
