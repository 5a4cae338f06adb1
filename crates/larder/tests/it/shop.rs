//! Customers on Telegram: registration, profile, forgetting.

use crate::harness::{Db, OWNER, TestApp};

const ANNA: i64 = 5001;

pub(crate) async fn shop(db: Db) -> Option<TestApp> {
    let mut app = TestApp::unstarted(db, vec![OWNER]).await?;
    app.config.shop.enabled = true;
    app.ctl
        .user(fake_telegram::NewUser::new(ANNA, "Anna"))
        .await;
    app.start().await;
    Some(app)
}

crate::on_both_backends!(
    with crate::shop::shop;
    a_customer_registers_with_their_own_phone_and_can_erase_their_data,
    a_customer_cannot_touch_the_desk_and_staff_still_get_it,
);

async fn a_customer_registers_with_their_own_phone_and_can_erase_their_data(app: TestApp) {
    app.say(ANNA, "/start").await;
    app.desk_shows(ANNA, "Welcome to Cheese Dairy!").await;
    let first = app.desk_text(ANNA).await;
    assert!(
        first.contains("erases them when you send /forget") && first.contains("Step 1 of 4"),
        "{first}"
    );
    app.say(ANNA, &"A".repeat(65)).await;
    app.desk_shows(ANNA, "too long").await;
    app.say(ANNA, "Anna").await;
    app.desk_shows(ANNA, "And your surname?").await;
    app.say(ANNA, "Petrova").await;
    app.desk_shows(ANNA, "Step 3 of 4").await;
    let chat = app.ctl.chat(ANNA).await;
    assert!(
        !chat.keyboard.is_empty(),
        "a “share my phone” keyboard is offered: {chat}"
    );
    // Someone else's contact is refused; letters in a typed number too.
    let other = app
        .ctl
        .share_other_contact(ANNA, ANNA, "+37369000000", Some(OWNER))
        .await;
    app.handled(other.update_id).await;
    app.desk_shows(ANNA, "someone else's contact").await;
    app.say(ANNA, "call me maybe").await;
    app.desk_shows(ANNA, "digits only").await;
    let own = app.ctl.share_contact(ANNA, ANNA, "+373 69 123 456").await;
    app.handled(own.update_id).await;
    app.desk_shows(ANNA, "Step 4 of 4").await;
    app.say(ANNA, "anna@example").await;
    app.desk_shows(ANNA, "does not look like an e-mail").await;
    app.say(ANNA, "Anna@Example.com").await;
    app.desk_shows(ANNA, "Hello, Anna! This is Cheese Dairy.")
        .await;
    let customer = {
        let mut conn = app.store().conn().await.unwrap();
        larder_store::customers::get_or_create(&mut conn, larder_store::Channel::Telegram, ANNA, 0)
            .await
            .unwrap()
    };
    assert_eq!(customer.first_name.as_deref(), Some("Anna"));
    assert_eq!(customer.last_name.as_deref(), Some("Petrova"));
    assert_eq!(customer.phone.as_deref(), Some("+37369123456"));
    assert_eq!(customer.email.as_deref(), Some("Anna@example.com"));
    assert!(customer.is_registered());
    let chat = app.ctl.chat(ANNA).await;
    assert!(
        chat.keyboard.is_empty(),
        "the phone keyboard is taken away: {chat}"
    );
    assert!(
        chat.messages.iter().all(|m| m.from_bot),
        "typed answers are removed: {chat}"
    );

    app.press(ANNA, "My profile").await;
    app.press(ANNA, "Surname").await;
    app.say(ANNA, "Petrova-Ivanova").await;
    app.desk_shows(ANNA, "Surname: Petrova-Ivanova").await;
    app.say(ANNA, "/forget").await;
    app.desk_shows(ANNA, "Erase your data?").await;
    app.press(ANNA, "Yes, erase").await;
    app.desk_shows(ANNA, "Your data has been erased").await;
    let mut conn = app.store().conn().await.unwrap();
    let gone = larder_store::customers::get(&mut conn, customer.id)
        .await
        .unwrap();
    assert!(
        gone.first_name.is_none()
            && gone.phone.is_none()
            && gone.email.is_none()
            && !gone.is_registered()
    );
    assert!(gone.forgotten_at.is_some());
}

async fn a_customer_cannot_touch_the_desk_and_staff_still_get_it(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.desk_shows(OWNER, "Order desk").await;
    app.say(ANNA, "/start").await;
    app.desk_shows(ANNA, "What is your first name?").await;
    for data in ["1pn", "1pl:0:0", "1st"] {
        let pressed = app.ctl.press_data(ANNA, ANNA, data, None).await;
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
        app.handled(pressed.update_id).await;
    }
    assert!(
        app.desk_text(ANNA)
            .await
            .contains("What is your first name?")
    );
    // A staff invite still works for someone who started as a customer.
    app.press(OWNER, "Staff").await;
    app.press(OWNER, "Invite a manager").await;
    let chat = app.sees(OWNER, "start=").await;
    let code = chat
        .messages
        .iter()
        .find_map(|m| {
            m.text
                .split("start=")
                .nth(1)
                .map(|c| c.split_whitespace().next().unwrap_or_default().to_owned())
        })
        .unwrap();
    app.say(ANNA, &format!("/start {code}")).await;
    app.desk_shows(ANNA, "You joined the desk as manager").await;
}
