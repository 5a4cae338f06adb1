//! Pressing a bot's button, found by its label (exact, then unique
//! substring, then unique case-insensitive substring) or its payload, on
//! the given message or else on the keyboards the person sees (the newest
//! inline keyboard and the standard keyboard, newest first).
//!
//! A callback button sends the bot a `message_event` (to be answered within
//! a minute); a text button sends the label as the person's `message_new`
//! with the button's payload. Link, app, location and VK Pay buttons send
//! the bot nothing, so pressing them is refused.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::actions::post_user_message;
use super::{Body, CtlError, CtlResult, Group, reply, user_peer};
use crate::ids;
use crate::keyboard::{Button, Keyboard};
use crate::model::Pressed;
use crate::state::{App, Callback, Msg, Peer};

#[derive(Deserialize)]
pub(crate) struct PressBody {
    button: Option<String>,
    payload: Option<String>,
    message_id: Option<i64>,
}

/// The keyboards on screen: `(message id, keyboard)`, newest first.
fn on_screen(peer: &Peer, message_id: Option<i64>) -> Result<Vec<(i64, &Keyboard)>, CtlError> {
    let standard = peer.keyboard.as_ref().map(|(id, k)| (*id, k));
    let inline = |m: &Msg| {
        m.is_from_bot() && !m.deleted_for_all && m.keyboard.as_ref().is_some_and(|k| k.inline)
    };
    if let Some(id) = message_id {
        let msg = peer
            .messages
            .get(&id)
            .ok_or_else(|| CtlError::not_found(&format!("no message {id} in peer {}", peer.id)))?;
        if inline(msg) {
            return Ok(msg.keyboard.iter().map(|k| (id, k)).collect());
        }
        return standard
            .filter(|(m, _)| *m == id)
            .map(|found| vec![found])
            .ok_or_else(|| {
                CtlError::not_found(&format!("message {id} has no keyboard on screen"))
            });
    }
    let mut found: Vec<(i64, &Keyboard)> = peer
        .messages
        .values()
        .rev()
        .find(|m| inline(m))
        .and_then(|m| m.keyboard.as_ref().map(|k| (m.id, k)))
        .into_iter()
        .chain(standard)
        .collect();
    found.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
    Ok(found)
}

fn labels(keyboards: &[(i64, &Keyboard)]) -> Vec<String> {
    keyboards
        .iter()
        .flat_map(|(_, k)| k.buttons())
        .filter_map(|b| b.label.clone())
        .collect()
}

/// The pressed button and the message it sits on.
fn find(keyboards: &[(i64, &Keyboard)], body: &PressBody) -> Result<(i64, Button), CtlError> {
    let all: Vec<(i64, &Button)> = keyboards
        .iter()
        .flat_map(|(id, k)| k.buttons().map(move |b| (*id, b)))
        .collect();
    let missing =
        |what: String| CtlError::not_found(&what).with("labels", json!(labels(keyboards)));
    if let Some(payload) = &body.payload {
        return all
            .iter()
            .find(|(_, b)| b.payload.as_deref() == Some(payload.as_str()))
            .map(|(id, b)| (*id, (*b).clone()))
            .ok_or_else(|| missing(format!("no button with payload {payload}")));
    }
    let label = body.button.as_deref().unwrap_or_default();
    let lower = label.to_lowercase();
    let label_of = |b: &Button| b.label.clone().unwrap_or_default();
    // An exact label wins, on the newest keyboard when several carry it.
    if let Some((id, button)) = all.iter().find(|(_, b)| label_of(b) == label) {
        return Ok((*id, (*button).clone()));
    }
    let tiers: [&dyn Fn(&Button) -> bool; 2] = [&|b| label_of(b).contains(label), &|b| {
        label_of(b).to_lowercase().contains(&lower)
    }];
    for tier in tiers {
        let hits: Vec<&(i64, &Button)> = all.iter().filter(|(_, b)| tier(b)).collect();
        match hits.as_slice() {
            [(id, button)] => return Ok((*id, (*button).clone())),
            [] => {}
            many => {
                let names: Vec<String> = many.iter().map(|(_, b)| label_of(b)).collect();
                return Err(
                    CtlError::not_found(&format!("{label:?} matches several buttons"))
                        .with("labels", json!(names)),
                );
            }
        }
    }
    Err(missing(format!("no button {label:?}")))
}

/// `POST /control/peers/{peer_id}/press` `{"button"}` or `{"payload"}`,
/// optional `"message_id"`.
pub(crate) async fn press(
    State(app): State<Arc<App>>,
    group: Group,
    Path(peer_id): Path<i64>,
    Body(body): Body<PressBody>,
) -> CtlResult {
    let peer_id = user_peer(peer_id)?;
    if body.button.is_some() == body.payload.is_some() {
        return Err(CtlError::bad("give either `button` or `payload`"));
    }
    let pressed = {
        let mut world = app.lock();
        let peer = world.groups[group.0]
            .peers
            .get(&peer_id)
            .ok_or_else(|| CtlError::not_found(&format!("no peer {peer_id}")))?;
        let keyboards = on_screen(peer, body.message_id)?;
        let (message_id, button) = find(&keyboards, &body)?;
        let cmid = peer.messages.get(&message_id).map_or(0, |m| m.cmid);
        let label = button.label.clone().unwrap_or_default();
        match button.kind.as_str() {
            "text" => {
                let one_time = peer
                    .keyboard
                    .as_ref()
                    .is_some_and(|(id, k)| *id == message_id && k.one_time);
                if one_time {
                    world.peer(group.0, peer_id).keyboard = None;
                }
                let sent = post_user_message(
                    &app,
                    &mut world,
                    group.0,
                    peer_id,
                    label.clone(),
                    button.payload.clone(),
                );
                Pressed {
                    update: "message_new".into(),
                    event_id: sent.event_id,
                    message_id,
                    label,
                    payload: button.payload,
                    callback_event_id: None,
                    new_message_id: Some(sent.message_id),
                }
            }
            "callback" => {
                if !world.user(peer_id).client_info.supports("callback") {
                    return Err(CtlError::conflict(&format!(
                        "user {peer_id}'s VK client does not support callback buttons"
                    )));
                }
                let callback_id = world.new_id(ids::CALLBACK, 12);
                let now = app.clock.now_ms();
                world.groups[group.0].callbacks.insert(
                    callback_id.clone(),
                    Callback {
                        user_id: peer_id,
                        peer_id,
                        created_ms: now,
                        answered: false,
                    },
                );
                let mut object = json!({
                    "user_id": peer_id,
                    "peer_id": peer_id,
                    "event_id": callback_id,
                    "conversation_message_id": cmid,
                });
                if let Some(payload) = &button.payload {
                    object["payload"] =
                        serde_json::from_str(payload).unwrap_or(Value::String(payload.clone()));
                }
                let event_id = world.push_event(group.0, "message_event", object);
                Pressed {
                    update: "message_event".into(),
                    event_id,
                    message_id,
                    label,
                    payload: button.payload,
                    callback_event_id: Some(callback_id),
                    new_message_id: None,
                }
            }
            other => {
                return Err(CtlError::bad(&format!(
                    "{label:?} is a {other} button: pressing it sends the bot nothing"
                ))
                .with("link", json!(button.link)));
            }
        }
    };
    app.changed();
    reply(pressed)
}
