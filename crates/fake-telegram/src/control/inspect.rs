//! Looking at what the bot did (chats, callback answers, files, the request
//! log) and steering the emulator (faults, clock, reset, flood limits).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use super::view::chat_view;
use super::{Body, Bot, CtlError, CtlResult, reply};
use crate::RateLimits;
use crate::model::{ChatView, Fault};
use crate::state::{App, World};

const DEFAULT_WAIT_MS: u64 = 5_000;
const MAX_WAIT_MS: u64 = 600_000;

pub(crate) async fn bots(State(app): State<Arc<App>>) -> CtlResult {
    let world = app.lock();
    let bots: Vec<Value> = app
        .bots
        .iter()
        .zip(&world.bots)
        .map(|(spec, state)| {
            json!({
                "id": spec.id,
                "username": spec.username,
                "first_name": spec.first_name,
                "polling": state.waiting_pollers > 0,
                "pending_updates": state.updates.len(),
                "webhook": state.webhook.as_ref().map(|w| w.url.clone()),
                "webhook_max_connections": state.webhook.as_ref().and_then(|w| w.max_connections),
                "allowed_updates": state.allowed_updates,
            })
        })
        .collect();
    reply(bots)
}

/// Returns once the bot has a getUpdates call waiting (it is listening).
pub(crate) async fn wait_polling(
    State(app): State<Arc<App>>,
    bot: Bot,
    Query(q): Query<TimeoutQuery>,
) -> CtlResult {
    let polling = app
        .wait_for(timeout(q.timeout_ms), |world| {
            (world.bots[bot.0].waiting_pollers > 0).then_some(())
        })
        .await;
    match polling {
        Some(()) => reply(json!({ "polling": true })),
        None => Err(CtlError::new(StatusCode::REQUEST_TIMEOUT, "timeout")),
    }
}

fn view_of(world: &World, bot: usize, chat_id: i64) -> Option<ChatView> {
    world.bots[bot]
        .chats
        .get(&chat_id)
        .map(|chat| chat_view(world, chat))
}

pub(crate) async fn chat(State(app): State<Arc<App>>, bot: Bot, Path(id): Path<i64>) -> CtlResult {
    let world = app.lock();
    let view =
        view_of(&world, bot.0, id).ok_or_else(|| CtlError::not_found(&format!("no chat {id}")))?;
    reply(view)
}

#[derive(Deserialize)]
pub(crate) struct WaitQuery {
    text: Option<String>,
    button: Option<String>,
    timeout_ms: Option<u64>,
}

fn timeout(ms: Option<u64>) -> Duration {
    Duration::from_millis(ms.unwrap_or(DEFAULT_WAIT_MS).min(MAX_WAIT_MS))
}

/// Returns the chat once a shown message contains `text` (and/or a button
/// label contains `button`); 408 with the chat as it is on timeout.
pub(crate) async fn wait_chat(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(id): Path<i64>,
    Query(q): Query<WaitQuery>,
) -> CtlResult {
    let wanted = |view: &ChatView| {
        let text_ok = q
            .text
            .as_deref()
            .is_none_or(|t| view.messages.iter().any(|m| m.text.contains(t)));
        let button_ok = q.button.as_deref().is_none_or(|label| {
            view.messages
                .iter()
                .flat_map(|m| m.buttons.iter().flatten())
                .any(|b| b.text.contains(label))
        });
        text_ok && button_ok
    };
    let found = app
        .wait_for(timeout(q.timeout_ms), |world| {
            view_of(world, bot.0, id).filter(|view| wanted(view))
        })
        .await;
    match found {
        Some(view) => reply(view),
        None => {
            let current = view_of(&app.lock(), bot.0, id);
            Err(CtlError::new(StatusCode::REQUEST_TIMEOUT, "timeout").with("chat", json!(current)))
        }
    }
}

pub(crate) async fn callback(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(id): Path<String>,
) -> CtlResult {
    let world = app.lock();
    let query = world.bots[bot.0]
        .callbacks
        .get(&id)
        .ok_or_else(|| CtlError::not_found(&format!("no callback query {id}")))?;
    reply(&query.answer)
}

#[derive(Deserialize)]
pub(crate) struct TimeoutQuery {
    timeout_ms: Option<u64>,
}

pub(crate) async fn wait_callback(
    State(app): State<Arc<App>>,
    bot: Bot,
    Path(id): Path<String>,
    Query(q): Query<TimeoutQuery>,
) -> CtlResult {
    if !app.lock().bots[bot.0].callbacks.contains_key(&id) {
        return Err(CtlError::not_found(&format!("no callback query {id}")));
    }
    let answer = app
        .wait_for(timeout(q.timeout_ms), |world| {
            world.bots[bot.0]
                .callbacks
                .get(&id)
                .and_then(|c| c.answer.clone())
        })
        .await;
    match answer {
        Some(answer) => reply(answer),
        None => Err(CtlError::new(StatusCode::REQUEST_TIMEOUT, "timeout")),
    }
}

pub(crate) async fn file(State(app): State<Arc<App>>, Path(id): Path<String>) -> CtlResult {
    let world = app.lock();
    let file = world
        .files
        .get(&id)
        .ok_or_else(|| CtlError::not_found(&format!("no file {id}")))?;
    let name: String = file
        .file_name
        .as_deref()
        .unwrap_or("file")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, file.mime_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        file.bytes.clone(),
    )
        .into_response())
}

#[derive(Deserialize)]
pub(crate) struct RequestsQuery {
    method: Option<String>,
}

pub(crate) async fn requests(
    State(app): State<Arc<App>>,
    Query(q): Query<RequestsQuery>,
) -> CtlResult {
    let world = app.lock();
    let entries: Vec<_> = world
        .requests
        .iter()
        .filter(|r| {
            q.method
                .as_deref()
                .is_none_or(|m| r.method.eq_ignore_ascii_case(m))
        })
        .collect();
    reply(entries)
}

pub(crate) async fn clear_requests(State(app): State<Arc<App>>) -> CtlResult {
    app.lock().requests.clear();
    reply(json!({ "ok": true }))
}

pub(crate) async fn add_fault(State(app): State<Arc<App>>, Body(fault): Body<Fault>) -> CtlResult {
    app.lock()
        .faults
        .add(fault)
        .map_err(|e| CtlError::bad(&e))?;
    reply(json!({ "ok": true }))
}

pub(crate) async fn clear_faults(State(app): State<Arc<App>>) -> CtlResult {
    app.lock().faults.clear();
    reply(json!({ "ok": true }))
}

fn clock_json(app: &App) -> Value {
    json!({ "now_ms": app.clock.now_ms(), "frozen": app.clock.is_frozen() })
}

pub(crate) async fn clock(State(app): State<Arc<App>>) -> CtlResult {
    reply(clock_json(&app))
}

#[derive(Deserialize)]
pub(crate) struct ClockBody {
    #[serde(default)]
    advance_s: i64,
    #[serde(default)]
    advance_ms: i64,
    freeze: Option<bool>,
}

/// `{"advance_s"}` / `{"advance_ms"}` move the clock forward;
/// `{"freeze": true}` stops it so only advances move it.
pub(crate) async fn advance_clock(
    State(app): State<Arc<App>>,
    Body(body): Body<ClockBody>,
) -> CtlResult {
    if body.advance_s < 0 || body.advance_ms < 0 {
        return Err(CtlError::bad("the clock only moves forward"));
    }
    if let Some(freeze) = body.freeze {
        app.clock.set_frozen(freeze);
    }
    app.clock.advance_ms(
        body.advance_s
            .saturating_mul(1000)
            .saturating_add(body.advance_ms),
    );
    app.changed();
    reply(clock_json(&app))
}

pub(crate) async fn reset(State(app): State<Arc<App>>) -> CtlResult {
    app.lock().reset(app.default_limits);
    app.clock.reset();
    app.changed();
    reply(json!({ "ok": true }))
}

pub(crate) async fn rate_limits(State(app): State<Arc<App>>) -> CtlResult {
    reply(app.lock().limits)
}

#[derive(Deserialize)]
pub(crate) struct LimitsBody {
    enabled: Option<bool>,
    private_burst: Option<u32>,
    private_per_sec: Option<u32>,
    group_per_min: Option<u32>,
    global_per_sec: Option<u32>,
}

pub(crate) async fn set_rate_limits(
    State(app): State<Arc<App>>,
    Body(body): Body<LimitsBody>,
) -> CtlResult {
    let limits: RateLimits = {
        let mut world = app.lock();
        let limits = &mut world.limits;
        limits.enabled = body.enabled.unwrap_or(limits.enabled);
        limits.private_burst = body.private_burst.unwrap_or(limits.private_burst);
        limits.private_per_sec = body.private_per_sec.unwrap_or(limits.private_per_sec);
        limits.group_per_min = body.group_per_min.unwrap_or(limits.group_per_min);
        limits.global_per_sec = body.global_per_sec.unwrap_or(limits.global_per_sec);
        *limits
    };
    app.changed();
    reply(limits)
}

pub(crate) async fn commands(State(app): State<Arc<App>>, bot: Bot) -> CtlResult {
    let world = app.lock();
    reply(&world.bots[bot.0].commands)
}
