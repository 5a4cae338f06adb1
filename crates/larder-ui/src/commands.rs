//! The commands Telegram lists in its menu, per scope and language:
//! customers (or, without the shop, the desk) in private chats, staff in
//! their own private chats, and each bound group its own.

use larder_core::Role;
use larder_store::groups::{self, GroupRole};
use larder_store::{AnyConnection, Channel, StoreError, staff};

use crate::UiConfig;
use crate::i18n::{I18n, LANGUAGES};

/// Where a list of commands applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every private chat without a list of its own.
    AllPrivateChats,
    /// Every group without a list of its own.
    AllGroupChats,
    /// One chat (a staff member's private chat, a bound group).
    Chat(i64),
}

/// One list: its scope, its language (`None`: anyone else), its commands
/// as `(command, description)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandList {
    pub scope: Scope,
    pub language: Option<&'static str>,
    pub commands: Vec<(&'static str, String)>,
}

/// Every list the bot should have now.
pub async fn wanted(
    conn: &mut AnyConnection,
    i18n: &I18n,
    config: &UiConfig,
) -> Result<Vec<CommandList>, StoreError> {
    let members = staff::list(conn).await?;
    // A group may be bound for several roles: one list per group.
    let mut bound: Vec<(i64, Vec<GroupRole>)> = Vec::new();
    for role in [GroupRole::Kitchen, GroupRole::Couriers, GroupRole::Admins] {
        if let Some(g) = groups::reachable(conn, role).await?
            && g.channel == Channel::Telegram
        {
            match bound.iter_mut().find(|(chat, _)| *chat == g.chat_id) {
                Some((_, roles)) => roles.push(role),
                None => bound.push((g.chat_id, vec![role])),
            }
        }
    }
    // Each staff member's chat: the desk for those who have one (owners,
    // managers); cooks, couriers and admins work in the groups.
    let mut staff_chats: Vec<(i64, bool)> = Vec::new();
    for m in &members {
        let desk = matches!(m.role, Role::Owner | Role::Manager);
        match staff_chats
            .iter_mut()
            .find(|(id, _)| *id == m.user_id.get())
        {
            Some((_, has)) => *has |= desk,
            None => staff_chats.push((m.user_id.get(), desk)),
        }
    }
    staff_chats.sort_unstable();
    let mut lists = Vec::new();
    let languages = std::iter::once(None).chain(LANGUAGES.iter().map(|(code, _)| Some(*code)));
    for language in languages {
        let lang = i18n.pick(language);
        let cmd = |name: &'static str| (name, lang.t(&format!("cmd-{name}")));
        let desk = vec![("start", lang.t("cmd-start-desk"))];
        let private = if config.shop_enabled {
            vec![
                ("start", lang.t("cmd-start-shop")),
                cmd("menu"),
                cmd("cart"),
                cmd("orders"),
                cmd("profile"),
                cmd("help"),
            ]
        } else {
            desk.clone()
        };
        lists.push(CommandList {
            scope: Scope::AllPrivateChats,
            language,
            commands: private,
        });
        lists.push(CommandList {
            scope: Scope::AllGroupChats,
            language,
            commands: vec![cmd("bind")],
        });
        for (chat, has_desk) in &staff_chats {
            let commands = if *has_desk {
                desk.clone()
            } else {
                vec![("start", lang.t("cmd-start-staff"))]
            };
            lists.push(CommandList {
                scope: Scope::Chat(*chat),
                language,
                commands,
            });
        }
        for (chat, roles) in &bound {
            let mut commands = Vec::new();
            if roles.contains(&GroupRole::Admins) {
                commands.push(cmd("stop"));
                commands.push(cmd("today"));
            }
            commands.push(cmd("bind"));
            lists.push(CommandList {
                scope: Scope::Chat(*chat),
                language,
                commands,
            });
        }
    }
    Ok(lists)
}
