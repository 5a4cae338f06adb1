//! Drains the outbox: one worker per chat with calls waiting, in order,
//! within rate limits. Edits of the desk are coalesced (only the newest is
//! sent), "not modified" counts as success, a vanished desk message is
//! re-sent and re-pinned, 429 pauses the chat for `retry_after`, network
//! failures back off, and permanent errors end the call — never an endless retry.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use larder_store::outbox::{NewCall, OutboxRow, Outcome};
use larder_store::{Channel, chat_state, outbox};
use serde::{Deserialize, Serialize};
use teloxide_core::payloads::{
    EditMessageTextSetters, PinChatMessageSetters, SendDocumentSetters, SendMessageSetters,
    SendPhotoSetters,
};
use teloxide_core::prelude::Requester;
use teloxide_core::types::{
    ButtonRequest, ChatId, InputFile, KeyboardButton, KeyboardMarkup, KeyboardRemove, MessageId,
    ParseMode, ReplyMarkup,
};
use teloxide_core::{ApiError, RequestError};
use tokio::task::JoinSet;

use crate::Shared;
use crate::metrics::Metrics;
use crate::render::{Rendered, Under};

const MAX_ATTEMPTS: i64 = 12;
const MAX_BACKOFF_MS: i64 = 60_000;

/// An outgoing call as the outbox stores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Call {
    /// A plain message.
    Send(Rendered),
    /// A new desk message: sent, pinned, and remembered as the chat's desk.
    DeskSend(Rendered),
    /// The desk message edited in place.
    DeskEdit(Rendered),
    Delete {
        message_id: i64,
    },
    /// Another message of the chat (not the desk) edited in place.
    Edit {
        message_id: i64,
        view: Rendered,
    },
    Pin {
        message_id: i64,
    },
    /// An order card sent for the first time; its message id is remembered.
    CardSend {
        card_id: i64,
        view: Rendered,
    },
    /// An order card edited in place (sent anew if its message is gone).
    CardEdit {
        card_id: i64,
        view: Rendered,
    },
    /// A file, base64-encoded in the stored call.
    Document {
        file_name: String,
        data: String,
        caption: Option<String>,
    },
}

impl Call {
    fn kind(&self) -> &'static str {
        match self {
            Call::Send(_) => "send",
            Call::DeskSend(_) => "desk_send",
            Call::DeskEdit(_) => "desk_edit",
            Call::Delete { .. } => "delete",
            Call::Pin { .. } => "pin",
            Call::Document { .. } => "document",
            Call::CardSend { .. } => "card_send",
            Call::Edit { .. } => "edit",
            Call::CardEdit { .. } => "card_edit",
        }
    }

    /// Whether Telegram counts this call against the chat's message limits.
    fn is_counted(&self) -> bool {
        matches!(
            self,
            Call::Send(_)
                | Call::DeskSend(_)
                | Call::DeskEdit(_)
                | Call::Document { .. }
                | Call::CardSend { .. }
                | Call::CardEdit { .. }
                | Call::Edit { .. }
        )
    }

    pub fn into_new(self, channel: Channel, chat_id: i64, idempotency_key: String) -> NewCall {
        NewCall {
            channel,
            chat_id,
            kind: self.kind().to_owned(),
            payload: serde_json::to_string(&self).unwrap_or_default(),
            idempotency_key,
        }
    }
}

type Active = Arc<Mutex<HashSet<i64>>>;

fn lock(active: &Active) -> std::sync::MutexGuard<'_, HashSet<i64>> {
    active
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub async fn run(shared: Arc<Shared>) {
    let mut stop = shared.stop.clone();
    let active: Active = Arc::default();
    let mut set = JoinSet::new();
    loop {
        let busy = async {
            let mut conn = shared.deps.store.conn().await?;
            outbox::busy_chats(&mut conn).await
        };
        match busy.await {
            Ok(chats) => {
                for (channel, chat_id, _due) in chats {
                    if channel == Channel::Telegram && lock(&active).insert(chat_id) {
                        set.spawn(worker(shared.clone(), chat_id, active.clone()));
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
        }
        tokio::select! {
            _ = shared.outbox_ready.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            Some(_) = set.join_next(), if !set.is_empty() => {}
            _ = stop.changed() => break,
        }
    }
    while set.join_next().await.is_some() {}
}

async fn worker(shared: Arc<Shared>, chat_id: i64, active: Active) {
    let stop = shared.stop.clone();
    loop {
        if *stop.borrow() {
            lock(&active).remove(&chat_id);
            return;
        }
        let rows = match pending(&shared, chat_id).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(chat.id = chat_id, error = %e, "cannot read the outbox");
                lock(&active).remove(&chat_id);
                return;
            }
        };
        if rows.is_empty() {
            lock(&active).remove(&chat_id);
            // A call queued just before we let go would otherwise wait for the next tick.
            match pending(&shared, chat_id).await {
                Ok(again) if !again.is_empty() && lock(&active).insert(chat_id) => continue,
                _ => return,
            }
        }
        let Some((row, call)) = next_call(&shared, &rows).await else {
            continue;
        };
        let wait = row.next_attempt_at - shared.now_ms();
        if wait > 0 {
            tokio::time::sleep(Duration::from_millis(u64::try_from(wait).unwrap_or(0))).await;
            continue;
        }
        let ticket = if call.is_counted() {
            Some(shared.limiter.acquire(chat_id).await)
        } else {
            shared.limiter.wait_unpaused(chat_id).await;
            None
        };
        let result = perform(&shared, chat_id, &row, &call).await;
        if let Some(ticket) = ticket {
            shared.limiter.finished(ticket);
        }
        if let Err(e) = settle(&shared, chat_id, &row, result).await {
            tracing::error!(chat.id = chat_id, outbox.id = row.id, error = %e, "cannot record a sent call");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

async fn pending(shared: &Shared, chat_id: i64) -> larder_store::Result<Vec<OutboxRow>> {
    let mut conn = shared.deps.store.conn().await?;
    outbox::pending_for_chat(&mut conn, Channel::Telegram, chat_id, 50).await
}

/// The first call worth making; desk edits followed by a newer desk edit
/// (with no new desk in between) are superseded without being sent.
async fn next_call(shared: &Shared, rows: &[OutboxRow]) -> Option<(OutboxRow, Call)> {
    for (i, row) in rows.iter().enumerate() {
        let call: Call = match serde_json::from_str(&row.payload) {
            Ok(c) => c,
            Err(e) => {
                finish(
                    shared,
                    row,
                    Outcome::Failed,
                    Some(&format!("unreadable call: {e}")),
                )
                .await;
                continue;
            }
        };
        if matches!(call, Call::DeskEdit(_)) && superseded(&rows[i + 1..]) {
            finish(shared, row, Outcome::Superseded, None).await;
            continue;
        }
        if let Call::CardEdit { card_id, .. } = &call
            && card_superseded(*card_id, &rows[i + 1..])
        {
            finish(shared, row, Outcome::Superseded, None).await;
            continue;
        }
        return Some((row.clone(), call));
    }
    None
}

fn superseded(later: &[OutboxRow]) -> bool {
    for r in later {
        match r.kind.as_str() {
            "desk_edit" => return true,
            "desk_send" => return false,
            _ => {}
        }
    }
    false
}

/// A later edit of the same card makes this one pointless.
fn card_superseded(card: i64, later: &[OutboxRow]) -> bool {
    later.iter().any(|r| {
        r.kind == "card_edit"
            && serde_json::from_str::<Call>(&r.payload)
                .is_ok_and(|c| matches!(c, Call::CardEdit { card_id, .. } if card_id == card))
    })
}

async fn finish(shared: &Shared, row: &OutboxRow, outcome: Outcome, detail: Option<&str>) {
    let done = async {
        let mut conn = shared.deps.store.conn().await?;
        outbox::finish(&mut conn, row.id, outcome, detail, shared.now_ms()).await
    };
    if let Err(e) = done.await {
        tracing::error!(outbox.id = row.id, error = %e, "cannot record an outbox outcome");
    }
}

/// What happened to one call.
enum Sent {
    Done(Option<String>),
    /// A new desk message was sent: remember it and pin it (unless a photo).
    NewDesk(i64, bool),
    /// A card's message was sent: remember it.
    NewCard(i64, i64),
}

async fn perform(
    shared: &Shared,
    chat_id: i64,
    row: &OutboxRow,
    call: &Call,
) -> Result<Sent, RequestError> {
    let chat = ChatId(chat_id);
    let bot = &shared.bot;
    match call {
        Call::Send(r) => {
            let markup = match &r.under {
                None => ReplyMarkup::InlineKeyboard(r.markup.clone()),
                Some(Under::ShareContact(label)) => ReplyMarkup::Keyboard(
                    KeyboardMarkup::new([[
                        KeyboardButton::new(label.clone()).request(ButtonRequest::Contact)
                    ]])
                    .resize_keyboard()
                    .one_time_keyboard(),
                ),
                Some(Under::Remove) => ReplyMarkup::KeyboardRemove(KeyboardRemove::new()),
            };
            let m = bot
                .send_message(chat, &r.html)
                .parse_mode(ParseMode::Html)
                .reply_markup(markup)
                .await?;
            Ok(Sent::Done(Some(m.id.0.to_string())))
        }
        Call::DeskSend(r) => send_desk(shared, chat_id, r).await,
        Call::DeskEdit(r) => {
            let desk = {
                let mut conn = shared.deps.store.conn().await.map_err(|e| io_error(&e))?;
                chat_state::desk_message(&mut conn, Channel::Telegram, chat_id)
                    .await
                    .map_err(|e| io_error(&e))?
            };
            let Some(desk) = desk.and_then(|d| i32::try_from(d).ok()) else {
                return send_desk(shared, chat_id, r).await;
            };
            let edited = bot
                .edit_message_text(chat, MessageId(desk), &r.html)
                .parse_mode(ParseMode::Html)
                .reply_markup(r.markup.clone())
                .await;
            match edited {
                Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {
                    Ok(Sent::Done(None))
                }
                Err(RequestError::Api(
                    ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited,
                )) => {
                    tracing::info!(
                        chat.id = chat_id,
                        outbox.id = row.id,
                        "desk message is gone; sending a new one"
                    );
                    send_desk(shared, chat_id, r).await
                }
                Err(e) => Err(e),
            }
        }
        Call::Delete { message_id } => {
            let id = MessageId(i32::try_from(*message_id).unwrap_or(i32::MAX));
            match bot.delete_message(chat, id).await {
                Ok(_) | Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => {
                    Ok(Sent::Done(None))
                }
                Err(e) => Err(e),
            }
        }
        Call::Document {
            file_name,
            data,
            caption,
        } => {
            use base64::Engine as _;
            let bytes = match base64::engine::general_purpose::STANDARD.decode(data) {
                Ok(b) => b,
                Err(e) => {
                    let error = std::io::Error::new(std::io::ErrorKind::InvalidData, e);
                    return Err(RequestError::Io(Arc::new(error)));
                }
            };
            let file = InputFile::memory(bytes).file_name(file_name.clone());
            let mut request = bot.send_document(chat, file);
            if let Some(c) = caption {
                request = request.caption(c.clone());
            }
            let m = request.await?;
            Ok(Sent::Done(Some(m.id.0.to_string())))
        }
        Call::CardSend { card_id, view } => send_card(shared, chat_id, *card_id, view).await,
        Call::Edit { message_id, view } => {
            let id = MessageId(i32::try_from(*message_id).unwrap_or(i32::MAX));
            match bot
                .edit_message_text(chat, id, &view.html)
                .parse_mode(ParseMode::Html)
                .reply_markup(view.markup.clone())
                .await
            {
                Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {
                    Ok(Sent::Done(None))
                }
                Err(e) => Err(e),
            }
        }
        Call::CardEdit { card_id, view } => {
            let card = {
                let mut conn = shared.deps.store.conn().await.map_err(|e| io_error(&e))?;
                larder_store::groups::get_card(&mut conn, *card_id)
                    .await
                    .map_err(|e| io_error(&e))?
            };
            let Some(message) = card.message_id.and_then(|m| i32::try_from(m).ok()) else {
                return send_card(shared, chat_id, *card_id, view).await;
            };
            let edited = bot
                .edit_message_text(chat, MessageId(message), &view.html)
                .parse_mode(ParseMode::Html)
                .reply_markup(view.markup.clone())
                .await;
            match edited {
                Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {
                    Ok(Sent::Done(None))
                }
                Err(RequestError::Api(
                    ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited,
                )) => send_card(shared, chat_id, *card_id, view).await,
                Err(e) => Err(e),
            }
        }
        Call::Pin { message_id } => {
            let id = MessageId(i32::try_from(*message_id).unwrap_or(i32::MAX));
            bot.pin_chat_message(chat, id)
                .disable_notification(true)
                .await?;
            Ok(Sent::Done(None))
        }
    }
}

async fn send_desk(shared: &Shared, chat_id: i64, r: &Rendered) -> Result<Sent, RequestError> {
    let id = send_rendered(shared, chat_id, r).await?;
    Ok(Sent::NewDesk(id, r.photo.is_some()))
}

async fn send_card(
    shared: &Shared,
    chat_id: i64,
    card_id: i64,
    r: &Rendered,
) -> Result<Sent, RequestError> {
    let id = send_rendered(shared, chat_id, r).await?;
    Ok(Sent::NewCard(card_id, id))
}

/// Sends a view as a message (a photo with a caption if it has one).
async fn send_rendered(shared: &Shared, chat_id: i64, r: &Rendered) -> Result<i64, RequestError> {
    let m = match &r.photo {
        Some(photo) => {
            shared
                .bot
                .send_photo(ChatId(chat_id), InputFile::file_id(photo.clone().into()))
                .caption(r.html.clone())
                .parse_mode(ParseMode::Html)
                .reply_markup(r.markup.clone())
                .await?
        }
        None => {
            shared
                .bot
                .send_message(ChatId(chat_id), &r.html)
                .parse_mode(ParseMode::Html)
                .reply_markup(r.markup.clone())
                .await?
        }
    };
    Ok(i64::from(m.id.0))
}

fn io_error(e: &larder_store::StoreError) -> RequestError {
    RequestError::Io(Arc::new(std::io::Error::other(e.to_string())))
}

/// Records the outcome of a call in the outbox.
async fn settle(
    shared: &Shared,
    chat_id: i64,
    row: &OutboxRow,
    result: Result<Sent, RequestError>,
) -> larder_store::Result<()> {
    let now = shared.now_ms();
    let metrics = &shared.deps.metrics;
    match result {
        Ok(Sent::Done(detail)) => {
            let mut conn = shared.deps.store.conn().await?;
            outbox::finish(&mut conn, row.id, Outcome::Sent, detail.as_deref(), now).await?;
            Metrics::inc(&metrics.outbox_sent_total);
        }
        Ok(Sent::NewCard(card_id, message_id)) => {
            let mut tx = shared.deps.store.begin().await?;
            larder_store::groups::set_card_message(&mut tx, card_id, message_id).await?;
            outbox::finish(
                &mut tx,
                row.id,
                Outcome::Sent,
                Some(&message_id.to_string()),
                now,
            )
            .await?;
            tx.commit().await?;
            Metrics::inc(&metrics.outbox_sent_total);
        }
        Ok(Sent::NewDesk(message_id, photo)) => {
            let mut tx = shared.deps.store.begin().await?;
            chat_state::set_desk_message(
                &mut tx,
                Channel::Telegram,
                chat_id,
                Some(message_id),
                now,
            )
            .await?;
            outbox::finish(
                &mut tx,
                row.id,
                Outcome::Sent,
                Some(&message_id.to_string()),
                now,
            )
            .await?;
            // A photo shown for a moment (a product) is not pinned.
            if !photo {
                let pin = Call::Pin { message_id }.into_new(
                    Channel::Telegram,
                    chat_id,
                    format!("pin:{}", row.id),
                );
                outbox::enqueue(&mut tx, &[pin], now).await?;
            }
            tx.commit().await?;
            Metrics::inc(&metrics.outbox_sent_total);
        }
        Err(RequestError::RetryAfter(secs)) => {
            let wait = secs.duration();
            Metrics::inc(&metrics.rate_limited_total);
            tracing::warn!(
                chat.id = chat_id,
                retry_after_s = wait.as_secs(),
                "rate limited by Telegram"
            );
            shared.limiter.pause(chat_id, wait);
            let at = now + i64::try_from(wait.as_millis()).unwrap_or(MAX_BACKOFF_MS);
            let mut conn = shared.deps.store.conn().await?;
            outbox::retry_later(&mut conn, row.id, at, "429 Too Many Requests").await?;
        }
        Err(RequestError::MigrateToChatId(to)) => {
            let mut tx = shared.deps.store.begin().await?;
            larder_store::groups::move_chat(&mut tx, Channel::Telegram, chat_id, to.0).await?;
            outbox::move_chat(&mut tx, Channel::Telegram, chat_id, to.0).await?;
            tx.commit().await?;
            tracing::info!(
                chat.id = chat_id,
                to = to.0,
                "group became a supergroup; following it"
            );
            shared.outbox_ready.notify_one();
        }
        Err(RequestError::Api(api)) if gone(&api) => {
            let error = shared.redact(&api.to_string());
            unreachable(shared, chat_id, row, &error).await?;
            Metrics::inc(&metrics.outbox_failed_total);
        }
        Err(e) => {
            let error = shared.redact(&e.to_string());
            let transient = matches!(
                e,
                RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. }
            );
            let mut conn = shared.deps.store.conn().await?;
            if transient && row.attempts + 1 < MAX_ATTEMPTS {
                let backoff = (500_i64 << row.attempts.clamp(0, 10)).min(MAX_BACKOFF_MS);
                tracing::warn!(chat.id = chat_id, outbox.id = row.id, attempt = row.attempts + 1, error = %error, "call failed; will retry");
                outbox::retry_later(&mut conn, row.id, now + backoff, &error).await?;
                Metrics::inc(&metrics.outbox_retried_total);
            } else {
                let pin_refused = row.kind == "pin";
                if pin_refused {
                    tracing::info!(chat.id = chat_id, error = %error, "pinning the desk was refused; the desk works unpinned");
                } else {
                    tracing::warn!(chat.id = chat_id, outbox.id = row.id, kind = row.kind, error = %error, "call given up");
                }
                outbox::finish(&mut conn, row.id, Outcome::Failed, Some(&error), now).await?;
                Metrics::inc(&metrics.outbox_failed_total);
            }
        }
    }
    Ok(())
}

/// The chat can no longer be written to: the person blocked the bot, or the
/// bot left the group (or the group is gone).
fn gone(api: &ApiError) -> bool {
    matches!(
        api,
        ApiError::BotBlocked
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::ChatNotFound
    ) || api.to_string().starts_with("Forbidden")
}

/// Records an unreachable chat once, drops what waits for it (never retried
/// forever) and tells the admins' group.
async fn unreachable(
    shared: &Shared,
    chat_id: i64,
    row: &OutboxRow,
    error: &str,
) -> larder_store::Result<()> {
    let now = shared.now_ms();
    let mut tx = shared.deps.store.begin().await?;
    outbox::finish(&mut tx, row.id, Outcome::Failed, Some(error), now).await?;
    outbox::drop_chat(&mut tx, Channel::Telegram, chat_id, error, now).await?;
    let who = if chat_id > 0 {
        larder_store::customers::mark_unreachable(&mut tx, Channel::Telegram, chat_id, now)
            .await?
            .map(|c| {
                let name = format!(
                    "{} {}",
                    c.first_name.unwrap_or_default(),
                    c.last_name.unwrap_or_default()
                );
                let phone = c.phone.map(|p| format!(" ({p})")).unwrap_or_default();
                (format!("{}{phone}", name.trim()), false)
            })
    } else {
        let lost = larder_store::groups::mark_lost(&mut tx, Channel::Telegram, chat_id, error, now)
            .await?;
        let mut title = None;
        for role in lost {
            if let Some(g) = larder_store::groups::get(&mut tx, role).await? {
                title = Some((g.title, true));
            }
        }
        title
    };
    tracing::warn!(
        chat.id = chat_id,
        error,
        "chat unreachable; its calls are dropped"
    );
    if let Some((who, group)) = who
        && let Some(admins) =
            larder_store::groups::reachable(&mut tx, larder_store::groups::GroupRole::Admins)
                .await?
        && admins.chat_id != chat_id
    {
        let view = larder_ui::pipeline::unreachable_note(&shared.deps.i18n, &who, group);
        let call = Call::Send(crate::render::render(&view)).into_new(
            Channel::Telegram,
            admins.chat_id,
            format!("lost:{}", row.id),
        );
        outbox::enqueue(&mut tx, &[call], now).await?;
        shared.outbox_ready.notify_one();
    }
    tx.commit().await
}
