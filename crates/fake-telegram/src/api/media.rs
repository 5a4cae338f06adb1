//! sendPhoto, sendDocument and getFile. Uploaded bytes are kept; a known
//! `file_id` string re-sends a stored file.

use super::messages::{deliver, reply_target};
use super::params::InputFile;
use super::resolve::{Purpose, chat_id, formatted, reply_markup, take_rate};
use super::{ApiError, Call, MethodResult};
use crate::json::file_json;
use crate::state::{Body, FileKind};

const MAX_CAPTION: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Photo,
    Document,
}

impl Kind {
    fn field(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::Document => "document",
        }
    }
}

pub(crate) fn send_media(call: &Call<'_>, kind: Kind) -> MethodResult {
    let p = &call.params;
    let chat_ref = p.chat()?;
    let field = kind.field();
    let input = p
        .file(field)
        .ok_or_else(|| ApiError::bad_request(&format!("there is no {field} in the request")))?;
    let caption = formatted(p, "caption", "caption_entities")?;
    if caption.char_len() > MAX_CAPTION {
        return Err(ApiError::bad_request("message caption is too long"));
    }
    let markup = reply_markup(p)?;
    let mut world = call.app.lock();
    let chat_id = chat_id(&world, call.bot, &chat_ref, Purpose::Send)?;
    let reply_to = reply_target(p, &world, call.bot, chat_id)?;
    let existing = match &input {
        InputFile::Upload(upload) if upload.bytes.is_empty() => {
            return Err(ApiError::bad_request("file must be non-empty"));
        }
        InputFile::Upload(_) => None,
        InputFile::Reference(id) if world.files.contains_key(id) => Some(id.clone()),
        InputFile::Reference(_) => {
            return Err(ApiError::bad_request(
                "wrong file identifier/HTTP URL specified",
            ));
        }
    };
    take_rate(&mut world, call.bot, chat_id, call.app.clock.now_ms())?;
    let file_id = match (existing, input) {
        (Some(id), _) => id,
        (None, InputFile::Upload(upload)) => {
            let file_kind = match kind {
                Kind::Photo => FileKind::Photo,
                Kind::Document => FileKind::Document,
            };
            let name = match kind {
                Kind::Photo => None,
                Kind::Document => Some(
                    upload
                        .file_name
                        .clone()
                        .unwrap_or_else(|| "document".into()),
                ),
            };
            world.store_file(
                file_kind,
                upload.bytes.clone(),
                name,
                upload.content_type.as_deref(),
            )
        }
        (None, InputFile::Reference(id)) => id,
    };
    let body = match kind {
        Kind::Photo => Body::Photo { file_id, caption },
        Kind::Document => Body::Document { file_id, caption },
    };
    Ok(deliver(&mut world, call, chat_id, body, markup, reply_to))
}

pub(crate) fn get_file(call: &Call<'_>) -> MethodResult {
    let file_id = call.params.str("file_id").unwrap_or_default();
    let world = call.app.lock();
    world.files.get(&file_id).map(file_json).ok_or_else(|| {
        ApiError::bad_request("wrong file_id or the file is temporarily unavailable")
    })
}
