//! The Bots Long Poll server: `{server}?act=a_check&key=K&ts=T&wait=W`
//! (GET or POST) answers `{"ts": "…", "updates": […]}` as soon as there are
//! events after `ts`, or when `wait` seconds (at most 90) pass.
//!
//! `failed` answers, as VK documents them:
//! - `{"failed": 1, "ts": N}`: the history is out of date or partly lost
//!   (`ts` older than the kept history, or from the future); go on with `N`.
//! - `{"failed": 2}`: the key expired; get a new one from
//!   `groups.getLongPollServer`.
//! - `{"failed": 3}`: information was lost; get a new key and `ts`.
//!
//! Faults can make the next polls answer any of them; after 2 and 3 the key
//! really stops working (and 3 drops the kept events).

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::api::Params;
use crate::faults::LONGPOLL;
use crate::state::{App, KeyState};
use fake_support::conn::Conn;

/// Longest wait a poll may ask for, in seconds.
const MAX_WAIT_S: i64 = 90;
/// The wait when a poll gives none.
const DEFAULT_WAIT_S: i64 = 25;
/// Most events in one answer.
const MAX_BATCH: usize = 1000;

fn failed(code: u8) -> Value {
    json!({ "failed": code })
}

fn out_of_date(head: i64) -> Value {
    json!({ "failed": 1, "ts": head.to_string() })
}

/// `GET|POST /longpoll/{group_id}`.
pub(crate) async fn check(
    State(app): State<Arc<App>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    Path(group_id): Path<i64>,
    req: Request,
) -> Response {
    let params = match Params::from_request(req).await {
        Ok(params) => params,
        Err(err) => return (StatusCode::BAD_REQUEST, err).into_response(),
    };
    if params.get("act") != Some("a_check") {
        return (StatusCode::BAD_REQUEST, "act must be a_check").into_response();
    }
    let (body, lose) = match app.group_by_id(group_id) {
        Some(group) => poll(&app, group, &params).await,
        None => (failed(2), false),
    };
    if lose {
        conn.cut();
    }
    Json(body).into_response()
}

/// Serves one poll: the answer and whether a fault loses it.
async fn poll(app: &Arc<App>, group: usize, params: &Params) -> (Value, bool) {
    let key = params.text("key");
    let plan = {
        let mut world = app.lock();
        match world.groups[group].log.key(&key) {
            None => return (failed(2), false),
            Some(KeyState::Revoked(code)) => return (failed(code), false),
            Some(KeyState::Valid) => {}
        }
        world.faults.take(LONGPOLL, None)
    };
    if plan.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_ms)).await;
    }
    if let Some(code) = plan.longpoll_failed {
        let mut world = app.lock();
        let log = &mut world.groups[group].log;
        let body = match code {
            1 => out_of_date(log.head),
            2 => {
                log.revoke(&key, 2);
                failed(2)
            }
            _ => {
                log.revoke(&key, 3);
                log.lose_history();
                failed(3)
            }
        };
        drop(world);
        app.changed();
        return (body, plan.lose_response);
    }
    let ts = {
        let world = app.lock();
        let log = &world.groups[group].log;
        match params.get("ts").and_then(|t| t.trim().parse::<i64>().ok()) {
            Some(ts) if log.serves(ts) => ts,
            _ => return (out_of_date(log.head), plan.lose_response),
        }
    };
    let wait = params
        .int("wait")
        .ok()
        .flatten()
        .unwrap_or(DEFAULT_WAIT_S)
        .clamp(0, MAX_WAIT_S);
    let _waiting = Waiting::start(app, group);
    let found = app
        .wait_for(Duration::from_secs(wait.unsigned_abs()), |world| {
            let log = &world.groups[group].log;
            if let Some(KeyState::Revoked(code)) = log.key(&key) {
                return Some(failed(code));
            }
            let (updates, last) = log.since(ts, MAX_BATCH);
            (!updates.is_empty()).then(|| json!({ "ts": last.to_string(), "updates": updates }))
        })
        .await;
    let body = found.unwrap_or_else(|| json!({ "ts": ts.to_string(), "updates": [] }));
    (body, plan.lose_response)
}

/// Counts a waiting poll for `/control/polling`, also when the client goes
/// away mid-wait.
struct Waiting<'a> {
    app: &'a App,
    group: usize,
}

impl<'a> Waiting<'a> {
    fn start(app: &'a App, group: usize) -> Self {
        app.lock().groups[group].log.waiting += 1;
        app.changed();
        Self { app, group }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut world = self.app.lock();
        let waiting = &mut world.groups[self.group].log.waiting;
        *waiting = waiting.saturating_sub(1);
        drop(world);
        self.app.changed();
    }
}
