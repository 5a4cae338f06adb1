//! Per-chat UI state: the screen a chat is on (and what typed text will mean
//! there), the draft being edited, and the id of the chat's desk message.
//! Stored as opaque JSON so the UI layer owns its shape; it lives in the same
//! database as the orders it describes, so a restart loses no dialogue.

use sqlx::{AnyConnection, Row};

use crate::{Channel, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatState {
    pub channel: Channel,
    pub chat_id: i64,
    /// JSON of the UI layer's screen value.
    pub screen: String,
    /// JSON of an unsaved draft, if any.
    pub draft: Option<String>,
    pub desk_message_id: Option<i64>,
    pub language: Option<String>,
    /// The screen last shown (a wire view, JSON), kept where the channel
    /// shows its buttons a page at a time.
    pub shown: Option<String>,
    pub version: i64,
}

pub async fn load(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: i64,
) -> Result<Option<ChatState>> {
    let row = sqlx::query(
        "SELECT screen, draft, desk_message_id, language, shown, version FROM chat_state \
         WHERE channel = $1 AND chat_id = $2",
    )
    .bind(channel.as_str())
    .bind(chat_id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(ChatState {
            channel,
            chat_id,
            screen: r.try_get("screen")?,
            draft: r.try_get("draft")?,
            desk_message_id: r.try_get("desk_message_id")?,
            language: r.try_get("language")?,
            shown: r.try_get("shown")?,
            version: r.try_get("version")?,
        })
    })
    .transpose()
}

/// Writes the screen, draft, language and shown view (not the desk message
/// id, which the sender owns) and bumps the version.
pub async fn save(conn: &mut AnyConnection, state: &ChatState, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO chat_state (channel, chat_id, screen, draft, language, shown, version, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) \
         ON CONFLICT (channel, chat_id) DO UPDATE SET screen = excluded.screen, \
         draft = excluded.draft, language = excluded.language, shown = excluded.shown, \
         version = chat_state.version + 1, updated_at = excluded.updated_at",
    )
    .bind(state.channel.as_str())
    .bind(state.chat_id)
    .bind(&state.screen)
    .bind(state.draft.as_deref())
    .bind(state.language.as_deref())
    .bind(state.shown.as_deref())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records which message is the chat's desk (`None`: forget it).
pub async fn set_desk_message(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: i64,
    message_id: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO chat_state (channel, chat_id, screen, desk_message_id, version, updated_at) \
         VALUES ($1, $2, 'null', $3, 1, $4) \
         ON CONFLICT (channel, chat_id) DO UPDATE SET desk_message_id = excluded.desk_message_id, \
         updated_at = excluded.updated_at",
    )
    .bind(channel.as_str())
    .bind(chat_id)
    .bind(message_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn desk_message(
    conn: &mut AnyConnection,
    channel: Channel,
    chat_id: i64,
) -> Result<Option<i64>> {
    let id: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT desk_message_id FROM chat_state WHERE channel = $1 AND chat_id = $2",
    )
    .bind(channel.as_str())
    .bind(chat_id)
    .fetch_optional(conn)
    .await?;
    Ok(id.flatten())
}

/// Forgets what the chat had open (its screen, draft and paged view), as
/// when a staff member is removed: their next message starts afresh.
pub async fn forget_screen(conn: &mut AnyConnection, channel: Channel, chat_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE chat_state SET screen = 'null', draft = NULL, shown = NULL \
         WHERE channel = $1 AND chat_id = $2",
    )
    .bind(channel.as_str())
    .bind(chat_id)
    .execute(conn)
    .await?;
    Ok(())
}
