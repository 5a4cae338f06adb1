//! Making calls to the Bot API and telling what a failure means: 429 and
//! server errors and lost connections are worth retrying; 403 and "chat not
//! found" mean the chat is gone; other refusals are for good. Outcomes that
//! only look like failures are successes: an edit to the same content ("not
//! modified"), a message already deleted, a pin the chat does not allow (the
//! desk works unpinned), a press too old to answer.

use base64::Engine as _;
use larder_runtime::out::ToastOut;
use larder_runtime::{Call, CallError, Done, Out, Transport};
use larder_ui::wire::WireView;
use serde_json::{Value, json};

use crate::api::{ApiError, BotApi};
use crate::legacy;
use crate::render::{MAX_CAPTION, html, html_within, inline_keyboard, send_markup};

/// A message ready to go.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Msg {
    pub html: String,
    /// The inline keyboard (for edits and sends).
    pub inline: Value,
    /// What a sent message carries (a keyboard under the typing field, or
    /// the inline keyboard).
    pub send: Value,
    pub photo: Option<String>,
}

impl From<&WireView> for Msg {
    fn from(view: &WireView) -> Msg {
        let photo = view.photo.clone();
        Msg {
            html: if photo.is_some() {
                html_within(&view.text, MAX_CAPTION)
            } else {
                html(&view.text)
            },
            inline: inline_keyboard(view),
            send: send_markup(view),
            photo,
        }
    }
}

/// A call in Telegram's terms.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Op {
    Send(Msg),
    ScreenSend(Msg),
    ScreenEdit(Msg),
    Edit {
        message_id: i64,
        msg: Msg,
    },
    Delete {
        message_id: i64,
    },
    Pin {
        message_id: i64,
    },
    CardSend {
        card_id: i64,
        msg: Msg,
    },
    CardEdit {
        card_id: i64,
        msg: Msg,
    },
    Document {
        file_name: String,
        data: String,
        caption: Option<String>,
    },
    Answer {
        press: String,
        toast: Option<ToastOut>,
    },
}

impl Op {
    fn of(out: &Out) -> Option<Op> {
        Some(match out {
            Out::Send { view } => Op::Send(view.into()),
            Out::ScreenSend { view } => Op::ScreenSend(view.into()),
            Out::ScreenEdit { view, .. } => Op::ScreenEdit(view.into()),
            Out::Edit { message_id, view } => Op::Edit {
                message_id: *message_id,
                msg: view.into(),
            },
            Out::Delete { message_id } => Op::Delete {
                message_id: *message_id,
            },
            Out::Retire { message_id, text } => {
                let mut view = WireView::default();
                view.text.plain(text);
                Op::Edit {
                    message_id: *message_id,
                    msg: (&view).into(),
                }
            }
            Out::Pin { message_id } => Op::Pin {
                message_id: *message_id,
            },
            Out::CardSend { card_id, view } => Op::CardSend {
                card_id: *card_id,
                msg: view.into(),
            },
            Out::CardEdit { card_id, view } => Op::CardEdit {
                card_id: *card_id,
                msg: view.into(),
            },
            Out::Document {
                file_name,
                data,
                caption,
                ..
            } => Op::Document {
                file_name: file_name.clone(),
                data: data.clone(),
                caption: caption.clone(),
            },
            Out::Answer { press, toast } => Op::Answer {
                press: press.clone(),
                toast: toast.clone(),
            },
            Out::Legacy => return None,
        })
    }
}

pub struct TelegramTransport {
    pub(crate) api: BotApi,
}

impl Transport for TelegramTransport {
    async fn perform(&self, call: Call) -> Result<Done, CallError> {
        let op = match &call.legacy {
            Some((kind, payload)) => legacy::op(kind, payload),
            None => Op::of(&call.out),
        };
        let Some(op) = op else {
            return Err(CallError::Permanent {
                error: format!("a call larder cannot read ({})", call.out.kind()),
            });
        };
        self.run(&call, op).await
    }
}

/// What a failure means.
fn classify(e: ApiError) -> CallError {
    let error = e.to_string();
    match e {
        ApiError::Http { unsure, .. } => CallError::Transient {
            error,
            retry_after: None,
            unsure,
        },
        ApiError::Api {
            migrate_to: Some(to),
            ..
        } => CallError::Migrated { to },
        ApiError::Api {
            code: 429,
            retry_after,
            ..
        } => CallError::Transient {
            error,
            retry_after: Some(std::time::Duration::from_secs(
                retry_after.unwrap_or(1).max(1),
            )),
            unsure: false,
        },
        // Server trouble, or a token Telegram does not know right now:
        // nothing is wrong with the call itself.
        ApiError::Api { code, .. } if code >= 500 || code == 401 || code == 404 => {
            CallError::Transient {
                error,
                retry_after: None,
                unsure: false,
            }
        }
        e if e.code() == Some(403) || gone(&e) => CallError::Unreachable { error },
        _ => CallError::Permanent { error },
    }
}

/// A chat that is no more (or that the bot may no longer write to).
fn gone(e: &ApiError) -> bool {
    [
        "chat not found",
        "user is deactivated",
        "bot was kicked",
        "bot was blocked",
        "group chat was deactivated",
        "peer_id_invalid",
        "have no rights to send",
        "not enough rights to send",
    ]
    .iter()
    .any(|t| e.says(t))
}

fn message_id(v: &Value) -> i64 {
    v["message_id"].as_i64().unwrap_or(0)
}

impl TelegramTransport {
    async fn run(&self, call: &Call, op: Op) -> Result<Done, CallError> {
        let chat = call.chat_id;
        match op {
            Op::Send(msg) => {
                let m = self.send(chat, &msg, false).await.map_err(classify)?;
                Ok(Done::Sent {
                    detail: Some(message_id(&m).to_string()),
                })
            }
            Op::ScreenSend(msg) => self.new_screen(chat, &msg).await,
            Op::ScreenEdit(msg) => match call.screen {
                None => self.new_screen(chat, &msg).await,
                Some(screen) => match self.edit(chat, screen, &msg).await {
                    Ok(()) => Ok(Done::Sent { detail: None }),
                    Err(e) if lost_message(&e) => {
                        tracing::info!(
                            chat.id = chat,
                            "the screen message is gone; sending a new one"
                        );
                        self.new_screen(chat, &msg).await
                    }
                    Err(e) => Err(classify(e)),
                },
            },
            Op::Edit { message_id, msg } => match self.edit(chat, message_id, &msg).await {
                Ok(()) => Ok(Done::Sent { detail: None }),
                // A group message too old or gone: the card it was shows
                // again with the next change.
                Err(e) if lost_message(&e) => Ok(Done::Sent {
                    detail: Some("message gone".into()),
                }),
                Err(e) => Err(classify(e)),
            },
            Op::Delete { message_id } => {
                let done = self
                    .api
                    .call(
                        "deleteMessage",
                        &json!({ "chat_id": chat, "message_id": message_id }),
                    )
                    .await;
                match done {
                    Ok(_) => Ok(Done::Sent { detail: None }),
                    Err(e) if e.code() == Some(400) => Ok(Done::Sent {
                        detail: Some(e.to_string()),
                    }),
                    Err(e) => Err(classify(e)),
                }
            }
            Op::Pin { message_id } => {
                let done = self
                    .api
                    .call(
                        "pinChatMessage",
                        &json!({
                            "chat_id": chat,
                            "message_id": message_id,
                            "disable_notification": true,
                        }),
                    )
                    .await;
                match done {
                    Ok(_) => Ok(Done::Sent { detail: None }),
                    Err(e) if e.code() == Some(400) || e.code() == Some(403) => {
                        tracing::info!(chat.id = chat, error = %e, "pinning was refused; the screen works unpinned");
                        Ok(Done::Sent {
                            detail: Some(e.to_string()),
                        })
                    }
                    Err(e) => Err(classify(e)),
                }
            }
            Op::CardSend { card_id, msg } => self.new_card(chat, card_id, &msg).await,
            Op::CardEdit { card_id, msg } => match call.card_message {
                None => self.new_card(chat, card_id, &msg).await,
                Some(message) => match self.edit(chat, message, &msg).await {
                    Ok(()) => Ok(Done::Sent { detail: None }),
                    Err(e) if lost_message(&e) => self.new_card(chat, card_id, &msg).await,
                    Err(e) => Err(classify(e)),
                },
            },
            Op::Document {
                file_name,
                data,
                caption,
            } => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .map_err(|e| CallError::Permanent {
                        error: format!("the file is not readable: {e}"),
                    })?;
                let m = self
                    .api
                    .send_document(chat, &file_name, bytes, caption.as_deref())
                    .await
                    .map_err(classify)?;
                Ok(Done::Sent {
                    detail: Some(message_id(&m).to_string()),
                })
            }
            Op::Answer { press, toast } => {
                let mut params = json!({ "callback_query_id": press });
                if let Some(t) = toast {
                    // Telegram shows at most 200 characters.
                    params["text"] = t.text.chars().take(200).collect::<String>().into();
                    params["show_alert"] = t.alert.into();
                }
                match self.api.call("answerCallbackQuery", &params).await {
                    Ok(_) => Ok(Done::Sent { detail: None }),
                    // Too old, or answered already: nothing more to do.
                    Err(e) if e.code() == Some(400) => Ok(Done::Sent {
                        detail: Some(e.to_string()),
                    }),
                    Err(e) => Err(classify(e)),
                }
            }
        }
    }

    async fn send(&self, chat: i64, msg: &Msg, inline: bool) -> Result<Value, ApiError> {
        let markup = if inline { &msg.inline } else { &msg.send };
        match &msg.photo {
            Some(photo) => {
                self.api
                    .call(
                        "sendPhoto",
                        &json!({
                            "chat_id": chat,
                            "photo": photo,
                            "caption": msg.html,
                            "parse_mode": "HTML",
                            "reply_markup": markup,
                        }),
                    )
                    .await
            }
            None => {
                self.api
                    .call(
                        "sendMessage",
                        &json!({
                            "chat_id": chat,
                            "text": msg.html,
                            "parse_mode": "HTML",
                            "reply_markup": markup,
                        }),
                    )
                    .await
            }
        }
    }

    async fn new_screen(&self, chat: i64, msg: &Msg) -> Result<Done, CallError> {
        let m = self.send(chat, msg, true).await.map_err(classify)?;
        Ok(Done::Screen {
            message_id: message_id(&m),
            // A photo shown for a moment (a product) is not pinned.
            pin: msg.photo.is_none(),
        })
    }

    async fn new_card(&self, chat: i64, card_id: i64, msg: &Msg) -> Result<Done, CallError> {
        let m = self.send(chat, msg, true).await.map_err(classify)?;
        Ok(Done::Card {
            card_id,
            message_id: message_id(&m),
        })
    }

    /// Edits a message's text and keyboard; "not modified" is success.
    async fn edit(&self, chat: i64, message: i64, msg: &Msg) -> Result<(), ApiError> {
        let done = self
            .api
            .call(
                "editMessageText",
                &json!({
                    "chat_id": chat,
                    "message_id": message,
                    "text": msg.html,
                    "parse_mode": "HTML",
                    "reply_markup": msg.inline,
                }),
            )
            .await;
        match done {
            Ok(_) => Ok(()),
            Err(e) if e.says("message is not modified") => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// The message to edit is no longer there (or can no longer be edited).
fn lost_message(e: &ApiError) -> bool {
    e.code() == Some(400)
        && (e.says("message to edit not found")
            || e.says("message can't be edited")
            || e.says("there is no text in the message to edit"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: i64, description: &str) -> ApiError {
        ApiError::Api {
            code,
            description: description.into(),
            retry_after: None,
            migrate_to: None,
        }
    }

    #[test]
    fn failures_are_classified_by_what_to_do_about_them() {
        assert!(matches!(
            classify(api(500, "Internal Server Error")),
            CallError::Transient { .. }
        ));
        assert!(matches!(
            classify(api(502, "Bad Gateway")),
            CallError::Transient { .. }
        ));
        let flood = ApiError::Api {
            code: 429,
            description: "Too Many Requests: retry after 7".into(),
            retry_after: Some(7),
            migrate_to: None,
        };
        assert_eq!(
            classify(flood),
            CallError::Transient {
                error: "429 Too Many Requests: retry after 7".into(),
                retry_after: Some(std::time::Duration::from_secs(7)),
                unsure: false,
            }
        );
        assert!(matches!(
            classify(api(403, "Forbidden: bot was blocked by the user")),
            CallError::Unreachable { .. }
        ));
        assert!(matches!(
            classify(api(400, "Bad Request: chat not found")),
            CallError::Unreachable { .. }
        ));
        assert!(matches!(
            classify(api(400, "Bad Request: can't parse entities")),
            CallError::Permanent { .. }
        ));
        let moved = ApiError::Api {
            code: 400,
            description: "Bad Request: group chat was upgraded to a supergroup chat".into(),
            retry_after: None,
            migrate_to: Some(-100_123),
        };
        assert_eq!(classify(moved), CallError::Migrated { to: -100_123 });
        let lost = ApiError::Http {
            unsure: true,
            message: "connection closed".into(),
        };
        assert!(matches!(
            classify(lost),
            CallError::Transient { unsure: true, .. }
        ));
    }
}
