//! People: who writes to the community and what their VK client supports.

use serde::{Deserialize, Serialize};

/// Button types a modern VK client supports; `client_info.button_actions`.
pub const ALL_BUTTON_ACTIONS: &[&str] = &[
    "text",
    "vkpay",
    "open_app",
    "location",
    "open_link",
    "callback",
    "intent_subscribe",
    "intent_unsubscribe",
];

/// What a person's VK client supports, sent as `client_info` with every
/// `message_new`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    pub button_actions: Vec<String>,
    pub keyboard: bool,
    pub inline_keyboard: bool,
    pub carousel: bool,
    /// VK language id: 0 ru, 1 uk, 2 be, 3 en, 4 es, 5 fi, 6 de, 7 it.
    pub lang_id: i64,
}

impl Default for ClientInfo {
    fn default() -> Self {
        Self {
            button_actions: ALL_BUTTON_ACTIONS.iter().map(|&a| a.to_owned()).collect(),
            keyboard: true,
            inline_keyboard: true,
            carousel: true,
            lang_id: 0,
        }
    }
}

impl ClientInfo {
    /// A modern client speaking `lang` (`"ru"`, `"en"`, ...).
    pub fn for_lang(lang: &str) -> Self {
        Self {
            lang_id: lang_id(lang),
            ..Self::default()
        }
    }

    /// Whether the client can show buttons of this type.
    pub fn supports(&self, action: &str) -> bool {
        self.button_actions.iter().any(|a| a == action)
    }
}

/// VK's numeric language id for a language code (unknown codes: 0, Russian).
pub fn lang_id(lang: &str) -> i64 {
    match lang {
        "uk" => 1,
        "be" => 2,
        "en" => 3,
        "es" => 4,
        "fi" => 5,
        "de" => 6,
        "it" => 7,
        _ => 0,
    }
}

/// A person known to the emulator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    /// Language code, e.g. `"ru"`.
    pub lang: String,
    pub client_info: ClientInfo,
}

/// Body of `POST /control/users`: only `id` and `first_name` are required;
/// `button_actions` overrides `client_info.button_actions`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub id: i64,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_info: Option<ClientInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_actions: Option<Vec<String>>,
}

impl NewUser {
    pub fn new(id: i64, first_name: &str) -> Self {
        Self {
            id,
            first_name: first_name.to_owned(),
            ..Self::default()
        }
    }

    pub fn last_name(mut self, last_name: &str) -> Self {
        self.last_name = Some(last_name.to_owned());
        self
    }

    pub fn lang(mut self, lang: &str) -> Self {
        self.lang = Some(lang.to_owned());
        self
    }

    pub fn client_info(mut self, client_info: ClientInfo) -> Self {
        self.client_info = Some(client_info);
        self
    }

    /// The button types the person's client supports.
    pub fn button_actions(mut self, actions: &[&str]) -> Self {
        self.button_actions = Some(actions.iter().map(|&a| a.to_owned()).collect());
        self
    }

    /// An older client: every button type but `callback`.
    pub fn without_callback(self) -> Self {
        let actions: Vec<&str> = ALL_BUTTON_ACTIONS
            .iter()
            .copied()
            .filter(|&a| a != "callback")
            .collect();
        self.button_actions(&actions)
    }
}

impl From<i64> for NewUser {
    fn from(id: i64) -> Self {
        Self::new(id, &format!("User {id}"))
    }
}

impl From<(i64, &str)> for NewUser {
    fn from((id, first_name): (i64, &str)) -> Self {
        Self::new(id, first_name)
    }
}
