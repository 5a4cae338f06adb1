//! The Bot API side: `/bot{token}/{method}` and `/file/bot{token}/{path}`.
//!
//! Every call goes through [`handle`]: token check, faults (delay, error,
//! lost response), the method itself, and the request log.

mod error;
mod media;
mod messages;
mod misc;
mod params;
mod resolve;
mod updates;
pub(crate) mod webhook;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

pub(crate) use error::ApiError;
use error::ok_response;
pub(crate) use params::Params;

use crate::model::RequestLog;
use crate::state::App;
use fake_support::conn::Conn;

/// One call being served.
pub(crate) struct Call<'a> {
    pub app: &'a Arc<App>,
    pub bot: usize,
    pub params: Params,
}

pub(crate) type MethodResult = Result<Value, ApiError>;

/// The request log keeps the newest calls only (long benchmarks).
const MAX_LOG: usize = 200_000;

/// Canonical spelling of every supported method (Telegram matches method
/// names case-insensitively).
const METHODS: &[&str] = &[
    "getMe",
    "logOut",
    "close",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "deleteMessage",
    "pinChatMessage",
    "unpinChatMessage",
    "unpinAllChatMessages",
    "answerCallbackQuery",
    "sendPhoto",
    "sendDocument",
    "getFile",
    "getChat",
    "getChatMember",
    "sendChatAction",
    "setMyCommands",
    "deleteMyCommands",
    "getMyCommands",
];

async fn dispatch(call: &Call<'_>, method: &str) -> MethodResult {
    match method {
        "getMe" => misc::get_me(call),
        "logOut" | "close" => Ok(Value::Bool(true)),
        "getUpdates" => updates::get_updates(call).await,
        "setWebhook" => webhook::set_webhook(call),
        "deleteWebhook" => webhook::delete_webhook(call),
        "getWebhookInfo" => webhook::get_webhook_info(call),
        "sendMessage" => messages::send_message(call),
        "editMessageText" => messages::edit_text(call, false),
        "editMessageCaption" => messages::edit_text(call, true),
        "editMessageReplyMarkup" => messages::edit_reply_markup(call),
        "deleteMessage" => messages::delete_message(call),
        "pinChatMessage" => messages::pin(call),
        "unpinChatMessage" => messages::unpin(call, false),
        "unpinAllChatMessages" => messages::unpin(call, true),
        "answerCallbackQuery" => misc::answer_callback_query(call),
        "sendPhoto" => media::send_media(call, media::Kind::Photo),
        "sendDocument" => media::send_media(call, media::Kind::Document),
        "getFile" => media::get_file(call),
        "getChat" => misc::get_chat(call),
        "getChatMember" => misc::get_chat_member(call),
        "sendChatAction" => misc::send_chat_action(call),
        "setMyCommands" => misc::set_my_commands(call),
        "deleteMyCommands" => misc::delete_my_commands(call),
        "getMyCommands" => misc::get_my_commands(call),
        _ => Err(ApiError::not_found()),
    }
}

/// `/{bot_segment}/{method}`.
pub(crate) async fn handle(
    State(app): State<Arc<App>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    Path((bot_segment, method)): Path<(String, String)>,
    req: Request,
) -> Response {
    let Some(token) = bot_segment.strip_prefix("bot") else {
        return ApiError::not_found().into_response();
    };
    let Some(bot) = app.bot_index(token) else {
        return ApiError::unauthorized().into_response();
    };
    let params = match Params::from_request(req).await {
        Ok(params) => params,
        Err(err) => return err.into_response(),
    };
    let method = METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&method))
        .map_or(method, |m| (*m).to_owned());
    let chat_id = params.chat_id_hint();
    let plan = app.lock().faults.take(&method, chat_id);
    if plan.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_ms)).await;
    }
    let call = Call {
        app: &app,
        bot,
        params,
    };
    let result = match plan.error {
        Some(err) => Err(err),
        None => dispatch(&call, &method).await,
    };
    let message_id = match &result {
        Ok(value) => value.get("message_id").and_then(Value::as_i64),
        Err(_) => None,
    }
    .or_else(|| call.params.int("message_id", "").ok().flatten());
    {
        let mut world = app.lock();
        let entry = RequestLog {
            method: method.clone(),
            chat_id,
            message_id,
            ok: result.is_ok(),
            error_code: result.as_ref().err().map(|e| e.code),
            description: result.as_ref().err().map(|e| e.description.clone()),
            at_ms: app.clock.now_ms(),
            bot_id: app.bots[bot].id,
            dropped: plan.drop_response,
        };
        world.requests.push(entry);
        if world.requests.len() > MAX_LOG + MAX_LOG / 10 {
            let excess = world.requests.len() - MAX_LOG;
            world.requests.drain(..excess);
        }
    }
    app.changed();
    if plan.drop_response {
        conn.cut();
    }
    match result {
        Ok(value) => ok_response(value),
        Err(err) => err.into_response(),
    }
}

/// `/file/{bot_segment}/{*path}`: downloads a file by its `file_path`.
pub(crate) async fn download(
    State(app): State<Arc<App>>,
    Path((bot_segment, path)): Path<(String, String)>,
) -> Response {
    let known_bot = bot_segment
        .strip_prefix("bot")
        .and_then(|token| app.bot_index(token))
        .is_some();
    if !known_bot {
        return ApiError::unauthorized().into_response();
    }
    let world = app.lock();
    match world.files.values().find(|f| f.path == path) {
        Some(file) => (
            [(header::CONTENT_TYPE, file.mime_type.clone())],
            file.bytes.clone(),
        )
            .into_response(),
        None => ApiError::not_found().into_response(),
    }
}
