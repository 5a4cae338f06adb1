//! Community token rights (VK "access rights" of a community token) and
//! which right each method needs. A call whose token lacks the right fails
//! with error 15 before it takes effect.

use std::collections::{BTreeMap, BTreeSet};

use crate::GroupSpec;

/// Every right a community token can carry, as VK names them in `scope`.
pub const TOKEN_RIGHTS: &[&str] = &[
    "messages",
    "manage",
    "photos",
    "docs",
    "wall",
    "stories",
    "app_widget",
];

/// The right a method needs with a community token, `None` when any token
/// may call it (`users.get`, `groups.getById`, `utils.*`).
pub(crate) fn required(method: &str) -> Option<&'static str> {
    match method {
        m if m.starts_with("messages.") => Some("messages"),
        m if m.starts_with("docs.") => Some("docs"),
        "photos.getMessagesUploadServer" | "photos.saveMessagesPhoto" => Some("photos"),
        "groups.getLongPollServer"
        | "groups.getLongPollSettings"
        | "groups.setLongPollSettings"
        | "groups.getCallbackServers"
        | "groups.getCallbackSettings"
        | "groups.setCallbackSettings"
        | "groups.getSettings"
        | "groups.setSettings" => Some("manage"),
        _ => None,
    }
}

/// A set of rights from names; an unknown name is an error naming it.
pub(crate) fn parse<S: AsRef<str>>(names: &[S]) -> Result<BTreeSet<String>, String> {
    names
        .iter()
        .map(|name| {
            let name = name.as_ref().trim();
            if TOKEN_RIGHTS.contains(&name) {
                Ok(name.to_owned())
            } else {
                Err(format!(
                    "unknown token right {name:?} (known: {})",
                    TOKEN_RIGHTS.join(", ")
                ))
            }
        })
        .collect()
}

/// The rights of every token of the communities as configured: tokens in
/// `GroupSpec::tokens` carry every right unless `GroupSpec::rights` names
/// them. Tokens are `(community index, rights)`.
pub(crate) fn configured(
    groups: &[GroupSpec],
) -> Result<BTreeMap<String, (usize, BTreeSet<String>)>, String> {
    let all: BTreeSet<String> = TOKEN_RIGHTS.iter().map(|r| (*r).to_owned()).collect();
    let mut tokens = BTreeMap::new();
    for (index, group) in groups.iter().enumerate() {
        for token in &group.tokens {
            tokens.insert(token.clone(), (index, all.clone()));
        }
        for (token, rights) in &group.rights {
            let rights = parse(rights).map_err(|e| format!("token {token:?}: {e}"))?;
            tokens.insert(token.clone(), (index, rights));
        }
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_need_their_section_right() {
        assert_eq!(required("messages.send"), Some("messages"));
        assert_eq!(
            required("messages.sendMessageEventAnswer"),
            Some("messages")
        );
        assert_eq!(required("groups.getLongPollServer"), Some("manage"));
        assert_eq!(required("photos.saveMessagesPhoto"), Some("photos"));
        assert_eq!(required("docs.save"), Some("docs"));
        assert_eq!(required("users.get"), None);
        assert_eq!(required("groups.getById"), None);
        assert_eq!(required("utils.getServerTime"), None);
    }

    #[test]
    fn listed_tokens_have_only_their_rights() {
        let group = GroupSpec::new(1, "full").with_token_rights("narrow", &["messages"]);
        let tokens = configured(&[group]).unwrap();
        assert_eq!(tokens["full"].1.len(), TOKEN_RIGHTS.len());
        assert_eq!(
            tokens["narrow"],
            (0, BTreeSet::from(["messages".to_owned()]))
        );
        let bad = GroupSpec::new(1, "t").with_token_rights("t", &["everything"]);
        assert!(configured(&[bad]).unwrap_err().contains("everything"));
    }
}
