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
        Action::Products {
            archived: true,
            page: u32::MAX,
        },
        Action::Product(p),
        Action::NewProduct,
        Action::DraftSave,
        Action::Archive(p),
        Action::Restore(p),
        Action::Sessions {
            archived: true,
            page: u32::MAX,
        },
        Action::Session(s),
        Action::NewSession,
        Action::SessionArchive(s, true),
        Action::SessionDelete(s),
        Action::IssueAll(s),
        Action::IssueAllNow(s),
        Action::NewOrder(None),
        Action::NewOrder(Some(s)),
        Action::Picker(u32::MAX),
        Action::Pick(p),
        Action::PickSession(s),
        Action::SessionsPage(u32::MAX),
        Action::OrderSave,
        Action::CalMonth(2100, 12),
        Action::CalDay(date(2026, 12, 31)),
        Action::CalClear,
        Action::Order(o),
        Action::OrderEdit(o),
        Action::Weigh(o),
        Action::WeighNotAvailable,
        Action::WeighSkip,
        Action::Complete(o, big),
        Action::Reopen(o, big),
        Action::Unissue(o, big),
        Action::IssueMenu(o),
        Action::IssueToday(o, big),
        Action::IssuePickDate(o),
        Action::CustomerText(o),
        Action::SendToCustomer(o),
        Action::OrderDelete(o),
        Action::AdminCancelAsk(o),
        Action::AdminCancel(o, larder_core::flow::CancelReason::CannotDeliver),
        Action::CardBack(o),
        Action::KitchenWeigh(o),
        Action::KitchenKey(o, larder_core::OrderLineId::new(i64::MAX), u32::MAX),
        Action::KitchenWeighed(o, larder_core::OrderLineId::new(i64::MAX), u32::MAX),
        Action::KitchenNotAvailable(o, larder_core::OrderLineId::new(i64::MAX)),
        Action::CourierRelease(o),
        Action::AdminReassignAsk(o),
        Action::AdminReassign(o, TgUserId::new(i64::MAX)),
        Action::EraseCustomer(o),
        Action::EraseCustomerConfirm(o),
        Action::History(o, u32::MAX),
        Action::OrderCancel(o, big),
        Action::OrderRestore(o, big),
        Action::ShopCategory(CategoryId::new(i64::MAX), u32::MAX),
        Action::ShopProduct(p),
        Action::CartAdd(p),
        Action::CartSub(p),
        Action::CartRemove(p),
        Action::Cart,
        Action::Checkout,
        Action::CheckoutMode(true),
        Action::CheckoutMode(false),
        Action::CheckoutLastAddress,
        Action::CheckoutAsap,
        Action::CheckoutSlots(u8::MAX),
        Action::CheckoutSlot(date(2026, 12, 31), 23 * 60 + 59),
        Action::CheckoutSkipComment,
        Action::CheckoutConfirm,
        Action::MyOrders(u32::MAX),
        Action::MyOrder(o),
        Action::MyOrderCancel(o),
        Action::MyOrderCancelYes(o),
        Action::ShopReviews(u32::MAX),
        Action::Rate(o, 5),
        Action::RateDish(o, p, 1),
        Action::FeedbackComment(o),
        Action::FeedbackDone(o),
        Action::KitchenAccept(o),
        Action::KitchenPrepared(o),
        Action::CourierTake(o),
        Action::CourierDelivered(o),
        Action::AdminIssue(o),
        Action::ReviewPublish(o),
        Action::ReviewReject(o),
        Action::StopList(u32::MAX),
        Action::StopProduct(p, true),
        Action::StopCategory(CategoryId::new(i64::MAX), false),
        Action::Staff,
        Action::Deliveries,
        Action::ShopHome,
        Action::ShopProfile,
        Action::ShopSkipEmail,
        Action::ShopForget,
        Action::ShopForgetConfirm,
        Action::ShopLink,
        Action::ShopEdit(CustomerField::FirstName),
        Action::ShopEdit(CustomerField::LastName),
        Action::ShopEdit(CustomerField::Phone),
        Action::ShopEdit(CustomerField::Email),
        Action::Production(s, u32::MAX),
        Action::Stats {
            kind: StatsKind::Pending,
            period: StatsPeriod::Session(s),
            page: u32::MAX,
        },
        Action::Stats {
            kind: StatsKind::Issued,
            period: StatsPeriod::Day(date(2026, 3, 29)),
            page: 0,
        },
        Action::Stats {
            kind: StatsKind::Issued,
            period: StatsPeriod::Month(2026, 10),
            page: 0,
        },
        Action::Stats {
            kind: StatsKind::Issued,
            period: StatsPeriod::All,
            page: 0,
        },
        Action::StatsPickDay(StatsKind::Issued),
        Action::StatsPickDay(StatsKind::Pending),
    ];
    for e in [
        Export::OrdersXlsx,
        Export::OrdersCsv,
        Export::StatsXlsx,
        Export::StatsCsv,
    ] {
        all.push(Action::Download(s, e));
    }
    for u in [Unit::Kg, Unit::Piece] {
        all.push(Action::DraftUnit(u));
        all.push(Action::SetUnit(p, u));
    }
    let c = CategoryId::new(i64::MAX);
    all.extend([
        Action::Categories,
        Action::Category(c),
        Action::NewCategory,
        Action::RenameCategory(c),
        Action::CategoryMove(c, true),
        Action::CategoryHide(c, false),
        Action::CategoryStop(c, true),
        Action::ProductCategory(p),
        Action::SetCategory(p, Some(c)),
        Action::SetCategory(p, None),
        Action::ProductStop(p, false),
        Action::ProductPhotoRemove(p),
    ]);
    for f in [
        Field::Name,
        Field::Price,
        Field::Unit,
        Field::Description,
        Field::PrepTime,
        Field::Photo,
    ] {
        all.push(Action::Edit(p, f));
    }
    for f in [
        SessionField::Name,
        SessionField::Description,
        SessionField::Date,
        SessionField::Place,
    ] {
        all.push(Action::SessionEdit(s, f));
    }
    for status in OrderStatus::ALL {
        all.push(Action::Orders {
            status,
            session: Some(s),
            newest_first: true,
            page: u32::MAX,
        });
        all.push(Action::Orders {
            status,
            session: None,
            newest_first: false,
            page: 0,
        });
    }
    for role in Role::ALL {
        all.push(Action::Invite(role));
        all.push(Action::StaffRemove(TgUserId::new(i64::MAX), role));
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
            all.push(Action::OrderField(t, f));
        }
        all.extend([
            Action::SetDelivery(t, true),
            Action::FeeAuto(t),
            Action::AddLine(t),
            Action::Line(t, big),
            Action::LineQty(t, big),
            Action::LineWeight(t, big),
            Action::LinePack(t, big, pack.clone()),
            Action::LinePack(t, big, None),
            Action::LineRemove(t, big),
            Action::PackAll(t, pack.clone()),
            Action::PackAll(t, None),
            Action::ChooseSession(t),
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
        A::Products { .. } => "Products",
        A::Product(_) => "Product",
        A::NewProduct => "NewProduct",
        A::DraftUnit(_) => "DraftUnit",
        A::DraftSave => "DraftSave",
        A::Edit(..) => "Edit",
        A::SetUnit(..) => "SetUnit",
        A::Archive(_) => "Archive",
        A::Restore(_) => "Restore",
        A::Categories => "Categories",
        A::Category(_) => "Category",
        A::NewCategory => "NewCategory",
        A::RenameCategory(_) => "RenameCategory",
        A::CategoryMove(..) => "CategoryMove",
        A::CategoryHide(..) => "CategoryHide",
        A::CategoryStop(..) => "CategoryStop",
        A::ProductCategory(_) => "ProductCategory",
        A::SetCategory(..) => "SetCategory",
        A::ProductStop(..) => "ProductStop",
        A::ProductPhotoRemove(_) => "ProductPhotoRemove",
        A::Sessions { .. } => "Sessions",
        A::Session(_) => "Session",
        A::NewSession => "NewSession",
        A::SessionEdit(..) => "SessionEdit",
        A::SessionArchive(..) => "SessionArchive",
        A::SessionDelete(_) => "SessionDelete",
        A::IssueAll(_) => "IssueAll",
        A::IssueAllNow(_) => "IssueAllNow",
        A::NewOrder(_) => "NewOrder",
        A::OrderField(..) => "OrderField",
        A::SetDelivery(..) => "SetDelivery",
        A::FeeAuto(_) => "FeeAuto",
        A::AddLine(_) => "AddLine",
        A::Picker(_) => "Picker",
        A::Pick(_) => "Pick",
        A::Line(..) => "Line",
        A::LineQty(..) => "LineQty",
        A::LineWeight(..) => "LineWeight",
        A::LinePack(..) => "LinePack",
        A::LineRemove(..) => "LineRemove",
        A::PackAll(..) => "PackAll",
        A::ChooseSession(_) => "ChooseSession",
        A::PickSession(_) => "PickSession",
        A::SessionsPage(_) => "SessionsPage",
        A::OrderSave => "OrderSave",
        A::CalMonth(..) => "CalMonth",
        A::CalDay(_) => "CalDay",
        A::CalClear => "CalClear",
        A::Orders { .. } => "Orders",
        A::Order(_) => "Order",
        A::OrderEdit(_) => "OrderEdit",
        A::Weigh(_) => "Weigh",
        A::WeighNotAvailable => "WeighNotAvailable",
        A::WeighSkip => "WeighSkip",
        A::Complete(..) => "Complete",
        A::Reopen(..) => "Reopen",
        A::Unissue(..) => "Unissue",
        A::OrderCancel(..) => "OrderCancel",
        A::OrderRestore(..) => "OrderRestore",
        A::ShopCategory(..) => "ShopCategory",
        A::ShopProduct(_) => "ShopProduct",
        A::CartAdd(_) => "CartAdd",
        A::CartSub(_) => "CartSub",
        A::CartRemove(_) => "CartRemove",
        A::Cart => "Cart",
        A::Checkout => "Checkout",
        A::CheckoutMode(_) => "CheckoutMode",
        A::CheckoutLastAddress => "CheckoutLastAddress",
        A::CheckoutAsap => "CheckoutAsap",
        A::CheckoutSlots(_) => "CheckoutSlots",
        A::CheckoutSlot(..) => "CheckoutSlot",
        A::CheckoutSkipComment => "CheckoutSkipComment",
        A::CheckoutConfirm => "CheckoutConfirm",
        A::MyOrders(_) => "MyOrders",
        A::MyOrder(_) => "MyOrder",
        A::MyOrderCancel(_) => "MyOrderCancel",
        A::MyOrderCancelYes(_) => "MyOrderCancelYes",
        A::ShopReviews(_) => "ShopReviews",
        A::Rate(..) => "Rate",
        A::RateDish(..) => "RateDish",
        A::FeedbackComment(_) => "FeedbackComment",
        A::FeedbackDone(_) => "FeedbackDone",
        A::KitchenAccept(_) => "KitchenAccept",
        A::KitchenPrepared(_) => "KitchenPrepared",
        A::CourierTake(_) => "CourierTake",
        A::CourierDelivered(_) => "CourierDelivered",
        A::AdminIssue(_) => "AdminIssue",
        A::ReviewPublish(_) => "ReviewPublish",
        A::ReviewReject(_) => "ReviewReject",
        A::StopList(_) => "StopList",
        A::StopProduct(..) => "StopProduct",
        A::StopCategory(..) => "StopCategory",
        A::IssueMenu(_) => "IssueMenu",
        A::IssueToday(..) => "IssueToday",
        A::IssuePickDate(_) => "IssuePickDate",
        A::CustomerText(_) => "CustomerText",
        A::SendToCustomer(_) => "SendToCustomer",
        A::OrderDelete(_) => "OrderDelete",
        A::AdminCancelAsk(_) => "AdminCancelAsk",
        A::AdminCancel(..) => "AdminCancel",
        A::CardBack(_) => "CardBack",
        A::KitchenWeigh(_) => "KitchenWeigh",
        A::KitchenKey(..) => "KitchenKey",
        A::KitchenWeighed(..) => "KitchenWeighed",
        A::KitchenNotAvailable(..) => "KitchenNotAvailable",
        A::CourierRelease(_) => "CourierRelease",
        A::AdminReassignAsk(_) => "AdminReassignAsk",
        A::AdminReassign(..) => "AdminReassign",
        A::EraseCustomer(_) => "EraseCustomer",
        A::EraseCustomerConfirm(_) => "EraseCustomerConfirm",
        A::History(..) => "History",
        A::Stats { .. } => "Stats",
        A::StatsPickDay(_) => "StatsPickDay",
        A::Production(..) => "Production",
        A::Download(..) => "Download",
        A::ShopHome => "ShopHome",
        A::ShopProfile => "ShopProfile",
        A::ShopEdit(_) => "ShopEdit",
        A::ShopSkipEmail => "ShopSkipEmail",
        A::ShopForget => "ShopForget",
        A::ShopForgetConfirm => "ShopForgetConfirm",
        A::ShopLink => "ShopLink",
        A::Staff => "Staff",
        A::Invite(_) => "Invite",
        A::StaffRemove(..) => "StaffRemove",
        A::Deliveries => "Deliveries",
    }
}

const VARIANTS: usize = 130;

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
