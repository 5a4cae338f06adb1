//! `groups.getLongPollServer` and `users.get`.

use serde_json::{Value, json};

use super::{Call, MethodResult, VkError};
use crate::state::default_user;

/// `groups.getLongPollServer`: a fresh key, the long-poll URL on this
/// emulator and the current `ts` (the number of the newest event), all
/// strings as in `groups_long_poll_server`.
pub(crate) fn get_long_poll_server(call: &Call<'_>) -> MethodResult {
    let group_id = call
        .params
        .int("group_id")?
        .ok_or_else(|| VkError::param("group_id is undefined"))?;
    if group_id != call.group_id() {
        return Err(VkError::with_detail(15, "no access to call this method"));
    }
    let mut world = call.app.lock();
    let key = world.new_key(call.group);
    let ts = world.groups[call.group].log.head;
    Ok(json!({
        "key": key,
        "server": format!("{}/longpoll/{group_id}", call.app.base_url),
        "ts": ts.to_string(),
    }))
}

/// `users.get`: `user_ids` (numbers or `id123`), `fields` (`screen_name` is
/// filled; other fields are left out). People the emulator has not met are
/// "User {id}".
pub(crate) fn users_get(call: &Call<'_>) -> MethodResult {
    let p = call.params;
    let ids: Vec<i64> = p
        .get("user_ids")
        .or_else(|| p.get("user_id"))
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.strip_prefix("id")
                .unwrap_or(s)
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| VkError::new(113))
        })
        .collect::<Result<_, _>>()?;
    let fields: Vec<&str> = p
        .get("fields")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    let world = call.app.lock();
    let users: Vec<Value> = ids
        .iter()
        .map(|id| {
            let user = world
                .users
                .get(id)
                .cloned()
                .unwrap_or_else(|| default_user(*id));
            let mut item = json!({
                "id": user.id,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "can_access_closed": true,
                "is_closed": false,
            });
            if fields.contains(&"screen_name") {
                item["screen_name"] = Value::String(format!("id{}", user.id));
            }
            item
        })
        .collect();
    Ok(Value::Array(users))
}
