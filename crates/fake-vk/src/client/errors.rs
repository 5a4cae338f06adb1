//! The expected failures of control calls.

use std::fmt;

use crate::model::PeerView;

/// A press that found no (single) button, or a button that can't be
/// pressed; carries the labels on offer.
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

/// A wait that ran out; shows what the conversation looked like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeout {
    /// What was waited for.
    pub waited_for: String,
    /// The conversation at the end of the wait, if it exists.
    pub peer: Option<PeerView>,
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timed out waiting for {}", self.waited_for)?;
        match &self.peer {
            Some(peer) => write!(f, "; the conversation shows:\n{peer}"),
            None => write!(f, "; the conversation does not exist"),
        }
    }
}

impl std::error::Error for Timeout {}
