//! Steering the emulator: faults, the clock, the rate limit, reset.

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::json;

use super::{Body, CtlError, CtlResult, reply};
use crate::model::Fault;
use crate::state::App;

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

fn clock_json(app: &App) -> serde_json::Value {
    json!({ "now_ms": app.clock.now_ms(), "frozen": app.clock.is_frozen() })
}

pub(crate) async fn clock(State(app): State<Arc<App>>) -> CtlResult {
    reply(clock_json(&app))
}

#[derive(Deserialize)]
pub(crate) struct ClockBody {
    advance_s: Option<i64>,
    advance_ms: Option<i64>,
    freeze: Option<bool>,
}

/// `{"advance_s"?, "advance_ms"?, "freeze"?}`: moves the clock forward
/// and/or stops (restarts) it.
pub(crate) async fn move_clock(
    State(app): State<Arc<App>>,
    Body(body): Body<ClockBody>,
) -> CtlResult {
    if let Some(frozen) = body.freeze {
        app.clock.set_frozen(frozen);
    }
    let ms = body
        .advance_s
        .unwrap_or(0)
        .saturating_mul(1000)
        .saturating_add(body.advance_ms.unwrap_or(0));
    if ms < 0 {
        return Err(CtlError::bad("the clock only moves forward"));
    }
    app.clock.advance_ms(ms);
    app.changed();
    reply(clock_json(&app))
}

/// Forgets people, conversations, uploads, answers, faults, requests and
/// the clock, and gives tokens their configured rights back; long-poll keys
/// stay valid.
pub(crate) async fn reset(State(app): State<Arc<App>>) -> CtlResult {
    {
        let mut world = app.lock();
        world.reset(app.default_rate_limit);
        world.rights = app.configured_rights();
    }
    app.clock.reset();
    app.changed();
    reply(json!({ "ok": true }))
}

pub(crate) async fn rate_limit(State(app): State<Arc<App>>) -> CtlResult {
    reply(json!({ "enabled": app.lock().rate_limit, "per_second": crate::ratelimit::PER_SECOND }))
}

#[derive(Deserialize)]
pub(crate) struct RateBody {
    enabled: bool,
}

/// Turns VK's 20 requests/s per token limit (error 6) on or off.
pub(crate) async fn set_rate_limit(
    State(app): State<Arc<App>>,
    Body(body): Body<RateBody>,
) -> CtlResult {
    {
        let mut world = app.lock();
        world.rate_limit = body.enabled;
        world.rate.clear();
    }
    app.changed();
    reply(json!({ "enabled": body.enabled, "per_second": crate::ratelimit::PER_SECOND }))
}
