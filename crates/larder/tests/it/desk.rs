//! The desk as the owner uses it: one pinned message, edited in place.

use crate::harness::{OWNER, TestApp};
use crate::on_both_backends;

on_both_backends!(
    start_shows_one_pinned_menu_and_a_created_product_is_listed,
    start_sent_three_times_at_once_leaves_one_desk,
    bad_prices_and_names_show_an_error_and_change_nothing,
    products_are_edited_archived_and_restored,
    long_lists_page_and_say_so_at_the_ends,
    unknown_commands_and_unexpected_text_get_a_hint,
    a_draft_that_cannot_be_read_after_an_upgrade_is_reported_once,
);

async fn start_shows_one_pinned_menu_and_a_created_product_is_listed(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.create_product("Gouda <aged> & co", true, "250,50")
        .await;
    let card = app.desk_text(OWNER).await;
    assert!(
        card.contains("Gouda <aged> & co") && card.contains("250.50 ₽/kg"),
        "{card}"
    );
    app.press(OWNER, "Back").await;
    let list = app.desk_shows(OWNER, "Products (1)").await;
    assert!(
        list.contains("1. Gouda <aged> & co — 250.50 ₽/kg"),
        "{list}"
    );
    app.settled().await;
    let chat = app.ctl.chat(OWNER).await;
    assert_eq!(
        chat.messages.len(),
        1,
        "only the desk remains: {:#?}",
        chat.messages
    );
    let desk = &chat.messages[0];
    assert!(desk.from_bot);
    assert_eq!(
        chat.pinned_message_id,
        Some(desk.message_id),
        "the desk is pinned"
    );
    assert_eq!(
        app.product_names().await,
        [("Gouda <aged> & co".to_owned(), false, 25_050)]
    );
}

async fn bad_prices_and_names_show_an_error_and_change_nothing(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Products").await;
    app.press(OWNER, "Add product").await;
    app.say(OWNER, &"x".repeat(65)).await;
    app.desk_shows(OWNER, "too long (at most 64 characters)")
        .await;
    app.say(OWNER, "\u{202e}Brie").await;
    app.desk_shows(OWNER, "characters that cannot be shown")
        .await;
    app.say(OWNER, "Brie").await;
    app.press(OWNER, "By weight").await;
    for (typed, error) in [
        ("-1", "cannot be negative"),
        ("abc", "not a number"),
        ("1e9", "without exponents"),
        ("0", "greater than zero"),
        ("250,505", "at most 2"),
        ("99999999", "more than allowed"),
        ("NaN", "not a number"),
    ] {
        app.say(OWNER, typed).await;
        let desk = app.desk_shows(OWNER, error).await;
        assert!(
            desk.contains("Send the price per kilogram"),
            "still asking after {typed:?}: {desk}"
        );
    }
    app.say(OWNER, "0,5").await;
    let confirm = app.desk_shows(OWNER, "Check and save").await;
    assert!(
        confirm.contains("0.50 ₽/kg"),
        "0,5 is half a unit: {confirm}"
    );
    assert!(
        app.product_names().await.is_empty(),
        "nothing saved before Save"
    );
    app.press(OWNER, "Cancel").await;
    app.desk_shows(OWNER, "Products (0)").await;
    assert!(app.product_names().await.is_empty());
}

async fn products_are_edited_archived_and_restored(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.create_product("Feta", true, "200").await;
    app.press(OWNER, "Price").await;
    app.desk_shows(OWNER, "Send the price per kilogram").await;
    app.say(OWNER, "210.5").await;
    app.desk_shows(OWNER, "210.50 ₽/kg").await;
    app.press(OWNER, "Unit").await;
    app.press(OWNER, "By the piece").await;
    app.desk_shows(OWNER, "210.50 ₽/pc").await;
    app.press(OWNER, "Name").await;
    app.say(OWNER, "Feta in brine").await;
    app.desk_shows(OWNER, "Feta in brine").await;
    app.press(OWNER, "Archive").await;
    app.desk_shows(OWNER, "Archived: hidden from menus").await;
    app.press(OWNER, "Back").await;
    app.desk_shows(OWNER, "Archived products (1)").await;
    app.press(OWNER, "Active products").await;
    let active = app.desk_shows(OWNER, "Products (0)").await;
    assert!(
        !active.contains("Feta"),
        "archived products leave the list: {active}"
    );
    app.create_product("Feta in brine", true, "190").await;
    app.press(OWNER, "Back").await;
    app.press(OWNER, "Archived").await;
    app.press(OWNER, "Feta in brine").await;
    app.press(OWNER, "Restore").await;
    app.desk_shows(OWNER, "already exists").await;
    let mut names = app.product_names().await;
    names.sort();
    assert_eq!(
        names,
        [
            ("Feta in brine".to_owned(), false, 19_000),
            ("Feta in brine".to_owned(), true, 21_050)
        ]
    );
}

async fn long_lists_page_and_say_so_at_the_ends(app: TestApp) {
    {
        let mut tx = app.store().begin().await.unwrap();
        for n in 0..19 {
            let name = larder_core::ProductName::parse(&format!("Cheese {n:02}")).unwrap();
            larder_store::products::insert(
                &mut tx,
                &name,
                larder_core::Unit::Kg,
                larder_core::Money::from_minor(100 + n),
                1,
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Products").await;
    let first = app.desk_shows(OWNER, "Products (19)").await;
    assert!(
        first.contains("Cheese 00") && !first.contains("Cheese 08"),
        "{first}"
    );
    assert_eq!(page_counter(&app).await, "1/3");
    let answer = app.toast(OWNER, "◀").await;
    assert_eq!(answer.text.as_deref(), Some("This is the first page."));
    app.press(OWNER, "▶").await;
    app.press(OWNER, "▶").await;
    let last = app.desk_shows(OWNER, "19. Cheese 18").await;
    assert!(!last.contains("Cheese 15"), "{last}");
    assert_eq!(page_counter(&app).await, "3/3");
    let answer = app.toast(OWNER, "▶").await;
    assert_eq!(answer.text.as_deref(), Some("This is the last page."));
}

async fn unknown_commands_and_unexpected_text_get_a_hint(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.say(OWNER, "/frobnicate").await;
    app.desk_shows(OWNER, "Unknown command").await;
    app.say(OWNER, "hello?").await;
    app.desk_shows(OWNER, "no text is expected here").await;
    app.press(OWNER, "Sessions").await;
    app.settled().await;
    let chat = app.ctl.chat(OWNER).await;
    assert_eq!(
        chat.messages.len(),
        1,
        "typed messages are removed: {:#?}",
        chat.messages
    );
}

async fn page_counter(app: &TestApp) -> String {
    let chat = app.ctl.chat(OWNER).await;
    let labels = chat.pinned().expect("desk").labels();
    labels
        .into_iter()
        .find(|l| l.contains('/'))
        .map(str::to_owned)
        .unwrap_or_default()
}

async fn a_draft_that_cannot_be_read_after_an_upgrade_is_reported_once(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    // A draft in a shape this version does not know (as after an upgrade).
    {
        let mut c = app.store().conn().await.unwrap();
        sqlx::query("UPDATE chat_state SET draft = $1 WHERE chat_id = $2")
            .bind(r#"{"order": {"lines": "not a list"}}"#)
            .bind(OWNER)
            .execute(&mut *c)
            .await
            .unwrap();
    }
    app.press(OWNER, "Products").await;
    app.sees(OWNER, "could not be kept after the bot was updated")
        .await;
    app.press(OWNER, "Menu").await;
    app.settled().await;
    let told = app
        .texts(OWNER)
        .await
        .into_iter()
        .filter(|t| t.contains("could not be kept"))
        .count();
    assert_eq!(told, 1, "told once");
    let mut c = app.store().conn().await.unwrap();
    let draft: Option<String> =
        sqlx::query_scalar("SELECT draft FROM chat_state WHERE chat_id = $1")
            .bind(OWNER)
            .fetch_one(&mut *c)
            .await
            .unwrap();
    assert_eq!(draft, None);
}

/// Impatient taps: /start three times before the first desk has arrived;
/// however the sends interleave, one desk stays (the newest, pinned).
async fn start_sent_three_times_at_once_leaves_one_desk(app: TestApp) {
    let mut last = 0;
    for _ in 0..3 {
        last = app.ctl.send_text(OWNER, OWNER, "/start").await.update_id;
    }
    app.handled(last).await;
    app.settled().await;
    let chat = app.ctl.chat(OWNER).await;
    let desks: Vec<_> = chat
        .bot_messages()
        .filter(|m| m.text.contains("Order desk"))
        .collect();
    assert_eq!(desks.len(), 1, "{:#?}", chat.messages);
    assert_eq!(chat.pinned_message_id, Some(desks[0].message_id));
}
