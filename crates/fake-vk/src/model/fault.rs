//! [`Fault`]: the body of `POST /control/faults`, with builders.

use serde::{Deserialize, Serialize};

/// An injected failure (`POST /control/faults`). Exactly one of
/// `error_code`, `delay_ms`, `lose_response` and `longpoll_failed`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// API method; `None` matches every method (not the long poll).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Only calls about this peer (`peer_id`, `user_id` or `peer_ids`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<u32>,
    /// Overrides VK's message for `error_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// The call takes effect, then the connection closes unanswered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lose_response: bool,
    /// The next long polls answer `{"failed": N}` (1, 2 or 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longpoll_failed: Option<u8>,
    /// How many calls it affects; errors, losses and long-poll failures
    /// default to 1, delays to every call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

impl Fault {
    /// The call fails with VK error `code` and VK's message for it.
    pub fn error(code: u32) -> Self {
        Self {
            error_code: Some(code),
            ..Self::default()
        }
    }

    /// 6: Too many requests per second.
    pub fn too_many_requests() -> Self {
        Self::error(6)
    }

    /// 9: Flood control.
    pub fn flood_control() -> Self {
        Self::error(9)
    }

    /// 10: Internal server error.
    pub fn internal_error() -> Self {
        Self::error(10)
    }

    /// 29: Rate limit reached.
    pub fn rate_limit_reached() -> Self {
        Self::error(29)
    }

    /// 900: Can't send messages for users from blacklist.
    pub fn blacklisted() -> Self {
        Self::error(900)
    }

    /// 901: Can't send messages for users without permission.
    pub fn no_permission() -> Self {
        Self::error(901)
    }

    /// 902: Can't send messages to this user due to their privacy settings.
    pub fn privacy() -> Self {
        Self::error(902)
    }

    /// 911: Keyboard format is invalid.
    pub fn keyboard_invalid() -> Self {
        Self::error(911)
    }

    /// 914: Message is too long.
    pub fn message_too_long() -> Self {
        Self::error(914)
    }

    /// Every call (or every call of [`Fault::method`]) waits first.
    pub fn delay(delay_ms: u64) -> Self {
        Self {
            delay_ms: Some(delay_ms),
            ..Self::default()
        }
    }

    /// The call of `method` takes effect; its response is lost.
    pub fn lose_response(method: &str) -> Self {
        Self {
            method: Some(method.to_owned()),
            lose_response: true,
            ..Self::default()
        }
    }

    /// The next long poll answers `{"failed": failed}`: 1 (history out of
    /// date, go on with the new `ts`), 2 (key expired) or 3 (information
    /// lost). After 2 and 3 the key no longer works.
    pub fn longpoll_failed(failed: u8) -> Self {
        Self {
            longpoll_failed: Some(failed),
            ..Self::default()
        }
    }

    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    pub fn peer(mut self, peer_id: i64) -> Self {
        self.peer_id = Some(peer_id);
        self
    }

    pub fn message(mut self, error_msg: &str) -> Self {
        self.error_msg = Some(error_msg.to_owned());
        self
    }

    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }
}
