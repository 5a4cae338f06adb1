//! Contract: sessions, invites, and the helpers the order tests share.

use jiff::civil::{Date, date};
use larder_core::{
    Fee, Money, Percent, ProductId, Quantity, Role, SessionId, StatusEvent, TgUserId, Unit,
};
use larder_store::orders::{self, NewLine, NewOrder};
use larder_store::sessions::{self, SessionChange};
use larder_store::{Store, StoreError, invites};

pub const OLGA: TgUserId = TgUserId::new(1001);

pub fn line(name: &str, grams: i64) -> NewLine {
    NewLine {
        product_id: None,
        name: name.into(),
        unit: Unit::Kg,
        price: Money::from_minor(25_000),
        ordered: Quantity::grams(grams).unwrap(),
        packing: None,
        packing_rate: None,
    }
}

pub fn new_order(session: SessionId, client: &str, lines: Vec<NewLine>) -> NewOrder {
    NewOrder {
        session_id: session,
        client_name: client.into(),
        phone: Some("+15550100".into()),
        delivery: false,
        address: None,
        issue_date: None,
        issue_time: None,
        discount: Percent::ZERO,
        fee: Fee::Auto,
        note: None,
        customer: None,
        lines,
    }
}

/// Creates an order in `session` dated `day` (or undated); returns its id.
pub async fn order_on(
    store: &Store,
    session: SessionId,
    client: &str,
    day: Option<Date>,
) -> larder_core::OrderId {
    let mut conn = store.conn().await.unwrap();
    let mut o = new_order(session, client, vec![line("Brie", 300)]);
    o.issue_date = day;
    orders::create(&mut conn, &o, Some(OLGA), 1)
        .await
        .unwrap()
        .0
}

/// Weighs every line as ordered; the order's version after.
pub async fn weigh_all(conn: &mut larder_store::AnyConnection, id: larder_core::OrderId) -> i64 {
    let o = orders::get(conn, id).await.unwrap();
    let mut version = o.version;
    for l in o.lines {
        orders::set_weighed(conn, id, version, l.id, Some(l.ordered), None, 1)
            .await
            .unwrap();
        version += 1;
    }
    version
}

pub async fn session(store: &Store, name: &str, day: Option<Date>) -> SessionId {
    let mut conn = store.conn().await.unwrap();
    sessions::create(&mut conn, name, "", day, None, 1)
        .await
        .unwrap()
}

pub async fn fresh_database_has_one_inbox_that_cannot_be_archived_or_deleted(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let inbox = sessions::inbox(&mut tx).await.unwrap();
    assert!(inbox.is_inbox && !inbox.archived);
    assert_eq!(sessions::count(&mut tx, false).await.unwrap(), 1);
    let archive = SessionChange::Archived(true);
    let refused = sessions::update(&mut tx, inbox.id, inbox.version, archive, 2).await;
    assert!(matches!(refused, Err(StoreError::Refused)), "{refused:?}");
    let refused = sessions::delete(&mut tx, inbox.id).await;
    assert!(matches!(refused, Err(StoreError::Refused)), "{refused:?}");
    // The refusals leave the transaction usable.
    sessions::update(&mut tx, inbox.id, 1, SessionChange::Name("Входящие"), 3)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    let inbox = sessions::get(&mut conn, inbox.id).await.unwrap();
    assert_eq!((inbox.name.as_str(), inbox.version), ("Входящие", 2));
    assert!(
        sessions::page(&mut conn, true, 0, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn session_names_are_unique_among_active_ones_and_stale_edits_conflict(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let market = sessions::create(&mut tx, "Market", "", None, None, 1)
        .await
        .unwrap();
    let dup = sessions::create(&mut tx, "MARKET", "", None, None, 1).await;
    assert!(matches!(dup, Err(StoreError::Duplicate)), "{dup:?}");
    sessions::update(&mut tx, market, 1, SessionChange::Archived(true), 2)
        .await
        .unwrap();
    sessions::create(&mut tx, "market", "", None, None, 3)
        .await
        .unwrap();
    let stale = sessions::update(&mut tx, market, 1, SessionChange::Place(Some("Pier")), 4).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    let clash = sessions::update(&mut tx, market, 2, SessionChange::Archived(false), 4).await;
    assert!(matches!(clash, Err(StoreError::Duplicate)), "{clash:?}");
    let day = date(2026, 12, 25);
    sessions::update(&mut tx, market, 2, SessionChange::HeldOn(Some(day)), 5)
        .await
        .unwrap();
    let s = sessions::get(&mut tx, market).await.unwrap();
    assert_eq!(
        (s.held_on, s.place, s.archived, s.version),
        (Some(day), None, true, 3)
    );
    let missing = sessions::get(&mut tx, SessionId::new(999)).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

pub async fn sessions_page_lists_the_inbox_first_then_by_date_with_open_order_counts(
    store: &Store,
) {
    let late = session(store, "Late", Some(date(2026, 12, 31))).await;
    let undated = session(store, "Anytime", None).await;
    let early = session(store, "Early", Some(date(2026, 12, 1))).await;
    for _ in 0..3 {
        order_on(store, early, "Ann", None).await;
    }
    let done = order_on(store, early, "Bob", None).await;
    let mut conn = store.conn().await.unwrap();
    let v = orders::get(&mut conn, done).await.unwrap().version;
    orders::set_status(&mut conn, done, v, StatusEvent::Cancel, None, None, None, 2)
        .await
        .unwrap();
    let page = sessions::page(&mut conn, false, 0, 10).await.unwrap();
    let names: Vec<_> = page.iter().map(|s| s.session.name.as_str()).collect();
    assert_eq!(names, ["Inbox", "Early", "Late", "Anytime"]);
    assert_eq!((page[1].open_orders, page[1].orders), (3, 4));
    assert_eq!((page[2].session.id, page[2].orders), (late, 0));
    assert_eq!(page[3].session.id, undated);
    let second = sessions::page(&mut conn, false, 2, 2).await.unwrap();
    assert_eq!(second.len(), 2);
    assert_eq!(sessions::count(&mut conn, false).await.unwrap(), 4);
}

pub async fn deleting_a_session_takes_its_orders_lines_and_history(store: &Store) {
    let doomed = session(store, "Doomed", None).await;
    let kept = session(store, "Kept", None).await;
    let a = order_on(store, doomed, "Ann", None).await;
    order_on(store, doomed, "Bob", None).await;
    let c = order_on(store, kept, "Cid", None).await;
    let mut tx = store.begin().await.unwrap();
    assert_eq!(sessions::delete(&mut tx, doomed).await.unwrap(), 2);
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    let gone = orders::get(&mut conn, a).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    assert!(orders::history(&mut conn, a).await.unwrap().is_empty());
    assert!(orders::lines_of(&mut conn, a).await.unwrap().is_empty());
    let gone = sessions::get(&mut conn, doomed).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    assert_eq!(orders::get(&mut conn, c).await.unwrap().lines.len(), 1);
    let again = sessions::delete(&mut conn, doomed).await;
    assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
}

pub async fn product_edits_never_change_existing_lines(store: &Store) {
    use larder_store::products;
    let mut tx = store.begin().await.unwrap();
    let name = larder_core::ProductName::parse("Gouda").unwrap();
    let price = Money::from_minor(25_000);
    let product = products::insert(&mut tx, &name, Unit::Kg, price, 1)
        .await
        .unwrap();
    let inbox = sessions::inbox(&mut tx).await.unwrap().id;
    let mut l = line("Gouda", 500);
    l.product_id = Some(product);
    let (id, _) = orders::create(&mut tx, &new_order(inbox, "Ann", vec![l]), None, 1)
        .await
        .unwrap();
    let renamed = larder_core::ProductName::parse("Old Gouda").unwrap();
    products::update(&mut tx, product, 1, products::Change::Name(&renamed), 2)
        .await
        .unwrap();
    let dearer = products::Change::Price(Money::from_minor(30_000));
    products::update(&mut tx, product, 2, dearer, 3)
        .await
        .unwrap();
    products::update(&mut tx, product, 3, products::Change::Unit(Unit::Piece), 4)
        .await
        .unwrap();
    let line = &orders::get(&mut tx, id).await.unwrap().lines[0];
    assert_eq!(
        (line.product_id, line.name.as_str(), line.unit, line.price),
        (Some(product), "Gouda", Unit::Kg, price)
    );
    assert_eq!(line.product_id.map(ProductId::get), Some(product.get()));
}

pub async fn invites_are_one_time_and_expire(store: &Store) {
    let mut conn = store.conn().await.unwrap();
    invites::create_invite(&mut conn, "abc", Role::Cook, OLGA, 10, 100)
        .await
        .unwrap();
    invites::create_invite(&mut conn, "old", Role::Manager, OLGA, 10, 50)
        .await
        .unwrap();
    let dup = invites::create_invite(&mut conn, "abc", Role::Admin, OLGA, 10, 100).await;
    assert!(matches!(dup, Err(StoreError::Duplicate)), "{dup:?}");
    let bob = TgUserId::new(2002);
    let role = invites::redeem_invite(&mut conn, "abc", bob, 60).await;
    assert_eq!(role.unwrap(), Role::Cook);
    for (code, why) in [("abc", "used"), ("old", "expired"), ("nope", "unknown")] {
        let again = invites::redeem_invite(&mut conn, code, TgUserId::new(3), 60).await;
        assert!(
            matches!(again, Err(StoreError::NotFound)),
            "{why}: {again:?}"
        );
    }
    assert_eq!(invites::purge_invites(&mut conn, 70).await.unwrap(), 2);
}
