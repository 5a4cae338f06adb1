//! `messages.edit` and `messages.delete`: a community changes its own
//! messages within 24 hours (emulator clock).

use serde_json::{Value, json};

use super::Content;
use crate::api::{Call, MethodResult, VkError};
use crate::state::Msg;

/// How long a community may edit or delete-for-everyone its messages.
const CHANGE_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// `messages.edit`: replaces the text and attachments of a community
/// message; a `keyboard` replaces the keyboard (`{"buttons":[]}` removes
/// it), no `keyboard` keeps it. Returns 1.
pub(crate) fn edit(call: &Call<'_>) -> MethodResult {
    let p = call.params;
    let peer_id = p
        .int("peer_id")?
        .ok_or_else(|| VkError::param("peer_id is undefined"))?;
    let message_id = p.int("message_id")?;
    let cmid = match p.int("conversation_message_id")? {
        Some(cmid) => Some(cmid),
        None => p.int("cmid")?,
    };
    if message_id.is_none() && cmid.is_none() {
        return Err(VkError::param(
            "message_id or conversation_message_id is undefined",
        ));
    }
    let content = Content::from_call(call)?;
    let now = call.app.clock.now_ms();
    let mut world = call.app.lock();
    let peer = world.groups[call.group]
        .peers
        .get_mut(&peer_id)
        .ok_or_else(|| VkError::param("peer_id is invalid"))?;
    let id = message_id
        .or_else(|| cmid.and_then(|c| peer.by_cmid(c)).map(|m| m.id))
        .filter(|id| peer.messages.get(id).is_some_and(|m| !m.deleted_for_all))
        .ok_or_else(|| VkError::param("message_id is invalid"))?;
    let msg = peer
        .messages
        .get_mut(&id)
        .ok_or_else(|| VkError::param("message_id is invalid"))?;
    if !msg.is_from_bot() {
        return Err(VkError::new(920));
    }
    if now - msg.date_ms > CHANGE_WINDOW_MS {
        return Err(VkError::new(909));
    }
    msg.text = content.text;
    msg.attachments = content.attachments;
    msg.edited = true;
    if let Some(keyboard) = content.keyboard {
        let keep = (!keyboard.is_empty()).then_some(keyboard);
        let standard = keep.as_ref().is_some_and(|k| !k.inline);
        msg.keyboard.clone_from(&keep);
        if standard || peer.keyboard.as_ref().is_some_and(|(m, _)| *m == id) {
            peer.keyboard = keep.filter(|k| !k.inline).map(|k| (id, k));
        }
    }
    Ok(json!(1))
}

/// `messages.delete`: by `message_ids`, or by `cmids` with `peer_id`.
/// Returns one item per message: `{peer_id, message_id,
/// conversation_message_id, response: 1}`, or `response: 0` with an
/// `error` for a message that can't be deleted.
pub(crate) fn delete(call: &Call<'_>) -> MethodResult {
    let p = call.params;
    let message_ids = p.ints("message_ids")?;
    let cmids = p.ints("cmids")?;
    let peer_id = p.int("peer_id")?;
    if message_ids.is_empty() && cmids.is_empty() {
        return Err(VkError::param("message_ids is undefined"));
    }
    if !cmids.is_empty() && peer_id.is_none() {
        return Err(VkError::param("peer_id is undefined"));
    }
    let for_all = p.flag("delete_for_all");
    let now = call.app.clock.now_ms();
    let mut world = call.app.lock();
    let peers = &mut world.groups[call.group].peers;
    let mut targets: Vec<(Option<i64>, i64)> = message_ids
        .iter()
        .map(|&id| {
            let owner = peers
                .values()
                .find(|peer| peer.messages.contains_key(&id))
                .map(|peer| peer.id);
            (owner, id)
        })
        .collect();
    if let Some(peer_id) = peer_id {
        for cmid in &cmids {
            let id = peers
                .get(&peer_id)
                .and_then(|peer| peer.by_cmid(*cmid))
                .map_or(0, |m| m.id);
            targets.push((Some(peer_id), id));
        }
    }
    let items: Vec<Value> = targets
        .into_iter()
        .map(|(owner, id)| {
            let msg = owner
                .and_then(|o| peers.get_mut(&o))
                .and_then(|peer| peer.messages.get_mut(&id));
            match msg {
                Some(msg) => delete_one(owner.unwrap_or_default(), msg, for_all, now),
                None => json!({
                    "message_id": id,
                    "response": 0,
                    "error": { "code": 104, "description": "Not found" },
                }),
            }
        })
        .collect();
    Ok(Value::Array(items))
}

fn delete_one(peer_id: i64, msg: &mut Msg, for_all: bool, now: i64) -> Value {
    let refused = msg.deleted_for_all
        || (for_all && (!msg.is_from_bot() || now - msg.date_ms > CHANGE_WINDOW_MS));
    let mut item = json!({
        "peer_id": peer_id,
        "message_id": msg.id,
        "conversation_message_id": msg.cmid,
        "response": i64::from(!refused),
    });
    if refused {
        let err = VkError::new(924);
        item["error"] = json!({ "code": err.code, "description": err.msg });
    } else if for_all {
        msg.deleted_for_all = true;
    } else {
        msg.deleted_for_group = true;
    }
    item
}
