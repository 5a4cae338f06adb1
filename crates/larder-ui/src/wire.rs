//! Messages queued for a channel whose adapter renders them when sending:
//! the outbox row carries the channel-neutral [`View`](crate::View) as JSON.

use larder_store::outbox::NewCall;

use crate::{Note, View};

/// The outbox kind of a plain message carried as a view.
pub const NOTE: &str = "note";

/// A message to another channel's chat, queued under `key`.
pub fn note(note: &Note, key: String) -> NewCall {
    NewCall {
        channel: note.channel,
        chat_id: note.chat_id,
        kind: NOTE.to_owned(),
        payload: serde_json::to_string(&note.view).unwrap_or_default(),
        idempotency_key: key,
    }
}

/// The view of a queued note; `None` if the row is not one.
pub fn view_of(kind: &str, payload: &str) -> Option<View> {
    (kind == NOTE)
        .then(|| serde_json::from_str(payload).ok())
        .flatten()
}
