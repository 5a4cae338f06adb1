//! Contract: an order's life — status changes, issuing, moving, history,
//! and the listings by status.

use jiff::civil::date;
use larder_core::{Fee, Money, OrderStatus, Percent, Quantity, StatusEvent, TransitionError};
use larder_store::orders::{self, OrderChange, Sort};
use larder_store::{Store, StoreError};

use super::sessions_contract::{OLGA, order_on, session, weigh_all};

fn grams(n: i64) -> Quantity {
    Quantity::grams(n).unwrap()
}

pub async fn history_records_status_and_field_changes_old_to_new(store: &Store) {
    let s = session(store, "History", None).await;
    let id = order_on(store, s, "Ann", None).await;
    let mut conn = store.conn().await.unwrap();
    let l = orders::get(&mut conn, id).await.unwrap().lines[0].id;
    let day = Some(date(2026, 12, 25));
    let edits = [
        OrderChange::IssueDate(day),
        OrderChange::Discount(Percent::from_basis_points(1_500).unwrap()),
        OrderChange::Fee(Fee::Manual(Money::from_minor(1_500))),
        OrderChange::ClientName("Ann".into()),
    ];
    let mut v = 1;
    for change in edits {
        orders::update(&mut conn, id, v, change, Some(OLGA), 10 + v)
            .await
            .unwrap();
        v += 1;
    }
    orders::set_weighed(&mut conn, id, v, l, Some(grams(315)), Some(OLGA), 20)
        .await
        .unwrap();
    orders::set_status(
        &mut conn,
        id,
        v + 1,
        StatusEvent::Complete,
        None,
        None,
        None,
        30,
    )
    .await
    .unwrap();
    let h = orders::history(&mut conn, id).await.unwrap();
    let rows: Vec<_> = h
        .iter()
        .map(|e| {
            (
                e.field.kind().as_str(),
                e.field.as_str(),
                e.old.as_deref(),
                e.new.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("status", "status", None, Some("processing")),
            ("field", "issue_date", None, Some("2026-12-25")),
            ("field", "discount", Some("0%"), Some("15%")),
            ("field", "fee", Some("auto"), Some("1500")),
            ("line", "weighed", Some("Brie: —"), Some("Brie: 315 g")),
            ("status", "status", Some("processing"), Some("completed")),
        ],
        "an edit that changes nothing (same client name) is not recorded"
    );
    assert_eq!((h[1].at, h[1].actor), (11, Some(OLGA)));
    assert_eq!((h[5].at, h[5].actor), (30, None));
}

pub async fn status_changes_set_and_clear_their_timestamps(store: &Store) {
    let s = session(store, "Status", None).await;
    let id = order_on(store, s, "Ann", None).await;
    let mut c = store.conn().await.unwrap();
    let fee = Some(Money::from_minor(30_000));
    let day = date(2026, 12, 24);
    let v = weigh_all(&mut c, id).await;
    orders::set_status(&mut c, id, v, StatusEvent::Complete, fee, None, None, 100)
        .await
        .unwrap();
    let o = orders::get(&mut c, id).await.unwrap();
    assert_eq!(
        (o.status, o.completed_at, o.fee_fixed, o.issued_at),
        (OrderStatus::Completed, Some(100), fee, None)
    );
    orders::set_status(
        &mut c,
        id,
        v + 1,
        StatusEvent::Issue,
        None,
        Some(day),
        None,
        200,
    )
    .await
    .unwrap();
    let o = orders::get(&mut c, id).await.unwrap();
    assert_eq!(
        (o.status, o.issued_at, o.issued_on, o.fee_fixed),
        (OrderStatus::Issued, Some(200), Some(day), fee)
    );
    orders::set_status(
        &mut c,
        id,
        v + 2,
        StatusEvent::Unissue,
        None,
        None,
        None,
        300,
    )
    .await
    .unwrap();
    let o = orders::get(&mut c, id).await.unwrap();
    assert_eq!(
        (o.completed_at, o.issued_at, o.issued_on, o.fee_fixed),
        (Some(100), None, None, fee)
    );
    orders::set_status(
        &mut c,
        id,
        v + 3,
        StatusEvent::Reopen,
        None,
        None,
        None,
        400,
    )
    .await
    .unwrap();
    let o = orders::get(&mut c, id).await.unwrap();
    assert_eq!(
        (
            o.status,
            o.completed_at,
            o.issued_at,
            o.issued_on,
            o.fee_fixed
        ),
        (OrderStatus::Processing, None, None, None, None)
    );
    assert_eq!(o.version, v + 4);
}

/// The store moves an order only along the core's table: completing with a
/// line not weighed, or issuing an order still processing, is refused with
/// the table's reason and writes nothing (no version, no history).
pub async fn a_move_the_state_machine_refuses_changes_nothing(store: &Store) {
    let s = session(store, "Refusals", None).await;
    let id = order_on(store, s, "Ann", None).await;
    let mut c = store.conn().await.unwrap();
    let complete = orders::set_status(&mut c, id, 1, StatusEvent::Complete, None, None, None, 5);
    assert!(
        matches!(
            complete.await,
            Err(StoreError::Transition(TransitionError::Unweighed {
                lines: 1
            }))
        ),
        "an unweighed line blocks completing"
    );
    let issue = orders::set_status(&mut c, id, 1, StatusEvent::Issue, None, None, None, 5);
    assert!(
        matches!(
            issue.await,
            Err(StoreError::Transition(TransitionError::NotAllowed {
                from: OrderStatus::Processing,
                event: StatusEvent::Issue
            }))
        ),
        "a processing order is not issued"
    );
    let o = orders::get(&mut c, id).await.unwrap();
    assert_eq!((o.status, o.version), (OrderStatus::Processing, 1));
    assert_eq!(orders::history(&mut c, id).await.unwrap().len(), 1);
    // A history name this build does not know is reported, not guessed at.
    sqlx::query(
        "INSERT INTO order_history (order_id, at, actor, kind, field, old, new) \
         VALUES ($1, 6, NULL, 'field', 'colour', NULL, 'red')",
    )
    .bind(id.get())
    .execute(&mut *c)
    .await
    .unwrap();
    assert!(matches!(
        orders::history(&mut c, id).await,
        Err(StoreError::Corrupt(_))
    ));
}

pub async fn issue_completed_issues_only_completed_orders_of_that_session(store: &Store) {
    let s = session(store, "Market", None).await;
    let other = session(store, "Other", None).await;
    let done = [
        order_on(store, s, "Ann", None).await,
        order_on(store, s, "Bob", None).await,
    ];
    let open = order_on(store, s, "Cid", None).await;
    let elsewhere = order_on(store, other, "Dan", None).await;
    let mut c = store.conn().await.unwrap();
    for id in done.into_iter().chain([elsewhere]) {
        let v = weigh_all(&mut c, id).await;
        orders::set_status(&mut c, id, v, StatusEvent::Complete, None, None, None, 5)
            .await
            .unwrap();
    }
    let day = date(2026, 12, 24);
    assert_eq!(
        orders::issue_completed(&mut c, s, day, Some(OLGA), 9)
            .await
            .unwrap(),
        2
    );
    for id in done {
        let o = orders::get(&mut c, id).await.unwrap();
        assert_eq!(
            (o.status, o.issued_at, o.issued_on, o.version),
            (OrderStatus::Issued, Some(9), Some(day), 4)
        );
        let last = orders::history(&mut c, id).await.unwrap().pop().unwrap();
        assert_eq!(
            (last.old.as_deref(), last.new.as_deref(), last.actor),
            (Some("completed"), Some("issued"), Some(OLGA))
        );
    }
    assert_eq!(
        orders::get(&mut c, open).await.unwrap().status,
        OrderStatus::Processing
    );
    assert_eq!(
        orders::get(&mut c, elsewhere).await.unwrap().status,
        OrderStatus::Completed
    );
    let issued = orders::list(&mut c, OrderStatus::Issued, None, Sort::IssuedNewest, 0, 10)
        .await
        .unwrap();
    assert_eq!(issued.len(), 2);
    assert_eq!(issued[0].issued_on, Some(day));
}

pub async fn move_to_session_takes_the_next_number_there(store: &Store) {
    let from = session(store, "From", None).await;
    let to = session(store, "To", None).await;
    let id = order_on(store, from, "Ann", None).await;
    order_on(store, to, "Bob", None).await;
    order_on(store, to, "Cid", None).await;
    let mut c = store.conn().await.unwrap();
    assert_eq!(
        orders::move_to_session(&mut c, id, 1, to, Some(OLGA), 5)
            .await
            .unwrap(),
        3
    );
    let o = orders::get(&mut c, id).await.unwrap();
    assert_eq!((o.session_id, o.number, o.version), (to, 3, 2));
    let last = orders::history(&mut c, id).await.unwrap().pop().unwrap();
    assert_eq!(last.field.as_str(), "session");
    let dan = order_on(store, to, "Dan", None).await;
    assert_eq!(orders::get(&mut c, dan).await.unwrap().number, 4);
    assert_eq!(
        orders::count(&mut c, OrderStatus::Processing, Some(to))
            .await
            .unwrap(),
        4
    );
    assert_eq!(
        orders::count(&mut c, OrderStatus::Processing, Some(from))
            .await
            .unwrap(),
        0
    );
}

pub async fn order_lists_sort_by_issue_date_with_undated_last(store: &Store) {
    let s = session(store, "Sort", None).await;
    let undated = order_on(store, s, "Undated", None).await;
    let late = order_on(store, s, "Late", Some(date(2026, 12, 31))).await;
    let early = order_on(store, s, "Early", Some(date(2026, 12, 1))).await;
    let mut c = store.conn().await.unwrap();
    let ids = |list: Vec<orders::OrderSummary>| list.into_iter().map(|o| o.id).collect::<Vec<_>>();
    let asc = orders::list(
        &mut c,
        OrderStatus::Processing,
        None,
        Sort::IssueDateAsc,
        0,
        9,
    )
    .await;
    assert_eq!(ids(asc.unwrap()), [early, late, undated]);
    let desc = orders::list(
        &mut c,
        OrderStatus::Processing,
        Some(s),
        Sort::IssueDateDesc,
        0,
        9,
    )
    .await;
    assert_eq!(ids(desc.unwrap()), [late, early, undated]);
    let page = orders::list(
        &mut c,
        OrderStatus::Processing,
        None,
        Sort::IssueDateAsc,
        1,
        1,
    )
    .await;
    assert_eq!(ids(page.unwrap()), [late]);
}
