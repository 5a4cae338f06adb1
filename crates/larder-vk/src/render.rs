//! A stored view as a VK message: plain text and an inline keyboard within VK's
//! limits (6 rows, 10 buttons, labels of 40 characters, payloads of 255
//! bytes). A view with more buttons is shown a page at a time, with ‹ › to
//! move between pages. Clients without callback buttons get text buttons
//! carrying the same payload.

use larder_ui::wire::{WireButton, WireView};
use serde_json::{Value, json};

pub const MAX_ROWS: usize = larder_ui::paging::Keys::VK.rows;
pub const MAX_BUTTONS: usize = larder_ui::paging::Keys::VK.buttons;
pub const MAX_LABEL: usize = 40;
pub const MAX_PAYLOAD: usize = 255;
/// VK's longest message.
pub const MAX_TEXT: usize = 4096;

/// What a VK button press carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// An action's wire form.
    Action(String),
    /// Another page of the current view's buttons.
    Page(usize),
    /// VK's own "Start" button.
    Start,
}

impl Payload {
    pub fn to_json(&self) -> String {
        match self {
            Payload::Action(a) => json!({ "a": a }).to_string(),
            Payload::Page(n) => json!({ "page": n }).to_string(),
            Payload::Start => json!({ "command": "start" }).to_string(),
        }
    }

    pub fn from_value(v: &Value) -> Option<Payload> {
        let v = match v {
            Value::String(s) => serde_json::from_str(s).ok()?,
            other => other.clone(),
        };
        if let Some(a) = v.get("a").and_then(Value::as_str) {
            return Some(Payload::Action(a.to_owned()));
        }
        if let Some(n) = v.get("page").and_then(Value::as_u64) {
            return usize::try_from(n).ok().map(Payload::Page);
        }
        (v.get("command").and_then(Value::as_str) == Some("start")).then_some(Payload::Start)
    }
}

/// Labels within VK's 40 characters, counted in UTF-16 units as the
/// strictest reading of VK's limit (an emoji may count as two).
fn label(text: &str) -> String {
    larder_ui::label(text)
}

/// The message text (plain; VK shows no markup), cut to VK's limit.
pub fn text(view: &WireView) -> String {
    let plain = view.text.to_plain();
    let plain = plain.trim_end();
    if plain.chars().count() <= MAX_TEXT {
        plain.to_owned()
    } else {
        let cut: String = plain.chars().take(MAX_TEXT - 1).collect();
        format!("{cut}…")
    }
}

/// Rows of buttons for page `page`, within the limits; with ‹ › when the
/// view has more than fit.
fn page_rows(view: &WireView, page: usize) -> (Vec<Vec<(String, Payload)>>, usize) {
    let rows: Vec<Vec<(String, Payload)>> = view
        .keyboard
        .iter()
        .map(|row| {
            row.iter()
                .filter_map(|b: &WireButton| {
                    b.data
                        .as_ref()
                        .map(|data| (label(&b.label), Payload::Action(data.clone())))
                })
                .take(5)
                .collect::<Vec<_>>()
        })
        .filter(|r: &Vec<_>| !r.is_empty())
        .collect();
    let buttons: usize = rows.iter().map(Vec::len).sum();
    if rows.len() <= MAX_ROWS && buttons <= MAX_BUTTONS {
        return (rows, 1);
    }
    // Pages of whole rows, leaving room for the ‹ › row.
    let mut pages: Vec<Vec<Vec<(String, Payload)>>> = vec![vec![]];
    for row in rows {
        let current = pages.last_mut().expect("one page at least");
        let used: usize = current.iter().map(Vec::len).sum();
        if current.len() + 1 > MAX_ROWS - 1 || used + row.len() > MAX_BUTTONS - 2 {
            pages.push(vec![row]);
        } else {
            current.push(row);
        }
    }
    let count = pages.len();
    let page = page.min(count - 1);
    let mut out = pages.swap_remove(page);
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(("‹".to_owned(), Payload::Page(page - 1)));
    }
    if page + 1 < count {
        nav.push(("›".to_owned(), Payload::Page(page + 1)));
    }
    out.push(nav);
    (out, count)
}

/// What a person's VK client can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    /// Callback buttons (else text buttons, which send their label).
    pub callbacks: bool,
    /// Keyboards under a message (else the keyboard under the input box).
    pub inline: bool,
}

impl Client {
    pub const FULL: Client = Client {
        callbacks: true,
        inline: true,
    };
}

/// The keyboard JSON for `messages.send`/`edit`; `None` without buttons.
/// A client without inline keyboards gets the same buttons under its input
/// box, as text buttons.
pub fn keyboard(view: &WireView, page: usize, client: Client) -> Option<String> {
    let (rows, _) = page_rows(view, page);
    if rows.iter().all(Vec::is_empty) {
        return None;
    }
    let kind = if client.callbacks && client.inline {
        "callback"
    } else {
        "text"
    };
    let buttons: Vec<Vec<Value>> = rows
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|row| {
            row.into_iter()
                .map(|(label, payload)| {
                    json!({
                        "action": {
                            "type": kind,
                            "label": label,
                            "payload": payload.to_json(),
                        }
                    })
                })
                .collect()
        })
        .collect();
    Some(if client.inline {
        json!({ "inline": true, "buttons": buttons }).to_string()
    } else {
        json!({ "one_time": false, "buttons": buttons }).to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use larder_ui::{Action, ShopAction};

    fn view_with(buttons: usize) -> WireView {
        let mut v = larder_ui::View::default();
        v.text.plain("Menu");
        for n in 0..buttons {
            v.button(
                format!("Item {n}"),
                Action::Shop(ShopAction::MyOrders(u32::try_from(n).unwrap())),
            );
        }
        WireView::from(&v)
    }

    fn counts(json: &str) -> (usize, usize) {
        let v: Value = serde_json::from_str(json).unwrap();
        let rows = v["buttons"].as_array().unwrap();
        (
            rows.len(),
            rows.iter().map(|r| r.as_array().unwrap().len()).sum(),
        )
    }

    #[test]
    fn small_views_fit_as_they_are() {
        let k = keyboard(&view_with(4), 0, Client::FULL).unwrap();
        assert_eq!(counts(&k), (4, 4));
        assert!(k.contains("\"callback\""));
    }

    #[test]
    fn large_views_page_within_vk_limits() {
        let v = view_with(23);
        let mut seen = 0;
        for page in 0..10 {
            let k = keyboard(&v, page, Client::FULL).unwrap();
            let (rows, buttons) = counts(&k);
            assert!(
                rows <= MAX_ROWS && buttons <= MAX_BUTTONS,
                "page {page}: {rows}/{buttons}"
            );
            let json: Value = serde_json::from_str(&k).unwrap();
            for b in json["buttons"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|r| r.as_array().unwrap())
            {
                let payload = b["action"]["payload"].as_str().unwrap();
                assert!(payload.len() <= MAX_PAYLOAD);
                assert!(
                    b["action"]["label"]
                        .as_str()
                        .unwrap()
                        .encode_utf16()
                        .count()
                        <= MAX_LABEL
                );
                if payload.contains("\"a\"") {
                    seen += 1;
                }
            }
            if !k.contains('›') {
                break;
            }
        }
        assert_eq!(seen, 23, "every button is on some page");
    }

    #[test]
    fn payloads_round_trip_and_text_buttons_carry_them_too() {
        let wire = Action::Shop(ShopAction::CartAdd(larder_core::ProductId::new(42))).encode();
        let p = Payload::Action(wire.clone());
        assert_eq!(Payload::from_value(&Value::String(p.to_json())), Some(p));
        assert_eq!(
            Payload::from_value(&json!({ "command": "start" })),
            Some(Payload::Start)
        );
        let text_only = Client {
            callbacks: false,
            inline: true,
        };
        let k = keyboard(&view_with(1), 0, text_only).unwrap();
        assert!(k.contains("\"text\"") && !k.contains("callback"));
        // Without inline keyboards: the keyboard under the input box.
        let old = Client {
            callbacks: true,
            inline: false,
        };
        let k: Value = serde_json::from_str(&keyboard(&view_with(1), 0, old).unwrap()).unwrap();
        assert_eq!(k["inline"], Value::Null);
        assert_eq!(k["one_time"], false);
        assert_eq!(k["buttons"][0][0]["action"]["type"], "text");
        let long = label(&"я".repeat(64));
        assert_eq!(long.chars().count(), MAX_LABEL);
        // "🔗" is two UTF-16 units: 39 letters and it make 41, so it is cut.
        let linked = label(&format!("🔗{}", "a".repeat(39)));
        assert!(linked.encode_utf16().count() <= MAX_LABEL, "{linked}");
        assert!(linked.ends_with('…'));
    }
}
