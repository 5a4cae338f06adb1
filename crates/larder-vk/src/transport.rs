//! Making calls to VK and telling what a failure means. Each message keeps
//! the random id fixed when it was queued, so a retry after a lost response
//! is deduplicated by VK and never shows twice. Errors 1, 6, 9, 10 and 29
//! and lost responses are worth retrying; 900–902 mean the person cannot be
//! written to; anything else (911, 914, …) is refused for good.

use larder_runtime::out::ToastOut;
use larder_runtime::{Call, CallError, Done, Out, Transport};
use larder_store::{Store, settings};
use larder_ui::wire::WireView;
use serde_json::{Value, json};

use crate::decode::{no_inline_key, text_buttons_key};
use crate::{VkApi, VkConfig, VkError, render};

/// An inline keyboard without buttons: an edit that removes the buttons.
const EMPTY_KEYBOARD: &str = r#"{"inline":true,"buttons":[]}"#;

/// The conversation message id of a `messages.send` with `peer_ids`, or the
/// error VK gave for that person.
fn sent_id(r: &Value) -> Result<i64, VkError> {
    let item = r.get(0).unwrap_or(r);
    if let Some(e) = item.get("error") {
        return Err(VkError::Api {
            code: e["code"].as_i64().unwrap_or(0),
            message: e["description"].as_str().unwrap_or_default().to_owned(),
        });
    }
    item["conversation_message_id"]
        .as_i64()
        .ok_or_else(|| VkError::Http(format!("VK sent no message id: {r}")))
}

pub struct VkTransport {
    pub(crate) api: VkApi,
    pub(crate) config: VkConfig,
    pub(crate) store: Store,
    /// Rights VK said the token lacks (error 15), for the owners to hear.
    pub(crate) lacking: std::sync::Mutex<Vec<String>>,
}

fn classify(e: VkError) -> CallError {
    classify_ref(&e)
}

fn classify_ref(e: &VkError) -> CallError {
    let error = e.to_string();
    match e.code() {
        None => CallError::Transient {
            error,
            retry_after: None,
            unsure: true,
        },
        Some(6) => CallError::Transient {
            error,
            retry_after: Some(std::time::Duration::from_secs(1)),
            unsure: false,
        },
        Some(1 | 9 | 10 | 29) => CallError::Transient {
            error,
            retry_after: None,
            unsure: false,
        },
        Some(900..=902) => CallError::Unreachable { error },
        Some(_) => CallError::Permanent { error },
    }
}

impl Transport for VkTransport {
    fn lacking(&self) -> Vec<String> {
        self.lacking
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default()
    }

    async fn perform(&self, call: Call) -> Result<Done, CallError> {
        let out = match &call.legacy {
            Some((kind, payload)) => legacy(kind, payload),
            None => Some(call.out.clone()),
        };
        let Some(out) = out else {
            return Err(CallError::Permanent {
                error: format!("a call larder cannot read ({})", call.out.kind()),
            });
        };
        let peer = call.chat_id;
        match out {
            Out::Send { view } | Out::CardSend { view, .. } | Out::CardEdit { view, .. } => {
                let id = self.send(&call, &view, 0).await?;
                Ok(Done::Sent {
                    detail: Some(id.to_string()),
                })
            }
            Out::ScreenSend { view } => self.new_screen(&call, &view, 0).await,
            Out::ScreenEdit { view, page } => {
                let Some(message_id) = call.screen else {
                    return self.new_screen(&call, &view, page).await;
                };
                let mut params = vec![
                    ("peer_id", peer.to_string()),
                    ("conversation_message_id", message_id.to_string()),
                    ("message", render::text(&view)),
                ];
                // A product card changes its photo in place, or loses it.
                params.push(("attachment", self.photo(peer, &view).await?));
                let keyboard = render::keyboard(&view, page, self.client(peer).await)
                    .unwrap_or_else(|| EMPTY_KEYBOARD.to_owned());
                params.push(("keyboard", keyboard));
                match self.api.call("messages.edit", &params).await {
                    Ok(_) => Ok(Done::Sent { detail: None }),
                    // Gone or too old to edit: the screen comes back as a new
                    // message (the old one answers "outdated" if pressed).
                    Err(VkError::Api {
                        code: 100 | 909 | 910 | 920,
                        ..
                    }) => self.new_screen(&call, &view, page).await,
                    Err(e) => Err(classify(self.lacks(e, "messages"))),
                }
            }
            Out::Edit { .. } | Out::Pin { .. } | Out::Document { .. } | Out::Legacy => {
                Ok(Done::Sent {
                    detail: Some("not shown on VK".into()),
                })
            }
            Out::Retire { message_id, text } => {
                let params = [
                    ("peer_id", peer.to_string()),
                    ("conversation_message_id", message_id.to_string()),
                    ("message", text),
                    ("keyboard", EMPTY_KEYBOARD.to_owned()),
                ];
                match self.api.call("messages.edit", &params).await {
                    Ok(_) => Ok(Done::Sent { detail: None }),
                    Err(e @ VkError::Http(_)) => Err(classify(e)),
                    // Too old or gone: it stays as it was; its buttons answer
                    // "outdated".
                    Err(e) => Ok(Done::Sent {
                        detail: Some(e.to_string()),
                    }),
                }
            }
            Out::Delete { message_id } => {
                let params = [
                    ("peer_id", peer.to_string()),
                    ("cmids", message_id.to_string()),
                    ("delete_for_all", "1".to_owned()),
                ];
                match self.api.call("messages.delete", &params).await {
                    Ok(_) => Ok(Done::Sent { detail: None }),
                    Err(e @ VkError::Http(_)) => Err(classify(e)),
                    Err(e) => {
                        tracing::info!(error = %e, "old VK message not deleted");
                        Ok(Done::Sent {
                            detail: Some(e.to_string()),
                        })
                    }
                }
            }
            Out::Answer { press, toast } => self.answer(&press, toast.as_ref()).await,
        }
    }
}

impl VkTransport {
    /// Error 15 (access denied): the token lacks `right`; the owners hear.
    fn lacks(&self, e: VkError, right: &str) -> VkError {
        if e.code() == Some(15)
            && let Ok(mut l) = self.lacking.lock()
            && !l.iter().any(|r| r == right)
        {
            l.push(right.to_owned());
        }
        e
    }

    /// What the person's client shows (as its last message said).
    async fn client(&self, peer: i64) -> render::Client {
        let said = async {
            let mut conn = self.store.conn().await?;
            let text_only = settings::get(&mut conn, &text_buttons_key(peer)).await?;
            let no_inline = settings::get(&mut conn, &no_inline_key(peer)).await?;
            Ok::<_, larder_store::StoreError>((text_only.is_none(), no_inline.is_none()))
        };
        let (callbacks, inline) = said.await.unwrap_or((true, true));
        render::Client { callbacks, inline }
    }

    /// The photo attachment of a view ("" for none), uploaded once.
    /// Worth waiting for when VK is busy; refused for good, the text goes
    /// out without it (the photo is a nicety).
    async fn photo(&self, peer: i64, view: &WireView) -> Result<String, CallError> {
        let Some(file_id) = &view.photo else {
            return Ok(String::new());
        };
        match crate::photos::attachment(&self.api, &self.config, &self.store, peer, file_id).await {
            Ok(a) => Ok(a.unwrap_or_default()),
            Err(e) if matches!(classify_ref(&e), CallError::Transient { .. }) => Err(classify(e)),
            Err(e) => {
                tracing::warn!(error = %e, "product photo not shown on VK");
                self.lacks(e, "photos");
                Ok(String::new())
            }
        }
    }

    /// Sends a message; its id in the conversation (`conversation_message_id`,
    /// what presses name and edits take).
    async fn send(&self, call: &Call, view: &WireView, page: usize) -> Result<i64, CallError> {
        let peer = call.chat_id;
        let mut params = vec![
            ("peer_ids", peer.to_string()),
            ("random_id", call.random_id.to_string()),
            ("message", render::text(view)),
        ];
        if let Some(k) = render::keyboard(view, page, self.client(peer).await) {
            params.push(("keyboard", k));
        }
        let photo = self.photo(peer, view).await?;
        if !photo.is_empty() {
            params.push(("attachment", photo));
        }
        let r = self
            .api
            .call("messages.send", &params)
            .await
            .map_err(|e| classify(self.lacks(e, "messages")))?;
        sent_id(&r).map_err(|e| classify(self.lacks(e, "messages")))
    }

    async fn new_screen(
        &self,
        call: &Call,
        view: &WireView,
        page: usize,
    ) -> Result<Done, CallError> {
        let id = self.send(call, view, page).await?;
        Ok(Done::Screen {
            message_id: id,
            pin: false,
        })
    }

    /// Acknowledges a callback press, with the toast as a snackbar if any.
    async fn answer(&self, press: &str, toast: Option<&ToastOut>) -> Result<Done, CallError> {
        let Ok(p) = serde_json::from_str::<Value>(press) else {
            return Ok(Done::Sent {
                detail: Some("unreadable press".into()),
            });
        };
        let field = |name: &str| match &p[name] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut params = vec![
            ("event_id", field("event_id")),
            ("user_id", field("user_id")),
            ("peer_id", field("peer_id")),
        ];
        if let Some(t) = toast {
            let text: String = t.text.chars().take(90).collect();
            params.push((
                "event_data",
                json!({ "type": "show_snackbar", "text": text }).to_string(),
            ));
        }
        match self
            .api
            .call("messages.sendMessageEventAnswer", &params)
            .await
        {
            Ok(_) => Ok(Done::Sent { detail: None }),
            // The press is too old to answer: nothing more to do.
            Err(e @ VkError::Api { code: 100, .. }) => Ok(Done::Sent {
                detail: Some(e.to_string()),
            }),
            Err(e) => Err(classify(e)),
        }
    }
}

/// A call queued by the previous sender (kinds `v1:vk` and `v1:note`).
fn legacy(kind: &str, payload: &str) -> Option<Out> {
    #[derive(serde::Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum V1 {
        Send { view: larder_ui::View },
        DeskSend { view: larder_ui::View },
        DeskEdit { view: larder_ui::View, page: usize },
        Delete { message_id: i64 },
    }
    if kind == "v1:note" {
        let view: larder_ui::View = serde_json::from_str(payload).ok()?;
        return Some(Out::Send {
            view: WireView::from(&view),
        });
    }
    Some(match serde_json::from_str::<V1>(payload).ok()? {
        V1::Send { view } => Out::Send {
            view: WireView::from(&view),
        },
        V1::DeskSend { view } => Out::ScreenSend {
            view: WireView::from(&view),
        },
        V1::DeskEdit { view, page } => Out::ScreenEdit {
            view: WireView::from(&view),
            page,
        },
        V1::Delete { message_id } => Out::Delete { message_id },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vk_errors_are_classified_by_what_to_do_about_them() {
        let api = |code| VkError::Api {
            code,
            message: "x".into(),
        };
        for code in [1, 9, 10, 29] {
            assert!(matches!(
                classify(api(code)),
                CallError::Transient {
                    retry_after: None,
                    ..
                }
            ));
        }
        assert!(matches!(
            classify(api(6)),
            CallError::Transient {
                retry_after: Some(_),
                ..
            }
        ));
        for code in [900, 901, 902] {
            assert!(matches!(classify(api(code)), CallError::Unreachable { .. }));
        }
        for code in [911, 914, 100] {
            assert!(matches!(classify(api(code)), CallError::Permanent { .. }));
        }
        assert!(matches!(
            classify(VkError::Http("lost".into())),
            CallError::Transient { unsure: true, .. }
        ));
    }

    #[test]
    fn old_vk_calls_still_read() {
        let mut view = larder_ui::View::default();
        view.text.plain("Hello");
        let old = serde_json::json!({ "kind": "desk_edit", "view": view, "page": 1 }).to_string();
        assert!(matches!(
            legacy("v1:vk", &old),
            Some(Out::ScreenEdit { page: 1, .. })
        ));
        let note = serde_json::to_string(&view).unwrap();
        assert!(matches!(legacy("v1:note", &note), Some(Out::Send { .. })));
    }
}
