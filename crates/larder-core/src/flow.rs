//! A shop order's way through the kitchen, the couriers and the admins: the
//! stage a customer hears of, the steps staff take on the order's cards,
//! who may take each and when. One table, used by every messenger's cards;
//! the store then writes the step (guarded by the order's version and
//! columns, so two presses at once still give one winner).

use crate::{OrderStatus, Role, StatusEvent};

/// Where a shop order is, as the customer hears of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Placed,
    Accepted,
    /// Ready: for pickup, or waiting for the courier.
    Prepared,
    /// Prepared and with a courier.
    OnTheWay,
    /// Delivered or picked up.
    Done,
    Cancelled,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Placed,
        Stage::Accepted,
        Stage::Prepared,
        Stage::OnTheWay,
        Stage::Done,
        Stage::Cancelled,
    ];

    /// The stable number stored for "the customer was told of this stage".
    pub const fn rank(self) -> i64 {
        match self {
            Stage::Placed => 1,
            Stage::Accepted => 2,
            Stage::Prepared => 3,
            Stage::OnTheWay => 4,
            Stage::Done => 5,
            Stage::Cancelled => 6,
        }
    }

    pub fn from_rank(rank: i64) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.rank() == rank)
    }

    /// The stage of an order in `status`, accepted by the kitchen or not,
    /// with a courier or not.
    pub const fn of(status: OrderStatus, delivery: bool, accepted: bool, courier: bool) -> Stage {
        match status {
            OrderStatus::Cancelled => Stage::Cancelled,
            OrderStatus::Issued => Stage::Done,
            OrderStatus::Completed if delivery && courier => Stage::OnTheWay,
            OrderStatus::Completed => Stage::Prepared,
            OrderStatus::Processing if accepted => Stage::Accepted,
            OrderStatus::Processing => Stage::Placed,
        }
    }
}

/// A step staff take on an order's card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The kitchen starts on it.
    Accept,
    /// The kitchen weighs a line sold by weight (before it is ready).
    Weigh,
    /// The kitchen has it ready.
    Prepare,
    /// A courier takes a delivery.
    Take,
    /// The courier who took it has delivered it.
    Deliver,
    /// The customer collected a pickup order (the admins mark it).
    PickUp,
    /// The shop calls it off (the admins, with a reason).
    Cancel,
    /// The courier gives it back (or the admins take it off them), so
    /// another courier can take it.
    Release,
}

/// Why an order was cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CancelReason {
    /// The customer cancelled it themselves.
    Customer,
    /// The shop cancelled it because the customer asked.
    CustomerAsked,
    /// Something in it ran out.
    SoldOut,
    /// It cannot be delivered (too far, no courier).
    CannotDeliver,
    Other,
}

impl CancelReason {
    /// What staff may choose (the customer's own cancellation is not a choice).
    pub const CHOICES: [CancelReason; 4] = [
        CancelReason::CustomerAsked,
        CancelReason::SoldOut,
        CancelReason::CannotDeliver,
        CancelReason::Other,
    ];

    /// The stored form.
    pub const fn as_str(self) -> &'static str {
        match self {
            CancelReason::Customer => "customer",
            CancelReason::CustomerAsked => "customer_asked",
            CancelReason::SoldOut => "sold_out",
            CancelReason::CannotDeliver => "cannot_deliver",
            CancelReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<CancelReason> {
        [CancelReason::Customer]
            .into_iter()
            .chain(CancelReason::CHOICES)
            .find(|r| r.as_str() == s)
    }

    /// A small number for buttons.
    pub const fn code(self) -> u8 {
        match self {
            CancelReason::Customer => 0,
            CancelReason::CustomerAsked => 1,
            CancelReason::SoldOut => 2,
            CancelReason::CannotDeliver => 3,
            CancelReason::Other => 4,
        }
    }

    pub fn from_code(code: u8) -> Option<CancelReason> {
        [CancelReason::Customer]
            .into_iter()
            .chain(CancelReason::CHOICES)
            .find(|r| r.code() == code)
    }
}

impl Step {
    pub const ALL: [Step; 8] = [
        Step::Accept,
        Step::Weigh,
        Step::Prepare,
        Step::Take,
        Step::Deliver,
        Step::PickUp,
        Step::Cancel,
        Step::Release,
    ];

    /// The role a step needs (owners may take every step); `None`: only
    /// the courier who holds the order.
    pub const fn role(self) -> Option<Role> {
        match self {
            Step::Accept | Step::Weigh | Step::Prepare => Some(Role::Cook),
            Step::Take => Some(Role::Courier),
            Step::Deliver => None,
            Step::PickUp | Step::Cancel | Step::Release => Some(Role::Admin),
        }
    }

    /// The change of the order's status the step makes, through the same
    /// table the desk uses ([`OrderStatus::apply`]); `None`: the status
    /// stays (the step changes who has the order, or a line).
    pub const fn status_event(self) -> Option<StatusEvent> {
        match self {
            Step::Prepare => Some(StatusEvent::Complete),
            Step::Deliver | Step::PickUp => Some(StatusEvent::Issue),
            Step::Cancel => Some(StatusEvent::Cancel),
            Step::Accept | Step::Weigh | Step::Take | Step::Release => None,
        }
    }

    /// Whether the courier who holds the order may take the step whatever
    /// their roles.
    pub const fn for_the_holder(self) -> bool {
        matches!(self, Step::Deliver | Step::Release)
    }
}

/// Who presses, as far as the order is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor<'a> {
    pub roles: &'a [Role],
    /// The courier who took this order.
    pub holds_it: bool,
}

/// An order as the table needs to see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub delivery: bool,
    /// A courier has taken it.
    pub courier: bool,
}

/// Why a step was refused. One Fluent message id per variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The presser lacks the step's role.
    NotAllowed,
    /// Only the courier who took the order may.
    NotTheCourier,
    /// The step belongs to the other kind of order (a Take on a pickup).
    WrongKind,
    /// The order was cancelled.
    Cancelled,
    /// Too early: the kitchen has not accepted it.
    NotAccepted,
    /// Too early: the kitchen has not prepared it.
    NotPrepared,
    /// Another courier has it.
    TakenByAnother,
    /// Done before (a second press, or by someone else first).
    Already(Step),
}

impl Refusal {
    /// The Fluent message id that says why.
    pub const fn message_id(self) -> &'static str {
        match self {
            Refusal::NotAllowed => "not-allowed",
            Refusal::NotTheCourier => "card-not-your-order",
            Refusal::WrongKind => "outdated-button",
            Refusal::Cancelled => "card-order-cancelled",
            Refusal::NotAccepted => "card-not-accepted",
            Refusal::NotPrepared => "card-not-prepared",
            Refusal::TakenByAnother => "card-already-taken",
            Refusal::Already(Step::Accept) => "card-already-accepted",
            Refusal::Already(Step::Prepare | Step::Weigh) => "card-already-prepared",
            Refusal::Already(Step::Take) => "card-taken",
            Refusal::Already(Step::Deliver | Step::PickUp) => "card-already-issued",
            Refusal::Already(Step::Cancel) => "card-order-cancelled",
            Refusal::Already(Step::Release) => "card-already-released",
        }
    }

    /// Said as an alert (the presser should read it) rather than a toast.
    pub const fn is_alert(self) -> bool {
        !matches!(self, Refusal::Already(_))
    }
}

/// Whether `actor` may take `step` on an order at `at`: the stage it
/// leads to (with `courier` after a take), or why not. Checks come in the
/// order a person would want to hear them: who may, what kind of order,
/// whether it is still going, then whether it is the moment.
pub fn check(at: Progress, step: Step, actor: Actor<'_>) -> Result<Stage, Refusal> {
    let by_role = match step.role() {
        Some(role) => actor.roles.contains(&role) || actor.roles.contains(&Role::Owner),
        None => false,
    };
    if !(by_role || (step.for_the_holder() && actor.holds_it)) {
        return Err(if step.for_the_holder() {
            Refusal::NotTheCourier
        } else {
            Refusal::NotAllowed
        });
    }
    let kind_fits = match step {
        Step::Take | Step::Deliver | Step::Release => at.delivery,
        Step::PickUp => !at.delivery,
        Step::Accept | Step::Weigh | Step::Prepare | Step::Cancel => true,
    };
    if !kind_fits {
        return Err(Refusal::WrongKind);
    }
    use Stage::{Accepted, Cancelled, Done, OnTheWay, Placed, Prepared};
    match (step, at.stage) {
        (Step::Cancel, Cancelled) => Err(Refusal::Already(Step::Cancel)),
        (Step::Cancel, Done) => Err(Refusal::Already(Step::Deliver)),
        (Step::Cancel, _) => Ok(Cancelled),
        (_, Cancelled) => Err(Refusal::Cancelled),
        (Step::Release, Done) => Err(Refusal::Already(Step::Deliver)),
        (Step::Release, _) if !at.courier => Err(Refusal::Already(Step::Release)),
        (Step::Release, OnTheWay) => Ok(Prepared),
        (Step::Release, stage) => Ok(stage),
        (Step::Accept, Placed) => Ok(Accepted),
        (Step::Accept, _) => Err(Refusal::Already(Step::Accept)),
        (Step::Weigh, Placed) => Err(Refusal::NotAccepted),
        (Step::Weigh, Accepted) => Ok(Accepted),
        (Step::Weigh, _) => Err(Refusal::Already(Step::Prepare)),
        (Step::Prepare, Placed | Accepted) if at.delivery && at.courier => Ok(OnTheWay),
        (Step::Prepare, Placed | Accepted) => Ok(Prepared),
        (Step::Prepare, _) => Err(Refusal::Already(Step::Prepare)),
        (Step::Take, Placed) => Err(Refusal::NotAccepted),
        (Step::Take, Done) => Err(Refusal::Already(Step::Deliver)),
        (Step::Take, _) if at.courier && actor.holds_it => Err(Refusal::Already(Step::Take)),
        (Step::Take, _) if at.courier => Err(Refusal::TakenByAnother),
        (Step::Take, Prepared) => Ok(OnTheWay),
        (Step::Take, stage) => Ok(stage),
        (Step::Deliver | Step::PickUp, Done) => Err(Refusal::Already(step)),
        (Step::Deliver, OnTheWay) | (Step::PickUp, Prepared) => Ok(Done),
        (Step::Deliver | Step::PickUp, _) => Err(Refusal::NotPrepared),
    }
}

#[cfg(test)]
mod tests;
