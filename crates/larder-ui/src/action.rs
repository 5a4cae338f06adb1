//! Typed button actions and their compact, versioned wire form.
//!
//! Wire form: `<version><tag>[:<arg>]*`, e.g. `1p:42` (open product 42).
//! Only ids, dates and small enums travel, never names, so every payload fits
//! Telegram's 64 bytes (and VK's 255). A payload of another version, or one
//! that does not parse, decodes to an error the UI shows as "this button is
//! outdated" — it never acts. Presses that change an order's status carry the
//! order's version, so a press made on an out-of-date card changes nothing.

use larder_core::flow::CancelReason;
use larder_core::{
    CategoryId, OrderId, OrderLineId, OrderStatus, ProductId, Role, SessionId, TgUserId, Unit,
};

mod codec;
#[cfg(test)]
mod tests;

pub use codec::DecodeError;

/// The codec version written in front of every payload.
pub const VERSION: char = '1';

/// Which figures a statistics screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StatsKind {
    /// Issued orders: sold quantities and revenue.
    Issued,
    /// Orders not yet issued: ordered vs weighed, expected revenue.
    Pending,
}

/// The period a statistics screen covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StatsPeriod {
    Day(jiff::civil::Date),
    Month(i16, i8),
    All,
    Session(SessionId),
}

/// A file a session can be downloaded as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Export {
    OrdersXlsx,
    OrdersCsv,
    StatsXlsx,
    StatsCsv,
    /// The printable order sheet and packing list.
    SheetsPdf,
}

/// Which product field an edit prompt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    Name,
    Price,
    Unit,
    Description,
    PrepTime,
    Photo,
}

/// Which session field a prompt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SessionField {
    Name,
    Description,
    Date,
    Place,
}

/// Which order field a prompt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum OrderField {
    ClientName,
    Phone,
    Address,
    Date,
    Time,
    Discount,
    Note,
    Fee,
}

/// What an order edit applies to: the unsaved draft, or a saved order.
/// A customer's personal field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CustomerField {
    FirstName,
    LastName,
    Phone,
    Email,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Target {
    Draft,
    Order(OrderId),
}

/// A line of the draft (its index) or of a saved order (its id).
pub type LineKey = i64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Does nothing (page counters and other labels shown as buttons).
    Noop,
    /// An arrow at the first or last page: says so and changes nothing.
    PageEnd {
        last: bool,
    },
    Menu,
    /// Leaves a prompt or draft for the screen it came from.
    Cancel,
    /// The order desk (staff in a private chat).
    Desk(DeskAction),
    /// The shop (customers, on any messenger).
    Shop(ShopAction),
    /// Order cards in the staff groups and a courier's private card.
    Card(CardAction),
}

/// A press on the order desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeskAction {
    Products {
        archived: bool,
        page: u32,
    },
    Product(ProductId),
    NewProduct,
    DraftUnit(Unit),
    DraftSave,
    Edit(ProductId, Field),
    SetUnit(ProductId, Unit),
    Archive(ProductId),
    Restore(ProductId),
    Categories,
    Category(CategoryId),
    NewCategory,
    RenameCategory(CategoryId),
    CategoryMove(CategoryId, bool),
    CategoryHide(CategoryId, bool),
    CategoryStop(CategoryId, bool),
    ProductCategory(ProductId),
    SetCategory(ProductId, Option<CategoryId>),
    ProductStop(ProductId, bool),
    ProductPhotoRemove(ProductId),
    Sessions {
        archived: bool,
        page: u32,
    },
    Session(SessionId),
    NewSession,
    SessionEdit(SessionId, SessionField),
    SessionArchive(SessionId, bool),
    SessionDelete(SessionId),
    IssueAll(SessionId),
    IssueAllNow(SessionId),
    /// Issues every completed order of the session on that day.
    IssueAllOn(SessionId, jiff::civil::Date),
    /// A calendar to choose the day they were all issued.
    IssueAllPickDate(SessionId),
    NewOrder(Option<SessionId>),
    OrderField(Target, OrderField),
    SetDelivery(Target, bool),
    FeeAuto(Target),
    AddLine(Target),
    Picker(u32),
    Pick(ProductId),
    Line(Target, LineKey),
    LineQty(Target, LineKey),
    LineWeight(Target, LineKey),
    LinePack(Target, LineKey, Option<String>),
    LineRemove(Target, LineKey),
    /// Removes an order's only line, after being asked.
    LineRemoveSure(Target, LineKey),
    PackAll(Target, Option<String>),
    ChooseSession(Target),
    PickSession(SessionId),
    SessionsPage(u32),
    OrderSave,
    CalMonth(i16, i8),
    CalDay(jiff::civil::Date),
    CalClear,
    Orders {
        status: OrderStatus,
        session: Option<SessionId>,
        newest_first: bool,
        page: u32,
    },
    Order(OrderId),
    OrderEdit(OrderId),
    Weigh(OrderId),
    /// Another page of the lines of the order on screen (card, edit, draft).
    LinesPage(u32),
    /// "Yes, this much": keeps a quantity that looked like a slip, on the
    /// screen that asked (weighing, a line's quantity or weight).
    SureQuantity(i64),
    WeighNotAvailable,
    WeighSkip,
    Complete(OrderId, i64),
    Reopen(OrderId, i64),
    Unissue(OrderId, i64),
    OrderCancel(OrderId, i64),
    OrderRestore(OrderId, i64),
    IssueMenu(OrderId),
    IssueToday(OrderId, i64),
    IssuePickDate(OrderId),
    CustomerText(OrderId),
    SendToCustomer(OrderId),
    OrderDelete(OrderId),
    /// An owner erases the personal data of the order's customer (asks first).
    EraseCustomer(OrderId),
    EraseCustomerConfirm(OrderId),
    History(OrderId, u32),
    Stats {
        kind: StatsKind,
        period: StatsPeriod,
        page: u32,
    },
    StatsPickDay(StatsKind),
    Production(SessionId, u32),
    Download(SessionId, Export),
    /// The orders of a statistics period as XLSX, a sheet per session.
    DownloadPeriod(StatsKind, StatsPeriod),
    Staff,
    Invite(Role),
    /// Asks whether to remove the member's role.
    StaffRemove(TgUserId, Role),
    StaffRemoveConfirm(TgUserId, Role),
    /// Messages that could not be delivered (owners).
    Deliveries,
}

/// A press in the shop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShopAction {
    ShopHome,
    /// Another page of the current screen (home, cart, feedback, times).
    ShopPage(u32),
    ShopProfile,
    ShopEdit(CustomerField),
    ShopSkipEmail,
    ShopForget,
    ShopForgetConfirm,
    /// Link this account with the customer's account on the other messenger.
    ShopLink,
    /// "Not you?": asks whether to undo the link with the other messenger.
    ShopUnlink,
    ShopUnlinkYes,
    ShopCategory(CategoryId, u32),
    ShopProduct(ProductId),
    CartAdd(ProductId),
    CartSub(ProductId),
    CartRemove(ProductId),
    Cart,
    Checkout,
    CheckoutMode(bool),
    CheckoutLastAddress,
    CheckoutAsap,
    /// Slots of the day `n` days from today.
    CheckoutSlots(u8),
    /// The times of a day (`n` days from today) from a minute after
    /// midnight on: a group of them, where a day's times do not fit at once.
    CheckoutSlotGroup(u8, u16),
    /// A wanted time: the day and minutes after midnight.
    CheckoutSlot(jiff::civil::Date, u16),
    CheckoutSkipComment,
    CheckoutConfirm,
    MyOrders(u32),
    MyOrder(OrderId),
    MyOrderCancel(OrderId),
    MyOrderCancelYes(OrderId),
    ShopReviews(u32),
    Rate(OrderId, u8),
    RateDish(OrderId, ProductId, u8),
    FeedbackComment(OrderId),
    FeedbackDone(OrderId),
}

/// A press on an order card, the stop-list or a review card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardAction {
    KitchenAccept(OrderId),
    KitchenPrepared(OrderId),
    /// The kitchen card turns into scales for the first line still to weigh.
    KitchenWeigh(OrderId),
    /// The scales for a line with the grams typed so far (the keypad's
    /// state travels in the button, so a stale keypad only shows a number).
    KitchenKey(OrderId, OrderLineId, u32),
    /// The typed grams are the line's weight.
    KitchenWeighed(OrderId, OrderLineId, u32),
    /// The line is not available (weighed as zero).
    KitchenNotAvailable(OrderId, OrderLineId),
    CourierTake(OrderId),
    CourierDelivered(OrderId),
    /// The courier gives the order back, or the admins take it off them.
    CourierRelease(OrderId),
    AdminIssue(OrderId),
    /// The admins' card asks why before cancelling.
    AdminCancelAsk(OrderId),
    AdminCancel(OrderId, CancelReason),
    /// A card showing a question (or scales) goes back to the order.
    CardBack(OrderId),
    /// The admins' card lists the couriers to give the order to.
    AdminReassignAsk(OrderId),
    AdminReassign(OrderId, TgUserId),
    ReviewPublish(OrderId),
    ReviewReject(OrderId),
    StopList(u32),
    StopProduct(ProductId, bool),
    StopCategory(CategoryId, bool),
}

/// In stored views an action travels in its wire form.
impl serde::Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = String::deserialize(d)?;
        Action::decode(&wire).map_err(serde::de::Error::custom)
    }
}

impl Action {
    /// Whether this press belongs to an order card (in a staff group or a
    /// courier's private chat) rather than to the chat's own screen.
    pub fn is_card(&self) -> bool {
        matches!(self, Action::Card(_))
    }
}
