//! Formatted text: plain text plus entities with offsets in UTF-16 code
//! units, as Telegram stores it.

use serde_json::{Map, Value, json};

/// One message entity (`bold`, `text_link`, `bot_command`, ...).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entity {
    pub kind: String,
    pub offset: usize,
    pub length: usize,
    /// Type-specific fields: `url`, `language`, `custom_emoji_id`, `user`.
    pub extra: Map<String, Value>,
}

impl Entity {
    pub(crate) fn new(kind: &str, offset: usize, length: usize) -> Self {
        Self {
            kind: kind.to_owned(),
            offset,
            length,
            extra: Map::new(),
        }
    }

    pub(crate) fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_owned(), value.into());
        self
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("type".into(), json!(self.kind));
        obj.insert("offset".into(), json!(self.offset));
        obj.insert("length".into(), json!(self.length));
        for (k, v) in &self.extra {
            obj.insert(k.clone(), v.clone());
        }
        Value::Object(obj)
    }

    /// Reads an entity given by the bot in `entities` / `caption_entities`.
    pub(crate) fn from_json(value: &Value) -> Option<Self> {
        let obj = value.as_object()?;
        let kind = obj.get("type")?.as_str()?.to_owned();
        let offset = usize::try_from(obj.get("offset")?.as_u64()?).ok()?;
        let length = usize::try_from(obj.get("length")?.as_u64()?).ok()?;
        let extra = obj
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "type" | "offset" | "length"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Some(Self {
            kind,
            offset,
            length,
            extra,
        })
    }
}

/// Text as a person sees it, plus its entities.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FormattedText {
    pub text: String,
    pub entities: Vec<Entity>,
}

impl FormattedText {
    pub(crate) fn plain(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            entities: Vec::new(),
        }
    }

    pub(crate) fn entities_json(&self) -> Value {
        Value::Array(self.entities.iter().map(Entity::to_json).collect())
    }

    /// Length in characters (code points), the unit of Telegram's limits.
    pub(crate) fn char_len(&self) -> usize {
        self.text.chars().count()
    }

    /// Strips leading and trailing whitespace like Telegram does, moving and
    /// clipping the entities; entities left empty are dropped.
    pub(crate) fn trimmed(self) -> Self {
        let lead: String = self
            .text
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        let body = self.text[lead.len()..].trim_end();
        let lead16 = utf16_len(&lead);
        let end16 = lead16 + utf16_len(body);
        let entities = self
            .entities
            .into_iter()
            .filter_map(|mut e| {
                let start = e.offset.clamp(lead16, end16);
                let end = (e.offset + e.length).clamp(lead16, end16);
                if end <= start {
                    return None;
                }
                e.offset = start - lead16;
                e.length = end - start;
                Some(e)
            })
            .collect();
        Self {
            text: body.to_owned(),
            entities,
        }
    }

    /// Drops entities that do not fit the text (bot-supplied entities).
    pub(crate) fn clip_entities(mut self) -> Self {
        let len = utf16_len(&self.text);
        self.entities
            .retain(|e| e.length > 0 && e.offset.saturating_add(e.length) <= len);
        self
    }
}

pub(crate) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `bot_command` entities of text a user typed: `/cmd`, `/cmd@bot_name`,
/// at the start of the text or after whitespace.
pub(crate) fn command_entities(text: &str) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut offset16 = 0;
    let mut prev_space = true;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (byte, c) = chars[i];
        if c == '/' && prev_space {
            let rest = &text[byte + 1..];
            let name = word_len(rest);
            if (1..=64).contains(&name) {
                let mut len = 1 + name;
                let after = &rest[name..];
                if let Some(user) = after.strip_prefix('@') {
                    let user_len = word_len(user);
                    if user_len >= 3 {
                        len += 1 + user_len;
                    }
                }
                let next = text[byte + len..].chars().next();
                if next.is_none_or(|n| !n.is_alphanumeric() && n != '/') {
                    out.push(Entity::new("bot_command", offset16, len));
                    offset16 += len;
                    i += len;
                    prev_space = false;
                    continue;
                }
            }
        }
        offset16 += c.len_utf16();
        prev_space = c.is_whitespace();
        i += 1;
    }
    out
}

fn word_len(s: &str) -> usize {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_found_with_and_without_bot_name() {
        let e = command_entities("/start abc");
        assert_eq!(e, vec![Entity::new("bot_command", 0, 6)]);
        let e = command_entities("/order@larder_bot 5");
        assert_eq!(e, vec![Entity::new("bot_command", 0, 17)]);
        let e = command_entities("привет /help");
        assert_eq!(e, vec![Entity::new("bot_command", 7, 5)]);
        assert!(command_entities("a/b").is_empty());
        assert!(command_entities("/ x").is_empty());
    }

    #[test]
    fn trimming_moves_entities() {
        let t = FormattedText {
            text: "  hi there \n".into(),
            entities: vec![Entity::new("bold", 0, 4), Entity::new("italic", 10, 2)],
        }
        .trimmed();
        assert_eq!(t.text, "hi there");
        assert_eq!(t.entities, vec![Entity::new("bold", 0, 2)]);
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        assert_eq!(utf16_len("a😀"), 3);
    }
}
