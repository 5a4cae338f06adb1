//! Pressing inline buttons: by visible label (exact, then unique substring)
//! or by forged callback data. Produces a `callback_query` update.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::actions::enter_chat;
use super::{Body, Bot, CtlError, CtlResult, reply};
use crate::json::{Ctx, chat_json, message_json, user_json_by_id};
use crate::markup::Button;
use crate::model::Pressed;
use crate::state::{App, Callback, Chat, Msg, Sender};

#[derive(Deserialize)]
pub(crate) struct PressBody {
    from: Option<i64>,
    button: Option<String>,
    data: Option<String>,
    message_id: Option<i64>,
}

enum Match<'a> {
    Found(&'a Button),
    Ambiguous(Vec<String>),
    Missing,
}

fn labels(msg: &Msg) -> Vec<String> {
    msg.markup
        .iter()
        .flatten()
        .flatten()
        .map(|b| b.text.clone())
        .collect()
}

fn match_label<'a>(msg: &'a Msg, label: &str) -> Match<'a> {
    let buttons: Vec<&Button> = msg.markup.iter().flatten().flatten().collect();
    if let Some(exact) = buttons.iter().find(|b| b.text == label) {
        return Match::Found(exact);
    }
    let lower = label.to_lowercase();
    let tiers: [&dyn Fn(&Button) -> bool; 2] =
        [&|b: &Button| b.text.contains(label), &|b: &Button| {
            b.text.to_lowercase().contains(&lower)
        }];
    for tier in tiers {
        let hits: Vec<&&Button> = buttons.iter().filter(|b| tier(b)).collect();
        match hits.as_slice() {
            [one] => return Match::Found(one),
            [] => {}
            many => return Match::Ambiguous(many.iter().map(|b| b.text.clone()).collect()),
        }
    }
    Match::Missing
}

/// The messages a press looks at: the given one, or the pinned message (if
/// it has a keyboard) and then the newest bot message with a keyboard.
fn candidates(chat: &Chat, message_id: Option<i64>) -> Result<Vec<&Msg>, CtlError> {
    if let Some(id) = message_id {
        let msg = chat
            .messages
            .get(&id)
            .ok_or_else(|| CtlError::not_found(&format!("no message {id} in chat {}", chat.id)))?;
        return Ok(vec![msg]);
    }
    let mut found = Vec::new();
    if let Some(pinned) = chat.pinned_id().and_then(|id| chat.messages.get(&id))
        && pinned.markup.is_some()
    {
        found.push(pinned);
    }
    if let Some(newest) = chat
        .messages
        .values()
        .rev()
        .find(|m| m.from == Sender::Bot && m.markup.is_some())
        && found.iter().all(|m| m.id != newest.id)
    {
        found.push(newest);
    }
    Ok(found)
}

/// Finds the button with `label`: `(message id, callback data)`.
fn find_button(
    chat: &Chat,
    label: &str,
    message_id: Option<i64>,
) -> Result<(i64, String), CtlError> {
    let messages = candidates(chat, message_id)?;
    for msg in &messages {
        match match_label(msg, label) {
            Match::Found(button) => {
                let Some(data) = &button.callback_data else {
                    return Err(CtlError::bad(&format!(
                        "button {:?} has no callback data",
                        button.text
                    ))
                    .with("url", json!(button.url))
                    .with("labels", json!(labels(msg))));
                };
                return Ok((msg.id, data.clone()));
            }
            Match::Ambiguous(hits) => {
                return Err(
                    CtlError::not_found(&format!("{label:?} matches several buttons"))
                        .with("labels", json!(hits)),
                );
            }
            Match::Missing => {}
        }
    }
    let on_offer: Vec<String> = messages.iter().flat_map(|m| labels(m)).collect();
    Err(CtlError::not_found(&format!("no button {label:?}")).with("labels", json!(on_offer)))
}

pub(crate) async fn press(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(chat_id): Path<i64>,
    Body(body): Body<PressBody>,
) -> CtlResult {
    let bot = bot.0;
    let pressed = {
        let mut world = app.lock();
        let from = enter_chat(&app, &mut world, bot, chat_id, body.from)?;
        let chat = &world.bots[bot].chats[&chat_id];
        let (message_id, data) = match (&body.button, &body.data) {
            (Some(label), None) => find_button(chat, label, body.message_id)?,
            (None, Some(data)) => {
                if data.is_empty() {
                    return Err(CtlError::bad("data is empty"));
                }
                // Without a message to press on, the query carries an
                // inaccessible message 0, like a press on a long-gone one.
                let target = match body.message_id {
                    Some(id) => id,
                    None => candidates(chat, None)?
                        .first()
                        .map(|m| m.id)
                        .or_else(|| {
                            let newest = chat.messages.values().rev();
                            newest
                                .filter(|m| m.from == Sender::Bot)
                                .map(|m| m.id)
                                .next()
                        })
                        .unwrap_or(0),
                };
                (target, data.clone())
            }
            _ => return Err(CtlError::bad("give either `button` or `data`")),
        };
        let ctx = Ctx::new(&app.bots[bot], &world);
        let message: Value = match chat.messages.get(&message_id) {
            Some(msg) => message_json(ctx, chat, msg),
            // A message that is gone: Telegram sends an inaccessible one.
            None => {
                json!({ "chat": chat_json(chat, ctx.users), "message_id": message_id, "date": 0 })
            }
        };
        let query_id = format!("{}", 4_242_000_000_000_000_000u64 + world.seq());
        let chat = &world.bots[bot].chats[&chat_id];
        let payload = json!({
            "id": query_id,
            "from": user_json_by_id(&world.users, from),
            "message": message,
            "chat_instance": chat.instance(),
            "data": data,
        });
        world.bots[bot]
            .callbacks
            .insert(query_id.clone(), Callback { answer: None });
        let update_id = world.push_update(bot, "callback_query", payload);
        Pressed {
            update_id,
            callback_query_id: query_id,
            message_id,
            data,
        }
    };
    app.changed();
    reply(pressed)
}
