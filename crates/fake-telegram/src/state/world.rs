//! The data of the emulated world and the small operations on it.

use std::collections::{BTreeMap, HashMap, VecDeque};

use axum::body::Bytes;
use serde_json::{Value, json};

use crate::RateLimits;
use crate::faults::Faults;
use crate::markup::{InlineKeyboard, KeyButton};
use crate::model::{CallbackAnswer, RequestLog, UserView};
use crate::ratelimit::RateState;
use crate::text::FormattedText;

/// Update types delivered when the bot never set `allowed_updates`.
const NOT_BY_DEFAULT: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

pub(crate) type User = UserView;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChatKind {
    Private,
    Group,
    Supergroup,
}

impl ChatKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Group => "group",
            Self::Supergroup => "supergroup",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sender {
    Bot,
    User(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Body {
    Text(FormattedText),
    Photo {
        file_id: String,
        caption: FormattedText,
    },
    Document {
        file_id: String,
        caption: FormattedText,
    },
    Contact {
        phone_number: String,
        first_name: String,
        last_name: Option<String>,
        user_id: Option<i64>,
    },
    MigrateTo(i64),
    MigrateFrom(i64),
}

#[derive(Clone, Debug)]
pub(crate) struct Msg {
    pub id: i64,
    pub from: Sender,
    pub date_ms: i64,
    pub edit_date_ms: Option<i64>,
    pub body: Body,
    pub markup: Option<InlineKeyboard>,
    pub reply_to: Option<i64>,
}

impl Msg {
    pub(crate) fn is_service(&self) -> bool {
        matches!(self.body, Body::MigrateTo(_) | Body::MigrateFrom(_))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Chat {
    pub id: i64,
    pub kind: ChatKind,
    pub title: Option<String>,
    /// Members of a group; the first one is its creator.
    pub members: Vec<i64>,
    pub bot_admin: bool,
    /// A private chat whose user blocked the bot.
    pub blocked: bool,
    pub migrated_to: Option<i64>,
    pub messages: BTreeMap<i64, Msg>,
    pub next_message_id: i64,
    /// Pinned message ids, most recent last.
    pub pinned: Vec<i64>,
    pub reply_keyboard: Option<Vec<Vec<KeyButton>>>,
}

impl Chat {
    pub(crate) fn new(id: i64, kind: ChatKind, title: Option<String>) -> Self {
        Self {
            id,
            kind,
            title,
            members: Vec::new(),
            bot_admin: kind == ChatKind::Private,
            blocked: false,
            migrated_to: None,
            messages: BTreeMap::new(),
            next_message_id: 1,
            pinned: Vec::new(),
            reply_keyboard: None,
        }
    }

    /// Stores a new message and returns its id.
    pub(crate) fn add(&mut self, from: Sender, date_ms: i64, body: Body) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        self.messages.insert(
            id,
            Msg {
                id,
                from,
                date_ms,
                edit_date_ms: None,
                body,
                markup: None,
                reply_to: None,
            },
        );
        id
    }

    pub(crate) fn pinned_id(&self) -> Option<i64> {
        self.pinned.last().copied()
    }

    /// Telegram's `chat_instance`: stable per chat, opaque.
    pub(crate) fn instance(&self) -> String {
        let mixed = self.id.unsigned_abs() ^ 0x5DEE_CE66_D1CE_4E5B;
        format!("{}", mixed.wrapping_mul(6_364_136_223_846_793_005) >> 2)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct StoredFile {
    pub file_id: String,
    pub unique_id: String,
    pub bytes: Bytes,
    pub file_name: Option<String>,
    pub mime_type: String,
    pub path: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Photo,
    Document,
}

#[derive(Clone, Debug)]
pub(crate) struct Callback {
    pub answer: Option<CallbackAnswer>,
}

#[derive(Clone, Debug)]
pub(crate) struct QueuedUpdate {
    pub id: i64,
    pub json: Value,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Webhook {
    pub url: String,
    pub secret_token: Option<String>,
    pub max_connections: Option<u64>,
    pub last_error_date: Option<i64>,
    pub last_error_message: Option<String>,
}

/// Everything one bot sees.
#[derive(Debug, Default)]
pub(crate) struct BotWorld {
    pub chats: BTreeMap<i64, Chat>,
    pub updates: VecDeque<QueuedUpdate>,
    /// Empty: the default set.
    pub allowed_updates: Vec<String>,
    pub poll_generation: u64,
    /// getUpdates calls waiting right now.
    pub waiting_pollers: u32,
    pub webhook: Option<Webhook>,
    /// Bumped on every setWebhook/deleteWebhook; ends stale deliveries.
    pub webhook_epoch: u64,
    pub callbacks: HashMap<String, Callback>,
    /// `setMyCommands` lists by `"{scope}|{language_code}"`.
    pub commands: BTreeMap<String, Value>,
    pub rate: RateState,
}

impl BotWorld {
    fn allows(&self, kind: &str) -> bool {
        if self.allowed_updates.is_empty() {
            !NOT_BY_DEFAULT.contains(&kind)
        } else {
            self.allowed_updates.iter().any(|a| a == kind)
        }
    }
}

#[derive(Debug)]
pub(crate) struct World {
    pub users: BTreeMap<i64, User>,
    pub bots: Vec<BotWorld>,
    pub files: HashMap<String, StoredFile>,
    pub requests: Vec<RequestLog>,
    pub faults: Faults,
    pub limits: RateLimits,
    next_update_id: i64,
    next_seq: u64,
}

impl World {
    pub(crate) fn new(bots: usize, limits: RateLimits) -> Self {
        Self {
            users: BTreeMap::new(),
            bots: (0..bots).map(|_| BotWorld::default()).collect(),
            files: HashMap::new(),
            requests: Vec::new(),
            faults: Faults::default(),
            limits,
            next_update_id: 100_000_001,
            next_seq: 1,
        }
    }

    /// Forgets everything but the bots. Update and callback ids keep growing
    /// so a bot that keeps polling never confirms updates it has not seen.
    /// Pollers keep polling and stale webhook deliveries end.
    pub(crate) fn reset(&mut self, limits: RateLimits) {
        let generations: Vec<(u64, u64, u32)> = self
            .bots
            .iter()
            .map(|b| (b.poll_generation, b.webhook_epoch + 1, b.waiting_pollers))
            .collect();
        let (next_update_id, next_seq) = (self.next_update_id, self.next_seq);
        *self = Self::new(generations.len(), limits);
        self.next_update_id = next_update_id;
        self.next_seq = next_seq;
        for (bot, (poll, webhook, waiting)) in self.bots.iter_mut().zip(generations) {
            bot.poll_generation = poll;
            bot.webhook_epoch = webhook;
            bot.waiting_pollers = waiting;
        }
    }

    /// A fresh number for callback query ids, file ids and the like.
    pub(crate) fn seq(&mut self) -> u64 {
        let n = self.next_seq;
        self.next_seq += 1;
        n
    }

    /// Keeps uploaded bytes and returns the new `file_id`.
    pub(crate) fn store_file(
        &mut self,
        kind: FileKind,
        bytes: Bytes,
        file_name: Option<String>,
        content_type: Option<&str>,
    ) -> String {
        let n = self.seq();
        let (prefix, dir) = match kind {
            FileKind::Photo => ("AgACAgIAAxkBAAI", "photos"),
            FileKind::Document => ("BQACAgIAAxkBAAI", "documents"),
        };
        let ext = file_name
            .as_deref()
            .and_then(|name| name.rsplit_once('.'))
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_else(|| {
                if kind == FileKind::Photo {
                    "jpg".into()
                } else {
                    "bin".into()
                }
            });
        let mime_type = mime_for(&ext)
            .map(str::to_owned)
            .or_else(|| content_type.map(str::to_owned))
            .unwrap_or_else(|| "application/octet-stream".into());
        let (width, height) = image_size(&bytes).unwrap_or((512, 512));
        let file_id = format!("{prefix}{n:010}");
        let file = StoredFile {
            file_id: file_id.clone(),
            unique_id: format!("AQAD{n:08}"),
            bytes,
            file_name,
            mime_type,
            path: format!("{dir}/file_{n}.{ext}"),
            width,
            height,
        };
        self.files.insert(file_id.clone(), file);
        file_id
    }

    /// The user, created as "User {id}" on first use.
    pub(crate) fn user(&mut self, id: i64) -> &User {
        self.users.entry(id).or_insert_with(|| User::from(id))
    }

    /// The bot's private chat with a user, created on first use.
    pub(crate) fn private_chat(&mut self, bot: usize, user_id: i64) -> &mut Chat {
        self.user(user_id);
        self.bots[bot]
            .chats
            .entry(user_id)
            .or_insert_with(|| Chat::new(user_id, ChatKind::Private, None))
    }

    /// Queues `{"update_id", kind: payload}` for the bot (if it wants that
    /// kind) and returns the update id.
    pub(crate) fn push_update(&mut self, bot: usize, kind: &str, payload: Value) -> i64 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        let bot = &mut self.bots[bot];
        if bot.allows(kind) {
            let mut update = json!({ "update_id": id });
            update[kind] = payload;
            bot.updates.push_back(QueuedUpdate { id, json: update });
        }
        id
    }
}

fn mime_for(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "csv" => "text/csv",
        "txt" => "text/plain",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "zip" => "application/zip",
        "html" => "text/html",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => return None,
    })
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
