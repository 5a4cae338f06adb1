//! `/livez`, `/readyz` (and `/healthz`, the same with details) and
//! `/metrics` on the admin address.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use larder_core::Clock;
use larder_runtime::Metrics;
use larder_runtime::health::Health;
use larder_store::{Store, inbox, outbox};
use serde_json::{Value, json};

/// What the admin endpoints look at.
#[derive(Clone)]
pub struct Watched {
    pub store: Store,
    pub metrics: Arc<Metrics>,
    pub health: Arc<Health>,
    pub clock: Clock,
    /// The longest a poll waits for news (a quiet messenger answers then).
    pub poll_timeout_s: u32,
}

pub async fn serve(
    addr: &str,
    watched: Watched,
) -> anyhow::Result<(tokio::task::JoinHandle<()>, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on the admin address {addr}"))?;
    let local = listener.local_addr()?;
    let app = Router::new()
        .route("/livez", get(|| async { "alive\n" }))
        .route("/readyz", get(readyz))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .with_state(watched);
    let handle = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "admin server stopped");
        }
    });
    Ok((handle, local))
}

/// The state of the service: the database answers, every channel this
/// process receives has heard from its messenger lately, and how long the
/// oldest message has been waiting to go out.
async fn report(s: &Watched) -> (bool, Value) {
    let now = s.clock.now_ms();
    let oldest = async {
        s.store.ping().await?;
        let mut conn = s.store.conn().await?;
        outbox::oldest_pending(&mut conn).await
    };
    let (database, oldest) = match oldest.await {
        Ok(oldest) => ("ok", oldest),
        Err(_) => ("unreachable", None),
    };
    // A poll waits up to its timeout; allow that and half a minute more.
    let quiet_ms = i64::from(s.poll_timeout_s) * 1000 + 30_000;
    let mut ready = database == "ok";
    let mut channels = serde_json::Map::new();
    for (channel, h) in s.health.channels() {
        let ago = h.last_heard_ms.map(|t| (now - t).max(0) / 1000);
        // A webhook is quiet while nobody writes: silence says nothing
        // there, and what Telegram reports (it cannot reach the URL) is a
        // matter of the proxy in front, not of this process's readiness.
        let state = match (h.webhook, h.receiving, h.last_heard_ms) {
            (true, _, _) if h.problem.is_some() => "webhook not reached",
            (true, _, _) => "receiving by webhook",
            (false, false, _) => "standby",
            (false, true, Some(t)) if now - t <= quiet_ms => "receiving",
            (false, true, _) => "not hearing from the messenger",
        };
        ready &= state != "not hearing from the messenger";
        channels.insert(
            channel.as_str().to_owned(),
            json!({
                "state": state,
                "leading": h.leading,
                "last_heard_s_ago": ago,
                "problem": h.problem,
            }),
        );
    }
    let body = json!({
        "status": if ready { "ready" } else { "not ready" },
        "database": database,
        "channels": channels,
        "oldest_unsent_s": oldest.map(|t| (now - t).max(0) / 1000),
    });
    (ready, body)
}

async fn readyz(State(s): State<Watched>) -> (StatusCode, String) {
    let (ready, body) = report(&s).await;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        format!("{}\n", body["status"].as_str().unwrap_or_default()),
    )
}

async fn healthz(State(s): State<Watched>) -> (StatusCode, axum::Json<Value>) {
    let (ready, body) = report(&s).await;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body))
}

async fn metrics_text(State(s): State<Watched>) -> String {
    let mut out = s.metrics.render();
    let db = s.store.stats();
    out.push_str("# HELP larder_db_transactions_total Write transactions begun.\n# TYPE larder_db_transactions_total counter\n");
    out.push_str(&format!(
        "larder_db_transactions_total {}\n",
        db.transactions
    ));
    out.push_str("# HELP larder_db_reads_total Connections taken for reads outside a transaction.\n# TYPE larder_db_reads_total counter\n");
    out.push_str(&format!("larder_db_reads_total {}\n", db.connections));
    let gauges = async {
        let mut conn = s.store.conn().await?;
        Ok::<_, larder_store::StoreError>((
            inbox::count(&mut conn, "pending").await?,
            outbox::count(&mut conn, "pending").await?,
            outbox::count(&mut conn, "failed").await? + outbox::count(&mut conn, "expired").await?,
        ))
    };
    if let Ok((inbox_pending, outbox_pending, dead)) = gauges.await {
        out.push_str("# HELP larder_inbox_pending Updates stored but not yet handled.\n# TYPE larder_inbox_pending gauge\n");
        out.push_str(&format!("larder_inbox_pending {inbox_pending}\n"));
        out.push_str("# HELP larder_outbox_pending Calls queued but not yet made.\n# TYPE larder_outbox_pending gauge\n");
        out.push_str(&format!("larder_outbox_pending {outbox_pending}\n"));
        out.push_str("# HELP larder_dead_letters Calls that failed for good or expired (see the desk's Delivery screen).\n# TYPE larder_dead_letters gauge\n");
        out.push_str(&format!("larder_dead_letters {dead}\n"));
    }
    out
}
