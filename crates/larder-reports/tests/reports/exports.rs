//! The downloads read back: CSV parsed respecting quotes, XLSX unzipped.

use std::io::Read;

use jiff::tz::TimeZone;
use larder_core::Currency;
use larder_reports::{
    CsvForm, Style, issued_stats, pending_stats, production_list, session_orders_csv,
    session_orders_xlsx, session_stats_csv, session_stats_xlsx,
};

use crate::fixture::{ADDRESS, FORMULA, TRICKY, orders, rules};

/// RFC 4180 records; the file must start with a UTF-8 byte-order mark.
fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    parse_csv_with(bytes, ',')
}

/// RFC 4180 records split at `separator`.
fn parse_csv_with(bytes: &[u8], separator: char) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM");
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, c) if c == separator => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "CRLF"),
            (false, '\n') => panic!("a bare LF outside quotes"),
            (false, c) => field.push(c),
        }
        if !quoted && c == '\r' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the file ends with CRLF"
    );
    rows
}

/// Decimal text to minor units: `"221.92"` → 22192.
fn minor(s: &str) -> i64 {
    s.replace('.', "").parse().unwrap()
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn berlin() -> TimeZone {
    TimeZone::get("Europe/Berlin").unwrap()
}

#[test]
fn the_order_list_csv_has_a_row_per_line_and_the_order_figures_once() {
    let currency = Currency::default();
    let style = Style::english(&currency);
    let csv = session_orders_csv(&orders(), "Market", &rules(), &style, &berlin()).unwrap();
    let rows = parse_csv(&csv);
    let header = &rows[0];
    assert_eq!(header.len(), 23);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(
        rows.len(),
        1 + 3 + 3 + 1 + 4 + 1,
        "a header, one row per line and the totals"
    );
    assert!(rows.iter().all(|r| r.len() == 23), "rectangular");
    let first = &rows[1];
    let cell = |row: &Vec<String>, name: &str| row[col(name)].clone();
    assert_eq!(cell(first, "Session"), "Market", "the session by name");
    assert_eq!(cell(first, "Client"), TRICKY, "user text round-trips");
    assert_eq!(cell(first, "Address"), ADDRESS);
    assert_eq!(cell(first, "Phone"), "+15550100");
    assert_eq!(cell(first, "Delivery"), "delivery");
    assert_eq!(cell(first, "Date"), "29.03.2026");
    assert_eq!(cell(first, "Time"), "14:30");
    assert_eq!(cell(first, "Issued on"), "29.03.2026");
    assert_eq!(
        [
            "Product",
            "Unit",
            "Price (RUB)",
            "Ordered",
            "Weighed",
            "Packing",
            "Line goods (RUB)",
            "Line packing (RUB)",
            "Discount %",
            "Discount (RUB)",
            "Delivery fee (RUB)",
            "Order total (RUB)"
        ]
        .map(|c| cell(first, c)),
        [
            "Gouda", "kg", "250.00", "0.300", "0.315", "Vacuum", "78.75", "6.30", "15.00", "35.63",
            "20.00", "221.92"
        ]
    );
    let second = &rows[2];
    assert_eq!(
        [
            "Product",
            "Unit",
            "Ordered",
            "Weighed",
            "Line goods (RUB)",
            "Order total (RUB)"
        ]
        .map(|c| cell(second, c)),
        ["Greek yoghurt", "piece", "2", "2", "50.00", ""]
    );
    let not_available = &rows[5];
    assert_eq!(
        (
            cell(not_available, "Product"),
            cell(not_available, "Weighed")
        ),
        ("Caciotta".into(), "0.000".into())
    );
    let unweighed = &rows[8];
    assert_eq!(
        cell(unweighed, "Client"),
        format!("'{FORMULA}"),
        "formula guarded"
    );
    assert_eq!(cell(unweighed, "Weighed"), "");
    assert_eq!(cell(unweighed, "Status"), "processing");
    let (totals, lines) = rows[1..].split_last().unwrap();
    let total: i64 = lines
        .iter()
        .map(|r| cell(r, "Order total (RUB)"))
        .filter(|s| !s.is_empty())
        .map(|s| minor(&s))
        .sum();
    assert_eq!(total, 22_192 + 16_500 + 8_750 + 30_180, "each order once");
    assert_eq!(cell(totals, "Session"), "Total");
    assert_eq!(minor(&cell(totals, "Order total (RUB)")), total);
    let goods: i64 = lines
        .iter()
        .map(|r| cell(r, "Line goods (RUB)"))
        .filter(|s| !s.is_empty())
        .map(|s| minor(&s))
        .sum();
    assert_eq!(minor(&cell(totals, "Line goods (RUB)")), goods);
}

#[test]
fn the_order_list_xlsx_holds_numbers_and_escaped_text() {
    let currency = Currency::default();
    let style = Style::english(&currency);
    let xlsx = session_orders_xlsx(&orders(), "Market", &rules(), &style, &berlin()).unwrap();
    let sheet = unzip(&xlsx, "xl/worksheets/sheet1.xml");
    for figure in ["221.92", "35.63", "78.75", "6.3", "0.315", "0.41", "250"] {
        assert!(sheet.contains(&format!("<v>{figure}</v>")), "{figure}");
    }
    let strings = xml_unescape(&unzip(&xlsx, "xl/sharedStrings.xml"));
    for text in [
        TRICKY,
        ADDRESS,
        FORMULA,
        "Gouda",
        "Greek yoghurt",
        "Vacuum",
        "Order total (RUB)",
    ] {
        assert!(strings.contains(text), "{text:?}");
    }
    let styles = unzip(&xlsx, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.000\"") && styles.contains("formatCode=\"0.00\""));
    assert!(unzip(&xlsx, "xl/workbook.xml").contains("name=\"Orders\""));
}

fn stats_inputs() -> (
    larder_reports::IssuedStats,
    larder_reports::PendingStats,
    Vec<larder_reports::ProductionLine>,
) {
    let all = orders();
    (
        issued_stats(&all, &rules()).unwrap(),
        pending_stats(&all, &rules()).unwrap(),
        production_list(&all),
    )
}

#[test]
fn the_stats_csv_equals_the_figures() {
    let (issued, pending, production) = stats_inputs();
    let currency = Currency::default();
    let csv = session_stats_csv(&issued, &pending, &production, &Style::english(&currency));
    let rows = parse_csv(&csv);
    let find = |first: &str| {
        rows.iter()
            .find(|r| r[0] == first)
            .unwrap_or_else(|| panic!("{first}"))
    };
    assert_eq!(find("Issued orders")[1], "2");
    for (label, amount) in [
        ("Goods (RUB)", "381.25"),
        ("Packing (RUB)", "21.30"),
        ("Discount (RUB)", "35.63"),
        ("After discount (RUB)", "366.92"),
        ("Delivery (RUB)", "20.00"),
        ("Total (RUB)", "386.92"),
        ("Pending orders", "2"),
        ("Expected total (RUB)", "389.30"),
    ] {
        assert_eq!(find(label)[1], amount, "{label}");
    }
    let products: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "Gouda").collect();
    assert_eq!(
        products[0][1..],
        ["kg", "0.815", "2", "203.75", "2"],
        "sold"
    );
    assert_eq!(products[1][1..], ["kg", "0.500", "0.290", "1"], "pending");
    assert_eq!(products[2][1..], ["piece", "1", "0", "1"], "pending pieces");
    assert_eq!(
        products[3][1..],
        ["kg", "0.500", "0.290", "0.200"],
        "production"
    );
    assert_eq!(products.len(), 5);
    assert!(
        rows.iter().any(|r| r == &[String::new()]),
        "blocks split by empty lines"
    );
}

#[test]
fn the_stats_xlsx_has_a_sheet_per_table() {
    let (issued, pending, production) = stats_inputs();
    let currency = Currency::default();
    let style = Style::english(&currency);
    let xlsx = session_stats_xlsx(&issued, &pending, &production, &style).unwrap();
    let workbook = unzip(&xlsx, "xl/workbook.xml");
    for name in ["Issued", "Pending", "Production"] {
        assert!(workbook.contains(&format!("name=\"{name}\"")), "{name}");
    }
    let sold = unzip(&xlsx, "xl/worksheets/sheet1.xml");
    for figure in ["386.92", "366.92", "35.63", "203.75", "0.815"] {
        assert!(sold.contains(&format!("<v>{figure}</v>")), "{figure}");
    }
    assert!(unzip(&xlsx, "xl/worksheets/sheet2.xml").contains("<v>389.3</v>"));
    assert!(unzip(&xlsx, "xl/worksheets/sheet3.xml").contains("<v>0.2</v>"));
    let strings = unzip(&xlsx, "xl/sharedStrings.xml");
    assert!(strings.contains("Greek yoghurt") && strings.contains("Remaining"));
}

/// In Russian: words, statuses and units in Russian, and the CSV form a
/// Russian-locale Excel splits (`;` between fields, `,` in numbers).
#[test]
fn a_russian_download_speaks_russian_and_splits_in_russian_excel() {
    let currency = Currency::default();
    let words = |key: &str| {
        let ru = [
            ("export-session", "Сессия"),
            ("export-client", "Клиент"),
            ("export-status", "Статус"),
            ("export-unit", "Единица"),
            ("export-order-total", "Итого по заказу"),
            ("export-status-issued", "выдан"),
            ("export-unit-kg", "кг"),
            ("export-total", "Итого"),
        ];
        ru.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    };
    let style = Style {
        currency: &currency,
        words: &words,
        csv: CsvForm::Semicolon,
    };
    let csv =
        session_orders_csv(&orders(), "Ярмарка; суббота", &rules(), &style, &berlin()).unwrap();
    let rows = parse_csv_with(&csv, ';');
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let first = &rows[1];
    assert_eq!(
        first[col("Сессия")],
        "Ярмарка; суббота",
        "quoted, not split"
    );
    assert_eq!(first[col("Статус")], "выдан");
    assert_eq!(first[col("Единица")], "кг");
    assert_eq!(first[col("Итого по заказу (RUB)")], "221,92");
    assert_eq!(rows.last().unwrap()[col("Сессия")], "Итого");
    // Words the language lacks stay English rather than blank.
    assert!(header.contains(&"Phone".to_owned()), "{header:?}");
}

/// A period's orders: one sheet per session, named after it; an empty
/// period is one empty sheet.
#[test]
fn a_period_has_a_sheet_per_session() {
    let currency = Currency::default();
    let style = Style::english(&currency);
    let all = orders();
    let (first, rest) = all.split_at(2);
    let groups = vec![
        ("Market [Sat]".to_owned(), first.to_vec()),
        ("Fair".to_owned(), rest.to_vec()),
    ];
    let xlsx = larder_reports::period_orders_xlsx(&groups, &rules(), &style, &berlin()).unwrap();
    let workbook = unzip(&xlsx, "xl/workbook.xml");
    assert!(workbook.contains("name=\"Market  Sat\""), "{workbook}");
    assert!(workbook.contains("name=\"Fair\""), "{workbook}");
    let market = unzip(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(
        market.contains("<v>221.92</v>"),
        "order 1 on the first sheet"
    );
    let empty = larder_reports::period_orders_xlsx(&[], &rules(), &style, &berlin()).unwrap();
    assert!(unzip(&empty, "xl/workbook.xml").contains("name=\"Orders\""));
}
