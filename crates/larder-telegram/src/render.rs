//! `View` → Telegram: HTML text with every piece of user text escaped, and an
//! inline keyboard whose buttons carry encoded actions.

use larder_ui::view::{Style, Target};
use larder_ui::{Text, View};
use serde::{Deserialize, Serialize};
use teloxide_core::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Telegram's limit on a message's visible characters.
pub const MAX_CHARS: usize = 4096;

/// A message ready to send: what the outbox stores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rendered {
    pub html: String,
    pub markup: InlineKeyboardMarkup,
    /// A keyboard under the typing field, for messages that are sent (not edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under: Option<Under>,
    /// A photo (file id) the text is the caption of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

/// The keyboard under the typing field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Under {
    /// One button that shares the person's own phone number.
    ShareContact(String),
    /// Take such a keyboard away.
    Remove,
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders styled text as Telegram HTML, cut to fit 4096 visible characters
/// (paging keeps views far below that; the cut is a last safety net).
pub fn html(text: &Text) -> String {
    let mut out = String::new();
    let mut budget = MAX_CHARS;
    for span in &text.spans {
        if budget == 0 {
            break;
        }
        let len = span.text.chars().count();
        let content: String = if len > budget {
            let mut cut: String = span.text.chars().take(budget.saturating_sub(1)).collect();
            cut.push('…');
            cut
        } else {
            span.text.clone()
        };
        budget = budget.saturating_sub(len.min(budget));
        let escaped = escape(&content);
        let (open, close) = match span.style {
            Style::Plain => ("", ""),
            Style::Bold => ("<b>", "</b>"),
            Style::Italic => ("<i>", "</i>"),
            Style::Code => ("<code>", "</code>"),
        };
        out.push_str(open);
        out.push_str(&escaped);
        out.push_str(close);
    }
    if out.trim().is_empty() {
        // Telegram refuses empty messages; a view always says something.
        out = "…".into();
    }
    out
}

pub fn render(view: &View) -> Rendered {
    let rows = view
        .keyboard
        .iter()
        .map(|row| {
            row.iter()
                .filter_map(|b| match &b.target {
                    Target::Action(a) => {
                        Some(InlineKeyboardButton::callback(b.label.clone(), a.encode()))
                    }
                    Target::Url(u) => u
                        .parse()
                        .ok()
                        .map(|url| InlineKeyboardButton::url(b.label.clone(), url)),
                })
                .collect::<Vec<_>>()
        })
        .filter(|row: &Vec<_>| !row.is_empty())
        .collect::<Vec<_>>();
    let under = view.reply_keyboard.as_ref().map(|k| match k {
        larder_ui::view::ReplyKeyboard::ShareContact(label) => Under::ShareContact(label.clone()),
        larder_ui::view::ReplyKeyboard::Remove => Under::Remove,
    });
    Rendered {
        html: html(&view.text),
        markup: InlineKeyboardMarkup::new(rows),
        under,
        photo: view.photo.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use larder_ui::Action;

    #[test]
    fn user_text_is_escaped_inside_styles() {
        let mut t = Text::new();
        t.bold("Brie <&> \"Camembert\"").plain(" & co");
        assert_eq!(
            html(&t),
            "<b>Brie &lt;&amp;&gt; &quot;Camembert&quot;</b> &amp; co"
        );
    }

    #[test]
    fn overlong_text_is_cut_to_the_limit() {
        let mut t = Text::new();
        t.plain("я".repeat(5000));
        let out = html(&t);
        assert_eq!(out.chars().count(), MAX_CHARS);
        assert!(out.ends_with('…'));
    }

    #[test]
    fn buttons_carry_encoded_actions() {
        let mut v = View::default();
        v.text.plain("x");
        v.button("Menu", Action::Menu);
        let r = render(&v);
        let json = serde_json::to_value(&r.markup).unwrap();
        assert_eq!(json["inline_keyboard"][0][0]["callback_data"], "1m");
    }
}
