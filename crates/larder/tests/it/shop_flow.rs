//! The restaurant pipeline end to end: a customer orders in the shop, the
//! kitchen, couriers and admins handle it in their groups, and the customer
//! hears of every step and leaves feedback.

use larder_core::{Money, OrderId, ProductName, Role, TgUserId, Unit};
use larder_store::{categories, orders, products, staff};
use larder_ui::Action;
use larder_ui::{CardAction, ShopAction};

use crate::harness::{Db, OWNER, TestApp};

pub(crate) const ANNA: i64 = 5001;
pub(crate) const COOK: i64 = 3001;
pub(crate) const PETE: i64 = 4001;
pub(crate) const IVAN: i64 = 4002;
pub(crate) const ADMIN: i64 = 2001;
pub(crate) const KITCHEN: i64 = -100;
pub(crate) const COURIERS: i64 = -200;
pub(crate) const ADMINS: i64 = -300;

pub(crate) async fn restaurant(db: Db) -> Option<TestApp> {
    let mut app = restaurant_unstarted(db).await?;
    app.start().await;
    restaurant_setup(&app).await;
    Some(app)
}

/// The restaurant before the bot starts: the shop on, staff users and the
/// three groups in the emulator.
pub(crate) async fn restaurant_unstarted(db: Db) -> Option<TestApp> {
    let mut app = TestApp::unstarted(db, vec![OWNER]).await?;
    app.config.shop.enabled = true;
    // The default hours (10:00–22:00; tests start at 12:00); no base time,
    // so an order takes its dishes' time.
    app.config.shop.base_minutes = 0;
    app.config.shop.phone = "+373 22 000 000".into();
    app.config.shop.address = "Market St 5".into();
    for (id, name) in [
        (ANNA, "Anna"),
        (COOK, "Carl"),
        (PETE, "Pete Brown"),
        (IVAN, "Ivan"),
        (ADMIN, "Ada"),
    ] {
        app.ctl.user(fake_telegram::NewUser::new(id, name)).await;
    }
    app.ctl.group(KITCHEN, "Kitchen", &[OWNER, COOK]).await;
    app.ctl
        .group(COURIERS, "Couriers", &[OWNER, PETE, IVAN])
        .await;
    app.ctl.group(ADMINS, "Admins", &[OWNER, ADMIN]).await;
    Some(app)
}

/// Once the bot runs: staff roles, a soup in the catalog, the groups bound.
pub(crate) async fn restaurant_setup(app: &TestApp) {
    {
        let mut conn = app.store().conn().await.unwrap();
        for (id, role, name) in [
            (COOK, Role::Cook, "Carl"),
            (PETE, Role::Courier, "Pete Brown"),
            (IVAN, Role::Courier, "Ivan"),
            (ADMIN, Role::Admin, "Ada"),
        ] {
            staff::grant(&mut conn, TgUserId::new(id), role, name, None, 1)
                .await
                .unwrap();
        }
        let soups = categories::create(&mut conn, "Soups", 1).await.unwrap();
        let name = ProductName::parse("Borscht").unwrap();
        let borscht = products::insert(&mut conn, &name, Unit::Piece, Money::from_minor(15_000), 1)
            .await
            .unwrap();
        products::update(
            &mut conn,
            borscht,
            1,
            products::Change::Category(Some(soups)),
            2,
        )
        .await
        .unwrap();
        products::update(
            &mut conn,
            borscht,
            2,
            products::Change::PrepMinutes(Some(20)),
            3,
        )
        .await
        .unwrap();
    }
    app.say_in(KITCHEN, OWNER, "/bind kitchen").await;
    app.sees(KITCHEN, "This group is now 🍳 Kitchen").await;
    app.say_in(COURIERS, OWNER, "/bind couriers").await;
    app.say_in(ADMINS, OWNER, "/bind admins").await;
    app.sees(ADMINS, "This group is now 📋 Admins").await;
}

crate::on_both_backends!(
    with crate::shop_flow::restaurant;
    a_used_invite_is_said_so_before_the_shop_opens,
    a_customers_news_arrives_in_order_through_failures,
    card_edits_queued_while_sending_was_down_are_coalesced,
    the_customer_hears_in_their_own_language_and_staff_in_the_shops,
    forgetting_waits_for_open_orders_then_anonymises_them,
    forgetting_erases_every_trace_and_edits_the_staff_cards,
    an_owner_erases_a_customer_from_the_desk,
    couriers_take_only_accepted_orders_and_only_the_taker_delivers,
    checkout_buttons_work_only_at_their_step,
    a_price_changed_after_the_summary_is_confirmed_again,
    a_moderated_review_cannot_be_changed_from_an_old_keyboard,
    a_changed_rating_shows_on_the_review_card_waiting_for_the_admins,
    a_dish_not_available_on_the_scales_leaves_the_bill,
    the_customer_hears_the_total_at_each_step_and_gets_a_receipt,
    the_admins_cancel_a_taken_order_with_a_reason_and_everyone_hears_it,
    a_courier_gives_an_order_back_and_another_takes_it,
    telegram_menus_list_each_audiences_commands_and_help_explains_them,
    a_cook_weighs_a_dish_on_the_kitchen_card_and_the_customer_pays_the_weight,
    the_admins_give_an_order_to_another_courier,
    a_slot_tomorrow_and_a_comment_reach_the_kitchen_in_the_configured_session,
    a_removed_group_is_reported_to_the_admins_and_left_alone,
    a_desk_status_change_tells_the_customer_and_edits_the_cards,
    an_admin_stops_a_dish_from_the_admins_group,
    a_cook_joins_by_invite_and_a_dish_with_a_photo_is_shown_with_it,
    a_burst_of_fifty_orders_reaches_every_group_without_a_single_429,
    killed_mid_pipeline_nothing_is_lost_or_doubled,
    a_blocked_customer_is_reported_once_and_not_retried,
    a_group_upgraded_to_a_supergroup_is_followed,
    a_delivery_goes_from_cart_to_feedback_with_everyone_told,
    a_pickup_order_is_issued_from_the_admins_group,
    cancelling_is_allowed_until_the_kitchen_accepts,
    strangers_and_wrong_roles_change_nothing,
);

/// Registers Anna (phone shared, e-mail skipped).
pub(crate) async fn register(app: &TestApp) {
    app.say(ANNA, "/start").await;
    app.say(ANNA, "Anna").await;
    app.say(ANNA, "Petrova").await;
    let own = app.ctl.share_contact(ANNA, ANNA, "+373 69 123 456").await;
    app.handled(own.update_id).await;
    app.press(ANNA, "Skip").await;
    app.desk_shows(ANNA, "Hello, Anna!").await;
}

/// Anna registers and places order №1 (two borscht), whose kitchen card
/// has arrived.
async fn first_order(app: &TestApp, delivery: bool) {
    register(app).await;
    checkout(app, delivery).await;
    app.press(ANNA, "Confirm the order").await;
    app.sees(KITCHEN, "Order №1").await;
}

/// Two borscht in the cart, then checkout up to the summary.
pub(crate) async fn checkout(app: &TestApp, delivery: bool) {
    app.press(ANNA, "Menu").await;
    app.press(ANNA, "Soups").await;
    app.press(ANNA, "Borscht").await;
    app.desk_shows(ANNA, "No ratings yet").await;
    app.press(ANNA, "Add to cart").await;
    app.press(ANNA, "➕").await;
    let chat = app.ctl.chat(ANNA).await;
    let desk = chat.pinned().expect("the shop's message");
    let labels: Vec<_> = desk
        .buttons
        .iter()
        .flatten()
        .map(|b| b.text.clone())
        .collect();
    assert!(labels.iter().any(|l| l == "In cart: 2 pc"), "{labels:?}");
    app.press(ANNA, "Cart").await;
    app.desk_shows(ANNA, "Total: 300.00").await;
    app.press(ANNA, "Check out").await;
    if delivery {
        app.press(ANNA, "Delivery").await;
        app.say(ANNA, "Main St 1, flat 2").await;
    } else {
        app.press(ANNA, "Pickup").await;
    }
    app.press(ANNA, "As soon as possible").await;
    app.press(ANNA, "No comment").await;
    app.desk_shows(ANNA, "Preparation takes about 20 min").await;
}

async fn a_delivery_goes_from_cart_to_feedback_with_everyone_told(app: TestApp) {
    register(&app).await;
    checkout(&app, true).await;
    let summary = app.desk_text(ANNA).await;
    assert!(
        summary.contains("Borscht × 2 pc = 300.00") && summary.contains("Main St 1, flat 2"),
        "{summary}"
    );
    app.press(ANNA, "Confirm the order").await;
    app.desk_shows(ANNA, "Order №1 is placed").await;
    app.desk_shows(ANNA, "Delivery by today").await;
    app.desk_shows(ANNA, "when it is on its way and when it is delivered")
        .await;
    // Confirming again (a stale press) places nothing more.
    app.press_action(
        ANNA,
        ANNA,
        &larder_ui::Action::Shop(larder_ui::ShopAction::CheckoutConfirm),
    )
    .await;
    // The kitchen, couriers and admins each get one card.
    app.sees(KITCHEN, "Order №1").await;
    app.sees(COURIERS, "Main St 1, flat 2").await;
    app.sees(ADMINS, "Anna Petrova").await;
    let orders = {
        let mut c = app.store().conn().await.unwrap();
        larder_store::orders::count(&mut c, larder_core::OrderStatus::Processing, None)
            .await
            .unwrap()
    };
    assert_eq!(orders, 1, "one order, however often confirm was pressed");

    let accepted = app.press_in(KITCHEN, COOK, "Accept").await;
    assert_eq!(accepted.text.as_deref(), Some("Accepted"));
    app.sees(ANNA, "the kitchen has started on it").await;
    app.sees(KITCHEN, "Accepted by Carl").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.sees(ANNA, "is ready and waits for a courier").await;

    // Both couriers have written to the bot, so it may write to them; they
    // press Take at the same moment: one wins, the other is told who has it.
    app.say(PETE, "/start").await;
    app.say(IVAN, "/start").await;
    let take = larder_ui::Action::Card(larder_ui::CardAction::CourierTake(
        larder_core::OrderId::new(1),
    ))
    .encode();
    let (a, b) = tokio::join!(
        app.ctl.press_data(COURIERS, PETE, &take, None),
        app.ctl.press_data(COURIERS, IVAN, &take, None)
    );
    let wait = std::time::Duration::from_secs(10);
    let answer_a = app
        .ctl
        .wait_callback_answer(&a.callback_query_id, wait)
        .await
        .unwrap();
    let answer_b = app
        .ctl
        .wait_callback_answer(&b.callback_query_id, wait)
        .await
        .unwrap();
    app.handled(a.update_id).await;
    app.handled(b.update_id).await;
    let (winner, name, loser_answer) = if answer_a.show_alert {
        (IVAN, "Ivan", answer_a)
    } else {
        (PETE, "Pete", answer_b)
    };
    let loser_text = loser_answer.text.unwrap_or_default();
    assert!(
        loser_answer.show_alert && loser_text == format!("Already taken by {name}"),
        "{loser_text}"
    );
    let loser = if winner == PETE { IVAN } else { PETE };
    app.sees(COURIERS, &format!("Taken by {name}")).await;
    app.sees(ANNA, &format!("{name} is bringing it")).await;
    app.sees(winner, "Main St 1, flat 2").await;
    let loser_sees = app.texts(loser).await;
    assert!(
        !loser_sees.iter().any(|t| t.contains("Main St 1")),
        "one private card only: {loser_sees:?}"
    );
    app.press_in(winner, winner, "Delivered").await;
    app.sees(ADMINS, &format!("Order №1 was delivered by {name}"))
        .await;
    app.sees(ANNA, "was delivered").await;

    // Feedback: the order and the dish, and a comment for the admins.
    app.press_in(ANNA, ANNA, "⭐⭐⭐⭐⭐").await;
    app.desk_shows(ANNA, "Rate the dishes").await;
    app.press(ANNA, "4").await;
    app.press(ANNA, "Leave a comment").await;
    app.say(ANNA, "Hot and tasty").await;
    app.sees(ADMINS, "Hot and tasty").await;
    app.press(ANNA, "Done").await;
    app.press(ANNA, "Reviews").await;
    let before = app.desk_text(ANNA).await;
    assert!(
        !before.contains("Hot and tasty"),
        "not before moderation: {before}"
    );
    let published = app.press_in(ADMINS, ADMIN, "Publish").await;
    assert_eq!(published.text.as_deref(), Some("Published"));
    app.press(ANNA, "Back").await;
    app.press(ANNA, "Reviews").await;
    let after = app.desk_text(ANNA).await;
    assert!(
        after.contains("Hot and tasty") && after.contains("⭐ 5.0 (1)"),
        "{after}"
    );
    app.press(ANNA, "Back").await;
    app.press(ANNA, "Soups").await;
    app.press(ANNA, "Borscht").await;
    app.desk_shows(ANNA, "⭐ 4.0 (1)").await;
}

async fn a_pickup_order_is_issued_from_the_admins_group(app: TestApp) {
    first_order(&app, false).await;
    let couriers = app.texts(COURIERS).await;
    assert!(
        !couriers.iter().any(|t| t.contains("Order №1")),
        "pickups do not go to couriers: {couriers:?}"
    );
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.sees(ANNA, "come and pick it up").await;
    app.press_in(ADMINS, ADMIN, "Picked up").await;
    app.sees(ANNA, "was picked up").await;
    app.sees(ADMINS, "Order №1 was picked up").await;
}

async fn cancelling_is_allowed_until_the_kitchen_accepts(app: TestApp) {
    register(&app).await;
    checkout(&app, true).await;
    app.press(ANNA, "Confirm the order").await;
    app.press(ANNA, "My orders").await;
    app.press(ANNA, "Cancel the order").await;
    app.press(ANNA, "Yes, cancel").await;
    app.desk_shows(ANNA, "cancelled").await;
    app.sees(ADMINS, "Order №1 (Anna Petrova) was cancelled")
        .await;
    // Their own cancellation: no shop's reason, no phone to call.
    let told = app.sees(ANNA, "You cancelled order №1.").await;
    assert!(
        !told.messages.iter().any(|m| m.text.contains("Call us")),
        "{told}"
    );
    app.sees(KITCHEN, "Cancelled").await;
    // The card lost its buttons; an old press is refused.
    let old = app
        .ctl
        .press_data(
            KITCHEN,
            COOK,
            &larder_ui::Action::Card(larder_ui::CardAction::KitchenAccept(
                larder_core::OrderId::new(1),
            ))
            .encode(),
            None,
        )
        .await;
    let refused = app
        .ctl
        .wait_callback_answer(&old.callback_query_id, std::time::Duration::from_secs(10))
        .await
        .unwrap();
    assert!(refused.show_alert, "{refused:?}");
    app.handled(old.update_id).await;

    // A second order: once accepted, cancelling is refused with the phone.
    checkout(&app, true).await;
    app.press(ANNA, "Confirm the order").await;
    app.sees(KITCHEN, "Order №2").await;
    app.press(ANNA, "My orders").await;
    app.press(ANNA, "Cancel the order").await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press(ANNA, "Yes, cancel").await;
    app.desk_shows(ANNA, "+373 22 000 000").await;
    let mut c = app.store().conn().await.unwrap();
    let cancelled = larder_store::orders::count(&mut c, larder_core::OrderStatus::Cancelled, None)
        .await
        .unwrap();
    assert_eq!(cancelled, 1);
    drop(c);
    // The admins' figures for the day: cancelled orders count, their dishes do not.
    app.say_in(ADMINS, ADMIN, "/today").await;
    let today = app.sees(ADMINS, "Orders: 2, cancelled: 1").await;
    assert!(
        today
            .messages
            .iter()
            .any(|m| m.text.contains("Borscht — 2 pc")),
        "{today}"
    );
}

async fn strangers_and_wrong_roles_change_nothing(app: TestApp) {
    first_order(&app, true).await;
    // A courier presses the kitchen's button; a stranger forges the data.
    let courier = app.press_in(KITCHEN, PETE, "Accept").await;
    assert!(courier.show_alert, "{courier:?}");
    let forged = app
        .ctl
        .press_data(
            KITCHEN,
            crate::harness::STRANGER,
            &larder_ui::Action::Card(larder_ui::CardAction::KitchenAccept(
                larder_core::OrderId::new(1),
            ))
            .encode(),
            None,
        )
        .await;
    app.handled(forged.update_id).await;
    // The customer forges a kitchen press in her own chat.
    let own = app
        .ctl
        .press_data(
            ANNA,
            ANNA,
            &larder_ui::Action::Card(larder_ui::CardAction::KitchenPrepared(
                larder_core::OrderId::new(1),
            ))
            .encode(),
            None,
        )
        .await;
    app.handled(own.update_id).await;
    let mut c = app.store().conn().await.unwrap();
    let p = larder_store::shop::pipeline(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap();
    assert!(p.accepted_at.is_none(), "{p:?}");
    drop(c);
    let texts = app.texts(ANNA).await;
    assert!(
        !texts.iter().any(|t| t.contains("kitchen has started")),
        "{texts:?}"
    );
    // Only an owner binds groups.
    app.say_in(ADMINS, ADMIN, "/bind kitchen").await;
    app.sees(ADMINS, "Only an owner can bind a group").await;
}

/// A registered customer with two borscht in the cart (straight in the
/// database), who has written to the bot.
async fn ready_customer(app: &TestApp, id: i64, address: Option<&str>) {
    app.ctl
        .user(fake_telegram::NewUser::new(id, &format!("Guest{id}")))
        .await;
    let mut tx = app.store().begin().await.unwrap();
    let c = larder_store::customers::get_or_create(&mut tx, larder_store::Channel::Telegram, id, 1)
        .await
        .unwrap();
    use larder_store::customers::Field;
    let mut version = c.version;
    for (field, value) in [
        (Field::FirstName, format!("Guest{id}")),
        (Field::LastName, "Test".to_owned()),
        (Field::Phone, format!("+37369{id:06}")),
    ]
    .into_iter()
    .chain(address.map(|a| (Field::LastAddress, a.to_owned())))
    {
        larder_store::customers::set(&mut tx, c.id, version, field, Some(&value), 1)
            .await
            .unwrap();
        version += 1;
    }
    larder_store::customers::register(&mut tx, c.id, version, 1)
        .await
        .unwrap();
    let borscht = larder_store::products::find_active_by_key(&mut tx, "borscht")
        .await
        .unwrap()
        .unwrap();
    larder_store::shop::set_cart(&mut tx, c.id, borscht, 2, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Presses a button once it is on screen, without waiting for anyone else.
async fn tap(app: &TestApp, chat: i64, label: &str) {
    let wait = std::time::Duration::from_secs(60);
    app.ctl
        .wait_button(chat, label, wait)
        .await
        .unwrap_or_else(|_| panic!("{chat} never showed {label:?}"));
    let pressed = app
        .ctl
        .press_button(chat, chat, label)
        .await
        .unwrap_or_else(|e| panic!("press {label:?} in {chat}: {e:?}"));
    app.ctl
        .wait_callback_answer(&pressed.callback_query_id, wait)
        .await
        .unwrap();
    app.handled_alone(pressed.update_id).await;
}

/// One customer's whole checkout, at the pace the chat allows.
async fn order_from(app: &TestApp, id: i64, delivery: bool) {
    let sent = app.ctl.send_text(id, id, "/start").await;
    app.handled_alone(sent.update_id).await;
    tap(app, id, "Cart").await;
    tap(app, id, "Check out").await;
    if delivery {
        tap(app, id, "Delivery").await;
        tap(app, id, "Elm St").await;
    } else {
        tap(app, id, "Pickup").await;
    }
    tap(app, id, "As soon as possible").await;
    tap(app, id, "No comment").await;
    tap(app, id, "Confirm the order").await;
}

async fn a_burst_of_fifty_orders_reaches_every_group_without_a_single_429(mut app: TestApp) {
    // Telegram's real limits (one message a second in a chat, 20 a minute
    // in a group) would make a 50-order burst take minutes: the per-chat
    // rates are scaled up on both sides alike, the bot's staying under the
    // emulator's by enough to absorb the jitter of a busy machine, which refuses anything beyond them with a 429.
    app.ctl
        .set_limits(fake_telegram::RateLimits {
            enabled: true,
            private_burst: 5,
            private_per_sec: 4,
            group_per_min: 240,
            global_per_sec: 30,
        })
        .await;
    app.stop().await;
    app.config.telegram.rate_limits = larder_runtime::SendLimits {
        enabled: true,
        private_burst: 3,
        private_per_sec: 3,
        group_per_min: 220,
        global_per_sec: 24,
    };
    app.start().await;
    let customers: Vec<i64> = (0..50).map(|n| 7000 + n).collect();
    for &id in &customers {
        let address = (id % 2 == 0).then_some("Elm St 5");
        ready_customer(&app, id, address).await;
    }
    futures::future::join_all(
        customers
            .iter()
            .map(|&id| order_from(&app, id, id % 2 == 0)),
    )
    .await;
    // Each group takes its 50 cards at its own pace.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let kitchen = app.texts(KITCHEN).await;
        let admins = app.texts(ADMINS).await;
        let count = |t: &Vec<String>| t.iter().filter(|t| t.contains("Order №")).count();
        if count(&kitchen) >= 50 && count(&admins) >= 50 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "cards still missing: kitchen {}, admins {}",
            count(&kitchen),
            count(&admins)
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.settled().await;
    let cards = |texts: Vec<String>| {
        let mut numbers: Vec<i64> = texts
            .iter()
            .filter_map(|t| {
                let rest = t.split("Order №").nth(1)?;
                rest.split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse()
                    .ok()
            })
            .collect();
        numbers.sort_unstable();
        numbers
    };
    let all: Vec<i64> = (1..=50).collect();
    assert_eq!(
        cards(app.texts(KITCHEN).await),
        all,
        "one kitchen card per order"
    );
    assert_eq!(
        cards(app.texts(ADMINS).await).len(),
        50,
        "one admins' card per order"
    );
    assert_eq!(
        cards(app.texts(COURIERS).await).len(),
        25,
        "deliveries only"
    );
    let requests = app.ctl.requests().await;
    let limited: Vec<_> = requests
        .iter()
        .filter(|r| r.error_code == Some(429))
        .collect();
    let why: Vec<String> = limited
        .iter()
        .map(|l| {
            let counted = |r: &&fake_telegram::RequestLog| {
                r.ok && r.method != "deleteMessage"
                    && r.method != "answerCallbackQuery"
                    && r.method != "getUpdates"
                    && r.method != "pinChatMessage"
            };
            let global = requests
                .iter()
                .filter(counted)
                .filter(|r| r.at_ms > l.at_ms - 1000 && r.at_ms <= l.at_ms)
                .count();
            let chat: Vec<i64> = requests
                .iter()
                .filter(counted)
                .filter(|r| {
                    r.chat_id == l.chat_id && r.at_ms > l.at_ms - 3000 && r.at_ms <= l.at_ms
                })
                .map(|r| l.at_ms - r.at_ms)
                .collect();
            format!(
                "{} {:?}: global {global}, chat {chat:?}",
                l.method, l.chat_id
            )
        })
        .collect();
    assert!(limited.is_empty(), "{why:#?}");
}

async fn killed_mid_pipeline_nothing_is_lost_or_doubled(mut app: TestApp) {
    register(&app).await;
    checkout(&app, true).await;
    // Handling goes on but nothing is sent: the order and its cards wait.
    app.kill().await;
    app.start_parts(larder::app::Parts {
        listen: true,
        handle: true,
        send: false,
    })
    .await;
    app.press(ANNA, "Confirm the order").await;
    app.kill().await;
    app.start().await;
    app.sees(KITCHEN, "Order №1").await;
    app.settled().await;
    // The bot is killed again while the kitchen's press waits to be handled.
    app.kill().await;
    let accept = app.ctl.press_button(KITCHEN, COOK, "Accept").await.unwrap();
    app.start().await;
    app.handled(accept.update_id).await;
    app.sees(ANNA, "the kitchen has started on it").await;
    app.kill().await;
    app.start().await;
    app.settled().await;
    let kitchen = app.texts(KITCHEN).await;
    let cards = kitchen.iter().filter(|t| t.contains("Order №1")).count();
    assert_eq!(cards, 1, "{kitchen:?}");
    let anna = app.texts(ANNA).await;
    let told = anna
        .iter()
        .filter(|t| t.contains("kitchen has started"))
        .count();
    assert_eq!(told, 1, "{anna:?}");
    let mut c = app.store().conn().await.unwrap();
    let orders = larder_store::orders::count(&mut c, larder_core::OrderStatus::Processing, None)
        .await
        .unwrap();
    assert_eq!(orders, 1);
}

async fn a_blocked_customer_is_reported_once_and_not_retried(app: TestApp) {
    register(&app).await;
    checkout(&app, true).await;
    app.press(ANNA, "Confirm the order").await;
    app.ctl.block(ANNA).await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.sees(ADMINS, "Anna Petrova (+37369123456) blocked the bot")
        .await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.settled().await;
    let admins = app.texts(ADMINS).await;
    let reports = admins
        .iter()
        .filter(|t| t.contains("blocked the bot"))
        .count();
    assert_eq!(reports, 1, "{admins:?}");
    let to_anna = app
        .ctl
        .requests()
        .await
        .into_iter()
        .filter(|r| r.method == "sendMessage" && r.chat_id == Some(ANNA) && !r.ok)
        .count();
    assert_eq!(to_anna, 1, "one failed attempt, never retried");
}

async fn a_group_upgraded_to_a_supergroup_is_followed(app: TestApp) {
    let supergroup = app.ctl.migrate(KITCHEN).await;
    register(&app).await;
    checkout(&app, false).await;
    app.press(ANNA, "Confirm the order").await;
    app.sees(supergroup, "Order №1").await;
    app.press_in(supergroup, COOK, "Accept").await;
    app.sees(supergroup, "Accepted by Carl").await;
    app.sees(ANNA, "the kitchen has started on it").await;
    let mut c = app.store().conn().await.unwrap();
    let kitchen = larder_store::groups::get(&mut c, larder_store::groups::GroupRole::Kitchen)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kitchen.chat_id, supergroup);
}

async fn a_removed_group_is_reported_to_the_admins_and_left_alone(app: TestApp) {
    let to_couriers = |requests: Vec<fake_telegram::RequestLog>| {
        requests
            .into_iter()
            .filter(|r| r.chat_id == Some(COURIERS) && r.method == "sendMessage")
            .count()
    };
    let before = to_couriers(app.ctl.requests().await);
    app.ctl.remove_bot(COURIERS).await;
    app.sees(ADMINS, "The bot was removed from the group “Couriers”")
        .await;
    first_order(&app, true).await;
    app.settled().await;
    let tried = to_couriers(app.ctl.requests().await) - before;
    assert_eq!(
        tried, 0,
        "nothing is sent to a group the bot was removed from"
    );
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Staff").await;
    app.desk_shows(OWNER, "the bot was removed").await;
}

async fn a_desk_status_change_tells_the_customer_and_edits_the_cards(app: TestApp) {
    first_order(&app, false).await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Processing").await;
    app.press(OWNER, "Anna Petrova").await;
    app.press(OWNER, "Complete").await;
    app.sees(ANNA, "come and pick it up").await;
    app.sees(KITCHEN, "Prepared by Olga Owner").await;
    let card = order_1_card(&app, KITCHEN).await;
    assert!(card.buttons.is_empty(), "nothing left to press: {card:?}");
}

async fn an_admin_stops_a_dish_from_the_admins_group(app: TestApp) {
    // A command for another bot in the group is not ours.
    app.say_in(ADMINS, ADMIN, "/stop@other_bot").await;
    let texts = app.texts(ADMINS).await;
    assert!(!texts.iter().any(|t| t.contains("Stop-list")), "{texts:?}");
    app.say_in(ADMINS, ADMIN, "/stop@larder_test_bot").await;
    app.sees(ADMINS, "Stop-list").await;
    let stopped = app.press_in(ADMINS, ADMIN, "✅ Borscht").await;
    assert_eq!(stopped.text.as_deref(), Some("Borscht is stopped"));
    let list = app.ctl.chat(ADMINS).await;
    let labels: Vec<String> = list
        .messages
        .iter()
        .flat_map(|m| m.buttons.iter().flatten().map(|b| b.text.clone()))
        .collect();
    assert!(
        labels.iter().any(|l| l == "⛔ Borscht"),
        "edited in place: {labels:?}"
    );
    // Not an admin: refused.
    let cook = app.press_in(ADMINS, COOK, "⛔ Borscht").await;
    assert!(cook.show_alert, "{cook:?}");
    register(&app).await;
    app.press(ANNA, "Menu").await;
    app.press(ANNA, "Soups").await;
    app.press(ANNA, "Borscht").await;
    app.desk_shows(ANNA, "Not available right now").await;
    let desk = app.ctl.chat(ANNA).await;
    let labels: Vec<String> = desk
        .pinned()
        .unwrap()
        .buttons
        .iter()
        .flatten()
        .map(|b| b.text.clone())
        .collect();
    assert!(
        !labels.iter().any(|l| l.contains("Add to cart")),
        "{labels:?}"
    );
}

async fn a_cook_joins_by_invite_and_a_dish_with_a_photo_is_shown_with_it(app: TestApp) {
    const NEW_COOK: i64 = 3002;
    app.ctl
        .user(fake_telegram::NewUser::new(NEW_COOK, "Nina"))
        .await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Staff").await;
    app.press(OWNER, "Cook").await;
    let link = app.sees(OWNER, "?start=inv").await;
    let code = link
        .messages
        .iter()
        .rev()
        .find_map(|m| m.text.split("?start=").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();
    app.say(NEW_COOK, &format!("/start {code}")).await;
    app.sees(NEW_COOK, "You joined as cook").await;
    let mut c = app.store().conn().await.unwrap();
    let roles = staff::roles(&mut c, TgUserId::new(NEW_COOK)).await.unwrap();
    assert_eq!(roles, [Role::Cook]);
    // A dish with a photo: the card is the photo with its caption, and the
    // screen after it is a fresh text message again.
    let photo = app.ctl.send_photo(OWNER, OWNER, None).await;
    app.handled(photo.update_id).await;
    let borscht = products::find_active_by_key(&mut c, "borscht")
        .await
        .unwrap()
        .unwrap();
    let p = products::get(&mut c, borscht).await.unwrap();
    products::update(
        &mut c,
        borscht,
        p.version,
        products::Change::Photo(Some(&photo.file_id)),
        9,
    )
    .await
    .unwrap();
    drop(c);
    register(&app).await;
    app.press(ANNA, "Menu").await;
    app.press(ANNA, "Soups").await;
    app.press(ANNA, "Borscht").await;
    let chat = app.sees(ANNA, "150.00 ₽/pc").await;
    let card = chat
        .messages
        .iter()
        .rev()
        .find(|m| m.text.contains("Borscht"))
        .unwrap();
    assert_eq!(
        card.photo.as_ref().map(|p| p.file_id.as_str()),
        Some(photo.file_id.as_str())
    );
    app.press_in(ANNA, ANNA, "Add to cart").await;
    app.press_in(ANNA, ANNA, "Cart").await;
    app.desk_shows(ANNA, "Total: 150.00").await;
    let chat = app.ctl.chat(ANNA).await;
    let photos = chat.messages.iter().filter(|m| m.photo.is_some()).count();
    assert_eq!(
        photos, 0,
        "the photo card gave way to a text message: {chat}"
    );
}

async fn a_slot_tomorrow_and_a_comment_reach_the_kitchen_in_the_configured_session(
    mut app: TestApp,
) {
    let deliveries = {
        let mut c = app.store().conn().await.unwrap();
        larder_store::sessions::create(&mut c, "Deliveries", "", None, None, 1)
            .await
            .unwrap()
    };
    app.stop().await;
    app.config.shop.session = "deliveries".into();
    app.start().await;
    register(&app).await;
    app.press(ANNA, "Menu").await;
    app.press(ANNA, "Soups").await;
    app.press(ANNA, "Borscht").await;
    app.press(ANNA, "Add to cart").await;
    app.press(ANNA, "Cart").await;
    app.press(ANNA, "Check out").await;
    app.press(ANNA, "Pickup").await;
    app.press(ANNA, "tomorrow").await;
    app.desk_shows(ANNA, "Choose a time on").await;
    app.press(ANNA, "12:00").await;
    app.desk_shows(ANNA, "Any wishes").await;
    app.say(ANNA, &"x".repeat(600)).await;
    app.desk_shows(ANNA, "too long").await;
    app.say(ANNA, "No onions, please").await;
    let summary = app.desk_shows(ANNA, "12:00").await;
    assert!(summary.contains("No onions, please"), "{summary}");
    app.press(ANNA, "Confirm the order").await;
    app.sees(KITCHEN, "No onions, please").await;
    let card = order_1_card(&app, KITCHEN).await;
    // The tests start on 01.12 (harness::START): tomorrow is 02.12.
    assert!(card.text.contains("Wanted: 02.12 12:00"), "{}", card.text);
    let mut c = app.store().conn().await.unwrap();
    let o = larder_store::orders::get(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap();
    assert_eq!(o.session_id, deliveries);
}

async fn forgetting_waits_for_open_orders_then_anonymises_them(app: TestApp) {
    register(&app).await;
    checkout(&app, true).await;
    app.press(ANNA, "Confirm the order").await;
    app.say(ANNA, "/forget").await;
    app.press(ANNA, "Yes, erase").await;
    app.desk_shows(ANNA, "You have an order in progress").await;
    app.press(ANNA, "Cancel").await;
    app.say(ANNA, "/orders").await;
    app.press(ANNA, "№1").await;
    app.press(ANNA, "Cancel the order").await;
    app.press(ANNA, "Yes, cancel").await;
    app.say(ANNA, "/forget").await;
    app.press(ANNA, "Yes, erase").await;
    app.desk_shows(ANNA, "Step 1 of 4").await;
    let mut c = app.store().conn().await.unwrap();
    let o = larder_store::orders::get(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap();
    assert_eq!(
        (o.client_name.as_str(), o.phone, o.address),
        ("—", None, None)
    );
}

/// Where in the database (`table.column`) any of `needles` is still
/// written: every column of every table, text or bytes.
async fn traces(app: &TestApp, needles: &[&str]) -> Vec<String> {
    use sqlx::{Column, Row};
    let mut c = app.store().conn().await.unwrap();
    let tables: Vec<String> = match app.store().backend() {
        larder_store::Backend::Sqlite => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ),
        larder_store::Backend::Postgres => sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
        ),
    }
    .fetch_all(&mut *c)
    .await
    .unwrap();
    assert!(tables.len() > 10, "{tables:?}");
    let mut found = Vec::new();
    for table in tables {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&mut *c)
            .await
            .unwrap();
        for row in rows {
            for (i, col) in row.columns().iter().enumerate() {
                let text = match row.try_get::<Option<String>, _>(i) {
                    Ok(t) => t,
                    Err(_) => row
                        .try_get::<Option<Vec<u8>>, _>(i)
                        .ok()
                        .flatten()
                        .map(|b| String::from_utf8_lossy(&b).into_owned()),
                };
                let Some(text) = text else { continue };
                for n in needles {
                    if text.contains(n) {
                        found.push(format!("{table}.{} holds {n:?}: {text}", col.name()));
                    }
                }
            }
        }
    }
    found
}

/// What identifies Anna in stored text, in every form it was written.
const ANNA_TRACES: &[&str] = &[
    "+37369123456",
    "37369123456",
    "69 123 456",
    "anna.petrova@example.com",
    "Main St 1",
    "Petrova",
    "Hot and tasty",
];

async fn forgetting_erases_every_trace_and_edits_the_staff_cards(app: TestApp) {
    app.say(ANNA, "/start").await;
    app.say(ANNA, "Anna").await;
    app.say(ANNA, "Petrova").await;
    let own = app.ctl.share_contact(ANNA, ANNA, "+373 69 123 456").await;
    app.handled(own.update_id).await;
    app.say(ANNA, "anna.petrova@example.com").await;
    app.desk_shows(ANNA, "Hello, Anna!").await;
    checkout(&app, true).await;
    app.press(ANNA, "Confirm the order").await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.say(PETE, "/start").await;
    app.press_in(COURIERS, PETE, "Take").await;
    app.sees(PETE, "Main St 1, flat 2").await;
    app.press_in(PETE, PETE, "Delivered").await;
    app.sees(ANNA, "was delivered").await;
    app.press_in(ANNA, ANNA, "⭐⭐⭐⭐⭐").await;
    app.press(ANNA, "Leave a comment").await;
    app.say(ANNA, "Hot and tasty, thank you").await;
    app.sees(ADMINS, "Hot and tasty").await;
    app.settled().await;
    assert!(
        !traces(&app, ANNA_TRACES).await.is_empty(),
        "the search finds what is there"
    );

    app.say(ANNA, "/forget").await;
    app.press(ANNA, "Yes, erase").await;
    app.desk_shows(ANNA, "Step 1 of 4").await;
    app.settled().await;
    let left = traces(&app, ANNA_TRACES).await;
    assert!(left.is_empty(), "{left:#?}");
    // The staff's cards were edited: no name, phone or address on any.
    for chat in [KITCHEN, COURIERS, ADMINS, PETE] {
        let texts = app.texts(chat).await;
        assert!(
            !texts
                .iter()
                .any(|t| ANNA_TRACES.iter().any(|n| t.contains(n))),
            "{chat}: {texts:#?}"
        );
    }
    app.sees(COURIERS, "👤 — · —").await;
    // The order stays, anonymised, for the statistics.
    let mut c = app.store().conn().await.unwrap();
    let o = larder_store::orders::get(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap();
    assert_eq!((o.client_name.as_str(), o.lines.len()), ("—", 1));
}

async fn an_owner_erases_a_customer_from_the_desk(app: TestApp) {
    first_order(&app, false).await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Processing").await;
    app.press(OWNER, "Anna Petrova").await;
    app.press(OWNER, "Edit").await;
    app.press(OWNER, "Erase the customer's data").await;
    app.desk_shows(OWNER, "Anna Petrova · +37369123456").await;
    app.press(OWNER, "🧹 Erase").await;
    app.desk_shows(OWNER, "has an order in progress").await;
    // Nothing was erased.
    app.sees(ADMINS, "Anna Petrova").await;
    // A cook is not an owner: a forged press changes nothing.
    let forged = larder_ui::Action::Desk(larder_ui::DeskAction::EraseCustomerConfirm(
        larder_core::OrderId::new(1),
    ))
    .encode();
    let press = app.ctl.press_data(COOK, COOK, &forged, None).await;
    app.handled(press.update_id).await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.press_in(ADMINS, ADMIN, "Picked up").await;
    app.sees(ANNA, "was picked up").await;
    let erased = app.press_in(OWNER, OWNER, "🧹 Erase").await;
    assert_eq!(
        erased.text.as_deref(),
        Some("Personal data erased from 1 order(s).")
    );
    app.settled().await;
    let left = traces(&app, ANNA_TRACES).await;
    assert!(left.is_empty(), "{left:#?}");
    app.sees(ADMINS, "👤 — · —").await;
    app.press(OWNER, "History").await;
    app.desk_shows(OWNER, "personal data erased").await;
    // Anna is a stranger now: the shop asks her name again.
    app.say(ANNA, "/start").await;
    app.desk_shows(ANNA, "Step 1 of 4").await;
}

/// The message showing order №1 in `chat` (a card).
async fn order_1_card(app: &TestApp, chat: i64) -> fake_telegram::MessageView {
    let view = app.ctl.chat(chat).await;
    view.messages
        .into_iter()
        .find(|m| m.text.contains("Order №1"))
        .unwrap_or_else(|| panic!("no card of order №1 in {chat}"))
}

/// The buttons on the couriers' card of order №1.
async fn couriers_card_buttons(app: &TestApp) -> Vec<String> {
    order_1_card(app, COURIERS)
        .await
        .buttons
        .iter()
        .flatten()
        .map(|b| b.text.clone())
        .collect()
}

async fn couriers_take_only_accepted_orders_and_only_the_taker_delivers(app: TestApp) {
    first_order(&app, true).await;
    app.sees(COURIERS, "Order №1").await;
    // New: the customer may still cancel, so nobody can take it yet.
    assert!(couriers_card_buttons(&app).await.is_empty());
    app.say(PETE, "/start").await;
    let take = larder_ui::Action::Card(larder_ui::CardAction::CourierTake(
        larder_core::OrderId::new(1),
    ));
    let answer = app.press_action(COURIERS, PETE, &take).await;
    assert!(answer.show_alert, "{answer:?}");
    assert_eq!(
        answer.text.as_deref(),
        Some("The kitchen has not accepted this order yet: it can be taken once it has.")
    );
    // Accepted: now it can be taken.
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.sees(COURIERS, "Accepted by").await;
    assert_eq!(
        couriers_card_buttons(&app).await,
        vec!["🚚 Take".to_owned()]
    );
    app.press_in(COURIERS, PETE, "Take").await;
    app.sees(PETE, "Main St 1, flat 2").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    // Somebody else (the owner, even) cannot mark Pete's order delivered.
    let delivered = larder_ui::Action::Card(larder_ui::CardAction::CourierDelivered(
        larder_core::OrderId::new(1),
    ));
    let answer = app.press_action(OWNER, OWNER, &delivered).await;
    assert_eq!(
        answer.text.as_deref(),
        Some("Only the courier who has this order can do that.")
    );
    let texts = app.texts(ANNA).await;
    assert!(
        !texts.iter().any(|t| t.contains("was delivered")),
        "{texts:?}"
    );
    app.press_in(PETE, PETE, "Delivered").await;
    app.sees(ANNA, "was delivered").await;
}

async fn orders_placed(app: &TestApp) -> i64 {
    let mut c = app.store().conn().await.unwrap();
    larder_store::orders::count(&mut c, larder_core::OrderStatus::Processing, None)
        .await
        .unwrap()
}

/// Every checkout button, pressed (stale or forged) at every step where it
/// does not belong, changes nothing and places nothing.
async fn checkout_buttons_work_only_at_their_step(app: TestApp) {
    use larder_ui::Action as A;
    register(&app).await;
    let today = jiff::civil::date(2026, 12, 1);
    let every = [
        A::Shop(ShopAction::CheckoutMode(true)),
        A::Shop(ShopAction::CheckoutLastAddress),
        A::Shop(ShopAction::CheckoutAsap),
        A::Shop(ShopAction::CheckoutSlots(0)),
        A::Shop(ShopAction::CheckoutSlot(today, 13 * 60)),
        A::Shop(ShopAction::CheckoutSkipComment),
        A::Shop(ShopAction::CheckoutConfirm),
    ];
    // Which of them each step takes (the rest must be refused).
    let steps: [(&str, &[usize]); 4] = [
        ("Pickup or delivery?", &[0]),
        ("delivery address", &[]),
        ("When do you want it?", &[0, 2, 3]),
        ("Any wishes", &[5]),
    ];
    app.press(ANNA, "Menu").await;
    app.press(ANNA, "Soups").await;
    app.press(ANNA, "Borscht").await;
    app.press(ANNA, "Add to cart").await;
    app.press(ANNA, "Cart").await;
    app.press(ANNA, "Check out").await;
    for (n, (prompt, takes)) in steps.iter().enumerate() {
        app.desk_shows(ANNA, prompt).await;
        let before = app.desk_text(ANNA).await;
        for (i, action) in every.iter().enumerate() {
            if takes.contains(&i) {
                continue;
            }
            let answer = app.press_action(ANNA, ANNA, action).await;
            assert_eq!(
                answer.text.as_deref(),
                Some("This button is outdated."),
                "{action:?} at {prompt:?}"
            );
            assert_eq!(
                app.desk_text(ANNA).await,
                before,
                "{action:?} at {prompt:?}"
            );
        }
        assert_eq!(orders_placed(&app).await, 0);
        match n {
            0 => app.press(ANNA, "Delivery").await,
            1 => app.say(ANNA, "Main St 1, flat 2").await,
            2 => app.press(ANNA, "As soon as possible").await,
            _ => app.press(ANNA, "No comment").await,
        }
    }
    app.press(ANNA, "Confirm the order").await;
    app.desk_shows(ANNA, "Order №1 is placed").await;
    assert_eq!(orders_placed(&app).await, 1);
}

async fn a_price_changed_after_the_summary_is_confirmed_again(app: TestApp) {
    register(&app).await;
    checkout(&app, false).await;
    app.desk_shows(ANNA, "300.00").await;
    {
        let mut c = app.store().conn().await.unwrap();
        let id = products::find_active_by_key(&mut c, "borscht")
            .await
            .unwrap()
            .unwrap();
        let p = products::get(&mut c, id).await.unwrap();
        let price = products::Change::Price(Money::from_minor(17_500));
        products::update(&mut c, id, p.version, price, 0)
            .await
            .unwrap();
    }
    app.press(ANNA, "Confirm the order").await;
    app.desk_shows(ANNA, "Prices have changed since: the total is now 350.00")
        .await;
    assert_eq!(orders_placed(&app).await, 0);
    app.press(ANNA, "Confirm the order").await;
    app.desk_shows(ANNA, "Order №1 is placed").await;
    app.sees(ADMINS, "To pay: 350.00").await;
}

async fn a_moderated_review_cannot_be_changed_from_an_old_keyboard(app: TestApp) {
    first_order(&app, false).await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.press_in(ADMINS, ADMIN, "Picked up").await;
    app.sees(ANNA, "was picked up").await;
    app.press_in(ANNA, ANNA, "⭐⭐⭐⭐").await;
    app.press(ANNA, "Leave a comment").await;
    app.say(ANNA, "Very good soup").await;
    app.sees(ADMINS, "Very good soup").await;
    app.press_in(ADMINS, ADMIN, "Publish").await;
    // The stars under "was picked up" are still there, but the review is
    // as the admins published it.
    let notice = app
        .ctl
        .chat(ANNA)
        .await
        .messages
        .iter()
        .find(|m| m.text.contains("was picked up"))
        .map(|m| m.message_id)
        .unwrap();
    let pressed = app
        .ctl
        .press_button_on(ANNA, ANNA, "⭐", notice)
        .await
        .unwrap();
    let late = app
        .ctl
        .wait_callback_answer(&pressed.callback_query_id, crate::harness::WAIT)
        .await
        .unwrap();
    assert_eq!(late.text.as_deref(), Some("This button is outdated."));
    app.handled(pressed.update_id).await;
    let mut c = app.store().conn().await.unwrap();
    let review = larder_store::reviews::get(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(review.rating, Some(4));
}

async fn a_changed_rating_shows_on_the_review_card_waiting_for_the_admins(app: TestApp) {
    first_order(&app, false).await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.press_in(ADMINS, ADMIN, "Picked up").await;
    app.sees(ANNA, "was picked up").await;
    app.press_in(ANNA, ANNA, "⭐⭐⭐⭐").await;
    app.press(ANNA, "Leave a comment").await;
    app.say(ANNA, "Good soup").await;
    app.sees(ADMINS, "Good soup").await;
    // Anna thinks again before the admins publish it.
    let notice = app
        .ctl
        .chat(ANNA)
        .await
        .messages
        .iter()
        .find(|m| m.text.contains("was picked up"))
        .map(|m| m.message_id)
        .unwrap();
    let pressed = app
        .ctl
        .press_button_on(ANNA, ANNA, "⭐⭐", notice)
        .await
        .unwrap();
    app.handled(pressed.update_id).await;
    app.settled().await;
    let card = app
        .ctl
        .chat(ADMINS)
        .await
        .messages
        .into_iter()
        .rfind(|m| m.text.contains("Good soup"))
        .unwrap();
    assert!(
        card.text.contains("⭐⭐") && !card.text.contains("⭐⭐⭐"),
        "the card shows what is stored: {}",
        card.text
    );
    app.press_in(ADMINS, ADMIN, "Publish").await;
    let mut c = app.store().conn().await.unwrap();
    let review = larder_store::reviews::get(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(review.rating, Some(2));
}

async fn the_customer_hears_the_total_at_each_step_and_gets_a_receipt(app: TestApp) {
    register(&app).await;
    checkout(&app, false).await;
    app.desk_shows(ANNA, "🏪 Pickup: Market St 5").await;
    app.press(ANNA, "Confirm the order").await;
    let placed = app.desk_text(ANNA).await;
    for part in [
        "Ready for pickup by today",
        "🏪 Market St 5",
        "To pay: 300.00",
    ] {
        assert!(placed.contains(part), "{part:?} in {placed}");
    }
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.sees(ANNA, "the kitchen has started on it.\nTo pay: 300.00")
        .await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.sees(ANNA, "come and pick it up").await;
    app.sees(ANNA, "\n🏪 Market St 5\nTo pay: 300.00").await;
    app.press_in(ADMINS, ADMIN, "Picked up").await;
    app.sees(
        ANNA,
        "Your receipt:\n• Borscht × 2 pc = 300.00 ₽\nTotal: 300.00 ₽",
    )
    .await;
}

async fn the_admins_cancel_a_taken_order_with_a_reason_and_everyone_hears_it(app: TestApp) {
    first_order(&app, true).await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.say(PETE, "/start").await;
    app.press_in(COURIERS, PETE, "Take").await;
    app.sees(PETE, "Main St 1, flat 2").await;
    // A cook may not cancel; the admins are asked why, and may go back.
    let cancel = larder_ui::Action::Card(larder_ui::CardAction::AdminCancel(
        larder_core::OrderId::new(1),
        larder_core::flow::CancelReason::SoldOut,
    ));
    let answer = app.press_action(ADMINS, COOK, &cancel).await;
    assert!(answer.show_alert, "{answer:?}");
    app.press_in(ADMINS, ADMIN, "Cancel the order").await;
    app.sees(ADMINS, "Why cancel it?").await;
    app.press_in(ADMINS, ADMIN, "Back").await;
    app.sees(ADMINS, "Taken by Pete").await;
    app.press_in(ADMINS, ADMIN, "Cancel the order").await;
    let done = app.press_in(ADMINS, ADMIN, "some dishes ran out").await;
    assert_eq!(
        done.text.as_deref(),
        Some("Cancelled: the customer and the courier are told")
    );
    // The customer hears who cancelled, why, and whom to call.
    app.sees(
        ANNA,
        "cancelled order №1: some dishes ran out.\nQuestions? Call us: +373 22 000 000.",
    )
    .await;
    // The courier gets a message of its own, and the cards keep who had it.
    app.sees(
        PETE,
        "Order №1 (Main St 1, flat 2) was cancelled: some dishes ran out. Do not deliver it.",
    )
    .await;
    app.sees(COURIERS, "✖ Cancelled: some dishes ran out").await;
    let card = order_1_card(&app, COURIERS).await;
    assert!(card.text.contains("Taken by Pete"), "{card:?}");
    assert!(card.buttons.is_empty(), "{card:?}");
    // A second cancel, from an old question, changes nothing.
    let again = larder_ui::Action::Card(larder_ui::CardAction::AdminCancel(
        larder_core::OrderId::new(1),
        larder_core::flow::CancelReason::Other,
    ));
    let answer = app.press_action(ADMINS, ADMIN, &again).await;
    assert_eq!(answer.text.as_deref(), Some("This order was cancelled."));
    // Restored at the desk: the customer hears it is back on.
    app.say(OWNER, "/start").await;
    app.press(OWNER, "✖ Cancelled").await;
    app.press(OWNER, "Anna Petrova").await;
    app.press(OWNER, "Restore order").await;
    app.sees(ANNA, "Order №1 is back on: Cheese Dairy restored it.")
        .await;
    // Pete was told not to deliver it: it is back with the couriers.
    app.sees(COURIERS, "Accepted by").await;
    crate::harness::polled(
        async || couriers_card_buttons(&app).await,
        |b| b == &["🚚 Take"],
    )
    .await;
}

/// Order №1, a delivery, prepared and taken by Pete (Ivan has written to
/// the bot too).
async fn pete_brings_order_1(app: &TestApp) {
    first_order(app, true).await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.say(PETE, "/start").await;
    app.say(IVAN, "/start").await;
    app.press_in(COURIERS, PETE, "Take").await;
    app.sees(ANNA, "Pete is bringing it").await;
}

async fn a_courier_gives_an_order_back_and_another_takes_it(app: TestApp) {
    pete_brings_order_1(&app).await;
    // Ivan cannot give back what Pete has.
    let release = larder_ui::Action::Card(larder_ui::CardAction::CourierRelease(
        larder_core::OrderId::new(1),
    ));
    let answer = app.press_action(IVAN, IVAN, &release).await;
    assert_eq!(
        answer.text.as_deref(),
        Some("Only the courier who has this order can do that.")
    );
    let given = app.press_in(PETE, PETE, "Give it back").await;
    assert_eq!(
        given.text.as_deref(),
        Some("Given back: another courier can take it")
    );
    app.sees(PETE, "Given back to the couriers").await;
    assert_eq!(
        couriers_card_buttons(&app).await,
        vec!["🚚 Take".to_owned()]
    );
    app.press_in(COURIERS, IVAN, "Take").await;
    app.sees(IVAN, "Main St 1, flat 2").await;
    app.sees(ANNA, "Ivan is bringing it").await;
    // Pete's old card has nothing to press; Ivan's is the one that works.
    let old = order_1_card(&app, PETE).await;
    assert!(old.buttons.is_empty(), "{old:?}");
    // The admins take it off Ivan; he is told.
    app.press_in(ADMINS, ADMIN, "Take it off the courier").await;
    app.sees(IVAN, "The admins took order №1 off you").await;
    app.press_in(COURIERS, PETE, "Take").await;
    app.press_in(PETE, PETE, "Delivered").await;
    app.sees(ANNA, "was delivered").await;
}

/// The command menus the bot set, by `"{scope}|{language}"`, once `want`
/// holds of them.
async fn menus(app: &TestApp, want: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    crate::harness::polled(async || app.ctl.commands().await, want).await
}

fn menu_of<'a>(menus: &'a serde_json::Value, scope: &str, language: &str) -> Vec<&'a str> {
    menus
        .as_object()
        .into_iter()
        .flatten()
        .find(|(k, _)| k.contains(scope) && k.ends_with(&format!("|{language}")))
        .and_then(|(_, v)| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|c| c["command"].as_str())
        .collect()
}

async fn telegram_menus_list_each_audiences_commands_and_help_explains_them(mut app: TestApp) {
    let owner_scope = format!("\"chat_id\":{OWNER}");
    let first = menus(&app, |m| {
        !menu_of(m, "all_private_chats", "ru").is_empty()
            && !menu_of(m, &owner_scope, "").is_empty()
    })
    .await;
    assert_eq!(
        menu_of(&first, "all_private_chats", "en"),
        ["start", "menu", "cart", "orders", "profile", "help"]
    );
    assert_eq!(menu_of(&first, "all_group_chats", ""), ["bind"]);
    // Staff get the desk in their own chats.
    assert_eq!(menu_of(&first, &owner_scope, "en"), ["start"]);
    let ru = serde_json::to_string(&first).unwrap();
    assert!(ru.contains("Открыть магазин"), "{ru}");
    register(&app).await;
    app.say(ANNA, "/help").await;
    app.desk_shows(ANNA, "/menu the menu, /cart your cart")
        .await;
    // A cook has no desk: their chat's menu says so (staff are granted
    // after the start, so the menus are read again after a restart).
    app.stop().await;
    app.start().await;
    let cook_scope = format!("\"chat_id\":{COOK}");
    let later = menus(&app, |m| !menu_of(m, &cook_scope, "en").is_empty()).await;
    let cook = later
        .as_object()
        .into_iter()
        .flatten()
        .find(|(k, _)| k.contains(&cook_scope) && k.ends_with("|en"))
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    assert!(cook.contains("Your role in the shop"), "{cook}");
}

/// Shashlik, sold by weight (500.00 a kg), among the soups.
async fn shashlik(app: &TestApp) {
    let mut conn = app.store().conn().await.unwrap();
    let soups = categories::all(&mut conn).await.unwrap()[0].id;
    let name = ProductName::parse("Shashlik").unwrap();
    let id = products::insert(&mut conn, &name, Unit::Kg, Money::from_minor(50_000), 1)
        .await
        .unwrap();
    products::update(&mut conn, id, 1, products::Change::Category(Some(soups)), 2)
        .await
        .unwrap();
}

async fn a_dish_not_available_on_the_scales_leaves_the_bill(app: TestApp) {
    shashlik(&app).await;
    register(&app).await;
    app.press(ANNA, "Menu").await;
    app.press(ANNA, "Soups").await;
    for dish in ["Shashlik", "Borscht"] {
        app.press(ANNA, dish).await;
        app.press(ANNA, "Add to cart").await;
        app.press(ANNA, "Back").await;
    }
    app.press(ANNA, "Cart").await;
    app.press(ANNA, "Check out").await;
    app.press(ANNA, "Pickup").await;
    app.press(ANNA, "As soon as possible").await;
    app.press(ANNA, "No comment").await;
    app.press(ANNA, "Confirm the order").await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Weigh").await;
    app.sees(KITCHEN, "Shashlik × 100 g\nWeight: …").await;
    let none = app.press_in(KITCHEN, COOK, "Not available").await;
    assert_eq!(
        none.text.as_deref(),
        Some("Weighed. The order now comes to 150.00 ₽.")
    );
    let card = order_1_card(&app, KITCHEN).await;
    assert!(card.text.contains("not available"), "{}", card.text);
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.sees(ANNA, "To pay: 150.00").await;
    let mut conn = app.store().conn().await.unwrap();
    let o = orders::get(&mut conn, OrderId::new(1)).await.unwrap();
    let shashlik = o.lines.iter().find(|l| l.name == "Shashlik").unwrap();
    assert_eq!(shashlik.weighed, Some(larder_core::Quantity::Grams(0)));
}

async fn a_cook_weighs_a_dish_on_the_kitchen_card_and_the_customer_pays_the_weight(app: TestApp) {
    shashlik(&app).await;
    register(&app).await;
    app.press(ANNA, "Menu").await;
    app.press(ANNA, "Soups").await;
    app.press(ANNA, "Shashlik").await;
    app.press(ANNA, "Add to cart").await;
    app.press(ANNA, "Cart").await;
    app.press(ANNA, "Check out").await;
    app.press(ANNA, "Pickup").await;
    app.press(ANNA, "As soon as possible").await;
    app.press(ANNA, "No comment").await;
    app.press(ANNA, "Confirm the order").await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    let refused = app.press_in(KITCHEN, COOK, "Prepared").await;
    assert!(refused.show_alert, "{refused:?}");
    assert_eq!(
        refused.text.as_deref(),
        Some("1 line(s) by weight are not weighed yet: press ⚖️ Weigh on this card first.")
    );
    // The cook weighs on the card: 100 g were ordered, 315 g are on the scales.
    let line = {
        let mut conn = app.store().conn().await.unwrap();
        orders::get(&mut conn, OrderId::new(1)).await.unwrap().lines[0].id
    };
    let forged = Action::Card(CardAction::KitchenWeighed(OrderId::new(1), line, 900));
    let refused = app.press_action(KITCHEN, PETE, &forged).await;
    assert!(refused.show_alert, "a courier does not weigh: {refused:?}");
    app.press_in(KITCHEN, COOK, "Weigh").await;
    app.sees(KITCHEN, "Shashlik × 100 g\nWeight: …").await;
    // Back puts the card as it was; the scales open again.
    app.press_in(KITCHEN, COOK, "Back").await;
    let card = order_1_card(&app, KITCHEN).await;
    assert!(!card.text.contains("Weight:"), "{}", card.text);
    app.press_in(KITCHEN, COOK, "Weigh").await;
    let empty = app.press_in(KITCHEN, COOK, "✓").await;
    assert_eq!(
        empty.text.as_deref(),
        Some("Type the weight on the keypad first (or press “Not available”).")
    );
    for key in ["3", "1", "9", "⌫", "5"] {
        app.press_in(KITCHEN, COOK, key).await;
    }
    app.sees(KITCHEN, "Weight: 315 g").await;
    let weighed = app.press_in(KITCHEN, COOK, "✓").await;
    assert_eq!(
        weighed.text.as_deref(),
        Some("Weighed. The order now comes to 157.50 ₽.")
    );
    let card = order_1_card(&app, KITCHEN).await;
    assert!(
        card.text.contains("Shashlik × 100 g ⚖️ 315 g"),
        "{}",
        card.text
    );
    app.sees(ADMINS, "To pay: 157.50").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.sees(ANNA, "To pay: 157.50").await;
    // A keypad left over from before changes nothing now.
    let stale = app.press_action(KITCHEN, COOK, &forged).await;
    assert!(stale.text.is_some(), "{stale:?}");
    let mut conn = app.store().conn().await.unwrap();
    let o = orders::get(&mut conn, OrderId::new(1)).await.unwrap();
    assert_eq!(o.lines[0].weighed, Some(larder_core::Quantity::Grams(315)));
}

async fn the_admins_give_an_order_to_another_courier(app: TestApp) {
    pete_brings_order_1(&app).await;
    // A courier cannot hand it around; the admins can.
    let forged = larder_ui::Action::Card(larder_ui::CardAction::AdminReassign(
        larder_core::OrderId::new(1),
        larder_core::TgUserId::new(IVAN),
    ));
    let answer = app.press_action(ADMINS, PETE, &forged).await;
    assert!(answer.show_alert, "{answer:?}");
    app.press_in(ADMINS, ADMIN, "Give it to a courier").await;
    let asked = app.sees(ADMINS, "Which courier brings it?").await;
    let card = asked
        .messages
        .iter()
        .find(|m| m.text.contains("Which courier"))
        .unwrap();
    let names: Vec<_> = card
        .buttons
        .iter()
        .flatten()
        .map(|b| b.text.as_str())
        .collect();
    assert!(
        names.contains(&"Ivan") && !names.contains(&"Pete Brown"),
        "{names:?}"
    );
    let given = app.press_in(ADMINS, ADMIN, "Ivan").await;
    assert_eq!(given.text.as_deref(), Some("Given to Ivan"));
    app.sees(PETE, "The admins took order №1 off you").await;
    app.sees(IVAN, "Main St 1, flat 2").await;
    app.sees(ANNA, "Ivan is bringing it").await;
    app.sees(ADMINS, "Taken by Ivan").await;
    app.press_in(IVAN, IVAN, "Delivered").await;
    app.sees(ANNA, "was delivered").await;
}

async fn the_customer_hears_in_their_own_language_and_staff_in_the_shops(app: TestApp) {
    const OLEG: i64 = 5002;
    let mut oleg = fake_telegram::NewUser::new(OLEG, "Oleg");
    oleg.language_code = Some("ru".into());
    app.ctl.user(oleg).await;
    app.say(OLEG, "/start").await;
    app.say(OLEG, "Олег").await;
    app.say(OLEG, "Петров").await;
    app.say(OLEG, "+373 69 000 111").await;
    app.press(OLEG, "Пропустить").await;
    app.press(OLEG, "Меню").await;
    app.press(OLEG, "Soups").await;
    app.press(OLEG, "Borscht").await;
    app.press(OLEG, "В корзину").await;
    app.press(OLEG, "Корзина").await;
    app.press(OLEG, "Оформить").await;
    app.press(OLEG, "Самовывоз").await;
    app.press(OLEG, "Как можно скорее").await;
    app.press(OLEG, "Без комментария").await;
    app.press(OLEG, "Подтвердить заказ").await;
    // The shop's language (English) in the kitchen; Russian for Oleg.
    app.sees(KITCHEN, "New, waiting for the kitchen").await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.sees(OLEG, "кухня приступила").await;
}

async fn card_edits_queued_while_sending_was_down_are_coalesced(mut app: TestApp) {
    first_order(&app, false).await;
    app.settled().await;
    app.kill().await;
    app.start_parts(larder::app::Parts {
        listen: true,
        handle: true,
        send: false,
    })
    .await;
    // Two presses while nothing can be sent: the kitchen card changes twice.
    app.press_in(KITCHEN, COOK, "Accept").await;
    let prepared = larder_ui::Action::Card(larder_ui::CardAction::KitchenPrepared(
        larder_core::OrderId::new(1),
    ))
    .encode();
    let pressed = app.ctl.press_data(KITCHEN, COOK, &prepared, None).await;
    app.handled(pressed.update_id).await;
    app.kill().await;
    let edits = |requests: Vec<fake_telegram::RequestLog>| {
        requests
            .iter()
            .filter(|r| r.method == "editMessageText" && r.chat_id == Some(KITCHEN))
            .count()
    };
    let before = edits(app.ctl.requests().await);
    app.start().await;
    app.sees(KITCHEN, "Prepared by Carl").await;
    app.settled().await;
    assert_eq!(
        edits(app.ctl.requests().await) - before,
        1,
        "only the newest card is sent"
    );
}

/// Telegram fails to deliver to Anna for a while: her news waits and then
/// arrives complete and in order (the second message never overtakes the
/// first, which is retried).
async fn a_customers_news_arrives_in_order_through_failures(app: TestApp) {
    first_order(&app, false).await;
    app.settled().await;
    app.ctl
        .fault(
            fake_telegram::Fault::error("sendMessage", 502)
                .chat(ANNA)
                .times(3),
        )
        .await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.sees(ANNA, "come and pick it up").await;
    let chat = app.ctl.chat(ANNA).await;
    let news: Vec<&str> = chat
        .messages
        .iter()
        .filter(|m| m.from_bot && m.text.contains("Order №1"))
        .map(|m| m.text.as_str())
        .collect();
    let started = news.iter().position(|t| t.contains("kitchen has started"));
    let ready = news.iter().position(|t| t.contains("come and pick it up"));
    assert!(
        matches!((started, ready), (Some(a), Some(b)) if a < b),
        "in order, once each: {news:#?}"
    );
    assert_eq!(
        news.iter()
            .filter(|t| t.contains("kitchen has started"))
            .count(),
        1
    );
}

/// Someone who follows a staff invite that was already used is told so, and
/// then gets the shop like anyone (not a silent registration).
async fn a_used_invite_is_said_so_before_the_shop_opens(app: TestApp) {
    {
        let mut conn = app.store().conn().await.unwrap();
        let now = app.clock.now_ms();
        let week = now + 7 * 24 * 3_600_000;
        larder_store::invites::create_invite(
            &mut conn,
            "invusedcode",
            Role::Cook,
            TgUserId::new(OWNER),
            now,
            week,
        )
        .await
        .unwrap();
        larder_store::invites::redeem_invite(&mut conn, "invusedcode", TgUserId::new(PETE), now)
            .await
            .unwrap();
    }
    app.say(ANNA, "/start invusedcode").await;
    let chat = app
        .sees(
            ANNA,
            "This invite link has already been used. Ask the owner for a new one.",
        )
        .await;
    app.sees(ANNA, "Step 1 of 4").await;
    let mut conn = app.store().conn().await.unwrap();
    assert!(
        staff::roles(&mut conn, TgUserId::new(ANNA))
            .await
            .unwrap()
            .is_empty(),
        "{chat:?}"
    );
    // Links that carry other things than codes do not count as wrong codes:
    // a good invite still works after them.
    let now = app.clock.now_ms();
    larder_store::invites::create_invite(
        &mut conn,
        "invgoodcode",
        Role::Cook,
        TgUserId::new(OWNER),
        now,
        now + 3_600_000,
    )
    .await
    .unwrap();
    drop(conn);
    for _ in 0..6 {
        app.say(ANNA, "/start from-a-poster").await;
    }
    app.say(ANNA, "/start invgoodcode").await;
    let mut conn = app.store().conn().await.unwrap();
    assert_eq!(
        staff::roles(&mut conn, TgUserId::new(ANNA)).await.unwrap(),
        [Role::Cook]
    );
}
