use crate::action::{CardAction, DeskAction, ShopAction};
use jiff::civil::date;
use larder_core::{CategoryId, OrderId, OrderStatus, ProductId, Role, SessionId, TgUserId, Unit};

use super::*;

/// One example of every variant, with the largest values each can carry.
fn every_variant() -> Vec<Action> {
    let p = ProductId::new(i64::MAX);
    let s = SessionId::new(i64::MAX);
    let o = OrderId::new(i64::MAX);
    let big = i64::MAX;
    let pack = Some("abcdefghijklmnop".to_owned());
    let mut all = vec![
        Action::Noop,
        Action::PageEnd { last: true },
        Action::Menu,
        Action::Cancel,
        Action::Desk(DeskAction::Products {
            archived: true,
            page: u32::MAX,
        }),
        Action::Desk(DeskAction::Product(p)),
        Action::Desk(DeskAction::NewProduct),
        Action::Desk(DeskAction::DraftSave),
        Action::Desk(DeskAction::Archive(p)),
        Action::Desk(DeskAction::Restore(p)),
        Action::Desk(DeskAction::Sessions {
            archived: true,
            page: u32::MAX,
        }),
        Action::Desk(DeskAction::Session(s)),
        Action::Desk(DeskAction::NewSession),
        Action::Desk(DeskAction::SessionArchive(s, true)),
        Action::Desk(DeskAction::SessionDelete(s)),
        Action::Desk(DeskAction::IssueAll(s)),
        Action::Desk(DeskAction::IssueAllNow(s)),
        Action::Desk(DeskAction::IssueAllOn(s, date(2100, 12, 31))),
        Action::Desk(DeskAction::IssueAllPickDate(s)),
        Action::Desk(DeskAction::NewOrder(None)),
        Action::Desk(DeskAction::NewOrder(Some(s))),
        Action::Desk(DeskAction::Picker(u32::MAX)),
        Action::Desk(DeskAction::Pick(p)),
        Action::Desk(DeskAction::PickSession(s)),
        Action::Desk(DeskAction::SessionsPage(u32::MAX)),
        Action::Desk(DeskAction::OrderSave),
        Action::Desk(DeskAction::CalMonth(2100, 12)),
        Action::Desk(DeskAction::CalDay(date(2026, 12, 31))),
        Action::Desk(DeskAction::CalClear),
        Action::Desk(DeskAction::Order(o)),
        Action::Desk(DeskAction::OrderEdit(o)),
        Action::Desk(DeskAction::Weigh(o)),
        Action::Desk(DeskAction::WeighNotAvailable),
        Action::Desk(DeskAction::LinesPage(u32::MAX)),
        Action::Desk(DeskAction::SureQuantity(i64::MAX)),
        Action::Desk(DeskAction::WeighSkip),
        Action::Desk(DeskAction::Complete(o, big)),
        Action::Desk(DeskAction::Reopen(o, big)),
        Action::Desk(DeskAction::Unissue(o, big)),
        Action::Desk(DeskAction::IssueMenu(o)),
        Action::Desk(DeskAction::IssueToday(o, big)),
        Action::Desk(DeskAction::IssuePickDate(o)),
        Action::Desk(DeskAction::CustomerText(o)),
        Action::Desk(DeskAction::SendToCustomer(o)),
        Action::Desk(DeskAction::OrderDelete(o)),
        Action::Card(CardAction::AdminCancelAsk(o)),
        Action::Card(CardAction::AdminCancel(
            o,
            larder_core::flow::CancelReason::CannotDeliver,
        )),
        Action::Card(CardAction::CardBack(o)),
        Action::Card(CardAction::KitchenWeigh(o)),
        Action::Card(CardAction::KitchenKey(
            o,
            larder_core::OrderLineId::new(i64::MAX),
            u32::MAX,
        )),
        Action::Card(CardAction::KitchenWeighed(
            o,
            larder_core::OrderLineId::new(i64::MAX),
            u32::MAX,
        )),
        Action::Card(CardAction::KitchenNotAvailable(
            o,
            larder_core::OrderLineId::new(i64::MAX),
        )),
        Action::Card(CardAction::CourierRelease(o)),
        Action::Card(CardAction::AdminReassignAsk(o)),
        Action::Card(CardAction::AdminReassign(o, TgUserId::new(i64::MAX))),
        Action::Desk(DeskAction::EraseCustomer(o)),
        Action::Desk(DeskAction::EraseCustomerConfirm(o)),
        Action::Desk(DeskAction::History(o, u32::MAX)),
        Action::Desk(DeskAction::OrderCancel(o, big)),
        Action::Desk(DeskAction::OrderRestore(o, big)),
        Action::Shop(ShopAction::ShopCategory(
            CategoryId::new(i64::MAX),
            u32::MAX,
        )),
        Action::Shop(ShopAction::ShopProduct(p)),
        Action::Shop(ShopAction::CartAdd(p)),
        Action::Shop(ShopAction::CartSub(p)),
        Action::Shop(ShopAction::CartRemove(p)),
        Action::Shop(ShopAction::Cart),
        Action::Shop(ShopAction::Checkout),
        Action::Shop(ShopAction::CheckoutMode(true)),
        Action::Shop(ShopAction::CheckoutMode(false)),
        Action::Shop(ShopAction::CheckoutLastAddress),
        Action::Shop(ShopAction::CheckoutAsap),
        Action::Shop(ShopAction::CheckoutSlots(u8::MAX)),
        Action::Shop(ShopAction::CheckoutSlotGroup(u8::MAX, 23 * 60 + 59)),
        Action::Shop(ShopAction::ShopPage(u32::MAX)),
        Action::Shop(ShopAction::CheckoutSlot(date(2026, 12, 31), 23 * 60 + 59)),
        Action::Shop(ShopAction::CheckoutSkipComment),
        Action::Shop(ShopAction::CheckoutConfirm),
        Action::Shop(ShopAction::MyOrders(u32::MAX)),
        Action::Shop(ShopAction::MyOrder(o)),
        Action::Shop(ShopAction::MyOrderCancel(o)),
        Action::Shop(ShopAction::MyOrderCancelYes(o)),
        Action::Shop(ShopAction::ShopReviews(u32::MAX)),
        Action::Shop(ShopAction::Rate(o, 5)),
        Action::Shop(ShopAction::RateDish(o, p, 1)),
        Action::Shop(ShopAction::FeedbackComment(o)),
        Action::Shop(ShopAction::FeedbackDone(o)),
        Action::Card(CardAction::KitchenAccept(o)),
        Action::Card(CardAction::KitchenPrepared(o)),
        Action::Card(CardAction::CourierTake(o)),
        Action::Card(CardAction::CourierDelivered(o)),
        Action::Card(CardAction::AdminIssue(o)),
        Action::Card(CardAction::ReviewPublish(o)),
        Action::Card(CardAction::ReviewReject(o)),
        Action::Card(CardAction::StopList(u32::MAX)),
        Action::Card(CardAction::StopProduct(p, true)),
        Action::Card(CardAction::StopCategory(CategoryId::new(i64::MAX), false)),
        Action::Desk(DeskAction::Staff),
        Action::Desk(DeskAction::Deliveries),
        Action::Shop(ShopAction::ShopHome),
        Action::Shop(ShopAction::ShopProfile),
        Action::Shop(ShopAction::ShopSkipEmail),
        Action::Shop(ShopAction::ShopForget),
        Action::Shop(ShopAction::ShopForgetConfirm),
        Action::Shop(ShopAction::ShopLink),
        Action::Shop(ShopAction::ShopUnlink),
        Action::Shop(ShopAction::ShopUnlinkYes),
        Action::Shop(ShopAction::ShopEdit(CustomerField::FirstName)),
        Action::Shop(ShopAction::ShopEdit(CustomerField::LastName)),
        Action::Shop(ShopAction::ShopEdit(CustomerField::Phone)),
        Action::Shop(ShopAction::ShopEdit(CustomerField::Email)),
        Action::Desk(DeskAction::Production(s, u32::MAX)),
        Action::Desk(DeskAction::Stats {
            kind: StatsKind::Pending,
            period: StatsPeriod::Session(s),
            page: u32::MAX,
        }),
        Action::Desk(DeskAction::Stats {
            kind: StatsKind::Issued,
            period: StatsPeriod::Day(date(2026, 3, 29)),
            page: 0,
        }),
        Action::Desk(DeskAction::Stats {
            kind: StatsKind::Issued,
            period: StatsPeriod::Month(2026, 10),
            page: 0,
        }),
        Action::Desk(DeskAction::Stats {
            kind: StatsKind::Issued,
            period: StatsPeriod::All,
            page: 0,
        }),
        Action::Desk(DeskAction::StatsPickDay(StatsKind::Issued)),
        Action::Desk(DeskAction::StatsPickDay(StatsKind::Pending)),
    ];
    for e in [
        Export::OrdersXlsx,
        Export::OrdersCsv,
        Export::StatsXlsx,
        Export::StatsCsv,
        Export::SheetsPdf,
    ] {
        all.push(Action::Desk(DeskAction::Download(s, e)));
        all.push(Action::Desk(DeskAction::DownloadPeriod(
            StatsKind::Pending,
            StatsPeriod::Month(2100, 12),
        )));
    }
    for u in [Unit::Kg, Unit::Piece] {
        all.push(Action::Desk(DeskAction::DraftUnit(u)));
        all.push(Action::Desk(DeskAction::SetUnit(p, u)));
    }
    let c = CategoryId::new(i64::MAX);
    all.extend([
        Action::Desk(DeskAction::Categories),
        Action::Desk(DeskAction::Category(c)),
        Action::Desk(DeskAction::NewCategory),
        Action::Desk(DeskAction::RenameCategory(c)),
        Action::Desk(DeskAction::CategoryMove(c, true)),
        Action::Desk(DeskAction::CategoryHide(c, false)),
        Action::Desk(DeskAction::CategoryStop(c, true)),
        Action::Desk(DeskAction::ProductCategory(p)),
        Action::Desk(DeskAction::SetCategory(p, Some(c))),
        Action::Desk(DeskAction::SetCategory(p, None)),
        Action::Desk(DeskAction::ProductStop(p, false)),
        Action::Desk(DeskAction::ProductPhotoRemove(p)),
    ]);
    for f in [
        Field::Name,
        Field::Price,
        Field::Unit,
        Field::Description,
        Field::PrepTime,
        Field::Photo,
    ] {
        all.push(Action::Desk(DeskAction::Edit(p, f)));
    }
    for f in [
        SessionField::Name,
        SessionField::Description,
        SessionField::Date,
        SessionField::Place,
    ] {
        all.push(Action::Desk(DeskAction::SessionEdit(s, f)));
    }
    for status in OrderStatus::ALL {
        all.push(Action::Desk(DeskAction::Orders {
            status,
            session: Some(s),
            newest_first: true,
            page: u32::MAX,
        }));
        all.push(Action::Desk(DeskAction::Orders {
            status,
            session: None,
            newest_first: false,
            page: 0,
        }));
    }
    for role in Role::ALL {
        all.push(Action::Desk(DeskAction::Invite(role)));
        all.push(Action::Desk(DeskAction::StaffRemove(
            TgUserId::new(i64::MAX),
            role,
        )));
        all.push(Action::Desk(DeskAction::StaffRemoveConfirm(
            TgUserId::new(i64::MAX),
            role,
        )));
    }
    for t in [Target::Draft, Target::Order(o)] {
        for f in [
            OrderField::ClientName,
            OrderField::Phone,
            OrderField::Address,
            OrderField::Date,
            OrderField::Time,
            OrderField::Discount,
            OrderField::Note,
            OrderField::Fee,
        ] {
            all.push(Action::Desk(DeskAction::OrderField(t, f)));
        }
        all.extend([
            Action::Desk(DeskAction::SetDelivery(t, true)),
            Action::Desk(DeskAction::FeeAuto(t)),
            Action::Desk(DeskAction::AddLine(t)),
            Action::Desk(DeskAction::Line(t, big)),
            Action::Desk(DeskAction::LineQty(t, big)),
            Action::Desk(DeskAction::LineWeight(t, big)),
            Action::Desk(DeskAction::LinePack(t, big, pack.clone())),
            Action::Desk(DeskAction::LinePack(t, big, None)),
            Action::Desk(DeskAction::LineRemove(t, big)),
            Action::Desk(DeskAction::LineRemoveSure(t, big)),
            Action::Desk(DeskAction::PackAll(t, pack.clone())),
            Action::Desk(DeskAction::PackAll(t, None)),
            Action::Desk(DeskAction::ChooseSession(t)),
        ]);
    }
    all
}

/// Fails to compile when a variant is added, reminding to extend `every_variant`.
fn tag(a: &Action) -> &'static str {
    use Action as A;
    match a {
        A::Noop => "Noop",
        A::PageEnd { .. } => "PageEnd",
        A::Menu => "Menu",
        A::Cancel => "Cancel",
        A::Desk(DeskAction::Products { .. }) => "Products",
        A::Desk(DeskAction::Product(_)) => "Product",
        A::Desk(DeskAction::NewProduct) => "NewProduct",
        A::Desk(DeskAction::DraftUnit(_)) => "DraftUnit",
        A::Desk(DeskAction::DraftSave) => "DraftSave",
        A::Desk(DeskAction::Edit(..)) => "Edit",
        A::Desk(DeskAction::SetUnit(..)) => "SetUnit",
        A::Desk(DeskAction::Archive(_)) => "Archive",
        A::Desk(DeskAction::Restore(_)) => "Restore",
        A::Desk(DeskAction::Categories) => "Categories",
        A::Desk(DeskAction::Category(_)) => "Category",
        A::Desk(DeskAction::NewCategory) => "NewCategory",
        A::Desk(DeskAction::RenameCategory(_)) => "RenameCategory",
        A::Desk(DeskAction::CategoryMove(..)) => "CategoryMove",
        A::Desk(DeskAction::CategoryHide(..)) => "CategoryHide",
        A::Desk(DeskAction::CategoryStop(..)) => "CategoryStop",
        A::Desk(DeskAction::ProductCategory(_)) => "ProductCategory",
        A::Desk(DeskAction::SetCategory(..)) => "SetCategory",
        A::Desk(DeskAction::ProductStop(..)) => "ProductStop",
        A::Desk(DeskAction::ProductPhotoRemove(_)) => "ProductPhotoRemove",
        A::Desk(DeskAction::Sessions { .. }) => "Sessions",
        A::Desk(DeskAction::Session(_)) => "Session",
        A::Desk(DeskAction::NewSession) => "NewSession",
        A::Desk(DeskAction::SessionEdit(..)) => "SessionEdit",
        A::Desk(DeskAction::SessionArchive(..)) => "SessionArchive",
        A::Desk(DeskAction::SessionDelete(_)) => "SessionDelete",
        A::Desk(DeskAction::IssueAll(_)) => "IssueAll",
        A::Desk(DeskAction::IssueAllNow(_)) => "IssueAllNow",
        A::Desk(DeskAction::IssueAllOn(..)) => "IssueAllOn",
        A::Desk(DeskAction::IssueAllPickDate(_)) => "IssueAllPickDate",
        A::Desk(DeskAction::NewOrder(_)) => "NewOrder",
        A::Desk(DeskAction::OrderField(..)) => "OrderField",
        A::Desk(DeskAction::SetDelivery(..)) => "SetDelivery",
        A::Desk(DeskAction::FeeAuto(_)) => "FeeAuto",
        A::Desk(DeskAction::AddLine(_)) => "AddLine",
        A::Desk(DeskAction::Picker(_)) => "Picker",
        A::Desk(DeskAction::Pick(_)) => "Pick",
        A::Desk(DeskAction::Line(..)) => "Line",
        A::Desk(DeskAction::LineQty(..)) => "LineQty",
        A::Desk(DeskAction::LineWeight(..)) => "LineWeight",
        A::Desk(DeskAction::LinePack(..)) => "LinePack",
        A::Desk(DeskAction::LineRemove(..)) => "LineRemove",
        A::Desk(DeskAction::LineRemoveSure(..)) => "LineRemoveSure",
        A::Desk(DeskAction::PackAll(..)) => "PackAll",
        A::Desk(DeskAction::ChooseSession(_)) => "ChooseSession",
        A::Desk(DeskAction::PickSession(_)) => "PickSession",
        A::Desk(DeskAction::SessionsPage(_)) => "SessionsPage",
        A::Desk(DeskAction::OrderSave) => "OrderSave",
        A::Desk(DeskAction::CalMonth(..)) => "CalMonth",
        A::Desk(DeskAction::CalDay(_)) => "CalDay",
        A::Desk(DeskAction::CalClear) => "CalClear",
        A::Desk(DeskAction::Orders { .. }) => "Orders",
        A::Desk(DeskAction::Order(_)) => "Order",
        A::Desk(DeskAction::OrderEdit(_)) => "OrderEdit",
        A::Desk(DeskAction::Weigh(_)) => "Weigh",
        A::Desk(DeskAction::WeighNotAvailable) => "WeighNotAvailable",
        A::Desk(DeskAction::LinesPage(_)) => "LinesPage",
        A::Desk(DeskAction::SureQuantity(_)) => "SureQuantity",
        A::Desk(DeskAction::WeighSkip) => "WeighSkip",
        A::Desk(DeskAction::Complete(..)) => "Complete",
        A::Desk(DeskAction::Reopen(..)) => "Reopen",
        A::Desk(DeskAction::Unissue(..)) => "Unissue",
        A::Desk(DeskAction::OrderCancel(..)) => "OrderCancel",
        A::Desk(DeskAction::OrderRestore(..)) => "OrderRestore",
        A::Shop(ShopAction::ShopCategory(..)) => "ShopCategory",
        A::Shop(ShopAction::ShopProduct(_)) => "ShopProduct",
        A::Shop(ShopAction::CartAdd(_)) => "CartAdd",
        A::Shop(ShopAction::CartSub(_)) => "CartSub",
        A::Shop(ShopAction::CartRemove(_)) => "CartRemove",
        A::Shop(ShopAction::Cart) => "Cart",
        A::Shop(ShopAction::Checkout) => "Checkout",
        A::Shop(ShopAction::CheckoutMode(_)) => "CheckoutMode",
        A::Shop(ShopAction::CheckoutLastAddress) => "CheckoutLastAddress",
        A::Shop(ShopAction::CheckoutAsap) => "CheckoutAsap",
        A::Shop(ShopAction::CheckoutSlots(_)) => "CheckoutSlots",
        A::Shop(ShopAction::CheckoutSlotGroup(..)) => "CheckoutSlotGroup",
        A::Shop(ShopAction::ShopPage(_)) => "ShopPage",
        A::Shop(ShopAction::CheckoutSlot(..)) => "CheckoutSlot",
        A::Shop(ShopAction::CheckoutSkipComment) => "CheckoutSkipComment",
        A::Shop(ShopAction::CheckoutConfirm) => "CheckoutConfirm",
        A::Shop(ShopAction::MyOrders(_)) => "MyOrders",
        A::Shop(ShopAction::MyOrder(_)) => "MyOrder",
        A::Shop(ShopAction::MyOrderCancel(_)) => "MyOrderCancel",
        A::Shop(ShopAction::MyOrderCancelYes(_)) => "MyOrderCancelYes",
        A::Shop(ShopAction::ShopReviews(_)) => "ShopReviews",
        A::Shop(ShopAction::Rate(..)) => "Rate",
        A::Shop(ShopAction::RateDish(..)) => "RateDish",
        A::Shop(ShopAction::FeedbackComment(_)) => "FeedbackComment",
        A::Shop(ShopAction::FeedbackDone(_)) => "FeedbackDone",
        A::Card(CardAction::KitchenAccept(_)) => "KitchenAccept",
        A::Card(CardAction::KitchenPrepared(_)) => "KitchenPrepared",
        A::Card(CardAction::CourierTake(_)) => "CourierTake",
        A::Card(CardAction::CourierDelivered(_)) => "CourierDelivered",
        A::Card(CardAction::AdminIssue(_)) => "AdminIssue",
        A::Card(CardAction::ReviewPublish(_)) => "ReviewPublish",
        A::Card(CardAction::ReviewReject(_)) => "ReviewReject",
        A::Card(CardAction::StopList(_)) => "StopList",
        A::Card(CardAction::StopProduct(..)) => "StopProduct",
        A::Card(CardAction::StopCategory(..)) => "StopCategory",
        A::Desk(DeskAction::IssueMenu(_)) => "IssueMenu",
        A::Desk(DeskAction::IssueToday(..)) => "IssueToday",
        A::Desk(DeskAction::IssuePickDate(_)) => "IssuePickDate",
        A::Desk(DeskAction::CustomerText(_)) => "CustomerText",
        A::Desk(DeskAction::SendToCustomer(_)) => "SendToCustomer",
        A::Desk(DeskAction::OrderDelete(_)) => "OrderDelete",
        A::Card(CardAction::AdminCancelAsk(_)) => "AdminCancelAsk",
        A::Card(CardAction::AdminCancel(..)) => "AdminCancel",
        A::Card(CardAction::CardBack(_)) => "CardBack",
        A::Card(CardAction::KitchenWeigh(_)) => "KitchenWeigh",
        A::Card(CardAction::KitchenKey(..)) => "KitchenKey",
        A::Card(CardAction::KitchenWeighed(..)) => "KitchenWeighed",
        A::Card(CardAction::KitchenNotAvailable(..)) => "KitchenNotAvailable",
        A::Card(CardAction::CourierRelease(_)) => "CourierRelease",
        A::Card(CardAction::AdminReassignAsk(_)) => "AdminReassignAsk",
        A::Card(CardAction::AdminReassign(..)) => "AdminReassign",
        A::Desk(DeskAction::EraseCustomer(_)) => "EraseCustomer",
        A::Desk(DeskAction::EraseCustomerConfirm(_)) => "EraseCustomerConfirm",
        A::Desk(DeskAction::History(..)) => "History",
        A::Desk(DeskAction::Stats { .. }) => "Stats",
        A::Desk(DeskAction::StatsPickDay(_)) => "StatsPickDay",
        A::Desk(DeskAction::Production(..)) => "Production",
        A::Desk(DeskAction::Download(..)) => "Download",
        A::Desk(DeskAction::DownloadPeriod(..)) => "DownloadPeriod",
        A::Shop(ShopAction::ShopHome) => "ShopHome",
        A::Shop(ShopAction::ShopProfile) => "ShopProfile",
        A::Shop(ShopAction::ShopEdit(_)) => "ShopEdit",
        A::Shop(ShopAction::ShopSkipEmail) => "ShopSkipEmail",
        A::Shop(ShopAction::ShopForget) => "ShopForget",
        A::Shop(ShopAction::ShopForgetConfirm) => "ShopForgetConfirm",
        A::Shop(ShopAction::ShopLink) => "ShopLink",
        A::Shop(ShopAction::ShopUnlink) => "ShopUnlink",
        A::Shop(ShopAction::ShopUnlinkYes) => "ShopUnlinkYes",
        A::Desk(DeskAction::Staff) => "Staff",
        A::Desk(DeskAction::Invite(_)) => "Invite",
        A::Desk(DeskAction::StaffRemove(..)) => "StaffRemove",
        A::Desk(DeskAction::StaffRemoveConfirm(..)) => "StaffRemoveConfirm",
        A::Desk(DeskAction::Deliveries) => "Deliveries",
    }
}

const VARIANTS: usize = 141;

#[test]
fn every_variant_round_trips_within_64_bytes() {
    let all = every_variant();
    let mut seen: Vec<&str> = all.iter().map(tag).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), VARIANTS, "every variant has an example");
    for a in all {
        let wire = a.encode();
        assert!(wire.len() <= 64, "{wire} is {} bytes", wire.len());
        assert_eq!(Action::decode(&wire), Ok(a), "{wire}");
    }
}

#[test]
fn payload_of_another_version_is_outdated() {
    assert_eq!(Action::decode("0p:1"), Err(DecodeError::Outdated));
    assert_eq!(Action::decode("2m"), Err(DecodeError::Outdated));
}

#[test]
fn forged_payloads_are_invalid() {
    for bad in [
        "",
        "m",
        "1",
        "1p",
        "1p:",
        "1p:-1",
        "1p:01",
        "1p:1:2",
        "1pl:2:0",
        "1zz",
        "1p:99999999999999999999",
        "1pU:1:x",
        "1cd:20261332",
        "1lp:d:1:BAD!",
        "1ol:q:0:0:0",
        "1f:x:n",
        "1sr:1:z",
        "1ga:1:0",
        "1ga:1:6",
        "1gd:1:2:9",
        "1yt:20261201:1440",
    ] {
        assert_eq!(Action::decode(bad), Err(DecodeError::Invalid), "{bad:?}");
    }
}

/// Each area's buttons carry their own tags (cards `k…`, the shop `y…`/`g…`),
/// so a payload is routed by its area before anything reads it.
#[test]
fn each_area_has_its_own_wire_tags() {
    for a in every_variant() {
        let wire = a.encode();
        let first = wire.chars().nth(1).unwrap_or_default();
        let own = match &a {
            Action::Card(_) => first == 'k',
            Action::Shop(_) => matches!(first, 'y' | 'g'),
            Action::Desk(_) => !matches!(first, 'k' | 'y' | 'g'),
            Action::Noop | Action::PageEnd { .. } | Action::Menu | Action::Cancel => true,
        };
        assert!(own, "{a:?} is written {wire}");
        assert_eq!(a.is_card(), matches!(a, Action::Card(_)));
    }
}
