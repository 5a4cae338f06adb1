//! A small Bot API client: `POST {api_url}/bot{token}/{method}` with JSON
//! (multipart for files), Telegram's answer envelope read in full — its
//! `error_code`, `description`, `retry_after` and `migrate_to_chat_id` —
//! so every failure can be classified, and updates kept exactly as sent.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// Telegram answered with an error.
    Api {
        code: i64,
        description: String,
        retry_after: Option<u64>,
        migrate_to: Option<i64>,
    },
    /// The request or its answer was lost. `unsure`: it may have reached
    /// Telegram and taken effect (the connection broke after sending).
    Http { unsure: bool, message: String },
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Api {
                code, description, ..
            } => write!(f, "{code} {description}"),
            ApiError::Http { message, .. } => write!(f, "request failed: {message}"),
        }
    }
}

impl ApiError {
    /// Telegram's error code, if it answered.
    pub fn code(&self) -> Option<i64> {
        match self {
            ApiError::Api { code, .. } => Some(*code),
            ApiError::Http { .. } => None,
        }
    }

    /// Whether the description contains `text` (case-insensitive).
    pub fn says(&self, text: &str) -> bool {
        match self {
            ApiError::Api { description, .. } => description
                .to_ascii_lowercase()
                .contains(&text.to_ascii_lowercase()),
            ApiError::Http { .. } => false,
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    ok: bool,
    result: Option<T>,
    #[serde(default)]
    error_code: Option<i64>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<Parameters>,
}

#[derive(Deserialize, Default)]
struct Parameters {
    #[serde(default)]
    retry_after: Option<u64>,
    #[serde(default)]
    migrate_to_chat_id: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct BotApi {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl BotApi {
    /// `timeout`: the longest a call may take (long polls get their own).
    pub fn new(api_url: &str, token: &str, timeout: Duration) -> Result<BotApi, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()?;
        Ok(BotApi {
            http,
            base: format!("{}/bot{token}", api_url.trim_end_matches('/')),
            token: token.to_owned(),
        })
    }

    /// Removes the token from text that may quote a request URL.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.token, "<token>")
    }

    fn http_error(&self, e: &reqwest::Error) -> ApiError {
        // A connection that could not be made never reached Telegram; any
        // other failure may have happened after Telegram acted.
        ApiError::Http {
            unsure: !e.is_connect(),
            message: self.redact(&e.to_string()),
        }
    }

    async fn read<T: for<'de> Deserialize<'de>>(
        &self,
        response: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<T, ApiError> {
        let response = response.map_err(|e| self.http_error(&e))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| self.http_error(&e))?;
        let envelope: Envelope<T> = match serde_json::from_slice(&bytes) {
            Ok(e) => e,
            // A proxy's error page, a cut body: the call may have happened.
            Err(_) => {
                return Err(ApiError::Http {
                    unsure: true,
                    message: format!("HTTP {status}: not a Bot API answer"),
                });
            }
        };
        match (envelope.ok, envelope.result) {
            (true, Some(result)) => Ok(result),
            _ => {
                let parameters = envelope.parameters.unwrap_or_default();
                Err(ApiError::Api {
                    code: envelope
                        .error_code
                        .unwrap_or_else(|| i64::from(status.as_u16())),
                    description: envelope.description.unwrap_or_default(),
                    retry_after: parameters.retry_after,
                    migrate_to: parameters.migrate_to_chat_id,
                })
            }
        }
    }

    /// Calls a method with JSON parameters.
    pub async fn call(&self, method: &str, params: &Value) -> Result<Value, ApiError> {
        let response = self
            .http
            .post(format!("{}/{method}", self.base))
            .json(params)
            .send()
            .await;
        self.read(response).await
    }

    /// Sends a file as a document.
    pub async fn send_document(
        &self,
        chat_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
        caption: Option<&str>,
    ) -> Result<Value, ApiError> {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        let mut form = reqwest::multipart::Form::new()
            .text("chat_id", chat_id.to_string())
            .part("document", part);
        if let Some(c) = caption {
            form = form.text("caption", c.to_owned());
        }
        let response = self
            .http
            .post(format!("{}/sendDocument", self.base))
            .multipart(form)
            .send()
            .await;
        self.read(response).await
    }

    /// One long poll: the updates exactly as Telegram sent them. `offset`
    /// `None` asks for the oldest updates not yet confirmed.
    pub async fn get_updates(
        &self,
        offset: Option<i64>,
        timeout_s: u32,
        allowed: &[&str],
    ) -> Result<Vec<Box<RawValue>>, ApiError> {
        let mut params = serde_json::json!({
            "timeout": timeout_s,
            "allowed_updates": allowed,
        });
        if let Some(offset) = offset {
            params["offset"] = offset.into();
        }
        let response = self
            .http
            .post(format!("{}/getUpdates", self.base))
            .json(&params)
            .timeout(Duration::from_secs(u64::from(timeout_s) + 15))
            .send()
            .await;
        self.read(response).await
    }
}
