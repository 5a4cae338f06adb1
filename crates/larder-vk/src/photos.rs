//! Product photos on VK. Photos are kept as Telegram file ids (staff send
//! them on Telegram); the first time one is shown on VK it is downloaded
//! from Telegram, uploaded to VK (`photos.getMessagesUploadServer`, the
//! upload, `photos.saveMessagesPhoto`) and its attachment id is cached, so
//! each photo is uploaded once.

use larder_store::settings;
use serde_json::Value;

use larder_store::Store;

use crate::{VkApi, VkConfig, VkError};

fn cache_key(file_id: &str) -> String {
    format!("vk.photo.{file_id}")
}

fn http_error(e: impl std::fmt::Display) -> VkError {
    VkError::Http(e.to_string())
}

/// The VK attachment (`photo{owner}_{id}[_{key}]`) for a Telegram photo;
/// `None` when Telegram files are not reachable from here.
pub async fn attachment(
    api: &VkApi,
    config: &VkConfig,
    store: &Store,
    peer: i64,
    file_id: &str,
) -> Result<Option<String>, VkError> {
    let Some(telegram) = &config.telegram_files else {
        return Ok(None);
    };
    let cached = async {
        let mut conn = store.conn().await?;
        settings::get(&mut conn, &cache_key(file_id)).await
    };
    if let Ok(Some(a)) = cached.await {
        return Ok(Some(a));
    }
    let http = api.http();
    // 1. The bytes, from Telegram.
    let bot = format!("{}/bot{}", telegram.api_url, telegram.token);
    let file: Value = http
        .get(format!("{bot}/getFile"))
        .query(&[("file_id", file_id)])
        .send()
        .await
        .map_err(http_error)?
        .json()
        .await
        .map_err(http_error)?;
    let Some(path) = file["result"]["file_path"].as_str() else {
        return Err(VkError::Http(format!("Telegram has no file {file_id}")));
    };
    let bytes = http
        .get(format!(
            "{}/file/bot{}/{path}",
            telegram.api_url, telegram.token
        ))
        .send()
        .await
        .map_err(http_error)?
        .bytes()
        .await
        .map_err(http_error)?;
    // 2. Up to VK.
    let server = api
        .call(
            "photos.getMessagesUploadServer",
            &[("peer_id", peer.to_string())],
        )
        .await?;
    let Some(url) = server["upload_url"].as_str() else {
        return Err(VkError::Http("no upload_url".into()));
    };
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name("photo.jpg")
        .mime_str("image/jpeg")
        .map_err(http_error)?;
    let form = reqwest::multipart::Form::new().part("photo", part);
    let uploaded: Value = http
        .post(url)
        .multipart(form)
        .send()
        .await
        .map_err(http_error)?
        .json()
        .await
        .map_err(http_error)?;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let saved = api
        .call(
            "photos.saveMessagesPhoto",
            &[
                ("server", text(&uploaded["server"])),
                ("photo", text(&uploaded["photo"])),
                ("hash", text(&uploaded["hash"])),
            ],
        )
        .await?;
    let photo = &saved[0];
    let (Some(owner), Some(id)) = (photo["owner_id"].as_i64(), photo["id"].as_i64()) else {
        return Err(VkError::Http(
            "photos.saveMessagesPhoto gave no photo".into(),
        ));
    };
    let attachment = match photo["access_key"].as_str() {
        Some(key) => format!("photo{owner}_{id}_{key}"),
        None => format!("photo{owner}_{id}"),
    };
    let store = async {
        let mut conn = store.conn().await?;
        settings::set(&mut conn, &cache_key(file_id), &attachment).await?;
        // Photos work: should the right go missing again, owners hear again.
        let lacking = larder_runtime::lacking_key(larder_store::Channel::Vk, "photos");
        settings::delete(&mut conn, &lacking).await
    };
    if let Err(e) = store.await {
        tracing::warn!(error = %e, "cannot cache a VK photo");
    }
    Ok(Some(attachment))
}
