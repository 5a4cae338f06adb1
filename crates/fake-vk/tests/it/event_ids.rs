//! Event ids are random like VK's: every update's `event_id` is 40
//! lowercase hex digits, a callback press's `object.event_id` 12; none
//! repeats, none follows from the one before, and another emulator hands
//! out others.

use std::collections::HashSet;

use serde_json::Value;

use crate::common::{all_events, keyboard, send_keyboard, start, started_user};

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

fn ids_of(events: &[Value], pick: impl Fn(&Value) -> Option<&str>) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| pick(e).map(str::to_owned))
        .collect()
}

/// The first 16 hex digits as a number.
fn head(id: &str) -> i128 {
    i128::from(u64::from_str_radix(&id[..16], 16).expect("hex"))
}

#[tokio::test]
async fn event_ids_are_random_unique_and_shaped_like_vks() {
    let (vk, ctl) = start().await;
    started_user(&ctl, 42).await;
    for n in 0..20 {
        ctl.send_text(42, &format!("message {n}")).await;
    }
    let keys = keyboard(true, &[&[("callback", "Accept", r#"{"a":1}"#)]]);
    send_keyboard(&vk, 42, "Order", keys).await;
    let mut pressed = Vec::new();
    for _ in 0..5 {
        let press = ctl.press(42, "Accept").await.expect("pressed");
        pressed.push(press.callback_event_id.expect("a callback event id"));
    }
    ctl.block(42).await;
    ctl.allow(42).await;
    let events = all_events(&vk).await;
    assert_eq!(events.len(), 1 + 20 + 5 + 2);
    let ids = ids_of(&events, |e| e["event_id"].as_str());
    assert_eq!(ids.len(), events.len(), "every update has an event_id");
    assert!(ids.iter().all(|id| is_hex(id, 40)), "{ids:?}");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    let steps: HashSet<i128> = ids.windows(2).map(|w| head(&w[1]) - head(&w[0])).collect();
    assert!(steps.len() > 1, "ids do not grow by a fixed step: {ids:?}");
    assert!(!steps.contains(&1) && !steps.contains(&-1), "{ids:?}");
    let callbacks = ids_of(&events, |e| e["object"]["event_id"].as_str());
    assert_eq!(callbacks, pressed);
    assert!(callbacks.iter().all(|id| is_hex(id, 12)), "{callbacks:?}");
    assert_eq!(callbacks.iter().collect::<HashSet<_>>().len(), 5);

    let (other, other_ctl) = start().await;
    started_user(&other_ctl, 42).await;
    let theirs = all_events(&other).await;
    assert_ne!(
        theirs[0]["event_id"], events[0]["event_id"],
        "the same first event in another emulator has another id"
    );
}
