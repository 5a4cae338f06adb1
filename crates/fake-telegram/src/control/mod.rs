//! The control API (`/control/...`): JSON endpoints through which tests,
//! benchmarks and the demo page play the people in the chats and inspect
//! what the bot did. Every endpoint takes an optional `?bot=<bot user id>`;
//! without it the first bot is meant.

mod actions;
mod inspect;
mod people;
mod press;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::state::App;

pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/bots", get(inspect::bots))
        .route("/polling", get(inspect::wait_polling))
        .route("/users", get(people::list_users).post(people::upsert_user))
        .route("/users/{id}/block", post(people::block))
        .route("/users/{id}/unblock", post(people::unblock))
        .route("/groups", post(people::create_group))
        .route("/groups/{id}/migrate", post(people::migrate))
        .route("/groups/{id}/remove_bot", post(people::remove_bot))
        .route("/chats", get(people::list_chats))
        .route("/chats/{id}", get(inspect::chat))
        .route("/chats/{id}/wait", get(inspect::wait_chat))
        .route("/chats/{id}/messages", post(actions::send_text))
        .route("/chats/{id}/contact", post(actions::share_contact))
        .route("/chats/{id}/photo", post(actions::send_photo))
        .route("/chats/{id}/press", post(press::press))
        .route("/callbacks/{id}", get(inspect::callback))
        .route("/callbacks/{id}/wait", get(inspect::wait_callback))
        .route("/files/{id}", get(inspect::file))
        .route(
            "/requests",
            get(inspect::requests).delete(inspect::clear_requests),
        )
        .route(
            "/faults",
            post(inspect::add_fault).delete(inspect::clear_faults),
        )
        .route("/clock", get(inspect::clock).post(inspect::advance_clock))
        .route("/reset", post(inspect::reset))
        .route(
            "/rate_limits",
            get(inspect::rate_limits).post(inspect::set_rate_limits),
        )
        .route("/commands", get(inspect::commands))
}

/// A control API error: `{"error": "...", ...}`.
#[derive(Debug)]
pub(crate) struct CtlError {
    status: StatusCode,
    body: Value,
}

impl CtlError {
    pub(crate) fn new(status: StatusCode, message: &str) -> Self {
        Self {
            status,
            body: json!({ "error": message }),
        }
    }

    pub(crate) fn bad(message: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found(message: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// Adds a field to the error body.
    pub(crate) fn with(mut self, key: &str, value: Value) -> Self {
        self.body[key] = value;
        self
    }
}

impl IntoResponse for CtlError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

pub(crate) type CtlResult = Result<Response, CtlError>;

pub(crate) fn reply(value: impl serde::Serialize) -> CtlResult {
    Ok(axum::Json(value).into_response())
}

/// Which bot a control call is about (`?bot=<id>`, default: the first).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bot(pub usize);

impl FromRequestParts<Arc<App>> for Bot {
    type Rejection = CtlError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, CtlError> {
        let query = parts.uri.query().unwrap_or("");
        let wanted = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("bot="))
            .map(|v| v.trim_start_matches('@'));
        let Some(wanted) = wanted else {
            return Ok(Self(0));
        };
        let index = match wanted.parse::<i64>() {
            Ok(id) => app.bot_index_by_id(id),
            Err(_) => app.bots.iter().position(|b| b.username == wanted),
        };
        index
            .map(Self)
            .ok_or_else(|| CtlError::not_found(&format!("no bot {wanted}")))
    }
}

/// A JSON body whose errors come back as `{"error": ...}`.
pub(crate) struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = CtlError;

    async fn from_request(req: Request, state: &S) -> Result<Self, CtlError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| CtlError::bad(&e.to_string()))?;
        let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
            axum::body::Bytes::from_static(b"{}")
        } else {
            bytes
        };
        serde_json::from_slice(&bytes)
            .map(Self)
            .map_err(|e| CtlError::bad(&format!("bad JSON body: {e}")))
    }
}
