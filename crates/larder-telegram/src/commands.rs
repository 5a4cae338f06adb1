//! Keeps Telegram's command menus as they should be (`setMyCommands` per
//! scope and language): set by the process leading the channel at once and
//! then every minute, each list only when it changed, a list no longer
//! wanted deleted. Menus are settings, not messages: a failed call is simply
//! made again at the next round.

use std::collections::HashMap;
use std::time::Duration;

use larder_runtime::Handle;
use larder_store::Channel;
use larder_ui::commands::{CommandList, Scope};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::api::BotApi;

const EVERY: Duration = Duration::from_secs(60);

type Key = (Scope, Option<&'static str>);

/// Runs until `stop`; works while this process leads Telegram.
pub async fn keep(handle: Handle, api: BotApi, mut stop: watch::Receiver<bool>) {
    let mut leading = handle.leading(Channel::Telegram);
    // What Telegram has, as far as this process knows.
    let mut set: HashMap<Key, Vec<(&'static str, String)>> = HashMap::new();
    loop {
        if *leading.borrow_and_update() {
            if let Err(e) = round(&handle, &api, &mut set).await {
                tracing::warn!(error = %e, "cannot bring the command menus up to date");
            }
        } else {
            // Another process keeps them; start afresh on taking the lead.
            set.clear();
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            // The runtime is gone when its side of the watch is.
            r = leading.changed() => if r.is_err() { return },
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

async fn round(
    handle: &Handle,
    api: &BotApi,
    set: &mut HashMap<Key, Vec<(&'static str, String)>>,
) -> Result<(), String> {
    let deps = handle.deps();
    let wanted = {
        let mut conn = deps.store.conn().await.map_err(|e| e.to_string())?;
        larder_ui::commands::wanted(&mut conn, &deps.i18n, &deps.ui)
            .await
            .map_err(|e| e.to_string())?
    };
    let mut first_error = None;
    for list in &wanted {
        let key = (list.scope.clone(), list.language);
        if set.get(&key) == Some(&list.commands) {
            continue;
        }
        match api.call("setMyCommands", &params(list)).await {
            Ok(_) => {
                set.insert(key, list.commands.clone());
            }
            Err(e) => {
                first_error.get_or_insert(e.to_string());
            }
        }
    }
    let gone: Vec<Key> = set
        .keys()
        .filter(|k| !wanted.iter().any(|w| w.scope == k.0 && w.language == k.1))
        .cloned()
        .collect();
    for key in gone {
        let mut p = json!({ "scope": scope(&key.0) });
        if let Some(l) = key.1 {
            p["language_code"] = json!(l);
        }
        match api.call("deleteMyCommands", &p).await {
            Ok(_) => {
                set.remove(&key);
            }
            Err(e) => {
                first_error.get_or_insert(e.to_string());
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

fn scope(scope: &Scope) -> Value {
    match scope {
        Scope::AllPrivateChats => json!({ "type": "all_private_chats" }),
        Scope::AllGroupChats => json!({ "type": "all_group_chats" }),
        Scope::Chat(id) => json!({ "type": "chat", "chat_id": id }),
    }
}

fn params(list: &CommandList) -> Value {
    let commands: Vec<Value> = list
        .commands
        .iter()
        .map(|(command, description)| json!({ "command": command, "description": description }))
        .collect();
    let mut p = json!({ "scope": scope(&list.scope), "commands": commands });
    if let Some(l) = list.language {
        p["language_code"] = json!(l);
    }
    p
}
