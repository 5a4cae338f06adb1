//! Calls queued by the previous sender (before the delivery runtime), still
//! waiting in an outbox after an upgrade: their payloads carry HTML and a
//! keyboard already rendered for Telegram. Read here so none is lost.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::transport::{Msg, Op};

#[derive(Deserialize)]
struct Rendered {
    html: String,
    markup: Value,
    #[serde(default)]
    under: Option<Under>,
    #[serde(default)]
    photo: Option<String>,
}

#[derive(Deserialize)]
enum Under {
    ShareContact(String),
    Remove,
}

impl From<Rendered> for Msg {
    fn from(r: Rendered) -> Msg {
        let send = match &r.under {
            Some(Under::ShareContact(label)) => json!({
                "keyboard": [[{ "text": label, "request_contact": true }]],
                "resize_keyboard": true,
                "one_time_keyboard": true,
            }),
            Some(Under::Remove) => json!({ "remove_keyboard": true }),
            None => r.markup.clone(),
        };
        Msg {
            html: r.html,
            inline: r.markup,
            send,
            photo: r.photo,
        }
    }
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum V1 {
    Send(Rendered),
    DeskSend(Rendered),
    DeskEdit(Rendered),
    Delete {
        message_id: i64,
    },
    Edit {
        message_id: i64,
        view: Rendered,
    },
    Pin {
        message_id: i64,
    },
    CardSend {
        card_id: i64,
        view: Rendered,
    },
    CardEdit {
        card_id: i64,
        view: Rendered,
    },
    Document {
        file_name: String,
        data: String,
        caption: Option<String>,
    },
}

/// The call of a v1 row (`kind` is `v1:<old kind>`), if it reads.
pub(crate) fn op(_kind: &str, payload: &str) -> Option<Op> {
    let v1: V1 = serde_json::from_str(payload).ok()?;
    Some(match v1 {
        V1::Send(r) => Op::Send(r.into()),
        V1::DeskSend(r) => Op::ScreenSend(r.into()),
        V1::DeskEdit(r) => Op::ScreenEdit(r.into()),
        V1::Delete { message_id } => Op::Delete { message_id },
        V1::Edit { message_id, view } => Op::Edit {
            message_id,
            msg: view.into(),
        },
        V1::Pin { message_id } => Op::Pin { message_id },
        V1::CardSend { card_id, view } => Op::CardSend {
            card_id,
            msg: view.into(),
        },
        V1::CardEdit { card_id, view } => Op::CardEdit {
            card_id,
            msg: view.into(),
        },
        V1::Document {
            file_name,
            data,
            caption,
        } => Op::Document {
            file_name,
            data,
            caption,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_desk_edits_and_sends_still_read() {
        let edit = r#"{"kind":"desk_edit","html":"<b>Menu</b>","markup":{"inline_keyboard":[[{"text":"Products","callback_data":"1p"}]]}}"#;
        match op("v1:desk_edit", edit) {
            Some(Op::ScreenEdit(m)) => {
                assert_eq!(m.html, "<b>Menu</b>");
                assert_eq!(m.inline["inline_keyboard"][0][0]["callback_data"], "1p");
            }
            other => panic!("{other:?}"),
        }
        let send = r#"{"kind":"send","html":"Phone?","markup":{"inline_keyboard":[]},"under":{"ShareContact":"Share"}}"#;
        match op("v1:send", send) {
            Some(Op::Send(m)) => assert_eq!(m.send["keyboard"][0][0]["request_contact"], true),
            other => panic!("{other:?}"),
        }
        assert_eq!(op("v1:send", "nonsense"), None);
    }
}
