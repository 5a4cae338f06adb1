//! The expected failures of control calls.

use std::fmt;

use crate::model::ChatView;

/// A press that found no (single) button; carries the labels on offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PressError {
    pub status: u16,
    pub message: String,
    pub labels: Vec<String>,
}

impl fmt::Display for PressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; buttons on offer: {:?}", self.message, self.labels)
    }
}

impl std::error::Error for PressError {}

/// A wait that ran out; shows what the chat looked like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeout {
    /// What was waited for.
    pub waited_for: String,
    /// The chat at the end of the wait, if it exists.
    pub chat: Option<ChatView>,
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timed out waiting for {}", self.waited_for)?;
        match &self.chat {
            Some(chat) => write!(f, "; the chat shows:\n{chat}"),
            None => write!(f, "; the chat does not exist"),
        }
    }
}

impl std::error::Error for Timeout {}
