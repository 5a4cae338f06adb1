//! The VK API side: `/method/{name}`.
//!
//! Every call goes through [`handle`]: method lookup (error 3), token check
//! (error 5), the optional rate limit (error 6), the token's rights (error
//! 15), faults (delay, error, lost response), the method itself, and the
//! request log.

mod error;
mod events;
mod json;
mod messages;
mod misc;
mod params;
mod uploads;

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub(crate) use error::{VkError, standard_message};
pub(crate) use events::EVENT_LIFETIME_MS;
pub(crate) use json::message_json;
pub(crate) use params::Params;
pub(crate) use uploads::upload;

use crate::model::RequestLog;
use crate::state::App;
use fake_support::conn::Conn;

/// One call being served.
pub(crate) struct Call<'a> {
    pub app: &'a Arc<App>,
    pub group: usize,
    pub params: &'a Params,
}

impl Call<'_> {
    pub(crate) fn group_id(&self) -> i64 {
        self.app.groups[self.group].id
    }
}

pub(crate) type MethodResult = Result<Value, VkError>;

/// The request log keeps the newest calls only (long benchmarks).
const MAX_LOG: usize = 200_000;

/// Every supported method, spelled as VK spells it.
const METHODS: &[&str] = &[
    "groups.getLongPollServer",
    "messages.send",
    "messages.edit",
    "messages.delete",
    "messages.sendMessageEventAnswer",
    "users.get",
    "photos.getMessagesUploadServer",
    "photos.saveMessagesPhoto",
    "docs.getMessagesUploadServer",
    "docs.save",
];

fn dispatch(call: &Call<'_>, method: &str) -> MethodResult {
    match method {
        "groups.getLongPollServer" => misc::get_long_poll_server(call),
        "messages.send" => messages::send(call),
        "messages.edit" => messages::edit(call),
        "messages.delete" => messages::delete(call),
        "messages.sendMessageEventAnswer" => events::answer(call),
        "users.get" => misc::users_get(call),
        "photos.getMessagesUploadServer" => uploads::upload_server(call, uploads::PHOTO),
        "photos.saveMessagesPhoto" => uploads::save_photo(call),
        "docs.getMessagesUploadServer" => uploads::upload_server(call, uploads::DOC),
        "docs.save" => uploads::save_doc(call),
        _ => Err(VkError::unknown_method()),
    }
}

/// `/method/{name}`.
pub(crate) async fn handle(
    State(app): State<Arc<App>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    Path(name): Path<String>,
    req: Request,
) -> Response {
    let params = match Params::from_request(req).await {
        Ok(params) => params,
        Err(err) => return (StatusCode::BAD_REQUEST, err).into_response(),
    };
    let method = METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&name))
        .map_or(name, |m| (*m).to_owned());
    let group = params.token().and_then(|t| app.group_by_token(t));
    let mut lost = false;
    let result = match (METHODS.contains(&method.as_str()), group) {
        (false, _) => Err(VkError::unknown_method()),
        (true, None) if params.token().is_none() => Err(VkError::no_token()),
        (true, None) => Err(VkError::bad_token()),
        (true, Some(group)) => {
            let outcome = serve(&app, group, &params, &method).await;
            lost = outcome.1;
            outcome.0
        }
    };
    log(&app, group, &params, &method, &result, lost);
    app.changed();
    if lost {
        conn.cut();
    }
    match result {
        Ok(value) => Json(json!({ "response": value })).into_response(),
        Err(err) => Json(err.to_json(&method, &params.pairs)).into_response(),
    }
}

/// Runs a call with a good token: rate limit, faults, the method. Returns
/// the result and whether the response is to be lost.
async fn serve(
    app: &Arc<App>,
    group: usize,
    params: &Params,
    method: &str,
) -> (MethodResult, bool) {
    let plan = {
        let mut world = app.lock();
        let token = params.token().unwrap_or_default();
        if world.rate_limit && !world.rate.take(token, app.clock.now_ms()) {
            return (Err(VkError::new(6)), false);
        }
        if let Some(right) = crate::rights::required(method)
            && !world.rights.get(token).is_some_and(|r| r.contains(right))
        {
            return (Err(VkError::no_right()), false);
        }
        world.faults.take(method, params.peer_hint())
    };
    if plan.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_ms)).await;
    }
    if let Some(err) = plan.error {
        return (Err(err), false);
    }
    let call = Call { app, group, params };
    (dispatch(&call, method), plan.lose_response)
}

fn log(
    app: &App,
    group: Option<usize>,
    params: &Params,
    method: &str,
    result: &MethodResult,
    lost: bool,
) {
    let message_id = match result {
        Ok(Value::Number(n)) if method == "messages.send" => n.as_i64(),
        Ok(Value::Array(items)) if method == "messages.send" => {
            items.first().and_then(|i| i["message_id"].as_i64())
        }
        _ => None,
    }
    .or_else(|| params.int("message_id").ok().flatten());
    // `peer_ids` sends answer each person's error in the array: a send to
    // one person is logged as failed with that error.
    let per_peer = match result {
        Ok(Value::Array(items)) if method == "messages.send" && items.len() == 1 => {
            let e = &items[0]["error"];
            e["code"].as_u64().map(|code| {
                (
                    u32::try_from(code).unwrap_or(u32::MAX),
                    e["description"].as_str().unwrap_or_default().to_owned(),
                )
            })
        }
        _ => None,
    };
    let entry = RequestLog {
        method: method.to_owned(),
        peer_id: params.peer_hint(),
        message_id,
        random_id: params.int("random_id").ok().flatten(),
        v: params.get("v").map(str::to_owned),
        ok: result.is_ok() && per_peer.is_none(),
        error_code: result
            .as_ref()
            .err()
            .map(|e| e.code)
            .or(per_peer.as_ref().map(|e| e.0)),
        error_msg: result
            .as_ref()
            .err()
            .map(|e| e.msg.clone())
            .or(per_peer.map(|e| e.1)),
        at_ms: app.clock.now_ms(),
        group_id: group.map_or(0, |g| app.groups[g].id),
        lost,
    };
    let mut world = app.lock();
    world.requests.push(entry);
    if world.requests.len() > MAX_LOG + MAX_LOG / 10 {
        let excess = world.requests.len() - MAX_LOG;
        world.requests.drain(..excess);
    }
}
