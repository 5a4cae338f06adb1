//! Documents and photos: multipart uploads, re-sends by file_id, getFile
//! and downloads.

use teloxide_core::net::Download;
use teloxide_core::payloads::SendDocumentSetters;
use teloxide_core::prelude::Requester;
use teloxide_core::types::{ChatId, FileId, InputFile};

use crate::common::{bot, start, started_user};

const CSV: &[u8] = b"name;qty\ncake;2\n";

#[tokio::test]
async fn a_document_upload_keeps_its_bytes_and_name() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    let sent = bot
        .send_document(ChatId(42), InputFile::memory(CSV).file_name("report.csv"))
        .caption("Today")
        .await
        .expect("sendDocument");
    let document = sent.document().expect("document");
    assert_eq!(document.file_name.as_deref(), Some("report.csv"));
    assert_eq!(
        document
            .mime_type
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("text/csv")
    );
    assert_eq!(document.file.size as usize, CSV.len());
    assert_eq!(sent.caption(), Some("Today"));

    let file = bot
        .get_file(document.file.id.clone())
        .await
        .expect("getFile");
    let mut downloaded = Vec::new();
    bot.download_file(&file.path, &mut downloaded)
        .await
        .expect("download");
    assert_eq!(downloaded, CSV);
    assert_eq!(ctl.file(&document.file.id.0).await, CSV);

    let chat = ctl.chat(42).await;
    let shown = chat
        .last_bot_message()
        .and_then(|m| m.document.clone())
        .expect("shown");
    assert_eq!(
        (shown.file_name.as_str(), shown.size),
        ("report.csv", CSV.len() as u64)
    );
    assert_eq!(
        chat.last_bot_message().map(|m| m.text.as_str()),
        Some("Today")
    );
}

#[tokio::test]
async fn a_nameless_upload_is_still_a_document() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    let sent = bot
        .send_document(ChatId(42), InputFile::memory(CSV))
        .await
        .expect("sendDocument");
    let document = sent.document().expect("document");
    assert_eq!(ctl.file(&document.file.id.0).await, CSV);
}

#[tokio::test]
async fn a_known_file_id_is_sent_again_without_uploading() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    started_user(&ctl, 42).await;
    started_user(&ctl, 43).await;
    let first = bot
        .send_document(ChatId(42), InputFile::memory(CSV).file_name("a.csv"))
        .await
        .expect("upload");
    let id = first.document().expect("document").file.id.clone();
    let again = bot
        .send_document(ChatId(43), InputFile::file_id(id.clone()))
        .await
        .expect("re-send");
    assert_eq!(again.document().expect("document").file.id, id);
    let unknown = bot
        .send_document(ChatId(43), InputFile::file_id(FileId("nope".into())))
        .await;
    assert!(unknown.is_err());
}

#[tokio::test]
async fn photos_from_people_and_from_the_bot_can_be_fetched() {
    let (emulator, ctl) = start().await;
    let bot = bot(&emulator);
    let from_user = ctl.send_photo(42, 42, None).await;
    let file = bot
        .get_file(FileId(from_user.file_id.clone()))
        .await
        .expect("getFile");
    let mut bytes = Vec::new();
    bot.download_file(&file.path, &mut bytes)
        .await
        .expect("download");
    assert!(bytes.starts_with(b"\x89PNG"));

    let sent = bot
        .send_photo(
            ChatId(42),
            InputFile::memory(bytes.clone()).file_name("chart.png"),
        )
        .await
        .expect("sendPhoto");
    let sizes = sent.photo().expect("sizes");
    assert_eq!((sizes[0].width, sizes[0].height), (16, 16));
    let shown = ctl.chat(42).await;
    let photo = shown
        .last_bot_message()
        .and_then(|m| m.photo.clone())
        .expect("photo");
    assert_eq!(ctl.file(&photo.file_id).await, bytes);
}
