//! Every supported method, called through teloxide-core: each success must
//! parse into teloxide's types.

use teloxide_core::payloads::{
    EditMessageReplyMarkupSetters, EditMessageTextSetters, GetUpdatesSetters, SendMessageSetters,
};
use teloxide_core::prelude::Requester;
use teloxide_core::types::{
    AllowedUpdate, BotCommand, CallbackQueryId, ChatFullInfoKind, ChatId, ChatMemberKind,
    InlineKeyboardButton, InlineKeyboardMarkup, MediaKind, MessageEntityKind, MessageKind,
    ParseMode, ReplyMarkup, UpdateKind, UserId,
};

use crate::common::{WAIT, bot, start, started_user};

fn keyboard(labels: &[(&str, &str)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([labels
        .iter()
        .map(|(text, data)| InlineKeyboardButton::callback(*text, *data))
        .collect::<Vec<_>>()])
}

#[tokio::test]
async fn get_me_parses_into_me() {
    let (emulator, _) = start().await;
    let me = bot(&emulator).get_me().await.expect("getMe");
    assert_eq!(me.username(), "larder_test_bot");
    assert_eq!(me.id, UserId(123_456));
    assert!(me.is_bot);
}

#[tokio::test]
async fn sent_and_edited_messages_parse_with_entities_and_keyboards() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;

    let sent = bot
        .send_message(
            ChatId(42),
            "😀 <b>Orders</b> &amp; <a href=\"https://example.com\">more</a>",
        )
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard(&[("Open", "o:1"), ("Close", "c:1")]))
        .await
        .expect("sendMessage");
    assert_eq!(sent.text(), Some("😀 Orders & more"));
    let entities = sent.entities().expect("entities");
    assert_eq!(entities[0].kind, MessageEntityKind::Bold);
    assert_eq!((entities[0].offset, entities[0].length), (3, 6));
    assert!(matches!(
        entities[1].kind,
        MessageEntityKind::TextLink { .. }
    ));
    let markup = sent.reply_markup().expect("keyboard");
    assert_eq!(markup.inline_keyboard[0][1].text, "Close");
    assert!(sent.from.as_ref().is_some_and(|u| u.is_bot));

    let edited = bot
        .edit_message_text(ChatId(42), sent.id, "<i>Done</i>")
        .parse_mode(ParseMode::Html)
        .await
        .expect("editMessageText");
    assert_eq!(edited.text(), Some("Done"));
    assert!(edited.edit_date().is_some());
    assert!(
        edited.reply_markup().is_none(),
        "no reply_markup removes the keyboard"
    );

    let with_keys = bot
        .edit_message_reply_markup(ChatId(42), sent.id)
        .reply_markup(keyboard(&[("Again", "a")]))
        .await
        .expect("editMessageReplyMarkup");
    assert_eq!(
        with_keys.reply_markup().expect("keys").inline_keyboard[0][0].text,
        "Again"
    );

    bot.pin_chat_message(ChatId(42), sent.id)
        .await
        .expect("pin");
    let info = bot.get_chat(ChatId(42)).await.expect("getChat");
    assert!(matches!(info.kind, ChatFullInfoKind::Private(_)));
    assert_eq!(info.pinned_message.expect("pinned").id, sent.id);
    bot.unpin_chat_message(ChatId(42)).await.expect("unpin");
    assert_eq!(ctl.chat(42).await.pinned_message_id, None);

    bot.delete_message(ChatId(42), sent.id)
        .await
        .expect("delete");
    assert!(ctl.chat(42).await.message(sent.id.0.into()).is_none());
}

#[tokio::test]
async fn get_updates_parses_every_kind_of_update() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    ctl.send_text(42, 42, "/start@larder_test_bot ABC").await;
    ctl.share_contact(42, 42, "+79001234567").await;
    let photo = ctl.send_photo(42, 42, Some("my cake")).await;
    bot.send_message(ChatId(42), "Pick")
        .reply_markup(keyboard(&[("Cake", "cake")]))
        .await
        .expect("send");
    let pressed = ctl.press_button(42, 42, "Cake").await.expect("press");
    ctl.block(42).await;
    ctl.group(-100, "Kitchen", &[42, 43]).await;
    let supergroup = ctl.migrate(-100).await;

    let updates = bot
        .get_updates()
        .allowed_updates([
            AllowedUpdate::Message,
            AllowedUpdate::CallbackQuery,
            AllowedUpdate::MyChatMember,
        ])
        .await
        .expect("getUpdates");
    assert_eq!(updates.len(), 8, "{updates:#?}");
    for update in &updates {
        assert!(
            !matches!(update.kind, UpdateKind::Error(_)),
            "teloxide failed: {update:?}"
        );
    }
    let UpdateKind::Message(start) = &updates[0].kind else {
        panic!("message")
    };
    assert_eq!(start.text(), Some("/start@larder_test_bot ABC"));
    let command = &start.entities().expect("entities")[0];
    assert_eq!(
        (command.kind.clone(), command.offset, command.length),
        (MessageEntityKind::BotCommand, 0, 22)
    );

    let UpdateKind::Message(contact) = &updates[1].kind else {
        panic!("contact")
    };
    let contact = contact.contact().expect("contact");
    assert_eq!(contact.phone_number, "+79001234567");
    assert_eq!(contact.user_id, Some(UserId(42)));

    let UpdateKind::Message(photo_msg) = &updates[2].kind else {
        panic!("photo")
    };
    let sizes = photo_msg.photo().expect("photo sizes");
    assert_eq!(sizes[0].file.id.0, photo.file_id);
    assert_eq!(photo_msg.caption(), Some("my cake"));

    let UpdateKind::CallbackQuery(query) = &updates[3].kind else {
        panic!("callback")
    };
    assert_eq!(query.id.0, pressed.callback_query_id);
    assert_eq!(query.data.as_deref(), Some("cake"));
    assert_eq!(query.from.id, UserId(42));
    assert!(!query.chat_instance.is_empty());
    let message = query.regular_message().expect("the pressed message");
    assert_eq!(message.text(), Some("Pick"));

    let UpdateKind::MyChatMember(kicked) = &updates[4].kind else {
        panic!("blocked")
    };
    assert!(matches!(
        kicked.new_chat_member.kind,
        ChatMemberKind::Banned(_)
    ));

    let UpdateKind::MyChatMember(added) = &updates[5].kind else {
        panic!("added")
    };
    assert!(matches!(added.old_chat_member.kind, ChatMemberKind::Left));
    assert!(matches!(
        added.new_chat_member.kind,
        ChatMemberKind::Administrator(_)
    ));
    assert_eq!(added.chat.title(), Some("Kitchen"));

    let UpdateKind::Message(to) = &updates[6].kind else {
        panic!("migrate to")
    };
    assert!(
        matches!(&to.kind, MessageKind::Common(c) if matches!(c.media_kind, MediaKind::Migration(_)))
    );
    assert_eq!(to.migrate_to_chat_id(), Some(&ChatId(supergroup)));
    let UpdateKind::Message(from) = &updates[7].kind else {
        panic!("migrate from")
    };
    assert_eq!(from.migrate_from_chat_id(), Some(&ChatId(-100)));
    assert!(from.chat.is_supergroup());
}

#[tokio::test]
async fn chat_members_parse_for_every_status() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    ctl.user((44, "Outsider")).await;
    ctl.group(-7, "Couriers", &[42, 43]).await;
    let creator = bot
        .get_chat_member(ChatId(-7), UserId(42))
        .await
        .expect("creator");
    assert!(creator.is_owner());
    let member = bot
        .get_chat_member(ChatId(-7), UserId(43))
        .await
        .expect("member");
    assert!(matches!(member.kind, ChatMemberKind::Member(_)));
    let left = bot
        .get_chat_member(ChatId(-7), UserId(44))
        .await
        .expect("left");
    assert!(matches!(left.kind, ChatMemberKind::Left));
    let me = bot
        .get_chat_member(ChatId(-7), UserId(123_456))
        .await
        .expect("bot");
    assert!(me.is_administrator());
    let info = bot.get_chat(ChatId(-7)).await.expect("getChat");
    assert!(matches!(info.kind, ChatFullInfoKind::Public(_)));
}

#[tokio::test]
async fn callback_answers_commands_and_webhook_info_parse() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    bot.send_message(ChatId(42), "Menu")
        .reply_markup(ReplyMarkup::InlineKeyboard(keyboard(&[("Go", "go")])))
        .await
        .expect("send");
    let pressed = ctl.press_button(42, 42, "Go").await.expect("press");
    bot.answer_callback_query(CallbackQueryId(pressed.callback_query_id.clone()))
        .await
        .expect("answerCallbackQuery");
    let answer = ctl
        .wait_callback_answer(&pressed.callback_query_id, WAIT)
        .await
        .expect("answered");
    assert_eq!(answer.text, None);

    bot.set_my_commands([
        BotCommand::new("start", "Start over"),
        BotCommand::new("orders", "Orders"),
    ])
    .await
    .expect("setMyCommands");
    assert_eq!(bot.get_my_commands().await.expect("getMyCommands").len(), 2);
    bot.delete_my_commands().await.expect("deleteMyCommands");
    assert!(
        bot.get_my_commands()
            .await
            .expect("getMyCommands")
            .is_empty()
    );

    let info = bot.get_webhook_info().await.expect("getWebhookInfo");
    assert!(info.url.is_none());
    assert_eq!(
        info.pending_update_count, 2,
        "the /start and the press wait"
    );
    bot.delete_webhook().await.expect("deleteWebhook");
    let updates = bot.get_updates().timeout(0).await.expect("getUpdates");
    assert_eq!(updates.len(), 2);
}
