//! Every refusal, as teloxide-core classifies it.

use teloxide_core::payloads::{EditMessageTextSetters, SendMessageSetters};
use teloxide_core::prelude::Requester;
use teloxide_core::types::{
    CallbackQueryId, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode,
};
use teloxide_core::{ApiError, Bot, RequestError};

use crate::common::{bot, start, start_with, started_user};

fn api_error(result: Result<impl std::fmt::Debug, RequestError>) -> ApiError {
    match result {
        Err(RequestError::Api(err)) => err,
        other => panic!("expected an API error, got {other:?}"),
    }
}

async fn sent(bot: &Bot, chat: i64, text: &str) -> MessageId {
    bot.send_message(ChatId(chat), text).await.expect("send").id
}

#[tokio::test]
async fn editing_to_the_same_text_is_not_modified() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    let id = sent(&bot, 42, "Same").await;
    let err = api_error(bot.edit_message_text(ChatId(42), id, "Same").await);
    assert_eq!(err, ApiError::MessageNotModified);
    // Surrounding whitespace is trimmed before comparing, as in Telegram.
    let err = api_error(bot.edit_message_text(ChatId(42), id, " Same\n").await);
    assert_eq!(err, ApiError::MessageNotModified);
}

#[tokio::test]
async fn missing_messages_cannot_be_edited_or_deleted() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    let err = api_error(bot.edit_message_text(ChatId(42), MessageId(999), "x").await);
    assert_eq!(err, ApiError::MessageToEditNotFound);
    let err = api_error(bot.delete_message(ChatId(42), MessageId(999)).await);
    assert_eq!(err, ApiError::MessageToDeleteNotFound);
}

#[tokio::test]
async fn a_plain_member_cannot_delete_other_peoples_messages() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    ctl.group_with(fake_telegram::NewGroup {
        id: -5,
        title: "Staff".into(),
        members: vec![42],
        bot_admin: false,
    })
    .await;
    let typed = ctl.send_text(-5, 42, "hello").await;
    let err = api_error(
        bot.delete_message(ChatId(-5), MessageId(typed.message_id as i32))
            .await,
    );
    assert_eq!(err, ApiError::MessageCantBeDeleted);
    let own = sent(&bot, -5, "mine").await;
    bot.delete_message(ChatId(-5), own)
        .await
        .expect("own messages can go");
}

#[tokio::test]
async fn messages_older_than_48_hours_cannot_be_deleted_for_everyone() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    let id = sent(&bot, 42, "old").await;
    ctl.advance_clock(48 * 3600 + 1).await;
    // Telegram's wording; teloxide has no variant for it.
    let err = api_error(bot.delete_message(ChatId(42), id).await);
    assert_eq!(
        err,
        ApiError::Unknown("Bad Request: message can't be deleted for everyone".into())
    );
}

#[tokio::test]
async fn a_blocked_user_and_an_unknown_chat_are_refused() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    ctl.block(42).await;
    assert_eq!(
        api_error(bot.send_message(ChatId(42), "hi").await),
        ApiError::BotBlocked
    );
    assert_eq!(
        api_error(bot.send_message(ChatId(-404), "hi").await),
        ApiError::ChatNotFound
    );
    assert_eq!(
        api_error(bot.get_chat(ChatId(-404)).await),
        ApiError::ChatNotFound
    );
}

#[tokio::test]
async fn answering_a_callback_twice_is_too_late() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    let pressed = ctl.press_data(42, 42, "x", None).await;
    let id = CallbackQueryId(pressed.callback_query_id);
    bot.answer_callback_query(id.clone())
        .await
        .expect("first answer");
    // Telegram says "query ID"; teloxide matches only "query id", so it is
    // an Unknown error carrying Telegram's text.
    let err = api_error(bot.answer_callback_query(id).await);
    let ApiError::Unknown(text) = err else {
        panic!("{err:?}")
    };
    assert!(text.starts_with("Bad Request: query is too old"), "{text}");
    let err = api_error(
        bot.answer_callback_query(CallbackQueryId("nope".into()))
            .await,
    );
    assert!(matches!(err, ApiError::Unknown(t) if t.contains("query ID is invalid")));
}

#[tokio::test]
async fn bad_html_empty_and_long_texts_are_refused() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    let err = api_error(
        bot.send_message(ChatId(42), "<b>x")
            .parse_mode(ParseMode::Html)
            .await,
    );
    assert_eq!(
        err,
        ApiError::CantParseEntities(
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"".into()
        )
    );
    assert_eq!(
        api_error(bot.send_message(ChatId(42), " ").await),
        ApiError::MessageTextIsEmpty
    );
    let long = "a".repeat(4097);
    assert_eq!(
        api_error(bot.send_message(ChatId(42), &long).await),
        ApiError::MessageIsTooLong
    );
    let id = sent(&bot, 42, "short").await;
    let err = api_error(bot.edit_message_text(ChatId(42), id, &long).await);
    assert_eq!(err, ApiError::EditedMessageIsTooLong);
    let err = api_error(
        bot.edit_message_text(ChatId(42), id, "a < b")
            .parse_mode(ParseMode::Html)
            .await,
    );
    assert!(matches!(err, ApiError::CantParseEntities(_)));
}

#[tokio::test]
async fn callback_data_over_64_bytes_is_invalid() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    let keys = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("x", "d".repeat(65))]]);
    let err = api_error(
        bot.send_message(ChatId(42), "keys")
            .reply_markup(keys)
            .await,
    );
    assert_eq!(err, ApiError::ButtonDataInvalid);
}

#[tokio::test]
async fn a_migrated_group_points_to_its_supergroup() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    ctl.group(-5, "Kitchen", &[42]).await;
    let new_id = ctl.migrate(-5).await;
    assert!(new_id < -1_000_000_000_000);
    match bot.send_message(ChatId(-5), "hi").await {
        Err(RequestError::MigrateToChatId(to)) => assert_eq!(to, ChatId(new_id)),
        other => panic!("expected a migration, got {other:?}"),
    }
    bot.send_message(ChatId(new_id), "hi")
        .await
        .expect("the supergroup works");
}

#[tokio::test]
async fn flooding_a_chat_asks_to_retry_after() {
    let (emulator, ctl) = start_with(fake_telegram::RateLimits::default()).await;
    ctl.freeze_clock(true).await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    for _ in 0..5 {
        sent(&bot, 42, "burst").await;
    }
    match bot.send_message(ChatId(42), "one too many").await {
        Err(RequestError::RetryAfter(after)) => assert_eq!(after.seconds(), 1),
        other => panic!("expected 429, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_token_is_an_invalid_token() {
    let (emulator, _) = start().await;
    let url = reqwest::Url::parse(&emulator.base_url()).expect("url");
    let stranger = Bot::new("1:WRONG").set_api_url(url);
    assert_eq!(api_error(stranger.get_me().await), ApiError::InvalidToken);
}

#[tokio::test]
async fn strangers_cannot_be_written_to_first() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    ctl.user((42, "Anna")).await;
    let err = api_error(bot.send_message(ChatId(42), "hi").await);
    assert_eq!(
        err,
        ApiError::Unknown("Forbidden: bot can't initiate conversation with a user".into())
    );
}
