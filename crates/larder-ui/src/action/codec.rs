//! Encoding and decoding of [`Action`]s.

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
            Action::Products { archived, page } => ("pl", o.b(*archived).n(page)),
            Action::Product(p) => ("p", o.n(p.get())),
            Action::NewProduct => ("pn", o),
            Action::DraftUnit(u) => ("pu", o.c(*u)),
            Action::DraftSave => ("ps", o),
            Action::Edit(p, f) => ("pe", o.n(p.get()).c(*f)),
            Action::SetUnit(p, u) => ("pU", o.n(p.get()).c(*u)),
            Action::Archive(p) => ("pa", o.n(p.get())),
            Action::Restore(p) => ("pr", o.n(p.get())),
            Action::Categories => ("cl", o),
            Action::Category(c) => ("c", o.n(c.get())),
            Action::NewCategory => ("cn", o),
            Action::RenameCategory(c) => ("cr", o.n(c.get())),
            Action::CategoryMove(c, up) => ("cv", o.n(c.get()).b(*up)),
            Action::CategoryHide(c, h) => ("ch", o.n(c.get()).b(*h)),
            Action::CategoryStop(c, s) => ("ca", o.n(c.get()).b(*s)),
            Action::ProductCategory(p) => ("pc", o.n(p.get())),
            Action::SetCategory(p, c) => ("pC", o.n(p.get()).n(c.map_or(0, CategoryId::get))),
            Action::ProductStop(p, s) => ("pS", o.n(p.get()).b(*s)),
            Action::ProductPhotoRemove(p) => ("pR", o.n(p.get())),
            Action::Sessions { archived, page } => ("sl", o.b(*archived).n(page)),
            Action::Session(s) => ("s", o.n(s.get())),
            Action::NewSession => ("sn", o),
            Action::SessionEdit(s, f) => ("se", o.n(s.get()).c(*f)),
            Action::SessionArchive(s, a) => ("sa", o.n(s.get()).b(*a)),
            Action::SessionDelete(s) => ("sx", o.n(s.get())),
            Action::IssueAll(s) => ("si", o.n(s.get())),
            Action::IssueAllNow(s) => ("sI", o.n(s.get())),
            Action::NewOrder(s) => ("on", o.n(s.map_or(0, SessionId::get))),
            Action::OrderField(t, f) => ("f", o.t(*t).c(*f)),
            Action::SetDelivery(t, d) => ("dv", o.t(*t).b(*d)),
            Action::FeeAuto(t) => ("fa", o.t(*t)),
            Action::AddLine(t) => ("al", o.t(*t)),
            Action::Picker(page) => ("pk", o.n(page)),
            Action::Pick(p) => ("pp", o.n(p.get())),
            Action::Line(t, k) => ("li", o.t(*t).n(k)),
            Action::LineQty(t, k) => ("lq", o.t(*t).n(k)),
            Action::LineWeight(t, k) => ("lw", o.t(*t).n(k)),
            Action::LinePack(t, k, p) => ("lp", o.t(*t).n(k).opt(p.as_deref())),
            Action::LineRemove(t, k) => ("lr", o.t(*t).n(k)),
            Action::PackAll(t, p) => ("pA", o.t(*t).opt(p.as_deref())),
            Action::ChooseSession(t) => ("cs", o.t(*t)),
            Action::PickSession(s) => ("cp", o.n(s.get())),
            Action::SessionsPage(p) => ("cP", o.n(p)),
            Action::OrderSave => ("os", o),
            Action::CalMonth(y, m) => ("cm", o.n(y).n(m)),
            Action::CalDay(d) => ("cd", o.n(d.strftime("%Y%m%d"))),
            Action::CalClear => ("cc", o),
            Action::Orders {
                status,
                session,
                newest_first,
                page,
            } => (
                "ol",
                o.c(*status)
                    .n(session.map_or(0, SessionId::get))
                    .b(*newest_first)
                    .n(page),
            ),
            Action::Order(id) => ("o", o.n(id.get())),
            Action::OrderEdit(id) => ("oe", o.n(id.get())),
            Action::Weigh(id) => ("ow", o.n(id.get())),
            Action::WeighNotAvailable => ("wn", o),
            Action::WeighSkip => ("wk", o),
            Action::Complete(id, v) => ("oc", o.n(id.get()).n(v)),
            Action::Reopen(id, v) => ("or", o.n(id.get()).n(v)),
            Action::Unissue(id, v) => ("ou", o.n(id.get()).n(v)),
            Action::OrderCancel(id, v) => ("oX", o.n(id.get()).n(v)),
            Action::OrderRestore(id, v) => ("oR", o.n(id.get()).n(v)),
            Action::IssueMenu(id) => ("oi", o.n(id.get())),
            Action::IssueToday(id, v) => ("oI", o.n(id.get()).n(v)),
            Action::IssuePickDate(id) => ("oD", o.n(id.get())),
            Action::CustomerText(id) => ("ot", o.n(id.get())),
            Action::SendToCustomer(id) => ("oS", o.n(id.get())),
            Action::OrderDelete(id) => ("ox", o.n(id.get())),
            Action::EraseCustomer(id) => ("oE", o.n(id.get())),
            Action::EraseCustomerConfirm(id) => ("oF", o.n(id.get())),
            Action::History(id, p) => ("oh", o.n(id.get()).n(p)),
            Action::Stats { kind, period, page } => ("ts", o.c(*kind).period(*period).n(page)),
            Action::StatsPickDay(kind) => ("td", o.c(*kind)),
            Action::Production(s, page) => ("tp", o.n(s.get()).n(page)),
            Action::Download(s, e) => ("dl", o.n(s.get()).c(*e)),
            Action::ShopHome => ("yh", o),
            Action::ShopProfile => ("yp", o),
            Action::ShopEdit(f) => ("ye", o.c(*f)),
            Action::ShopSkipEmail => ("ys", o),
            Action::ShopForget => ("yf", o),
            Action::ShopForgetConfirm => ("yF", o),
            Action::ShopLink => ("yK", o),
            Action::ShopCategory(c, p) => ("yc", o.n(c.get()).n(p)),
            Action::ShopProduct(p) => ("yd", o.n(p.get())),
            Action::CartAdd(p) => ("y+", o.n(p.get())),
            Action::CartSub(p) => ("y-", o.n(p.get())),
            Action::CartRemove(p) => ("yr", o.n(p.get())),
            Action::Cart => ("yk", o),
            Action::Checkout => ("yo", o),
            Action::CheckoutMode(b) => ("ym", o.b(*b)),
            Action::CheckoutLastAddress => ("ya", o),
            Action::CheckoutAsap => ("yn", o),
            Action::CheckoutSlots(d) => ("yl", o.n(d)),
            Action::CheckoutSlot(d, m) => ("yt", o.n(d.strftime("%Y%m%d")).n(m)),
            Action::CheckoutSkipComment => ("yC", o),
            Action::CheckoutConfirm => ("yY", o),
            Action::MyOrders(p) => ("yO", o.n(p)),
            Action::MyOrder(id) => ("yq", o.n(id.get())),
            Action::MyOrderCancel(id) => ("yx", o.n(id.get())),
            Action::MyOrderCancelYes(id) => ("yX", o.n(id.get())),
            Action::ShopReviews(p) => ("yv", o.n(p)),
            Action::Rate(id, n) => ("ga", o.n(id.get()).n(n)),
            Action::RateDish(id, p, n) => ("gd", o.n(id.get()).n(p.get()).n(n)),
            Action::FeedbackComment(id) => ("gc", o.n(id.get())),
            Action::FeedbackDone(id) => ("gD", o.n(id.get())),
            Action::KitchenAccept(id) => ("ka", o.n(id.get())),
            Action::KitchenPrepared(id) => ("kp", o.n(id.get())),
            Action::KitchenWeigh(id) => ("kw", o.n(id.get())),
            Action::KitchenKey(id, l, g) => ("kk", o.n(id.get()).n(l.get()).n(g)),
            Action::KitchenWeighed(id, l, g) => ("kW", o.n(id.get()).n(l.get()).n(g)),
            Action::KitchenNotAvailable(id, l) => ("kn", o.n(id.get()).n(l.get())),
            Action::CourierTake(id) => ("kt", o.n(id.get())),
            Action::CourierDelivered(id) => ("kd", o.n(id.get())),
            Action::CourierRelease(id) => ("kr", o.n(id.get())),
            Action::AdminIssue(id) => ("ki", o.n(id.get())),
            Action::AdminCancelAsk(id) => ("kx", o.n(id.get())),
            Action::AdminCancel(id, r) => ("kX", o.n(id.get()).n(r.code())),
            Action::CardBack(id) => ("kb", o.n(id.get())),
            Action::AdminReassignAsk(id) => ("kg", o.n(id.get())),
            Action::AdminReassign(id, u) => ("kG", o.n(id.get()).n(u.get())),
            Action::ReviewPublish(id) => ("kP", o.n(id.get())),
            Action::ReviewReject(id) => ("kR", o.n(id.get())),
            Action::StopList(p) => ("kl", o.n(p)),
            Action::StopProduct(p, b) => ("ks", o.n(p.get()).b(*b)),
            Action::StopCategory(c, b) => ("kc", o.n(c.get()).b(*b)),
            Action::Staff => ("st", o),
            Action::Invite(r) => ("iv", o.c(*r)),
            Action::StaffRemove(u, r) => ("sr", o.n(u.get()).c(*r)),
            Action::Deliveries => ("sD", o),
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
            ("pl", [ar, p]) => A::Products {
                archived: flag(ar)?,
                page: num(p)?,
            },
            ("p", [p]) => A::Product(ProductId::new(num(p)?)),
            ("pn", []) => A::NewProduct,
            ("pu", [u]) => A::DraftUnit(Code::parse(u)?),
            ("ps", []) => A::DraftSave,
            ("pe", [p, f]) => A::Edit(ProductId::new(num(p)?), Code::parse(f)?),
            ("pU", [p, u]) => A::SetUnit(ProductId::new(num(p)?), Code::parse(u)?),
            ("pa", [p]) => A::Archive(ProductId::new(num(p)?)),
            ("pr", [p]) => A::Restore(ProductId::new(num(p)?)),
            ("cl", []) => A::Categories,
            ("c", [c]) => A::Category(cid(c)?),
            ("cn", []) => A::NewCategory,
            ("cr", [c]) => A::RenameCategory(cid(c)?),
            ("cv", [c, b]) => A::CategoryMove(cid(c)?, flag(b)?),
            ("ch", [c, b]) => A::CategoryHide(cid(c)?, flag(b)?),
            ("ca", [c, b]) => A::CategoryStop(cid(c)?, flag(b)?),
            ("pc", [p]) => A::ProductCategory(ProductId::new(num(p)?)),
            ("pC", [p, c]) => {
                let c: i64 = num(c)?;
                A::SetCategory(
                    ProductId::new(num(p)?),
                    (c != 0).then(|| CategoryId::new(c)),
                )
            }
            ("pS", [p, b]) => A::ProductStop(ProductId::new(num(p)?), flag(b)?),
            ("pR", [p]) => A::ProductPhotoRemove(ProductId::new(num(p)?)),
            ("sl", [ar, p]) => A::Sessions {
                archived: flag(ar)?,
                page: num(p)?,
            },
            ("s", [s]) => A::Session(sid(s)?),
            ("sn", []) => A::NewSession,
            ("se", [s, f]) => A::SessionEdit(sid(s)?, Code::parse(f)?),
            ("sa", [s, b]) => A::SessionArchive(sid(s)?, flag(b)?),
            ("sx", [s]) => A::SessionDelete(sid(s)?),
            ("si", [s]) => A::IssueAll(sid(s)?),
            ("sI", [s]) => A::IssueAllNow(sid(s)?),
            ("on", [s]) => A::NewOrder(opt_sid(s)?),
            ("f", [t, f]) => A::OrderField(target(t)?, Code::parse(f)?),
            ("dv", [t, b]) => A::SetDelivery(target(t)?, flag(b)?),
            ("fa", [t]) => A::FeeAuto(target(t)?),
            ("al", [t]) => A::AddLine(target(t)?),
            ("pk", [p]) => A::Picker(num(p)?),
            ("pp", [p]) => A::Pick(ProductId::new(num(p)?)),
            ("li", [t, k]) => A::Line(target(t)?, num(k)?),
            ("lq", [t, k]) => A::LineQty(target(t)?, num(k)?),
            ("lw", [t, k]) => A::LineWeight(target(t)?, num(k)?),
            ("lp", [t, k, p]) => A::LinePack(target(t)?, num(k)?, packing(p)?),
            ("lr", [t, k]) => A::LineRemove(target(t)?, num(k)?),
            ("pA", [t, p]) => A::PackAll(target(t)?, packing(p)?),
            ("cs", [t]) => A::ChooseSession(target(t)?),
            ("cp", [s]) => A::PickSession(sid(s)?),
            ("cP", [p]) => A::SessionsPage(num(p)?),
            ("os", []) => A::OrderSave,
            ("cm", [y, m]) => A::CalMonth(num(y)?, num(m)?),
            ("cd", [d]) => A::CalDay(date(d)?),
            ("cc", []) => A::CalClear,
            ("ol", [st, s, b, p]) => A::Orders {
                status: Code::parse(st)?,
                session: opt_sid(s)?,
                newest_first: flag(b)?,
                page: num(p)?,
            },
            ("o", [o]) => A::Order(oid(o)?),
            ("oe", [o]) => A::OrderEdit(oid(o)?),
            ("ow", [o]) => A::Weigh(oid(o)?),
            ("wn", []) => A::WeighNotAvailable,
            ("wk", []) => A::WeighSkip,
            ("oc", [o, v]) => A::Complete(oid(o)?, num(v)?),
            ("or", [o, v]) => A::Reopen(oid(o)?, num(v)?),
            ("ou", [o, v]) => A::Unissue(oid(o)?, num(v)?),
            ("oX", [o, v]) => A::OrderCancel(oid(o)?, num(v)?),
            ("oR", [o, v]) => A::OrderRestore(oid(o)?, num(v)?),
            ("oi", [o]) => A::IssueMenu(oid(o)?),
            ("oI", [o, v]) => A::IssueToday(oid(o)?, num(v)?),
            ("oD", [o]) => A::IssuePickDate(oid(o)?),
            ("ot", [o]) => A::CustomerText(oid(o)?),
            ("oS", [o]) => A::SendToCustomer(oid(o)?),
            ("ox", [o]) => A::OrderDelete(oid(o)?),
            ("oE", [o]) => A::EraseCustomer(oid(o)?),
            ("oF", [o]) => A::EraseCustomerConfirm(oid(o)?),
            ("oh", [o, p]) => A::History(oid(o)?, num(p)?),
            ("ts", [k, pk, pv, p]) => A::Stats {
                kind: Code::parse(k)?,
                period: period(pk, pv)?,
                page: num(p)?,
            },
            ("td", [k]) => A::StatsPickDay(Code::parse(k)?),
            ("tp", [s, p]) => A::Production(sid(s)?, num(p)?),
            ("dl", [s, e]) => A::Download(sid(s)?, Code::parse(e)?),
            ("yh", []) => A::ShopHome,
            ("yp", []) => A::ShopProfile,
            ("ye", [f]) => A::ShopEdit(Code::parse(f)?),
            ("ys", []) => A::ShopSkipEmail,
            ("yf", []) => A::ShopForget,
            ("yF", []) => A::ShopForgetConfirm,
            ("yK", []) => A::ShopLink,
            ("yc", [c, p]) => A::ShopCategory(cid(c)?, num(p)?),
            ("yd", [p]) => A::ShopProduct(pid(p)?),
            ("y+", [p]) => A::CartAdd(pid(p)?),
            ("y-", [p]) => A::CartSub(pid(p)?),
            ("yr", [p]) => A::CartRemove(pid(p)?),
            ("yk", []) => A::Cart,
            ("yo", []) => A::Checkout,
            ("ym", [b]) => A::CheckoutMode(flag(b)?),
            ("ya", []) => A::CheckoutLastAddress,
            ("yn", []) => A::CheckoutAsap,
            ("yl", [d]) => A::CheckoutSlots(num(d)?),
            ("yt", [d, m]) => {
                let minutes: u16 = num(m)?;
                if minutes >= 24 * 60 {
                    return Err(DecodeError::Invalid);
                }
                A::CheckoutSlot(date(d)?, minutes)
            }
            ("yC", []) => A::CheckoutSkipComment,
            ("yY", []) => A::CheckoutConfirm,
            ("yO", [p]) => A::MyOrders(num(p)?),
            ("yq", [o]) => A::MyOrder(oid(o)?),
            ("yx", [o]) => A::MyOrderCancel(oid(o)?),
            ("yX", [o]) => A::MyOrderCancelYes(oid(o)?),
            ("yv", [p]) => A::ShopReviews(num(p)?),
            ("ga", [o, n]) => A::Rate(oid(o)?, stars(n)?),
            ("gd", [o, p, n]) => A::RateDish(oid(o)?, pid(p)?, stars(n)?),
            ("gc", [o]) => A::FeedbackComment(oid(o)?),
            ("gD", [o]) => A::FeedbackDone(oid(o)?),
            ("ka", [o]) => A::KitchenAccept(oid(o)?),
            ("kp", [o]) => A::KitchenPrepared(oid(o)?),
            ("kw", [o]) => A::KitchenWeigh(oid(o)?),
            ("kk", [o, l, g]) => A::KitchenKey(oid(o)?, lid(l)?, num(g)?),
            ("kW", [o, l, g]) => A::KitchenWeighed(oid(o)?, lid(l)?, num(g)?),
            ("kn", [o, l]) => A::KitchenNotAvailable(oid(o)?, lid(l)?),
            ("kt", [o]) => A::CourierTake(oid(o)?),
            ("kd", [o]) => A::CourierDelivered(oid(o)?),
            ("kr", [o]) => A::CourierRelease(oid(o)?),
            ("ki", [o]) => A::AdminIssue(oid(o)?),
            ("kx", [o]) => A::AdminCancelAsk(oid(o)?),
            ("kX", [o, r]) => A::AdminCancel(
                oid(o)?,
                CancelReason::from_code(num(r)?).ok_or(DecodeError::Invalid)?,
            ),
            ("kb", [o]) => A::CardBack(oid(o)?),
            ("kg", [o]) => A::AdminReassignAsk(oid(o)?),
            ("kG", [o, u]) => A::AdminReassign(oid(o)?, TgUserId::new(num(u)?)),
            ("kP", [o]) => A::ReviewPublish(oid(o)?),
            ("kR", [o]) => A::ReviewReject(oid(o)?),
            ("kl", [p]) => A::StopList(num(p)?),
            ("ks", [p, b]) => A::StopProduct(pid(p)?, flag(b)?),
            ("kc", [c, b]) => A::StopCategory(cid(c)?, flag(b)?),
            ("st", []) => A::Staff,
            ("iv", [r]) => A::Invite(Code::parse(r)?),
            ("sr", [u, r]) => A::StaffRemove(TgUserId::new(num(u)?), Code::parse(r)?),
            ("sD", []) => A::Deliveries,
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
