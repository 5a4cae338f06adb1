//! Method parameters from the query string and a form body
//! (`application/x-www-form-urlencoded` or `multipart/form-data`), read the
//! way VK reads them: everything is text, the last value of a key wins.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};

use super::VkError;

/// A file part of a multipart request.
#[derive(Clone, Debug)]
pub(crate) struct Upload {
    pub field: String,
    pub bytes: Bytes,
    pub file_name: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Params {
    /// Every pair in order, for `request_params` and lookups.
    pub pairs: Vec<(String, String)>,
    /// Multipart parts with a file name.
    pub files: Vec<Upload>,
    /// `Authorization: Bearer …`, which VK accepts instead of `access_token`.
    pub bearer: Option<String>,
}

impl Params {
    pub(crate) async fn from_request(req: Request) -> Result<Self, String> {
        let mut params = Self::default();
        if let Some(query) = req.uri().query() {
            params.pairs.extend(form_pairs(query.as_bytes()));
        }
        params.bearer = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(req, &())
                .await
                .map_err(|e| format!("bad multipart body: {e}"))?;
            while let Some(field) = multipart
                .next_field()
                .await
                .map_err(|e| format!("bad multipart body: {e}"))?
            {
                let name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| format!("bad multipart body: {e}"))?;
                match file_name {
                    Some(file_name) => params.files.push(Upload {
                        field: name,
                        bytes,
                        file_name: Some(file_name).filter(|n| !n.is_empty()),
                    }),
                    None => params
                        .pairs
                        .push((name, String::from_utf8_lossy(&bytes).into_owned())),
                }
            }
            return Ok(params);
        }
        let body = Bytes::from_request(req, &())
            .await
            .map_err(|e| format!("can't read the body: {e}"))?;
        params.pairs.extend(form_pairs(&body));
        Ok(params)
    }

    /// The last value of `key`, if any and not empty.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The value of `key` as text, `""` when absent.
    pub(crate) fn text(&self, key: &str) -> String {
        self.get(key).unwrap_or("").to_owned()
    }

    /// An integer parameter; present but not a number → error 100
    /// `{key} not integer`.
    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, VkError> {
        self.get(key)
            .map(|v| {
                v.trim()
                    .parse()
                    .map_err(|_| VkError::param(&format!("{key} not integer")))
            })
            .transpose()
    }

    /// A comma-separated list of integers.
    pub(crate) fn ints(&self, key: &str) -> Result<Vec<i64>, VkError> {
        let Some(list) = self.get(key) else {
            return Ok(Vec::new());
        };
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse()
                    .map_err(|_| VkError::param(&format!("{key} not integer")))
            })
            .collect()
    }

    /// A flag: `1` or `true`.
    pub(crate) fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("1" | "true"))
    }

    /// The token: `access_token`, else a bearer header.
    pub(crate) fn token(&self) -> Option<&str> {
        self.get("access_token").or(self.bearer.as_deref())
    }

    /// The peer a call is about, for logs and fault matching.
    pub(crate) fn peer_hint(&self) -> Option<i64> {
        ["peer_id", "user_id"]
            .iter()
            .find_map(|k| self.int(k).ok().flatten())
            .or_else(|| self.ints("peer_ids").ok()?.first().copied())
    }

    /// The uploaded file in part `field`.
    pub(crate) fn file(&self, field: &str) -> Option<&Upload> {
        self.files.iter().rev().find(|f| f.field == field)
    }
}

/// `application/x-www-form-urlencoded` pairs.
pub(crate) fn form_pairs(input: &[u8]) -> Vec<(String, String)> {
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
        let pairs = form_pairs(b"peer_id=42&message=a+b%26c%F0%9F%98%80&x=%");
        assert_eq!(pairs[0], ("peer_id".into(), "42".into()));
        assert_eq!(pairs[1], ("message".into(), "a b&c😀".into()));
        assert_eq!(pairs[2], ("x".into(), "%".into()));
    }

    #[test]
    fn the_last_value_wins_and_lists_split_on_commas() {
        let params = Params {
            pairs: form_pairs(b"peer_id=1&peer_id=2&message_ids=3,%204,5&delete_for_all=1"),
            ..Params::default()
        };
        assert_eq!(params.int("peer_id").unwrap(), Some(2));
        assert_eq!(params.ints("message_ids").unwrap(), [3, 4, 5]);
        assert!(params.flag("delete_for_all"));
        assert_eq!(params.peer_hint(), Some(2));
        let bad = Params {
            pairs: form_pairs(b"peer_id=abc"),
            ..Params::default()
        };
        assert_eq!(
            bad.int("peer_id").unwrap_err().msg,
            "One of the parameters specified was missing or invalid: peer_id not integer"
        );
    }
}
