//! Drains the VK outbox in order, at most 20 requests a second. Each
//! message's `random_id` is its outbox row's id, fixed when it was queued, so
//! a retry after a lost response is deduplicated by VK. Errors by class:
//! 6, 9, 10, 29 and lost responses are retried with backoff; 900, 901 and
//! 902 mean the person cannot be written to (recorded once, the admins are
//! told, nothing is retried); anything else (911, 914, …) is our bug: logged
//! and dropped, never retried.

use std::sync::Arc;
use std::time::Duration;

use larder_store::outbox::{self, OutboxRow, Outcome};
use larder_store::{Channel, chat_state, customers, groups, settings};
use larder_ui::View;

use crate::handler::{VkCall, text_buttons_key};
use crate::render;
use crate::{Shared, VkError};

const MAX_ATTEMPTS: i64 = 12;
/// VK allows a community 20 requests a second.
const SPACING: Duration = Duration::from_millis(50);

pub async fn run(shared: Arc<Shared>) {
    let mut stop = shared.stop.clone();
    loop {
        let worked = match drain(&shared).await {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the VK outbox");
                0
            }
        };
        if worked > 0 {
            continue;
        }
        tokio::select! {
            _ = shared.outbox_ready.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// Makes every call that is due; returns how many were made.
async fn drain(shared: &Shared) -> larder_store::Result<usize> {
    let chats = {
        let mut conn = shared.deps.store.conn().await?;
        outbox::busy_chats(&mut conn).await?
    };
    let mut made = 0;
    for (channel, peer, due) in chats {
        if channel != Channel::Vk || due > shared.now_ms() {
            continue;
        }
        let rows = {
            let mut conn = shared.deps.store.conn().await?;
            outbox::pending_for_chat(&mut conn, Channel::Vk, peer, 20).await?
        };
        for row in rows {
            if row.next_attempt_at > shared.now_ms() {
                // Later calls of this chat wait for this one.
                break;
            }
            let result = perform(shared, &row).await;
            settle(shared, &row, result).await?;
            made += 1;
            tokio::time::sleep(SPACING).await;
        }
    }
    Ok(made)
}

enum Sent {
    Done,
    NewDesk(i64),
}

fn random_id(row: &OutboxRow) -> String {
    (row.id % i64::from(i32::MAX)).to_string()
}

async fn callbacks(shared: &Shared, peer: i64) -> bool {
    let key = text_buttons_key(peer);
    let text_only = async {
        let mut conn = shared.deps.store.conn().await?;
        settings::get(&mut conn, &key).await
    };
    !matches!(text_only.await, Ok(Some(_)))
}

async fn send(shared: &Shared, row: &OutboxRow, view: &View, page: usize) -> Result<i64, VkError> {
    let mut params = vec![
        ("peer_id", row.chat_id.to_string()),
        ("random_id", random_id(row)),
        ("message", render::text(view)),
    ];
    if let Some(k) = render::keyboard(view, page, callbacks(shared, row.chat_id).await) {
        params.push(("keyboard", k));
    }
    if let Some(file_id) = &view.photo {
        match crate::photos::attachment(shared, row.chat_id, file_id).await {
            Ok(Some(a)) => params.push(("attachment", a)),
            Ok(None) => {}
            // The text goes out anyway; the photo is a nicety.
            Err(e) => tracing::warn!(error = %e, "product photo not shown on VK"),
        }
    }
    let r = shared.api.call("messages.send", &params).await?;
    Ok(r.as_i64().unwrap_or(0))
}

async fn perform(shared: &Shared, row: &OutboxRow) -> Result<Sent, VkError> {
    if let Some(view) = larder_ui::wire::view_of(&row.kind, &row.payload) {
        send(shared, row, &view, 0).await?;
        return Ok(Sent::Done);
    }
    let call: VkCall = match serde_json::from_str(&row.payload) {
        Ok(c) => c,
        Err(e) => {
            return Err(VkError::Api {
                code: -1,
                message: format!("unreadable call: {e}"),
            });
        }
    };
    match call {
        VkCall::Send { view } => {
            send(shared, row, &view, 0).await?;
            Ok(Sent::Done)
        }
        VkCall::DeskSend { view } => Ok(Sent::NewDesk(send(shared, row, &view, 0).await?)),
        VkCall::DeskEdit { view, page } => {
            let desk = async {
                let mut conn = shared.deps.store.conn().await?;
                chat_state::desk_message(&mut conn, Channel::Vk, row.chat_id).await
            };
            let Ok(Some(message_id)) = desk.await else {
                return Ok(Sent::NewDesk(send(shared, row, &view, page).await?));
            };
            let mut params = vec![
                ("peer_id", row.chat_id.to_string()),
                ("message_id", message_id.to_string()),
                ("message", render::text(&view)),
            ];
            let keyboard = render::keyboard(&view, page, callbacks(shared, row.chat_id).await)
                .unwrap_or_else(|| r#"{"inline":true,"buttons":[]}"#.to_owned());
            params.push(("keyboard", keyboard));
            match shared.api.call("messages.edit", &params).await {
                Ok(_) => Ok(Sent::Done),
                // Gone or too old to edit: the shop comes back as a new message.
                Err(VkError::Api {
                    code: 100 | 909 | 910 | 920,
                    ..
                }) => Ok(Sent::NewDesk(send(shared, row, &view, page).await?)),
                Err(e) => Err(e),
            }
        }
        VkCall::Delete { message_id } => {
            let params = [
                ("peer_id", row.chat_id.to_string()),
                ("message_ids", message_id.to_string()),
                ("delete_for_all", "1".to_owned()),
            ];
            if let Err(e) = shared.api.call("messages.delete", &params).await {
                tracing::info!(error = %e, "old VK message not deleted");
            }
            Ok(Sent::Done)
        }
    }
}

async fn settle(
    shared: &Shared,
    row: &OutboxRow,
    result: Result<Sent, VkError>,
) -> larder_store::Result<()> {
    let now = shared.now_ms();
    match result {
        Ok(Sent::Done) => {
            let mut conn = shared.deps.store.conn().await?;
            outbox::finish(&mut conn, row.id, Outcome::Sent, None, now).await
        }
        Ok(Sent::NewDesk(id)) => {
            let mut tx = shared.deps.store.begin().await?;
            chat_state::set_desk_message(&mut tx, Channel::Vk, row.chat_id, Some(id), now).await?;
            outbox::finish(&mut tx, row.id, Outcome::Sent, Some(&id.to_string()), now).await?;
            tx.commit().await
        }
        Err(e) => {
            let error = e.to_string();
            match e.code() {
                None | Some(6 | 9 | 10 | 29) if row.attempts + 1 < MAX_ATTEMPTS => {
                    let backoff = (500_i64 << row.attempts.clamp(0, 7)).min(60_000);
                    tracing::warn!(peer = row.chat_id, error, "VK call failed; will retry");
                    let mut conn = shared.deps.store.conn().await?;
                    outbox::retry_later(&mut conn, row.id, now + backoff, &error).await
                }
                Some(900..=902) => unreachable(shared, row, &error).await,
                _ => {
                    tracing::error!(peer = row.chat_id, error, "VK call dropped");
                    let mut conn = shared.deps.store.conn().await?;
                    outbox::finish(&mut conn, row.id, Outcome::Failed, Some(&error), now).await
                }
            }
        }
    }
}

/// The person cannot be written to: recorded once, waiting messages are
/// dropped, and the admins' group (on Telegram) is told.
async fn unreachable(shared: &Shared, row: &OutboxRow, error: &str) -> larder_store::Result<()> {
    let now = shared.now_ms();
    let mut tx = shared.deps.store.begin().await?;
    outbox::finish(&mut tx, row.id, Outcome::Failed, Some(error), now).await?;
    outbox::drop_chat(&mut tx, Channel::Vk, row.chat_id, error, now).await?;
    let news = customers::mark_unreachable(&mut tx, Channel::Vk, row.chat_id, now).await?;
    tracing::warn!(peer = row.chat_id, error, "VK customer unreachable");
    if let Some(c) = news
        && let Some(admins) = groups::reachable(&mut tx, groups::GroupRole::Admins).await?
    {
        let name = format!(
            "{} {}",
            c.first_name.unwrap_or_default(),
            c.last_name.unwrap_or_default()
        );
        let phone = c.phone.map(|p| format!(" ({p})")).unwrap_or_default();
        let who = format!("{} [VK]{phone}", name.trim());
        let view = larder_ui::pipeline::unreachable_note(&shared.deps.i18n, &who, false);
        let note = larder_ui::Note {
            channel: admins.channel,
            chat_id: admins.chat_id,
            view,
        };
        let reply = larder_ui::Reply {
            notes: vec![note],
            ..larder_ui::Reply::keep()
        };
        let calls = larder_telegram::queue_effects(&reply, &format!("vk-lost:{}", row.id));
        outbox::enqueue(&mut tx, &calls, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
