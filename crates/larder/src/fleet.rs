//! One or several larder processes on one database, as they run for real:
//! each with its own admin address; by long polling (one of them polls) or
//! by webhook behind a round-robin balancer, as a reverse proxy would put
//! them. The chaos harness and the benchmarks drive it.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use fake_telegram::Control;

use crate::child::{Child, Usage};
use crate::config::{Config, TelegramMode};

pub struct Fleet {
    pub children: Vec<(Child, String)>,
    balancer: Option<tokio::task::JoinHandle<()>>,
}

/// A port for a process that is killed and restarted on it: below the
/// system's range for outgoing connections, so that no connection (to the
/// balancer's backends, to the database) takes it while the process is
/// down and the restart cannot listen on it again.
pub fn free_port() -> anyhow::Result<u16> {
    use std::hash::{BuildHasher, RandomState};
    let ephemeral_from = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse::<u16>().ok())
        .unwrap_or(32768);
    let (low, high) = (10_000u16, ephemeral_from.max(10_001));
    let random = RandomState::new();
    for attempt in 0u32..200 {
        let offset = random.hash_one(attempt) % u64::from(high - low);
        let port = low + u16::try_from(offset).unwrap_or(0);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Fleet {
    /// Starts `instances` processes of `binary` with `config` (its database
    /// already set up), their files in `dir`.
    pub async fn start(
        binary: &Path,
        config: &Config,
        dir: &Path,
        instances: u32,
        webhook: bool,
    ) -> anyhow::Result<Fleet> {
        anyhow::ensure!(
            instances <= 1 || config.database_url.starts_with("postgres"),
            "several instances share a PostgreSQL database only (SQLite serves one process)"
        );
        let mut config = config.clone();
        let mut hooks = Vec::new();
        let balancer = if webhook {
            let lb = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            config.telegram.mode = TelegramMode::Webhook;
            config.telegram.webhook_url = format!("http://{}/telegram", lb.local_addr()?);
            Some(lb)
        } else {
            None
        };
        let mut children = Vec::new();
        for n in 0..instances.max(1) {
            let own = dir.join(format!("instance-{n}"));
            std::fs::create_dir_all(&own)?;
            let admin = format!("127.0.0.1:{}", free_port()?);
            let mut mine = config.clone();
            mine.admin_addr.clone_from(&admin);
            if webhook {
                mine.telegram.webhook_listen = format!("127.0.0.1:{}", free_port()?);
                hooks.push(format!("http://{}/telegram", mine.telegram.webhook_listen));
            }
            let mut child = Child::new(binary, &mine, &own)?;
            child.start()?;
            children.push((child, admin));
        }
        Ok(Fleet {
            children,
            balancer: balancer.map(|lb| tokio::spawn(balance(lb, hooks))),
        })
    }

    /// Waits until Telegram's updates reach the processes (one polls, or
    /// the webhook is set).
    pub async fn wait_receiving(&self, ctl: &Control) -> anyhow::Result<()> {
        if self.balancer.is_some() {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
            while ctl.bots().await[0]["webhook"].is_null() {
                anyhow::ensure!(
                    tokio::time::Instant::now() < deadline,
                    "larder never set its webhook: {}",
                    self.log_tail(20)
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Ok(())
        } else {
            ctl.wait_polling(Duration::from_secs(30))
                .await
                .map_err(|e| anyhow::anyhow!("larder never polled: {e:?}\n{}", self.log_tail(20)))
        }
    }

    /// The admin addresses.
    pub fn admins(&self) -> Vec<String> {
        self.children.iter().map(|(_, a)| a.clone()).collect()
    }

    /// CPU and memory of every process, added up.
    pub fn usage(&self) -> Usage {
        self.children
            .iter()
            .filter_map(|(c, _)| c.usage())
            .fold(Usage::default(), |a, u| Usage {
                cpu_ms: a.cpu_ms + u.cpu_ms,
                rss_kib: a.rss_kib + u.rss_kib,
                peak_kib: a.peak_kib + u.peak_kib,
            })
    }

    /// Kills one process at once (`kill -9`) and starts it again.
    pub fn kill_and_restart(&mut self, n: usize) -> anyhow::Result<()> {
        let c = &mut self.children[n].0;
        c.kill();
        c.start()
    }

    pub fn log_tail(&self, lines: usize) -> String {
        self.children
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("--- instance {i}\n{}", c.log_tail(lines)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A process that exited by itself (none should).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.children.iter_mut().find_map(|(c, _)| c.exited())
    }

    /// Stops every process gracefully, then the balancer.
    pub async fn stop(mut self, grace: Duration) {
        for (c, _) in &mut self.children {
            c.stop(grace).await;
        }
        if let Some(b) = self.balancer.take() {
            b.abort();
        }
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        if let Some(b) = self.balancer.take() {
            b.abort();
        }
    }
}

/// Which of `admins` leads Telegram now (polls it or registers its
/// webhook, and sends), by their health reports.
pub async fn leader_of(admins: &[String]) -> Option<usize> {
    let http = reqwest::Client::new();
    for (i, admin) in admins.iter().enumerate() {
        let health = async {
            let r = http
                .get(format!("http://{admin}/healthz"))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .ok()?;
            r.json::<serde_json::Value>().await.ok()
        };
        if let Some(h) = health.await
            && h["channels"]["telegram"]["leading"] == true
        {
            return Some(i);
        }
    }
    None
}

/// A round-robin load balancer in front of the processes' webhook
/// endpoints: each POST goes to the next process, or the one after if that
/// one is down (as a proxy's health checks would have it); 502 if none
/// answers.
async fn balance(listener: tokio::net::TcpListener, backends: Vec<String>) {
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};

    #[derive(Clone)]
    struct Lb {
        backends: Arc<Vec<String>>,
        next: Arc<std::sync::atomic::AtomicUsize>,
        http: reqwest::Client,
    }
    async fn forward(State(lb): State<Lb>, headers: HeaderMap, body: Bytes) -> StatusCode {
        const SECRET: &str = "x-telegram-bot-api-secret-token";
        let start = lb.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for i in 0..lb.backends.len() {
            let url = &lb.backends[(start + i) % lb.backends.len()];
            let mut request = lb
                .http
                .post(url)
                .header("content-type", "application/json")
                .body(body.clone());
            if let Some(v) = headers.get(SECRET) {
                request = request.header(SECRET, v.as_bytes());
            }
            match request.send().await {
                Ok(r) => {
                    return StatusCode::from_u16(r.status().as_u16())
                        .unwrap_or(StatusCode::BAD_GATEWAY);
                }
                // Not listening (killed, or starting): the next one.
                Err(e) if e.is_connect() => {}
                Err(_) => return StatusCode::BAD_GATEWAY,
            }
        }
        StatusCode::BAD_GATEWAY
    }
    let app = axum::Router::new()
        .route("/telegram", axum::routing::post(forward))
        .with_state(Lb {
            backends: Arc::new(backends),
            next: Arc::default(),
            http: reqwest::Client::new(),
        });
    if let Err(e) = axum::serve(listener, app).await {
        tracing::error!(error = %e, "the balancer stopped");
    }
}
