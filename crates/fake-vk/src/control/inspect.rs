//! Looking at what the bot did: conversations, answers to callback presses,
//! uploaded files, the request log, whether the bot is polling.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::view::peer_view;
use super::{CtlError, CtlResult, Group, reply};
use crate::model::PeerView;
use crate::state::{App, MediaKind, World};

const DEFAULT_WAIT_MS: u64 = 5_000;
const MAX_WAIT_MS: u64 = 600_000;

fn timeout(ms: Option<u64>) -> Duration {
    Duration::from_millis(ms.unwrap_or(DEFAULT_WAIT_MS).min(MAX_WAIT_MS))
}

pub(crate) async fn groups(State(app): State<Arc<App>>) -> CtlResult {
    let world = app.lock();
    let groups: Vec<Value> = app
        .groups
        .iter()
        .zip(&world.groups)
        .map(|(spec, state)| {
            json!({
                "id": spec.id,
                "name": spec.name,
                "polling": state.log.waiting > 0,
                "ts": state.log.head.to_string(),
                "peers": state.peers.len(),
            })
        })
        .collect();
    reply(groups)
}

#[derive(Deserialize)]
pub(crate) struct TimeoutQuery {
    timeout_ms: Option<u64>,
}

/// Returns once the bot has a long poll waiting (it listens); 408 otherwise.
pub(crate) async fn wait_polling(
    State(app): State<Arc<App>>,
    group: Group,
    Query(q): Query<TimeoutQuery>,
) -> CtlResult {
    let polling = app
        .wait_for(timeout(q.timeout_ms), |world| {
            (world.groups[group.0].log.waiting > 0).then_some(())
        })
        .await;
    match polling {
        Some(()) => reply(json!({ "polling": true })),
        None => Err(CtlError::new(StatusCode::REQUEST_TIMEOUT, "timeout")),
    }
}

fn view_of(app: &App, world: &World, group: usize, peer_id: i64) -> Option<PeerView> {
    let peer = world.groups[group].peers.get(&peer_id)?;
    Some(peer_view(world, group, peer, app.clock.now_ms()))
}

pub(crate) async fn peer(
    State(app): State<Arc<App>>,
    group: Group,
    Path(peer_id): Path<i64>,
) -> CtlResult {
    let world = app.lock();
    let view = view_of(&app, &world, group.0, peer_id)
        .ok_or_else(|| CtlError::not_found(&format!("no peer {peer_id}")))?;
    reply(view)
}

#[derive(Deserialize)]
pub(crate) struct WaitQuery {
    text: Option<String>,
    button: Option<String>,
    timeout_ms: Option<u64>,
}

/// Whether the person sees a message containing `text` (and/or a button
/// whose label contains `button`).
fn satisfied(view: &PeerView, q: &WaitQuery) -> bool {
    let shown = || view.messages.iter().filter(|m| !m.deleted);
    let text_ok = q
        .text
        .as_deref()
        .is_none_or(|t| shown().any(|m| m.text.contains(t)));
    let button_ok = q.button.as_deref().is_none_or(|b| {
        let inline = shown().flat_map(|m| m.keyboard.iter().filter(|k| k.inline));
        inline
            .chain(view.keyboard.iter())
            .flat_map(|k| k.rows.iter().flatten())
            .any(|btn| btn.label.as_deref().is_some_and(|l| l.contains(b)))
    });
    text_ok && button_ok
}

/// `GET /control/peers/{peer_id}/wait?text=&button=&timeout_ms=`.
pub(crate) async fn wait_peer(
    State(app): State<Arc<App>>,
    group: Group,
    Path(peer_id): Path<i64>,
    Query(q): Query<WaitQuery>,
) -> CtlResult {
    let found = app
        .wait_for(timeout(q.timeout_ms), |world| {
            view_of(&app, world, group.0, peer_id).filter(|v| satisfied(v, &q))
        })
        .await;
    match found {
        Some(view) => reply(view),
        None => {
            let world = app.lock();
            let last = view_of(&app, &world, group.0, peer_id);
            Err(CtlError::new(StatusCode::REQUEST_TIMEOUT, "timeout").with("peer", json!(last)))
        }
    }
}

/// The answer to a callback press, or `null` while there is none.
pub(crate) async fn answer(
    State(app): State<Arc<App>>,
    group: Group,
    Path(event_id): Path<String>,
) -> CtlResult {
    let world = app.lock();
    let group = &world.groups[group.0];
    if !group.callbacks.contains_key(&event_id) {
        return Err(CtlError::not_found(&format!(
            "no callback press {event_id}"
        )));
    }
    let found = group.answers.iter().find(|a| a.event_id == event_id);
    reply(found)
}

pub(crate) async fn wait_answer(
    State(app): State<Arc<App>>,
    group: Group,
    Path(event_id): Path<String>,
    Query(q): Query<TimeoutQuery>,
) -> CtlResult {
    let found = app
        .wait_for(timeout(q.timeout_ms), |world| {
            let answers = &world.groups[group.0].answers;
            answers.iter().find(|a| a.event_id == event_id).cloned()
        })
        .await;
    match found {
        Some(found) => reply(found),
        None => Err(CtlError::new(StatusCode::REQUEST_TIMEOUT, "timeout")),
    }
}

/// The bytes of an uploaded photo or document, by attachment string (also
/// served at `/files/{attachment}`, the URL in `sizes` and `doc.url`).
pub(crate) async fn file(
    State(app): State<Arc<App>>,
    Path(attachment): Path<String>,
) -> Result<Response, CtlError> {
    let world = app.lock();
    let stored = world
        .groups
        .iter()
        .find_map(|g| g.media.find(&attachment))
        .ok_or_else(|| CtlError::not_found(&format!("no file {attachment}")))?;
    let content_type = match stored.kind {
        MediaKind::Photo => "image/jpeg".to_owned(),
        MediaKind::Doc => "application/octet-stream".to_owned(),
    };
    Ok(([(header::CONTENT_TYPE, content_type)], stored.bytes.clone()).into_response())
}

#[derive(Deserialize)]
pub(crate) struct RequestsQuery {
    method: Option<String>,
}

/// Every API call in order (`?method=` filters).
pub(crate) async fn requests(
    State(app): State<Arc<App>>,
    Query(q): Query<RequestsQuery>,
) -> CtlResult {
    let world = app.lock();
    let log: Vec<_> = world
        .requests
        .iter()
        .filter(|r| {
            q.method
                .as_deref()
                .is_none_or(|m| r.method.eq_ignore_ascii_case(m))
        })
        .cloned()
        .collect();
    reply(log)
}
