//! Encoding and decoding of [`Action`]s.

use crate::action::{CardAction, DeskAction, ShopAction};
use jiff::civil::Date;
use larder_core::flow::CancelReason;
use larder_core::{
    CategoryId, OrderId, OrderLineId, OrderStatus, ProductId, Role, SessionId, TgUserId, Unit,
};

use super::{
    Action, CustomerField, Export, Field, OrderField, SessionField, StatsKind, StatsPeriod, Target,
    VERSION,
};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("payload of another version")]
    Outdated,
    #[error("payload does not parse")]
    Invalid,
}

/// A small enum written as one short code.
trait Code: Sized + Copy + 'static {
    const ALL: &'static [(Self, &'static str)];
    fn code(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL
            .iter()
            .find(|(v, _)| *v == self)
            .map_or("?", |(_, c)| c)
    }
    fn parse(s: &str) -> Result<Self, DecodeError> {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == s)
            .map(|(v, _)| *v)
            .ok_or(DecodeError::Invalid)
    }
}

impl Code for Unit {
    const ALL: &'static [(Self, &'static str)] = &[(Unit::Kg, "k"), (Unit::Piece, "p")];
}
impl Code for Field {
    const ALL: &'static [(Self, &'static str)] = &[
        (Field::Name, "n"),
        (Field::Price, "p"),
        (Field::Unit, "u"),
        (Field::Description, "d"),
        (Field::PrepTime, "t"),
        (Field::Photo, "f"),
    ];
}
impl Code for SessionField {
    const ALL: &'static [(Self, &'static str)] = &[
        (SessionField::Name, "n"),
        (SessionField::Description, "d"),
        (SessionField::Date, "t"),
        (SessionField::Place, "p"),
    ];
}
impl Code for OrderField {
    const ALL: &'static [(Self, &'static str)] = &[
        (OrderField::ClientName, "n"),
        (OrderField::Phone, "p"),
        (OrderField::Address, "a"),
        (OrderField::Date, "d"),
        (OrderField::Time, "t"),
        (OrderField::Discount, "c"),
        (OrderField::Note, "o"),
        (OrderField::Fee, "f"),
    ];
}
impl Code for CustomerField {
    const ALL: &'static [(Self, &'static str)] = &[
        (CustomerField::FirstName, "f"),
        (CustomerField::LastName, "l"),
        (CustomerField::Phone, "p"),
        (CustomerField::Email, "e"),
    ];
}
impl Code for StatsKind {
    const ALL: &'static [(Self, &'static str)] =
        &[(StatsKind::Issued, "i"), (StatsKind::Pending, "p")];
}
impl Code for Export {
    const ALL: &'static [(Self, &'static str)] = &[
        (Export::OrdersXlsx, "ox"),
        (Export::OrdersCsv, "oc"),
        (Export::StatsXlsx, "sx"),
        (Export::StatsCsv, "sc"),
        (Export::SheetsPdf, "sp"),
    ];
}
impl Code for OrderStatus {
    const ALL: &'static [(Self, &'static str)] = &[
        (OrderStatus::Processing, "p"),
        (OrderStatus::Completed, "c"),
        (OrderStatus::Issued, "i"),
        (OrderStatus::Cancelled, "x"),
    ];
}
impl Code for Role {
    const ALL: &'static [(Self, &'static str)] = &[
        (Role::Owner, "o"),
        (Role::Manager, "m"),
        (Role::Cook, "c"),
        (Role::Courier, "r"),
        (Role::Admin, "a"),
    ];
}

/// Arguments being written.
struct Out(Vec<String>);

impl Out {
    fn n(mut self, v: impl ToString) -> Self {
        self.0.push(v.to_string());
        self
    }
    fn c<T: Code + PartialEq>(self, v: T) -> Self {
        self.n(v.code())
    }
    fn b(self, v: bool) -> Self {
        self.n(u8::from(v))
    }
    fn t(self, t: Target) -> Self {
        match t {
            Target::Draft => self.n("d"),
            Target::Order(id) => self.n(id.get()),
        }
    }
    fn period(self, p: StatsPeriod) -> Self {
        match p {
            StatsPeriod::Day(d) => self.n("d").n(d.strftime("%Y%m%d")),
            StatsPeriod::Month(y, m) => self.n("m").n(format!("{y:04}{m:02}")),
            StatsPeriod::All => self.n("a").n("0"),
            StatsPeriod::Session(s) => self.n("s").n(s.get()),
        }
    }
    fn opt(self, v: Option<&str>) -> Self {
        self.n(v.unwrap_or("-"))
    }
}

impl Action {
    pub fn encode(&self) -> String {
        let o = Out(Vec::new());
        let (tag, args) = match self {
            Action::Noop => ("_", o),
            Action::PageEnd { last } => ("e", o.b(*last)),
            Action::Menu => ("m", o),
            Action::Cancel => ("x", o),
            Action::Desk(DeskAction::Products { archived, page }) => ("pl", o.b(*archived).n(page)),
            Action::Desk(DeskAction::Product(p)) => ("p", o.n(p.get())),
            Action::Desk(DeskAction::NewProduct) => ("pn", o),
            Action::Desk(DeskAction::DraftUnit(u)) => ("pu", o.c(*u)),
            Action::Desk(DeskAction::DraftSave) => ("ps", o),
            Action::Desk(DeskAction::Edit(p, f)) => ("pe", o.n(p.get()).c(*f)),
            Action::Desk(DeskAction::SetUnit(p, u)) => ("pU", o.n(p.get()).c(*u)),
            Action::Desk(DeskAction::Archive(p)) => ("pa", o.n(p.get())),
            Action::Desk(DeskAction::Restore(p)) => ("pr", o.n(p.get())),
            Action::Desk(DeskAction::Categories) => ("cl", o),
            Action::Desk(DeskAction::Category(c)) => ("c", o.n(c.get())),
            Action::Desk(DeskAction::NewCategory) => ("cn", o),
            Action::Desk(DeskAction::RenameCategory(c)) => ("cr", o.n(c.get())),
            Action::Desk(DeskAction::CategoryMove(c, up)) => ("cv", o.n(c.get()).b(*up)),
            Action::Desk(DeskAction::CategoryHide(c, h)) => ("ch", o.n(c.get()).b(*h)),
            Action::Desk(DeskAction::CategoryStop(c, s)) => ("ca", o.n(c.get()).b(*s)),
            Action::Desk(DeskAction::ProductCategory(p)) => ("pc", o.n(p.get())),
            Action::Desk(DeskAction::SetCategory(p, c)) => {
                ("pC", o.n(p.get()).n(c.map_or(0, CategoryId::get)))
            }
            Action::Desk(DeskAction::ProductStop(p, s)) => ("pS", o.n(p.get()).b(*s)),
            Action::Desk(DeskAction::ProductPhotoRemove(p)) => ("pR", o.n(p.get())),
            Action::Desk(DeskAction::Sessions { archived, page }) => ("sl", o.b(*archived).n(page)),
            Action::Desk(DeskAction::Session(s)) => ("s", o.n(s.get())),
            Action::Desk(DeskAction::NewSession) => ("sn", o),
            Action::Desk(DeskAction::SessionEdit(s, f)) => ("se", o.n(s.get()).c(*f)),
            Action::Desk(DeskAction::SessionArchive(s, a)) => ("sa", o.n(s.get()).b(*a)),
            Action::Desk(DeskAction::SessionDelete(s)) => ("sx", o.n(s.get())),
            Action::Desk(DeskAction::IssueAll(s)) => ("si", o.n(s.get())),
            Action::Desk(DeskAction::IssueAllNow(s)) => ("sI", o.n(s.get())),
            Action::Desk(DeskAction::IssueAllOn(s, d)) => {
                ("sJ", o.n(s.get()).n(d.strftime("%Y%m%d")))
            }
            Action::Desk(DeskAction::IssueAllPickDate(s)) => ("sK", o.n(s.get())),
            Action::Desk(DeskAction::NewOrder(s)) => ("on", o.n(s.map_or(0, SessionId::get))),
            Action::Desk(DeskAction::OrderField(t, f)) => ("f", o.t(*t).c(*f)),
            Action::Desk(DeskAction::SetDelivery(t, d)) => ("dv", o.t(*t).b(*d)),
            Action::Desk(DeskAction::FeeAuto(t)) => ("fa", o.t(*t)),
            Action::Desk(DeskAction::AddLine(t)) => ("al", o.t(*t)),
            Action::Desk(DeskAction::Picker(page)) => ("pk", o.n(page)),
            Action::Desk(DeskAction::Pick(p)) => ("pp", o.n(p.get())),
            Action::Desk(DeskAction::Line(t, k)) => ("li", o.t(*t).n(k)),
            Action::Desk(DeskAction::LineQty(t, k)) => ("lq", o.t(*t).n(k)),
            Action::Desk(DeskAction::LineWeight(t, k)) => ("lw", o.t(*t).n(k)),
            Action::Desk(DeskAction::LinePack(t, k, p)) => ("lp", o.t(*t).n(k).opt(p.as_deref())),
            Action::Desk(DeskAction::LineRemove(t, k)) => ("lr", o.t(*t).n(k)),
            Action::Desk(DeskAction::LineRemoveSure(t, k)) => ("lR", o.t(*t).n(k)),
            Action::Desk(DeskAction::PackAll(t, p)) => ("pA", o.t(*t).opt(p.as_deref())),
            Action::Desk(DeskAction::ChooseSession(t)) => ("cs", o.t(*t)),
            Action::Desk(DeskAction::PickSession(s)) => ("cp", o.n(s.get())),
            Action::Desk(DeskAction::SessionsPage(p)) => ("cP", o.n(p)),
            Action::Desk(DeskAction::OrderSave) => ("os", o),
            Action::Desk(DeskAction::CalMonth(y, m)) => ("cm", o.n(y).n(m)),
            Action::Desk(DeskAction::CalDay(d)) => ("cd", o.n(d.strftime("%Y%m%d"))),
            Action::Desk(DeskAction::CalClear) => ("cc", o),
            Action::Desk(DeskAction::Orders {
                status,
                session,
                newest_first,
                page,
            }) => (
                "ol",
                o.c(*status)
                    .n(session.map_or(0, SessionId::get))
                    .b(*newest_first)
                    .n(page),
            ),
            Action::Desk(DeskAction::Order(id)) => ("o", o.n(id.get())),
            Action::Desk(DeskAction::OrderEdit(id)) => ("oe", o.n(id.get())),
            Action::Desk(DeskAction::Weigh(id)) => ("ow", o.n(id.get())),
            Action::Desk(DeskAction::LinesPage(p)) => ("lP", o.n(p)),
            Action::Desk(DeskAction::SureQuantity(q)) => ("qS", o.n(q)),
            Action::Desk(DeskAction::WeighNotAvailable) => ("wn", o),
            Action::Desk(DeskAction::WeighSkip) => ("wk", o),
            Action::Desk(DeskAction::Complete(id, v)) => ("oc", o.n(id.get()).n(v)),
            Action::Desk(DeskAction::Reopen(id, v)) => ("or", o.n(id.get()).n(v)),
            Action::Desk(DeskAction::Unissue(id, v)) => ("ou", o.n(id.get()).n(v)),
            Action::Desk(DeskAction::OrderCancel(id, v)) => ("oX", o.n(id.get()).n(v)),
            Action::Desk(DeskAction::OrderRestore(id, v)) => ("oR", o.n(id.get()).n(v)),
            Action::Desk(DeskAction::IssueMenu(id)) => ("oi", o.n(id.get())),
            Action::Desk(DeskAction::IssueToday(id, v)) => ("oI", o.n(id.get()).n(v)),
            Action::Desk(DeskAction::IssuePickDate(id)) => ("oD", o.n(id.get())),
            Action::Desk(DeskAction::CustomerText(id)) => ("ot", o.n(id.get())),
            Action::Desk(DeskAction::SendToCustomer(id)) => ("oS", o.n(id.get())),
            Action::Desk(DeskAction::OrderDelete(id)) => ("ox", o.n(id.get())),
            Action::Desk(DeskAction::EraseCustomer(id)) => ("oE", o.n(id.get())),
            Action::Desk(DeskAction::EraseCustomerConfirm(id)) => ("oF", o.n(id.get())),
            Action::Desk(DeskAction::History(id, p)) => ("oh", o.n(id.get()).n(p)),
            Action::Desk(DeskAction::Stats { kind, period, page }) => {
                ("ts", o.c(*kind).period(*period).n(page))
            }
            Action::Desk(DeskAction::StatsPickDay(kind)) => ("td", o.c(*kind)),
            Action::Desk(DeskAction::Production(s, page)) => ("tp", o.n(s.get()).n(page)),
            Action::Desk(DeskAction::Download(s, e)) => ("dl", o.n(s.get()).c(*e)),
            Action::Desk(DeskAction::DownloadPeriod(k, p)) => ("dP", o.c(*k).period(*p)),
            Action::Shop(ShopAction::ShopHome) => ("yh", o),
            Action::Shop(ShopAction::ShopPage(p)) => ("yg", o.n(p)),
            Action::Shop(ShopAction::ShopProfile) => ("yp", o),
            Action::Shop(ShopAction::ShopEdit(f)) => ("ye", o.c(*f)),
            Action::Shop(ShopAction::ShopSkipEmail) => ("ys", o),
            Action::Shop(ShopAction::ShopForget) => ("yf", o),
            Action::Shop(ShopAction::ShopForgetConfirm) => ("yF", o),
            Action::Shop(ShopAction::ShopLink) => ("yK", o),
            Action::Shop(ShopAction::ShopUnlink) => ("yU", o),
            Action::Shop(ShopAction::ShopUnlinkYes) => ("yV", o),
            Action::Shop(ShopAction::ShopCategory(c, p)) => ("yc", o.n(c.get()).n(p)),
            Action::Shop(ShopAction::ShopProduct(p)) => ("yd", o.n(p.get())),
            Action::Shop(ShopAction::CartAdd(p)) => ("y+", o.n(p.get())),
            Action::Shop(ShopAction::CartSub(p)) => ("y-", o.n(p.get())),
            Action::Shop(ShopAction::CartRemove(p)) => ("yr", o.n(p.get())),
            Action::Shop(ShopAction::Cart) => ("yk", o),
            Action::Shop(ShopAction::Checkout) => ("yo", o),
            Action::Shop(ShopAction::CheckoutMode(b)) => ("ym", o.b(*b)),
            Action::Shop(ShopAction::CheckoutLastAddress) => ("ya", o),
            Action::Shop(ShopAction::CheckoutAsap) => ("yn", o),
            Action::Shop(ShopAction::CheckoutSlots(d)) => ("yl", o.n(d)),
            Action::Shop(ShopAction::CheckoutSlotGroup(d, m)) => ("yL", o.n(d).n(m)),
            Action::Shop(ShopAction::CheckoutSlot(d, m)) => ("yt", o.n(d.strftime("%Y%m%d")).n(m)),
            Action::Shop(ShopAction::CheckoutSkipComment) => ("yC", o),
            Action::Shop(ShopAction::CheckoutConfirm) => ("yY", o),
            Action::Shop(ShopAction::MyOrders(p)) => ("yO", o.n(p)),
            Action::Shop(ShopAction::MyOrder(id)) => ("yq", o.n(id.get())),
            Action::Shop(ShopAction::MyOrderCancel(id)) => ("yx", o.n(id.get())),
            Action::Shop(ShopAction::MyOrderCancelYes(id)) => ("yX", o.n(id.get())),
            Action::Shop(ShopAction::ShopReviews(p)) => ("yv", o.n(p)),
            Action::Shop(ShopAction::Rate(id, n)) => ("ga", o.n(id.get()).n(n)),
            Action::Shop(ShopAction::RateDish(id, p, n)) => ("gd", o.n(id.get()).n(p.get()).n(n)),
            Action::Shop(ShopAction::FeedbackComment(id)) => ("gc", o.n(id.get())),
            Action::Shop(ShopAction::FeedbackDone(id)) => ("gD", o.n(id.get())),
            Action::Card(CardAction::KitchenAccept(id)) => ("ka", o.n(id.get())),
            Action::Card(CardAction::KitchenPrepared(id)) => ("kp", o.n(id.get())),
            Action::Card(CardAction::KitchenWeigh(id)) => ("kw", o.n(id.get())),
            Action::Card(CardAction::KitchenKey(id, l, g)) => ("kk", o.n(id.get()).n(l.get()).n(g)),
            Action::Card(CardAction::KitchenWeighed(id, l, g)) => {
                ("kW", o.n(id.get()).n(l.get()).n(g))
            }
            Action::Card(CardAction::KitchenNotAvailable(id, l)) => {
                ("kn", o.n(id.get()).n(l.get()))
            }
            Action::Card(CardAction::CourierTake(id)) => ("kt", o.n(id.get())),
            Action::Card(CardAction::CourierDelivered(id)) => ("kd", o.n(id.get())),
            Action::Card(CardAction::CourierRelease(id)) => ("kr", o.n(id.get())),
            Action::Card(CardAction::AdminIssue(id)) => ("ki", o.n(id.get())),
            Action::Card(CardAction::AdminCancelAsk(id)) => ("kx", o.n(id.get())),
            Action::Card(CardAction::AdminCancel(id, r)) => ("kX", o.n(id.get()).n(r.code())),
            Action::Card(CardAction::CardBack(id)) => ("kb", o.n(id.get())),
            Action::Card(CardAction::AdminReassignAsk(id)) => ("kg", o.n(id.get())),
            Action::Card(CardAction::AdminReassign(id, u)) => ("kG", o.n(id.get()).n(u.get())),
            Action::Card(CardAction::ReviewPublish(id)) => ("kP", o.n(id.get())),
            Action::Card(CardAction::ReviewReject(id)) => ("kR", o.n(id.get())),
            Action::Card(CardAction::StopList(p)) => ("kl", o.n(p)),
            Action::Card(CardAction::StopProduct(p, b)) => ("ks", o.n(p.get()).b(*b)),
            Action::Card(CardAction::StopCategory(c, b)) => ("kc", o.n(c.get()).b(*b)),
            Action::Desk(DeskAction::Staff) => ("st", o),
            Action::Desk(DeskAction::Invite(r)) => ("iv", o.c(*r)),
            Action::Desk(DeskAction::StaffRemove(u, r)) => ("sr", o.n(u.get()).c(*r)),
            Action::Desk(DeskAction::StaffRemoveConfirm(u, r)) => ("sR", o.n(u.get()).c(*r)),
            Action::Desk(DeskAction::Deliveries) => ("sD", o),
        };
        let mut out = String::with_capacity(24);
        out.push(VERSION);
        out.push_str(tag);
        for a in args.0 {
            out.push(':');
            out.push_str(&a);
        }
        out
    }

    pub fn decode(data: &str) -> Result<Action, DecodeError> {
        let mut chars = data.chars();
        match chars.next() {
            Some(VERSION) => {}
            Some(c) if c.is_ascii_digit() => return Err(DecodeError::Outdated),
            _ => return Err(DecodeError::Invalid),
        }
        let mut parts = chars.as_str().split(':');
        let tag = parts.next().ok_or(DecodeError::Invalid)?;
        let a: Vec<&str> = parts.collect();
        use Action as A;
        let action = match (tag, a.as_slice()) {
            ("_", []) => A::Noop,
            ("e", [l]) => A::PageEnd { last: flag(l)? },
            ("m", []) => A::Menu,
            ("x", []) => A::Cancel,
            ("pl", [ar, p]) => A::Desk(DeskAction::Products {
                archived: flag(ar)?,
                page: num(p)?,
            }),
            ("p", [p]) => A::Desk(DeskAction::Product(ProductId::new(num(p)?))),
            ("pn", []) => A::Desk(DeskAction::NewProduct),
            ("pu", [u]) => A::Desk(DeskAction::DraftUnit(Code::parse(u)?)),
            ("ps", []) => A::Desk(DeskAction::DraftSave),
            ("pe", [p, f]) => A::Desk(DeskAction::Edit(ProductId::new(num(p)?), Code::parse(f)?)),
            ("pU", [p, u]) => A::Desk(DeskAction::SetUnit(
                ProductId::new(num(p)?),
                Code::parse(u)?,
            )),
            ("pa", [p]) => A::Desk(DeskAction::Archive(ProductId::new(num(p)?))),
            ("pr", [p]) => A::Desk(DeskAction::Restore(ProductId::new(num(p)?))),
            ("cl", []) => A::Desk(DeskAction::Categories),
            ("c", [c]) => A::Desk(DeskAction::Category(cid(c)?)),
            ("cn", []) => A::Desk(DeskAction::NewCategory),
            ("cr", [c]) => A::Desk(DeskAction::RenameCategory(cid(c)?)),
            ("cv", [c, b]) => A::Desk(DeskAction::CategoryMove(cid(c)?, flag(b)?)),
            ("ch", [c, b]) => A::Desk(DeskAction::CategoryHide(cid(c)?, flag(b)?)),
            ("ca", [c, b]) => A::Desk(DeskAction::CategoryStop(cid(c)?, flag(b)?)),
            ("pc", [p]) => A::Desk(DeskAction::ProductCategory(ProductId::new(num(p)?))),
            ("pC", [p, c]) => {
                let c: i64 = num(c)?;
                A::Desk(DeskAction::SetCategory(
                    ProductId::new(num(p)?),
                    (c != 0).then(|| CategoryId::new(c)),
                ))
            }
            ("pS", [p, b]) => A::Desk(DeskAction::ProductStop(ProductId::new(num(p)?), flag(b)?)),
            ("pR", [p]) => A::Desk(DeskAction::ProductPhotoRemove(ProductId::new(num(p)?))),
            ("sl", [ar, p]) => A::Desk(DeskAction::Sessions {
                archived: flag(ar)?,
                page: num(p)?,
            }),
            ("s", [s]) => A::Desk(DeskAction::Session(sid(s)?)),
            ("sn", []) => A::Desk(DeskAction::NewSession),
            ("se", [s, f]) => A::Desk(DeskAction::SessionEdit(sid(s)?, Code::parse(f)?)),
            ("sa", [s, b]) => A::Desk(DeskAction::SessionArchive(sid(s)?, flag(b)?)),
            ("sx", [s]) => A::Desk(DeskAction::SessionDelete(sid(s)?)),
            ("si", [s]) => A::Desk(DeskAction::IssueAll(sid(s)?)),
            ("sI", [s]) => A::Desk(DeskAction::IssueAllNow(sid(s)?)),
            ("sJ", [s, d]) => A::Desk(DeskAction::IssueAllOn(sid(s)?, date(d)?)),
            ("sK", [s]) => A::Desk(DeskAction::IssueAllPickDate(sid(s)?)),
            ("on", [s]) => A::Desk(DeskAction::NewOrder(opt_sid(s)?)),
            ("f", [t, f]) => A::Desk(DeskAction::OrderField(target(t)?, Code::parse(f)?)),
            ("dv", [t, b]) => A::Desk(DeskAction::SetDelivery(target(t)?, flag(b)?)),
            ("fa", [t]) => A::Desk(DeskAction::FeeAuto(target(t)?)),
            ("al", [t]) => A::Desk(DeskAction::AddLine(target(t)?)),
            ("pk", [p]) => A::Desk(DeskAction::Picker(num(p)?)),
            ("pp", [p]) => A::Desk(DeskAction::Pick(ProductId::new(num(p)?))),
            ("li", [t, k]) => A::Desk(DeskAction::Line(target(t)?, num(k)?)),
            ("lq", [t, k]) => A::Desk(DeskAction::LineQty(target(t)?, num(k)?)),
            ("lw", [t, k]) => A::Desk(DeskAction::LineWeight(target(t)?, num(k)?)),
            ("lp", [t, k, p]) => A::Desk(DeskAction::LinePack(target(t)?, num(k)?, packing(p)?)),
            ("lr", [t, k]) => A::Desk(DeskAction::LineRemove(target(t)?, num(k)?)),
            ("lR", [t, k]) => A::Desk(DeskAction::LineRemoveSure(target(t)?, num(k)?)),
            ("pA", [t, p]) => A::Desk(DeskAction::PackAll(target(t)?, packing(p)?)),
            ("cs", [t]) => A::Desk(DeskAction::ChooseSession(target(t)?)),
            ("cp", [s]) => A::Desk(DeskAction::PickSession(sid(s)?)),
            ("cP", [p]) => A::Desk(DeskAction::SessionsPage(num(p)?)),
            ("os", []) => A::Desk(DeskAction::OrderSave),
            ("cm", [y, m]) => A::Desk(DeskAction::CalMonth(num(y)?, num(m)?)),
            ("cd", [d]) => A::Desk(DeskAction::CalDay(date(d)?)),
            ("cc", []) => A::Desk(DeskAction::CalClear),
            ("ol", [st, s, b, p]) => A::Desk(DeskAction::Orders {
                status: Code::parse(st)?,
                session: opt_sid(s)?,
                newest_first: flag(b)?,
                page: num(p)?,
            }),
            ("o", [o]) => A::Desk(DeskAction::Order(oid(o)?)),
            ("oe", [o]) => A::Desk(DeskAction::OrderEdit(oid(o)?)),
            ("ow", [o]) => A::Desk(DeskAction::Weigh(oid(o)?)),
            ("lP", [p]) => A::Desk(DeskAction::LinesPage(num(p)?)),
            ("qS", [q]) => A::Desk(DeskAction::SureQuantity(num(q)?)),
            ("wn", []) => A::Desk(DeskAction::WeighNotAvailable),
            ("wk", []) => A::Desk(DeskAction::WeighSkip),
            ("oc", [o, v]) => A::Desk(DeskAction::Complete(oid(o)?, num(v)?)),
            ("or", [o, v]) => A::Desk(DeskAction::Reopen(oid(o)?, num(v)?)),
            ("ou", [o, v]) => A::Desk(DeskAction::Unissue(oid(o)?, num(v)?)),
            ("oX", [o, v]) => A::Desk(DeskAction::OrderCancel(oid(o)?, num(v)?)),
            ("oR", [o, v]) => A::Desk(DeskAction::OrderRestore(oid(o)?, num(v)?)),
            ("oi", [o]) => A::Desk(DeskAction::IssueMenu(oid(o)?)),
            ("oI", [o, v]) => A::Desk(DeskAction::IssueToday(oid(o)?, num(v)?)),
            ("oD", [o]) => A::Desk(DeskAction::IssuePickDate(oid(o)?)),
            ("ot", [o]) => A::Desk(DeskAction::CustomerText(oid(o)?)),
            ("oS", [o]) => A::Desk(DeskAction::SendToCustomer(oid(o)?)),
            ("ox", [o]) => A::Desk(DeskAction::OrderDelete(oid(o)?)),
            ("oE", [o]) => A::Desk(DeskAction::EraseCustomer(oid(o)?)),
            ("oF", [o]) => A::Desk(DeskAction::EraseCustomerConfirm(oid(o)?)),
            ("oh", [o, p]) => A::Desk(DeskAction::History(oid(o)?, num(p)?)),
            ("ts", [k, pk, pv, p]) => A::Desk(DeskAction::Stats {
                kind: Code::parse(k)?,
                period: period(pk, pv)?,
                page: num(p)?,
            }),
            ("td", [k]) => A::Desk(DeskAction::StatsPickDay(Code::parse(k)?)),
            ("tp", [s, p]) => A::Desk(DeskAction::Production(sid(s)?, num(p)?)),
            ("dl", [s, e]) => A::Desk(DeskAction::Download(sid(s)?, Code::parse(e)?)),
            ("dP", [k, pk, pv]) => {
                A::Desk(DeskAction::DownloadPeriod(Code::parse(k)?, period(pk, pv)?))
            }
            ("yh", []) => A::Shop(ShopAction::ShopHome),
            ("yg", [p]) => A::Shop(ShopAction::ShopPage(num(p)?)),
            ("yp", []) => A::Shop(ShopAction::ShopProfile),
            ("ye", [f]) => A::Shop(ShopAction::ShopEdit(Code::parse(f)?)),
            ("ys", []) => A::Shop(ShopAction::ShopSkipEmail),
            ("yf", []) => A::Shop(ShopAction::ShopForget),
            ("yF", []) => A::Shop(ShopAction::ShopForgetConfirm),
            ("yK", []) => A::Shop(ShopAction::ShopLink),
            ("yU", []) => A::Shop(ShopAction::ShopUnlink),
            ("yV", []) => A::Shop(ShopAction::ShopUnlinkYes),
            ("yc", [c, p]) => A::Shop(ShopAction::ShopCategory(cid(c)?, num(p)?)),
            ("yd", [p]) => A::Shop(ShopAction::ShopProduct(pid(p)?)),
            ("y+", [p]) => A::Shop(ShopAction::CartAdd(pid(p)?)),
            ("y-", [p]) => A::Shop(ShopAction::CartSub(pid(p)?)),
            ("yr", [p]) => A::Shop(ShopAction::CartRemove(pid(p)?)),
            ("yk", []) => A::Shop(ShopAction::Cart),
            ("yo", []) => A::Shop(ShopAction::Checkout),
            ("ym", [b]) => A::Shop(ShopAction::CheckoutMode(flag(b)?)),
            ("ya", []) => A::Shop(ShopAction::CheckoutLastAddress),
            ("yn", []) => A::Shop(ShopAction::CheckoutAsap),
            ("yl", [d]) => A::Shop(ShopAction::CheckoutSlots(num(d)?)),
            ("yL", [d, m]) => {
                let minutes: u16 = num(m)?;
                if minutes >= 24 * 60 {
                    return Err(DecodeError::Invalid);
                }
                A::Shop(ShopAction::CheckoutSlotGroup(num(d)?, minutes))
            }
            ("yt", [d, m]) => {
                let minutes: u16 = num(m)?;
                if minutes >= 24 * 60 {
                    return Err(DecodeError::Invalid);
                }
                A::Shop(ShopAction::CheckoutSlot(date(d)?, minutes))
            }
            ("yC", []) => A::Shop(ShopAction::CheckoutSkipComment),
            ("yY", []) => A::Shop(ShopAction::CheckoutConfirm),
            ("yO", [p]) => A::Shop(ShopAction::MyOrders(num(p)?)),
            ("yq", [o]) => A::Shop(ShopAction::MyOrder(oid(o)?)),
            ("yx", [o]) => A::Shop(ShopAction::MyOrderCancel(oid(o)?)),
            ("yX", [o]) => A::Shop(ShopAction::MyOrderCancelYes(oid(o)?)),
            ("yv", [p]) => A::Shop(ShopAction::ShopReviews(num(p)?)),
            ("ga", [o, n]) => A::Shop(ShopAction::Rate(oid(o)?, stars(n)?)),
            ("gd", [o, p, n]) => A::Shop(ShopAction::RateDish(oid(o)?, pid(p)?, stars(n)?)),
            ("gc", [o]) => A::Shop(ShopAction::FeedbackComment(oid(o)?)),
            ("gD", [o]) => A::Shop(ShopAction::FeedbackDone(oid(o)?)),
            ("ka", [o]) => A::Card(CardAction::KitchenAccept(oid(o)?)),
            ("kp", [o]) => A::Card(CardAction::KitchenPrepared(oid(o)?)),
            ("kw", [o]) => A::Card(CardAction::KitchenWeigh(oid(o)?)),
            ("kk", [o, l, g]) => A::Card(CardAction::KitchenKey(oid(o)?, lid(l)?, num(g)?)),
            ("kW", [o, l, g]) => A::Card(CardAction::KitchenWeighed(oid(o)?, lid(l)?, num(g)?)),
            ("kn", [o, l]) => A::Card(CardAction::KitchenNotAvailable(oid(o)?, lid(l)?)),
            ("kt", [o]) => A::Card(CardAction::CourierTake(oid(o)?)),
            ("kd", [o]) => A::Card(CardAction::CourierDelivered(oid(o)?)),
            ("kr", [o]) => A::Card(CardAction::CourierRelease(oid(o)?)),
            ("ki", [o]) => A::Card(CardAction::AdminIssue(oid(o)?)),
            ("kx", [o]) => A::Card(CardAction::AdminCancelAsk(oid(o)?)),
            ("kX", [o, r]) => A::Card(CardAction::AdminCancel(
                oid(o)?,
                CancelReason::from_code(num(r)?).ok_or(DecodeError::Invalid)?,
            )),
            ("kb", [o]) => A::Card(CardAction::CardBack(oid(o)?)),
            ("kg", [o]) => A::Card(CardAction::AdminReassignAsk(oid(o)?)),
            ("kG", [o, u]) => A::Card(CardAction::AdminReassign(oid(o)?, TgUserId::new(num(u)?))),
            ("kP", [o]) => A::Card(CardAction::ReviewPublish(oid(o)?)),
            ("kR", [o]) => A::Card(CardAction::ReviewReject(oid(o)?)),
            ("kl", [p]) => A::Card(CardAction::StopList(num(p)?)),
            ("ks", [p, b]) => A::Card(CardAction::StopProduct(pid(p)?, flag(b)?)),
            ("kc", [c, b]) => A::Card(CardAction::StopCategory(cid(c)?, flag(b)?)),
            ("st", []) => A::Desk(DeskAction::Staff),
            ("iv", [r]) => A::Desk(DeskAction::Invite(Code::parse(r)?)),
            ("sr", [u, r]) => A::Desk(DeskAction::StaffRemove(
                TgUserId::new(num(u)?),
                Code::parse(r)?,
            )),
            ("sR", [u, r]) => A::Desk(DeskAction::StaffRemoveConfirm(
                TgUserId::new(num(u)?),
                Code::parse(r)?,
            )),
            ("sD", []) => A::Desk(DeskAction::Deliveries),
            _ => return Err(DecodeError::Invalid),
        };
        Ok(action)
    }
}

/// Canonical non-negative decimal: no sign, no leading zeros.
fn num<T: std::str::FromStr>(s: &str) -> Result<T, DecodeError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return Err(DecodeError::Invalid);
    }
    s.parse().map_err(|_| DecodeError::Invalid)
}

fn flag(s: &str) -> Result<bool, DecodeError> {
    match s {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(DecodeError::Invalid),
    }
}

fn cid(s: &str) -> Result<CategoryId, DecodeError> {
    Ok(CategoryId::new(num(s)?))
}

fn pid(s: &str) -> Result<ProductId, DecodeError> {
    Ok(ProductId::new(num(s)?))
}

/// A rating of 1 to 5 stars.
fn stars(s: &str) -> Result<u8, DecodeError> {
    match num(s)? {
        n @ 1..=5 => Ok(n),
        _ => Err(DecodeError::Invalid),
    }
}

fn sid(s: &str) -> Result<SessionId, DecodeError> {
    Ok(SessionId::new(num(s)?))
}

fn opt_sid(s: &str) -> Result<Option<SessionId>, DecodeError> {
    let id: i64 = num(s)?;
    Ok((id != 0).then(|| SessionId::new(id)))
}

fn oid(s: &str) -> Result<OrderId, DecodeError> {
    Ok(OrderId::new(num(s)?))
}

fn lid(s: &str) -> Result<OrderLineId, DecodeError> {
    Ok(OrderLineId::new(num(s)?))
}

fn target(s: &str) -> Result<Target, DecodeError> {
    if s == "d" {
        Ok(Target::Draft)
    } else {
        Ok(Target::Order(oid(s)?))
    }
}

fn packing(s: &str) -> Result<Option<String>, DecodeError> {
    if s == "-" {
        return Ok(None);
    }
    let valid = !s.is_empty()
        && s.len() <= 16
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if valid {
        Ok(Some(s.to_owned()))
    } else {
        Err(DecodeError::Invalid)
    }
}

fn period(kind: &str, value: &str) -> Result<StatsPeriod, DecodeError> {
    match kind {
        "d" => Ok(StatsPeriod::Day(date(value)?)),
        "m" if value.len() == 6 => {
            let year: i16 = num(&value[..4])?;
            let month: i8 = value[4..]
                .trim_start_matches('0')
                .parse()
                .map_err(|_| DecodeError::Invalid)?;
            if (1..=12).contains(&month) {
                Ok(StatsPeriod::Month(year, month))
            } else {
                Err(DecodeError::Invalid)
            }
        }
        "a" if value == "0" => Ok(StatsPeriod::All),
        "s" => Ok(StatsPeriod::Session(sid(value)?)),
        _ => Err(DecodeError::Invalid),
    }
}

fn date(s: &str) -> Result<Date, DecodeError> {
    if s.len() != 8 {
        return Err(DecodeError::Invalid);
    }
    Date::strptime("%Y%m%d", s).map_err(|_| DecodeError::Invalid)
}
