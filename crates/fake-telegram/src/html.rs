//! `parse_mode=HTML`, parsed the way Telegram (tdlib) parses it: the same tag
//! set, the same entity decoding and the same error messages. Errors are the
//! part after `Bad Request: can't parse entities: `.
//!
//! One deliberate difference: Telegram keeps a stray `&` that does not start
//! a known entity as text; the Bot API documentation requires it to be
//! escaped, and so does the emulator (it catches unescaped user text).

use crate::text::{Entity, FormattedText};

const TAGS: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "span",
    "pre",
    "code",
    "blockquote",
];

struct Open {
    tag: String,
    argument: String,
    expandable: bool,
    offset16: usize,
    byte_in_result: usize,
}

/// Parses Telegram HTML into plain text and entities.
pub(crate) fn parse(src: &str) -> Result<FormattedText, String> {
    let b = src.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut out = String::with_capacity(src.len());
    let mut offset16 = 0usize;
    let mut entities: Vec<Entity> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        if c == b'&' {
            match decode_entity(b, i) {
                Some((ch, next)) => {
                    out.push(ch);
                    offset16 += ch.len_utf16();
                    i = next;
                    continue;
                }
                None => return Err(format!("Unescaped \"&\" at byte offset {i}")),
            }
        }
        if c != b'<' {
            let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(ch);
            offset16 += ch.len_utf16();
            i += ch.len_utf8().max(1);
            continue;
        }
        let begin = i;
        i += 1;
        if at(i) != b'/' {
            let name_start = i;
            while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                i += 1;
            }
            if i >= b.len() {
                return Err(format!("Unclosed start tag at byte offset {begin}"));
            }
            let tag = src[name_start..i].to_ascii_lowercase();
            if !TAGS.contains(&tag.as_str()) {
                return Err(format!(
                    "Unsupported start tag \"{tag}\" at byte offset {begin}"
                ));
            }
            let mut argument = String::new();
            let mut expandable = false;
            loop {
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                if at(i) == b'>' {
                    break;
                }
                let attr_start = i;
                while i < b.len() && !is_space(b[i]) && b[i] != b'=' && b[i] != b'>' {
                    i += 1;
                }
                let attr = src[attr_start..i].to_ascii_lowercase();
                if attr.is_empty() {
                    return Err(format!(
                        "Empty attribute name in the tag \"{tag}\" at byte offset {begin}"
                    ));
                }
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                if at(i) != b'=' {
                    if tag == "blockquote" && attr == "expandable" {
                        expandable = true;
                        continue;
                    }
                    if i >= b.len() {
                        return Err(format!("Unclosed start tag at byte offset {begin}"));
                    }
                    return Err(format!(
                        "Expected equal sign in declaration of an attribute of the tag \"{tag}\" at byte offset {begin}"
                    ));
                }
                i += 1;
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                if i >= b.len() {
                    return Err(format!(
                        "Unclosed start tag \"{tag}\" at byte offset {begin}"
                    ));
                }
                let value = if b[i] != b'\'' && b[i] != b'"' {
                    let token_start = i;
                    while i < b.len()
                        && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'-')
                    {
                        i += 1;
                    }
                    if i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                        return Err(format!(
                            "Unexpected end of name token at byte offset {token_start}"
                        ));
                    }
                    src[token_start..i].to_ascii_lowercase()
                } else {
                    let quote = b[i];
                    i += 1;
                    let mut value = String::new();
                    while i < b.len() && b[i] != quote {
                        if b[i] == b'&'
                            && let Some((ch, next)) = decode_entity(b, i)
                        {
                            value.push(ch);
                            i = next;
                            continue;
                        }
                        let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
                        value.push(ch);
                        i += ch.len_utf8().max(1);
                    }
                    if i < b.len() {
                        i += 1;
                    }
                    value
                };
                if i >= b.len() {
                    return Err(format!("Unclosed start tag at byte offset {begin}"));
                }
                match (tag.as_str(), attr.as_str()) {
                    ("a", "href") | ("tg-emoji", "emoji-id") => argument = value,
                    ("code", "class") if value.starts_with("language-") => {
                        argument = value["language-".len()..].to_owned();
                    }
                    ("span", "class") if value.starts_with("tg-") => {
                        argument = value["tg-".len()..].to_owned();
                    }
                    ("blockquote", "expandable") => expandable = true,
                    _ => {}
                }
            }
            i += 1; // '>'
            if tag == "span" && argument != "spoiler" {
                return Err(format!(
                    "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
                ));
            }
            if tag == "tg-emoji" && argument.is_empty() {
                return Err(format!(
                    "Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset {begin}"
                ));
            }
            stack.push(Open {
                tag,
                argument,
                expandable,
                offset16,
                byte_in_result: out.len(),
            });
        } else {
            let Some(open) = stack.pop() else {
                return Err(format!("Unexpected end tag at byte offset {begin}"));
            };
            i += 1;
            let name_start = i;
            while i < b.len() && b[i] != b'>' {
                i += 1;
            }
            if i >= b.len() {
                return Err(format!("Unclosed end tag at byte offset {begin}"));
            }
            let end_tag = src[name_start..i].trim().to_ascii_lowercase();
            i += 1;
            if !end_tag.is_empty() && end_tag != open.tag {
                return Err(format!(
                    "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{end_tag}>\"",
                    open.tag
                ));
            }
            if offset16 > open.offset16 {
                close_entity(&mut entities, open, offset16, &out);
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            open.tag
        ));
    }
    for e in entities.iter_mut().filter(|e| e.kind == "code") {
        e.extra.remove("language");
    }
    entities.sort_by(|a, b| a.offset.cmp(&b.offset).then(b.length.cmp(&a.length)));
    Ok(FormattedText {
        text: out,
        entities,
    })
}

fn close_entity(entities: &mut Vec<Entity>, open: Open, end16: usize, out: &str) {
    let offset = open.offset16;
    let length = end16 - offset;
    let simple = |kind: &str| Entity::new(kind, offset, length);
    let entity = match open.tag.as_str() {
        "b" | "strong" => simple("bold"),
        "i" | "em" => simple("italic"),
        "u" | "ins" => simple("underline"),
        "s" | "strike" | "del" => simple("strikethrough"),
        "tg-spoiler" | "span" => simple("spoiler"),
        "tg-emoji" => simple("custom_emoji").with("custom_emoji_id", open.argument),
        "blockquote" if open.expandable => simple("expandable_blockquote"),
        "blockquote" => simple("blockquote"),
        "a" => {
            let href = if open.argument.is_empty() {
                out[open.byte_in_result..].to_owned()
            } else {
                open.argument
            };
            match check_url(&href) {
                Some(url) => simple("text_link").with("url", url),
                None => return,
            }
        }
        "pre" => {
            if let Some(last) = entities.last_mut()
                && last.kind == "code"
                && last.offset == offset
                && last.length == length
                && last.extra.contains_key("language")
            {
                last.kind = "pre".into();
                return;
            }
            simple("pre")
        }
        "code" => {
            if let Some(last) = entities.last_mut()
                && last.kind == "pre"
                && last.offset == offset
                && last.length == length
                && !open.argument.is_empty()
            {
                last.extra.insert("language".into(), open.argument.into());
                return;
            }
            let code = simple("code");
            if open.argument.is_empty() {
                code
            } else {
                // Kept until the enclosing <pre> closes; dropped at the end.
                code.with("language", open.argument)
            }
        }
        _ => return,
    };
    entities.push(entity);
}

/// Telegram accepts `example.com` and makes it `http://example.com/`.
fn check_url(href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let candidate =
        if href.contains("://") || href.starts_with("tg:") || href.starts_with("mailto:") {
            href.to_owned()
        } else {
            format!("http://{href}")
        };
    reqwest::Url::parse(&candidate).ok().map(|u| u.to_string())
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c')
}

/// `&lt;` `&gt;` `&amp;` `&quot;` `&#NN;` `&#xHH;` (the `;` is optional, as in
/// Telegram). Returns the character and the index after the entity.
fn decode_entity(b: &[u8], pos: usize) -> Option<(char, usize)> {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut end = pos + 1;
    let code: u32 = if at(end) == b'#' {
        end += 1;
        let hex = at(end) == b'x' || at(end) == b'X';
        if hex {
            end += 1;
        }
        let digits_start = end;
        let mut value: u32 = 0;
        while (hex && at(end).is_ascii_hexdigit()) || (!hex && at(end).is_ascii_digit()) {
            let digit = char::from(at(end)).to_digit(16)?;
            value = value
                .checked_mul(if hex { 16 } else { 10 })?
                .checked_add(digit)?;
            if value >= 0x10ffff {
                return None;
            }
            end += 1;
        }
        if end == digits_start || value == 0 || end - pos >= 10 {
            return None;
        }
        value
    } else {
        while at(end).is_ascii_alphabetic() {
            end += 1;
        }
        match &b[pos + 1..end] {
            b"lt" => u32::from('<'),
            b"gt" => u32::from('>'),
            b"amp" => u32::from('&'),
            b"quot" => u32::from('"'),
            _ => return None,
        }
    };
    if at(end) == b';' {
        end += 1;
    }
    char::from_u32(code).map(|ch| (ch, end))
}

#[cfg(test)]
mod tests;
