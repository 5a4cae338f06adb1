use super::*;

fn ok(src: &str) -> FormattedText {
    parse(src).unwrap_or_else(|e| panic!("{src:?}: {e}"))
}

fn kinds(t: &FormattedText) -> Vec<(String, usize, usize)> {
    t.entities
        .iter()
        .map(|e| (e.kind.clone(), e.offset, e.length))
        .collect()
}

#[test]
fn tags_become_entities_with_utf16_offsets() {
    let t = ok("😀 <b>Hi</b> <i>there</i>");
    assert_eq!(t.text, "😀 Hi there");
    assert_eq!(
        kinds(&t),
        vec![("bold".into(), 3, 2), ("italic".into(), 6, 5)]
    );
}

#[test]
fn escapes_are_decoded() {
    let t = ok("a &lt; b &amp;&amp; c &gt; d &quot;x&quot; &#8381; &#x41;");
    assert_eq!(t.text, "a < b && c > d \"x\" ₽ A");
}

#[test]
fn pre_with_language_and_links() {
    let t = ok("<pre><code class=\"language-rust\">fn</code></pre><a href=\"example.com\">x</a>");
    assert_eq!(t.entities[0].kind, "pre");
    assert_eq!(t.entities[0].extra["language"], "rust");
    assert_eq!(t.entities[1].extra["url"], "http://example.com/");
}

#[test]
fn spoilers_blockquotes_and_emoji() {
    let t = ok(
        "<tg-spoiler>a</tg-spoiler><span class=\"tg-spoiler\">b</span><blockquote expandable>c</blockquote><tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
    );
    let k: Vec<_> = t.entities.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        k,
        [
            "spoiler",
            "spoiler",
            "expandable_blockquote",
            "custom_emoji"
        ]
    );
}

#[test]
fn bad_markup_is_reported_like_telegram() {
    assert_eq!(
        parse("Hello, <foo>x</foo>").unwrap_err(),
        "Unsupported start tag \"foo\" at byte offset 7"
    );
    assert_eq!(
        parse("<b>bold").unwrap_err(),
        "Can't find end tag corresponding to start tag \"b\""
    );
    assert_eq!(
        parse("1 < 2").unwrap_err(),
        "Unsupported start tag \"\" at byte offset 2"
    );
    assert_eq!(
        parse("<b>x</i>").unwrap_err(),
        "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\""
    );
    assert_eq!(
        parse("x</b>").unwrap_err(),
        "Unexpected end tag at byte offset 1"
    );
    assert_eq!(
        parse("Tom & Jerry").unwrap_err(),
        "Unescaped \"&\" at byte offset 4"
    );
    assert!(parse("<span>x</span>").is_err());
}

#[test]
fn empty_tags_make_no_entities() {
    assert!(ok("<b></b>x").entities.is_empty());
}
