//! Uploaded photos and documents, through VK's three steps: an upload URL
//! (`*.getMessagesUploadServer`), the upload itself, and `save`, which turns
//! the upload into an attachment such as `photo-1_457239017`.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Photo,
    Doc,
}

impl MediaKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::Doc => "doc",
        }
    }
}

/// An upload waiting for `save`.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub kind: MediaKind,
    pub bytes: Bytes,
    pub file_name: Option<String>,
    /// The `hash` a photo upload answered (documents have none).
    pub hash: String,
}

/// A saved photo or document.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    pub kind: MediaKind,
    pub id: i64,
    pub owner_id: i64,
    pub access_key: String,
    pub bytes: Bytes,
    pub title: String,
    pub date_ms: i64,
}

impl Stored {
    /// `photo{owner_id}_{id}`, `doc{owner_id}_{id}`.
    pub(crate) fn attachment(&self) -> String {
        format!("{}{}_{}", self.kind.as_str(), self.owner_id, self.id)
    }

    /// The file extension, lower case (`"bin"` when the title has none).
    pub(crate) fn ext(&self) -> String {
        self.title
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .filter(|ext| !ext.is_empty())
            .unwrap_or_else(|| "bin".into())
    }

    pub(crate) fn size(&self) -> u64 {
        u64::try_from(self.bytes.len()).unwrap_or(u64::MAX)
    }
}

/// VK's document type for an extension: 1 text, 2 archive, 3 gif, 4 image,
/// 5 audio, 6 video, 7 e-book, 8 unknown.
pub(crate) fn doc_type(ext: &str) -> i64 {
    match ext {
        "txt" | "pdf" | "doc" | "docx" | "odt" | "rtf" | "csv" | "xls" | "xlsx" => 1,
        "zip" | "rar" | "7z" | "gz" | "tar" => 2,
        "gif" => 3,
        "jpg" | "jpeg" | "png" | "bmp" | "webp" => 4,
        "mp3" | "ogg" | "wav" | "m4a" => 5,
        "mp4" | "avi" | "mov" | "mkv" | "webm" => 6,
        "epub" | "fb2" | "djvu" => 7,
        _ => 8,
    }
}

/// One community's uploads.
#[derive(Debug)]
pub(crate) struct Media {
    /// Upload URL slot → what it accepts.
    pub slots: HashMap<String, MediaKind>,
    /// Uploads by the `photo` / `file` string the upload answered.
    pub pending: HashMap<String, Pending>,
    /// Saved files by attachment string.
    pub stored: BTreeMap<String, Stored>,
    /// Upload handle → the attachment it was saved as.
    pub saved: HashMap<String, String>,
    next_id: i64,
}

impl Default for Media {
    fn default() -> Self {
        Self {
            slots: HashMap::new(),
            pending: HashMap::new(),
            stored: BTreeMap::new(),
            saved: HashMap::new(),
            next_id: 457_239_017,
        }
    }
}

impl Media {
    /// Saves an upload; returns its attachment string.
    pub(crate) fn save(
        &mut self,
        upload: Pending,
        owner_id: i64,
        title: String,
        access_key: String,
        date_ms: i64,
    ) -> String {
        let id = self.next_id;
        self.next_id += 1;
        let stored = Stored {
            kind: upload.kind,
            id,
            owner_id,
            access_key,
            bytes: upload.bytes,
            title,
            date_ms,
        };
        let attachment = stored.attachment();
        self.stored.insert(attachment.clone(), stored);
        attachment
    }

    /// A saved file by attachment string, with or without its access key.
    pub(crate) fn find(&self, attachment: &str) -> Option<&Stored> {
        if let Some(found) = self.stored.get(attachment) {
            return Some(found);
        }
        let (bare, _key) = attachment.rsplit_once('_')?;
        self.stored
            .get(bare)
            .filter(|s| attachment.ends_with(&s.access_key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_files_are_found_by_attachment_with_or_without_key() {
        let mut media = Media::default();
        let upload = Pending {
            kind: MediaKind::Photo,
            bytes: Bytes::from_static(b"png"),
            file_name: None,
            hash: "h".into(),
        };
        let name = media.save(upload, -7, "p.png".into(), "abc".into(), 0);
        assert_eq!(name, "photo-7_457239017");
        assert!(media.find("photo-7_457239017").is_some());
        assert!(media.find("photo-7_457239017_abc").is_some());
        assert!(media.find("photo-7_457239017_zzz").is_none());
        assert_eq!(media.find(&name).unwrap().ext(), "png");
    }

    #[test]
    fn document_types_follow_the_extension() {
        assert_eq!(doc_type("pdf"), 1);
        assert_eq!(doc_type("zip"), 2);
        assert_eq!(doc_type("png"), 4);
        assert_eq!(doc_type("xyz"), 8);
    }
}
