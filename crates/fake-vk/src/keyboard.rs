//! Bot keyboards: the `keyboard` parameter of `messages.send` and
//! `messages.edit`, parsed and checked against VK's rules. Anything VK would
//! refuse is an `Err` with the reason; the API answers it with error 911
//! ("Keyboard format is invalid").
//!
//! Limits (VK "Keyboard" docs): a standard keyboard has at most 10 rows and
//! 40 buttons, an inline one at most 6 rows and 10 buttons; a row holds at
//! most 5 buttons; a label is at most 40 characters; a payload is a JSON text
//! of at most 255 characters.
//!
//! VK does not say which "characters" it counts, so the emulator takes the
//! stricter of the plausible counts, and a keyboard it accepts is one VK
//! accepts too: labels are counted in UTF-16 code units (what VK's web and
//! JavaScript clients count: an emoji outside the Basic Multilingual Plane
//! such as 🔗 is 2, a Cyrillic letter 1), payloads in UTF-8 bytes (a
//! Cyrillic letter is 2).

use serde_json::{Map, Value};

/// Longest label, in UTF-16 code units.
pub(crate) const MAX_LABEL_UNITS: usize = 40;
/// Longest payload, in UTF-8 bytes.
pub(crate) const MAX_PAYLOAD_BYTES: usize = 255;
const MAX_PER_ROW: usize = 5;
const STANDARD: Limits = Limits {
    rows: 10,
    buttons: 40,
};
const INLINE: Limits = Limits {
    rows: 6,
    buttons: 10,
};

struct Limits {
    rows: usize,
    buttons: usize,
}

const COLORS: &[&str] = &["primary", "secondary", "negative", "positive", "default"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Keyboard {
    pub one_time: bool,
    pub inline: bool,
    pub rows: Vec<Vec<Button>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Button {
    /// `text`, `callback`, `open_link`, `location`, `vkpay` or `open_app`.
    pub kind: String,
    pub label: Option<String>,
    /// The JSON text the bot attached, as given.
    pub payload: Option<String>,
    pub link: Option<String>,
    pub color: Option<String>,
}

impl Keyboard {
    /// `{"buttons": []}`: takes the keyboard away.
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.iter().all(Vec::is_empty)
    }

    pub(crate) fn buttons(&self) -> impl Iterator<Item = &Button> {
        self.rows.iter().flatten()
    }
}

/// Parses and checks the `keyboard` parameter.
pub(crate) fn parse(text: &str) -> Result<Keyboard, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(object) = value else {
        return Err("the keyboard must be a JSON object".into());
    };
    let one_time = flag(&object, "one_time")?;
    let inline = flag(&object, "inline")?;
    let Some(Value::Array(rows)) = object.get("buttons") else {
        return Err("`buttons` must be an array of rows".into());
    };
    let limits = if inline { INLINE } else { STANDARD };
    if rows.len() > limits.rows {
        return Err(format!(
            "{} rows, at most {} allowed",
            rows.len(),
            limits.rows
        ));
    }
    let mut parsed = Vec::with_capacity(rows.len());
    for row in rows {
        let Value::Array(buttons) = row else {
            return Err("every row must be an array of buttons".into());
        };
        if buttons.is_empty() {
            return Err("a row is empty".into());
        }
        if buttons.len() > MAX_PER_ROW {
            return Err(format!("a row has {} buttons, at most 5", buttons.len()));
        }
        parsed.push(buttons.iter().map(button).collect::<Result<Vec<_>, _>>()?);
    }
    let total: usize = parsed.iter().map(Vec::len).sum();
    if total > limits.buttons {
        return Err(format!(
            "{total} buttons, at most {} allowed",
            limits.buttons
        ));
    }
    Ok(Keyboard {
        one_time: one_time && !inline,
        inline,
        rows: parsed,
    })
}

fn flag(object: &Map<String, Value>, key: &str) -> Result<bool, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(format!("`{key}` must be a boolean")),
    }
}

fn string(object: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` must be a string")),
    }
}

fn button(value: &Value) -> Result<Button, String> {
    let Value::Object(object) = value else {
        return Err("a button must be an object".into());
    };
    let Some(Value::Object(action)) = object.get("action") else {
        return Err("a button needs an `action` object".into());
    };
    let kind = string(action, "type")?.ok_or("an action needs a `type`")?;
    let label = string(action, "label")?;
    let payload = string(action, "payload")?;
    let link = string(action, "link")?;
    let color = string(object, "color")?;
    let needs_label = matches!(
        kind.as_str(),
        "text" | "callback" | "open_link" | "open_app"
    );
    match kind.as_str() {
        "text" | "callback" | "location" => {}
        "open_link" => {
            let link = link.as_deref().unwrap_or("");
            if !(link.starts_with("https://") || link.starts_with("http://")) {
                return Err("an open_link button needs an http(s) `link`".into());
            }
        }
        "vkpay" => {
            if string(action, "hash")?.is_none_or(|h| h.is_empty()) {
                return Err("a vkpay button needs a `hash`".into());
            }
        }
        "open_app" => {
            if !action.get("app_id").is_some_and(Value::is_i64) {
                return Err("an open_app button needs an integer `app_id`".into());
            }
        }
        other => return Err(format!("unknown button type {other:?}")),
    }
    let text = label.as_deref().unwrap_or("");
    if needs_label && text.is_empty() {
        return Err(format!("a {kind} button needs a `label`"));
    }
    let units = text.encode_utf16().count();
    if units > MAX_LABEL_UNITS {
        return Err(format!(
            "label {text:?} is {units} UTF-16 code units long, at most {MAX_LABEL_UNITS}"
        ));
    }
    if let Some(payload) = &payload {
        if payload.len() > MAX_PAYLOAD_BYTES {
            return Err(format!(
                "payload is {} UTF-8 bytes long, at most {MAX_PAYLOAD_BYTES}",
                payload.len()
            ));
        }
        if serde_json::from_str::<Value>(payload).is_err() {
            return Err("payload must be JSON text".into());
        }
    }
    if let Some(color) = &color
        && (!matches!(kind.as_str(), "text" | "callback") || !COLORS.contains(&color.as_str()))
    {
        return Err(format!("color {color:?} is not allowed here"));
    }
    Ok(Button {
        kind,
        label,
        payload,
        link,
        color,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(inline: bool, rows: usize, per_row: usize) -> String {
        let row: Vec<Value> = (0..per_row)
            .map(|i| json!({"action": {"type": "callback", "label": format!("b{i}"), "payload": "{}"}}))
            .collect();
        json!({ "inline": inline, "buttons": vec![row; rows] }).to_string()
    }

    #[test]
    fn inline_keyboards_take_six_rows_and_ten_buttons() {
        assert!(parse(&keys(true, 6, 1)).is_ok());
        assert!(parse(&keys(true, 7, 1)).is_err());
        assert!(parse(&keys(true, 5, 2)).is_ok());
        assert!(parse(&keys(true, 3, 4)).is_err(), "12 buttons");
    }

    #[test]
    fn standard_keyboards_take_ten_rows_and_forty_buttons() {
        assert!(parse(&keys(false, 10, 4)).is_ok());
        assert!(parse(&keys(false, 11, 1)).is_err());
        assert!(parse(&keys(false, 9, 5)).is_err(), "45 buttons");
        assert!(parse(&keys(false, 1, 6)).is_err(), "six in a row");
    }

    #[test]
    fn labels_and_payloads_are_bounded() {
        let label = |text: &str| {
            json!({"buttons": [[{"action": {"type": "text", "label": text}}]]}).to_string()
        };
        assert!(parse(&label(&"я".repeat(40))).is_ok());
        assert!(parse(&label(&"я".repeat(41))).is_err());
        assert!(parse(&label(&format!("🔗{}", "a".repeat(38)))).is_ok());
        assert!(
            parse(&label(&format!("🔗{}", "a".repeat(39)))).is_err(),
            "40 code points, 41 UTF-16 code units"
        );
        assert!(parse(&label("")).is_err());
        let payload = |p: String| {
            json!({"buttons": [[{"action": {"type": "text", "label": "x", "payload": p}}]]})
                .to_string()
        };
        let long = format!("\"{}\"", "a".repeat(253));
        assert!(parse(&payload(long.clone())).is_ok());
        assert!(parse(&payload(format!("{long}a"))).is_err());
        assert!(parse(&payload("not json".into())).is_err());
        let cyrillic = format!("\"{}\"", "я".repeat(127));
        assert!(
            parse(&payload(cyrillic)).is_err(),
            "129 characters, 256 bytes"
        );
    }

    #[test]
    fn button_types_are_checked() {
        let one = |action: Value| json!({"buttons": [[{"action": action}]]}).to_string();
        assert!(
            parse(&one(
                json!({"type": "open_link", "label": "Site", "link": "https://vk.com"})
            ))
            .is_ok()
        );
        assert!(parse(&one(json!({"type": "open_link", "label": "Site"}))).is_err());
        assert!(parse(&one(json!({"type": "location"}))).is_ok());
        assert!(parse(&one(json!({"type": "teleport", "label": "x"}))).is_err());
        assert!(
            parse(&one(
                json!({"type": "open_app", "label": "App", "app_id": 7})
            ))
            .is_ok()
        );
    }

    #[test]
    fn an_empty_button_list_removes_the_keyboard() {
        let keyboard = parse(r#"{"buttons": []}"#).unwrap();
        assert!(keyboard.is_empty());
        assert!(parse("[]").is_err());
        assert!(parse("{").is_err());
    }
}
