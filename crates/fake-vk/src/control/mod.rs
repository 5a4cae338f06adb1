//! The control API (`/control/...`): JSON endpoints through which tests,
//! benchmarks and demos play the people writing to the community and
//! inspect what the bot did. Every endpoint takes an optional
//! `?group=<community id>`; without it the first community is meant.

mod actions;
mod inspect;
mod people;
mod press;
mod rights;
mod steer;
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

pub(crate) use inspect::file;

use crate::state::App;

pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/groups", get(inspect::groups))
        .route("/polling", get(inspect::wait_polling))
        .route("/users", get(people::list_users).post(people::upsert_user))
        .route("/peers", get(people::list_peers))
        .route("/peers/{id}", get(inspect::peer))
        .route("/peers/{id}/wait", get(inspect::wait_peer))
        .route("/peers/{id}/messages", post(actions::send_text))
        .route("/peers/{id}/press", post(press::press))
        .route("/peers/{id}/block", post(people::block))
        .route("/peers/{id}/allow", post(people::allow))
        .route("/answers/{event_id}", get(inspect::answer))
        .route("/answers/{event_id}/wait", get(inspect::wait_answer))
        .route("/files/{attachment}", get(inspect::file))
        .route(
            "/requests",
            get(inspect::requests).delete(steer::clear_requests),
        )
        .route(
            "/faults",
            post(steer::add_fault).delete(steer::clear_faults),
        )
        .route("/clock", get(steer::clock).post(steer::move_clock))
        .route("/reset", post(steer::reset))
        .route(
            "/rate_limit",
            get(steer::rate_limit).post(steer::set_rate_limit),
        )
        .route("/rights", get(rights::list).post(rights::set))
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

    pub(crate) fn conflict(message: &str) -> Self {
        Self::new(StatusCode::CONFLICT, message)
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

/// Which community a control call is about (`?group=<id>`, default: the
/// first).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Group(pub usize);

impl FromRequestParts<Arc<App>> for Group {
    type Rejection = CtlError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, CtlError> {
        let query = parts.uri.query().unwrap_or("");
        let wanted = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("group="));
        let Some(wanted) = wanted else {
            return Ok(Self(0));
        };
        wanted
            .parse::<i64>()
            .ok()
            .and_then(|id| app.group_by_id(id))
            .map(Self)
            .ok_or_else(|| CtlError::not_found(&format!("no community {wanted}")))
    }
}

/// A JSON body whose errors come back as `{"error": ...}`; an empty body
/// reads as `{}`.
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

/// A user peer id (1 ..= 1_999_999_999).
pub(crate) fn user_peer(peer_id: i64) -> Result<i64, CtlError> {
    if (1..2_000_000_000).contains(&peer_id) {
        Ok(peer_id)
    } else {
        Err(CtlError::bad(
            "peer_id must be a user id (group chats are not emulated)",
        ))
    }
}
