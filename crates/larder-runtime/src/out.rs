//! What the outbox holds: calls to make, in channel-neutral form. Each
//! channel's sender renders them when it sends, so a message queued by one
//! channel's handling for another channel's chat is stored the same way.

use larder_ui::wire::WireView;
use serde::{Deserialize, Serialize};

/// A toast as stored with a press's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToastOut {
    pub text: String,
    #[serde(default)]
    pub alert: bool,
}

/// One outgoing call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Out {
    /// A plain message.
    Send {
        view: WireView,
    },
    /// A new screen (the desk, the shop): sent, pinned where the channel
    /// pins, and remembered as the chat's screen.
    ScreenSend {
        view: WireView,
    },
    /// The chat's screen edited in place (`page`: which page of its buttons,
    /// for channels that page them).
    ScreenEdit {
        view: WireView,
        #[serde(default)]
        page: usize,
    },
    /// Another message of the chat edited in place.
    Edit {
        message_id: i64,
        view: WireView,
    },
    Delete {
        message_id: i64,
    },
    /// An earlier screen left in the conversation as one line of text
    /// without buttons: where typed input stays (VK), the chat then reads as
    /// questions and answers, and the new screen comes below.
    Retire {
        message_id: i64,
        text: String,
    },
    Pin {
        message_id: i64,
    },
    /// An order card sent for the first time; its message is remembered.
    CardSend {
        card_id: i64,
        view: WireView,
    },
    /// An order card edited in place (sent anew if its message is gone).
    CardEdit {
        card_id: i64,
        view: WireView,
    },
    /// A file, base64-encoded. Stored, its bytes go to the `files` table
    /// and `file` names them there (`data` is then empty until it is read
    /// back to be sent).
    Document {
        file_name: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        data: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<i64>,
        #[serde(default)]
        caption: Option<String>,
    },
    /// The answer to a button press: sent at once, never paced behind the
    /// chat's messages. `press` is what the channel needs to answer it.
    Answer {
        press: String,
        #[serde(default)]
        toast: Option<ToastOut>,
    },
    /// A call queued by an older version, in its old form (the transport
    /// reads [`crate::Call::legacy`]). Never written.
    #[serde(skip)]
    Legacy,
}

impl Out {
    /// The outbox `kind` of this call.
    pub fn kind(&self) -> &'static str {
        match self {
            Out::Send { .. } => "send",
            Out::ScreenSend { .. } => "screen_send",
            Out::ScreenEdit { .. } => "screen_edit",
            Out::Edit { .. } => "edit",
            Out::Delete { .. } => "delete",
            Out::Retire { .. } => "retire",
            Out::Pin { .. } => "pin",
            Out::CardSend { .. } => "card_send",
            Out::CardEdit { .. } => "card_edit",
            Out::Document { .. } => "document",
            Out::Answer { .. } => "answer",
            Out::Legacy => "legacy",
        }
    }

    /// Whether doing it twice shows nothing twice (an edit to the same
    /// content, a delete, a pin, an answer): its outcome may be recorded a
    /// little later, in a batch. Sends are recorded at once.
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self,
            Out::ScreenEdit { .. }
                | Out::Edit { .. }
                | Out::Delete { .. }
                | Out::Retire { .. }
                | Out::Pin { .. }
                | Out::CardEdit { .. }
                | Out::Answer { .. }
        )
    }

    /// Whether the messenger counts it against a chat's message budget.
    pub fn is_counted(&self) -> bool {
        !matches!(
            self,
            Out::Delete { .. } | Out::Retire { .. } | Out::Pin { .. } | Out::Answer { .. }
        )
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Kinds written by the previous sender, still in an outbox after an
/// upgrade; the adapters read their old payloads.
pub const LEGACY_PREFIX: &str = "v1:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_round_trip_with_their_kind_as_tag() {
        let mut view = WireView::default();
        view.text.plain("Hello");
        for out in [
            Out::Send { view: view.clone() },
            Out::ScreenEdit {
                view: view.clone(),
                page: 2,
            },
            Out::CardEdit { card_id: 7, view },
            Out::Answer {
                press: "123".into(),
                toast: Some(ToastOut {
                    text: "Saved".into(),
                    alert: false,
                }),
            },
        ] {
            let json = out.to_json();
            assert!(
                json.contains(&format!("\"kind\":\"{}\"", out.kind())),
                "{json}"
            );
            assert_eq!(serde_json::from_str::<Out>(&json).unwrap(), out);
        }
    }
}
