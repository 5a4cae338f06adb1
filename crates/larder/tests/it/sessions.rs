//! Sessions and staff in the desk.

use crate::harness::{OWNER, STRANGER, TestApp};
use crate::on_both_backends;

on_both_backends!(
    sessions_number_their_orders_and_are_deleted_only_with_the_confirmation_word,
    an_invite_link_makes_a_manager_once_and_removal_takes_the_desk_away,
    an_invite_link_is_valid_for_a_week,
    a_market_days_completed_orders_are_issued_on_the_day_they_were_handed_out,
);

async fn sessions_number_their_orders_and_are_deleted_only_with_the_confirmation_word(
    app: TestApp,
) {
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Sessions").await;
    app.desk_shows(OWNER, "Sessions (1)").await;
    app.press(OWNER, "New session").await;
    app.say(OWNER, "Saturday market").await;
    app.desk_shows(OWNER, "In processing: 0").await;
    app.press(OWNER, "📅 Date").await;
    app.say(OWNER, "31.02.2026").await;
    app.desk_shows(OWNER, "There is no such date").await;
    app.say(OWNER, "25.12.2026").await;
    app.desk_shows(OWNER, "📅 25.12.2026").await;
    app.press(OWNER, "New order here").await;
    app.desk_shows(OWNER, "New order · Saturday market").await;
    app.press_type(OWNER, "Name", "Vera", "Vera").await;
    app.press(OWNER, "Save order").await;
    app.desk_shows(OWNER, "Order №1 · Saturday market").await;
    // The Inbox numbers its own orders.
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "New order").await;
    app.press_type(OWNER, "Name", "Gleb", "Gleb").await;
    app.press(OWNER, "Save order").await;
    app.desk_shows(OWNER, "Order №1 · 📥 Inbox").await;
    // The Inbox cannot be deleted, even by a forged press.
    let inbox = {
        let mut conn = app.store().conn().await.unwrap();
        larder_store::sessions::inbox(&mut conn)
            .await
            .unwrap()
            .id
            .get()
    };
    let pressed = app
        .ctl
        .press_data(OWNER, OWNER, &format!("1sx:{inbox}"), None)
        .await;
    let answer = app
        .ctl
        .wait_callback_answer(&pressed.callback_query_id, crate::harness::WAIT)
        .await
        .unwrap();
    assert!(
        answer
            .text
            .unwrap_or_default()
            .contains("cannot be archived or deleted")
    );
    // Deleting the market session asks for the word, then takes its order.
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Sessions").await;
    app.press(OWNER, "Saturday market").await;
    app.press(OWNER, "Delete").await;
    app.desk_shows(OWNER, "also deletes its 1 orders").await;
    app.say(OWNER, "yes").await;
    app.desk_shows(OWNER, "type the word “delete”").await;
    app.say(OWNER, "delete").await;
    let list = app.desk_shows(OWNER, "Sessions (1)").await;
    assert!(!list.contains("Saturday market"), "{list}");
    let mut conn = app.store().conn().await.unwrap();
    let left = larder_store::orders::count(&mut conn, larder_core::OrderStatus::Processing, None)
        .await
        .unwrap();
    assert_eq!(left, 1, "only the Inbox order remains");
}

/// Makes a manager's invite link on the desk's Staff screen; its code.
async fn invite_code(app: &TestApp) -> String {
    let before = app.texts(OWNER).await.len();
    app.press(OWNER, "Invite a manager").await;
    let texts = app.texts(OWNER).await;
    texts[before..]
        .iter()
        .flat_map(|t| t.split_whitespace())
        .find_map(|w| w.strip_prefix("https://t.me/larder_test_bot?start="))
        .expect("an invite link")
        .to_owned()
}

async fn an_invite_link_is_valid_for_a_week(app: TestApp) {
    const THIRD: i64 = 7777;
    app.ctl
        .user(fake_telegram::NewUser::new(THIRD, "Third"))
        .await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Staff").await;
    let first = invite_code(&app).await;
    let second = invite_code(&app).await;
    assert_ne!(first, second);
    // Made on 01.12 at 12:00: still good on 08.12 at 11:59, gone at 12:01.
    app.set_time("2026-12-08T11:59");
    app.say(STRANGER, &format!("/start {first}")).await;
    app.desk_shows(STRANGER, "You joined the desk as manager")
        .await;
    app.set_time("2026-12-08T12:01");
    app.say(THIRD, &format!("/start {second}")).await;
    app.sees(
        THIRD,
        "This invite link has expired (links last 7 days). Ask the owner for a new one.",
    )
    .await;
    let mut c = app.store().conn().await.unwrap();
    let staff = larder_store::staff::list(&mut c).await.unwrap();
    assert_eq!(staff.len(), 2, "the owner and one manager: {staff:?}");
}

async fn an_invite_link_makes_a_manager_once_and_removal_takes_the_desk_away(app: TestApp) {
    const THIRD: i64 = 7777;
    app.ctl
        .user(fake_telegram::NewUser::new(THIRD, "Third"))
        .await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Staff").await;
    let code = invite_code(&app).await;
    app.say(STRANGER, &format!("/start {code}")).await;
    app.desk_shows(STRANGER, "You joined the desk as manager")
        .await;
    app.press(STRANGER, "Products").await;
    app.desk_shows(STRANGER, "Products (0)").await;
    // Managers do not manage staff: no Staff button, and a forged press is refused.
    let pressed = app
        .ctl
        .press_button(STRANGER, STRANGER, "Menu")
        .await
        .unwrap();
    app.handled(pressed.update_id).await;
    let menu = app.desk_shows(STRANGER, "Order desk").await;
    let chat = app.ctl.chat(STRANGER).await;
    let buttons = chat.pinned().unwrap().labels();
    assert!(!buttons.iter().any(|b| b.contains("Staff")), "{buttons:?}");
    assert!(!menu.contains("Staff"), "{menu}");
    let answer = app
        .press_action(
            STRANGER,
            STRANGER,
            &larder_ui::Action::Desk(larder_ui::DeskAction::Staff),
        )
        .await;
    assert_eq!(
        answer.text.as_deref(),
        Some("Only an owner can manage staff.")
    );
    // Guessing is cut short: after five wrong codes even a good one waits.
    const FOURTH: i64 = 8888;
    app.ctl
        .user(fake_telegram::NewUser::new(FOURTH, "Fourth"))
        .await;
    for n in 0..5 {
        app.say(FOURTH, &format!("/start inv{n:018}")).await;
    }
    app.sees(FOURTH, "That setup code is not valid").await;
    let fresh = invite_code(&app).await;
    app.say(FOURTH, &format!("/start {fresh}")).await;
    app.sees(FOURTH, "Too many wrong codes from this account")
        .await;
    // The link works once.
    app.say(THIRD, &format!("/start {code}")).await;
    app.sees(
        THIRD,
        "This invite link has already been used. Ask the owner for a new one.",
    )
    .await;
    // The owner removes the manager, after a question: the desk is gone for them.
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Staff").await;
    app.press(OWNER, "✖ Mallory").await;
    app.desk_shows(OWNER, "Remove Mallory as manager?").await;
    app.press(OWNER, "Back").await;
    app.desk_shows(OWNER, "Staff (2)").await;
    app.press(OWNER, "✖ Mallory").await;
    app.press(OWNER, "Yes, remove").await;
    let staff = app.desk_shows(OWNER, "Staff (1)").await;
    assert!(!staff.contains("Mallory"), "{staff}");
    // Their desk no longer shows orders (it has no buttons left), and an old
    // button pressed anyway is refused.
    let desk = app
        .desk_shows(STRANGER, "You are no longer on the staff here")
        .await;
    assert!(!desk.contains("Products"), "{desk}");
    let products = larder_ui::Action::Desk(larder_ui::DeskAction::Products {
        archived: false,
        page: 0,
    });
    let answer = app.press_action(STRANGER, STRANGER, &products).await;
    assert_eq!(
        answer.text.as_deref(),
        Some("Only the shop's staff can use this.")
    );
}

/// A session's completed orders are issued at once on the market day (when
/// it has passed), another day, or today; open orders stay as they are.
async fn a_market_days_completed_orders_are_issued_on_the_day_they_were_handed_out(app: TestApp) {
    use larder_store::orders::{self, NewLine, NewOrder};
    let (done, open, later, now) = {
        let mut tx = app.store().begin().await.unwrap();
        let market = jiff::civil::date(2026, 11, 28);
        let s = larder_store::sessions::create(&mut tx, "Market", "", Some(market), None, 1)
            .await
            .unwrap();
        let fair = larder_store::sessions::create(&mut tx, "Fair", "", None, None, 1)
            .await
            .unwrap();
        let stall = larder_store::sessions::create(&mut tx, "Stall", "", None, None, 1)
            .await
            .unwrap();
        let mut ids = Vec::new();
        for (session, client, complete) in [
            (s, "Anna", true),
            (s, "Boris", false),
            (fair, "Cid", true),
            (stall, "Dora", true),
        ] {
            let order = NewOrder {
                session_id: session,
                client_name: client.into(),
                phone: None,
                delivery: false,
                address: None,
                issue_date: None,
                issue_time: None,
                discount: larder_core::Percent::ZERO,
                fee: larder_core::Fee::Auto,
                note: None,
                customer: None,
                lines: vec![NewLine {
                    product_id: None,
                    name: "Brie".into(),
                    unit: larder_core::Unit::Piece,
                    price: larder_core::Money::from_minor(18_000),
                    ordered: larder_core::Quantity::pieces(1).unwrap(),
                    packing: None,
                    packing_rate: None,
                }],
            };
            let (id, _) = orders::create(&mut tx, &order, None, 1).await.unwrap();
            if complete {
                let line = orders::get(&mut tx, id).await.unwrap().lines[0].id;
                let one = Some(larder_core::Quantity::pieces(1).unwrap());
                orders::set_weighed(&mut tx, id, 1, line, one, None, 2)
                    .await
                    .unwrap();
                let event = larder_core::StatusEvent::Complete;
                orders::set_status(&mut tx, id, 2, event, None, None, None, 3)
                    .await
                    .unwrap();
            }
            ids.push(id);
        }
        tx.commit().await.unwrap();
        (ids[0], ids[1], ids[2], ids[3])
    };
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Sessions").await;
    app.press(OWNER, "Market").await;
    app.press(OWNER, "Issue all completed").await;
    let ask = app.desk_shows(OWNER, "on which day?").await;
    assert!(ask.contains("Mark all 1 completed orders"), "{ask}");
    app.press(OWNER, "On the session’s day (28.11.2026)").await;
    app.desk_shows(OWNER, "Market").await;
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Sessions").await;
    app.press(OWNER, "Fair").await;
    app.press(OWNER, "Issue all completed").await;
    app.press(OWNER, "Another day").await;
    app.say(OWNER, "30.11").await;
    app.desk_shows(OWNER, "Fair").await;
    // A stall without a day: handed out today.
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Sessions").await;
    app.press(OWNER, "Stall").await;
    app.press(OWNER, "Issue all completed").await;
    app.press(OWNER, "Today (01.12.2026)").await;
    app.desk_shows(OWNER, "Stall").await;
    let mut conn = app.store().conn().await.unwrap();
    let now = orders::get(&mut conn, now).await.unwrap();
    assert_eq!(
        (now.status, now.issued_on),
        (
            larder_core::OrderStatus::Issued,
            Some(jiff::civil::date(2026, 12, 1))
        )
    );
    let issued = |o: &orders::Order| (o.status, o.issued_on);
    let done = orders::get(&mut conn, done).await.unwrap();
    let open = orders::get(&mut conn, open).await.unwrap();
    let later = orders::get(&mut conn, later).await.unwrap();
    assert_eq!(
        issued(&done),
        (
            larder_core::OrderStatus::Issued,
            Some(jiff::civil::date(2026, 11, 28))
        )
    );
    assert_eq!(issued(&open), (larder_core::OrderStatus::Processing, None));
    assert_eq!(
        issued(&later),
        (
            larder_core::OrderStatus::Issued,
            Some(jiff::civil::date(2026, 11, 30))
        )
    );
    // A day without sales shows no "Discounts: −0.00".
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Statistics").await;
    let today = app.desk_shows(OWNER, "📊 Issued").await;
    assert!(!today.contains("Discounts"), "{today}");
    // November's issued orders download with a sheet per session.
    app.press(OWNER, "◀").await;
    app.desk_shows(OWNER, "November 2026").await;
    app.press(OWNER, "These orders (XLSX").await;
    let chat = app.ctl.chat(OWNER).await;
    let doc = chat
        .messages
        .iter()
        .find_map(|m| m.document.clone())
        .expect("a file");
    assert_eq!(doc.file_name, "November-2026-orders.xlsx");
    assert!(app.ctl.file(&doc.file_id).await.starts_with(b"PK"));
}
