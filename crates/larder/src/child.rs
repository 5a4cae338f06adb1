//! larder as a separate process, the way it runs for real: started from the
//! binary with a configuration, stopped gracefully, or killed as `kill -9`
//! would, and measured from outside (CPU time and memory of that process
//! alone). The chaos harness and the benchmarks drive it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Context;

use crate::config::Config;

pub struct Child {
    binary: PathBuf,
    config_path: PathBuf,
    log_path: PathBuf,
    env: Vec<(String, String)>,
    process: Option<std::process::Child>,
    /// How many times it was started.
    pub starts: u32,
}

/// What a process used, read from `/proc`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// User and system CPU time, milliseconds.
    pub cpu_ms: u64,
    /// Resident memory now, KiB.
    pub rss_kib: u64,
    /// Highest resident memory, KiB.
    pub peak_kib: u64,
}

impl Child {
    /// Prepares `binary run` with `config` (its secrets and database go in
    /// the environment), writing its files into `dir`.
    pub fn new(binary: &Path, config: &Config, dir: &Path) -> anyhow::Result<Child> {
        let config_path = dir.join("larder.toml");
        std::fs::write(&config_path, config.to_redacted_toml())
            .context("cannot write the child's configuration")?;
        let mut env = vec![(
            "LARDER_DATABASE_URL".to_owned(),
            config.database_url.clone(),
        )];
        if let Some(token) = &config.telegram.token {
            env.push((
                "LARDER_TELEGRAM_TOKEN".to_owned(),
                token.expose().to_owned(),
            ));
        }
        Ok(Child {
            binary: binary.to_owned(),
            config_path,
            log_path: dir.join("larder.log"),
            env,
            process: None,
            starts: 0,
        })
    }

    pub fn start(&mut self) -> anyhow::Result<()> {
        anyhow::ensure!(self.process.is_none(), "already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_path)?;
        let mut command = Command::new(&self.binary);
        command
            .arg("--config")
            .arg(&self.config_path)
            .arg("run")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .env("RUST_LOG", "warn");
        for (k, v) in &self.env {
            command.env(k, v);
        }
        let process = command
            .spawn()
            .with_context(|| format!("cannot start {}", self.binary.display()))?;
        self.process = Some(process);
        self.starts += 1;
        Ok(())
    }

    /// Kills the process at once (SIGKILL): nothing is finished or flushed.
    pub fn kill(&mut self) {
        if let Some(mut p) = self.process.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
    }

    /// Asks the process to stop (SIGTERM) and waits for it, killing it
    /// after `grace`.
    pub async fn stop(&mut self, grace: Duration) {
        let Some(mut p) = self.process.take() else {
            return;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(p.id().to_string())
            .status();
        let deadline = tokio::time::Instant::now() + grace;
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(_)) = p.try_wait() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = p.kill();
        let _ = p.wait();
    }

    /// Whether the process has exited on its own (it should not).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.process
            .as_mut()
            .and_then(|p| p.try_wait().ok().flatten())
    }

    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(std::process::Child::id)
    }

    /// CPU time and memory of the running process.
    pub fn usage(&self) -> Option<Usage> {
        usage_of(self.pid()?)
    }

    /// The process's log so far (the end of it).
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.kill();
    }
}

/// CPU time and memory of a process, from `/proc/{pid}/stat` and `status`.
pub fn usage_of(pid: u32) -> Option<Usage> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |key: &str| -> Option<u64> {
        status
            .lines()
            .find(|l| l.starts_with(key))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some(Usage {
        // Linux counts CPU time in clock ticks of 1/100 s.
        cpu_ms: ticks * 10,
        rss_kib: kib("VmRSS:")?,
        peak_kib: kib("VmHWM:")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_can_be_measured() {
        let u = usage_of(std::process::id()).expect("Linux /proc");
        assert!(u.rss_kib > 0 && u.peak_kib >= u.rss_kib);
    }
}
