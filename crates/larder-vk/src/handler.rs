//! Handles one stored VK event: decode, run the customers' screens and
//! commit the chat state, the outgoing messages (to VK and to the Telegram
//! staff groups) and the inbox row together. A button press is answered
//! with `messages.sendMessageEventAnswer` right after, always — the client
//! never keeps spinning.

use larder_core::TgUserId;
use larder_store::outbox::NewCall;
use larder_store::{Channel, StoreError, chat_state, inbox, outbox, settings};
use larder_ui::{Ctx, Desk, Input, Stored, Toast, UiError, User, View};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Shared;
use crate::render::Payload;

const MAX_ATTEMPTS: i64 = 5;

/// A call to VK as the outbox stores it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VkCall {
    /// A plain message.
    Send {
        view: View,
    },
    /// A new shop message; remembered as the chat's one message.
    DeskSend {
        view: View,
    },
    /// The shop message edited in place, showing the given page of buttons.
    DeskEdit {
        view: View,
        page: usize,
    },
    Delete {
        message_id: i64,
    },
}

impl VkCall {
    pub fn into_new(self, peer: i64, key: String) -> NewCall {
        NewCall {
            channel: Channel::Vk,
            chat_id: peer,
            kind: "vk".to_owned(),
            payload: serde_json::to_string(&self).unwrap_or_default(),
            idempotency_key: key,
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum HandleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ui(#[from] UiError),
    #[error("event is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// What a person did.
struct Event {
    peer: i64,
    user: i64,
    input: Option<Input>,
    page: Option<usize>,
    /// For a callback press: the event to answer.
    answer: Option<String>,
    /// Whether the person's client shows callback buttons (from `client_info`).
    callbacks: Option<bool>,
    /// The client's language (`client_info.lang_id`), when it says.
    language: Option<&'static str>,
}

/// VK's `lang_id`: 0 Russian, 3 English (others: the configured default).
fn language_of(lang_id: Option<i64>) -> Option<&'static str> {
    match lang_id? {
        0 => Some("ru"),
        3 => Some("en"),
        _ => None,
    }
}

/// `/cmd args`, else text.
fn parse_text(text: &str) -> Input {
    let Some(rest) = text.strip_prefix('/') else {
        return Input::Text(text.to_owned());
    };
    let name = rest
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    match name.as_str() {
        "start" => Input::Start(None),
        _ => Input::Command(name),
    }
}

fn classify(update: &Value) -> Option<Event> {
    let o = &update["object"];
    match update["type"].as_str()? {
        "message_new" => {
            let m = &o["message"];
            let peer = m["peer_id"].as_i64()?;
            let user = m["from_id"].as_i64()?;
            if peer != user || user <= 0 {
                // Only private dialogs with people.
                return None;
            }
            let callbacks = o["client_info"]["button_actions"]
                .as_array()
                .map(|a| a.iter().any(|x| x.as_str() == Some("callback")));
            let (input, page) = match m.get("payload").and_then(Payload::from_value) {
                Some(Payload::Action(a)) => (Some(Input::Press(a)), None),
                Some(Payload::Page(n)) => (None, Some(n)),
                Some(Payload::Start) => (Some(Input::Start(None)), None),
                None => (
                    Some(parse_text(m["text"].as_str().unwrap_or_default().trim())),
                    None,
                ),
            };
            Some(Event {
                peer,
                user,
                input,
                page,
                answer: None,
                callbacks,
                language: language_of(o["client_info"]["lang_id"].as_i64()),
            })
        }
        "message_event" => {
            let peer = o["peer_id"].as_i64()?;
            let user = o["user_id"].as_i64()?;
            let (input, page) = match Payload::from_value(&o["payload"]) {
                Some(Payload::Action(a)) => (Some(Input::Press(a)), None),
                Some(Payload::Page(n)) => (None, Some(n)),
                Some(Payload::Start) => (Some(Input::Start(None)), None),
                None => (Some(Input::Press(String::new())), None),
            };
            Some(Event {
                peer,
                user,
                input,
                page,
                answer: o["event_id"].as_str().map(str::to_owned),
                callbacks: Some(true),
                language: None,
            })
        }
        _ => None,
    }
}

/// Handles a stored event, retrying a few times before parking it.
pub async fn handle_logged(shared: &Shared, row: &inbox::InboxRow) {
    for _ in 0..MAX_ATTEMPTS {
        match handle(shared, row).await {
            Ok(()) => return,
            Err(e) => {
                tracing::error!(inbox.id = row.id, error = %e, "cannot handle a VK event");
                let failed = async {
                    let mut conn = shared.deps.store.conn().await?;
                    inbox::record_failure(
                        &mut conn,
                        row.id,
                        &e.to_string(),
                        MAX_ATTEMPTS,
                        shared.now_ms(),
                    )
                    .await
                };
                if let Err(e) = failed.await {
                    tracing::error!(error = %e, "cannot record a failed VK event");
                }
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    }
}

fn view_key(peer: i64) -> String {
    format!("vk.view.{peer}")
}

pub fn text_buttons_key(peer: i64) -> String {
    format!("vk.text_buttons.{peer}")
}

async fn handle(shared: &Shared, row: &inbox::InboxRow) -> Result<(), HandleError> {
    let update: Value = serde_json::from_str(&row.payload)?;
    let now = shared.now_ms();
    let mut tx = shared.deps.store.begin().await?;
    let Some(event) = classify(&update) else {
        inbox::mark_done(&mut tx, row.id, now).await?;
        tx.commit().await?;
        return Ok(());
    };
    if !inbox::mark_done(&mut tx, row.id, now).await? {
        return Ok(());
    }
    if let Some(callbacks) = event.callbacks {
        let key = text_buttons_key(event.peer);
        if callbacks {
            settings::delete(&mut tx, &key).await?;
        } else {
            settings::set(&mut tx, &key, "1").await?;
        }
    }
    let mut queued: Vec<NewCall> = Vec::new();
    let prefix = format!("vk:{}", row.id);
    let mut toast: Option<Toast> = None;
    if let Some(page) = event.page {
        // Another page of the buttons of the message on screen.
        if let Some(json) = settings::get(&mut tx, &view_key(event.peer)).await?
            && let Ok(view) = serde_json::from_str::<View>(&json)
        {
            queued.push(
                VkCall::DeskEdit { view, page }.into_new(event.peer, format!("{prefix}:page")),
            );
        }
    } else if let Some(input) = event.input {
        let stored = chat_state::load(&mut tx, Channel::Vk, event.peer).await?;
        let known = stored.as_ref().and_then(|s| s.language.clone());
        let lang = shared.deps.i18n.pick(event.language.or(known.as_deref()));
        let desk_id = stored.as_ref().and_then(|s| s.desk_message_id);
        let previous = stored.as_ref().map(|s| Stored {
            screen: s.screen.clone(),
            draft: s.draft.clone(),
        });
        // VK has no /start: a person's first message opens the shop.
        let input = match input {
            Input::Text(_) | Input::Command(_) if stored.is_none() => Input::Start(None),
            other => other,
        };
        let mut ctx = Ctx {
            tx: &mut tx,
            channel: Channel::Vk,
            lang,
            config: &shared.deps.ui,
            user: User {
                id: TgUserId::new(event.user),
                display_name: format!("VK {}", event.user),
            },
            now,
            setup_code: None,
        };
        let (reply, new_state) =
            larder_ui::handle_private(&mut ctx, previous.as_ref(), input).await?;
        let language_changed = stored
            .as_ref()
            .is_some_and(|s| s.language.as_deref() != Some(lang.code()));
        if new_state.is_some() || stored.is_none() || language_changed {
            let state = new_state.or(previous).unwrap_or_default();
            let record = chat_state::ChatState {
                channel: Channel::Vk,
                chat_id: event.peer,
                screen: state.screen,
                draft: state.draft,
                desk_message_id: desk_id,
                language: Some(lang.code().to_owned()),
                version: stored.as_ref().map_or(0, |s| s.version),
            };
            chat_state::save(&mut tx, &record, now).await?;
        }
        for (n, view) in reply.say.iter().enumerate() {
            queued.push(
                VkCall::Send { view: view.clone() }.into_new(event.peer, format!("{prefix}:{n}")),
            );
        }
        match &reply.desk {
            Desk::Keep => {}
            Desk::Show(view) => {
                settings::set(
                    &mut tx,
                    &view_key(event.peer),
                    &serde_json::to_string(view)?,
                )
                .await?;
                queued.push(
                    VkCall::DeskEdit {
                        view: view.clone(),
                        page: 0,
                    }
                    .into_new(event.peer, format!("{prefix}:desk")),
                );
            }
            Desk::Fresh(view) => {
                settings::set(
                    &mut tx,
                    &view_key(event.peer),
                    &serde_json::to_string(view)?,
                )
                .await?;
                if let Some(old) = desk_id {
                    queued.push(
                        VkCall::Delete { message_id: old }
                            .into_new(event.peer, format!("{prefix}:del")),
                    );
                }
                queued.push(
                    VkCall::DeskSend { view: view.clone() }
                        .into_new(event.peer, format!("{prefix}:desk")),
                );
            }
        }
        queued.extend(larder_telegram::queue_effects(&reply, &prefix));
        toast = reply.toast.clone();
    }
    outbox::enqueue(&mut tx, &queued, now).await?;
    tx.commit().await?;
    if !queued.is_empty() {
        shared.outbox_ready.notify_one();
    }
    if let Some(event_id) = event.answer {
        answer(shared, &event_id, event.user, event.peer, toast.as_ref()).await;
    }
    Ok(())
}

/// Acknowledges a callback press, with the toast as a snackbar if any.
async fn answer(shared: &Shared, event_id: &str, user: i64, peer: i64, toast: Option<&Toast>) {
    let mut params = vec![
        ("event_id", event_id.to_owned()),
        ("user_id", user.to_string()),
        ("peer_id", peer.to_string()),
    ];
    if let Some(t) = toast {
        let text: String = t.text.chars().take(90).collect();
        params.push((
            "event_data",
            json!({ "type": "show_snackbar", "text": text }).to_string(),
        ));
    }
    if let Err(e) = shared
        .api
        .call("messages.sendMessageEventAnswer", &params)
        .await
    {
        tracing::warn!(error = %e, "cannot answer a VK button press");
    }
}
