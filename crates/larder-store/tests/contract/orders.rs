//! Contract: orders, their numbering, lines, versions and history.

use jiff::civil::{date, time};
use larder_core::{Fee, Money, OrderStatus, Percent, Quantity, StatusEvent};
use larder_store::orders::{self, OrderChange, Sort};
use larder_store::{Store, StoreError, sessions};

use super::sessions_contract::{OLGA, line, new_order, order_on, session};

fn grams(n: i64) -> Quantity {
    Quantity::grams(n).unwrap()
}

pub async fn order_numbers_count_up_per_session_independently(store: &Store) {
    let a = session(store, "A", None).await;
    let b = session(store, "B", None).await;
    let mut conn = store.conn().await.unwrap();
    let mut numbers = Vec::new();
    for s in [a, a, b, a, b] {
        let o = new_order(s, "Ann", vec![]);
        numbers.push(orders::create(&mut conn, &o, None, 1).await.unwrap().1);
    }
    assert_eq!(numbers, [1, 2, 1, 3, 2]);
    let missing = new_order(larder_core::SessionId::new(999), "Ann", vec![]);
    let refused = orders::create(&mut conn, &missing, None, 1).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
}

pub async fn concurrent_creation_numbers_orders_one_to_eight(store: &Store) {
    let s = session(store, "Rush", None).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let o = new_order(s, &format!("Client {i}"), vec![line("Brie", 100 + i)]);
                let mut tx = store.begin().await.unwrap();
                let (_, number) = orders::create(&mut tx, &o, None, 1).await.unwrap();
                tx.commit().await.unwrap();
                number
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=8).collect::<Vec<i64>>());
    let mut conn = store.conn().await.unwrap();
    let listed = orders::list(
        &mut conn,
        OrderStatus::Processing,
        Some(s),
        Sort::IssueDateAsc,
        0,
        20,
    );
    let listed = listed.await.unwrap();
    assert_eq!(listed.iter().map(|o| o.number).collect::<Vec<_>>(), numbers);
    assert!(listed.iter().all(|o| o.lines == 1 && o.unweighed == 1));
}

pub async fn an_order_and_its_lines_are_saved_together(store: &Store) {
    let inbox = {
        let mut conn = store.conn().await.unwrap();
        sessions::inbox(&mut conn).await.unwrap().id
    };
    let mut o = new_order(inbox, "Ann", vec![line("Brie", 300), line("Feta", 200)]);
    o.issue_date = Some(date(2026, 12, 25));
    o.issue_time = Some(time(14, 30, 0, 0));
    o.discount = Percent::from_basis_points(1_500).unwrap();
    o.fee = Fee::Manual(Money::from_minor(20_000));
    o.customer = Some(OLGA);
    {
        let mut tx = store.begin().await.unwrap();
        orders::create(&mut tx, &o, Some(OLGA), 5).await.unwrap();
    }
    let mut conn = store.conn().await.unwrap();
    assert_eq!(
        orders::count(&mut conn, OrderStatus::Processing, None)
            .await
            .unwrap(),
        0
    );
    let mut tx = store.begin().await.unwrap();
    let (id, _) = orders::create(&mut tx, &o, Some(OLGA), 5).await.unwrap();
    tx.commit().await.unwrap();
    let saved = orders::get(&mut conn, id).await.unwrap();
    let names: Vec<_> = saved
        .lines
        .iter()
        .map(|l| (l.position, l.name.as_str()))
        .collect();
    assert_eq!(names, [(1, "Brie"), (2, "Feta")]);
    assert_eq!(
        (saved.status, saved.version, saved.created_at),
        (OrderStatus::Processing, 1, 5)
    );
    assert_eq!(
        (saved.issue_date, saved.issue_time),
        (o.issue_date, o.issue_time)
    );
    assert_eq!(
        (saved.discount, saved.fee, saved.customer),
        (o.discount, o.fee, o.customer)
    );
    assert_eq!(saved.phone.as_deref(), Some("+15550100"));
    let mut bad = line("Feta", 1);
    bad.ordered = Quantity::pieces(1).unwrap();
    let refused = orders::create(&mut conn, &new_order(inbox, "Bob", vec![bad]), None, 6).await;
    assert!(matches!(refused, Err(StoreError::Refused)), "{refused:?}");
    assert_eq!(
        orders::count(&mut conn, OrderStatus::Processing, None)
            .await
            .unwrap(),
        1
    );
}

pub async fn weighed_none_and_zero_round_trip_distinctly(store: &Store) {
    let inbox = session(store, "Weigh", None).await;
    let id = order_on(store, inbox, "Ann", None).await;
    let mut conn = store.conn().await.unwrap();
    let o = orders::get(&mut conn, id).await.unwrap();
    let (l1, v) = (o.lines[0].id, o.version);
    let l2 = orders::add_line(&mut conn, id, v, &line("Feta", 150), None, 2)
        .await
        .unwrap();
    orders::set_weighed(&mut conn, id, v + 1, l1, Some(grams(0)), None, 3)
        .await
        .unwrap();
    let o = orders::get(&mut conn, id).await.unwrap();
    assert_eq!(
        (o.lines[0].weighed, o.lines[1].weighed),
        (Some(grams(0)), None)
    );
    assert_eq!(o.lines[1].id, l2);
    let summary = orders::list(
        &mut conn,
        OrderStatus::Processing,
        Some(inbox),
        Sort::IssueDateAsc,
        0,
        5,
    );
    let summary = summary.await.unwrap();
    assert_eq!((summary[0].lines, summary[0].unweighed), (2, 1));
    orders::set_weighed(&mut conn, id, v + 2, l1, None, None, 4)
        .await
        .unwrap();
    assert_eq!(
        orders::get(&mut conn, id).await.unwrap().lines[0].weighed,
        None
    );
}

pub async fn every_mutation_with_a_stale_version_is_a_conflict_and_changes_nothing(store: &Store) {
    let s = session(store, "Stale", None).await;
    let other = session(store, "Other", None).await;
    let id = order_on(store, s, "Ann", None).await;
    let mut tx = store.begin().await.unwrap();
    let before = orders::get(&mut tx, id).await.unwrap();
    let l = before.lines[0].id;
    orders::update(&mut tx, id, 1, OrderChange::Note(Some("x".into())), None, 2)
        .await
        .unwrap();
    let before = orders::get(&mut tx, id).await.unwrap();
    let history = orders::history(&mut tx, id).await.unwrap().len();
    let c = &mut *tx;
    let results = [
        orders::update(c, id, 1, OrderChange::ClientName("Bob".into()), None, 3).await,
        orders::add_line(c, id, 1, &line("Feta", 1), None, 3)
            .await
            .map(drop),
        orders::remove_line(c, id, 1, l, None, 3).await,
        orders::set_ordered(c, id, 1, l, grams(5), None, 3).await,
        orders::set_weighed(c, id, 1, l, Some(grams(5)), None, 3).await,
        orders::set_packing(c, id, 1, None, Some(&packing("box")), None, 3).await,
        orders::set_status(c, id, 1, StatusEvent::Complete, None, None, None, 3)
            .await
            .map(drop),
        orders::move_to_session(c, id, 1, other, None, 3)
            .await
            .map(drop),
        orders::delete(c, id, 1).await,
    ];
    for r in results {
        assert!(matches!(r, Err(StoreError::Conflict)), "{r:?}");
    }
    let missing = larder_core::OrderId::new(999);
    let gone = orders::update(c, missing, 1, OrderChange::Delivery(true), None, 3).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    let wrong_line = larder_core::OrderLineId::new(999);
    let gone = orders::remove_line(c, id, before.version, wrong_line, None, 3).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    assert_eq!(orders::get(&mut conn, id).await.unwrap(), before);
    assert_eq!(orders::history(&mut conn, id).await.unwrap().len(), history);
    assert_eq!(sessions::get(&mut conn, other).await.unwrap().version, 1);
}

pub async fn line_edits_keep_positions_and_packing_applies_to_every_line(store: &Store) {
    let s = session(store, "Lines", None).await;
    let id = order_on(store, s, "Ann", None).await;
    let mut c = store.conn().await.unwrap();
    let first = orders::get(&mut c, id).await.unwrap().lines[0].id;
    let second = orders::add_line(&mut c, id, 1, &line("Feta", 200), None, 2)
        .await
        .unwrap();
    orders::remove_line(&mut c, id, 2, first, None, 3)
        .await
        .unwrap();
    let third = orders::add_line(&mut c, id, 3, &line("Brie", 100), None, 4)
        .await
        .unwrap();
    orders::set_ordered(&mut c, id, 4, second, grams(250), None, 5)
        .await
        .unwrap();
    orders::set_packing(&mut c, id, 5, None, Some(&packing("vacuum")), None, 6)
        .await
        .unwrap();
    orders::set_packing(&mut c, id, 6, Some(third), None, None, 7)
        .await
        .unwrap();
    let o = orders::get(&mut c, id).await.unwrap();
    let lines: Vec<_> = o
        .lines
        .iter()
        .map(|l| (l.id, l.position, l.ordered, l.packing.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [
            (second, 2, grams(250), Some("vacuum")),
            (third, 3, grams(100), None)
        ]
    );
    let wrong_unit =
        orders::set_ordered(&mut c, id, 7, second, Quantity::pieces(1).unwrap(), None, 8).await;
    assert!(
        matches!(wrong_unit, Err(StoreError::Refused)),
        "{wrong_unit:?}"
    );
    orders::delete(&mut c, id, 7).await.unwrap();
    assert!(orders::history(&mut c, id).await.unwrap().is_empty());
    // The rate in force when packing was chosen is kept on the line (2.00 per 100 g).
    let packed = o.lines.iter().find(|l| l.packing.is_some()).unwrap();
    assert_eq!(
        packed.packing_rate,
        Some(larder_core::Money::from_minor(200))
    );
    assert!(
        o.lines
            .iter()
            .filter(|l| l.packing.is_none())
            .all(|l| l.packing_rate.is_none())
    );
}

/// A packing option of 2.00 per 100 g and 5.00 per piece.
fn packing(code: &str) -> larder_core::PackingOption {
    larder_core::PackingOption::new(
        code,
        code,
        larder_core::Money::from_minor(200),
        larder_core::Money::from_minor(500),
    )
    .unwrap()
}
