//! Delivery through failures: every transient failure is retried until the
//! call goes through (nothing lost, nothing shown twice but after a lost
//! response), refusals end as dead letters, presses are answered whatever
//! happens, and the listener hears every update.

use std::time::Duration;

use fake_telegram::Fault;

use crate::harness::{OWNER, TestApp, WAIT};
use crate::on_both_backends;

on_both_backends!(
    transient_failures_of_every_kind_lose_nothing_and_show_nothing_twice,
    failures_longer_than_the_first_backoff_still_end_delivered,
    a_refused_call_is_a_dead_letter_and_the_chat_goes_on,
    forged_presses_are_answered_at_once_and_never_retried,
    a_press_on_a_message_the_bot_cannot_see_is_answered,
    update_ids_lower_than_any_stored_are_still_heard,
    slow_press_answers_never_hold_the_next_screen,
    polling_comes_back_within_seconds_after_the_api_does,
    a_press_is_answered_after_a_kill_that_came_before_its_answer,
);

/// The methods one round of desk work uses: a new desk (send, pin, delete
/// the old one), a press (answer, edit) and a download (document).
const METHODS: [&str; 5] = [
    "sendMessage",
    "pinChatMessage",
    "answerCallbackQuery",
    "editMessageText",
    "sendDocument",
];

/// `/start`, Products, Menu, and the statistics CSV of the Inbox, checking
/// each result once it shows. Returns how many documents the chat has.
async fn desk_round(app: &TestApp) -> usize {
    let sent = app.ctl.send_text(OWNER, OWNER, "/start").await;
    app.handled(sent.update_id).await;
    app.desk_shows(OWNER, "Order desk").await;
    tap(app, "Products", "Products (0)").await;
    tap(app, "Menu", "Choose a section").await;
    tap(app, "Sessions", "Sessions (1)").await;
    tap(app, "Inbox", "In processing").await;
    tap(app, "Statistics (CSV)", "In processing").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        app.settled().await;
        let chat = app.ctl.chat(OWNER).await;
        let docs = chat
            .messages
            .iter()
            .filter(|m| m.document.is_some())
            .count();
        let last = chat.messages.last().expect("messages");
        // The desk comes back below the file, pinned.
        if docs > 0 && chat.pinned_message_id == Some(last.message_id) {
            return docs;
        }
        assert!(tokio::time::Instant::now() < deadline, "{chat}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Presses a desk button (waiting for the screen, not for the answer) and
/// waits until the desk shows `then`.
async fn tap(app: &TestApp, label: &str, then: &str) {
    app.ctl
        .wait_button(OWNER, label, WAIT)
        .await
        .unwrap_or_else(|_| panic!("no button {label:?}"));
    let pressed = app
        .ctl
        .press_button(OWNER, OWNER, label)
        .await
        .unwrap_or_else(|e| panic!("press {label:?}: {e:?}"));
    app.handled_alone(pressed.update_id).await;
    app.desk_shows(OWNER, then).await;
}

fn fault_of(class: &str, method: &str, times: u32) -> Fault {
    let fault = match class {
        "429" => Fault::flood(method, 1),
        "lost" => Fault::drop_response(method),
        // Longer than the calls may take (3 s in tests): a timeout.
        "timeout" => Fault::delay(3_500).method(method),
        code => Fault::error(method, code.parse().unwrap()),
    };
    fault.chat(OWNER).times(times)
}

/// Counts what the chat shows: one desk, pinned; the documents sent.
async fn one_pinned_desk(app: &TestApp) {
    let chat = app.ctl.chat(OWNER).await;
    let desks = chat
        .messages
        .iter()
        .filter(|m| m.from_bot && m.document.is_none())
        .count();
    assert_eq!(desks, 1, "one desk and no repeat: {chat}");
    assert!(chat.pinned_message_id.is_some(), "{chat}");
}

async fn no_dead_letters(app: &TestApp) {
    let mut c = app.store().conn().await.unwrap();
    assert!(
        larder_store::outbox::dead_letters(&mut c, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        larder_store::outbox::count(&mut c, "pending")
            .await
            .unwrap(),
        0
    );
}

async fn transient_failures_of_every_kind_lose_nothing_and_show_nothing_twice(app: TestApp) {
    let mut documents = 0;
    let unsure = || {
        app.running()
            .metrics
            .outbox_unsure_total
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    for class in ["500", "502", "503", "429", "lost", "timeout"] {
        let unsure_before = unsure();
        for method in METHODS {
            // A lost response to a send may show it twice (Telegram has no
            // idempotent send); that case is checked on its own below.
            if matches!(class, "lost" | "timeout")
                && matches!(method, "sendMessage" | "sendDocument")
            {
                continue;
            }
            app.ctl.fault(fault_of(class, method, 1)).await;
        }
        let docs = desk_round(&app).await;
        documents += 1;
        assert_eq!(docs, documents, "{class}: one file per download");
        one_pinned_desk(&app).await;
        no_dead_letters(&app).await;
        if class == "timeout" {
            assert!(unsure() > unsure_before, "the calls timed out");
        } else {
            let failed = app
                .ctl
                .requests()
                .await
                .iter()
                .filter(|r| (!r.ok || r.dropped) && r.chat_id == Some(OWNER))
                .count();
            assert!(failed > 0, "{class}: the faults were hit");
        }
        app.ctl.clear_faults().await;
        app.ctl.clear_requests().await;
    }
    // A send whose answer is lost: sent again — the one duplicate Telegram
    // allows — and counted as such.
    let before = unsure();
    app.ctl
        .fault(Fault::drop_response("sendMessage").chat(OWNER).times(1))
        .await;
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    assert_eq!(unsure() - before, 1, "the lost response is counted");
    let sent = app
        .ctl
        .requests()
        .await
        .iter()
        .filter(|r| r.method == "sendMessage")
        .count();
    assert_eq!(sent, 2, "sent once more, not more");
}

async fn failures_longer_than_the_first_backoff_still_end_delivered(app: TestApp) {
    for method in METHODS {
        app.ctl.fault(fault_of("502", method, 3)).await;
    }
    desk_round(&app).await;
    one_pinned_desk(&app).await;
    no_dead_letters(&app).await;
    let retried = app
        .running()
        .metrics
        .outbox_retried_total
        .load(std::sync::atomic::Ordering::Relaxed);
    assert!(retried >= 3 * 4, "every call retried thrice: {retried}");
}

async fn a_refused_call_is_a_dead_letter_and_the_chat_goes_on(app: TestApp) {
    app.ctl
        .fault(
            Fault::error("sendMessage", 400)
                .description("Bad Request: can't parse entities")
                .chat(OWNER)
                .times(1),
        )
        .await;
    app.say(OWNER, "/start").await;
    app.settled().await;
    {
        let mut c = app.store().conn().await.unwrap();
        let dead = larder_store::outbox::dead_letters(&mut c, 10)
            .await
            .unwrap();
        assert_eq!(dead.len(), 1, "{dead:?}");
        assert_eq!(dead[0].status, "failed");
        assert!(dead[0].error.as_deref().unwrap().contains("can't parse"));
    }
    let sends = |requests: &[fake_telegram::RequestLog]| {
        requests
            .iter()
            .filter(|r| r.method == "sendMessage")
            .count()
    };
    assert_eq!(sends(&app.ctl.requests().await), 1, "not retried");
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("larder_outbox_failed_total 1"),
        "{metrics}"
    );
    assert!(metrics.contains("larder_dead_letters 1"), "{metrics}");
}

async fn forged_presses_are_answered_at_once_and_never_retried(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    for data in ["1ow:999999", "1dl:999999:ox", "1pC:1:999999", "9zz", ""] {
        if data.is_empty() {
            continue;
        }
        let pressed = app.ctl.press_data(OWNER, OWNER, data, None).await;
        let answer = app
            .ctl
            .wait_callback_answer(&pressed.callback_query_id, WAIT)
            .await
            .unwrap_or_else(|e| panic!("{data}: not answered: {e:?}"));
        assert!(answer.text.is_some(), "{data}: answered with a reason");
        app.handled(pressed.update_id).await;
    }
    let metrics = &app.running().metrics;
    assert_eq!(
        metrics
            .updates_retried_total
            .load(std::sync::atomic::Ordering::Relaxed),
        0,
        "nothing retried"
    );
    // The desk still works.
    app.press(OWNER, "Products").await;
    app.desk_shows(OWNER, "Products (0)").await;
}

async fn a_press_on_a_message_the_bot_cannot_see_is_answered(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    // Telegram sends a press on a long-gone message with `"date": 0`.
    let menu = larder_ui::Action::Menu.encode();
    let pressed = app.ctl.press_data(OWNER, OWNER, &menu, Some(999_999)).await;
    let answer = app
        .ctl
        .wait_callback_answer(&pressed.callback_query_id, WAIT)
        .await
        .expect("answered");
    assert_eq!(answer.text.as_deref(), Some("This button is outdated."));
    app.handled(pressed.update_id).await;
    let mut c = app.store().conn().await.unwrap();
    let row: String = sqlx::query_scalar("SELECT payload FROM inbox ORDER BY id DESC LIMIT 1")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert!(row.contains("\"date\":0"), "stored as received: {row}");
}

async fn update_ids_lower_than_any_stored_are_still_heard(mut app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    app.stop().await;
    // As if this database had seen much higher update ids (another bot
    // token, or Telegram picking ids anew after a quiet week).
    {
        let store = larder_store::Store::connect(&app.config.database_url)
            .await
            .unwrap();
        let mut c = store.conn().await.unwrap();
        let high = larder_store::inbox::Incoming {
            update_id: Some(900_000_000),
            identity: larder_store::inbox::identity(&["900000000", "m", "1:1"]),
            chat_id: Some(OWNER),
            payload: "{\"update_id\":900000000}".into(),
        };
        let rows = larder_store::inbox::insert(&mut c, larder_store::Channel::Telegram, &[high], 1)
            .await
            .unwrap();
        larder_store::inbox::mark_done(&mut c, rows[0].id, 1)
            .await
            .unwrap();
    }
    app.start().await;
    app.press(OWNER, "Products").await;
    app.desk_shows(OWNER, "Products (0)").await;
}

async fn slow_press_answers_never_hold_the_next_screen(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    // Answers take a minute to reach Telegram; screens must not wait.
    app.ctl
        .fault(Fault::delay(60_000).method("answerCallbackQuery"))
        .await;
    for (label, then) in [
        ("Products", "Products (0)"),
        ("Menu", "Choose a section"),
        ("Sessions", "Sessions (1)"),
    ] {
        let pressed = app.ctl.press_button(OWNER, OWNER, label).await.unwrap();
        app.handled_alone(pressed.update_id).await;
        app.desk_shows(OWNER, then).await;
    }
    app.ctl.clear_faults().await;
}

async fn polling_comes_back_within_seconds_after_the_api_does(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    app.ctl.clear_requests().await;
    for fault in [
        Fault::error("getUpdates", 500).times(3),
        Fault::drop_response("getUpdates").times(2),
        Fault::error("getUpdates", 502).times(2),
    ] {
        app.ctl.fault(fault).await;
    }
    // The poll waiting now ends normally; the ones after it fail, seven times.
    let failed = |requests: &[fake_telegram::RequestLog]| {
        requests
            .iter()
            .filter(|r| r.method == "getUpdates" && (!r.ok || r.dropped))
            .count()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while failed(&app.ctl.requests().await) < 7 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the faults were never hit"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let pressed = app
        .ctl
        .press_button(OWNER, OWNER, "Products")
        .await
        .unwrap();
    app.handled(pressed.update_id).await;
    app.desk_shows(OWNER, "Products (0)").await;
    let polls: Vec<_> = app
        .ctl
        .requests()
        .await
        .into_iter()
        .filter(|r| r.method == "getUpdates")
        .collect();
    let last_failed = polls
        .iter()
        .rposition(|r| !r.ok || r.dropped)
        .expect("failures seen");
    let next = &polls[last_failed + 1];
    let gap = next.at_ms - polls[last_failed].at_ms;
    assert!(gap <= 5_000, "polled again {gap} ms after the last failure");
}

async fn a_press_is_answered_after_a_kill_that_came_before_its_answer(mut app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.settled().await;
    // The answer is on its way (slowly) when larder is killed.
    app.ctl
        .fault(Fault::delay(5_000).method("answerCallbackQuery").times(1))
        .await;
    let pressed = app
        .ctl
        .press_button(OWNER, OWNER, "Products")
        .await
        .unwrap();
    app.handled_alone(pressed.update_id).await;
    app.desk_shows(OWNER, "Products (0)").await;
    app.kill().await;
    app.ctl.clear_faults().await;
    assert!(
        app.ctl
            .callback_answer(&pressed.callback_query_id)
            .await
            .is_none(),
        "not answered before the kill"
    );
    app.start().await;
    // The stored answer goes out after the restart.
    app.ctl
        .wait_callback_answer(&pressed.callback_query_id, WAIT)
        .await
        .expect("answered after the restart");
}
