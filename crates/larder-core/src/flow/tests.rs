use super::*;
use Stage::{Accepted, Cancelled, Done, OnTheWay, Placed, Prepared};

const EVERYONE: &[Role] = &[Role::Owner];
const COOK: &[Role] = &[Role::Cook];
const COURIER: &[Role] = &[Role::Courier];
const ADMIN: &[Role] = &[Role::Admin];
const MANAGER: &[Role] = &[Role::Manager];

fn at(stage: Stage, delivery: bool, courier: bool) -> Progress {
    Progress {
        stage,
        delivery,
        courier,
    }
}

fn owner(holds_it: bool) -> Actor<'static> {
    Actor {
        roles: EVERYONE,
        holds_it,
    }
}

/// The whole table for someone who may do everything, written out by hand:
/// (stage, delivery, a courier has it, step, the presser holds it) → outcome.
#[test]
fn the_table() {
    use Refusal as R;
    use Step::{Accept, Cancel, Deliver, PickUp, Prepare, Release, Take, Weigh};
    type Row = (Stage, bool, bool, Step, bool, Result<Stage, Refusal>);
    let rows: &[Row] = &[
        // Accepting: once, while placed.
        (Placed, false, false, Accept, false, Ok(Accepted)),
        (Placed, true, false, Accept, false, Ok(Accepted)),
        (Accepted, true, true, Accept, false, Err(R::Already(Accept))),
        (
            Prepared,
            false,
            false,
            Accept,
            false,
            Err(R::Already(Accept)),
        ),
        (Done, false, false, Accept, false, Err(R::Already(Accept))),
        (Cancelled, false, false, Accept, false, Err(R::Cancelled)),
        // Weighing: after accepting, before it is ready.
        (Placed, false, false, Weigh, false, Err(R::NotAccepted)),
        (Accepted, false, false, Weigh, false, Ok(Accepted)),
        (Accepted, true, true, Weigh, false, Ok(Accepted)),
        (
            Prepared,
            false,
            false,
            Weigh,
            false,
            Err(R::Already(Prepare)),
        ),
        (Cancelled, true, false, Weigh, false, Err(R::Cancelled)),
        // Preparing: from placed (the kitchen skipped accepting) or accepted.
        (Placed, false, false, Prepare, false, Ok(Prepared)),
        (Accepted, false, false, Prepare, false, Ok(Prepared)),
        (Accepted, true, false, Prepare, false, Ok(Prepared)),
        (Accepted, true, true, Prepare, false, Ok(OnTheWay)),
        (
            Prepared,
            true,
            false,
            Prepare,
            false,
            Err(R::Already(Prepare)),
        ),
        (
            OnTheWay,
            true,
            true,
            Prepare,
            false,
            Err(R::Already(Prepare)),
        ),
        (Cancelled, true, false, Prepare, false, Err(R::Cancelled)),
        // Taking: deliveries only, once accepted, one courier.
        (Placed, true, false, Take, false, Err(R::NotAccepted)),
        (Accepted, true, false, Take, false, Ok(Accepted)),
        (Prepared, true, false, Take, false, Ok(OnTheWay)),
        (Accepted, true, true, Take, false, Err(R::TakenByAnother)),
        (Accepted, true, true, Take, true, Err(R::Already(Take))),
        (OnTheWay, true, true, Take, false, Err(R::TakenByAnother)),
        (Done, true, true, Take, false, Err(R::Already(Deliver))),
        (Cancelled, true, false, Take, false, Err(R::Cancelled)),
        (Accepted, false, false, Take, false, Err(R::WrongKind)),
        // Delivering: the courier who has it, once prepared.
        (OnTheWay, true, true, Deliver, true, Ok(Done)),
        (Accepted, true, true, Deliver, true, Err(R::NotPrepared)),
        (Done, true, true, Deliver, true, Err(R::Already(Deliver))),
        (Cancelled, true, true, Deliver, true, Err(R::Cancelled)),
        (OnTheWay, true, true, Deliver, false, Err(R::NotTheCourier)),
        // Picking up: pickups only, once prepared.
        (Prepared, false, false, PickUp, false, Ok(Done)),
        (Accepted, false, false, PickUp, false, Err(R::NotPrepared)),
        (Placed, false, false, PickUp, false, Err(R::NotPrepared)),
        (Done, false, false, PickUp, false, Err(R::Already(PickUp))),
        (Cancelled, false, false, PickUp, false, Err(R::Cancelled)),
        (Prepared, true, false, PickUp, false, Err(R::WrongKind)),
        // Cancelling: any time until it is handed over.
        (Placed, true, false, Cancel, false, Ok(Cancelled)),
        (Accepted, true, true, Cancel, false, Ok(Cancelled)),
        (OnTheWay, true, true, Cancel, false, Ok(Cancelled)),
        (Prepared, false, false, Cancel, false, Ok(Cancelled)),
        (Done, false, false, Cancel, false, Err(R::Already(Deliver))),
        (
            Cancelled,
            false,
            false,
            Cancel,
            false,
            Err(R::Already(Cancel)),
        ),
        // Releasing: the courier (or the admins) give a taken delivery back.
        (OnTheWay, true, true, Release, true, Ok(Prepared)),
        (Accepted, true, true, Release, false, Ok(Accepted)),
        (
            Prepared,
            true,
            false,
            Release,
            false,
            Err(R::Already(Release)),
        ),
        (Done, true, true, Release, true, Err(R::Already(Deliver))),
        (Cancelled, true, true, Release, true, Err(R::Cancelled)),
        (Accepted, false, false, Release, false, Err(R::WrongKind)),
    ];
    for &(stage, delivery, courier, step, holds, want) in rows {
        assert_eq!(
            check(at(stage, delivery, courier), step, owner(holds)),
            want,
            "{step:?} at {stage:?} (delivery {delivery}, courier {courier}, holds {holds})"
        );
    }
}

/// Every state × step × role: a role may take exactly its own steps, and
/// the answer to someone without the role never depends on the order.
#[test]
fn roles_decide_first() {
    for stage in Stage::ALL {
        for delivery in [false, true] {
            for courier in [false, true] {
                for step in Step::ALL {
                    for roles in [COOK, COURIER, ADMIN, MANAGER, EVERYONE] {
                        let allowed = match step.role() {
                            Some(r) => roles.contains(&r) || roles == EVERYONE,
                            None => false,
                        };
                        let got = check(
                            at(stage, delivery, courier),
                            step,
                            Actor {
                                roles,
                                holds_it: false,
                            },
                        );
                        if allowed {
                            assert!(
                                !matches!(got, Err(Refusal::NotAllowed)),
                                "{roles:?} {step:?} at {stage:?}: {got:?}"
                            );
                        } else {
                            let refusal = if step.for_the_holder() {
                                Refusal::NotTheCourier
                            } else {
                                Refusal::NotAllowed
                            };
                            assert_eq!(got, Err(refusal), "{roles:?} {step:?} at {stage:?}");
                        }
                    }
                }
            }
        }
    }
}

/// Whatever is pressed, by whoever, in any order: an order never moves
/// back (but for a courier giving it back), never leaves Cancelled or Done, and a courier never takes an order
/// the kitchen has not accepted.
#[test]
fn random_presses_never_reach_a_wrong_state() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % (n as u64)).unwrap_or(0)
    };
    let roles = [COOK, COURIER, ADMIN, MANAGER, EVERYONE];
    for _ in 0..2000 {
        let delivery = next(2) == 1;
        let mut p = at(Placed, delivery, false);
        for _ in 0..12 {
            let step = Step::ALL[next(Step::ALL.len())];
            let actor = Actor {
                roles: roles[next(roles.len())],
                holds_it: p.courier && next(2) == 1,
            };
            if let Ok(stage) = check(p, step, actor) {
                // Only a release moves back (on the way → waiting for a courier).
                assert!(
                    stage >= p.stage || (step == Step::Release && stage == Prepared),
                    "{p:?} {step:?} → {stage:?}"
                );
                assert!(!matches!(p.stage, Done | Cancelled), "{p:?} {step:?}");
                if step == Step::Take {
                    assert!(p.stage >= Accepted && delivery && !p.courier, "{p:?}");
                    p.courier = true;
                }
                if step == Step::Release {
                    assert!(p.courier && delivery, "{p:?}");
                    p.courier = false;
                }
                if stage == OnTheWay {
                    assert!(p.courier, "{p:?} {step:?}");
                }
                if stage == Done && delivery {
                    assert!(actor.holds_it, "{p:?}");
                }
                p.stage = stage;
            }
            // The stage computed from the columns agrees with the table's.
            let status = match p.stage {
                Placed | Accepted => OrderStatus::Processing,
                Prepared | OnTheWay => OrderStatus::Completed,
                Done => OrderStatus::Issued,
                Cancelled => OrderStatus::Cancelled,
            };
            assert_eq!(
                Stage::of(status, delivery, p.stage != Placed, p.courier),
                p.stage,
                "{p:?}"
            );
        }
    }
}

/// The shop's steps and the desk's status table agree: every step the flow
/// allows, on an order in any status its stage can come from, is a move the
/// desk's table allows too, and lands on the stage the flow promised; and
/// the steps that keep the status never claim a stage of another status.
#[test]
fn the_shop_and_the_desk_agree() {
    let roles = [COOK, COURIER, ADMIN, MANAGER, EVERYONE];
    let mut allowed = 0;
    for status in OrderStatus::ALL {
        for delivery in [false, true] {
            for accepted in [false, true] {
                for courier in [false, true] {
                    let stage = Stage::of(status, delivery, accepted, courier);
                    let p = at(stage, delivery, courier);
                    for step in Step::ALL {
                        for roles in roles {
                            for holds_it in [false, true] {
                                let actor = Actor { roles, holds_it };
                                let Ok(next) = check(p, step, actor) else {
                                    continue;
                                };
                                allowed += 1;
                                let courier_after = match step {
                                    Step::Take => true,
                                    Step::Release => false,
                                    _ => courier,
                                };
                                let accepted_after = accepted || step == Step::Accept;
                                let status_after = match step.status_event() {
                                    Some(event) => match status.apply(event) {
                                        Ok(to) => to,
                                        Err(e) => panic!(
                                            "{step:?} at {stage:?} ({status}) is allowed to the \
                                             shop but not by the desk's table: {e}"
                                        ),
                                    },
                                    None => status,
                                };
                                assert_eq!(
                                    Stage::of(
                                        status_after,
                                        delivery,
                                        accepted_after,
                                        courier_after
                                    ),
                                    next,
                                    "{step:?} at {stage:?} ({status}, delivery {delivery})"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(allowed > 100, "the table allowed only {allowed} moves");
}

#[test]
fn cancel_reasons_round_trip() {
    for r in [CancelReason::Customer]
        .into_iter()
        .chain(CancelReason::CHOICES)
    {
        assert_eq!(CancelReason::parse(r.as_str()), Some(r));
        assert_eq!(CancelReason::from_code(r.code()), Some(r));
    }
    assert_eq!(CancelReason::parse("bored"), None);
    assert_eq!(CancelReason::from_code(9), None);
}

#[test]
fn ranks_round_trip() {
    for s in Stage::ALL {
        assert_eq!(Stage::from_rank(s.rank()), Some(s));
    }
    assert_eq!(Stage::from_rank(0), None);
}
