//! Channel-neutral output: a screen is a [`View`] (styled text plus a
//! keyboard of buttons carrying typed [`Action`]s). Only the adapters turn it
//! into Telegram HTML or VK text, so user text is escaped in one place.

use serde::{Deserialize, Serialize};

use crate::action::Action;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Style {
    Plain,
    Bold,
    Italic,
    Code,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub style: Style,
    pub text: String,
}

/// Styled text built line by line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub spans: Vec<Span>,
}

impl Text {
    pub fn new() -> Text {
        Text::default()
    }

    pub fn push(&mut self, style: Style, text: impl Into<String>) -> &mut Text {
        let text = text.into();
        if !text.is_empty() {
            self.spans.push(Span { style, text });
        }
        self
    }

    pub fn plain(&mut self, text: impl Into<String>) -> &mut Text {
        self.push(Style::Plain, text)
    }

    pub fn bold(&mut self, text: impl Into<String>) -> &mut Text {
        self.push(Style::Bold, text)
    }

    pub fn italic(&mut self, text: impl Into<String>) -> &mut Text {
        self.push(Style::Italic, text)
    }

    pub fn line(&mut self, text: impl Into<String>) -> &mut Text {
        self.plain(text).newline()
    }

    pub fn newline(&mut self) -> &mut Text {
        self.plain("\n")
    }

    /// The text as a person reads it, without styling.
    pub fn to_plain(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// Characters a person sees (what Telegram's 4096 limit counts).
    pub fn char_len(&self) -> usize {
        self.spans.iter().map(|s| s.text.chars().count()).sum()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    Action(Action),
    Url(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub target: Target,
}

impl Button {
    pub fn action(label: impl Into<String>, action: Action) -> Button {
        Button {
            label: label.into(),
            target: Target::Action(action),
        }
    }
}

/// A keyboard under the typing field (only on separate messages, never on
/// the edited one): a button that shares the person's own phone number, or
/// an instruction to remove such a keyboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyKeyboard {
    ShareContact(String),
    Remove,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub text: Text,
    pub keyboard: Vec<Vec<Button>>,
    pub reply_keyboard: Option<ReplyKeyboard>,
    /// A photo shown with the text as its caption (the messenger's file id).
    pub photo: Option<String>,
}

impl View {
    pub fn row(&mut self, buttons: Vec<Button>) -> &mut View {
        if !buttons.is_empty() {
            self.keyboard.push(buttons);
        }
        self
    }

    pub fn button(&mut self, label: impl Into<String>, action: Action) -> &mut View {
        self.row(vec![Button::action(label, action)])
    }

    /// Puts a notice (an error or a confirmation) in italics above the text.
    pub fn with_notice(mut self, notice: Option<&str>) -> View {
        if let Some(notice) = notice {
            let mut text = Text::new();
            text.italic(notice).newline().newline();
            text.spans.append(&mut self.text.spans);
            self.text = text;
        }
        self
    }
}
