//! Routes and the server task.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::state::App;
use crate::{Config, FakeVk, api, control, longpoll};
use fake_support::conn::{Conn, CuttableListener};

/// Uploads up to VK's 200 MB document limit.
const BODY_LIMIT: usize = 200 * 1024 * 1024;

/// A web chat in which a person plays a VK user through the control API.
const DEMO_PAGE: &str = include_str!("demo.html");

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(demo_page))
        .route("/method/{name}", get(api::handle).post(api::handle))
        .route(
            "/longpoll/{group_id}",
            get(longpoll::check).post(longpoll::check),
        )
        .route("/upload/{group_id}/{slot}", post(api::upload))
        .route("/files/{attachment}", get(control::file))
        .nest("/control", control::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

async fn demo_page() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        DEMO_PAGE,
    )
}

pub(crate) async fn spawn(config: Config) -> io::Result<FakeVk> {
    let listener = TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let reachable = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    };
    let base_url = format!("http://{reachable}");
    let app = App::new(&config, base_url.clone())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let app = Arc::new(app);
    let service = router(Arc::clone(&app)).into_make_service_with_connect_info::<Conn>();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(CuttableListener(listener), service)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
        if let Err(err) = served {
            tracing::warn!("fake-vk stopped with an error: {err}");
        }
    });
    Ok(FakeVk {
        base_url,
        addr,
        app,
        stop: Some(stop),
        task: Some(task),
    })
}
