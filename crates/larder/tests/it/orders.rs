//! Orders in the desk: creating, weighing, completing, issuing, the reverse
//! moves, and the prices staff and customers see.

use crate::harness::{Db, OWNER, TestApp};
use crate::on_both_backends;

on_both_backends!(
    the_worked_example_reads_221_92_to_pay_in_the_desk_and_in_the_customer_text,
    an_order_cannot_be_completed_while_a_line_is_unweighed,
    reverse_moves_are_allowed_and_recorded_in_history,
    the_draft_survives_a_restart_and_a_double_save_creates_one_order,
    bad_weights_show_an_error_and_change_nothing,
    edits_after_completion_change_the_total_and_are_recorded,
    an_order_moved_to_another_session_gets_the_next_number_there,
    statistics_production_list_and_downloads_match_the_order,
    the_customer_text_is_sent_to_a_customer_known_to_the_bot,
    packing_rates_are_kept_on_the_order_when_the_configuration_changes,
    a_huge_order_with_long_names_fits_every_message,
    a_day_typed_without_a_year_is_the_nearest_one_the_way_it_is_meant,
    the_customer_text_says_when_where_and_what_is_not_available,
    a_weighed_order_is_not_emptied_or_left_unweighed_without_a_question,
    a_weight_that_looks_like_a_slip_is_asked_about,
);

on_both_backends!(
    with crate::orders::russian_desk;
    history_and_lists_speak_the_staff_language,
    the_customer_text_for_a_pickup_in_russian,
    guard_rails_and_dates_in_russian,
);

/// A desk whose business language is Russian (the owner set no language).
pub(crate) async fn russian_desk(db: Db) -> Option<TestApp> {
    let mut app = TestApp::unstarted(db, vec![OWNER]).await?;
    app.config.language = "ru".into();
    app.config.shop.address = "ул. Рыночная, 5".into();
    app.start().await;
    Some(app)
}

const CHEESES: &[(&str, bool, i64)] = &[
    ("Gouda", true, 25_000),
    ("Greek yoghurt", false, 2_500),
    ("Caciotta", true, 25_000),
];

/// Creates the worked example's order (not yet weighed) from the main menu.
async fn create_worked_example(app: &TestApp) {
    app.say(OWNER, "/start").await;
    app.press(OWNER, "New order").await;
    app.press_type(OWNER, "Name", "Anna <Petrova> & Co", "Anna <Petrova> & Co")
        .await;
    app.press_type(OWNER, "Phone", "069 123 456", "+37369123456")
        .await;
    for (product, quantity) in [
        ("Gouda", "300"),
        ("Greek yoghurt", "2"),
        ("Caciotta", "0,4"),
    ] {
        app.press(OWNER, "Add product").await;
        app.press(OWNER, product).await;
        app.say(OWNER, quantity).await;
    }
    app.desk_shows(OWNER, "3. Caciotta").await;
    app.press(OWNER, "1. Gouda").await;
    app.press(OWNER, "Vacuum").await;
    app.press(OWNER, "Back").await;
    app.press(OWNER, "Pickup (switch to delivery)").await;
    app.press_type(OWNER, "Address", "Main street 1", "Main street 1")
        .await;
    app.press_type(OWNER, "Discount", "15", "Discount 15%")
        .await;
    app.press(OWNER, "Save order").await;
    app.desk_shows(OWNER, "Order №1").await;
}

/// Weighs the worked example's lines: 315 g, 2 pieces, 410 g.
async fn weigh_worked_example(app: &TestApp) {
    app.press(OWNER, "Weigh").await;
    for w in ["315", "2", "410"] {
        app.say(OWNER, w).await;
    }
}

async fn the_worked_example_reads_221_92_to_pay_in_the_desk_and_in_the_customer_text(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    app.press(OWNER, "Weigh").await;
    app.desk_shows(OWNER, "Weighed 0 of 3").await;
    app.say(OWNER, "315").await;
    app.desk_shows(OWNER, "Weighed 1 of 3").await;
    app.say(OWNER, "2").await;
    app.say(OWNER, "410 г").await;
    app.desk_shows(OWNER, "All lines are weighed").await;
    app.press(OWNER, "Complete").await;
    let card = app.desk_shows(OWNER, "Completed").await;
    assert!(card.contains("78.75 ₽ + Vacuum 6.30 ₽"), "{card}");
    assert!(card.contains("Goods: 237.55 ₽"), "{card}");
    assert!(card.contains("Discount 15%: −35.63 ₽"), "{card}");
    assert!(card.contains("Delivery: 20.00 ₽"), "{card}");
    assert!(card.contains("To pay: 221.92 ₽"), "{card}");
    assert!(
        card.contains("Anna <Petrova> & Co"),
        "user text is shown as typed: {card}"
    );
    app.press(OWNER, "Text for the customer").await;
    let text = app.desk_shows(OWNER, "Hello! This is Cheese Dairy.").await;
    assert!(text.contains("To pay: 221.92 ₽"), "{text}");
    assert!(text.contains("Gouda — 315 g — 78.75 ₽"), "{text}");
    assert!(text.contains("Packing: 6.30 ₽"), "{text}");
    assert!(text.contains("Discount 15%: −35.63 ₽"), "{text}");
    assert!(text.contains("Delivery: 20.00 ₽"), "{text}");
}

async fn an_order_cannot_be_completed_while_a_line_is_unweighed(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    let answer = app.toast(OWNER, "Complete").await;
    assert!(answer.show_alert);
    assert_eq!(
        answer.text.as_deref(),
        Some("Not yet: 3 line(s) still to weigh. Weigh them, or mark them “not available”.")
    );
    app.press(OWNER, "Weigh").await;
    app.say(OWNER, "315").await;
    app.press(OWNER, "Not available").await;
    app.desk_shows(OWNER, "Greek yoghurt — 2 pc ✖ not available")
        .await;
    app.press(OWNER, "Skip").await;
    app.desk_shows(OWNER, "Some lines were skipped").await;
    app.press(OWNER, "Back").await;
    let card = app.desk_shows(OWNER, "Order №1").await;
    assert!(
        card.contains("→ not available") && card.contains("→ not weighed"),
        "zero and unweighed differ: {card}"
    );
    app.press(OWNER, "Complete").await;
    app.desk_shows(OWNER, "Processing").await;
    assert!(!app.desk_text(OWNER).await.contains("Completed"));
}

async fn reverse_moves_are_allowed_and_recorded_in_history(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    // An edit while processing: the ordered quantity of a line.
    app.press(OWNER, "Edit").await;
    app.press(OWNER, "1. Gouda").await;
    app.press_type(OWNER, "Ordered quantity", "350", "350 g → not weighed")
        .await;
    app.press(OWNER, "Back").await;
    weigh_worked_example(&app).await;
    app.press(OWNER, "Complete").await;
    app.press(OWNER, "Issue").await;
    app.press(OWNER, "Today").await;
    app.desk_shows(OWNER, "Issued on").await;
    // An edit after issue: the phone; the order stays issued.
    app.press(OWNER, "Edit").await;
    app.press_type(OWNER, "Phone", "+373 69 999 999", "+37369999999")
        .await;
    app.press(OWNER, "Back").await;
    app.desk_shows(OWNER, "📦 Issued").await;
    app.press(OWNER, "Back to completed").await;
    app.desk_shows(OWNER, "✅ Completed").await;
    // A weighed order the customer never came for is cancelled, then restored.
    app.press(OWNER, "Cancel order").await;
    app.desk_shows(OWNER, "✖ Cancelled").await;
    app.press(OWNER, "Restore order").await;
    app.desk_shows(OWNER, "⚖️ Processing").await;
    app.press(OWNER, "Complete").await;
    app.desk_shows(OWNER, "✅ Completed").await;
    app.press(OWNER, "Back to processing").await;
    app.desk_shows(OWNER, "⚖️ Processing").await;
    app.press(OWNER, "History").await;
    let history = app.desk_shows(OWNER, "History of order №1").await;
    shows_all(
        &history,
        &[
            "ordered Gouda: 300 g → Gouda: 350 g",
            "status ⚖️ Processing → ✅ Completed",
            "status ✅ Completed → 📦 Issued",
            "phone +37369123456 → +37369999999",
            "status 📦 Issued → ✅ Completed",
            "status ✅ Completed → ✖ Cancelled",
            "status ✖ Cancelled → ⚖️ Processing",
            "status ✅ Completed → ⚖️ Processing",
            "Olga Owner",
        ],
    );
}

async fn the_draft_survives_a_restart_and_a_double_save_creates_one_order(mut app: TestApp) {
    app.seed_products(CHEESES).await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "New order").await;
    app.press_type(OWNER, "Name", "Boris", "Boris").await;
    app.press(OWNER, "Add product").await;
    app.press(OWNER, "Gouda").await;
    app.say(OWNER, "1,5 кг").await;
    app.desk_shows(OWNER, "1.5 kg").await;
    app.stop().await;
    app.start().await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "New order").await;
    let draft = app.desk_shows(OWNER, "Boris").await;
    assert!(
        draft.contains("Gouda") && draft.contains("1.5 kg"),
        "{draft}"
    );
    // Two presses of Save on the same desk: the second finds the draft gone.
    let first = app
        .ctl
        .press_button(OWNER, OWNER, "Save order")
        .await
        .unwrap();
    let second = app
        .ctl
        .press_data(OWNER, OWNER, &first.data, Some(first.message_id))
        .await;
    app.handled(first.update_id).await;
    app.handled(second.update_id).await;
    app.desk_shows(OWNER, "Order №1").await;
    let mut conn = app.store().conn().await.unwrap();
    let count = larder_store::orders::count(&mut conn, larder_core::OrderStatus::Processing, None)
        .await
        .unwrap();
    assert_eq!(count, 1, "one order, however often Save is pressed");
}

async fn bad_weights_show_an_error_and_change_nothing(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    app.press(OWNER, "Weigh").await;
    for (typed, error) in [
        ("-1", "cannot be negative"),
        ("abc", "not a number"),
        ("1e9", "without exponents"),
        ("150 kg", "more than allowed"),
        ("315.5 г", "whole numbers"),
        ("2 шт", "does not fit"),
    ] {
        app.say(OWNER, typed).await;
        let desk = app.desk_shows(OWNER, error).await;
        assert!(
            desk.contains("Weighed 0 of 3"),
            "nothing recorded after {typed:?}: {desk}"
        );
    }
    app.say(OWNER, "0,5").await;
    app.desk_shows(OWNER, "✓ 500 g").await;
    app.say(OWNER, "1.5").await;
    let desk = app.desk_shows(OWNER, "Weighed 1 of 3").await;
    assert!(
        desk.contains("pieces are counted in whole numbers")
            || desk.contains("Pieces are counted in whole numbers"),
        "{desk}"
    );
}

mod two_staff_completing_the_same_order_at_once_apply_it_once {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::two_staff_complete_at_once(super::Db::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::two_staff_complete_at_once(super::Db::Postgres).await;
    }
}

async fn two_staff_complete_at_once(db: Db) {
    const IVAN: i64 = 1002;
    let Some(mut app) = TestApp::unstarted(db, vec![OWNER, IVAN]).await else {
        return;
    };
    app.ctl
        .user(fake_telegram::NewUser::new(IVAN, "Ivan"))
        .await;
    app.start().await;
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    weigh_worked_example(&app).await;
    app.press(OWNER, "Back").await;
    // Ivan opens the same card.
    app.say(IVAN, "/start").await;
    app.press(IVAN, "Processing").await;
    app.press(IVAN, "№1 Anna").await;
    app.desk_shows(IVAN, "Order №1").await;
    // Both press Complete on the card they see.
    let a = app
        .ctl
        .press_button(OWNER, OWNER, "Complete")
        .await
        .unwrap();
    let b = app.ctl.press_button(IVAN, IVAN, "Complete").await.unwrap();
    let wait = crate::harness::WAIT;
    let answers = [
        app.ctl
            .wait_callback_answer(&a.callback_query_id, wait)
            .await
            .unwrap(),
        app.ctl
            .wait_callback_answer(&b.callback_query_id, wait)
            .await
            .unwrap(),
    ];
    let texts: Vec<_> = answers
        .iter()
        .map(|a| a.text.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        texts.iter().filter(|t| t.contains("Completed")).count(),
        1,
        "{texts:?}"
    );
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.contains("changed this a moment ago"))
            .count(),
        1,
        "{texts:?}"
    );
    app.handled(a.update_id).await;
    app.handled(b.update_id).await;
    let mut conn = app.store().conn().await.unwrap();
    let history = larder_store::orders::history(&mut conn, larder_core::OrderId::new(1))
        .await
        .unwrap();
    let completions = history
        .iter()
        .filter(|h| h.new.as_deref() == Some("completed"))
        .count();
    assert_eq!(completions, 1, "{history:?}");
}

async fn edits_after_completion_change_the_total_and_are_recorded(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    weigh_worked_example(&app).await;
    app.press(OWNER, "Complete").await;
    app.desk_shows(OWNER, "To pay: 221.92 ₽").await;
    app.press(OWNER, "Edit").await;
    app.desk_shows(OWNER, "past processing").await;
    app.press_type(OWNER, "Name", "Anna K.", "Anna K.").await;
    app.press_type(OWNER, "Discount", "10", "Discount 10%")
        .await;
    app.press_type(OWNER, "Note", "Ring twice", "Ring twice")
        .await;
    app.press_type(OWNER, "Time", "14.30", "14:30").await;
    app.press_type(OWNER, "Date", "25.12.2026", "25.12.2026 14:30")
        .await;
    app.press(OWNER, "1. Gouda").await;
    app.press_type(OWNER, "Weighed quantity", "320", "320 g")
        .await;
    app.press_type(OWNER, "Fee: automatic", "0", "Delivery: 0.00 ₽")
        .await;
    // Gouda 320 g: 80.00 + vacuum 6.40; yoghurt 50.00; Caciotta 102.50 → 238.90;
    // 10 % → 23.89 → 215.01; delivery set by hand to 0.
    let desk = app.desk_shows(OWNER, "To pay: 215.01 ₽").await;
    assert!(
        desk.contains("Goods: 238.90 ₽") && desk.contains("−23.89 ₽"),
        "{desk}"
    );
    app.press(OWNER, "Back").await;
    app.desk_shows(OWNER, "✅ Completed").await;
    app.press(OWNER, "History").await;
    let history = app.desk_shows(OWNER, "History of order №1").await;
    shows_all(
        &history,
        &[
            "name Anna <Petrova> & Co → Anna K.",
            "discount 15% → 10%",
            "weighed Gouda: 315 g → Gouda: 320 g",
            "time — → 14:30",
            "delivery fee automatic → 0.00 ₽",
            "note — → Ring twice",
        ],
    );
}

async fn an_order_moved_to_another_session_gets_the_next_number_there(app: TestApp) {
    app.seed_products(CHEESES).await;
    {
        let mut conn = app.store().conn().await.unwrap();
        larder_store::sessions::create(&mut conn, "Fair", "", None, None, 1)
            .await
            .unwrap();
    }
    create_worked_example(&app).await;
    app.press(OWNER, "Edit").await;
    app.press(OWNER, "Move to session").await;
    app.press(OWNER, "Fair").await;
    app.desk_shows(OWNER, "Order №1").await;
    app.press(OWNER, "Back").await;
    app.desk_shows(OWNER, "Order №1 · Fair").await;
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "New order").await;
    app.press_type(OWNER, "Name", "Zoe", "Zoe").await;
    app.press(OWNER, "📂").await;
    app.press(OWNER, "Fair").await;
    app.press(OWNER, "Save order").await;
    app.desk_shows(OWNER, "Order №2 · Fair").await;
}

async fn statistics_production_list_and_downloads_match_the_order(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    // A second order, not weighed yet, for the production list.
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "New order").await;
    app.press_type(OWNER, "Name", "Boris", "Boris").await;
    app.press(OWNER, "Add product").await;
    app.press(OWNER, "Gouda").await;
    app.say(OWNER, "1,2 кг").await;
    app.press(OWNER, "Save order").await;
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Processing").await;
    app.press(OWNER, "№1 Anna").await;
    weigh_worked_example(&app).await;
    app.press(OWNER, "Complete").await;
    app.press(OWNER, "Issue").await;
    app.press(OWNER, "Today").await;
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Statistics").await;
    let stats = app.desk_shows(OWNER, "📊 Issued").await;
    shows_all(
        &stats,
        &[
            "Orders: 1",
            "Goods: 231.25 ₽",
            "Packing: 6.30 ₽",
            "Discounts: −35.63 ₽",
            "Revenue after discounts: 201.92 ₽",
            "Delivery (apart): 20.00 ₽",
            "Paid in all: 221.92 ₽",
            "Gouda: 315 g · packed 1 · 78.75 ₽",
            "Greek yoghurt: 2 pc · packed 0 · 50.00 ₽",
        ],
    );
    app.press(OWNER, "Not yet issued").await;
    let pending = app.desk_shows(OWNER, "📊 Not yet issued").await;
    assert!(
        pending.contains("Gouda: ordered 1.2 kg · weighed 0 g"),
        "{pending}"
    );
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Sessions").await;
    app.press(OWNER, "Inbox").await;
    app.press(OWNER, "Production list").await;
    let production = app.desk_shows(OWNER, "Production list").await;
    assert!(
        production.contains("Gouda: ordered 1.2 kg · weighed 0 g · left 1.2 kg"),
        "{production}"
    );
    app.press(OWNER, "Back").await;
    app.press(OWNER, "Orders (XLSX)").await;
    app.press(OWNER, "Statistics (CSV)").await;
    let chat = app.ctl.chat(OWNER).await;
    let docs: Vec<_> = chat
        .messages
        .iter()
        .filter_map(|m| m.document.clone())
        .collect();
    assert_eq!(docs.len(), 2, "{chat}");
    assert!(docs[0].file_name.ends_with("orders.xlsx"), "{docs:?}");
    let xlsx = app.ctl.file(&docs[0].file_id).await;
    assert!(xlsx.starts_with(b"PK"), "an XLSX is a zip");
    let csv = String::from_utf8(app.ctl.file(&docs[1].file_id).await).unwrap();
    assert!(csv.contains("221.92") && csv.contains("Gouda"), "{csv}");
    // The desk reappears below the files, pinned.
    let last = chat.messages.last().unwrap();
    assert!(
        last.document.is_none() && chat.pinned_message_id == Some(last.message_id),
        "{chat}"
    );
}

async fn the_customer_text_is_sent_to_a_customer_known_to_the_bot(app: TestApp) {
    use crate::harness::STRANGER;
    app.seed_products(CHEESES).await;
    // The customer has written to the bot; their order knows their account.
    app.say(STRANGER, "/start").await;
    {
        let mut tx = app.store().begin().await.unwrap();
        let inbox = larder_store::sessions::inbox(&mut tx).await.unwrap();
        let order = larder_store::orders::NewOrder {
            session_id: inbox.id,
            client_name: "Mallory".into(),
            phone: None,
            delivery: false,
            address: None,
            issue_date: None,
            issue_time: None,
            discount: larder_core::Percent::ZERO,
            fee: larder_core::Fee::Auto,
            note: None,
            customer: Some(larder_core::TgUserId::new(STRANGER)),
            lines: vec![larder_store::orders::NewLine {
                product_id: None,
                name: "Brie".into(),
                unit: larder_core::Unit::Piece,
                price: larder_core::Money::from_minor(18_000),
                ordered: larder_core::Quantity::pieces(1).unwrap(),
                packing: None,
                packing_rate: None,
            }],
        };
        larder_store::orders::create(&mut tx, &order, None, 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Processing").await;
    app.press(OWNER, "№1 Mallory").await;
    app.press(OWNER, "Weigh").await;
    app.say(OWNER, "1").await;
    app.press(OWNER, "Complete").await;
    app.press(OWNER, "Text for the customer").await;
    app.press(OWNER, "Send to the customer").await;
    let chat = app.sees(STRANGER, "Hello! This is Cheese Dairy.").await;
    let text = &chat.messages.last().unwrap().text;
    assert!(
        text.contains("Brie — 1 pc — 180.00 ₽") && text.contains("To pay: 180.00 ₽"),
        "{text}"
    );
}

async fn packing_rates_are_kept_on_the_order_when_the_configuration_changes(mut app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    weigh_worked_example(&app).await;
    app.press(OWNER, "Complete").await;
    app.desk_shows(OWNER, "To pay: 221.92 ₽").await;
    // Vacuum packing becomes dearer, then the option is dropped entirely.
    for pricing in [
        "[[pricing.packing]]\ncode = \"vacuum\"\nname = \"Vacuum\"\nper_100g = \"3\"\nper_piece = \"6\"\n",
        "",
    ] {
        app.stop().await;
        app.config.pricing = larder::config::Config::from_toml(&format!(
            "{pricing}[pricing.delivery]\nfee = \"20\"\nfree_from = \"300\"\n"
        ))
        .unwrap()
        .pricing;
        app.start().await;
        app.say(OWNER, "/start").await;
        app.press(OWNER, "Completed").await;
        app.press(OWNER, "№1 Anna").await;
        let card = app.desk_shows(OWNER, "Order №1").await;
        assert!(
            card.contains("To pay: 221.92 ₽") && card.contains("+ ") && card.contains("6.30 ₽"),
            "{card}"
        );
    }
}

async fn a_huge_order_with_long_names_fits_every_message(app: TestApp) {
    let long = |n: usize| {
        format!(
            "{n:02} <Très> & vieux fromage affiné de montagne au lait cru {}",
            "x".repeat(6)
        )
    };
    {
        let mut tx = app.store().begin().await.unwrap();
        let inbox = larder_store::sessions::inbox(&mut tx).await.unwrap();
        let lines = (0..100)
            .map(|n| larder_store::orders::NewLine {
                product_id: None,
                name: long(n),
                unit: larder_core::Unit::Kg,
                price: larder_core::Money::from_minor(9_999_999),
                ordered: larder_core::Quantity::grams(99_999).unwrap(),
                packing: Some("vacuum".into()),
                packing_rate: Some(larder_core::Money::from_minor(200)),
            })
            .collect();
        let order = larder_store::orders::NewOrder {
            session_id: inbox.id,
            client_name: "Z".repeat(64),
            phone: Some("+37369123456".into()),
            delivery: true,
            address: Some("A".repeat(200)),
            issue_date: None,
            issue_time: None,
            discount: larder_core::Percent::ZERO,
            fee: larder_core::Fee::Auto,
            note: Some("N".repeat(500)),
            customer: None,
            lines,
        };
        larder_store::orders::create(&mut tx, &order, None, 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let fits = |screen: &str, shown: &str| {
        assert!(
            shown.chars().count() <= 4096,
            "{screen}: {} chars",
            shown.chars().count()
        );
        assert!(!shown.ends_with('…'), "{screen} was cut: {shown}");
    };
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Processing").await;
    app.press(OWNER, "№1").await;
    let card = app.desk_shows(OWNER, "Lines 1–20 of 100").await;
    fits("card", &card);
    assert!(card.contains("To pay (estimate)"), "{card}");
    // Every line can be reached: the card pages through them.
    for _ in 0..4 {
        app.press(OWNER, "▶").await;
    }
    let last = app.desk_shows(OWNER, "Lines 81–100 of 100").await;
    assert!(last.contains("100. 99 <Très>"), "{last}");
    fits("card, last page", &last);
    // The edit screen too: the 100th line has its button, and after removing
    // it the screen stays on the last page.
    app.press(OWNER, "Edit").await;
    app.desk_shows(OWNER, "Lines 1–20 of 100").await;
    for _ in 0..4 {
        app.press(OWNER, "▶").await;
    }
    fits("edit", &app.desk_shows(OWNER, "Lines 81–100 of 100").await);
    app.press(OWNER, "100. 99").await;
    app.press(OWNER, "Remove line").await;
    let edit = app.desk_shows(OWNER, "Lines 81–99 of 99").await;
    assert!(edit.contains("99. 98 <Très>"), "{edit}");
    app.press(OWNER, "Back").await;
    // Weighing walks on into the next page of lines.
    app.press(OWNER, "Weigh").await;
    app.desk_shows(OWNER, "Lines 1–20 of 99").await;
    for _ in 0..20 {
        app.say(OWNER, "1000").await;
    }
    fits("weigh", &app.desk_shows(OWNER, "Lines 21–40 of 99").await);
    {
        let mut conn = app.store().conn().await.unwrap();
        let id = larder_core::OrderId::new(1);
        let o = larder_store::orders::get(&mut conn, id).await.unwrap();
        let unweighed = o.lines.iter().filter(|l| l.weighed.is_none());
        for (version, l) in (o.version..).zip(unweighed) {
            let w = Some(larder_core::Quantity::grams(1000).unwrap());
            larder_store::orders::set_weighed(&mut conn, id, version, l.id, w, None, 2)
                .await
                .unwrap();
        }
    }
    app.press(OWNER, "Back").await;
    app.press(OWNER, "Complete").await;
    // The customer text is whole: split between lines, never cut.
    app.press(OWNER, "Text for the customer").await;
    app.desk_shows(OWNER, "too long for one message").await;
    let chat = app.sees(OWNER, "We will bring it to you").await;
    let parts: Vec<&str> = chat
        .messages
        .iter()
        .filter(|m| m.text.contains("• ") || m.text.contains("We will bring it"))
        .map(|m| m.text.as_str())
        .collect();
    assert!(parts.len() >= 2, "{parts:#?}");
    for part in &parts {
        fits("customer text", part);
    }
    let whole = parts.concat();
    for n in 0..99 {
        assert!(
            whole.contains(&format!("• {}", long(n))),
            "line {n} missing"
        );
    }
}

/// Asserts that a screen shows every expected piece of text.
fn shows_all(screen: &str, expected: &[&str]) {
    for piece in expected {
        assert!(screen.contains(piece), "missing {piece:?} in: {screen}");
    }
}

/// On 1 December, "30.11" is yesterday for what happened (the issue day,
/// statistics) and next year's for what is planned (the order's date); the
/// time prompt speaks of times.
async fn a_day_typed_without_a_year_is_the_nearest_one_the_way_it_is_meant(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    weigh_worked_example(&app).await;
    app.press(OWNER, "Complete").await;
    app.press(OWNER, "Issue").await;
    app.press(OWNER, "Another day").await;
    app.say(OWNER, "30.11").await;
    app.desk_shows(OWNER, "Issued on 30.11.2026.").await;
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "Statistics").await;
    app.press(OWNER, "A day").await;
    assert!(
        !app.desk_text(OWNER).await.contains("No date"),
        "a day's figures need a day"
    );
    app.say(OWNER, "30.11").await;
    let day = app.desk_shows(OWNER, "30.11.2026").await;
    assert!(day.contains("Paid in all: 221.92 ₽"), "{day}");
    // Planned: the order's date looks ahead.
    app.press(OWNER, "Menu").await;
    app.press(OWNER, "New order").await;
    app.press_type(OWNER, "Name", "Boris", "Boris").await;
    app.press(OWNER, "Date").await;
    app.say(OWNER, "30.11").await;
    app.desk_shows(OWNER, "📅 30.11.2027").await;
    app.press(OWNER, "Time").await;
    app.say(OWNER, "25:00").await;
    app.desk_shows(OWNER, "There is no such time: hours go from 0 to 23")
        .await;
    app.say(OWNER, "abc").await;
    app.desk_shows(OWNER, "Write the time like 14:30.").await;
    app.say(OWNER, "9:30").await;
    app.desk_shows(OWNER, "📅 30.11.2027 09:30").await;
}

async fn the_customer_text_says_when_where_and_what_is_not_available(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    app.press(OWNER, "Edit").await;
    app.press(OWNER, "Date").await;
    app.say(OWNER, "25.12").await;
    app.press(OWNER, "Time").await;
    app.say(OWNER, "14:30").await;
    app.desk_shows(OWNER, "📅 25.12.2026 14:30").await;
    app.press(OWNER, "Back").await;
    app.press(OWNER, "Weigh").await;
    app.say(OWNER, "315").await;
    app.say(OWNER, "2").await;
    app.press(OWNER, "Not available").await;
    app.desk_shows(OWNER, "All lines are weighed").await;
    app.press(OWNER, "Complete").await;
    app.press(OWNER, "Text for the customer").await;
    let text = app.desk_shows(OWNER, "Hello! This is Cheese Dairy.").await;
    shows_all(
        &text,
        &[
            "• Gouda — 315 g — 78.75 ₽",
            "• Caciotta — not available",
            "Date: 25.12.2026 14:30",
            "Delivery to: Main street 1",
            "We will bring it to you. Your order number is 1.",
        ],
    );
    assert!(!text.contains("when you collect it"), "{text}");
}

/// History and lists in the staff's language: statuses and units in
/// Russian, "not available" for a weight of 0, sessions by name, and each
/// line of a list across sessions names its session (both orders are №1).
async fn history_and_lists_speak_the_staff_language(app: TestApp) {
    use larder_store::orders::{self, NewLine, NewOrder};
    let (anna, fair) = {
        let mut tx = app.store().begin().await.unwrap();
        let inbox = larder_store::sessions::inbox(&mut tx).await.unwrap().id;
        let fair = larder_store::sessions::create(&mut tx, "Ярмарка", "", None, None, 1)
            .await
            .unwrap();
        let line = |name: &str, grams| NewLine {
            product_id: None,
            name: name.into(),
            unit: larder_core::Unit::Kg,
            price: larder_core::Money::from_minor(25_000),
            ordered: larder_core::Quantity::grams(grams).unwrap(),
            packing: None,
            packing_rate: None,
        };
        let order = |session, client: &str, lines| NewOrder {
            session_id: session,
            client_name: client.into(),
            phone: None,
            delivery: false,
            address: None,
            issue_date: Some(jiff::civil::date(2026, 12, 5)),
            issue_time: None,
            discount: larder_core::Percent::ZERO,
            fee: larder_core::Fee::Auto,
            note: None,
            customer: None,
            lines,
        };
        let lines = vec![line("Gouda", 300), line("Caciotta", 400)];
        let (anna, _) = orders::create(&mut tx, &order(inbox, "Anna", lines), None, 1)
            .await
            .unwrap();
        let lines = vec![line("Gouda", 200)];
        orders::create(&mut tx, &order(fair, "Boris", lines), None, 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (anna, fair)
    };
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Стол заказов").await;
    app.press(OWNER, "В обработке").await;
    app.press(OWNER, "№1 Anna · 📥 Входящие").await;
    app.desk_shows(OWNER, "Anna").await;
    app.press(OWNER, "Назад").await;
    app.press(OWNER, "№1 Boris · Ярмарка").await;
    app.desk_shows(OWNER, "Boris").await;
    {
        let mut c = app.store().conn().await.unwrap();
        let o = orders::get(&mut c, anna).await.unwrap();
        let grams = |g| Some(larder_core::Quantity::grams(g).unwrap());
        orders::set_weighed(&mut c, anna, 1, o.lines[0].id, grams(315), None, 2)
            .await
            .unwrap();
        orders::set_weighed(&mut c, anna, 2, o.lines[1].id, grams(0), None, 3)
            .await
            .unwrap();
        let complete = larder_core::StatusEvent::Complete;
        orders::set_status(&mut c, anna, 3, complete, None, None, None, 4)
            .await
            .unwrap();
        orders::move_to_session(&mut c, anna, 4, fair, None, 5)
            .await
            .unwrap();
    }
    app.press(OWNER, "Меню").await;
    app.press(OWNER, "Собранные").await;
    app.press(OWNER, "№2 Anna").await;
    app.press(OWNER, "История").await;
    let history = app.desk_shows(OWNER, "История заказа №2").await;
    shows_all(
        &history,
        &[
            "статус ⚖️ В обработке → ✅ Собран",
            "взвешено Gouda: не взвешено → Gouda: 315 г",
            "Caciotta: не взвешено → Caciotta: нет в наличии",
            "сессия 📥 Входящие, №1 → Ярмарка, №2",
        ],
    );
    for english in ["processing", "completed", " g", "session "] {
        assert!(!history.contains(english), "{english:?} in {history}");
    }
    // The session's orders downloaded: Russian words and file name, and CSV
    // that a Russian-locale spreadsheet splits (";" and decimal commas).
    app.press(OWNER, "Назад").await;
    app.press(OWNER, "Меню").await;
    app.press(OWNER, "Сессии").await;
    app.press(OWNER, "Ярмарка").await;
    app.press(OWNER, "Заказы (CSV)").await;
    let chat = app.ctl.chat(OWNER).await;
    let doc = chat
        .messages
        .iter()
        .find_map(|m| m.document.clone())
        .expect("a file");
    assert_eq!(doc.file_name, "Ярмарка-заказы.csv");
    let csv = String::from_utf8(app.ctl.file(&doc.file_id).await).unwrap();
    for part in [
        "Сессия;Заказ;Статус;Клиент",
        "Ярмарка;2;собран;Anna",
        "Gouda;кг;250,00;0,300;0,315",
        "Итого;",
    ] {
        assert!(csv.contains(part), "{part:?} in {csv}");
    }
    // The printable sheets for the market day.
    app.press(OWNER, "Лист заказов и лист сборки (PDF)").await;
    let chat = app.ctl.chat(OWNER).await;
    let pdf = chat
        .messages
        .iter()
        .filter_map(|m| m.document.clone())
        .find(|d| d.file_name.ends_with(".pdf"))
        .expect("a PDF");
    assert_eq!(pdf.file_name, "Ярмарка-листы.pdf");
    assert!(app.ctl.file(&pdf.file_id).await.starts_with(b"%PDF-1.7"));
}

async fn a_weighed_order_is_not_emptied_or_left_unweighed_without_a_question(app: TestApp) {
    app.seed_products(CHEESES).await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "New order").await;
    app.press_type(OWNER, "Name", "Boris", "Boris").await;
    app.press(OWNER, "Add product").await;
    app.press(OWNER, "Gouda").await;
    app.say(OWNER, "300").await;
    app.press(OWNER, "Save order").await;
    app.press(OWNER, "Weigh").await;
    app.say(OWNER, "300").await;
    app.press(OWNER, "Complete").await;
    app.desk_shows(OWNER, "✅ Completed").await;
    // A line by weight added now is weighed at once; one by the piece is counted.
    app.press(OWNER, "Edit").await;
    app.press(OWNER, "Add product").await;
    app.press(OWNER, "Caciotta").await;
    app.say(OWNER, "200").await;
    app.desk_shows(
        OWNER,
        "The order is already weighed: send the new line’s weight now",
    )
    .await;
    app.say(OWNER, "210").await;
    let edit = app.desk_shows(OWNER, "Caciotta").await;
    assert!(edit.contains("200 g → 210 g"), "{edit}");
    app.press(OWNER, "Add product").await;
    app.press(OWNER, "Greek yoghurt").await;
    app.say(OWNER, "1").await;
    let edit = app.desk_shows(OWNER, "Greek yoghurt").await;
    assert!(edit.contains("1 pc → 1 pc"), "{edit}");
    assert!(!edit.contains("not weighed"), "{edit}");
    // Removing lines down to the last one asks before the order is emptied.
    for line in ["3. Greek yoghurt", "2. Caciotta"] {
        app.press(OWNER, line).await;
        app.press(OWNER, "Remove line").await;
    }
    app.press(OWNER, "1. Gouda").await;
    app.press(OWNER, "Remove line").await;
    app.desk_shows(OWNER, "This is the order’s only line. Remove it?")
        .await;
    app.press(OWNER, "Back").await;
    app.press(OWNER, "Remove line").await;
    app.press(OWNER, "Yes, remove it").await;
    app.desk_shows(OWNER, "No products yet.").await;
}

/// "2" for cheese sold by weight means 2 g: that is said back and asked
/// about; a count is asked for by the piece.
async fn a_weight_that_looks_like_a_slip_is_asked_about(app: TestApp) {
    app.seed_products(CHEESES).await;
    create_worked_example(&app).await;
    app.press(OWNER, "Weigh").await;
    app.say(OWNER, "2").await;
    app.desk_shows(OWNER, "2 g = 0.002 kg — is that right?")
        .await;
    app.desk_shows(OWNER, "Weighed 0 of 3").await;
    app.say(OWNER, "0,315 кг").await;
    let toast = app.desk_shows(OWNER, "Weighed 1 of 3").await;
    assert!(toast.contains("Send how many pieces there are"), "{toast}");
    app.say(OWNER, "2").await;
    app.desk_shows(OWNER, "Weighed 2 of 3").await;
    // Confirmed, a doubtful weight is kept.
    app.say(OWNER, "3").await;
    app.press(OWNER, "✓ Yes, 3 g").await;
    app.desk_shows(OWNER, "All lines are weighed").await;
    let mut conn = app.store().conn().await.unwrap();
    let o = larder_store::orders::get(&mut conn, larder_core::OrderId::new(1))
        .await
        .unwrap();
    let weighed: Vec<_> = o
        .lines
        .iter()
        .map(|l| l.weighed.map(|q| q.value()))
        .collect();
    assert_eq!(weighed, [Some(315), Some(2), Some(3)]);
}

/// In Russian: a pickup order's text names the pickup address, lists a
/// line not available as such, and a removed last line is asked about.
async fn the_customer_text_for_a_pickup_in_russian(app: TestApp) {
    app.seed_products(CHEESES).await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Новый заказ").await;
    app.press_type(OWNER, "Имя", "Борис", "Борис").await;
    for (product, quantity) in [("Gouda", "300"), ("Caciotta", "0,4")] {
        app.press(OWNER, "Добавить товар").await;
        app.press(OWNER, product).await;
        app.say(OWNER, quantity).await;
    }
    app.press(OWNER, "Сохранить заказ").await;
    app.press(OWNER, "Взвесить").await;
    app.say(OWNER, "2").await;
    app.desk_shows(OWNER, "2 г = 0.002 кг — всё верно?").await;
    app.say(OWNER, "305").await;
    app.press(OWNER, "Нет в наличии").await;
    app.press(OWNER, "Собран").await;
    app.press(OWNER, "Текст для клиента").await;
    let text = app.desk_shows(OWNER, "Самовывоз: ул. Рыночная, 5").await;
    shows_all(
        &text,
        &[
            "• Gouda — 305 г — 76.25 ₽",
            "• Caciotta — нет в наличии",
            "К оплате: 76.25 ₽",
            "когда будете его забирать",
        ],
    );
}

/// In Russian: a day typed without a year is said back with it, a saved
/// order's only line is removed after a question, a used invite says so,
/// and removing a member asks first.
async fn guard_rails_and_dates_in_russian(app: TestApp) {
    app.seed_products(CHEESES).await;
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Новый заказ").await;
    app.press_type(OWNER, "Имя", "Борис", "Борис").await;
    app.press(OWNER, "Добавить товар").await;
    app.press(OWNER, "Gouda").await;
    app.say(OWNER, "300").await;
    app.press(OWNER, "Сохранить заказ").await;
    app.press(OWNER, "Взвесить").await;
    app.say(OWNER, "300").await;
    app.press(OWNER, "Собран").await;
    app.press(OWNER, "Выдать").await;
    app.press(OWNER, "Другой день").await;
    app.say(OWNER, "30.11").await;
    app.desk_shows(OWNER, "Выдан 30.11.2026.").await;
    app.press(OWNER, "Изменить").await;
    app.press(OWNER, "1. Gouda").await;
    app.press(OWNER, "Удалить строку").await;
    app.desk_shows(OWNER, "Это единственная строка заказа. Удалить её?")
        .await;
    // Staff: a used invite, and a removal that asks first.
    app.press(OWNER, "Назад").await;
    app.press(OWNER, "Назад").await;
    app.press(OWNER, "Назад").await;
    app.press(OWNER, "Меню").await;
    app.press(OWNER, "Сотрудники").await;
    app.press(OWNER, "Пригласить менеджера").await;
    let chat = app.ctl.chat(OWNER).await;
    let code = chat
        .messages
        .iter()
        .flat_map(|m| m.text.split_whitespace())
        .find_map(|w| w.strip_prefix("https://t.me/larder_test_bot?start="))
        .expect("an invite link")
        .to_owned();
    app.say(crate::harness::STRANGER, &format!("/start {code}"))
        .await;
    app.desk_shows(crate::harness::STRANGER, "Добро пожаловать")
        .await;
    const THIRD: i64 = 7777;
    app.ctl
        .user(fake_telegram::NewUser::new(THIRD, "Третий"))
        .await;
    app.say(THIRD, &format!("/start {code}")).await;
    app.sees(THIRD, "Эта ссылка-приглашение уже использована")
        .await;
    app.press(OWNER, "Меню").await;
    app.press(OWNER, "Сотрудники").await;
    app.press(OWNER, "Mallory").await;
    app.desk_shows(OWNER, "Убрать Mallory из роли").await;
    app.press(OWNER, "Да, убрать").await;
    app.desk_shows(crate::harness::STRANGER, "Вы больше не в команде")
        .await;
}
