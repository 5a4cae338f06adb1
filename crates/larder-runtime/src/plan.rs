//! A reply becomes calls: what to send, edit or delete, in order, for the
//! chat it came from and for any other chat (cards, notes) on any channel.

use base64::Engine as _;
use larder_store::Channel;
use larder_store::outbox::NewCall;
use larder_ui::wire::WireView;
use larder_ui::{Desk, Reply, Toast};

use crate::Caps;
use crate::out::{Out, ToastOut};

/// A call, with what the sender should know about it beforehand.
#[derive(Clone, Debug)]
pub(crate) struct Planned {
    pub channel: Channel,
    pub chat_id: i64,
    pub out: Out,
    /// The chat's screen message as the handler saw it.
    pub screen: Option<i64>,
    /// The card's message as the handler saw it.
    pub card_message: Option<i64>,
}

impl Planned {
    fn new(channel: Channel, chat_id: i64, out: Out) -> Planned {
        Planned {
            channel,
            chat_id,
            out,
            screen: None,
            card_message: None,
        }
    }

    /// The outbox row; `key` is unique per intended effect.
    pub fn to_new(&self, key: String) -> NewCall {
        NewCall {
            channel: self.channel,
            chat_id: self.chat_id,
            kind: self.out.kind().to_owned(),
            payload: self.out.to_json(),
            idempotency_key: key,
            random_id: crate::random::call_id(),
            file_id: None,
        }
    }
}

/// The calls of a reply in a private chat. `input`: the typed message (to
/// remove where the channel can); `screen`: the chat's screen message.
pub(crate) fn private(
    reply: &Reply,
    caps: Caps,
    channel: Channel,
    chat_id: i64,
    input: Option<i64>,
    screen: Option<i64>,
) -> Vec<Planned> {
    let mut calls = Vec::new();
    let here = |out: Out| Planned {
        screen,
        ..Planned::new(channel, chat_id, out)
    };
    if reply.delete_input
        && caps.delete_input
        && let Some(message_id) = input
    {
        calls.push(here(Out::Delete { message_id }));
    }
    for view in &reply.say {
        calls.push(here(Out::Send {
            view: WireView::from(view),
        }));
    }
    for doc in &reply.documents {
        calls.push(here(Out::Document {
            file_name: doc.file_name.clone(),
            data: base64::engine::general_purpose::STANDARD.encode(&doc.bytes),
            file: None,
            caption: doc.caption.clone(),
        }));
    }
    // After files, the screen comes back below them instead of above.
    let desk = match &reply.desk {
        Desk::Show(view) if !reply.documents.is_empty() => Desk::Fresh(view.clone()),
        other => other.clone(),
    };
    match &desk {
        Desk::Keep => {}
        Desk::Show(view) => calls.push(here(Out::ScreenEdit {
            view: WireView::from(view),
            page: 0,
        })),
        Desk::Fresh(view) => {
            if let Some(old) = screen {
                calls.push(here(Out::Delete { message_id: old }));
            }
            calls.push(here(Out::ScreenSend {
                view: WireView::from(view),
            }));
        }
    }
    calls.extend(elsewhere(reply));
    calls
}

/// The calls of a reply in a group: what it says there, the pressed
/// message edited, and cards and notes elsewhere.
pub(crate) fn group(reply: &Reply, channel: Channel, chat_id: i64, pressed: i64) -> Vec<Planned> {
    let mut calls: Vec<Planned> = reply
        .say
        .iter()
        .map(|view| {
            Planned::new(
                channel,
                chat_id,
                Out::Send {
                    view: WireView::from(view),
                },
            )
        })
        .collect();
    if let Desk::Show(view) = &reply.desk {
        calls.push(Planned::new(
            channel,
            chat_id,
            Out::Edit {
                message_id: pressed,
                view: WireView::from(view),
            },
        ));
    }
    calls.extend(elsewhere(reply));
    calls
}

/// Order cards and messages to other chats, each on its own channel.
pub(crate) fn elsewhere(reply: &Reply) -> Vec<Planned> {
    let mut calls = Vec::new();
    for card in &reply.cards {
        let view = WireView::from(&card.view);
        let out = if card.fresh {
            Out::CardSend {
                card_id: card.card_id,
                view,
            }
        } else {
            Out::CardEdit {
                card_id: card.card_id,
                view,
            }
        };
        calls.push(Planned {
            card_message: card.message_id,
            ..Planned::new(card.channel, card.chat_id, out)
        });
    }
    for note in &reply.notes {
        calls.push(Planned::new(
            note.channel,
            note.chat_id,
            Out::Send {
                view: WireView::from(&note.view),
            },
        ));
    }
    for screen in &reply.screens {
        calls.push(Planned {
            screen: screen.message_id,
            ..Planned::new(
                screen.channel,
                screen.chat_id,
                Out::ScreenEdit {
                    view: WireView::from(&screen.view),
                    page: 0,
                },
            )
        });
    }
    calls
}

/// The answer to a press.
pub(crate) fn answer(
    channel: Channel,
    chat_id: i64,
    press: &str,
    toast: Option<&Toast>,
) -> Planned {
    Planned::new(
        channel,
        chat_id,
        Out::Answer {
            press: press.to_owned(),
            toast: toast.map(|t| ToastOut {
                text: t.text.clone(),
                alert: t.alert,
            }),
        },
    )
}

/// A message to a chat, rendered by its channel.
pub(crate) fn note(channel: Channel, chat_id: i64, view: &larder_ui::View) -> Planned {
    Planned::new(
        channel,
        chat_id,
        Out::Send {
            view: WireView::from(view),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use larder_ui::View;

    fn view(text: &str) -> View {
        let mut v = View::default();
        v.text.plain(text);
        v
    }

    fn kinds(calls: &[Planned]) -> Vec<&'static str> {
        calls.iter().map(|c| c.out.kind()).collect()
    }

    const TG: Caps = Caps {
        delete_input: true,
        pin_screen: true,
        pages: false,
        first_message_starts: false,
    };

    #[test]
    fn typed_input_is_removed_and_the_screen_edited() {
        let mut reply = Reply::show(view("Products"));
        reply.delete_input = true;
        let calls = private(&reply, TG, Channel::Telegram, 5, Some(40), Some(39));
        assert_eq!(kinds(&calls), ["delete", "screen_edit"]);
        assert_eq!(calls[1].screen, Some(39));
        let vk = Caps {
            delete_input: false,
            ..TG
        };
        let calls = private(&reply, vk, Channel::Vk, 5, Some(40), Some(39));
        assert_eq!(kinds(&calls), ["screen_edit"], "VK cannot remove it");
    }

    #[test]
    fn after_a_file_the_screen_comes_back_below_it() {
        let mut reply = Reply::show(view("Stats"));
        reply.documents.push(larder_ui::Document {
            file_name: "a.csv".into(),
            bytes: b"a;b".to_vec(),
            caption: None,
        });
        let calls = private(&reply, TG, Channel::Telegram, 5, None, Some(39));
        assert_eq!(kinds(&calls), ["document", "delete", "screen_send"]);
    }

    #[test]
    fn cards_and_notes_go_to_their_own_channels() {
        let mut reply = Reply::keep();
        reply.cards.push(larder_ui::CardOut {
            card_id: 3,
            channel: Channel::Telegram,
            chat_id: -100,
            view: view("Order №1"),
            fresh: false,
            message_id: Some(77),
        });
        reply.notes.push(larder_ui::Note {
            channel: Channel::Vk,
            chat_id: 4001,
            view: view("Your order is ready"),
        });
        let calls = private(&reply, TG, Channel::Telegram, 5, None, None);
        assert_eq!(kinds(&calls), ["card_edit", "send"]);
        assert_eq!(
            (calls[0].channel, calls[0].card_message),
            (Channel::Telegram, Some(77))
        );
        assert_eq!((calls[1].channel, calls[1].chat_id), (Channel::Vk, 4001));
    }
}
