//! A thin VK API client: `POST {api_url}/method/{name}` with form bodies,
//! VK's error envelope turned into [`VkError`].

use std::time::Duration;

use serde_json::Value;

pub const VERSION: &str = "5.199";

#[derive(Debug, thiserror::Error)]
pub enum VkError {
    /// VK answered with an error object.
    #[error("VK error {code}: {message}")]
    Api { code: i64, message: String },
    /// The request or its response was lost (it may have taken effect).
    #[error("VK request failed: {0}")]
    Http(String),
}

impl VkError {
    pub fn code(&self) -> Option<i64> {
        match self {
            VkError::Api { code, .. } => Some(*code),
            VkError::Http(_) => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct VkApi {
    http: reqwest::Client,
    api_url: String,
    token: String,
}

impl VkApi {
    pub fn new(api_url: &str, token: &str, timeout: Duration) -> Result<VkApi, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(timeout)
            .build()?;
        Ok(VkApi {
            http,
            api_url: api_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }

    /// The HTTP client (for uploads and downloads).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn redact(&self, text: &str) -> String {
        text.replace(&self.token, "<token>")
    }

    /// Calls a method; `params` are sent as a form with the token and version.
    pub async fn call(&self, method: &str, params: &[(&str, String)]) -> Result<Value, VkError> {
        let mut form: Vec<(&str, String)> = params.to_vec();
        form.push(("access_token", self.token.clone()));
        form.push(("v", VERSION.to_owned()));
        let url = format!("{}/method/{method}", self.api_url);
        let response = self
            .http
            .post(&url)
            .form(&form)
            .send()
            .await
            .map_err(|e| VkError::Http(self.redact(&e.to_string())))?;
        let body: Value = response
            .json()
            .await
            .map_err(|e| VkError::Http(self.redact(&e.to_string())))?;
        if let Some(error) = body.get("error") {
            return Err(VkError::Api {
                code: error["error_code"].as_i64().unwrap_or(0),
                message: error["error_msg"].as_str().unwrap_or_default().to_owned(),
            });
        }
        Ok(body.get("response").cloned().unwrap_or(Value::Null))
    }

    /// One long-poll request to `server` (as `groups.getLongPollServer` gave it).
    pub async fn check(
        &self,
        server: &str,
        key: &str,
        ts: &str,
        wait: u32,
    ) -> Result<Value, VkError> {
        let response = self
            .http
            .get(server)
            .query(&[
                ("act", "a_check"),
                ("key", key),
                ("ts", ts),
                ("wait", &wait.to_string()),
            ])
            .timeout(Duration::from_secs(u64::from(wait) + 15))
            .send()
            .await
            .map_err(|e| VkError::Http(self.redact(&e.to_string())))?;
        response
            .json()
            .await
            .map_err(|e| VkError::Http(self.redact(&e.to_string())))
    }
}
