//! Contract: the shop — carts, placing an order once, the kitchen's and
//! couriers' steps, staff groups and their cards, reviews and ratings.

use larder_core::{Money, OrderStatus, ProductName, StatusEvent, TgUserId, Unit};
use larder_store::groups::{self, CardKind, GroupRole};
use larder_store::orders;
use larder_store::reviews::{self, ReviewState};
use larder_store::shop::{self, NewShopOrder, Stage};
use larder_store::{Channel, Store, StoreError, customers, products, sessions};

use super::sessions_contract::{line, new_order};

const COOK: TgUserId = TgUserId::new(3001);
const PETE: TgUserId = TgUserId::new(4001);
const IVAN: TgUserId = TgUserId::new(4002);

async fn placed(store: &Store, key: &str) -> (larder_core::OrderId, larder_core::CustomerId) {
    let mut tx = store.begin().await.unwrap();
    let customer = customers::get_or_create(&mut tx, Channel::Telegram, 5001, 1)
        .await
        .unwrap();
    let inbox = sessions::inbox(&mut tx).await.unwrap();
    let mut order = new_order(inbox.id, "Anna", vec![line("Soup", 300)]);
    order.delivery = true;
    order.address = Some("Main St 1".into());
    let new = NewShopOrder {
        order,
        customer: customer.id,
        origin: Channel::Telegram,
        checkout_key: key.into(),
        ready_by: 1_000,
    };
    let (id, _, fresh) = shop::place(&mut tx, &new, 1).await.unwrap();
    assert!(fresh);
    tx.commit().await.unwrap();
    (id, customer.id)
}

pub async fn carts_add_change_and_remove_items(store: &Store) {
    let mut c = store.conn().await.unwrap();
    let customer = customers::get_or_create(&mut c, Channel::Vk, 7, 1)
        .await
        .unwrap();
    let soup = products::insert(
        &mut c,
        &ProductName::parse("Soup").unwrap(),
        Unit::Piece,
        Money::from_minor(300),
        1,
    )
    .await
    .unwrap();
    let tea = products::insert(
        &mut c,
        &ProductName::parse("Tea").unwrap(),
        Unit::Piece,
        Money::from_minor(100),
        1,
    )
    .await
    .unwrap();
    shop::set_cart(&mut c, customer.id, tea, 1, 2)
        .await
        .unwrap();
    shop::set_cart(&mut c, customer.id, soup, 2, 3)
        .await
        .unwrap();
    shop::set_cart(&mut c, customer.id, tea, 3, 4)
        .await
        .unwrap();
    let cart = shop::cart(&mut c, customer.id).await.unwrap();
    let got: Vec<_> = cart.iter().map(|i| (i.product_id, i.quantity)).collect();
    assert_eq!(
        got,
        [(tea, 3), (soup, 2)],
        "oldest first, quantity replaced"
    );
    shop::set_cart(&mut c, customer.id, tea, 0, 5)
        .await
        .unwrap();
    assert_eq!(shop::cart(&mut c, customer.id).await.unwrap().len(), 1);
    shop::clear_cart(&mut c, customer.id).await.unwrap();
    assert!(shop::cart(&mut c, customer.id).await.unwrap().is_empty());
}

pub async fn a_checkout_places_one_order_and_remembers_the_address(store: &Store) {
    let (id, customer) = placed(store, "tg:5001:1").await;
    let mut c = store.conn().await.unwrap();
    let again = NewShopOrder {
        order: new_order(
            sessions::inbox(&mut c).await.unwrap().id,
            "Anna",
            vec![line("Soup", 300)],
        ),
        customer,
        origin: Channel::Telegram,
        checkout_key: "tg:5001:1".into(),
        ready_by: 1_000,
    };
    let (same, number, fresh) = shop::place(&mut c, &again, 2).await.unwrap();
    assert_eq!((same, number, fresh), (id, 1, false));
    let p = shop::pipeline(&mut c, id).await.unwrap();
    assert_eq!(p.customer, Some(customer));
    assert_eq!(p.origin, Some(Channel::Telegram));
    assert_eq!(p.told, Some(Stage::Placed));
    let who = customers::get(&mut c, customer).await.unwrap();
    assert_eq!(who.last_address.as_deref(), Some("Main St 1"));
    let (mine, total) = shop::customer_orders(&mut c, customer, 0, 10)
        .await
        .unwrap();
    assert_eq!((mine, total), (vec![id], 1));
}

pub async fn the_kitchen_accepts_once_and_one_courier_takes_it(store: &Store) {
    let (id, _) = placed(store, "k1").await;
    let mut c = store.conn().await.unwrap();
    assert!(shop::accept(&mut c, id, COOK, 5).await.unwrap());
    assert!(!shop::accept(&mut c, id, COOK, 6).await.unwrap(), "once");
    let tasks: Vec<_> = [(PETE, "Pete"), (IVAN, "Ivan")]
        .into_iter()
        .map(|(who, name)| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut tx = store.begin().await.unwrap();
                let r = shop::take(&mut tx, id, who, name, 7).await.unwrap();
                tx.commit().await.unwrap();
                r
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let winners = results.iter().filter(|r| **r == shop::Took::Taken).count();
    assert_eq!(winners, 1, "{results:?}");
    let p = shop::pipeline(&mut c, id).await.unwrap();
    let loser = results
        .iter()
        .find_map(|r| match r {
            shop::Took::AlreadyBy(who) => Some(who.clone()),
            shop::Took::Taken => None,
        })
        .unwrap();
    assert_eq!(Some(loser), p.courier_name, "the loser hears who has it");
    assert_eq!(p.accepted_by, Some(COOK));
    assert!(shop::set_told(&mut c, id, Stage::Accepted).await.unwrap());
    assert!(!shop::set_told(&mut c, id, Stage::Accepted).await.unwrap());
    let steps: Vec<_> = orders::history(&mut c, id)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.field.as_str())
        .collect();
    assert_eq!(steps, ["status", "kitchen", "courier"]);
}

pub async fn cancelled_orders_keep_their_lines_and_leave_the_open_counts(store: &Store) {
    let (id, _) = placed(store, "c1").await;
    let mut c = store.conn().await.unwrap();
    let o = orders::get(&mut c, id).await.unwrap();
    orders::set_status(
        &mut c,
        id,
        o.version,
        StatusEvent::Cancel,
        None,
        None,
        None,
        9,
    )
    .await
    .unwrap();
    let o = orders::get(&mut c, id).await.unwrap();
    assert_eq!(o.status, OrderStatus::Cancelled);
    assert_eq!(o.lines.len(), 1);
    assert!(
        !shop::accept(&mut c, id, COOK, 10).await.unwrap(),
        "not after cancelling"
    );
    let page = sessions::page(&mut c, false, 0, 10).await.unwrap();
    assert_eq!(page[0].open_orders, 0);
    assert_eq!(
        orders::count(&mut c, OrderStatus::Cancelled, None)
            .await
            .unwrap(),
        1
    );
}

pub async fn groups_bind_follow_migration_and_get_lost(store: &Store) {
    let (id, _) = placed(store, "g1").await;
    let mut c = store.conn().await.unwrap();
    groups::bind(
        &mut c,
        GroupRole::Kitchen,
        Channel::Telegram,
        -100,
        "Kitchen",
        COOK,
        1,
    )
    .await
    .unwrap();
    groups::bind(
        &mut c,
        GroupRole::Admins,
        Channel::Telegram,
        -300,
        "Admins",
        COOK,
        1,
    )
    .await
    .unwrap();
    let (card, fresh) = groups::card(&mut c, id, CardKind::Kitchen, Channel::Telegram, -100, 2)
        .await
        .unwrap();
    assert!(fresh && card.message_id.is_none());
    let (again, fresh) = groups::card(&mut c, id, CardKind::Kitchen, Channel::Telegram, -100, 3)
        .await
        .unwrap();
    assert!(!fresh && again.id == card.id);
    groups::set_card_message(&mut c, card.id, 55).await.unwrap();
    assert_eq!(
        groups::get_card(&mut c, card.id).await.unwrap().message_id,
        Some(55)
    );
    assert_eq!(
        groups::move_chat(&mut c, Channel::Telegram, -100, -1_000_100)
            .await
            .unwrap(),
        1
    );
    let kitchen = groups::get(&mut c, GroupRole::Kitchen)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kitchen.chat_id, -1_000_100);
    let moved = groups::get_card(&mut c, card.id).await.unwrap();
    assert_eq!((moved.chat_id, moved.message_id), (-1_000_100, None));
    let lost = groups::mark_lost(&mut c, Channel::Telegram, -300, "kicked", 4)
        .await
        .unwrap();
    assert_eq!(lost, [GroupRole::Admins]);
    assert!(
        groups::mark_lost(&mut c, Channel::Telegram, -300, "kicked", 5)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        groups::reachable(&mut c, GroupRole::Admins)
            .await
            .unwrap()
            .is_none()
    );
    groups::bind(
        &mut c,
        GroupRole::Admins,
        Channel::Telegram,
        -300,
        "Admins",
        COOK,
        6,
    )
    .await
    .unwrap();
    assert!(
        groups::reachable(&mut c, GroupRole::Admins)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        groups::roles_of(&mut c, Channel::Telegram, -300)
            .await
            .unwrap(),
        [GroupRole::Admins]
    );
}

pub async fn reviews_wait_for_moderation_and_averages_are_true(store: &Store) {
    let (first, customer) = placed(store, "r1").await;
    let (second, _) = placed(store, "r2").await;
    let mut c = store.conn().await.unwrap();
    let soup = products::insert(
        &mut c,
        &ProductName::parse("Soup").unwrap(),
        Unit::Piece,
        Money::from_minor(300),
        1,
    )
    .await
    .unwrap();
    reviews::rate(&mut c, first, Some(customer), 5, 2)
        .await
        .unwrap();
    reviews::rate(&mut c, second, Some(customer), 2, 2)
        .await
        .unwrap();
    reviews::rate_dish(&mut c, first, soup, 5, 2).await.unwrap();
    reviews::rate_dish(&mut c, second, soup, 4, 2)
        .await
        .unwrap();
    reviews::rate_dish(&mut c, second, soup, 3, 3)
        .await
        .unwrap();
    // (5 + 3) / 2, not ((5 + 4) / 2 + 3) / 2.
    assert_eq!(reviews::dish_score(&mut c, soup).await.unwrap(), (8, 2));
    assert_eq!(reviews::shop_score(&mut c).await.unwrap(), (7, 2));
    reviews::comment(&mut c, first, Some(customer), "Lovely", 4)
        .await
        .unwrap();
    assert_eq!(reviews::published(&mut c, 0, 10).await.unwrap().1, 0);
    assert!(
        reviews::moderate(&mut c, first, true, COOK, 5)
            .await
            .unwrap()
    );
    assert!(
        !reviews::moderate(&mut c, first, false, COOK, 6)
            .await
            .unwrap(),
        "once"
    );
    let late = reviews::comment(&mut c, first, Some(customer), "Edited", 7).await;
    assert!(matches!(late, Err(StoreError::Refused)), "{late:?}");
    let (items, total) = reviews::published(&mut c, 0, 10).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(items[0].comment, "Lovely");
    assert_eq!(items[0].rating, Some(5));
    let r = reviews::get(&mut c, first).await.unwrap().unwrap();
    assert_eq!(r.state, ReviewState::Published);
}

/// Version 6 rebuilds `orders` on SQLite: existing orders keep their lines
/// and history, and references are still enforced. `store` has no schema yet.
pub async fn upgrading_keeps_existing_orders_and_their_references(store: &Store) {
    store.migrate_to(5, crate::MIGRATED_AT).await.unwrap();
    let mut c = store.conn().await.unwrap();
    let inbox = sessions::inbox(&mut c).await.unwrap();
    let order = new_order(
        inbox.id,
        "Olga",
        vec![line("Brie", 300), line("Gouda", 200)],
    );
    let (id, _) = orders::create(&mut c, &order, None, 1).await.unwrap();
    drop(c);
    assert_eq!(
        store.migrate(crate::MIGRATED_AT).await.unwrap(),
        [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    );
    let mut c = store.conn().await.unwrap();
    let o = orders::get(&mut c, id).await.unwrap();
    assert_eq!((o.client_name.as_str(), o.lines.len()), ("Olga", 2));
    assert_eq!(orders::history(&mut c, id).await.unwrap().len(), 1);
    let next = orders::create(&mut c, &order, None, 2).await.unwrap();
    assert_eq!(next.1, 2, "numbering goes on");
    orders::delete(&mut c, id, o.version).await.unwrap();
    let orphans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_lines WHERE order_id = $1")
        .bind(id.get())
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(orphans, 0, "lines still go with their order");
}

/// Version 9 (the delivery runtime) keeps stored updates and marks waiting
/// calls as written by the previous sender, so they are still sent.
pub async fn upgrading_to_the_runtime_keeps_updates_and_waiting_calls(store: &Store) {
    use larder_store::{Channel, inbox, outbox};
    store.migrate_to(8, crate::MIGRATED_AT).await.unwrap();
    let mut c = store.conn().await.unwrap();
    sqlx::query(
        "INSERT INTO inbox (channel, update_id, chat_id, payload, received_at) \
         VALUES ('telegram', 41, 5, '{}', 1)",
    )
    .execute(&mut *c)
    .await
    .unwrap();
    for (key, status) in [("old-sent", "sent"), ("old-waiting", "pending")] {
        sqlx::query(
            "INSERT INTO outbox (channel, chat_id, kind, payload, idempotency_key, status, \
             next_attempt_at, created_at) VALUES ('telegram', 5, 'desk_edit', '{}', $1, $2, 1, 1)",
        )
        .bind(key)
        .bind(status)
        .execute(&mut *c)
        .await
        .unwrap();
    }
    // Screens remembered by their message ids; VK's are now named by
    // conversation message ids, so VK's are forgotten (sent anew).
    for channel in ["telegram", "vk"] {
        sqlx::query(
            "INSERT INTO chat_state (channel, chat_id, screen, desk_message_id, updated_at) \
             VALUES ($1, 5, 'null', 77, 1)",
        )
        .bind(channel)
        .execute(&mut *c)
        .await
        .unwrap();
    }
    drop(c);
    assert_eq!(
        store.migrate(crate::MIGRATED_AT).await.unwrap(),
        [9, 10, 11, 12, 13, 14, 15]
    );
    let mut c = store.conn().await.unwrap();
    let screens: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT channel, desk_message_id FROM chat_state ORDER BY channel")
            .fetch_all(&mut *c)
            .await
            .unwrap();
    assert_eq!(
        screens,
        [("telegram".to_owned(), Some(77)), ("vk".to_owned(), None)]
    );
    drop(c);
    let mut c = store.conn().await.unwrap();
    let pending = inbox::pending(&mut c, Channel::Telegram, 10).await.unwrap();
    assert_eq!((pending[0].update_id, pending[0].identity), (Some(41), 41));
    let waiting = outbox::pending(&mut c, Channel::Telegram, 0, 10)
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].kind, "v1:desk_edit");
    assert_eq!(waiting[0].deadline_at, 1 + 86_400_000);
    assert_eq!(outbox::count(&mut c, "sent").await.unwrap(), 1);
}
