//! `messages.send`, deduplicated by `random_id`, and the content rules it
//! shares with `messages.edit`: text up to 4096 characters (914), a valid
//! keyboard (911), text or an attachment (100).

use serde_json::{Value, json};

use super::{Call, MethodResult, VkError};
use crate::keyboard::{self, Keyboard};
use crate::state::{Sender, World};

mod changes;

pub(crate) use changes::{delete, edit};

/// Longest message text, in characters.
pub(crate) const MAX_TEXT: usize = 4096;

/// Peer ids from here on are group chats, which the emulator does not model.
const CHAT_PEERS: i64 = 2_000_000_000;

/// What a message says: text, keyboard, attachments.
pub(crate) struct Content {
    pub text: String,
    pub keyboard: Option<Keyboard>,
    pub attachments: Vec<String>,
}

impl Content {
    /// Reads `message`, `keyboard` and `attachment`, checking VK's rules.
    pub(crate) fn from_call(call: &Call<'_>) -> Result<Self, VkError> {
        let p = call.params;
        let text = p.text("message");
        if text.chars().count() > MAX_TEXT {
            return Err(VkError::new(914));
        }
        let keyboard = match p.get("keyboard") {
            Some(json) => Some(keyboard::parse(json).map_err(|reason| {
                tracing::debug!("keyboard refused: {reason}");
                VkError::new(911)
            })?),
            None => None,
        };
        let attachments: Vec<String> = p
            .get("attachment")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        if text.trim().is_empty() && attachments.is_empty() {
            return Err(VkError::param("message is empty or invalid"));
        }
        Ok(Self {
            text,
            keyboard,
            attachments,
        })
    }
}

/// Checks that the community may write to `peer_id` now.
pub(crate) fn check_peer(world: &World, group: usize, peer_id: i64) -> Result<(), VkError> {
    if peer_id >= CHAT_PEERS {
        return Err(VkError::new(917));
    }
    if peer_id <= 0 {
        return Err(VkError::new(932));
    }
    match world.groups[group].peers.get(&peer_id) {
        Some(peer) if peer.blacklisted => Err(VkError::new(900)),
        Some(peer) if peer.allowed && !peer.blocked => Ok(()),
        _ => Err(VkError::new(901)),
    }
}

/// Sends to one peer: `(message_id, conversation_message_id)`. A repeated
/// `random_id` returns the first message and sends nothing.
fn deliver(
    world: &mut World,
    call: &Call<'_>,
    peer_id: i64,
    random_id: i64,
    content: &Content,
) -> Result<(i64, i64), VkError> {
    let group = call.group;
    if random_id != 0
        && let Some(&id) = world.groups[group].dedup.get(&(peer_id, random_id))
        && let Some(msg) = world.groups[group]
            .peers
            .get(&peer_id)
            .and_then(|p| p.messages.get(&id))
    {
        return Ok((id, msg.cmid));
    }
    check_peer(world, group, peer_id)?;
    let now = call.app.clock.now_ms();
    let id = world.groups[group].next_message_id();
    let peer = world.peer(group, peer_id);
    let keyboard = content.keyboard.clone().filter(|k| !k.is_empty());
    if let Some(sent) = &content.keyboard
        && !sent.inline
    {
        peer.keyboard = keyboard.clone().map(|k| (id, k));
    }
    let msg = peer.add(id, Sender::Bot, now, content.text.clone());
    msg.keyboard = keyboard;
    msg.attachments.clone_from(&content.attachments);
    let cmid = msg.cmid;
    if random_id != 0 {
        world.groups[group].dedup.insert((peer_id, random_id), id);
    }
    Ok((id, cmid))
}

/// `messages.send`: the message id for `peer_id`/`user_id`; for `peer_ids`
/// an array of `{peer_id, message_id, conversation_message_id}` (or
/// `{peer_id, message_id: 0, error}` for a peer that can't be written to).
pub(crate) fn send(call: &Call<'_>) -> MethodResult {
    let p = call.params;
    let random_id = p
        .int("random_id")?
        .ok_or_else(|| VkError::param("random_id is a required parameter"))?;
    let peer_ids = p.ints("peer_ids")?;
    let single = match p.int("peer_id")? {
        Some(id) => Some(id),
        None => p.int("user_id")?,
    };
    if single.is_none() && peer_ids.is_empty() {
        return Err(VkError::param(
            "you should specify peer_id, user_id, domain, chat_id or user_ids param",
        ));
    }
    let content = Content::from_call(call)?;
    let mut world = call.app.lock();
    if peer_ids.is_empty()
        && let Some(peer_id) = single
    {
        let (id, _) = deliver(&mut world, call, peer_id, random_id, &content)?;
        return Ok(json!(id));
    }
    let items: Vec<Value> = peer_ids
        .iter()
        .map(
            |&peer_id| match deliver(&mut world, call, peer_id, random_id, &content) {
                Ok((id, cmid)) => json!({
                    "peer_id": peer_id,
                    "message_id": id,
                    "conversation_message_id": cmid,
                }),
                Err(err) => json!({
                    "peer_id": peer_id,
                    "message_id": 0,
                    "error": { "code": err.code, "description": err.msg },
                }),
            },
        )
        .collect();
    Ok(Value::Array(items))
}
