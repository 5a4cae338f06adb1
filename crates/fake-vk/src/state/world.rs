//! The data of the emulated world and the small operations on it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};

use super::{EventLog, Media};
use crate::faults::Faults;
use crate::ids;
use crate::keyboard::Keyboard;
use crate::model::{ClientInfo, EventAnswer, RequestLog, UserView};
use crate::ratelimit::RateState;

pub(crate) type User = UserView;

/// "User {id}", speaking Russian on a modern client.
pub(crate) fn default_user(id: i64) -> User {
    User {
        id,
        first_name: format!("User {id}"),
        last_name: String::new(),
        lang: "ru".into(),
        client_info: ClientInfo::default(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sender {
    Bot,
    User(i64),
}

#[derive(Clone, Debug)]
pub(crate) struct Msg {
    pub id: i64,
    pub cmid: i64,
    pub from: Sender,
    pub date_ms: i64,
    pub text: String,
    /// A person's message sent by a text button: its payload.
    pub payload: Option<String>,
    pub keyboard: Option<Keyboard>,
    /// Attachment strings as given (`photo-1_2`, `doc-1_3_key`).
    pub attachments: Vec<String>,
    pub edited: bool,
    /// Deleted for everyone: the person no longer sees it.
    pub deleted_for_all: bool,
    /// Deleted on the community's side only.
    pub deleted_for_group: bool,
}

impl Msg {
    pub(crate) fn is_from_bot(&self) -> bool {
        self.from == Sender::Bot
    }
}

/// A person's conversation with the community.
#[derive(Clone, Debug)]
pub(crate) struct Peer {
    pub id: i64,
    /// By message id, oldest first.
    pub messages: BTreeMap<i64, Msg>,
    next_cmid: i64,
    /// The person allows messages from the community (wrote to it, or
    /// pressed "Allow messages").
    pub allowed: bool,
    /// The person forbade messages from the community.
    pub blocked: bool,
    /// The person is on the community's blacklist.
    pub blacklisted: bool,
    /// The standard keyboard open under the input field, and the message
    /// that brought it.
    pub keyboard: Option<(i64, Keyboard)>,
}

impl Peer {
    pub(crate) fn new(id: i64) -> Self {
        Self {
            id,
            messages: BTreeMap::new(),
            next_cmid: 1,
            allowed: false,
            blocked: false,
            blacklisted: false,
            keyboard: None,
        }
    }

    /// Stores a new message with id `id` and returns it.
    pub(crate) fn add(&mut self, id: i64, from: Sender, date_ms: i64, text: String) -> &mut Msg {
        let cmid = self.next_cmid;
        self.next_cmid += 1;
        self.messages.entry(id).or_insert(Msg {
            id,
            cmid,
            from,
            date_ms,
            text,
            payload: None,
            keyboard: None,
            attachments: Vec::new(),
            edited: false,
            deleted_for_all: false,
            deleted_for_group: false,
        })
    }

    pub(crate) fn by_cmid(&self, cmid: i64) -> Option<&Msg> {
        self.messages.values().find(|m| m.cmid == cmid)
    }
}

/// A callback-button press waiting for `messages.sendMessageEventAnswer`.
#[derive(Clone, Debug)]
pub(crate) struct Callback {
    pub user_id: i64,
    pub peer_id: i64,
    pub created_ms: i64,
    pub answered: bool,
}

/// Everything one community sees.
#[derive(Debug)]
pub(crate) struct GroupWorld {
    pub id: i64,
    pub peers: BTreeMap<i64, Peer>,
    next_message_id: i64,
    pub log: EventLog,
    /// Callback presses by `object.event_id`.
    pub callbacks: HashMap<String, Callback>,
    /// Answers to callback presses, in order.
    pub answers: Vec<EventAnswer>,
    /// `(peer_id, random_id)` → message id.
    pub dedup: HashMap<(i64, i64), i64>,
    pub media: Media,
}

impl GroupWorld {
    fn new(id: i64) -> Self {
        Self {
            id,
            peers: BTreeMap::new(),
            next_message_id: 1,
            log: EventLog::default(),
            callbacks: HashMap::new(),
            answers: Vec::new(),
            dedup: HashMap::new(),
            media: Media::default(),
        }
    }

    /// A fresh message id; ids are unique across the community's dialogs.
    pub(crate) fn next_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }
}

#[derive(Debug)]
pub(crate) struct World {
    pub users: BTreeMap<i64, User>,
    pub groups: Vec<GroupWorld>,
    pub requests: Vec<RequestLog>,
    pub faults: Faults,
    pub rate_limit: bool,
    pub rate: RateState,
    /// The rights each token carries now (token → rights).
    pub rights: BTreeMap<String, BTreeSet<String>>,
    /// The secret keys of ids handed out (event ids, keys, hashes).
    pub ids: ids::Ids,
    next_seq: u64,
}

impl World {
    pub(crate) fn new(group_ids: &[i64], rate_limit: bool) -> Self {
        Self {
            users: BTreeMap::new(),
            groups: group_ids.iter().map(|&id| GroupWorld::new(id)).collect(),
            requests: Vec::new(),
            faults: Faults::default(),
            rate_limit,
            rate: RateState::default(),
            rights: BTreeMap::new(),
            ids: ids::Ids::random(),
            next_seq: 1,
        }
    }

    /// Forgets people, conversations, uploads, answers, faults and requests.
    /// Long-poll keys stay valid and event numbers and message ids keep
    /// growing, so a bot that keeps polling goes on undisturbed.
    pub(crate) fn reset(&mut self, rate_limit: bool) {
        for group in &mut self.groups {
            let mut fresh = GroupWorld::new(group.id);
            fresh.next_message_id = group.next_message_id;
            fresh.log = std::mem::take(&mut group.log);
            fresh.log.lose_history();
            *group = fresh;
        }
        self.users.clear();
        self.requests.clear();
        self.faults.clear();
        self.rate.clear();
        self.rate_limit = rate_limit;
    }

    /// A fresh number for ids.
    pub(crate) fn seq(&mut self) -> u64 {
        let n = self.next_seq;
        self.next_seq += 1;
        n
    }

    /// A fresh random id of a kind (`ids::EVENT`, ...): `chars` hex digits.
    pub(crate) fn new_id(&mut self, salt: u64, chars: usize) -> String {
        let seq = self.seq();
        self.ids.hex(seq, salt, chars)
    }

    /// The user, created as "User {id}" on first use.
    pub(crate) fn user(&mut self, id: i64) -> &User {
        self.users.entry(id).or_insert_with(|| default_user(id))
    }

    /// The community's conversation with a person, created on first use.
    pub(crate) fn peer(&mut self, group: usize, id: i64) -> &mut Peer {
        self.user(id);
        self.groups[group]
            .peers
            .entry(id)
            .or_insert_with(|| Peer::new(id))
    }

    /// Queues a long-poll event and returns its `event_id`.
    pub(crate) fn push_event(&mut self, group: usize, kind: &str, object: Value) -> String {
        let event_id = self.new_id(ids::EVENT, 40);
        let group = &mut self.groups[group];
        group.log.push(json!({
            "group_id": group.id,
            "type": kind,
            "event_id": event_id,
            "v": crate::API_VERSION,
            "object": object,
        }));
        event_id
    }

    /// A new long-poll key for the community.
    pub(crate) fn new_key(&mut self, group: usize) -> String {
        let key = self.new_id(ids::KEY, 40);
        self.groups[group].log.add_key(key.clone());
        key
    }
}
