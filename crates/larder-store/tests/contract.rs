//! The storage contract, run against SQLite and a throwaway PostgreSQL:
//! every backend must behave the same for every query larder makes.

use larder_core::{Money, ProductName, Role, StatusEvent, TgUserId, Unit};
use larder_store::outbox::{NewCall, Outcome};
use larder_store::{
    Channel, Store, StoreError, chat_state, inbox, outbox, products, settings, staff,
};

#[path = "contract/catalog.rs"]
mod catalog_contract;
#[path = "contract/lifecycle.rs"]
mod lifecycle_contract;
#[path = "contract/orders.rs"]
mod orders_contract;
#[path = "contract/outlets.rs"]
mod outlets_contract;
#[path = "contract/sessions.rs"]
mod sessions_contract;
#[path = "contract/shop.rs"]
mod shop_contract;
use catalog_contract::*;
use lifecycle_contract::*;
use orders_contract::*;
use outlets_contract::*;
use sessions_contract::*;
use shop_contract::*;

/// When the test databases are migrated (2026-12-01T10:00Z); every other
/// time a test needs is written where it is used.
pub const MIGRATED_AT: i64 = 1_796_119_200_000;

struct Db {
    store: Store,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate(MIGRATED_AT).await.unwrap();
    Db {
        store,
        _dir: Some(dir),
    }
}

async fn postgres() -> Option<Db> {
    let url = larder_testkit::postgres_database()?;
    let store = Store::connect(&url).await.unwrap();
    store.migrate(MIGRATED_AT).await.unwrap();
    Some(Db { store, _dir: None })
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = super::sqlite().await;
                super::$name(&db.store).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(db) = super::postgres().await {
                    super::$name(&db.store).await;
                }
            }
        }
    )*};
}

on_both_backends!(
    migrations_apply_once,
    categories_keep_their_order_flags_and_unique_names,
    products_carry_category_description_photo_time_and_stop_list,
    active_product_names_are_unique_ignoring_case,
    archived_products_leave_the_list_and_free_their_name,
    stale_product_edit_is_a_conflict,
    inbox_stores_each_update_once_and_marks_it_done_once,
    inbox_claims_an_update_once_whether_stored_before_or_not,
    inbox_parks_an_update_that_cannot_be_handled,
    outbox_keeps_order_and_idempotency,
    many_outcomes_are_recorded_in_one_go_and_dead_letters_listed,
    hot_statements_use_an_index_on_a_fresh_database,
    chat_state_round_trips_and_keeps_the_desk_id,
    staff_roles_are_granted_once_and_revoked,
    settings_upsert,
    a_dropped_transaction_changes_nothing,
    fresh_database_has_one_inbox_that_cannot_be_archived_or_deleted,
    session_names_are_unique_among_active_ones_and_stale_edits_conflict,
    sessions_page_lists_the_inbox_first_then_by_date_with_open_order_counts,
    deleting_a_session_takes_its_orders_lines_and_history,
    order_numbers_count_up_per_session_independently,
    concurrent_creation_numbers_orders_one_to_eight,
    an_order_and_its_lines_are_saved_together,
    weighed_none_and_zero_round_trip_distinctly,
    every_mutation_with_a_stale_version_is_a_conflict_and_changes_nothing,
    history_records_status_and_field_changes_old_to_new,
    status_changes_set_and_clear_their_timestamps,
    a_move_the_state_machine_refuses_changes_nothing,
    issue_completed_issues_only_completed_orders_of_that_session,
    move_to_session_takes_the_next_number_there,
    order_lists_sort_by_issue_date_with_undated_last,
    line_edits_keep_positions_and_packing_applies_to_every_line,
    product_edits_never_change_existing_lines,
    invites_are_one_time_and_expire,
    finding_orders_filters_by_status_session_and_dates,
    carts_add_change_and_remove_items,
    a_checkout_places_one_order_and_remembers_the_address,
    the_kitchen_accepts_once_and_one_courier_takes_it,
    cancelled_orders_keep_their_lines_and_leave_the_open_counts,
    groups_bind_follow_migration_and_get_lost,
    reviews_wait_for_moderation_and_averages_are_true,
    outlet_stock_is_its_ledger_and_never_goes_below_zero,
    a_count_sets_the_stock_and_two_sellers_cannot_count_it_twice,
    corrections_are_new_movements_made_once,
    a_transfer_is_in_transit_until_received_once,
    a_day_shows_what_sales_should_bring_and_reports_are_per_outlet,
);

mod upgrade_to_runtime {
    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = larder_store::Store::connect(&url).await.unwrap();
        super::upgrading_to_the_runtime_keeps_updates_and_waiting_calls(&store).await;
    }
    #[tokio::test]
    async fn postgres() {
        if let Some(url) = larder_testkit::postgres_database() {
            let store = larder_store::Store::connect(&url).await.unwrap();
            super::upgrading_to_the_runtime_keeps_updates_and_waiting_calls(&store).await;
        }
    }
}

mod upgrade {
    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = larder_store::Store::connect(&url).await.unwrap();
        super::upgrading_keeps_existing_orders_and_their_references(&store).await;
    }
    #[tokio::test]
    async fn postgres() {
        if let Some(url) = larder_testkit::postgres_database() {
            let store = larder_store::Store::connect(&url).await.unwrap();
            super::upgrading_keeps_existing_orders_and_their_references(&store).await;
        }
    }
}

fn name(s: &str) -> ProductName {
    ProductName::parse(s).unwrap()
}

async fn migrations_apply_once(store: &Store) {
    assert!(
        store.migrate(MIGRATED_AT).await.unwrap().is_empty(),
        "second run applies nothing"
    );
}

async fn active_product_names_are_unique_ignoring_case(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    products::insert(
        &mut tx,
        &name("Гауда"),
        Unit::Kg,
        Money::from_minor(25_000),
        1,
    )
    .await
    .unwrap();
    let dup = products::insert(&mut tx, &name("гауда"), Unit::Kg, Money::from_minor(1), 1).await;
    assert!(matches!(dup, Err(StoreError::Duplicate)), "{dup:?}");
    // The refused insert leaves the transaction usable (PostgreSQL would abort it).
    let other = products::insert(&mut tx, &name("Brie"), Unit::Kg, Money::from_minor(1), 1)
        .await
        .unwrap();
    let renamed =
        products::update(&mut tx, other, 1, products::Change::Name(&name("ГАУДА")), 2).await;
    assert!(matches!(renamed, Err(StoreError::Duplicate)), "{renamed:?}");
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    assert_eq!(products::count(&mut conn, false).await.unwrap(), 2);
}

async fn archived_products_leave_the_list_and_free_their_name(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let id = products::insert(
        &mut tx,
        &name("Brie"),
        Unit::Kg,
        Money::from_minor(32_000),
        1,
    )
    .await
    .unwrap();
    products::insert(
        &mut tx,
        &name("Feta"),
        Unit::Piece,
        Money::from_minor(2_000),
        1,
    )
    .await
    .unwrap();
    products::update(&mut tx, id, 1, products::Change::Archived(true), 2)
        .await
        .unwrap();
    let active = products::page(&mut tx, false, 0, 10).await.unwrap();
    assert_eq!(
        active.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Feta"]
    );
    assert_eq!(products::count(&mut tx, true).await.unwrap(), 1);
    let again = products::insert(&mut tx, &name("brie"), Unit::Kg, Money::from_minor(1), 3).await;
    assert!(again.is_ok(), "an archived name can be reused: {again:?}");
    let old = products::get(&mut tx, id).await.unwrap();
    assert!(old.archived);
    assert_eq!(old.price, Money::from_minor(32_000));
}

async fn stale_product_edit_is_a_conflict(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let id = products::insert(
        &mut tx,
        &name("Gouda"),
        Unit::Kg,
        Money::from_minor(25_000),
        1,
    )
    .await
    .unwrap();
    products::update(
        &mut tx,
        id,
        1,
        products::Change::Price(Money::from_minor(26_000)),
        2,
    )
    .await
    .unwrap();
    let stale = products::update(&mut tx, id, 1, products::Change::Unit(Unit::Piece), 3).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    let missing = products::update(
        &mut tx,
        larder_core::ProductId::new(999),
        1,
        products::Change::Archived(true),
        3,
    )
    .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    let p = products::get(&mut tx, id).await.unwrap();
    assert_eq!(
        (p.unit, p.price, p.version),
        (Unit::Kg, Money::from_minor(26_000), 2)
    );
}

fn incoming(update_id: i64, chat: i64) -> inbox::Incoming {
    let what = format!("{chat}:{update_id}");
    inbox::Incoming {
        update_id: Some(update_id),
        identity: inbox::identity(&[&update_id.to_string(), &what]),
        chat_id: Some(chat),
        payload: format!("{{\"update_id\":{update_id}}}"),
    }
}

fn ids(rows: &[inbox::InboxRow]) -> Vec<Option<i64>> {
    rows.iter().map(|r| r.update_id).collect()
}

async fn inbox_stores_each_update_once_and_marks_it_done_once(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let fresh = inbox::insert(
        &mut tx,
        Channel::Telegram,
        &[incoming(10, 1), incoming(11, 2)],
        5,
    )
    .await
    .unwrap();
    assert_eq!(fresh.len(), 2);
    let again = inbox::insert(
        &mut tx,
        Channel::Telegram,
        &[incoming(11, 2), incoming(12, 1)],
        6,
    )
    .await
    .unwrap();
    assert_eq!(ids(&again), [Some(12)]);
    let other_channel = inbox::insert(&mut tx, Channel::Vk, &[incoming(10, 1)], 6)
        .await
        .unwrap();
    assert_eq!(other_channel.len(), 1, "identities are unique per channel");
    // The same id for another update (ids handed out anew) is new.
    let reused = inbox::insert(&mut tx, Channel::Telegram, &[incoming(10, 9)], 6)
        .await
        .unwrap();
    assert_eq!(
        reused.len(),
        1,
        "a reused update id with other content is new"
    );
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    let pending = inbox::pending(&mut conn, Channel::Telegram, 10)
        .await
        .unwrap();
    assert_eq!(
        ids(&pending),
        [Some(10), Some(11), Some(12), Some(10)],
        "each channel's handler sees only its own updates, in arrival order"
    );
    let vk = inbox::pending(&mut conn, Channel::Vk, 10).await.unwrap();
    assert_eq!(ids(&vk), [Some(10)]);
    assert!(inbox::mark_done(&mut conn, pending[0].id, 7).await.unwrap());
    assert!(
        !inbox::mark_done(&mut conn, pending[0].id, 8).await.unwrap(),
        "done only once"
    );
    assert_eq!(inbox::count(&mut conn, "pending").await.unwrap(), 4);
}

async fn inbox_claims_an_update_once_whether_stored_before_or_not(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let fresh = incoming(20, 1);
    assert!(
        inbox::claim(&mut tx, Channel::Telegram, &fresh, 1)
            .await
            .unwrap()
            .is_some(),
        "a new update is stored as done"
    );
    assert_eq!(
        inbox::claim(&mut tx, Channel::Telegram, &fresh, 2)
            .await
            .unwrap(),
        None,
        "and only once"
    );
    let stored = incoming(21, 1);
    inbox::insert(&mut tx, Channel::Telegram, std::slice::from_ref(&stored), 3)
        .await
        .unwrap();
    assert!(
        inbox::claim(&mut tx, Channel::Telegram, &stored, 4)
            .await
            .unwrap()
            .is_some(),
        "a stored, pending update is claimed"
    );
    assert_eq!(
        inbox::claim(&mut tx, Channel::Telegram, &stored, 5)
            .await
            .unwrap(),
        None
    );
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    assert_eq!(inbox::count(&mut conn, "done").await.unwrap(), 2);
    assert_eq!(inbox::count(&mut conn, "pending").await.unwrap(), 0);
}

async fn inbox_parks_an_update_that_cannot_be_handled(store: &Store) {
    let mut conn = store.conn().await.unwrap();
    let stored = incoming(1, 1);
    inbox::insert(
        &mut conn,
        Channel::Telegram,
        std::slice::from_ref(&stored),
        1,
    )
    .await
    .unwrap();
    inbox::park(&mut conn, Channel::Telegram, &stored, "forged", 2)
        .await
        .unwrap();
    // One never stored before is stored as parked.
    inbox::park(&mut conn, Channel::Telegram, &incoming(2, 1), "forged", 2)
        .await
        .unwrap();
    assert_eq!(inbox::count(&mut conn, "failed").await.unwrap(), 2);
    assert!(
        inbox::pending(&mut conn, Channel::Telegram, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        inbox::claim(&mut tx, Channel::Telegram, &stored, 3)
            .await
            .unwrap(),
        None,
        "a parked update is not handled after all"
    );
}

fn call(chat: i64, kind: &str, key: &str) -> NewCall {
    NewCall {
        channel: Channel::Telegram,
        chat_id: chat,
        kind: kind.into(),
        payload: "{}".into(),
        idempotency_key: key.into(),
        random_id: 7,
        file_id: None,
    }
}

fn finished(id: i64, outcome: Outcome, detail: Option<&str>) -> outbox::Finished {
    outbox::Finished {
        id,
        outcome,
        detail: detail.map(str::to_owned),
    }
}

async fn outbox_keeps_order_and_idempotency(store: &Store) {
    let mut conn = store.conn().await.unwrap();
    let added = outbox::enqueue(
        &mut conn,
        &[call(5, "a", "k1"), call(5, "b", "k2"), call(6, "c", "k3")],
        100,
        100 + 86_400_000,
    )
    .await
    .unwrap();
    assert!(added.iter().all(Option::is_some));
    assert_eq!(added[0].as_ref().unwrap().deadline_at, 100 + 86_400_000);
    assert_eq!(
        outbox::enqueue(&mut conn, &[call(5, "a", "k1")], 101, 200)
            .await
            .unwrap(),
        [None],
        "same key queues once"
    );
    let all = outbox::pending(&mut conn, Channel::Telegram, 0, 10)
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let after_first = outbox::pending(&mut conn, Channel::Telegram, all[0].id, 10)
        .await
        .unwrap();
    assert_eq!(after_first.len(), 2, "read on from an id");
    let rows = outbox::pending_for_chat(&mut conn, Channel::Telegram, 5, 10)
        .await
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(rows[0].random_id, 7, "the random id is kept with the row");
    outbox::retry_later(&mut conn, rows[0].id, 500, "net")
        .await
        .unwrap();
    let rows = outbox::pending_for_chat(&mut conn, Channel::Telegram, 5, 10)
        .await
        .unwrap();
    assert_eq!((rows[0].attempts, rows[0].next_attempt_at), (1, 500));
    outbox::finish(
        &mut conn,
        &[
            finished(rows[0].id, Outcome::Sent, Some("42")),
            finished(rows[1].id, Outcome::Superseded, None),
        ],
        600,
    )
    .await
    .unwrap();
    outbox::finish(
        &mut conn,
        &[finished(rows[1].id, Outcome::Failed, Some("late"))],
        700,
    )
    .await
    .unwrap();
    assert_eq!(outbox::count(&mut conn, "sent").await.unwrap(), 1);
    assert_eq!(
        outbox::count(&mut conn, "superseded").await.unwrap(),
        1,
        "a final status is final"
    );
    assert!(
        outbox::pending_for_chat(&mut conn, Channel::Telegram, 5, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn many_outcomes_are_recorded_in_one_go_and_dead_letters_listed(store: &Store) {
    let mut conn = store.conn().await.unwrap();
    let calls: Vec<NewCall> = (0..70)
        .map(|n| call(5, "screen_edit", &format!("k{n}")))
        .collect();
    let rows: Vec<_> = outbox::enqueue(&mut conn, &calls, 1, 1000)
        .await
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    let mut done: Vec<outbox::Finished> = rows[..67]
        .iter()
        .map(|r| finished(r.id, Outcome::Sent, None))
        .collect();
    done.push(finished(
        rows[67].id,
        Outcome::Failed,
        Some("400 Bad Request"),
    ));
    done.push(finished(
        rows[68].id,
        Outcome::Expired,
        Some("502 Bad Gateway"),
    ));
    outbox::finish(&mut conn, &done, 2000).await.unwrap();
    assert_eq!(outbox::count(&mut conn, "sent").await.unwrap(), 67);
    assert_eq!(outbox::count(&mut conn, "pending").await.unwrap(), 1);
    let dead = outbox::dead_letters(&mut conn, 10).await.unwrap();
    assert_eq!(dead.len(), 2);
    assert!(
        dead.iter()
            .any(|d| d.status == "expired" && d.error.as_deref() == Some("502 Bad Gateway"))
    );
}

async fn chat_state_round_trips_and_keeps_the_desk_id(store: &Store) {
    let mut conn = store.conn().await.unwrap();
    assert_eq!(
        chat_state::load(&mut conn, Channel::Telegram, 7)
            .await
            .unwrap(),
        None
    );
    chat_state::set_desk_message(&mut conn, Channel::Telegram, 7, Some(99), 1)
        .await
        .unwrap();
    let mut state = chat_state::load(&mut conn, Channel::Telegram, 7)
        .await
        .unwrap()
        .unwrap();
    state.screen = "{\"s\":\"new_price\"}".into();
    state.draft = Some("{\"name\":\"Brie\"}".into());
    state.language = Some("ru".into());
    chat_state::save(&mut conn, &state, 2).await.unwrap();
    let back = chat_state::load(&mut conn, Channel::Telegram, 7)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            back.screen.as_str(),
            back.draft.as_deref(),
            back.desk_message_id
        ),
        (state.screen.as_str(), Some("{\"name\":\"Brie\"}"), Some(99))
    );
    assert!(back.version > state.version);
    assert_eq!(
        chat_state::desk_message(&mut conn, Channel::Telegram, 7)
            .await
            .unwrap(),
        Some(99)
    );
    chat_state::set_desk_message(&mut conn, Channel::Telegram, 7, None, 3)
        .await
        .unwrap();
    assert_eq!(
        chat_state::desk_message(&mut conn, Channel::Telegram, 7)
            .await
            .unwrap(),
        None
    );
}

async fn staff_roles_are_granted_once_and_revoked(store: &Store) {
    let mut conn = store.conn().await.unwrap();
    let olga = TgUserId::new(1001);
    staff::grant(&mut conn, olga, Role::Owner, "Olga", None, 1)
        .await
        .unwrap();
    staff::grant(&mut conn, olga, Role::Owner, "Olga", None, 2)
        .await
        .unwrap();
    staff::grant(&mut conn, olga, Role::Manager, "Olga", Some(olga), 3)
        .await
        .unwrap();
    assert_eq!(
        staff::roles(&mut conn, olga).await.unwrap(),
        [Role::Manager, Role::Owner]
    );
    assert_eq!(
        staff::count_with_role(&mut conn, Role::Owner)
            .await
            .unwrap(),
        1
    );
    assert!(staff::revoke(&mut conn, olga, Role::Manager).await.unwrap());
    assert!(!staff::revoke(&mut conn, olga, Role::Manager).await.unwrap());
    assert_eq!(staff::list(&mut conn).await.unwrap().len(), 1);
}

async fn settings_upsert(store: &Store) {
    let mut conn = store.conn().await.unwrap();
    settings::set(&mut conn, "k", "1").await.unwrap();
    settings::set(&mut conn, "k", "2").await.unwrap();
    assert_eq!(
        settings::get(&mut conn, "k").await.unwrap().as_deref(),
        Some("2")
    );
    settings::delete(&mut conn, "k").await.unwrap();
    assert_eq!(settings::get(&mut conn, "k").await.unwrap(), None);
}

async fn a_dropped_transaction_changes_nothing(store: &Store) {
    {
        let mut tx = store.begin().await.unwrap();
        products::insert(&mut tx, &name("Ghost"), Unit::Kg, Money::from_minor(1), 1)
            .await
            .unwrap();
    }
    let mut conn = store.conn().await.unwrap();
    assert_eq!(products::count(&mut conn, false).await.unwrap(), 0);
}

async fn finding_orders_filters_by_status_session_and_dates(store: &Store) {
    use jiff::civil::date;
    use larder_core::OrderId;
    use larder_core::OrderStatus::{Completed, Issued, Processing};
    use larder_store::orders::{self, OrderFilter};
    let (a, b) = (
        session(store, "A", None).await,
        session(store, "B", None).await,
    );
    let mut conn = store.conn().await.unwrap();
    // (session, created_at, status, issued_on): A#1 A#2 A#3 B#1 B#2.
    let plan = [
        (a, 100, Processing, None),
        (a, 200, Completed, None),
        (a, 300, Issued, Some(date(2026, 3, 28))),
        (b, 150, Issued, Some(date(2026, 3, 30))),
        (b, 400, Issued, Some(date(2026, 3, 29))),
    ];
    let mut ids = Vec::new();
    for (s, at, status, issued_on) in plan {
        let o = new_order(s, "Ann", vec![line("Brie", at), line("Feta", 7)]);
        let (id, _) = orders::create(&mut conn, &o, None, at).await.unwrap();
        if status != Processing {
            let v = weigh_all(&mut conn, id).await;
            orders::set_status(
                &mut conn,
                id,
                v,
                StatusEvent::Complete,
                None,
                None,
                None,
                at,
            )
            .await
            .unwrap();
        }
        if status == Issued {
            let v = orders::get(&mut conn, id).await.unwrap().version;
            orders::set_status(
                &mut conn,
                id,
                v,
                StatusEvent::Issue,
                None,
                issued_on,
                None,
                at,
            )
            .await
            .unwrap();
        }
        ids.push(id);
    }
    async fn found(conn: &mut larder_store::AnyConnection, f: OrderFilter) -> Vec<OrderId> {
        let found = orders::find(conn, &f).await.unwrap();
        found.iter().map(|o| o.id).collect()
    }
    let pick = |i: &[usize]| i.iter().map(|&i| ids[i]).collect::<Vec<_>>();
    assert_eq!(
        found(&mut conn, OrderFilter::default()).await,
        pick(&[0, 1, 2, 3, 4])
    );
    let issued = |session| OrderFilter {
        status: Some(Issued),
        session,
        ..OrderFilter::default()
    };
    assert_eq!(found(&mut conn, issued(None)).await, pick(&[2, 3, 4]));
    assert_eq!(found(&mut conn, issued(Some(b))).await, pick(&[3, 4]));
    let issued_on = |from, to| OrderFilter {
        issued_on: Some((from, to)),
        ..OrderFilter::default()
    };
    let d = |day| date(2026, 3, day);
    assert_eq!(
        found(&mut conn, issued_on(d(29), d(30))).await,
        pick(&[3, 4])
    );
    assert_eq!(found(&mut conn, issued_on(d(28), d(28))).await, pick(&[2]));
    assert_eq!(found(&mut conn, issued_on(d(31), d(31))).await, pick(&[]));
    let created = |from, to| OrderFilter {
        created_ms: Some((from, to)),
        ..OrderFilter::default()
    };
    assert_eq!(
        found(&mut conn, created(150, 300)).await,
        pick(&[1, 3]),
        "[from, to)"
    );
    let all = OrderFilter {
        status: Some(Processing),
        session: Some(a),
        issued_on: None,
        created_ms: Some((0, 1000)),
    };
    assert_eq!(found(&mut conn, all).await, pick(&[0]));
    let full = orders::find(&mut conn, &OrderFilter::default())
        .await
        .unwrap();
    for (o, id) in full.iter().zip(&ids) {
        assert_eq!(o, &orders::get(&mut conn, *id).await.unwrap());
        assert_eq!(o.lines.len(), 2);
    }
}

/// The statements every press or sent call runs, as the database would run
/// them on a fresh, never-analysed database.
const HOT: &[&str] = &[
    "UPDATE inbox SET status = 'done', handled_at = 1, attempts = attempts + 1 \
     WHERE id = 1 AND status = 'pending'",
    "SELECT id, payload FROM inbox WHERE status = 'pending' AND channel = 'telegram' \
     ORDER BY id LIMIT 100",
    "SELECT screen, draft, desk_message_id, language, shown, version FROM chat_state \
     WHERE channel = 'telegram' AND chat_id = 5",
    "SELECT role FROM staff WHERE user_id = 5",
    "SELECT value FROM settings WHERE key = 'vk.ts'",
    "SELECT id FROM customers WHERE channel = 'telegram' AND user_id = 5",
    "UPDATE outbox SET status = 'sent', attempts = attempts + 1, finished_at = 2 \
     WHERE status = 'pending' AND id IN (1, 2, 3, 4)",
    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = 3 WHERE id = 1 \
     AND status = 'pending'",
    "SELECT id, payload FROM outbox WHERE status = 'pending' AND channel = 'telegram' \
     AND id > 0 ORDER BY id LIMIT 500",
    "SELECT id, payload FROM outbox WHERE status = 'pending' AND channel = 'telegram' \
     AND chat_id = 5 ORDER BY id LIMIT 50",
    "SELECT desk_message_id FROM chat_state WHERE channel = 'telegram' AND chat_id = 5",
];

/// The plan of a statement, as text.
async fn plan(store: &Store, sql: &str) -> String {
    use sqlx::Row;
    let mut conn = store.conn().await.unwrap();
    let (explain, column) = match store.backend() {
        larder_store::Backend::Sqlite => (format!("EXPLAIN QUERY PLAN {sql}"), 3),
        larder_store::Backend::Postgres => (format!("EXPLAIN {sql}"), 0),
    };
    sqlx::query(&explain)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String, _>(column).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn hot_statements_use_an_index_on_a_fresh_database(store: &Store) {
    for sql in HOT {
        let plan = plan(store, sql).await;
        let scans = plan.lines().any(|l| {
            l.contains("Seq Scan")
                || (l.contains("SCAN ") && !l.contains("USING") && !l.contains("CONSTANT ROW"))
        });
        assert!(!scans, "{sql}\nscans a whole table:\n{plan}");
    }
    // Storing an update relies on the identity's unique index.
    if store.backend() == larder_store::Backend::Postgres {
        let plan = plan(
            store,
            "INSERT INTO inbox (channel, update_id, identity, chat_id, payload, received_at) \
             VALUES ('telegram', 1, 1, 1, '{}', 1) ON CONFLICT (channel, identity) DO NOTHING",
        )
        .await;
        assert!(plan.contains("inbox_channel_identity_key"), "{plan}");
    }
}
