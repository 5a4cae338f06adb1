//! People: creating them, and whether they let the community write to them.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::json;

use super::view::peer_summary;
use super::{Body, CtlError, CtlResult, Group, reply, user_peer};
use crate::model::{NewUser, lang_id};
use crate::state::{App, default_user};

pub(crate) async fn list_users(State(app): State<Arc<App>>) -> CtlResult {
    let world = app.lock();
    let users: Vec<_> = world.users.values().cloned().collect();
    reply(users)
}

/// Creates or updates a person; fields left out keep their value.
pub(crate) async fn upsert_user(
    State(app): State<Arc<App>>,
    Body(body): Body<NewUser>,
) -> CtlResult {
    let id = user_peer(body.id)?;
    if body.first_name.trim().is_empty() {
        return Err(CtlError::bad("first_name is empty"));
    }
    let user = {
        let mut world = app.lock();
        let mut user = world
            .users
            .get(&id)
            .cloned()
            .unwrap_or_else(|| default_user(id));
        user.first_name = body.first_name;
        if let Some(last_name) = body.last_name {
            user.last_name = last_name;
        }
        if let Some(lang) = body.lang {
            user.client_info.lang_id = lang_id(&lang);
            user.lang = lang;
        }
        if let Some(client_info) = body.client_info {
            user.client_info = client_info;
        }
        if let Some(actions) = body.button_actions {
            user.client_info.button_actions = actions;
        }
        world.users.insert(id, user.clone());
        user
    };
    app.changed();
    reply(user)
}

pub(crate) async fn list_peers(State(app): State<Arc<App>>, group: Group) -> CtlResult {
    let world = app.lock();
    let peers: Vec<_> = world.groups[group.0]
        .peers
        .values()
        .map(|peer| peer_summary(&world, peer))
        .collect();
    reply(peers)
}

#[derive(Deserialize)]
pub(crate) struct BlockBody {
    /// Put the person on the community's blacklist (error 900) instead of
    /// the person forbidding messages (error 901).
    #[serde(default)]
    blacklist: bool,
}

/// The person forbids messages from the community (a `message_deny`
/// event; sending then fails with 901), or with `"blacklist": true` the
/// community blacklists them (sending fails with 900).
pub(crate) async fn block(
    State(app): State<Arc<App>>,
    group: Group,
    Path(peer_id): Path<i64>,
    Body(body): Body<BlockBody>,
) -> CtlResult {
    let peer_id = user_peer(peer_id)?;
    let event_id = {
        let mut world = app.lock();
        let peer = world.peer(group.0, peer_id);
        if body.blacklist {
            peer.blacklisted = true;
            None
        } else {
            peer.blocked = true;
            Some(world.push_event(group.0, "message_deny", json!({ "user_id": peer_id })))
        }
    };
    app.changed();
    reply(json!({ "event_id": event_id }))
}

#[derive(Deserialize)]
pub(crate) struct AllowBody {
    #[serde(default)]
    key: String,
}

/// The person presses "Allow messages": a `message_allow` event; the
/// community may write to them from now on (blocks and the blacklist are
/// lifted).
pub(crate) async fn allow(
    State(app): State<Arc<App>>,
    group: Group,
    Path(peer_id): Path<i64>,
    Body(body): Body<AllowBody>,
) -> CtlResult {
    let peer_id = user_peer(peer_id)?;
    let event_id = {
        let mut world = app.lock();
        let peer = world.peer(group.0, peer_id);
        peer.allowed = true;
        peer.blocked = false;
        peer.blacklisted = false;
        world.push_event(
            group.0,
            "message_allow",
            json!({ "user_id": peer_id, "key": body.key }),
        )
    };
    app.changed();
    reply(json!({ "event_id": event_id }))
}
