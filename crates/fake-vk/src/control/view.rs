//! Conversations as the person sees them.

use crate::api::EVENT_LIFETIME_MS;
use crate::keyboard::Keyboard;
use crate::model::{AttachmentView, ButtonView, KeyboardView, MessageView, PeerSummary, PeerView};
use crate::state::{GroupWorld, Media, Msg, Peer, Sender, World};

pub(crate) fn peer_view(world: &World, group: usize, peer: &Peer, now_ms: i64) -> PeerView {
    let community = &world.groups[group];
    let mut pending: Vec<(i64, &String)> = community
        .callbacks
        .iter()
        .filter(|(_, c)| c.peer_id == peer.id && !c.answered)
        .filter(|(_, c)| now_ms - c.created_ms <= EVENT_LIFETIME_MS)
        .map(|(id, c)| (c.created_ms, id))
        .collect();
    pending.sort();
    PeerView {
        peer_id: peer.id,
        user: world.users.get(&peer.id).cloned(),
        allowed: peer.allowed,
        blocked: peer.blocked,
        blacklisted: peer.blacklisted,
        messages: peer
            .messages
            .values()
            .map(|m| message_view(community, m))
            .collect(),
        keyboard: peer.keyboard.as_ref().map(|(_, k)| keyboard_view(k)),
        answers: community
            .answers
            .iter()
            .filter(|a| a.peer_id == peer.id)
            .cloned()
            .collect(),
        pending_events: pending.into_iter().map(|(_, id)| id.clone()).collect(),
    }
}

pub(crate) fn keyboard_view(keyboard: &Keyboard) -> KeyboardView {
    KeyboardView {
        inline: keyboard.inline,
        one_time: keyboard.one_time,
        rows: keyboard
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|b| ButtonView {
                        kind: b.kind.clone(),
                        label: b.label.clone(),
                        payload: b.payload.clone(),
                        link: b.link.clone(),
                        color: b.color.clone(),
                    })
                    .collect()
            })
            .collect(),
    }
}

fn message_view(community: &GroupWorld, msg: &Msg) -> MessageView {
    MessageView {
        id: msg.id,
        conversation_message_id: msg.cmid,
        from_bot: msg.is_from_bot(),
        from_id: match msg.from {
            Sender::Bot => -community.id,
            Sender::User(id) => id,
        },
        date: msg.date_ms.div_euclid(1000),
        text: msg.text.clone(),
        payload: msg.payload.clone(),
        keyboard: msg.keyboard.as_ref().map(keyboard_view),
        attachments: msg
            .attachments
            .iter()
            .map(|a| attachment_view(&community.media, a))
            .collect(),
        edited: msg.edited,
        deleted: msg.deleted_for_all,
    }
}

fn attachment_view(media: &Media, attachment: &str) -> AttachmentView {
    let kind: String = attachment
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
        .collect();
    match media.find(attachment) {
        Some(stored) => AttachmentView {
            attachment: stored.attachment(),
            kind: stored.kind.as_str().to_owned(),
            known: true,
            title: Some(stored.title.clone()),
            size: Some(stored.size()),
        },
        None => AttachmentView {
            attachment: attachment.to_owned(),
            kind,
            known: false,
            title: None,
            size: None,
        },
    }
}

pub(crate) fn peer_summary(world: &World, peer: &Peer) -> PeerSummary {
    let name = world.users.get(&peer.id).map_or_else(
        || format!("User {}", peer.id),
        |u| {
            format!("{} {}", u.first_name, u.last_name)
                .trim()
                .to_owned()
        },
    );
    PeerSummary {
        peer_id: peer.id,
        name,
        allowed: peer.allowed,
        blocked: peer.blocked,
        blacklisted: peer.blacklisted,
        message_count: peer.messages.len(),
    }
}
