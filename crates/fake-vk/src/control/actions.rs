//! A person types a message: it is stored and a `message_new` event with
//! the person's `client_info` is queued for the bot.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::json;

use super::{Body, CtlError, CtlResult, Group, reply, user_peer};
use crate::api::message_json;
use crate::model::SentText;
use crate::state::{App, Sender, World};

const MAX_TEXT: usize = 4096;

/// Stores a message from the person `peer_id` and queues its `message_new`.
pub(crate) fn post_user_message(
    app: &App,
    world: &mut World,
    group: usize,
    peer_id: i64,
    text: String,
    payload: Option<String>,
) -> SentText {
    let now = app.clock.now_ms();
    let id = world.groups[group].next_message_id();
    let group_id = world.groups[group].id;
    let peer = world.peer(group, peer_id);
    peer.allowed = true;
    peer.blocked = false;
    let msg = peer.add(id, Sender::User(peer_id), now, text);
    msg.payload = payload;
    let cmid = msg.cmid;
    let message = message_json(group_id, peer_id, msg);
    let client_info = world.user(peer_id).client_info.clone();
    let event_id = world.push_event(
        group,
        "message_new",
        json!({ "message": message, "client_info": client_info }),
    );
    SentText {
        event_id,
        message_id: id,
        conversation_message_id: cmid,
    }
}

#[derive(Deserialize)]
pub(crate) struct TextBody {
    text: String,
    /// A payload as if a text button had sent the message.
    #[serde(default)]
    payload: Option<String>,
}

/// `POST /control/peers/{peer_id}/messages`: the person writes; writing
/// also allows the community to answer.
pub(crate) async fn send_text(
    State(app): State<Arc<App>>,
    group: Group,
    Path(peer_id): Path<i64>,
    Body(body): Body<TextBody>,
) -> CtlResult {
    let peer_id = user_peer(peer_id)?;
    if body.text.trim().is_empty() {
        return Err(CtlError::bad("text is empty"));
    }
    if body.text.chars().count() > MAX_TEXT {
        return Err(CtlError::bad("text is longer than 4096 characters"));
    }
    let sent = {
        let mut world = app.lock();
        if world.groups[group.0]
            .peers
            .get(&peer_id)
            .is_some_and(|p| p.blacklisted)
        {
            return Err(CtlError::conflict(
                "the person is on the community's blacklist and can't write to it",
            ));
        }
        post_user_message(&app, &mut world, group.0, peer_id, body.text, body.payload)
    };
    app.changed();
    reply(sent)
}
