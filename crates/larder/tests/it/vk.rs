//! The shop on VK: a VK customer orders, the Telegram kitchen handles the
//! order, and the customer hears of it on VK.

use std::time::Duration;

use crate::harness::{Db, TestApp};
use crate::shop_flow::{
    ADMIN, ADMINS, ANNA, COOK, COURIERS, KITCHEN, PETE, restaurant_setup, restaurant_unstarted,
};

const VERA: i64 = 777;
const WAIT: Duration = Duration::from_secs(15);

pub(crate) struct VkApp {
    app: TestApp,
    vk: fake_vk::Control,
    _emulator: fake_vk::FakeVk,
}

pub(crate) async fn vk_restaurant(db: Db) -> Option<VkApp> {
    let mut app = restaurant_unstarted(db).await?;
    let emulator = fake_vk::FakeVk::start(fake_vk::Config {
        clock: app.clock.clone(),
        ..fake_vk::Config::default()
    })
    .await
    .unwrap();
    app.config.vk.token = Some(larder::config::Secret::new(emulator.token()));
    app.config.vk.group_id = emulator.group_id();
    app.config.vk.api_url = emulator.base_url();
    app.config.vk.wait_s = 2;
    let vk = emulator.control();
    let mut vera = fake_vk::NewUser::new(VERA, "Vera").last_name("Ivanova");
    vera.lang = Some("en".into());
    vk.user(vera).await;
    app.start().await;
    restaurant_setup(&app).await;
    Some(VkApp {
        app,
        vk,
        _emulator: emulator,
    })
}

crate::on_both_backends!(
    with crate::vk::vk_restaurant;
    a_vk_customer_orders_and_hears_of_every_step_on_vk,
    long_poll_failures_recover_as_vk_documents,
    events_delivered_again_are_handled_once,
    a_lost_send_response_shows_one_message,
    a_customer_who_forbids_messages_is_reported_once_and_not_retried,
    killed_mid_checkout_the_order_is_placed_once,
    a_client_without_callback_buttons_gets_text_buttons_that_work,
    a_linked_customer_sees_one_order_history_on_both_messengers,
    a_product_photo_is_uploaded_to_vk_once_and_shown,
    vk_errors_are_retried_or_dropped_by_their_class,
    a_long_list_pages_within_vk_keyboard_limits,
    one_slow_customer_never_holds_another,
    failing_edits_and_answers_are_retried_until_they_go_through,
    a_restored_backup_resumes_without_repeats_and_vk_takes_what_follows,
    a_vk_account_with_the_owners_number_is_only_a_customer,
    link_codes_cannot_be_guessed_by_trying,
    typed_answers_come_below_and_earlier_questions_stay_as_lines,
    a_token_without_the_photos_right_is_reported_once_and_cards_still_go_out,
    a_product_card_changes_in_place_and_an_old_one_is_outdated,
    on_vk_times_come_in_groups_and_dishes_are_rated_a_page_at_a_time,
    a_link_made_by_someone_else_is_undone_from_the_account_told,
    a_token_without_the_manage_right_is_reported_and_receiving_resumes_once_given,
    a_token_without_the_messages_right_is_reported_once,
);

impl VkApp {
    async fn sees(&self, text: &str) {
        if self.vk.wait_text(VERA, text, WAIT).await.is_err() {
            let peer = self.vk.peer(VERA).await;
            let texts: Vec<_> = peer.messages.iter().map(|m| m.text.clone()).collect();
            panic!("VK never showed {text:?}: {texts:#?}");
        }
    }

    async fn say(&self, text: &str, then: &str) {
        self.vk.send_text(VERA, text).await;
        self.sees(then).await;
    }

    async fn press(&self, label: &str, then: &str) {
        if self.vk.wait_button(VERA, label, WAIT).await.is_err() {
            panic!(
                "VK never showed a button {label:?}: {:#?}",
                self.vk.peer(VERA).await
            );
        }
        self.vk
            .press(VERA, label)
            .await
            .unwrap_or_else(|e| panic!("press {label:?}: {e:?}"));
        self.sees(then).await;
    }
}

/// Registers Vera (the phone typed, the e-mail skipped).
async fn register(t: &VkApp) {
    // VK has no /start: the first message opens the shop.
    t.say("Hello", "Step 1 of 4").await;
    t.say("Vera", "Step 2 of 4").await;
    t.say("Ivanova", "Step 3 of 4").await;
    t.say("69 55 51 11", "Step 4 of 4").await;
    t.press("Skip", "Hello, Vera!").await;
}

/// One borscht for pickup, up to the summary.
async fn to_summary(t: &VkApp) {
    t.press("Menu", "Choose a category").await;
    t.press("Soups", "Soups").await;
    t.press("Borscht", "150.00 ₽/pc").await;
    t.press("Add to cart", "150.00 ₽/pc").await;
    t.press("Cart", "Total: 150.00").await;
    t.press("Check out", "Pickup or delivery?").await;
    t.press("Pickup", "When do you want it?").await;
    t.press("As soon as possible", "Any wishes").await;
    t.press("No comment", "To pay: 150.00").await;
}

fn bot_texts(peer: &fake_vk::PeerView, needle: &str) -> usize {
    peer.messages
        .iter()
        .filter(|m| m.from_bot && !m.deleted && m.text.contains(needle))
        .count()
}

async fn long_poll_failures_recover_as_vk_documents(t: VkApp) {
    t.say("Hello", "Step 1 of 4").await;
    for (failed, text, then) in [
        (1, "Vera", "Step 2 of 4"),
        (2, "Ivanova", "Step 3 of 4"),
        (3, "69 55 51 11", "Step 4 of 4"),
    ] {
        // The fault hits the poll after the one waiting now, which brings
        // the text (a `failed: 3` loses whatever came before it, as on VK).
        t.vk.wait_polling(WAIT).await.unwrap();
        t.vk.fault(fake_vk::Fault::longpoll_failed(failed).times(1))
            .await;
        t.say(text, then).await;
    }
    // And the conversation goes on after the last failure.
    t.vk.wait_polling(WAIT).await.unwrap();
    t.press("Skip", "Hello, Vera").await;
    let mut c = t.app.store().conn().await.unwrap();
    let c = larder_store::customers::get_or_create(&mut c, larder_store::Channel::Vk, VERA, 0)
        .await
        .unwrap();
    assert_eq!(c.phone.as_deref(), Some("+37369555111"));
}

async fn events_delivered_again_are_handled_once(mut t: VkApp) {
    t.say("Hello", "Step 1 of 4").await;
    let ts = {
        let mut c = t.app.store().conn().await.unwrap();
        larder_store::settings::get(&mut c, "vk.ts")
            .await
            .unwrap()
            .unwrap()
    };
    t.say("Vera", "Step 2 of 4").await;
    t.say("Ivanova", "Step 3 of 4").await;
    t.app.settled().await;
    // As if the saved position were older: after a restart VK hands the
    // same events again.
    {
        let mut c = t.app.store().conn().await.unwrap();
        larder_store::settings::set(&mut c, "vk.ts", &ts)
            .await
            .unwrap();
    }
    t.app.stop().await;
    t.app.start().await;
    t.say("69 55 51 11", "Step 4 of 4").await;
    let mut c = t.app.store().conn().await.unwrap();
    let customer =
        larder_store::customers::get_or_create(&mut c, larder_store::Channel::Vk, VERA, 0)
            .await
            .unwrap();
    assert_eq!(
        (
            customer.first_name.as_deref(),
            customer.last_name.as_deref()
        ),
        (Some("Vera"), Some("Ivanova")),
        "each answer applied once, in order"
    );
    // Each typed answer stays in the dialog, so each next question comes
    // below it as a new message and the one before is left as its line.
    let sends = t.vk.requests_for("messages.send").await;
    let edits = t.vk.requests_for("messages.edit").await;
    assert_eq!(sends.len(), 4, "one message per question: {sends:?}");
    assert_eq!(
        edits.len(),
        3,
        "each earlier question retired once: {edits:?}"
    );
}

async fn a_lost_send_response_shows_one_message(t: VkApp) {
    t.vk.fault(fake_vk::Fault::lose_response("messages.send").times(1))
        .await;
    t.say("Hello", "Step 1 of 4").await;
    t.app.settled().await;
    let peer = t.vk.peer(VERA).await;
    assert_eq!(bot_texts(&peer, "Step 1 of 4"), 1, "{peer:#?}");
    let sends = t.vk.requests_for("messages.send").await;
    assert!(sends.len() >= 2, "the lost call was retried: {sends:?}");
    let ids: Vec<_> = sends.iter().map(|r| r.random_id).collect();
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "same random_id: {ids:?}"
    );
}

async fn a_customer_who_forbids_messages_is_reported_once_and_not_retried(t: VkApp) {
    register(&t).await;
    to_summary(&t).await;
    t.press("Confirm the order", "Order №1 is placed").await;
    t.app.sees(KITCHEN, "Order №1").await;
    t.vk.block(VERA).await;
    let before = t.vk.requests_for("messages.send").await.len();
    t.app.press_in(KITCHEN, COOK, "Accept").await;
    t.app
        .sees(ADMINS, "Vera Ivanova [VK] (+37369555111) blocked the bot")
        .await;
    t.app.press_in(KITCHEN, COOK, "Prepared").await;
    t.app.settled().await;
    let sends = t.vk.requests_for("messages.send").await;
    let failed: Vec<_> = sends[before..].iter().filter(|r| !r.ok).collect();
    assert_eq!(
        failed.len(),
        1,
        "one refused send, never retried: {sends:?}"
    );
    assert_eq!(failed[0].error_code, Some(901));
    // Vera allows messages again without writing: she hears what follows.
    t.vk.allow(VERA).await;
    let store = t.app.store().clone();
    crate::harness::polled(
        async || {
            let mut c = store.conn().await.unwrap();
            larder_store::customers::get_or_create(&mut c, larder_store::Channel::Vk, VERA, 0)
                .await
                .unwrap()
                .unreachable_at
        },
        Option::is_none,
    )
    .await;
    t.app.press_in(ADMINS, ADMIN, "Picked up").await;
    t.sees("was picked up").await;
}

async fn killed_mid_checkout_the_order_is_placed_once(mut t: VkApp) {
    register(&t).await;
    to_summary(&t).await;
    t.app.kill().await;
    // Pressed while the bot is down: the event waits at VK.
    t.vk.press(VERA, "Confirm the order").await.unwrap();
    t.app.start().await;
    t.sees("Order №1 is placed").await;
    t.app.sees(KITCHEN, "Order №1").await;
    // Killed again once everything is out: nothing is done twice.
    t.app.settled().await;
    t.app.kill().await;
    t.app.start().await;
    t.app.settled().await;
    let mut c = t.app.store().conn().await.unwrap();
    let orders = larder_store::orders::count(&mut c, larder_core::OrderStatus::Processing, None)
        .await
        .unwrap();
    assert_eq!(orders, 1);
    let kitchen = t.app.texts(KITCHEN).await;
    assert_eq!(kitchen.iter().filter(|m| m.contains("Order №1")).count(), 1);
}

async fn a_vk_customer_orders_and_hears_of_every_step_on_vk(t: VkApp) {
    register(&t).await;
    t.press("Menu", "Choose a category").await;
    t.press("Soups", "Soups").await;
    t.press("Borscht", "150.00 ₽/pc").await;
    t.press("Add to cart", "150.00 ₽/pc").await;
    t.press("Cart", "Total: 150.00").await;
    t.press("Check out", "Pickup or delivery?").await;
    t.press("Delivery", "delivery address").await;
    // No last address yet: none is offered.
    let asked = newest(&t.vk.peer(VERA).await, "delivery address");
    assert!(!asked.text.contains("last one"), "{}", asked.text);
    t.say("Lenin St 7, flat 3", "When do you want it?").await;
    t.press("As soon as possible", "Any wishes").await;
    t.press("No comment", "To pay").await;
    t.press("Confirm the order", "Order №1 is placed").await;
    // The Telegram kitchen and couriers handle it; Vera hears of it on VK.
    let app = &t.app;
    app.sees(KITCHEN, "Order №1").await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    t.sees("the kitchen has started on it").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    t.sees("ready and waits for a courier").await;
    app.say(PETE, "/start").await;
    app.press_in(COURIERS, PETE, "Take").await;
    t.sees("Pete is bringing it").await;
    app.sees(PETE, "Lenin St 7, flat 3").await;
    app.press_in(PETE, PETE, "Delivered").await;
    t.sees("was delivered").await;
    app.sees(ADMINS, "Order №1 was delivered by Pete").await;
    let mut c = app.store().conn().await.unwrap();
    let o = larder_store::orders::get(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap();
    assert_eq!(
        (o.client_name.as_str(), o.phone.as_deref()),
        ("Vera Ivanova", Some("+37369555111"))
    );
    let p = larder_store::shop::pipeline(&mut c, o.id).await.unwrap();
    assert_eq!(p.origin, Some(larder_store::Channel::Vk));
    drop(c);
    // Feedback on VK too.
    t.press("⭐⭐⭐⭐⭐", "Rate the dishes").await;
    let answers = t.vk.snackbars(VERA).await;
    assert!(
        answers
            .iter()
            .any(|a| a.text.as_deref() == Some("Thank you for your feedback!")),
        "{answers:?}"
    );
    // VK's traffic is counted beside Telegram's.
    t.app.settled().await;
    let metrics = t.app.metrics().await;
    let value = |name: &str, channel: &str| -> u64 {
        let prefix = format!("{name}{{channel=\"{channel}\"}} ");
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {prefix}: {metrics}"))
    };
    assert!(value("larder_channel_updates_handled_total", "vk") >= 15);
    assert!(value("larder_channel_outbox_sent_total", "vk") >= 15);
    assert!(value("larder_channel_callbacks_answered_total", "vk") >= 10);
    assert!(value("larder_channel_outbox_sent_total", "telegram") >= 5);
}

async fn a_client_without_callback_buttons_gets_text_buttons_that_work(t: VkApp) {
    const TOM: i64 = 778;
    let mut tom = fake_vk::NewUser::new(TOM, "Tom");
    tom.lang = Some("en".into());
    tom.button_actions = Some(vec!["text".into()]);
    t.vk.user(tom).await;
    t.vk.send_text(TOM, "Hi").await;
    t.vk.wait_text(TOM, "Step 1 of 4", WAIT).await.unwrap();
    for (answer, then) in [
        ("Tom", "Step 2 of 4"),
        ("Smith", "Step 3 of 4"),
        ("+373 69 777 888", "Step 4 of 4"),
    ] {
        t.vk.send_text(TOM, answer).await;
        t.vk.wait_text(TOM, then, WAIT).await.unwrap();
    }
    t.vk.wait_button(TOM, "Skip", WAIT).await.unwrap();
    let peer = t.vk.peer(TOM).await;
    let kinds: Vec<String> = peer
        .messages
        .iter()
        .filter_map(|m| m.keyboard.as_ref())
        .flat_map(|k| k.rows.iter().flatten().map(|b| b.kind.clone()))
        .collect();
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| k == "text"),
        "{kinds:?}"
    );
    // A text button sends its label with the payload: the press works.
    t.vk.press(TOM, "Skip").await.unwrap();
    t.vk.wait_text(TOM, "Hello, Tom!", WAIT).await.unwrap();
    // A client without keyboards under messages gets them under its input
    // box, as text buttons.
    const OLGA: i64 = 779;
    let mut olga = fake_vk::NewUser::new(OLGA, "Olga");
    olga.lang = Some("en".into());
    olga.client_info = Some(fake_vk::ClientInfo {
        inline_keyboard: false,
        lang_id: 3,
        ..fake_vk::ClientInfo::default()
    });
    t.vk.user(olga).await;
    t.vk.send_text(OLGA, "Hi").await;
    t.vk.wait_text(OLGA, "Step 1 of 4", WAIT).await.unwrap();
    for (answer, then) in [
        ("Olga", "Step 2 of 4"),
        ("Smith", "Step 3 of 4"),
        ("+373 69 777 999", "Step 4 of 4"),
    ] {
        t.vk.send_text(OLGA, answer).await;
        t.vk.wait_text(OLGA, then, WAIT).await.unwrap();
    }
    t.vk.wait_button(OLGA, "Skip", WAIT).await.unwrap();
    let peer = t.vk.peer(OLGA).await;
    let keyboards: Vec<_> = peer
        .messages
        .iter()
        .filter_map(|m| m.keyboard.as_ref())
        .collect();
    assert!(
        !keyboards.is_empty() && keyboards.iter().all(|k| !k.inline),
        "{keyboards:?}"
    );
    t.vk.press(OLGA, "Skip").await.unwrap();
    t.vk.wait_text(OLGA, "Hello, Olga!", WAIT).await.unwrap();
}

async fn a_linked_customer_sees_one_order_history_on_both_messengers(t: VkApp) {
    let app = &t.app;
    // Anna has ordered on Telegram before.
    crate::shop_flow::register(app).await;
    crate::shop_flow::checkout(app, false).await;
    app.press(ANNA, "Confirm the order").await;
    app.sees(KITCHEN, "Order №1").await;
    let code = link_code(app).await;
    // On VK (as Vera's account) she types it instead of registering again.
    t.say("Hi", "Step 1 of 4").await;
    t.press("Already our customer", "Got a code").await;
    t.say("000000", "That code does not work").await;
    t.say(&code.to_uppercase(), "Hello, Anna!").await;
    // The Telegram account that made the code is told.
    app.sees(ANNA, "now linked with your VK account").await;
    t.press("Menu", "Choose a category").await;
    t.press("My orders", "My orders").await;
    t.press("№1", "Order №1").await;
    // An order placed on VK joins the same history; its news comes on VK.
    to_summary(&t).await;
    t.press("Confirm the order", "Order №2 is placed").await;
    app.sees(KITCHEN, "Order №2").await;
    let cards = app.texts(KITCHEN).await;
    assert!(cards.iter().any(|c| c.contains("Order №2")));
    let accept = larder_ui::Action::Card(larder_ui::CardAction::KitchenAccept(
        larder_core::OrderId::new(2),
    ))
    .encode();
    let pressed = app.ctl.press_data(KITCHEN, COOK, &accept, None).await;
    app.handled(pressed.update_id).await;
    t.sees("Order №2: the kitchen has started").await;
    app.say(ANNA, "/orders").await;
    let orders = app.ctl.chat(ANNA).await;
    let labels: Vec<String> = orders
        .pinned()
        .unwrap()
        .buttons
        .iter()
        .flatten()
        .map(|b| b.text.clone())
        .collect();
    assert!(
        labels.iter().any(|l| l.starts_with("№1")) && labels.iter().any(|l| l.starts_with("№2")),
        "{labels:?}"
    );
    // The code works once.
    let mut c = app.store().conn().await.unwrap();
    let again = larder_store::customers::redeem_link_code(
        &mut c,
        &code,
        larder_store::Channel::Vk,
        999,
        app.now_ms(),
    )
    .await
    .unwrap();
    assert_eq!(again, Err(larder_store::customers::LinkRefusal::Invalid));
}

/// Borscht gets a photo (sent by the owner on Telegram).
async fn borscht_with_a_photo(t: &VkApp) {
    let app = &t.app;
    let photo = app
        .ctl
        .send_photo(crate::harness::OWNER, crate::harness::OWNER, None)
        .await;
    app.handled(photo.update_id).await;
    let mut c = app.store().conn().await.unwrap();
    let id = larder_store::products::find_active_by_key(&mut c, "borscht")
        .await
        .unwrap()
        .unwrap();
    let p = larder_store::products::get(&mut c, id).await.unwrap();
    larder_store::products::update(
        &mut c,
        id,
        p.version,
        larder_store::products::Change::Photo(Some(&photo.file_id)),
        9,
    )
    .await
    .unwrap();
}

/// The newest message Vera sees from the shop that contains `text`.
fn newest(peer: &fake_vk::PeerView, text: &str) -> fake_vk::MessageView {
    peer.messages
        .iter()
        .rev()
        .find(|m| m.from_bot && !m.deleted && m.text.contains(text))
        .unwrap_or_else(|| panic!("no {text:?}: {peer:#?}"))
        .clone()
}

fn has_photo(m: &fake_vk::MessageView) -> bool {
    m.attachments.iter().any(|a| a.kind == "photo" && a.known)
}

async fn a_product_photo_is_uploaded_to_vk_once_and_shown(t: VkApp) {
    borscht_with_a_photo(&t).await;
    register(&t).await;
    t.press("Menu", "Choose a category").await;
    t.press("Soups", "Soups").await;
    // VK is in trouble for a moment: the card waits for its photo.
    t.vk.fault(
        fake_vk::Fault::internal_error()
            .method("photos.getMessagesUploadServer")
            .times(2),
    )
    .await;
    for _ in 0..2 {
        t.press("Borscht", "150.00 ₽/pc").await;
        let peer = t.vk.peer(VERA).await;
        let card = peer
            .messages
            .iter()
            .rev()
            .find(|m| m.from_bot && !m.deleted && m.text.contains("Borscht"))
            .unwrap();
        assert!(
            card.attachments
                .iter()
                .any(|a| a.kind == "photo" && a.known),
            "{card:?}"
        );
        t.press("Back", "Soups").await;
    }
    let saved = t.vk.requests_for("photos.saveMessagesPhoto").await;
    assert_eq!(saved.len(), 1, "uploaded once: {saved:?}");
    let tries = t.vk.requests_for("photos.getMessagesUploadServer").await;
    assert_eq!(tries.len(), 3, "two failures, then the upload: {tries:?}");
}

async fn vk_errors_are_retried_or_dropped_by_their_class(t: VkApp) {
    // Flood control and VK's own trouble: retried until it goes through.
    for code in [6, 9, 10, 29] {
        t.vk.fault(fake_vk::Fault::error(code).method("messages.send").times(1))
            .await;
    }
    t.say("Hello", "Step 1 of 4").await;
    let sends = t.vk.requests_for("messages.send").await;
    let codes: Vec<_> = sends.iter().map(|r| r.error_code).collect();
    assert_eq!(
        codes,
        [Some(6), Some(9), Some(10), Some(29), None],
        "each error retried, then sent once"
    );
    // A refused message is our bug: logged and dropped, never retried.
    t.vk.fault(
        fake_vk::Fault::message_too_long()
            .method("messages.edit")
            .times(1),
    )
    .await;
    t.vk.send_text(VERA, "Vera").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while t.vk.requests_for("messages.edit").await.is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the edit was never tried"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    t.app.settled().await;
    let edits = t.vk.requests_for("messages.edit").await;
    assert_eq!(edits.len(), 1, "not retried: {edits:?}");
    assert_eq!(edits[0].error_code, Some(914));
    // The next answer shows again.
    t.say("Ivanova", "Step 3 of 4").await;
}

/// Soups 1…`count` at 100.00, in the Soups category.
async fn more_soups(t: &VkApp, count: u32) {
    let mut c = t.app.store().conn().await.unwrap();
    let soups = larder_store::categories::all(&mut c).await.unwrap()[0].id;
    for n in 1..=count {
        let name = larder_core::ProductName::parse(&format!("Soup {n}")).unwrap();
        let id = larder_store::products::insert(
            &mut c,
            &name,
            larder_core::Unit::Piece,
            larder_core::Money::from_minor(10_000),
            1,
        )
        .await
        .unwrap();
        larder_store::products::update(
            &mut c,
            id,
            1,
            larder_store::products::Change::Category(Some(soups)),
            2,
        )
        .await
        .unwrap();
    }
}

async fn a_long_list_pages_within_vk_keyboard_limits(t: VkApp) {
    more_soups(&t, 7).await;
    register(&t).await;
    t.press("Menu", "Choose a category").await;
    t.press("Soups", "Soups").await;
    let shown = |peer: &fake_vk::PeerView| -> Vec<String> {
        let desk = peer
            .messages
            .iter()
            .rev()
            .find(|m| m.from_bot && !m.deleted && m.keyboard.is_some())
            .unwrap();
        let rows = &desk.keyboard.as_ref().unwrap().rows;
        assert!(rows.len() <= 6, "{rows:?}");
        assert!(rows.iter().map(Vec::len).sum::<usize>() <= 10, "{rows:?}");
        rows.iter()
            .flatten()
            .filter_map(|b| b.label.clone())
            .collect()
    };
    // One pager, drawn by the screen within VK's keyboard; Back and Cart on
    // every page.
    let first = shown(&t.vk.peer(VERA).await);
    for label in ["◀", "1/2", "▶", "◀ Back", "🛒 Cart"] {
        assert!(first.iter().any(|l| l == label), "{label}: {first:?}");
    }
    t.vk.press(VERA, "▶").await.unwrap();
    let second = crate::harness::polled(
        async || shown(&t.vk.peer(VERA).await),
        |labels| labels.iter().any(|l| l == "2/2"),
    )
    .await;
    for label in ["◀ Back", "🛒 Cart"] {
        assert!(second.iter().any(|l| l == label), "{label}: {second:?}");
    }
    let all: Vec<&String> = first.iter().chain(second.iter()).collect();
    for n in 1..=7 {
        assert!(
            all.iter().any(|l| l.starts_with(&format!("Soup {n} "))),
            "Soup {n} on a page: {all:?}"
        );
    }
    assert!(
        !all.iter().any(|l| *l == "›" || *l == "‹"),
        "never a second pager: {all:?}"
    );
}

async fn one_slow_customer_never_holds_another(t: VkApp) {
    const BORIS: i64 = 778;
    let mut boris = fake_vk::NewUser::new(BORIS, "Boris");
    boris.lang = Some("en".into());
    t.vk.user(boris).await;
    // Every message to Vera takes a minute to go through.
    t.vk.fault(
        fake_vk::Fault::delay(60_000)
            .method("messages.send")
            .peer(VERA),
    )
    .await;
    t.vk.send_text(VERA, "Hello").await;
    t.vk.send_text(BORIS, "Hello").await;
    t.vk.wait_text(BORIS, "Step 1 of 4", WAIT)
        .await
        .expect("Boris is greeted while Vera's message is still on its way");
    t.vk.clear_faults().await;
}

async fn failing_edits_and_answers_are_retried_until_they_go_through(t: VkApp) {
    t.say("Hello", "Step 1 of 4").await;
    // VK has trouble with edits and with answering presses for a while.
    for method in ["messages.edit", "messages.sendMessageEventAnswer"] {
        t.vk.fault(fake_vk::Fault::internal_error().method(method).times(2))
            .await;
    }
    t.say("Vera", "Step 2 of 4").await;
    t.say("Ivanova", "Step 3 of 4").await;
    t.say("69 55 51 11", "Step 4 of 4").await;
    t.press("Skip", "Hello, Vera").await;
    t.app.settled().await;
    let edits = t.vk.requests_for("messages.edit").await;
    assert!(
        edits.iter().filter(|r| r.error_code == Some(10)).count() == 2
            && edits.iter().any(|r| r.error_code.is_none()),
        "{edits:?}"
    );
    let answers = t.vk.requests_for("messages.sendMessageEventAnswer").await;
    assert!(
        answers.iter().any(|r| r.error_code.is_none()),
        "{answers:?}"
    );
    let mut c = t.app.store().conn().await.unwrap();
    assert!(
        larder_store::outbox::dead_letters(&mut c, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// A backup taken while the bot runs, restored later: nothing the backup
/// knew as sent is sent again, and what the restored bot sends next reaches
/// VK — whose `random_id` check would swallow a repeated id.
async fn a_restored_backup_resumes_without_repeats_and_vk_takes_what_follows(mut t: VkApp) {
    register(&t).await;
    to_summary(&t).await;
    t.press("Confirm the order", "Order №1 is placed").await;
    t.app.sees(KITCHEN, "Order №1").await;
    t.app.settled().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup");
    let url = t.app.config.database_url.clone();
    let written = larder::backup::backup(&url, &file).await.unwrap();
    assert!(
        matches!(written, larder::backup::Done::Written { bytes, .. } if bytes > 10_000),
        "{written:?}"
    );
    // A backup never overwrites; a restore waits for the bot to stop.
    let again = larder::backup::backup(&url, &file).await.unwrap_err();
    assert!(again.to_string().contains("already exists"), "{again}");
    let busy = larder::backup::restore(&url, &file, &t.app.clock)
        .await
        .unwrap_err();
    assert!(format!("{busy:#}").contains("running"), "{busy:#}");

    // After the backup the kitchen accepts: Vera hears of it once.
    t.app.press_in(KITCHEN, COOK, "Accept").await;
    t.sees("the kitchen has started on it").await;
    t.app.settled().await;
    let vera_before = t.vk.peer(VERA).await.messages.len();
    let kitchen_before = t.app.texts(KITCHEN).await.len();

    t.app.stop().await;
    let restored = larder::backup::restore(&url, &file, &t.app.clock)
        .await
        .unwrap();
    assert!(
        matches!(&restored, larder::backup::Done::Restored { kept } if kept.exists()),
        "{restored:?}"
    );
    t.app.start().await;
    // Both messengers have been asked for news (whatever they hand out
    // again would be handled by now) and nothing waits to go out.
    t.app.heard_from_messengers().await;
    t.app.settled().await;
    // Nothing handled or sent before the backup happened again.
    assert_eq!(t.vk.peer(VERA).await.messages.len(), vera_before);
    assert_eq!(t.app.texts(KITCHEN).await.len(), kitchen_before);

    // The restored order is as it was at the backup: accepted again, and
    // this time's message to Vera is a new one VK takes, not a repeat it drops.
    let accept = larder_ui::Action::Card(larder_ui::CardAction::KitchenAccept(
        larder_core::OrderId::new(1),
    ))
    .encode();
    let press = t.app.ctl.press_data(KITCHEN, COOK, &accept, None).await;
    t.app.handled(press.update_id).await;
    t.app.settled().await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let peer = t.vk.peer(VERA).await;
        if bot_texts(&peer, "the kitchen has started on it") == 2 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "VK swallowed the message sent after the restore: {:#?}",
            peer.messages
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Staff are Telegram accounts: a VK person whose id is the same number as
/// the owner's Telegram id gets the shop, never the desk or owner rights.
async fn a_vk_account_with_the_owners_number_is_only_a_customer(t: VkApp) {
    let owner = crate::harness::OWNER;
    let mut twin = fake_vk::NewUser::new(owner, "Olga");
    twin.lang = Some("en".into());
    t.vk.user(twin).await;
    t.vk.send_text(owner, "Hello").await;
    t.vk.wait_text(owner, "Step 1 of 4", WAIT)
        .await
        .unwrap_or_else(|e| panic!("the shop never opened: {e:?}"));
    let peer = t.vk.peer(owner).await;
    assert_eq!(bot_texts(&peer, "Order desk"), 0, "{peer:#?}");
    // The owner on Telegram still has the desk.
    t.app.say(owner, "/start").await;
    t.app.desk_shows(owner, "Order desk").await;
}

/// The link code Anna's Telegram profile shows: 8 letters and digits.
async fn link_code(app: &TestApp) -> String {
    app.say(ANNA, "/start").await;
    app.press(ANNA, "My profile").await;
    app.press(ANNA, "Link Telegram and VK").await;
    let desk = app.desk_shows(ANNA, "within 10 minutes").await;
    let code = desk
        .split("minutes: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_owned();
    assert!(
        code.len() == 8 && code.chars().all(|c| c.is_ascii_alphanumeric()),
        "{desk}"
    );
    code
}

/// Five wrong codes, and even the right one waits 15 minutes; only the
/// newest code of an account works.
async fn link_codes_cannot_be_guessed_by_trying(t: VkApp) {
    let app = &t.app;
    crate::shop_flow::register(app).await;
    let first = link_code(app).await;
    t.say("Hi", "Step 1 of 4").await;
    t.press("Already our customer", "Got a code").await;
    for wrong in ["aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd", "eeeeeeee"] {
        t.say(wrong, "That code does not work").await;
    }
    t.say(&first, "Too many wrong codes from this account")
        .await;
    app.set_time("2026-12-01T12:16");
    // A new code replaces the first one.
    let newest = link_code(app).await;
    assert_ne!(newest, first);
    t.say(&first, "That code does not work").await;
    t.say(&newest, "Hello, Anna!").await;
}

async fn typed_answers_come_below_and_earlier_questions_stay_as_lines(t: VkApp) {
    t.say("Hello", "Step 1 of 4").await;
    t.say("Vera", "Step 2 of 4").await;
    t.say("Ivanova", "Step 3 of 4").await;
    t.say("abc", "A phone number has digits only").await;
    t.app.settled().await;
    let peer = t.vk.peer(VERA).await;
    let seen: Vec<(bool, &str, bool)> = peer
        .messages
        .iter()
        .filter(|m| !m.deleted)
        .map(|m| (m.from_bot, m.text.as_str(), m.keyboard.is_some()))
        .collect();
    // Each question stays as its line above the answer, without buttons;
    // the answer to the last one (a warning) is the last message.
    let expected_start = [
        (false, "Hello", false),
        (true, "What is your first name?", false),
        (false, "Vera", false),
        (true, "And your surname?", false),
        (false, "Ivanova", false),
        (
            true,
            "Your phone number (for example +373 69 123 456):",
            false,
        ),
        (false, "abc", false),
    ];
    assert_eq!(seen[..expected_start.len()], expected_start, "{seen:#?}");
    assert_eq!(seen.len(), expected_start.len() + 1, "{seen:#?}");
    let (from_bot, last, _) = seen[seen.len() - 1];
    assert!(
        from_bot && last.contains("A phone number has digits only"),
        "{last}"
    );
    assert!(
        last.contains("Step 3 of 4"),
        "the question is asked again: {last}"
    );
    // And the conversation goes on below.
    t.say("69 55 51 11", "Step 4 of 4").await;
    t.press("Skip", "Hello, Vera!").await;
}

async fn a_token_without_the_photos_right_is_reported_once_and_cards_still_go_out(t: VkApp) {
    borscht_with_a_photo(&t).await;
    let token = t._emulator.token().to_owned();
    t.vk.set_token_rights(&token, &["messages", "manage"]).await;
    register(&t).await;
    t.press("Menu", "Choose a category").await;
    t.press("Soups", "Soups").await;
    t.press("Borscht", "150.00 ₽/pc").await;
    assert!(!has_photo(&newest(&t.vk.peer(VERA).await, "Borscht")));
    let note = "has no “photos” right";
    t.app.sees(ADMINS, note).await;
    t.app
        .sees(crate::harness::OWNER, "Manage → API usage → Access tokens")
        .await;
    // Again: the card still goes out, and nobody is told twice.
    t.press("Back", "Soups").await;
    t.press("Borscht", "150.00 ₽/pc").await;
    t.app.settled().await;
    let told = |chat| {
        let ctl = t.app.ctl.clone();
        async move {
            ctl.chat(chat)
                .await
                .messages
                .iter()
                .filter(|m| m.text.contains(note))
                .count()
        }
    };
    assert_eq!(
        (told(ADMINS).await, told(crate::harness::OWNER).await),
        (1, 1)
    );
    // The owner makes a token with the right: photos show from then on.
    let all = ["messages", "manage", "photos"];
    t.vk.set_token_rights(&token, &all).await;
    t.press("Back", "Soups").await;
    t.press("Borscht", "150.00 ₽/pc").await;
    let card = crate::harness::polled(
        async || newest(&t.vk.peer(VERA).await, "Borscht"),
        has_photo,
    )
    .await;
    assert!(has_photo(&card));
}

async fn a_product_card_changes_in_place_and_an_old_one_is_outdated(t: VkApp) {
    borscht_with_a_photo(&t).await;
    register(&t).await;
    t.press("Menu", "Choose a category").await;
    t.press("Soups", "Soups").await;
    t.press("Borscht", "150.00 ₽/pc").await;
    t.app.settled().await;
    let sends = t.vk.requests_for("messages.send").await.len();
    // Adding and taking away edit the card, photo and all: no new message.
    for (press, then) in [
        ("Add to cart", "In cart: 1"),
        ("➕", "In cart: 2"),
        ("➖", "In cart: 1"),
    ] {
        t.press(press, "150.00 ₽/pc").await;
        t.vk.wait_button(VERA, then, WAIT).await.unwrap();
    }
    t.app.settled().await;
    assert_eq!(t.vk.requests_for("messages.send").await.len(), sends);
    let card = newest(&t.vk.peer(VERA).await, "Borscht");
    assert!(has_photo(&card), "{card:?}");
    // A day later the card can no longer be changed: after typing, the
    // next screen is new and the card keeps its buttons, which are old.
    t.app.set_time("2026-12-02T13:00");
    t.vk.send_text(VERA, "hello").await;
    t.sees("Please use the buttons").await;
    t.app.settled().await;
    let old = t.vk.press_on(VERA, "➕", card.id).await.unwrap();
    let answer =
        t.vk.wait_answer(old.callback_event_id.as_deref().unwrap(), WAIT)
            .await
            .unwrap();
    assert_eq!(answer.text.as_deref(), Some("This button is outdated."));
    t.app.settled().await;
    let mut c = t.app.store().conn().await.unwrap();
    let customer =
        larder_store::customers::get_or_create(&mut c, larder_store::Channel::Vk, VERA, 0)
            .await
            .unwrap();
    let cart = larder_store::shop::cart(&mut c, customer.id).await.unwrap();
    assert_eq!(cart.len(), 1);
    assert_eq!(cart[0].quantity, 1, "the old card changed nothing");
}

async fn on_vk_times_come_in_groups_and_dishes_are_rated_a_page_at_a_time(t: VkApp) {
    more_soups(&t, 1).await;
    register(&t).await;
    t.press("Menu", "Choose a category").await;
    t.press("Soups", "Soups").await;
    for dish in ["Borscht", "Soup 1"] {
        t.press(dish, "/pc").await;
        t.press("Add to cart", "/pc").await;
        t.press("Back", "Soups").await;
    }
    t.press("Cart", "Total: 250.00").await;
    // A cart line is one button opening the dish; checkout is right there.
    t.vk.wait_button(VERA, "✏️ Soup 1 × 1", WAIT).await.unwrap();
    t.press("Check out", "Pickup or delivery?").await;
    t.press("Pickup", "When do you want it?").await;
    t.press("tomorrow", "choose the hours, then the time").await;
    // 10:00–22:00 in half hours do not fit one VK keyboard: two-hour groups.
    t.press("12:00–13:30", "Choose a time on").await;
    t.press("12:30", "Any wishes").await;
    t.press("No comment", "To pay: 250.00").await;
    t.press("Confirm the order", "Order №1 is placed").await;
    let app = &t.app;
    app.sees(KITCHEN, "Order №1").await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    app.press_in(ADMINS, ADMIN, "Picked up").await;
    t.sees("was picked up").await;
    // The form comes below the notice, one dish's stars at a time, named.
    t.press("⭐⭐⭐⭐⭐", "👉 Borscht").await;
    let last = |peer: &fake_vk::PeerView| peer.messages.iter().rfind(|m| !m.deleted).cloned();
    assert!(
        last(&t.vk.peer(VERA).await).is_some_and(|m| m.text.contains("Rate the dishes")),
        "the form is the last message"
    );
    t.press("4", "Borscht ⭐⭐⭐⭐").await;
    t.press("▶", "👉 Soup 1").await;
    t.press("2", "Soup 1 ⭐⭐").await;
    // Rating keeps the page: Soup 1's stars are still the ones shown.
    let form = newest(&t.vk.peer(VERA).await, "Rate the dishes");
    assert!(form.text.contains("👉 Soup 1"), "{}", form.text);
    let mut c = t.app.store().conn().await.unwrap();
    let mut rated = larder_store::reviews::dish_ratings(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap();
    rated.sort_by_key(|(p, _)| p.get());
    assert_eq!(rated.iter().map(|(_, s)| *s).collect::<Vec<_>>(), [4, 2]);
}

/// Someone got hold of Anna's code and linked their VK account: Anna is told
/// on Telegram and undoes it there; the VK account is on its own again.
async fn a_link_made_by_someone_else_is_undone_from_the_account_told(t: VkApp) {
    let app = &t.app;
    crate::shop_flow::register(app).await;
    let code = link_code(app).await;
    t.say("Hi", "Step 1 of 4").await;
    t.press("Already our customer", "Got a code").await;
    t.say(&code, "Hello, Anna!").await;
    app.sees(ANNA, "now linked with your VK account").await;
    let told = app
        .ctl
        .chat(ANNA)
        .await
        .messages
        .into_iter()
        .rfind(|m| m.text.contains("now linked with your VK account"))
        .unwrap();
    let pressed = app
        .ctl
        .press_button_on(ANNA, ANNA, "Not me: unlink", told.message_id)
        .await
        .unwrap();
    app.handled(pressed.update_id).await;
    app.desk_shows(ANNA, "Undo the link").await;
    app.press(ANNA, "Yes, unlink").await;
    app.desk_shows(ANNA, "Your profile").await;
    t.sees("no longer linked with the Telegram account").await;
    let mut c = app.store().conn().await.unwrap();
    let vera = larder_store::customers::get_or_create(&mut c, larder_store::Channel::Vk, VERA, 0)
        .await
        .unwrap();
    assert!(
        vera.linked_to.is_none() && !vera.is_registered(),
        "{vera:?}"
    );
    let anna =
        larder_store::customers::get_or_create(&mut c, larder_store::Channel::Telegram, ANNA, 0)
            .await
            .unwrap();
    assert_eq!(anna.first_name.as_deref(), Some("Anna"));
    drop(c);
    // The VK account starts again; Anna's shop on Telegram works as before.
    t.say("Hello", "Step 1 of 4").await;
    app.press(ANNA, "Back").await;
    app.desk_shows(ANNA, "Hello, Anna!").await;
}

async fn a_token_without_the_manage_right_is_reported_and_receiving_resumes_once_given(
    mut t: VkApp,
) {
    let token = t._emulator.token().to_owned();
    t.app.say(crate::harness::OWNER, "/start").await;
    // larder has heard VK once (and keeps its position) before the restart.
    t.vk.wait_polling(WAIT).await.unwrap();
    t.app.stop().await;
    t.vk.set_token_rights(&token, &["messages", "photos"]).await;
    t.app.start().await;
    let note = "has no “manage” right";
    t.app.sees(ADMINS, note).await;
    t.app.sees(crate::harness::OWNER, note).await;
    t.vk.send_text(VERA, "Hello").await;
    // Given the right, larder hears VK again (it keeps trying).
    t.vk.set_token_rights(&token, &["messages", "manage", "photos"])
        .await;
    // What was written while larder could not hear VK is heard.
    t.sees("Step 1 of 4").await;
    t.app.settled().await;
    let told = t
        .app
        .ctl
        .chat(ADMINS)
        .await
        .messages
        .iter()
        .filter(|m| m.text.contains(note))
        .count();
    assert_eq!(told, 1, "told once, not at every try");
}

async fn a_token_without_the_messages_right_is_reported_once(t: VkApp) {
    let token = t._emulator.token().to_owned();
    t.app.say(crate::harness::OWNER, "/start").await;
    t.vk.set_token_rights(&token, &["manage", "photos"]).await;
    t.vk.send_text(VERA, "Hello").await;
    let note = "has no “messages” right";
    t.app.sees(ADMINS, note).await;
    t.app
        .sees(crate::harness::OWNER, "cannot write to customers on VK")
        .await;
    t.vk.send_text(VERA, "Hello again").await;
    t.app.settled().await;
    let told = t
        .app
        .ctl
        .chat(ADMINS)
        .await
        .messages
        .iter()
        .filter(|m| m.text.contains(note))
        .count();
    assert_eq!(told, 1, "told once");
    let refused = t.vk.requests_for("messages.send").await;
    assert!(
        !refused.is_empty() && refused.iter().all(|r| r.error_code == Some(15)),
        "{refused:?}"
    );
}
