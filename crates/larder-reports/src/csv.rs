//! CSV by hand: UTF-8 with a byte-order mark (so Excel reads the
//! encoding), the separator and decimal mark of the staff's locale (`,`
//! and `.`, or `;` and `,`), CRLF line ends and RFC 4180 quoting. Tables
//! follow each other with an empty line between them.

use crate::table::{Cell, Table};
use crate::words::{CsvForm, Style};

const BOM: &str = "\u{feff}";

/// The tables as one CSV file.
pub(crate) fn render(tables: &[Table], style: &Style<'_>) -> Vec<u8> {
    let form = style.csv;
    let mut out = String::from(BOM);
    for (i, table) in tables.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        for row in &table.rows {
            let fields: Vec<String> = row.cells.iter().map(|c| field(c, style)).collect();
            out.push_str(&fields.join(&form.separator().to_string()));
            out.push_str("\r\n");
        }
    }
    out.into_bytes()
}

fn field(cell: &Cell, style: &Style<'_>) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => quote(&guard(s)),
        Cell::Plain(s) => quote(s),
        number => {
            let text = number.number_text(style.currency).unwrap_or_default();
            match style.csv {
                CsvForm::Comma => text,
                CsvForm::Semicolon => text.replace('.', &style.csv.decimal().to_string()),
            }
        }
    }
}

/// Quotes a field that holds a quote, either separator or a line break,
/// doubling its quotes (RFC 4180).
pub(crate) fn quote(s: &str) -> String {
    if s.contains(['"', ',', ';', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a
/// tab or a carriage return first) gets a leading `'`, as OWASP advises
/// for CSV files; other text is left exactly as typed.
pub(crate) fn guard(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(quote("Gouda"), "Gouda");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("<&>"), "<&>");
    }

    #[test]
    fn guards_formulas() {
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("-2"), "'-2");
        assert_eq!(guard("Ann = Bob"), "Ann = Bob");
    }

    #[test]
    fn renders_tables_with_a_bom_and_crlf() {
        let mut a = Table::new("A".into());
        a.push(vec![Cell::plain("x"), Cell::Int(-1), Cell::Empty]);
        let mut b = Table::new("B".into());
        b.push(vec![Cell::text("=x")]);
        let currency = larder_core::Currency::default();
        let bytes = render(&[a, b], &Style::english(&currency));
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}x,-1,\r\n\r\n'=x\r\n"
        );
    }
}
