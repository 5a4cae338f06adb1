//! A stored view → Telegram: HTML text with every piece of user text
//! escaped, and an inline keyboard whose buttons carry encoded actions.

use larder_ui::Text;
use larder_ui::view::{ReplyKeyboard, Style};
use larder_ui::wire::WireView;
use serde_json::{Value, json};

/// Telegram's limit on a message's visible characters.
pub const MAX_CHARS: usize = 4096;

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

/// Telegram's limit on a photo's caption.
pub const MAX_CAPTION: usize = 1024;

/// Renders styled text as Telegram HTML, cut to fit 4096 visible characters
/// (paging keeps views far below that; the cut is a last safety net).
pub fn html(text: &Text) -> String {
    html_within(text, MAX_CHARS)
}

/// The same, cut to `limit` visible characters (a caption's 1024).
pub fn html_within(text: &Text, limit: usize) -> String {
    let mut out = String::new();
    let mut budget = limit;
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

/// The inline keyboard of a view (`{"inline_keyboard": [...]}`).
pub fn inline_keyboard(view: &WireView) -> Value {
    let rows: Vec<Vec<Value>> = view
        .keyboard
        .iter()
        .map(|row| {
            row.iter()
                .filter_map(|b| match (&b.data, &b.url) {
                    (Some(data), _) => Some(json!({ "text": b.label, "callback_data": data })),
                    (None, Some(url)) => Some(json!({ "text": b.label, "url": url })),
                    (None, None) => None,
                })
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect();
    json!({ "inline_keyboard": rows })
}

/// The markup of a message being sent: the keyboard under the typing field
/// when the view has one (only sent messages can carry it), else its
/// inline keyboard.
pub fn send_markup(view: &WireView) -> Value {
    match &view.reply_keyboard {
        Some(ReplyKeyboard::ShareContact(label)) => json!({
            "keyboard": [[{ "text": label, "request_contact": true }]],
            "resize_keyboard": true,
            "one_time_keyboard": true,
        }),
        Some(ReplyKeyboard::Remove) => json!({ "remove_keyboard": true }),
        None => inline_keyboard(view),
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
        let mut v = larder_ui::View::default();
        v.text.plain("x");
        v.button("Menu", Action::Menu);
        let json = inline_keyboard(&WireView::from(&v));
        assert_eq!(json["inline_keyboard"][0][0]["callback_data"], "1m");
        assert_eq!(json["inline_keyboard"][0][0]["text"], "Menu");
    }

    #[test]
    fn a_share_contact_keyboard_goes_under_the_typing_field() {
        let mut v = larder_ui::View::default();
        v.text.plain("Your phone?");
        v.reply_keyboard = Some(ReplyKeyboard::ShareContact("📱 Share".into()));
        let json = send_markup(&WireView::from(&v));
        assert_eq!(json["keyboard"][0][0]["request_contact"], true);
    }
}
