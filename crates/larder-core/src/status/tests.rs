use super::*;
use OrderStatus::{Cancelled, Completed, Issued, Processing};
use StatusEvent::{Cancel, Complete, Issue, Reopen, Restore, Unissue};
use proptest::prelude::*;

/// The whole table: every status × every event.
#[test]
fn transition_table() {
    let table = [
        (Processing, Complete, Some(Completed)),
        (Processing, Issue, None),
        (Processing, Reopen, None),
        (Processing, Unissue, None),
        (Processing, Cancel, Some(Cancelled)),
        (Processing, Restore, None),
        (Completed, Complete, None),
        (Completed, Issue, Some(Issued)),
        (Completed, Reopen, Some(Processing)),
        (Completed, Unissue, None),
        (Completed, Cancel, Some(Cancelled)),
        (Completed, Restore, None),
        (Issued, Complete, None),
        (Issued, Issue, None),
        (Issued, Reopen, Some(Processing)),
        (Issued, Unissue, Some(Completed)),
        (Issued, Cancel, None),
        (Issued, Restore, None),
        (Cancelled, Complete, None),
        (Cancelled, Issue, None),
        (Cancelled, Reopen, None),
        (Cancelled, Unissue, None),
        (Cancelled, Cancel, None),
        (Cancelled, Restore, Some(Processing)),
    ];
    assert_eq!(table.len(), OrderStatus::ALL.len() * StatusEvent::ALL.len());
    for (from, event, to) in table {
        let want = to.ok_or(TransitionError::NotAllowed { from, event });
        assert_eq!(from.apply(event), want, "{from} + {event}");
    }
}

#[test]
fn allowed_events() {
    assert_eq!(Processing.allowed_events(), [Complete, Cancel]);
    assert_eq!(Cancelled.allowed_events(), [Restore]);
    assert_eq!(Completed.allowed_events(), [Issue, Reopen, Cancel]);
    assert_eq!(Issued.allowed_events(), [Reopen, Unissue]);
    assert!(Processing.is_editable() && !Completed.is_editable() && !Issued.is_editable());
}

#[test]
fn completing_needs_weighed_lines() {
    let g = |n| Some(Quantity::Grams(n));
    assert_eq!(can_complete(&[]), Err(TransitionError::Empty));
    assert_eq!(can_complete(&[g(315), Some(Quantity::Pieces(2))]), Ok(()));
    assert_eq!(can_complete(&[g(0)]), Ok(()), "not available is weighed");
    assert_eq!(
        can_complete(&[g(315), None, g(0), None]),
        Err(TransitionError::Unweighed { lines: 2 })
    );
    assert_eq!(Processing.apply_checked(Complete, &[g(1)]), Ok(Completed));
    assert_eq!(
        Processing.apply_checked(Complete, &[None]),
        Err(TransitionError::Unweighed { lines: 1 })
    );
    assert_eq!(
        Processing.apply_checked(Complete, &[]),
        Err(TransitionError::Empty)
    );
    // The status is checked first.
    assert_eq!(
        Completed.apply_checked(Complete, &[]),
        Err(TransitionError::NotAllowed {
            from: Completed,
            event: Complete
        })
    );
    // Other events ignore the lines.
    assert_eq!(Completed.apply_checked(Reopen, &[None]), Ok(Processing));
}

#[test]
fn strings_and_serde() {
    for s in OrderStatus::ALL {
        assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(s));
        assert_eq!(s.to_string(), s.as_str());
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        let json = format!("\"{}\"", s.as_str());
        assert_eq!(serde_json::from_str::<OrderStatus>(&json).unwrap(), s);
    }
    assert_eq!(" Issued ".parse::<OrderStatus>(), Ok(Issued));
    assert_eq!(
        "done".parse::<OrderStatus>(),
        Err(StatusParseError("done".into()))
    );
}

#[test]
fn messages() {
    let all = [
        TransitionError::NotAllowed {
            from: Processing,
            event: Issue,
        },
        TransitionError::Unweighed { lines: 3 },
        TransitionError::Empty,
    ];
    let ids: Vec<_> = all.iter().map(TransitionError::message_id).collect();
    assert_eq!(ids, TransitionError::ALL_MESSAGE_IDS);
    assert_eq!(
        all[0].args(),
        vec![
            ("from", "processing".to_owned()),
            ("event", "issue".to_owned())
        ]
    );
    assert_eq!(all[1].args(), vec![("lines", "3".to_owned())]);
    assert!(all[2].args().is_empty());
    assert_eq!(
        all[0].to_string(),
        "cannot issue an order that is processing"
    );
}

fn status() -> impl Strategy<Value = OrderStatus> {
    prop::sample::select(OrderStatus::ALL.to_vec())
}

fn event() -> impl Strategy<Value = StatusEvent> {
    prop::sample::select(StatusEvent::ALL.to_vec())
}

proptest! {
    /// Whatever happened, the order can always be brought back to
    /// processing and completed again.
    #[test]
    fn always_recoverable(start in status(), events in prop::collection::vec(event(), 0..20)) {
        let mut s = start;
        for e in events {
            s = s.apply(e).unwrap_or(s);
        }
        let back = s.apply(Reopen).or_else(|_| s.apply(Restore)).unwrap_or(s);
        prop_assert_eq!(back, Processing);
        prop_assert_eq!(back.apply(Complete), Ok(Completed));
    }

    #[test]
    fn unweighed_counts_nones(lines in prop::collection::vec(prop::option::of(0_i64..5000), 1..30)) {
        let weighed: Vec<_> = lines.iter().map(|l| l.map(Quantity::Grams)).collect();
        let missing = lines.iter().filter(|l| l.is_none()).count();
        let want = if missing == 0 { Ok(()) } else { Err(TransitionError::Unweighed { lines: missing }) };
        prop_assert_eq!(can_complete(&weighed), want);
    }
}
