//! `/healthz` and `/metrics` on the admin address.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use larder_runtime::Metrics;
use larder_store::{Store, inbox, outbox};

#[derive(Clone)]
struct AdminState {
    store: Store,
    metrics: Arc<Metrics>,
}

pub async fn serve(
    addr: &str,
    store: Store,
    metrics: Arc<Metrics>,
) -> anyhow::Result<(tokio::task::JoinHandle<()>, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on the admin address {addr}"))?;
    let local = listener.local_addr()?;
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .with_state(AdminState { store, metrics });
    let handle = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "admin server stopped");
        }
    });
    Ok((handle, local))
}

async fn healthz(State(s): State<AdminState>) -> (StatusCode, &'static str) {
    match s.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"),
    }
}

async fn metrics_text(State(s): State<AdminState>) -> String {
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
