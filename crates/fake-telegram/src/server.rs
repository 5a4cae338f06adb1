//! Routes and the server task.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::state::App;
use crate::{Config, Handle, api, control};
use fake_support::conn::{Conn, CuttableListener};

/// Uploads up to Telegram's 50 MB.
const BODY_LIMIT: usize = 50 * 1024 * 1024;

const DEMO_PAGE: &str = include_str!("demo.html");

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(demo_page))
        .nest("/control", control::router())
        .route("/file/{bot}/{*path}", get(api::download))
        .route("/{bot}/{method}", get(api::handle).post(api::handle))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

async fn demo_page() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        DEMO_PAGE,
    )
}

pub(crate) async fn spawn(config: Config) -> io::Result<Handle> {
    let listener = TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let app = Arc::new(App::new(&config));
    let service = router(Arc::clone(&app)).into_make_service_with_connect_info::<Conn>();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(CuttableListener(listener), service)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
        if let Err(err) = served {
            tracing::warn!("fake-telegram stopped with an error: {err}");
        }
    });
    let reachable = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    };
    Ok(Handle {
        base_url: format!("http://{reachable}"),
        addr,
        app,
        stop: Some(stop),
        task: Some(task),
    })
}
