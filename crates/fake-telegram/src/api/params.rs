//! Method parameters from the query string and a JSON, form or multipart
//! body, read the lenient way Telegram reads them: numbers may come as
//! strings, and JSON-typed fields (reply_markup, allowed_updates, ...) may
//! come as JSON text.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::Value;

use super::ApiError;

/// A file part of a multipart request.
#[derive(Clone, Debug)]
pub(crate) struct Upload {
    pub bytes: Bytes,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

/// A file parameter: a fresh upload or a string (file_id or URL).
pub(crate) enum InputFile<'a> {
    Upload(&'a Upload),
    Reference(String),
}

#[derive(Debug, Default)]
pub(crate) struct Params {
    values: HashMap<String, Value>,
    /// Multipart parts with a file name.
    files: HashMap<String, Upload>,
    /// Multipart parts without one, raw (an `attach://` target may lack it).
    raw_parts: HashMap<String, Upload>,
}

/// `chat_id` as given: a number or an `@username`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChatRef {
    Id(i64),
    Username(String),
}

impl Params {
    pub(crate) async fn from_request(req: Request) -> Result<Self, ApiError> {
        let mut params = Self::default();
        if let Some(query) = req.uri().query() {
            for (k, v) in form_pairs(query.as_bytes()) {
                params.values.insert(k, Value::String(v));
            }
        }
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(req, &())
                .await
                .map_err(|_| ApiError::bad_request("can't parse multipart/form-data request"))?;
            while let Some(field) = multipart
                .next_field()
                .await
                .map_err(|_| ApiError::bad_request("can't parse multipart/form-data request"))?
            {
                let name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let part_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|_| {
                    ApiError::bad_request("can't parse multipart/form-data request")
                })?;
                if file_name.is_some() {
                    params.files.insert(
                        name,
                        Upload {
                            bytes,
                            file_name: file_name.filter(|n| !n.is_empty()),
                            content_type: part_type,
                        },
                    );
                } else {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    params.values.insert(name.clone(), Value::String(text));
                    params.raw_parts.insert(
                        name,
                        Upload {
                            bytes,
                            file_name: None,
                            content_type: part_type,
                        },
                    );
                }
            }
            return Ok(params);
        }
        let body = Bytes::from_request(req, &())
            .await
            .map_err(|_| ApiError::bad_request("can't read request body"))?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(params);
        }
        if content_type.starts_with("application/json") {
            let value: Value = serde_json::from_slice(&body)
                .map_err(|_| ApiError::bad_request("can't parse JSON encoded request"))?;
            let Value::Object(map) = value else {
                return Err(ApiError::bad_request("JSON request must be an object"));
            };
            params.values.extend(map);
        } else {
            for (k, v) in form_pairs(&body) {
                params.values.insert(k, Value::String(v));
            }
        }
        Ok(params)
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.values.get(key).is_some_and(|v| !v.is_null()) || self.files.contains_key(key)
    }

    /// A string parameter (numbers and booleans are turned into text).
    pub(crate) fn str(&self, key: &str) -> Option<String> {
        match self.values.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// An integer parameter; present but not a number → `Bad Request: {error}`.
    pub(crate) fn int(&self, key: &str, error: &str) -> Result<Option<i64>, ApiError> {
        match self.values.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| ApiError::bad_request(error)),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| ApiError::bad_request(error)),
            Some(_) => Err(ApiError::bad_request(error)),
        }
    }

    pub(crate) fn bool(&self, key: &str) -> bool {
        match self.values.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => matches!(s.as_str(), "true" | "True" | "1"),
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            _ => false,
        }
    }

    /// A JSON-typed parameter, given as JSON or as JSON text.
    pub(crate) fn json(&self, key: &str) -> Result<Option<Value>, String> {
        match self.values.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s).map(Some).map_err(|e| e.to_string()),
            Some(other) => Ok(Some(other.clone())),
        }
    }

    /// `chat_id`: a number, a numeric string or `@username`.
    pub(crate) fn chat(&self) -> Result<ChatRef, ApiError> {
        self.chat_opt()?
            .ok_or_else(|| ApiError::bad_request("chat_id is empty"))
    }

    pub(crate) fn chat_opt(&self) -> Result<Option<ChatRef>, ApiError> {
        match self.values.get("chat_id") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(|id| Some(ChatRef::Id(id)))
                .ok_or_else(ApiError::chat_not_found),
            Some(Value::String(s)) => {
                let s = s.trim();
                if s.is_empty() {
                    Ok(None)
                } else if let Ok(id) = s.parse() {
                    Ok(Some(ChatRef::Id(id)))
                } else if let Some(name) = s.strip_prefix('@') {
                    Ok(Some(ChatRef::Username(name.to_owned())))
                } else {
                    Err(ApiError::chat_not_found())
                }
            }
            Some(_) => Err(ApiError::chat_not_found()),
        }
    }

    /// The numeric chat id, if any, for logs and fault matching.
    pub(crate) fn chat_id_hint(&self) -> Option<i64> {
        match self.chat_opt() {
            Ok(Some(ChatRef::Id(id))) => Some(id),
            _ => None,
        }
    }

    /// A file parameter: a part named like the field, an `attach://name`
    /// reference to another part, or a string (file_id or URL).
    pub(crate) fn file(&self, key: &str) -> Option<InputFile<'_>> {
        if let Some(upload) = self.files.get(key) {
            return Some(InputFile::Upload(upload));
        }
        let value = self.str(key)?;
        if let Some(name) = value.strip_prefix("attach://") {
            return self
                .files
                .get(name)
                .or_else(|| self.raw_parts.get(name))
                .map(InputFile::Upload);
        }
        Some(InputFile::Reference(value))
    }
}

/// `application/x-www-form-urlencoded` pairs.
fn form_pairs(input: &[u8]) -> Vec<(String, String)> {
    input
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |&b| b == b'=');
            let key = decode(parts.next().unwrap_or_default());
            let value = decode(parts.next().unwrap_or_default());
            (key, value)
        })
        .collect()
}

fn decode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < input.len() => {
                let hex = std::str::from_utf8(&input[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_percent_decoded() {
        let pairs = form_pairs(b"chat_id=42&text=a+b%26c%F0%9F%98%80&x=%");
        assert_eq!(pairs[0], ("chat_id".into(), "42".into()));
        assert_eq!(pairs[1], ("text".into(), "a b&c😀".into()));
        assert_eq!(pairs[2], ("x".into(), "%".into()));
    }
}
