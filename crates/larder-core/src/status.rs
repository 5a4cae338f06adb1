//! The order state machine, as pure functions.
//!
//! | from \ event | Complete  | Issue  | Reopen     | Unissue   |
//! |--------------|-----------|--------|------------|-----------|
//! | Processing   | Completed | –      | –          | –         |
//! | Completed    | –         | Issued | Processing | –         |
//! | Issued       | –         | –      | Processing | Completed |
//!
//! and `Cancel` (Processing or Completed → Cancelled: a ready order the
//! customer no longer wants, or that cannot be delivered), `Restore`
//! (Cancelled → Processing).
//!
//! The shop's steps ([`crate::flow::Step::status_event`]) change the status
//! through this same table, so the desk and the shop cannot disagree.
//!
//! [`OrderStatus::apply`] knows only the table above; whether an order's
//! lines allow completing it is [`can_complete`] (or both at once,
//! [`OrderStatus::apply_checked`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

/// Where an order is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    /// Taken, being put together and weighed; lines may change.
    Processing,
    /// Every line weighed; the price is final and the customer can be told.
    Completed,
    /// Handed to the customer (picked up or delivered).
    Issued,
    /// Called off before it was ready; kept for statistics, restorable.
    Cancelled,
}

/// Something that happens to an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusEvent {
    /// Processing → Completed (every line weighed, see [`can_complete`]).
    Complete,
    /// Completed → Issued.
    Issue,
    /// Completed or Issued → Processing, to change the order again.
    Reopen,
    /// Issued → Completed, to undo an issue pressed by mistake.
    Unissue,
    /// Processing or Completed → Cancelled.
    Cancel,
    /// Cancelled → Processing.
    Restore,
}

/// A string that names no status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown order status {0:?}; expected processing, completed, issued or cancelled")]
pub struct StatusParseError(pub String);

/// Why a status change was refused. One Fluent message id per variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The event makes no sense in the current status.
    #[error("cannot {} an order that is {from}", event.as_str())]
    NotAllowed {
        /// The status the order is in.
        from: OrderStatus,
        /// What was attempted.
        event: StatusEvent,
    },
    /// Some lines have no weighed quantity yet.
    #[error("{lines} line(s) not weighed yet")]
    Unweighed {
        /// How many lines still lack a quantity.
        lines: usize,
    },
    /// The order has no lines.
    #[error("the order has no lines")]
    Empty,
}

impl OrderStatus {
    /// Every status, in life order.
    pub const ALL: [OrderStatus; 4] = [
        OrderStatus::Processing,
        OrderStatus::Completed,
        OrderStatus::Issued,
        OrderStatus::Cancelled,
    ];

    /// `"processing"`, `"completed"`, `"issued"`, `"cancelled"` (also the serde form).
    pub const fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Processing => "processing",
            OrderStatus::Completed => "completed",
            OrderStatus::Issued => "issued",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// The status after `event`, or [`TransitionError::NotAllowed`].
    /// Does not look at the lines: see [`OrderStatus::apply_checked`].
    pub const fn apply(self, event: StatusEvent) -> Result<OrderStatus, TransitionError> {
        use OrderStatus::{Cancelled, Completed, Issued, Processing};
        use StatusEvent::{Cancel, Complete, Issue, Reopen, Restore, Unissue};
        match (self, event) {
            (Processing, Complete) => Ok(Completed),
            (Processing | Completed, Cancel) => Ok(Cancelled),
            (Cancelled, Restore) => Ok(Processing),
            (Completed, Issue) => Ok(Issued),
            (Completed | Issued, Reopen) => Ok(Processing),
            (Issued, Unissue) => Ok(Completed),
            (from, event) => Err(TransitionError::NotAllowed { from, event }),
        }
    }

    /// [`OrderStatus::apply`], and for [`StatusEvent::Complete`] also
    /// [`can_complete`] on the lines' weighed quantities. A refused event is
    /// reported before the state of the lines.
    pub fn apply_checked(
        self,
        event: StatusEvent,
        line_weighed: &[Option<Quantity>],
    ) -> Result<OrderStatus, TransitionError> {
        let next = self.apply(event)?;
        if event == StatusEvent::Complete {
            can_complete(line_weighed)?;
        }
        Ok(next)
    }

    /// The events [`OrderStatus::apply`] accepts in this status, in
    /// [`StatusEvent::ALL`] order (for buttons).
    pub fn allowed_events(self) -> Vec<StatusEvent> {
        StatusEvent::ALL
            .into_iter()
            .filter(|e| self.apply(*e).is_ok())
            .collect()
    }

    /// Whether the order's lines and price may still change (only while
    /// processing).
    pub const fn is_editable(self) -> bool {
        matches!(self, OrderStatus::Processing)
    }
}

impl FromStr for OrderStatus {
    type Err = StatusParseError;

    /// The [`OrderStatus::as_str`] form, ASCII case-insensitive, surrounding
    /// spaces ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        OrderStatus::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| StatusParseError(s.to_owned()))
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl StatusEvent {
    /// Every event.
    pub const ALL: [StatusEvent; 6] = [
        StatusEvent::Complete,
        StatusEvent::Issue,
        StatusEvent::Reopen,
        StatusEvent::Unissue,
        StatusEvent::Cancel,
        StatusEvent::Restore,
    ];

    /// `"complete"`, `"issue"`, `"reopen"`, `"unissue"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            StatusEvent::Complete => "complete",
            StatusEvent::Issue => "issue",
            StatusEvent::Reopen => "reopen",
            StatusEvent::Unissue => "unissue",
            StatusEvent::Cancel => "cancel",
            StatusEvent::Restore => "restore",
        }
    }
}

impl fmt::Display for StatusEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an order with these lines may be completed: every line needs a
/// weighed quantity. `line_weighed[i]` is line `i`'s weighed quantity;
/// `Some(zero)` ("not available") counts as weighed.
///
/// [`TransitionError::Empty`] without lines, else
/// [`TransitionError::Unweighed`] with the number of `None`s.
pub fn can_complete(line_weighed: &[Option<Quantity>]) -> Result<(), TransitionError> {
    if line_weighed.is_empty() {
        return Err(TransitionError::Empty);
    }
    match line_weighed.iter().filter(|q| q.is_none()).count() {
        0 => Ok(()),
        lines => Err(TransitionError::Unweighed { lines }),
    }
}

impl TransitionError {
    /// Every id [`TransitionError::message_id`] can return.
    pub const ALL_MESSAGE_IDS: &'static [&'static str] = &[
        "error-transition-not-allowed",
        "error-transition-unweighed",
        "error-transition-empty",
    ];

    /// The Fluent message id, e.g. `"error-transition-unweighed"`.
    pub fn message_id(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "error-transition-not-allowed",
            TransitionError::Unweighed { .. } => "error-transition-unweighed",
            TransitionError::Empty => "error-transition-empty",
        }
    }

    /// Fluent arguments: `NotAllowed` → `from` ([`OrderStatus::as_str`]) and
    /// `event` ([`StatusEvent::as_str`]); `Unweighed` → `lines`; `Empty` none.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            TransitionError::NotAllowed { from, event } => vec![
                ("from", from.as_str().to_owned()),
                ("event", event.as_str().to_owned()),
            ],
            TransitionError::Unweighed { lines } => vec![("lines", lines.to_string())],
            TransitionError::Empty => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
