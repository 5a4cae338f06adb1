//! Nothing is lost or done twice across restarts, kills, lost responses and
//! Telegram's flood control.

use std::time::Duration;

use fake_telegram::Fault;
use larder::app::Parts;
use larder_runtime::SendLimits;

use crate::harness::{OWNER, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_price_typed_while_the_bot_restarts_is_applied_once,
    updates_received_before_a_kill_are_handled_once_after_restart,
    a_lost_get_updates_response_is_received_again_and_handled_once,
    a_flood_wait_on_an_edit_is_honoured_and_the_desk_ends_right,
    a_vanished_desk_is_sent_again_and_pinned,
    an_unpinnable_desk_still_works,
    desk_edits_queued_while_sending_was_down_are_coalesced,
);

async fn a_price_typed_while_the_bot_restarts_is_applied_once(mut app: TestApp) {
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Products").await;
    app.press(OWNER, "Add product").await;
    app.say(OWNER, "Ricotta").await;
    app.press(OWNER, "By weight").await;
    app.desk_shows(OWNER, "Send the price per kilogram").await;
    app.settled().await;
    app.stop().await;
    app.say(OWNER, "120").await; // typed while the bot is down
    app.start().await;
    app.desk_shows(OWNER, "Check and save").await;
    app.press(OWNER, "Save").await;
    app.desk_shows(OWNER, "Price: 120.00 ₽/kg").await;
    app.settled().await;
    assert_eq!(
        app.product_names().await,
        [("Ricotta".to_owned(), false, 12_000)]
    );
    let chat = app.ctl.chat(OWNER).await;
    assert_eq!(
        chat.messages.len(),
        1,
        "one desk, typed text removed: {:#?}",
        chat.messages
    );
}

async fn updates_received_before_a_kill_are_handled_once_after_restart(mut app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    app.kill().await;
    // Only the listener runs: updates are received and stored, not handled.
    app.start_parts(Parts {
        listen: true,
        handle: false,
        send: false,
    })
    .await;
    app.ctl
        .press_button(OWNER, OWNER, "Products")
        .await
        .unwrap();
    let again = app.ctl.send_text(OWNER, OWNER, "/start").await;
    wait_until_stored(&app, 3).await;
    app.kill().await;
    app.start().await;
    app.handled(again.update_id).await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    let requests = app.ctl.requests().await;
    let sends = requests
        .iter()
        .filter(|r| r.method == "sendMessage" && r.ok)
        .count();
    assert_eq!(
        sends, 2,
        "the first /start and the re-sent /start each sent one desk"
    );
    let chat = app.ctl.chat(OWNER).await;
    assert_eq!(chat.messages.len(), 1, "{:#?}", chat.messages);
    let mut conn = app.store().conn().await.unwrap();
    assert_eq!(
        larder_store::inbox::count(&mut conn, "done").await.unwrap(),
        3
    );
}

async fn wait_until_stored(app: &TestApp, n: i64) {
    let deadline = tokio::time::Instant::now() + crate::harness::WAIT;
    loop {
        let stored = {
            let mut conn = app.store().conn().await.unwrap();
            larder_store::inbox::count(&mut conn, "pending")
                .await
                .unwrap()
                + larder_store::inbox::count(&mut conn, "done").await.unwrap()
        };
        if stored >= n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {stored} of {n} updates stored"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_lost_get_updates_response_is_received_again_and_handled_once(app: TestApp) {
    app.ctl
        .fault(Fault::drop_response("getUpdates").times(1))
        .await;
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.create_product("Brie", true, "320").await;
    app.settled().await;
    let requests = app.ctl.requests().await;
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.method == "sendMessage")
            .count(),
        1,
        "one desk"
    );
    assert_eq!(app.product_names().await.len(), 1);
}

async fn a_flood_wait_on_an_edit_is_honoured_and_the_desk_ends_right(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    app.ctl
        .fault(Fault::flood("editMessageText", 2).chat(OWNER).times(1))
        .await;
    app.press(OWNER, "Products").await;
    app.desk_shows(OWNER, "Products (0)").await;
    let requests = app.ctl.requests().await;
    let to_chat: Vec<_> = requests
        .iter()
        .filter(|r| r.chat_id == Some(OWNER))
        .collect();
    let flood = to_chat
        .iter()
        .position(|r| r.error_code == Some(429))
        .expect("the 429 was given");
    let next = to_chat.get(flood + 1).expect("a request after the 429");
    assert!(
        next.at_ms - to_chat[flood].at_ms >= 2000,
        "no request within retry_after: {} ms",
        next.at_ms - to_chat[flood].at_ms
    );
    let metrics = &app.running().metrics;
    assert_eq!(
        metrics
            .rate_limited_total
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

async fn a_vanished_desk_is_sent_again_and_pinned(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    let old = app.ctl.chat(OWNER).await.pinned_message_id.unwrap();
    let fault =
        Fault::error("editMessageText", 400).description("Bad Request: message to edit not found");
    app.ctl.fault(fault.chat(OWNER).times(1)).await;
    app.press(OWNER, "Products").await;
    app.desk_shows(OWNER, "Products (0)").await;
    app.settled().await;
    let chat = app.ctl.chat(OWNER).await;
    let pinned = chat.pinned_message_id.unwrap();
    assert_ne!(pinned, old, "a new desk message was sent and pinned");
    app.press(OWNER, "Menu").await;
    app.desk_shows(OWNER, "Choose a section").await;
}

async fn an_unpinnable_desk_still_works(app: TestApp) {
    let fault = Fault::error("pinChatMessage", 400)
        .description("Bad Request: not enough rights to pin a message");
    app.ctl.fault(fault.times(1)).await;
    app.say(OWNER, "/start").await;
    app.sees(OWNER, "Order desk").await;
    app.settled().await;
    assert!(app.ctl.chat(OWNER).await.pinned_message_id.is_none());
    // The press lands on the newest bot message with a keyboard.
    app.press(OWNER, "Products").await;
    app.sees(OWNER, "Products (0)").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_presses_stay_within_telegram_limits_without_a_single_429() {
    let mut app = TestApp::unstarted(crate::harness::Db::Sqlite, vec![OWNER])
        .await
        .unwrap();
    app.emulator.set_rate_limits(true);
    app.config.telegram.rate_limits = SendLimits::default();
    app.start().await;
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    for _ in 0..4 {
        app.press(OWNER, "Products").await;
        app.press(OWNER, "Menu").await;
    }
    app.press(OWNER, "Products").await;
    app.desk_shows(OWNER, "Products (0)").await;
    let requests = app.ctl.requests().await;
    assert!(
        requests.iter().all(|r| r.error_code != Some(429)),
        "{requests:#?}"
    );
}

async fn desk_edits_queued_while_sending_was_down_are_coalesced(mut app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    app.kill().await;
    app.start_parts(Parts {
        listen: true,
        handle: true,
        send: false,
    })
    .await;
    for _ in 0..3 {
        // Presses are answered even while nothing can be sent.
        app.press(OWNER, "Products").await;
    }
    app.kill().await;
    let edits_before = count(&app, "editMessageText").await;
    app.start().await;
    app.desk_shows(OWNER, "Products (0)").await;
    app.settled().await;
    assert_eq!(
        count(&app, "editMessageText").await - edits_before,
        1,
        "three queued edits, one sent"
    );
    let mut conn = app.store().conn().await.unwrap();
    assert_eq!(
        larder_store::outbox::count(&mut conn, "superseded")
            .await
            .unwrap(),
        2
    );
}

async fn count(app: &TestApp, method: &str) -> usize {
    app.ctl
        .requests()
        .await
        .iter()
        .filter(|r| r.method == method)
        .count()
}

/// PostgreSQL only: there a lock can stall the handler alone (on SQLite any
/// writer lock stalls receiving the update too, so there is nothing to answer yet).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_press_is_answered_within_a_second_while_handling_is_stalled() {
    let Some(app) = TestApp::new(crate::harness::Db::Postgres).await else {
        return;
    };
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    // Another session locks the chat state: handling the press has to wait.
    let mut blocker = app.store().begin().await.unwrap();
    sqlx::query("LOCK TABLE chat_state IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let pressed = app
        .ctl
        .press_button(OWNER, OWNER, "Products")
        .await
        .unwrap();
    let answer = app
        .ctl
        .wait_callback_answer(&pressed.callback_query_id, Duration::from_secs(1))
        .await;
    assert!(answer.is_ok(), "the press was not answered within a second");
    assert!(
        app.desk_text(OWNER).await.contains("Order desk"),
        "still being handled"
    );
    drop(blocker);
    app.desk_shows(OWNER, "Products (0)").await;
}
