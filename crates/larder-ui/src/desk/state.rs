//! What a desk chat remembers between inputs: the screen it is on (which
//! decides what typed text means) and unsaved drafts. Stored as JSON in the
//! chat's row, so a restart loses no dialogue.

use jiff::civil::{Date, Time};
use larder_core::{
    CategoryId, OrderId, OrderLineId, OrderStatus, ProductId, Role, SessionId, TgUserId, Unit,
};
use serde::{Deserialize, Serialize};

use crate::action::{Field, LineKey, OrderField, SessionField, StatsKind, StatsPeriod, Target};

/// What a calendar is choosing a date for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CalPurpose {
    OrderDate(Target),
    IssueOn(OrderId),
    /// Every completed order of the session, issued on the chosen day.
    IssueAllOn(SessionId),
    SessionDate(SessionId),
    StatsDay(StatsKind),
}

/// Where a desk chat is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "s", rename_all = "snake_case")]
pub enum Screen {
    #[default]
    Menu,
    // Products
    Products {
        archived: bool,
        page: u32,
    },
    Product {
        id: ProductId,
    },
    NewName,
    NewUnit,
    NewPrice,
    NewConfirm,
    Edit {
        id: ProductId,
        field: Field,
    },
    // Catalog for customers
    Categories,
    Category {
        id: CategoryId,
    },
    /// Typing a category's name; `id: None` is a new category.
    CategoryPrompt {
        id: Option<CategoryId>,
    },
    CategoryPicker {
        product: ProductId,
    },
    // Sessions
    Sessions {
        archived: bool,
        page: u32,
    },
    Session {
        id: SessionId,
    },
    /// Typing a session field; `id: None` is a new session's name.
    SessionPrompt {
        id: Option<SessionId>,
        field: SessionField,
    },
    SessionDelete {
        id: SessionId,
    },
    IssueAll {
        id: SessionId,
    },
    // Orders
    Draft {
        /// The page of lines shown (long orders).
        #[serde(default)]
        lines: u32,
    },
    Prompt {
        target: Target,
        field: OrderField,
    },
    Picker {
        target: Target,
        page: u32,
    },
    Quantity {
        target: Target,
        product: ProductId,
        line: Option<LineKey>,
    },
    LineMenu {
        target: Target,
        line: LineKey,
    },
    /// "Remove the order's only line?"
    LineRemoveLast {
        target: Target,
        line: LineKey,
    },
    Weight {
        id: OrderId,
        line: OrderLineId,
    },
    SessionPicker {
        target: Target,
        page: u32,
    },
    Calendar {
        purpose: CalPurpose,
        year: i16,
        month: i8,
    },
    Orders {
        status: OrderStatus,
        session: Option<SessionId>,
        newest_first: bool,
        page: u32,
    },
    Order {
        id: OrderId,
        /// The page of lines shown (long orders).
        #[serde(default)]
        lines: u32,
    },
    OrderEdit {
        id: OrderId,
        #[serde(default)]
        lines: u32,
    },
    /// Weighing mode: the line shown and the order version it was shown at.
    Weigh {
        id: OrderId,
        line: Option<OrderLineId>,
        version: i64,
        skipped: Vec<OrderLineId>,
    },
    IssueChoice {
        id: OrderId,
    },
    CustomerText {
        id: OrderId,
    },
    OrderDelete {
        id: OrderId,
    },
    /// An owner about to erase the order's customer.
    EraseCustomer {
        id: OrderId,
    },
    History {
        id: OrderId,
        page: u32,
    },
    Staff,
    /// "Remove this person's role?"
    StaffRemove {
        user: TgUserId,
        role: Role,
    },
    /// Messages that could not be delivered.
    Deliveries,
    Stats {
        kind: StatsKind,
        period: StatsPeriod,
        page: u32,
    },
    Production {
        session: SessionId,
        page: u32,
    },
}

/// A product being created, kept until saved or cancelled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDraft {
    pub name: Option<String>,
    pub unit: Option<Unit>,
    pub price_minor: Option<i64>,
}

/// An order line before the order is saved (a snapshot of the product).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLine {
    pub product_id: ProductId,
    pub name: String,
    pub unit: Unit,
    pub price_minor: i64,
    /// Grams or pieces.
    pub ordered: i64,
    pub packing: Option<String>,
}

/// An order being created.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDraft {
    /// `None`: the Inbox session.
    pub session: Option<SessionId>,
    pub client_name: Option<String>,
    pub phone: Option<String>,
    pub delivery: bool,
    pub address: Option<String>,
    pub date: Option<Date>,
    pub time: Option<Time>,
    pub discount_bp: i64,
    pub fee_manual_minor: Option<i64>,
    pub note: Option<String>,
    pub lines: Vec<DraftLine>,
}

/// Persistent state of one desk chat.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskState {
    pub screen: Screen,
    #[serde(default)]
    pub draft: Option<ProductDraft>,
    #[serde(default)]
    pub order: Option<OrderDraft>,
}

impl DeskState {
    /// Restores from stored JSON; unreadable state (e.g. after an upgrade
    /// changed its shape) falls back to the main menu rather than failing.
    /// The stored state; the second value is `true` when an unsaved draft
    /// was there but can no longer be read (written by another version):
    /// it is dropped, and the person must be told.
    pub fn restore(screen: &str, draft: Option<&str>) -> (DeskState, bool) {
        let screen = serde_json::from_str(screen).unwrap_or_default();
        let (drafts, lost) = match draft.map(serde_json::from_str::<Drafts>) {
            None => (Drafts::default(), false),
            Some(Ok(d)) => (d, false),
            Some(Err(e)) => {
                tracing::warn!(error = %e, "a stored desk draft cannot be read; dropped");
                (Drafts::default(), true)
            }
        };
        let state = DeskState {
            screen,
            draft: drafts.product,
            order: drafts.order,
        };
        (state, lost)
    }

    pub fn screen_json(&self) -> String {
        serde_json::to_string(&self.screen).unwrap_or_else(|_| "null".into())
    }

    pub fn draft_json(&self) -> Option<String> {
        if self.draft.is_none() && self.order.is_none() {
            return None;
        }
        serde_json::to_string(&Drafts {
            product: self.draft.clone(),
            order: self.order.clone(),
        })
        .ok()
    }
}

#[derive(Default, Serialize, Deserialize)]
struct Drafts {
    #[serde(default)]
    product: Option<ProductDraft>,
    #[serde(default)]
    order: Option<OrderDraft>,
}
