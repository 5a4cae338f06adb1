//! Conveniences on the control API's views, for readable tests.

use std::fmt;

use crate::model::{ButtonView, EventAnswer, KeyboardView, MessageView, PeerView};

impl PeerView {
    pub fn message(&self, id: i64) -> Option<&MessageView> {
        self.messages.iter().find(|m| m.id == id)
    }

    /// Messages the person still sees (not deleted for everyone).
    pub fn shown(&self) -> impl Iterator<Item = &MessageView> {
        self.messages.iter().filter(|m| !m.deleted)
    }

    /// Messages the community sent, oldest first, deleted ones included.
    pub fn bot_messages(&self) -> impl Iterator<Item = &MessageView> {
        self.messages.iter().filter(|m| m.from_bot)
    }

    /// Messages the person sent, oldest first.
    pub fn user_messages(&self) -> impl Iterator<Item = &MessageView> {
        self.messages.iter().filter(|m| !m.from_bot)
    }

    /// The community's newest message still shown.
    pub fn last_bot_message(&self) -> Option<&MessageView> {
        self.shown().filter(|m| m.from_bot).last()
    }

    /// The newest message still shown.
    pub fn last(&self) -> Option<&MessageView> {
        self.shown().last()
    }

    /// Every shown text, oldest first.
    pub fn texts(&self) -> Vec<&str> {
        self.shown().map(|m| m.text.as_str()).collect()
    }

    /// Whether a shown message contains `text`.
    pub fn shows(&self, text: &str) -> bool {
        self.shown().any(|m| m.text.contains(text))
    }

    /// The newest shown message containing `text`.
    pub fn find(&self, text: &str) -> Option<&MessageView> {
        self.messages
            .iter()
            .rev()
            .find(|m| !m.deleted && m.text.contains(text))
    }

    /// Answers of type `show_snackbar`, oldest first.
    pub fn snackbars(&self) -> impl Iterator<Item = &EventAnswer> {
        self.answers
            .iter()
            .filter(|a| a.kind.as_deref() == Some("show_snackbar"))
    }
}

impl KeyboardView {
    /// Button labels, row by row, flattened.
    pub fn labels(&self) -> Vec<&str> {
        self.rows
            .iter()
            .flatten()
            .filter_map(|b| b.label.as_deref())
            .collect()
    }

    /// The button with exactly this label.
    pub fn button(&self, label: &str) -> Option<&ButtonView> {
        self.rows
            .iter()
            .flatten()
            .find(|b| b.label.as_deref() == Some(label))
    }
}

impl MessageView {
    /// Labels of the message's keyboard (empty without one).
    pub fn labels(&self) -> Vec<&str> {
        self.keyboard
            .as_ref()
            .map(KeyboardView::labels)
            .unwrap_or_default()
    }

    /// The button with exactly this label.
    pub fn button(&self, label: &str) -> Option<&ButtonView> {
        self.keyboard.as_ref()?.button(label)
    }

    pub fn has_keyboard(&self) -> bool {
        self.keyboard.as_ref().is_some_and(|k| !k.rows.is_empty())
    }
}

fn write_keyboard(f: &mut fmt::Formatter<'_>, indent: &str, k: &KeyboardView) -> fmt::Result {
    for row in &k.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|b| {
                let label = b.label.as_deref().unwrap_or(b.kind.as_str());
                match b.kind.as_str() {
                    "callback" => format!("({label})"),
                    "text" => format!("[{label}]"),
                    other => format!("<{other}: {label}>"),
                }
            })
            .collect();
        writeln!(f, "{indent}{}", cells.join(" "))?;
    }
    Ok(())
}

/// A transcript, handy in assertion messages: `[text]` buttons,
/// `(callback)` buttons.
impl fmt::Display for PeerView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "peer {} (allowed: {}, blocked: {}, blacklisted: {})",
            self.peer_id, self.allowed, self.blocked, self.blacklisted
        )?;
        for m in &self.messages {
            let who = if m.from_bot {
                "bot".to_owned()
            } else {
                format!("user {}", m.from_id)
            };
            let mut flags = String::new();
            if m.edited {
                flags.push_str(" (edited)");
            }
            if m.deleted {
                flags.push_str(" (deleted)");
            }
            writeln!(
                f,
                "  #{} {who}{flags}: {}",
                m.id,
                m.text.replace('\n', "\n    ")
            )?;
            for a in &m.attachments {
                writeln!(f, "    [{}]", a.attachment)?;
            }
            if let Some(k) = m.keyboard.as_ref().filter(|k| k.inline) {
                write_keyboard(f, "    ", k)?;
            }
        }
        if let Some(k) = &self.keyboard {
            writeln!(f, "  keyboard:")?;
            write_keyboard(f, "    ", k)?;
        }
        for a in &self.answers {
            let kind = a.kind.as_deref().unwrap_or("no event_data");
            let what = a.text.as_deref().or(a.link.as_deref()).unwrap_or("");
            writeln!(f, "  answer to {}: {kind} {what}", a.event_id)?;
        }
        Ok(())
    }
}
