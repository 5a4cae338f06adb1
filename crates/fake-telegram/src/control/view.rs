//! Chats as a person sees them.

use crate::model::{
    ButtonView, ChatSummary, ChatView, ContactView, DocumentView, KeyButtonView, MessageView,
    PhotoView,
};
use crate::state::{Body, Chat, ChatKind, Msg, Sender, World};

pub(crate) fn chat_view(world: &World, chat: &Chat) -> ChatView {
    ChatView {
        id: chat.id,
        kind: chat.kind.as_str().to_owned(),
        title: chat.title.clone(),
        pinned_message_id: chat.pinned_id(),
        messages: chat
            .messages
            .values()
            .filter(|m| !m.is_service())
            .map(|m| message_view(world, m))
            .collect(),
        keyboard: chat
            .reply_keyboard
            .iter()
            .flatten()
            .map(|row| {
                row.iter()
                    .map(|b| KeyButtonView {
                        text: b.text.clone(),
                        request_contact: b.request_contact,
                    })
                    .collect()
            })
            .collect(),
    }
}

fn message_view(world: &World, msg: &Msg) -> MessageView {
    let mut view = MessageView {
        message_id: msg.id,
        from_bot: msg.from == Sender::Bot,
        from: match msg.from {
            Sender::Bot => None,
            Sender::User(id) => Some(id),
        },
        date: msg.date_ms.div_euclid(1000),
        text: String::new(),
        buttons: msg
            .markup
            .iter()
            .flatten()
            .map(|row| {
                row.iter()
                    .map(|b| ButtonView {
                        text: b.text.clone(),
                        data: b.callback_data.clone(),
                        url: b.url.clone(),
                    })
                    .collect()
            })
            .collect(),
        document: None,
        photo: None,
        contact: None,
        edited: msg.edit_date_ms.is_some(),
    };
    match &msg.body {
        Body::Text(text) => view.text = text.text.clone(),
        Body::Photo { file_id, caption } => {
            view.text = caption.text.clone();
            view.photo = Some(PhotoView {
                file_id: file_id.clone(),
            });
        }
        Body::Document { file_id, caption } => {
            view.text = caption.text.clone();
            view.document = world.files.get(file_id).map(|f| DocumentView {
                file_id: f.file_id.clone(),
                file_name: f.file_name.clone().unwrap_or_else(|| "document".into()),
                mime_type: f.mime_type.clone(),
                size: u64::try_from(f.bytes.len()).unwrap_or(u64::MAX),
            });
        }
        Body::Contact {
            phone_number,
            first_name,
            user_id,
            ..
        } => {
            view.contact = Some(ContactView {
                phone_number: phone_number.clone(),
                first_name: first_name.clone(),
                user_id: *user_id,
            });
        }
        Body::MigrateTo(_) | Body::MigrateFrom(_) => {}
    }
    view
}

pub(crate) fn chat_summary(world: &World, chat: &Chat) -> ChatSummary {
    let name = match chat.kind {
        ChatKind::Private => world.users.get(&chat.id).map_or_else(
            || format!("User {}", chat.id),
            |u| match &u.last_name {
                Some(last) => format!("{} {last}", u.first_name),
                None => u.first_name.clone(),
            },
        ),
        ChatKind::Group | ChatKind::Supergroup => chat.title.clone().unwrap_or_default(),
    };
    ChatSummary {
        id: chat.id,
        kind: chat.kind.as_str().to_owned(),
        name,
        title: chat.title.clone(),
        members: chat.members.clone(),
        blocked: chat.blocked,
        migrated_to: chat.migrated_to,
        message_count: chat.messages.values().filter(|m| !m.is_service()).count(),
    }
}
