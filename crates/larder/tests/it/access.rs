//! Who may use the desk: owners from config or by the setup code; strangers
//! are refused politely and their presses change nothing.

use crate::harness::{Db, OWNER, STRANGER, TestApp};
use crate::on_both_backends;

on_both_backends!(a_stranger_is_refused_and_forged_presses_change_nothing);

async fn a_stranger_is_refused_and_forged_presses_change_nothing(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.create_product("Gouda", true, "250").await;
    let owner_desk = app.desk_text(OWNER).await;

    app.say(STRANGER, "/start").await;
    app.sees(STRANGER, "works for its staff only").await;
    app.say(STRANGER, "/start WRONGCODE").await;
    app.sees(STRANGER, "setup code is not valid").await;

    // Real desk callbacks, forged by the stranger: archive, rename, open the list.
    let product_id = {
        let mut conn = app.store().conn().await.unwrap();
        larder_store::products::page(&mut conn, false, 0, 1)
            .await
            .unwrap()[0]
            .id
            .get()
    };
    for data in [
        format!("1pa:{product_id}"),
        format!("1pe:{product_id}:n"),
        "1pl:0:0".to_owned(),
        "1pn".to_owned(),
    ] {
        let pressed = app.ctl.press_data(STRANGER, STRANGER, &data, None).await;
        let answer = app
            .ctl
            .wait_callback_answer(&pressed.callback_query_id, crate::harness::WAIT)
            .await
            .unwrap();
        assert_eq!(
            answer.text.as_deref(),
            Some("Only the shop's staff can use this."),
            "{data}"
        );
        assert!(answer.show_alert);
    }
    app.say(STRANGER, "Renamed").await;
    app.settled().await;
    assert_eq!(
        app.product_names().await,
        [("Gouda".to_owned(), false, 25_000)]
    );
    assert_eq!(
        app.desk_text(OWNER).await,
        owner_desk,
        "the owner's desk is untouched"
    );
    let stranger_chat = app.ctl.chat(STRANGER).await;
    assert!(
        stranger_chat.pinned_message_id.is_none(),
        "no desk for strangers"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_configured_owners_the_setup_code_claims_the_desk_once() {
    let mut app = TestApp::unstarted(Db::Sqlite, vec![]).await.unwrap();
    app.start().await;
    let code = app
        .running()
        .setup_code
        .clone()
        .expect("a setup code is made when there is no owner");
    app.say(OWNER, "/start").await;
    app.sees(OWNER, "works for its staff only").await;
    app.say(OWNER, &format!("/start {code}")).await;
    app.desk_shows(OWNER, "You are now the owner").await;
    let chat = app.ctl.chat(OWNER).await;
    let labels = chat.pinned().unwrap().labels();
    assert!(
        labels.iter().any(|l| l.contains("Staff")),
        "the new owner manages staff at once: {labels:?}"
    );
    app.press(OWNER, "Products").await;
    app.desk_shows(OWNER, "Products (0)").await;
    // The code works once: a second person cannot claim the desk with it.
    app.say(STRANGER, &format!("/start {code}")).await;
    app.sees(STRANGER, "setup code is not valid").await;
    // After a restart the desk has an owner, so no code is made.
    app.stop().await;
    app.start().await;
    assert!(app.running().setup_code.is_none());
}

/// The setup code cannot be found by trying: after five wrong codes even
/// the right one waits a quarter of an hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_the_setup_code_is_stopped_for_a_quarter_of_an_hour() {
    let mut app = TestApp::unstarted(Db::Sqlite, vec![]).await.unwrap();
    app.start().await;
    let code = app.running().setup_code.clone().unwrap();
    for n in 0..5 {
        app.say(STRANGER, &format!("/start wrong{n}")).await;
        app.sees(STRANGER, "setup code is not valid").await;
    }
    app.say(STRANGER, &format!("/start {code}")).await;
    app.sees(
        STRANGER,
        "Too many wrong codes from this account. Try again after 12:15",
    )
    .await;
    assert!(
        app.running().setup_code.is_some(),
        "nobody owns the desk yet"
    );
    app.set_time("2026-12-01T12:16");
    app.say(STRANGER, &format!("/start {code}")).await;
    app.desk_shows(STRANGER, "You are now the owner").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_person_is_answered_in_their_own_language() {
    const IVAN: i64 = 1002;
    let mut app = TestApp::unstarted(Db::Sqlite, vec![OWNER, IVAN])
        .await
        .unwrap();
    let mut ivan = fake_telegram::NewUser::new(IVAN, "Иван");
    ivan.language_code = Some("ru".into());
    app.ctl.user(ivan).await;
    app.start().await;
    app.say(IVAN, "/start").await;
    app.desk_shows(IVAN, "Стол заказов").await;
    app.press(IVAN, "Товары").await;
    app.desk_shows(IVAN, "Товаров пока нет").await;
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.say(IVAN, "/unknown").await;
    app.desk_shows(IVAN, "Неизвестная команда").await;
}
