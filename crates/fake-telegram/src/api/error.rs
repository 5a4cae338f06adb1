//! Bot API errors with Telegram's own descriptions.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// `{"ok":false,"error_code":N,"description":"…","parameters":{…}}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub description: String,
    pub parameters: Option<Value>,
}

impl ApiError {
    fn new(code: u16, description: String) -> Self {
        Self {
            code,
            description,
            parameters: None,
        }
    }

    /// 400 `Bad Request: {detail}`.
    pub(crate) fn bad_request(detail: &str) -> Self {
        Self::new(400, format!("Bad Request: {detail}"))
    }

    /// 403 `Forbidden: {detail}`.
    pub(crate) fn forbidden(detail: &str) -> Self {
        Self::new(403, format!("Forbidden: {detail}"))
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(401, "Unauthorized".into())
    }

    pub(crate) fn not_found() -> Self {
        Self::new(404, "Not Found".into())
    }

    pub(crate) fn chat_not_found() -> Self {
        Self::bad_request("chat not found")
    }

    pub(crate) fn blocked() -> Self {
        Self::forbidden("bot was blocked by the user")
    }

    pub(crate) fn kicked() -> Self {
        Self::forbidden("bot was kicked from the group chat")
    }

    pub(crate) fn cant_initiate() -> Self {
        Self::forbidden("bot can't initiate conversation with a user")
    }

    pub(crate) fn migrated(to: i64) -> Self {
        Self {
            parameters: Some(json!({ "migrate_to_chat_id": to })),
            ..Self::bad_request("group chat was upgraded to a supergroup chat")
        }
    }

    pub(crate) fn too_many_requests(retry_after: u32) -> Self {
        Self {
            parameters: Some(json!({ "retry_after": retry_after })),
            ..Self::new(429, format!("Too Many Requests: retry after {retry_after}"))
        }
    }

    pub(crate) fn conflict(detail: &str) -> Self {
        Self::new(409, format!("Conflict: {detail}"))
    }

    pub(crate) fn cant_parse_entities(detail: &str) -> Self {
        Self::bad_request(&format!("can't parse entities: {detail}"))
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.code,
            "description": self.description,
        });
        if let Some(parameters) = &self.parameters {
            body["parameters"] = parameters.clone();
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::BAD_REQUEST);
        (status, Json(self.to_json())).into_response()
    }
}

/// `{"ok":true,"result":…}`.
pub(crate) fn ok_response(result: Value) -> Response {
    Json(json!({ "ok": true, "result": result })).into_response()
}
