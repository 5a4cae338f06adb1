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

/// Where a private chat's input came from, for where the next screen goes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Came {
    /// The message typed (to remove where the channel can), or the message
    /// whose button was pressed.
    pub input: Option<i64>,
    /// Typed (not a press).
    pub typed: bool,
    /// A press on a message other than the screen (a notice's button).
    pub elsewhere: bool,
    /// The screen shown, as one line (where the channel retires screens).
    pub summary: Option<String>,
}

/// The calls of a reply in a private chat; `screen`: the chat's screen
/// message. The screen is edited in place while it is the conversation's
/// last message; after typed input the channel cannot remove, or a press on
/// another message, the next screen comes below instead and the old one is
/// retired to a line of text (or removed).
pub(crate) fn private(
    reply: &Reply,
    caps: Caps,
    channel: Channel,
    chat_id: i64,
    came: &Came,
    screen: Option<i64>,
) -> Vec<Planned> {
    let input = came.input;
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
    // After files, typed words that stay, or a press on a message below the
    // screen, the screen comes back below them instead of above.
    let below = !reply.documents.is_empty() || (came.typed && !caps.delete_input) || came.elsewhere;
    let desk = match &reply.desk {
        Desk::Show(view) if below => Desk::Fresh(view.clone()),
        other => other.clone(),
    };
    match &desk {
        Desk::Keep => {}
        Desk::Show(view) => calls.push(here(Out::ScreenEdit {
            view: WireView::from(view),
            page: 0,
        })),
        Desk::Fresh(view) => {
            match (screen, &came.summary) {
                (Some(old), Some(text)) if !caps.delete_input => {
                    calls.push(here(Out::Retire {
                        message_id: old,
                        text: text.clone(),
                    }));
                }
                (Some(old), _) => calls.push(here(Out::Delete { message_id: old })),
                (None, _) => {}
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

    fn typed(message: i64) -> Came {
        Came {
            input: Some(message),
            typed: true,
            summary: Some("Your phone number?".into()),
            ..Came::default()
        }
    }

    #[test]
    fn typed_input_is_removed_and_the_screen_edited() {
        let mut reply = Reply::show(view("Products"));
        reply.delete_input = true;
        let calls = private(&reply, TG, Channel::Telegram, 5, &typed(40), Some(39));
        assert_eq!(kinds(&calls), ["delete", "screen_edit"]);
        assert_eq!(calls[1].screen, Some(39));
    }

    #[test]
    fn where_typed_words_stay_the_screen_comes_below_them() {
        let mut reply = Reply::show(view("⚠️ A phone number has digits only"));
        reply.delete_input = true;
        let vk = Caps {
            delete_input: false,
            ..TG
        };
        let calls = private(&reply, vk, Channel::Vk, 5, &typed(40), Some(39));
        assert_eq!(kinds(&calls), ["retire", "screen_send"]);
        assert!(matches!(
            &calls[0].out,
            Out::Retire { message_id: 39, text } if text == "Your phone number?"
        ));
        // A press on the screen itself edits it in place.
        let pressed = Came {
            input: Some(39),
            ..Came::default()
        };
        let calls = private(&reply, vk, Channel::Vk, 5, &pressed, Some(39));
        assert_eq!(kinds(&calls), ["screen_edit"]);
    }

    #[test]
    fn a_press_on_a_notice_below_the_screen_brings_the_screen_below_it() {
        let reply = Reply::show(view("Rate the dishes"));
        let came = Came {
            input: Some(44),
            elsewhere: true,
            ..Came::default()
        };
        let calls = private(&reply, TG, Channel::Telegram, 5, &came, Some(39));
        assert_eq!(kinds(&calls), ["delete", "screen_send"]);
    }

    #[test]
    fn after_a_file_the_screen_comes_back_below_it() {
        let mut reply = Reply::show(view("Stats"));
        reply.documents.push(larder_ui::Document {
            file_name: "a.csv".into(),
            bytes: b"a;b".to_vec(),
            caption: None,
        });
        let calls = private(&reply, TG, Channel::Telegram, 5, &Came::default(), Some(39));
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
        let calls = private(&reply, TG, Channel::Telegram, 5, &Came::default(), None);
        assert_eq!(kinds(&calls), ["card_edit", "send"]);
        assert_eq!(
            (calls[0].channel, calls[0].card_message),
            (Channel::Telegram, Some(77))
        );
        assert_eq!((calls[1].channel, calls[1].chat_id), (Channel::Vk, 4001));
    }
}
