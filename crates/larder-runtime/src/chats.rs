//! Chats that change under the bot: a person who blocked it, a group that
//! removed it (each recorded once, what waits for them dropped, the admins'
//! group told once), and a group that became a supergroup (followed).

use std::sync::Arc;

use larder_store::outbox::{self, Finished, Outcome};
use larder_store::{Channel, StoreError, Tx, customers, groups, settings, staff};

use crate::Inner;
use crate::plan::{self, Planned};
use crate::send::Queued;

/// The bot was removed from a group: recorded once, its calls dropped, and
/// the admins told (if it was not the admins' group itself).
pub(crate) async fn group_left(
    inner: &Inner,
    tx: &mut Tx,
    channel: Channel,
    chat_id: i64,
    title: &str,
    now: i64,
    planned: &mut Vec<Planned>,
) -> Result<(), StoreError> {
    let lost = groups::mark_lost(
        tx,
        channel,
        chat_id,
        "the bot was removed from the group",
        now,
    )
    .await?;
    if lost.is_empty() {
        return Ok(());
    }
    tracing::warn!(chat.id = chat_id, "the bot was removed from a staff group");
    outbox::drop_chat(tx, channel, chat_id, "bot removed", now).await?;
    tell_admins(inner, tx, chat_id, title, true, planned).await
}

async fn tell_admins(
    inner: &Inner,
    tx: &mut Tx,
    about: i64,
    who: &str,
    group: bool,
    planned: &mut Vec<Planned>,
) -> Result<(), StoreError> {
    if let Some(admins) = groups::reachable(tx, groups::GroupRole::Admins).await?
        && admins.chat_id != about
    {
        let view = larder_ui::pipeline::unreachable_note(&inner.deps.i18n, who, group);
        planned.push(plan::note(admins.channel, admins.chat_id, &view));
    }
    Ok(())
}

/// The channel's token lacks a right (VK: `photos`, `messages`, `manage`):
/// the admins' group and every owner are told once, with the setting to
/// change, until the right is seen working again (the transport then clears
/// [`lacking_key`]). Returns the
/// calls queued.
pub(crate) async fn lacking(
    inner: &Arc<Inner>,
    channel: Channel,
    right: &str,
) -> Result<Vec<Queued>, StoreError> {
    let now = inner.now_ms();
    let key = lacking_key(channel, right);
    let mut tx = inner.deps.store.begin().await?;
    if settings::get(&mut tx, &key).await?.is_some() {
        return Ok(Vec::new());
    }
    settings::set(&mut tx, &key, &now.to_string()).await?;
    let view = larder_ui::pipeline::lacking_note(&inner.deps.i18n, right);
    let mut planned = Vec::new();
    if let Some(admins) = groups::reachable(&mut tx, groups::GroupRole::Admins).await? {
        planned.push(plan::note(admins.channel, admins.chat_id, &view));
    }
    for member in staff::list(&mut tx).await? {
        if member.role == larder_core::Role::Owner {
            planned.push(plan::note(Channel::Telegram, member.user_id.get(), &view));
        }
    }
    tracing::warn!(channel = channel.as_str(), right, "the token lacks a right");
    let key = format!("{}:lacking:{right}:{now}", channel.as_str());
    let queued = crate::handle::enqueue(inner, &mut tx, planned, &key, now).await?;
    tx.commit().await?;
    Ok(queued)
}

/// The settings key that says owners were told a right is lacking.
pub fn lacking_key(channel: Channel, right: &str) -> String {
    format!("{}.lacking.{right}", channel.as_str())
}

/// A chat refused a call for good (blocked, removed, gone): the call fails,
/// what waits for the chat is dropped, the customer or group is recorded
/// unreachable once and the admins are told once. Returns the calls queued
/// (the admins' note).
pub(crate) async fn unreachable(
    inner: &Arc<Inner>,
    channel: Channel,
    chat_id: i64,
    row_id: i64,
    error: &str,
) -> Result<Vec<Queued>, StoreError> {
    let now = inner.now_ms();
    let mut tx = inner.deps.store.begin().await?;
    outbox::finish(
        &mut tx,
        &[Finished {
            id: row_id,
            outcome: Outcome::Failed,
            detail: Some(error.to_owned()),
        }],
        now,
    )
    .await?;
    outbox::drop_chat(&mut tx, channel, chat_id, error, now).await?;
    let mut planned = Vec::new();
    if chat_id > 0 {
        if let Some(c) = customers::mark_unreachable(&mut tx, channel, chat_id, now).await? {
            let name = format!(
                "{} {}",
                c.first_name.unwrap_or_default(),
                c.last_name.unwrap_or_default()
            );
            let tag = match channel {
                Channel::Telegram => "",
                Channel::Vk => " [VK]",
            };
            let phone = c.phone.map(|p| format!(" ({p})")).unwrap_or_default();
            let who = format!("{}{tag}{phone}", name.trim());
            tell_admins(inner, &mut tx, chat_id, &who, false, &mut planned).await?;
        }
    } else {
        let lost = groups::mark_lost(&mut tx, channel, chat_id, error, now).await?;
        let mut title = None;
        for role in lost {
            if let Some(g) = groups::get(&mut tx, role).await? {
                title = Some(g.title);
            }
        }
        if let Some(title) = title {
            tell_admins(inner, &mut tx, chat_id, &title, true, &mut planned).await?;
        }
    }
    tracing::warn!(
        channel = channel.as_str(),
        chat.id = chat_id,
        error,
        "chat unreachable; what waits for it is dropped"
    );
    let key = format!("{}:lost:{row_id}", channel.as_str());
    let queued = crate::handle::enqueue(inner, &mut tx, planned, &key, now).await?;
    tx.commit().await?;
    Ok(queued)
}

/// A group became a supergroup: its bindings, cards and waiting calls move.
pub(crate) async fn migrate(
    inner: &Inner,
    channel: Channel,
    from: i64,
    to: i64,
) -> Result<(), StoreError> {
    let mut tx = inner.deps.store.begin().await?;
    groups::move_chat(&mut tx, channel, from, to).await?;
    outbox::move_chat(&mut tx, channel, from, to).await?;
    tx.commit().await?;
    tracing::info!(
        chat.id = from,
        to,
        "group became a supergroup; following it"
    );
    Ok(())
}
