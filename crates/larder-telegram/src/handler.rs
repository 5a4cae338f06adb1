//! Handles one stored update: decode, authorise and run the screens, then
//! commit domain rows, chat state, outgoing calls and the inbox row together.

use larder_core::TgUserId;
use larder_store::outbox::NewCall;
use larder_store::{Channel, StoreError, chat_state, inbox, outbox};
use larder_ui::{Ctx, Desk, GroupInput, Input, Reply, Stored, UiError, User};
use teloxide_core::types::{CallbackQueryId, ChatKind, MessageId, Update, UpdateKind};

use crate::Shared;
use crate::callback::PendingAnswer;
use base64::Engine as _;

use crate::render::render;
use crate::sender::Call;

#[derive(Debug, thiserror::Error)]
pub enum HandleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ui(#[from] UiError),
    #[error("update is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// What a person did in a private chat.
struct Private {
    chat_id: i64,
    user: User,
    language: Option<String>,
    input: Input,
    /// The typed message, or the message whose button was pressed.
    message_id: Option<MessageId>,
    callback: Option<CallbackQueryId>,
}

fn display_name(u: &teloxide_core::types::User) -> String {
    match &u.last_name {
        Some(last) => format!("{} {last}", u.first_name),
        None => u.first_name.clone(),
    }
}

fn user_of(u: &teloxide_core::types::User) -> Option<User> {
    Some(User {
        id: TgUserId::new(i64::try_from(u.id.0).ok()?),
        display_name: display_name(u),
    })
}

/// `/start CODE`, `/cmd@bot args`, or plain text.
pub fn parse_text(text: &str) -> Input {
    let Some(rest) = text.strip_prefix('/') else {
        return Input::Text(text.to_owned());
    };
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let name = head.split('@').next().unwrap_or(head).to_lowercase();
    match name.as_str() {
        "start" => Input::Start(
            Some(args.trim())
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
        ),
        _ => Input::Command(name),
    }
}

/// What a message says: a photo, a shared contact, a command or text.
fn input_of(m: &teloxide_core::types::Message) -> Input {
    if let Some(photo) = m
        .photo()
        .and_then(|sizes| sizes.iter().max_by_key(|p| p.width * p.height))
    {
        return Input::Photo(photo.file.id.to_string());
    }
    if let Some(c) = m.contact() {
        return Input::Contact {
            phone: c.phone_number.clone(),
            user_id: c.user_id.and_then(|u| i64::try_from(u.0).ok()),
        };
    }
    parse_text(m.text().unwrap_or_default())
}

/// Something that happened in a group.
enum GroupEvent {
    /// A command or a press by a person.
    Input {
        chat: larder_ui::pipeline::GroupChat,
        user: User,
        input: GroupInput,
        message_id: MessageId,
        callback: Option<CallbackQueryId>,
    },
    /// The group became a supergroup with a new id.
    Migrated { from: i64, to: i64 },
    /// The bot was removed from the group.
    Left { chat_id: i64, title: String },
}

fn title_of(chat: &teloxide_core::types::Chat) -> String {
    chat.title().unwrap_or_default().to_owned()
}

/// A group event for us; `bot` is our username, to skip commands addressed
/// to other bots in the same group (`/stop@otherbot`).
fn classify_group(update: &Update, bot: Option<&str>) -> Option<GroupEvent> {
    match &update.kind {
        UpdateKind::Message(m) if !m.chat.is_private() => {
            if let Some(to) = m.migrate_to_chat_id() {
                return Some(GroupEvent::Migrated {
                    from: m.chat.id.0,
                    to: to.0,
                });
            }
            let from = m.from.as_ref().filter(|u| !u.is_bot)?;
            let text = m.text()?.strip_prefix('/')?;
            let (head, args) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
            let (name, to) = head.split_once('@').unwrap_or((head, ""));
            if !to.is_empty() && bot.is_some_and(|b| !b.eq_ignore_ascii_case(to)) {
                return None;
            }
            let name = name.to_lowercase();
            Some(GroupEvent::Input {
                chat: larder_ui::pipeline::GroupChat {
                    channel: Channel::Telegram,
                    chat_id: m.chat.id.0,
                    title: title_of(&m.chat),
                },
                user: user_of(from)?,
                input: GroupInput::Command {
                    name,
                    args: args.trim().to_owned(),
                },
                message_id: m.id,
                callback: None,
            })
        }
        UpdateKind::CallbackQuery(q) => {
            let message = q.message.as_ref()?;
            if message.chat().is_private() {
                return None;
            }
            Some(GroupEvent::Input {
                chat: larder_ui::pipeline::GroupChat {
                    channel: Channel::Telegram,
                    chat_id: message.chat().id.0,
                    title: title_of(message.chat()),
                },
                user: user_of(&q.from)?,
                input: GroupInput::Press(q.data.clone().unwrap_or_default()),
                message_id: message.id(),
                callback: Some(q.id.clone()),
            })
        }
        UpdateKind::MyChatMember(m) if !m.chat.is_private() => {
            let left = matches!(
                m.new_chat_member.kind,
                teloxide_core::types::ChatMemberKind::Left
                    | teloxide_core::types::ChatMemberKind::Banned(_)
            );
            left.then(|| GroupEvent::Left {
                chat_id: m.chat.id.0,
                title: title_of(&m.chat),
            })
        }
        _ => None,
    }
}

fn classify(update: &Update) -> Option<Private> {
    match &update.kind {
        UpdateKind::Message(m) => {
            if !matches!(m.chat.kind, ChatKind::Private(_)) {
                return None;
            }
            let from = m.from.as_ref().filter(|u| !u.is_bot)?;
            Some(Private {
                chat_id: m.chat.id.0,
                user: user_of(from)?,
                language: from.language_code.clone(),
                input: input_of(m),
                message_id: Some(m.id),
                callback: None,
            })
        }
        UpdateKind::CallbackQuery(q) => {
            let message = q.message.as_ref()?;
            if !message.chat().is_private() {
                return None;
            }
            Some(Private {
                chat_id: message.chat().id.0,
                user: user_of(&q.from)?,
                language: q.from.language_code.clone(),
                input: Input::Press(q.data.clone().unwrap_or_default()),
                message_id: Some(message.id()),
                callback: Some(q.id.clone()),
            })
        }
        _ => None,
    }
}

/// Handles a stored update; `false` if it had been handled before.
pub async fn handle(shared: &Shared, row: &inbox::InboxRow) -> Result<bool, HandleError> {
    let update: Update = serde_json::from_str(&row.payload)?;
    if let Some(event) = classify_group(&update, shared.deps.ui.bot_username.as_deref()) {
        return group(shared, row, event).await;
    }
    let Some(event) = classify(&update) else {
        let mut tx = shared.deps.store.begin().await?;
        let fresh = inbox::mark_done(&mut tx, row.id, shared.now_ms()).await?;
        tx.commit().await?;
        return Ok(fresh);
    };
    let pending = event.callback.clone().map(|id| {
        PendingAnswer::start(
            shared.bot.clone(),
            id,
            shared.config.answer_deadline,
            shared.deps.metrics.clone(),
        )
    });
    let result = private(shared, row, event).await;
    if let Some(p) = pending {
        match &result {
            Ok(Some(toast)) => p.finish(toast.as_ref()).await,
            Ok(None) | Err(_) => p.finish(None).await,
        }
    }
    result.map(|handled| handled.is_some())
}

/// Returns the toast to answer the press with, or `None` if the update had
/// been handled before.
async fn private(
    shared: &Shared,
    row: &inbox::InboxRow,
    event: Private,
) -> Result<Option<Option<larder_ui::Toast>>, HandleError> {
    let now = shared.now_ms();
    let mut tx = shared.deps.store.begin().await?;
    if !inbox::mark_done(&mut tx, row.id, now).await? {
        return Ok(None);
    }
    let stored = chat_state::load(&mut tx, Channel::Telegram, event.chat_id).await?;
    let desk_id = stored.as_ref().and_then(|s| s.desk_message_id);
    let previous = stored.as_ref().map(|s| Stored {
        screen: s.screen.clone(),
        draft: s.draft.clone(),
    });
    let lang = shared.deps.i18n.pick(event.language.as_deref());
    let stale_press = matches!(&event.input, Input::Press(d) if !larder_ui::is_detached_press(d))
        && desk_id.is_some()
        && event.message_id.map(|m| i64::from(m.0)) != desk_id;
    let (reply, new_state) = if stale_press {
        (Reply::keep().with_toast(lang.t("outdated-button")), None)
    } else {
        let mut ctx = Ctx {
            tx: &mut tx,
            channel: Channel::Telegram,
            lang,
            config: &shared.deps.ui,
            user: event.user.clone(),
            now,
            setup_code: shared.deps.setup_code.as_deref(),
        };
        larder_ui::handle_private(&mut ctx, previous.as_ref(), event.input.clone()).await?
    };
    let language_changed = stored
        .as_ref()
        .is_some_and(|s| s.language.as_deref() != Some(lang.code()));
    if new_state.is_some() || language_changed {
        let state = new_state.or(previous).unwrap_or_default();
        let record = chat_state::ChatState {
            channel: Channel::Telegram,
            chat_id: event.chat_id,
            screen: state.screen,
            draft: state.draft,
            desk_message_id: desk_id,
            language: Some(lang.code().to_owned()),
            version: stored.as_ref().map_or(0, |s| s.version),
        };
        chat_state::save(&mut tx, &record, now).await?;
    }
    let calls = plan(&reply, event.message_id, desk_id);
    let mut queued: Vec<NewCall> = calls
        .into_iter()
        .enumerate()
        .map(|(n, call)| {
            call.into_new(
                Channel::Telegram,
                event.chat_id,
                format!("tg:{}:{n}", row.id),
            )
        })
        .collect();
    queued.extend(elsewhere(&reply, &format!("tg:{}", row.id)));
    outbox::enqueue(&mut tx, &queued, now).await?;
    tx.commit().await?;
    if !queued.is_empty() {
        shared.outbox_ready.notify_one();
    }
    Ok(Some(reply.toast))
}

/// Calls for order cards and messages to other chats (Telegram ones; a
/// channel without a sender here is left to its own adapter).
pub fn elsewhere(reply: &Reply, prefix: &str) -> Vec<NewCall> {
    let mut out = Vec::new();
    for (n, card) in reply.cards.iter().enumerate() {
        if card.channel != Channel::Telegram {
            continue;
        }
        let view = render(&card.view);
        let call = if card.fresh {
            Call::CardSend {
                card_id: card.card_id,
                view,
            }
        } else {
            Call::CardEdit {
                card_id: card.card_id,
                view,
            }
        };
        let key = format!("{prefix}:card:{n}");
        out.push(call.into_new(Channel::Telegram, card.chat_id, key));
    }
    for (n, note) in reply.notes.iter().enumerate() {
        let key = format!("{prefix}:note:{n}");
        if note.channel != Channel::Telegram {
            // Another channel's sender renders the view itself.
            out.push(larder_ui::wire::note(note, key));
            continue;
        }
        out.push(Call::Send(render(&note.view)).into_new(Channel::Telegram, note.chat_id, key));
    }
    out
}

/// Handles an update from a group; `false` if it had been handled before.
async fn group(
    shared: &Shared,
    row: &inbox::InboxRow,
    event: GroupEvent,
) -> Result<bool, HandleError> {
    let now = shared.now_ms();
    let callback = match &event {
        GroupEvent::Input { callback, .. } => callback.clone(),
        _ => None,
    };
    let pending = callback.map(|id| {
        PendingAnswer::start(
            shared.bot.clone(),
            id,
            shared.config.answer_deadline,
            shared.deps.metrics.clone(),
        )
    });
    let result = async {
        let mut tx = shared.deps.store.begin().await?;
        if !inbox::mark_done(&mut tx, row.id, now).await? {
            return Ok::<_, HandleError>(None);
        }
        let lang = shared.deps.i18n.pick(None);
        let mut queued = Vec::new();
        let mut toast = None;
        match event {
            GroupEvent::Migrated { from, to } => {
                larder_store::groups::move_chat(&mut tx, Channel::Telegram, from, to).await?;
                outbox::move_chat(&mut tx, Channel::Telegram, from, to).await?;
                tracing::info!(
                    chat.id = from,
                    to,
                    "group became a supergroup; following it"
                );
            }
            GroupEvent::Left { chat_id, title } => {
                let lost = larder_store::groups::mark_lost(
                    &mut tx,
                    Channel::Telegram,
                    chat_id,
                    "the bot was removed from the group",
                    now,
                )
                .await?;
                if !lost.is_empty() {
                    tracing::warn!(chat.id = chat_id, "the bot was removed from a staff group");
                    outbox::drop_chat(&mut tx, Channel::Telegram, chat_id, "bot removed", now)
                        .await?;
                    if let Some(admins) = larder_store::groups::reachable(
                        &mut tx,
                        larder_store::groups::GroupRole::Admins,
                    )
                    .await?
                    {
                        let view =
                            larder_ui::pipeline::unreachable_note(&shared.deps.i18n, &title, true);
                        queued.push(Call::Send(render(&view)).into_new(
                            Channel::Telegram,
                            admins.chat_id,
                            format!("tg:{}:lost", row.id),
                        ));
                    }
                }
            }
            GroupEvent::Input {
                chat,
                user,
                input,
                message_id,
                ..
            } => {
                let chat_id = chat.chat_id;
                let mut ctx = Ctx {
                    tx: &mut tx,
                    channel: Channel::Telegram,
                    lang,
                    config: &shared.deps.ui,
                    user,
                    now,
                    setup_code: None,
                };
                let reply = larder_ui::handle_group(&mut ctx, chat, input).await?;
                for (n, view) in reply.say.iter().enumerate() {
                    let key = format!("tg:{}:{n}", row.id);
                    queued.push(Call::Send(render(view)).into_new(Channel::Telegram, chat_id, key));
                }
                if let Desk::Show(view) = &reply.desk {
                    let call = Call::Edit {
                        message_id: i64::from(message_id.0),
                        view: render(view),
                    };
                    let key = format!("tg:{}:edit", row.id);
                    queued.push(call.into_new(Channel::Telegram, chat_id, key));
                }
                queued.extend(elsewhere(&reply, &format!("tg:{}", row.id)));
                toast = reply.toast;
            }
        }
        outbox::enqueue(&mut tx, &queued, now).await?;
        tx.commit().await?;
        if !queued.is_empty() {
            shared.outbox_ready.notify_one();
        }
        Ok(Some(toast))
    }
    .await;
    if let Some(p) = pending {
        match &result {
            Ok(Some(toast)) => p.finish(toast.as_ref()).await,
            Ok(None) | Err(_) => p.finish(None).await,
        }
    }
    result.map(|handled| handled.is_some())
}

/// The API calls a reply needs, in order.
fn plan(reply: &Reply, message_id: Option<MessageId>, desk_id: Option<i64>) -> Vec<Call> {
    let mut calls = Vec::new();
    if reply.delete_input
        && let Some(m) = message_id
    {
        calls.push(Call::Delete {
            message_id: i64::from(m.0),
        });
    }
    for view in &reply.say {
        calls.push(Call::Send(render(view)));
    }
    for doc in &reply.documents {
        calls.push(Call::Document {
            file_name: doc.file_name.clone(),
            data: base64::engine::general_purpose::STANDARD.encode(&doc.bytes),
            caption: doc.caption.clone(),
        });
    }
    // After files, the desk reappears below them instead of being edited above.
    let desk = match &reply.desk {
        Desk::Show(view) if !reply.documents.is_empty() => Desk::Fresh(view.clone()),
        other => other.clone(),
    };
    match &desk {
        Desk::Keep => {}
        Desk::Show(view) => calls.push(Call::DeskEdit(render(view))),
        Desk::Fresh(view) => {
            if let Some(old) = desk_id {
                calls.push(Call::Delete { message_id: old });
            }
            calls.push(Call::DeskSend(render(view)));
        }
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_parsed_with_payloads_and_bot_names() {
        assert_eq!(parse_text("/start"), Input::Start(None));
        assert_eq!(
            parse_text("/start abc123"),
            Input::Start(Some("abc123".into()))
        );
        assert_eq!(parse_text("/START@larder_bot"), Input::Start(None));
        assert_eq!(parse_text("/help me"), Input::Command("help".into()));
        assert_eq!(parse_text("250,50"), Input::Text("250,50".into()));
    }
}
