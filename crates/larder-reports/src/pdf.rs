//! PDF written by hand: A4 pages of text and rules, with DejaVu Sans (regular
//! and bold) embedded so Cyrillic prints the same on any machine. Each font
//! is a Type0 font over a CIDFontType2 with Identity-H encoding (text is
//! written as glyph ids), a width for every glyph used, and a ToUnicode map
//! so the text can be searched and copied.
//!
//! Lengths are integers in thousandths of a point, so the layout needs no
//! floating point; widths come from the font's advances.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A4, in thousandths of a point.
pub(crate) const PAGE_WIDTH: i64 = 595_276;
pub(crate) const PAGE_HEIGHT: i64 = 841_890;

/// Which face.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

struct Font {
    face: ttf_parser::Face<'static>,
    data: &'static [u8],
    /// Glyphs used, with the character each stands for.
    used: BTreeMap<u16, char>,
}

impl Font {
    fn new(data: &'static [u8]) -> Font {
        let face = ttf_parser::Face::parse(data, 0).expect("the embedded font parses");
        Font {
            face,
            data,
            used: BTreeMap::new(),
        }
    }

    fn glyph(&self, c: char) -> u16 {
        self.face
            .glyph_index(c)
            .or_else(|| self.face.glyph_index('?'))
            .map_or(0, |g| g.0)
    }

    /// Advance of a glyph in 1/1000 of the font size.
    fn advance(&self, glyph: u16) -> i64 {
        let units = i64::from(self.face.units_per_em()).max(1);
        let advance = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .map_or(0, i64::from);
        advance * 1000 / units
    }

    /// The width of `text` at `size` (both in thousandths of a point).
    fn width(&self, text: &str, size: i64) -> i64 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)) * size / 1000)
            .sum()
    }

    /// The text as a hex string of glyph ids, noting the glyphs used.
    fn encode(&mut self, text: &str) -> String {
        let mut hex = String::with_capacity(text.len() * 4 + 2);
        hex.push('<');
        for c in text.chars() {
            let g = self.glyph(c);
            self.used.entry(g).or_insert(c);
            hex.push_str(&format!("{g:04X}"));
        }
        hex.push('>');
        hex
    }
}

/// A document being drawn, page by page.
pub(crate) struct Doc {
    fonts: [Font; 2],
    pages: Vec<Vec<u8>>,
    current: Vec<u8>,
}

/// `1234567` thousandths as `"1234.567"`.
fn num(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

impl Doc {
    pub(crate) fn new() -> Doc {
        Doc {
            fonts: [Font::new(REGULAR), Font::new(BOLD)],
            pages: Vec::new(),
            current: Vec::new(),
        }
    }

    fn font(&self, weight: Weight) -> &Font {
        match weight {
            Weight::Regular => &self.fonts[0],
            Weight::Bold => &self.fonts[1],
        }
    }

    /// The width of `text` in `weight` at `size`.
    pub(crate) fn width(&self, text: &str, weight: Weight, size: i64) -> i64 {
        self.font(weight).width(text, size)
    }

    /// `text` cut (with "…") to fit `width`.
    pub(crate) fn fit(&self, text: &str, weight: Weight, size: i64, width: i64) -> String {
        if self.width(text, weight, size) <= width {
            return text.to_owned();
        }
        let mut out = String::new();
        for c in text.chars() {
            let candidate = format!("{out}{c}…");
            if self.width(&candidate, weight, size) > width {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }

    /// Text with its baseline's left end at (`x`, `y`) from the page's
    /// bottom left.
    pub(crate) fn text(&mut self, x: i64, y: i64, weight: Weight, size: i64, text: &str) {
        if text.is_empty() {
            return;
        }
        let (name, font) = match weight {
            Weight::Regular => ("F1", &mut self.fonts[0]),
            Weight::Bold => ("F2", &mut self.fonts[1]),
        };
        // Line breaks and other controls print as spaces, not as "?".
        let text: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let hex = font.encode(&text);
        let op = format!(
            "BT /{name} {} Tf 1 0 0 1 {} {} Tm {hex} Tj ET\n",
            num(size),
            num(x),
            num(y)
        );
        self.current.extend_from_slice(op.as_bytes());
    }

    /// Text whose right end is at `right`.
    pub(crate) fn text_right(&mut self, right: i64, y: i64, weight: Weight, size: i64, text: &str) {
        let x = right - self.width(text, weight, size);
        self.text(x, y, weight, size, text);
    }

    /// A thin horizontal rule.
    pub(crate) fn rule(&mut self, x1: i64, x2: i64, y: i64) {
        let op = format!(
            "0.5 w {} {} m {} {} l S\n",
            num(x1),
            num(y),
            num(x2),
            num(y)
        );
        self.current.extend_from_slice(op.as_bytes());
    }

    /// A small empty box (to tick or to write in by hand).
    pub(crate) fn boxed(&mut self, x: i64, y: i64, w: i64, h: i64) {
        let op = format!("0.5 w {} {} {} {} re S\n", num(x), num(y), num(w), num(h));
        self.current.extend_from_slice(op.as_bytes());
    }

    /// Ends the page being drawn; the next drawing goes on a new one.
    pub(crate) fn new_page(&mut self) {
        let page = std::mem::take(&mut self.current);
        self.pages.push(page);
    }

    /// The finished file.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        if !self.current.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let mut w = Writer::default();
        w.out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        // 1: catalog, 2: pages; fonts and pages follow.
        let pages_id = 2;
        let mut font_ids = Vec::new();
        for font in &self.fonts {
            font_ids.push(w.font(font));
        }
        let mut page_ids = Vec::new();
        for content in &self.pages {
            let stream = w.stream(content, "");
            let id = w.object(&format!(
                "<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {} {}] \
                 /Resources << /Font << /F1 {} 0 R /F2 {} 0 R >> >> /Contents {stream} 0 R >>",
                num(PAGE_WIDTH),
                num(PAGE_HEIGHT),
                font_ids[0],
                font_ids[1]
            ));
            page_ids.push(id);
        }
        let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
        w.set(
            pages_id,
            &format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                page_ids.len()
            ),
        );
        w.set(1, &format!("<< /Type /Catalog /Pages {pages_id} 0 R >>"));
        w.end()
    }
}

/// Objects written in any order, then the cross-reference table.
struct Writer {
    out: Vec<u8>,
    /// Byte offset of each object (index = id − 1).
    offsets: Vec<Option<usize>>,
}

impl Default for Writer {
    fn default() -> Writer {
        Writer {
            out: Vec::new(),
            // 1 and 2 (catalog, pages) are written last.
            offsets: vec![None, None],
        }
    }
}

impl Writer {
    fn reserve(&mut self) -> usize {
        self.offsets.push(None);
        self.offsets.len()
    }

    fn set(&mut self, id: usize, body: &str) {
        self.offsets[id - 1] = Some(self.out.len());
        self.out
            .extend_from_slice(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes());
    }

    fn object(&mut self, body: &str) -> usize {
        let id = self.reserve();
        self.set(id, body);
        id
    }

    /// A compressed stream object; `extra`: more dictionary entries.
    fn stream(&mut self, data: &[u8], extra: &str) -> usize {
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        let packed = match z.write_all(data).and_then(|()| z.finish()) {
            Ok(packed) => packed,
            // Writing to memory does not fail; keep the data uncompressed if it did.
            Err(_) => return self.raw_stream(data, extra),
        };
        let id = self.reserve();
        self.offsets[id - 1] = Some(self.out.len());
        self.out.extend_from_slice(
            format!(
                "{id} 0 obj\n<< /Length {} /Filter /FlateDecode {extra} >>\nstream\n",
                packed.len()
            )
            .as_bytes(),
        );
        self.out.extend_from_slice(&packed);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
        id
    }

    fn raw_stream(&mut self, data: &[u8], extra: &str) -> usize {
        let id = self.reserve();
        self.offsets[id - 1] = Some(self.out.len());
        self.out.extend_from_slice(
            format!("{id} 0 obj\n<< /Length {} {extra} >>\nstream\n", data.len()).as_bytes(),
        );
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
        id
    }

    /// The font's objects; returns the Type0 font's id.
    fn font(&mut self, font: &Font) -> usize {
        let face = &font.face;
        let units = i64::from(face.units_per_em()).max(1);
        let scale = |v: i64| v * 1000 / units;
        let name = if std::ptr::eq(font.data, BOLD) {
            "DejaVuSans-Bold"
        } else {
            "DejaVuSans"
        };
        let file = self.stream(font.data, &format!("/Length1 {}", font.data.len()));
        let bbox = face.global_bounding_box();
        let descriptor = self.object(&format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{} {} {} {}] \
             /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {file} 0 R >>",
            scale(i64::from(bbox.x_min)),
            scale(i64::from(bbox.y_min)),
            scale(i64::from(bbox.x_max)),
            scale(i64::from(bbox.y_max)),
            scale(i64::from(face.ascender())),
            scale(i64::from(face.descender())),
            scale(i64::from(face.capital_height().unwrap_or(face.ascender()))),
        ));
        let widths: Vec<String> = font
            .used
            .keys()
            .map(|g| format!("{g} [{}]", font.advance(*g)))
            .collect();
        let cid = self.object(&format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor {descriptor} 0 R /W [{}] /CIDToGIDMap /Identity >>",
            widths.join(" ")
        ));
        let to_unicode = self.stream(to_unicode(&font.used).as_bytes(), "");
        self.object(&format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
             /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
        ))
    }

    fn end(mut self) -> Vec<u8> {
        let xref = self.out.len();
        let count = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {count}\n0000000000 65535 f \n");
        for offset in &self.offsets {
            table.push_str(&format!("{:010} 00000 n \n", offset.unwrap_or(0)));
        }
        table.push_str(&format!(
            "trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        ));
        self.out.extend_from_slice(table.as_bytes());
        self.out
    }
}

/// The CMap from glyph ids back to the characters they show.
fn to_unicode(used: &BTreeMap<u16, char>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = used.iter().collect();
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (g, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            out.push_str(&format!("<{g:04X}> <{hex}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_exact() {
        assert_eq!(num(595_276), "595.276");
        assert_eq!(num(-1500), "-1.500");
        assert_eq!(num(7), "0.007");
    }

    #[test]
    fn text_is_fitted_and_measured() {
        let doc = Doc::new();
        let w = doc.width("Сыр", Weight::Regular, 10_000);
        assert!(w > 10_000 && w < 30_000, "{w}");
        let long = "Гауда выдержанная ".repeat(10);
        let fitted = doc.fit(&long, Weight::Regular, 10_000, 100_000);
        assert!(fitted.ends_with('…') && doc.width(&fitted, Weight::Regular, 10_000) <= 100_000);
    }

    #[test]
    fn a_document_has_its_pages_and_fonts() {
        let mut doc = Doc::new();
        doc.text(40_000, 800_000, Weight::Bold, 14_000, "Ярмарка");
        doc.new_page();
        doc.text(40_000, 800_000, Weight::Regular, 10_000, "Gouda");
        let pdf = doc.finish();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.7"));
        assert!(text.contains("/Count 2"));
        assert!(text.contains("/Encoding /Identity-H") && text.contains("/ToUnicode"));
        assert!(text.trim_end().ends_with("%%EOF"));
    }
}
