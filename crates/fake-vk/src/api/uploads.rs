//! Photos and documents for messages, VK's three steps:
//!
//! 1. `photos.getMessagesUploadServer` / `docs.getMessagesUploadServer` give
//!    an `upload_url` on this emulator;
//! 2. a multipart POST to it (part `photo` or `file`) answers
//!    `{"server", "photo", "hash"}` or `{"file"}`;
//! 3. `photos.saveMessagesPhoto` / `docs.save` turn that into a photo or
//!    document, whose `photo{owner_id}_{id}` / `doc{owner_id}_{id}` goes into
//!    `messages.send`'s `attachment`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Call, MethodResult, Params, VkError};
use crate::ids;
use crate::state::{App, MediaKind, Pending, Stored, doc_type};

pub(crate) const PHOTO: MediaKind = MediaKind::Photo;
pub(crate) const DOC: MediaKind = MediaKind::Doc;

/// The `server` number photo uploads answer.
const UPLOAD_SERVER: i64 = 852_034;

/// Album id of photos for messages.
const MESSAGES_ALBUM: i64 = -3;

/// `*.getMessagesUploadServer`.
pub(crate) fn upload_server(call: &Call<'_>, kind: MediaKind) -> MethodResult {
    let peer_id = call.params.int("peer_id")?;
    if kind == DOC && peer_id.is_none() {
        return Err(VkError::param("peer_id is undefined"));
    }
    let mut world = call.app.lock();
    let slot = world.new_id(ids::UPLOAD, 32);
    world.groups[call.group]
        .media
        .slots
        .insert(slot.clone(), kind);
    let url = format!("{}/upload/{}/{slot}", call.app.base_url, call.group_id());
    Ok(match kind {
        MediaKind::Photo => json!({
            "album_id": MESSAGES_ALBUM,
            "upload_url": url,
            "user_id": 0,
            "group_id": call.group_id(),
        }),
        MediaKind::Doc => json!({ "upload_url": url }),
    })
}

/// `POST /upload/{group_id}/{slot}`: keeps the bytes until `save`.
pub(crate) async fn upload(
    State(app): State<Arc<App>>,
    Path((group_id, slot)): Path<(i64, String)>,
    req: Request,
) -> Response {
    let params = match Params::from_request(req).await {
        Ok(params) => params,
        Err(err) => return (StatusCode::BAD_REQUEST, err).into_response(),
    };
    let Some(group) = app.group_by_id(group_id) else {
        return (StatusCode::NOT_FOUND, "no such upload URL").into_response();
    };
    let mut world = app.lock();
    let Some(&kind) = world.groups[group].media.slots.get(&slot) else {
        return (StatusCode::NOT_FOUND, "no such upload URL").into_response();
    };
    let field = match kind {
        MediaKind::Photo => "photo",
        MediaKind::Doc => "file",
    };
    let Some(file) = params.file(field).filter(|f| !f.bytes.is_empty()).cloned() else {
        return Json(match kind {
            MediaKind::Photo => json!({ "server": UPLOAD_SERVER, "photo": "[]", "hash": "" }),
            MediaKind::Doc => json!({ "error": "no file uploaded" }),
        })
        .into_response();
    };
    let n = world.seq();
    let token = world.ids.hex(n, ids::UPLOAD, 20);
    let hash = world.ids.hex(n, ids::HASH, 32);
    let (handle, answer) = match kind {
        MediaKind::Photo => {
            let photo = format!(
                r#"[{{"photo":"{token}:w","sizes":[],"kid":"{}"}}]"#,
                &hash[..8]
            );
            let answer = json!({ "server": UPLOAD_SERVER, "photo": photo, "hash": hash });
            (photo, answer)
        }
        MediaKind::Doc => {
            let handle = format!("{group_id}|0|0|{UPLOAD_SERVER}|{token}|{hash}");
            (handle.clone(), json!({ "file": handle }))
        }
    };
    let pending = Pending {
        kind,
        bytes: file.bytes,
        file_name: file.file_name,
        hash,
    };
    world.groups[group].media.pending.insert(handle, pending);
    Json(answer).into_response()
}

/// Saves (once) the upload `handle`; saving it again returns the same file.
fn save(call: &Call<'_>, handle: &str, title: Option<String>) -> Result<Stored, VkError> {
    let now = call.app.clock.now_ms();
    let mut world = call.app.lock();
    let access_key = world.new_id(ids::ACCESS_KEY, 18);
    let media = &mut world.groups[call.group].media;
    let pending = media
        .pending
        .get(handle)
        .cloned()
        .ok_or_else(|| VkError::param("photos_list is invalid"))?;
    if let Some(saved) = media.saved.get(handle) {
        return media
            .stored
            .get(saved)
            .cloned()
            .ok_or_else(|| VkError::new(1));
    }
    let default_title = match pending.kind {
        MediaKind::Photo => "photo.jpg",
        MediaKind::Doc => "file",
    };
    let title = title
        .or_else(|| pending.file_name.clone())
        .unwrap_or_else(|| default_title.to_owned());
    let attachment = media.save(pending, -call.group_id(), title, access_key, now);
    media.saved.insert(handle.to_owned(), attachment.clone());
    media
        .stored
        .get(&attachment)
        .cloned()
        .ok_or_else(|| VkError::new(1))
}

/// `photos.saveMessagesPhoto`: `[photos_photo]`.
pub(crate) fn save_photo(call: &Call<'_>) -> MethodResult {
    let p = call.params;
    let photo = p.text("photo");
    {
        let world = call.app.lock();
        let media = &world.groups[call.group].media;
        let pending = media
            .pending
            .get(&photo)
            .filter(|u| u.kind == PHOTO)
            .ok_or_else(|| VkError::param("photos_list is invalid"))?;
        if p.int("server")? != Some(UPLOAD_SERVER) {
            return Err(VkError::new(118));
        }
        if p.get("hash") != Some(pending.hash.as_str()) {
            return Err(VkError::new(121));
        }
    }
    let stored = save(call, &photo, None)?;
    let (width, height) = image_size(&stored.bytes).unwrap_or((604, 604));
    Ok(json!([{
        "album_id": MESSAGES_ALBUM,
        "date": stored.date_ms.div_euclid(1000),
        "id": stored.id,
        "owner_id": stored.owner_id,
        "access_key": stored.access_key,
        "sizes": [{
            "height": height,
            "width": width,
            "type": "x",
            "url": file_url(call, &stored),
        }],
        "text": "",
        "has_tags": false,
    }]))
}

/// `docs.save`: `{"type": "doc", "doc": docs_doc}`.
pub(crate) fn save_doc(call: &Call<'_>) -> MethodResult {
    let p = call.params;
    let file = p.text("file");
    let known = call.app.lock().groups[call.group]
        .media
        .pending
        .get(&file)
        .is_some_and(|u| u.kind == DOC);
    if !known {
        return Err(VkError::param("file is invalid"));
    }
    let stored = save(call, &file, p.get("title").map(str::to_owned))?;
    let ext = stored.ext();
    Ok(json!({
        "type": "doc",
        "doc": {
            "id": stored.id,
            "owner_id": stored.owner_id,
            "title": stored.title,
            "size": stored.size(),
            "ext": ext,
            "url": file_url(call, &stored),
            "date": stored.date_ms.div_euclid(1000),
            "type": doc_type(&ext),
            "access_key": stored.access_key,
        }
    }))
}

fn file_url(call: &Call<'_>, stored: &Stored) -> String {
    format!("{}/files/{}", call.app.base_url, stored.attachment())
}

/// Width and height of a PNG, read from its header.
fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Some((be(16), be(20)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_sizes_are_read_from_the_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(16u32.to_be_bytes());
        png.extend(9u32.to_be_bytes());
        assert_eq!(image_size(&png), Some((16, 9)));
        assert_eq!(image_size(b"GIF89a"), None);
    }
}
