//! Views as the outbox stores them: channel-neutral, rendered by the sender
//! of whichever channel the message goes to (so a VK customer's press can
//! queue a Telegram card, and a Telegram press a VK message, alike). Buttons
//! carry their actions already encoded (the versioned callback data), so a
//! stored message still renders after an upgrade changes the actions.

use serde::{Deserialize, Serialize};

use crate::view::{ReplyKeyboard, Target, Text, View};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireView {
    pub text: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyboard: Vec<Vec<WireButton>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_keyboard: Option<ReplyKeyboard>,
    /// A photo (a Telegram file id) the text is the caption of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireButton {
    pub label: String,
    /// The encoded action (`Action::encode`) a press sends back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Or a link the button opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl From<&View> for WireView {
    fn from(view: &View) -> WireView {
        WireView {
            text: view.text.clone(),
            keyboard: view
                .keyboard
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|b| match &b.target {
                            Target::Action(a) => WireButton {
                                label: b.label.clone(),
                                data: Some(a.encode()),
                                url: None,
                            },
                            Target::Url(u) => WireButton {
                                label: b.label.clone(),
                                data: None,
                                url: Some(u.clone()),
                            },
                        })
                        .collect()
                })
                .collect(),
            reply_keyboard: view.reply_keyboard.clone(),
            photo: view.photo.clone(),
        }
    }
}

impl From<View> for WireView {
    fn from(view: View) -> WireView {
        WireView::from(&view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;

    #[test]
    fn buttons_keep_their_encoded_actions_and_links() {
        let mut v = View::default();
        v.text.bold("Menu");
        v.button("Products", Action::Menu);
        v.row(vec![crate::Button {
            label: "Site".into(),
            target: Target::Url("https://example.org".into()),
        }]);
        let w = WireView::from(&v);
        assert_eq!(w.keyboard[0][0].data.as_deref(), Some("1m"));
        assert_eq!(w.keyboard[1][0].url.as_deref(), Some("https://example.org"));
        let json = serde_json::to_string(&w).unwrap();
        assert_eq!(serde_json::from_str::<WireView>(&json).unwrap(), w);
    }
}
