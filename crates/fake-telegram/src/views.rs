//! Conveniences on the control API's views, for readable tests.

use std::fmt;

use crate::model::{ButtonView, ChatView, MessageView};

impl ChatView {
    /// The pinned message, if it is still there.
    pub fn pinned(&self) -> Option<&MessageView> {
        let id = self.pinned_message_id?;
        self.message(id)
    }

    pub fn message(&self, message_id: i64) -> Option<&MessageView> {
        self.messages.iter().find(|m| m.message_id == message_id)
    }

    /// Messages the bot sent, oldest first.
    pub fn bot_messages(&self) -> impl Iterator<Item = &MessageView> {
        self.messages.iter().filter(|m| m.from_bot)
    }

    /// Messages people sent, oldest first.
    pub fn user_messages(&self) -> impl Iterator<Item = &MessageView> {
        self.messages.iter().filter(|m| !m.from_bot)
    }

    /// The bot's newest message.
    pub fn last_bot_message(&self) -> Option<&MessageView> {
        self.bot_messages().last()
    }

    /// The newest message overall.
    pub fn last(&self) -> Option<&MessageView> {
        self.messages.last()
    }

    /// Every shown text, oldest first.
    pub fn texts(&self) -> Vec<&str> {
        self.messages.iter().map(|m| m.text.as_str()).collect()
    }

    /// Whether any shown message contains `text`.
    pub fn shows(&self, text: &str) -> bool {
        self.messages.iter().any(|m| m.text.contains(text))
    }

    /// The newest message containing `text`.
    pub fn find(&self, text: &str) -> Option<&MessageView> {
        self.messages.iter().rev().find(|m| m.text.contains(text))
    }
}

impl MessageView {
    /// Button labels, row by row, flattened.
    pub fn labels(&self) -> Vec<&str> {
        self.buttons
            .iter()
            .flatten()
            .map(|b| b.text.as_str())
            .collect()
    }

    /// The button with exactly this label.
    pub fn button(&self, label: &str) -> Option<&ButtonView> {
        self.buttons.iter().flatten().find(|b| b.text == label)
    }

    /// Whether the message has an inline keyboard.
    pub fn has_buttons(&self) -> bool {
        self.buttons.iter().any(|row| !row.is_empty())
    }
}

/// A transcript, handy in assertion messages.
impl fmt::Display for ChatView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chat {} ({})", self.id, self.kind)?;
        if let Some(title) = &self.title {
            write!(f, " {title:?}")?;
        }
        if let Some(pinned) = self.pinned_message_id {
            write!(f, ", pinned #{pinned}")?;
        }
        writeln!(f)?;
        for m in &self.messages {
            let who = match (m.from_bot, m.from) {
                (true, _) => "bot".to_owned(),
                (false, Some(id)) => format!("user {id}"),
                (false, None) => "someone".to_owned(),
            };
            let edited = if m.edited { " (edited)" } else { "" };
            writeln!(
                f,
                "  #{} {who}{edited}: {}",
                m.message_id,
                m.text.replace('\n', "\n    ")
            )?;
            if let Some(doc) = &m.document {
                writeln!(f, "    [document {} {}]", doc.file_name, doc.mime_type)?;
            }
            if m.photo.is_some() {
                writeln!(f, "    [photo]")?;
            }
            if let Some(contact) = &m.contact {
                writeln!(f, "    [contact {}]", contact.phone_number)?;
            }
            for row in &m.buttons {
                let labels: Vec<String> = row.iter().map(|b| format!("[{}]", b.text)).collect();
                writeln!(f, "    {}", labels.join(" "))?;
            }
        }
        if !self.keyboard.is_empty() {
            let keys: Vec<String> = self
                .keyboard
                .iter()
                .flatten()
                .map(|k| format!("<{}>", k.text))
                .collect();
            writeln!(f, "  keyboard: {}", keys.join(" "))?;
        }
        Ok(())
    }
}
