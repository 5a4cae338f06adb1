//! VK errors: `{"error": {"error_code", "error_msg", "request_params"}}`,
//! answered with HTTP 200 like VK does. Messages are VK's own (from the
//! official API schema, `errors.json`, and real answers for the details
//! after a colon).

use serde_json::{Value, json};

/// A VK API error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VkError {
    pub code: u32,
    pub msg: String,
}

/// VK's message for an error code (API schema `errors.json`, v5.199).
pub(crate) fn standard_message(code: u32) -> Option<&'static str> {
    Some(match code {
        1 => "Unknown error occurred",
        2 => "Application is disabled. Enable your application or use test mode",
        3 => "Unknown method passed",
        5 => "User authorization failed",
        6 => "Too many requests per second",
        7 => "Permission to perform this action is denied",
        8 => "Invalid request",
        9 => "Flood control",
        10 => "Internal server error",
        14 => "Captcha needed",
        15 => "Access denied",
        18 => "User was deleted or banned",
        27 => "Group authorization failed",
        29 => "Rate limit reached",
        30 => "This profile is private",
        100 => "One of the parameters specified was missing or invalid",
        104 => "Not found",
        113 => "Invalid user id",
        118 => "Invalid server",
        121 => "Invalid hash",
        900 => "Can't send messages for users from blacklist",
        901 => "Can't send messages for users without permission",
        902 => "Can't send messages to this user due to their privacy settings",
        909 => "Can't edit this message, because it's too old",
        910 => "Can't sent this message, because it's too big",
        911 => "Keyboard format is invalid",
        912 => "This is a chat bot feature, change this status in settings",
        913 => "Too many forwarded messages",
        914 => "Message is too long",
        917 => "You don't have access to this chat",
        920 => "Can't edit this kind of message",
        924 => "Can't delete this message for everybody",
        932 => "Your community can't interact with this peer",
        936 => "Contact not found",
        _ => return None,
    })
}

impl VkError {
    /// Error `code` with VK's message (or "Unknown error occurred").
    pub(crate) fn new(code: u32) -> Self {
        Self {
            code,
            msg: standard_message(code)
                .unwrap_or("Unknown error occurred")
                .to_owned(),
        }
    }

    /// Error `code` with VK's message and a detail after a colon, the way
    /// VK words parameter errors.
    pub(crate) fn with_detail(code: u32, detail: &str) -> Self {
        let base = standard_message(code).unwrap_or("Unknown error occurred");
        Self {
            code,
            msg: format!("{base}: {detail}"),
        }
    }

    /// 100 with the name of the bad parameter.
    pub(crate) fn param(detail: &str) -> Self {
        Self::with_detail(100, detail)
    }

    pub(crate) fn unknown_method() -> Self {
        Self::new(3)
    }

    pub(crate) fn bad_token() -> Self {
        Self::with_detail(5, "invalid access_token (4).")
    }

    pub(crate) fn no_token() -> Self {
        Self::with_detail(5, "no access_token passed.")
    }

    /// 15 for a token without the right a method needs, worded as VK has
    /// answered it since 2024 (before: without the last sentence).
    pub(crate) fn no_right() -> Self {
        Self::with_detail(
            15,
            "no access to call this method. It cannot be called with current scopes.",
        )
    }

    /// The body VK answers: the error with the call's parameters (the token
    /// left out).
    pub(crate) fn to_json(&self, method: &str, params: &[(String, String)]) -> Value {
        let mut request_params = vec![
            json!({ "key": "method", "value": method }),
            json!({ "key": "oauth", "value": "1" }),
        ];
        request_params.extend(
            params
                .iter()
                .filter(|(k, _)| k != "access_token" && k != "method" && k != "oauth")
                .map(|(k, v)| json!({ "key": k, "value": v })),
        );
        json!({
            "error": {
                "error_code": self.code,
                "error_msg": self.msg,
                "request_params": request_params,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_names_the_method_and_hides_the_token() {
        let params = vec![
            ("peer_id".to_owned(), "42".to_owned()),
            ("access_token".to_owned(), "secret".to_owned()),
        ];
        let body = VkError::new(901).to_json("messages.send", &params);
        assert_eq!(body["error"]["error_code"], 901);
        assert_eq!(
            body["error"]["error_msg"],
            "Can't send messages for users without permission"
        );
        let keys: Vec<&str> = body["error"]["request_params"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["key"].as_str())
            .collect();
        assert_eq!(keys, ["method", "oauth", "peer_id"]);
        assert!(!body.to_string().contains("secret"));
    }

    #[test]
    fn parameter_errors_carry_the_detail() {
        assert_eq!(
            VkError::param("random_id is a required parameter").msg,
            "One of the parameters specified was missing or invalid: random_id is a required parameter"
        );
    }
}
