//! Photo and document uploads into messages.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::common::{fails, ok, start, started_user};

/// A 16×16 PNG header (enough for the emulator to read the size).
pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend(16u32.to_be_bytes());
    bytes.extend(16u32.to_be_bytes());
    bytes.extend(b"\x08\x02\0\0\0rest-of-the-image");
    bytes
}

pub async fn upload(url: &str, field: &str, name: &str, bytes: Vec<u8>) -> Value {
    let form = Form::new().part(
        field.to_owned(),
        Part::bytes(bytes).file_name(name.to_owned()),
    );
    reqwest::Client::new()
        .post(url)
        .multipart(form)
        .send()
        .await
        .expect("the upload answers")
        .json()
        .await
        .expect("JSON body")
}

#[tokio::test]
async fn a_photo_goes_through_upload_and_save_into_a_message() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    let server = ok(
        &vk,
        "photos.getMessagesUploadServer",
        json!({ "peer_id": 42 }),
    )
    .await;
    assert_eq!(server["album_id"], -3);
    assert_eq!(server["group_id"], vk.group_id());
    let url = server["upload_url"].as_str().expect("upload_url");
    assert!(url.starts_with(&vk.base_url()));
    let uploaded = upload(url, "photo", "menu.png", png()).await;
    assert!(uploaded["server"].is_i64() && uploaded["hash"].is_string());
    assert_ne!(uploaded["photo"], "[]");
    let saved = ok(
        &vk,
        "photos.saveMessagesPhoto",
        json!({ "photo": uploaded["photo"], "server": uploaded["server"], "hash": uploaded["hash"] }),
    )
    .await;
    let photo = &saved[0];
    assert_eq!(photo["owner_id"], -vk.group_id());
    assert_eq!(photo["album_id"], -3);
    assert_eq!(photo["sizes"][0]["width"], 16);
    let attachment = format!("photo{}_{}", photo["owner_id"], photo["id"]);
    let with_key = format!(
        "{attachment}_{}",
        photo["access_key"].as_str().expect("key")
    );
    ok(
        &vk,
        "messages.send",
        json!({ "peer_id": 42, "message": "Today's menu", "attachment": with_key, "random_id": 1 }),
    )
    .await;
    let peer = ctl.peer(42).await;
    let sent = &peer.last_bot_message().expect("sent").attachments[0];
    assert_eq!(
        (sent.attachment.as_str(), sent.kind.as_str()),
        (attachment.as_str(), "photo")
    );
    assert!(sent.known);
    assert_eq!(ctl.file(&attachment).await, png());
    let url = photo["sizes"][0]["url"].as_str().expect("url");
    let fetched = reqwest::get(url)
        .await
        .expect("served")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(fetched.to_vec(), png());
}

#[tokio::test]
async fn a_photo_with_a_bad_hash_or_no_file_is_refused() {
    let (vk, _ctl) = start().await;
    let server = ok(&vk, "photos.getMessagesUploadServer", json!({})).await;
    let url = server["upload_url"].as_str().expect("upload_url");
    let uploaded = upload(url, "photo", "p.png", png()).await;
    let save = |hash: &Value| json!({ "photo": uploaded["photo"], "server": uploaded["server"], "hash": hash });
    assert_eq!(
        fails(&vk, "photos.saveMessagesPhoto", save(&json!("0000"))).await,
        (121, "Invalid hash".into())
    );
    let empty = upload(url, "file", "wrong-field.png", png()).await;
    assert_eq!(empty["photo"], "[]");
    let (code, msg) = fails(
        &vk,
        "photos.saveMessagesPhoto",
        json!({ "photo": "[]", "server": empty["server"], "hash": empty["hash"] }),
    )
    .await;
    assert_eq!(code, 100);
    assert!(msg.ends_with("photos_list is invalid"), "{msg}");
}

#[tokio::test]
async fn a_document_goes_through_upload_and_save_into_a_message() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    assert_eq!(
        fails(
            &vk,
            "docs.getMessagesUploadServer",
            json!({ "type": "doc" })
        )
        .await
        .0,
        100,
        "peer_id is required"
    );
    let server = ok(
        &vk,
        "docs.getMessagesUploadServer",
        json!({ "type": "doc", "peer_id": 42 }),
    )
    .await;
    let url = server["upload_url"].as_str().expect("upload_url");
    let csv = b"order,total\n7,1500\n".to_vec();
    let uploaded = upload(url, "file", "orders.csv", csv.clone()).await;
    let file = uploaded["file"].as_str().expect("file");
    let saved = ok(
        &vk,
        "docs.save",
        json!({ "file": file, "title": "report.csv" }),
    )
    .await;
    assert_eq!(saved["type"], "doc");
    let doc = &saved["doc"];
    assert_eq!(doc["title"], "report.csv");
    assert_eq!(doc["ext"], "csv");
    assert_eq!(doc["size"], csv.len());
    assert_eq!(doc["type"], 1, "a text document");
    assert_eq!(doc["owner_id"], -vk.group_id());
    let attachment = format!("doc{}_{}", doc["owner_id"], doc["id"]);
    ok(
        &vk,
        "messages.send",
        json!({ "peer_id": 42, "attachment": attachment, "random_id": 1 }),
    )
    .await;
    let peer = ctl.peer(42).await;
    let sent = &peer.last_bot_message().expect("sent").attachments[0];
    assert_eq!(sent.title.as_deref(), Some("report.csv"));
    assert_eq!(ctl.file(&attachment).await, csv);
    assert_eq!(
        fails(&vk, "docs.save", json!({ "file": "nonsense" }))
            .await
            .0,
        100
    );
}
