//! The printable sheets, read back as a person would see them: the PDF's
//! text through `pdftotext` (so the embedded font maps back to the
//! characters, Cyrillic included) and page 1 rendered by `pdftoppm` (so it
//! is a page with something printed on it). Both come with Debian's
//! poppler-utils; under `CI=true` they must be there.

use std::process::Command;

use larder_core::Currency;
use larder_reports::{Style, session_sheets_pdf};

use crate::fixture::{ADDRESS, TRICKY, orders, rules};

fn tool(name: &str) -> bool {
    let there = Command::new(name).arg("-v").output().is_ok();
    if !there && std::env::var("CI").as_deref() == Ok("true") {
        panic!("{name} (poppler-utils) is required when CI=true");
    }
    there
}

fn sheets() -> (tempfile::TempDir, std::path::PathBuf) {
    let currency = Currency::default();
    let words = |key: &str| (key == "export-order-sheet").then(|| "лист заказов".to_owned());
    let style = Style {
        words: &words,
        ..Style::english(&currency)
    };
    let pdf = session_sheets_pdf(&orders(), "Ярмарка", &rules(), &style).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"), "a PDF");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheets.pdf");
    // SHEETS_PDF=<file> keeps a copy for a look.
    if let Ok(keep) = std::env::var("SHEETS_PDF") {
        std::fs::write(keep, &pdf).unwrap();
    }
    std::fs::write(&path, pdf).unwrap();
    (dir, path)
}

#[test]
fn the_sheets_hold_every_order_and_product_in_readable_text() {
    if !tool("pdftotext") {
        return;
    }
    let (_dir, path) = sheets();
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    for part in [
        "Ярмарка — лист заказов",
        "Ярмарка — packing list",
        "To pay: 221.92 RUB",
        "Gouda",
        "Caciotta",
        "not available",
        "(estimate)",
        "in all",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    // People's text prints as typed (long lines are cut with "…").
    let client: String = TRICKY.chars().take(12).collect();
    assert!(text.contains(&client), "{client:?} in {text}");
    let address: String = ADDRESS.chars().take(12).collect();
    assert!(text.contains(&address), "{address:?} in {text}");
}

#[test]
fn the_first_page_renders_with_ink_on_it() {
    if !tool("pdftoppm") {
        return;
    }
    let (dir, path) = sheets();
    let prefix = dir.path().join("page");
    let out = Command::new("pdftoppm")
        .args(["-gray", "-r", "40", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let page = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pgm"))
        .expect("a rendered page");
    let pgm = std::fs::read(page).unwrap();
    // P5 <width> <height> <max>\n then one byte a pixel.
    let header: Vec<&[u8]> = pgm.splitn(5, |b| b.is_ascii_whitespace()).collect();
    assert_eq!(header[0], b"P5");
    let width: usize = std::str::from_utf8(header[1]).unwrap().parse().unwrap();
    let height: usize = std::str::from_utf8(header[2]).unwrap().parse().unwrap();
    assert_eq!((width, height), (331, 468), "A4 at 40 dpi");
    let pixels = &pgm[pgm.len() - width * height..];
    let ink = pixels.iter().filter(|p| **p < 128).count();
    let share = ink * 1000 / pixels.len();
    assert!((5..300).contains(&share), "{share}‰ of the page is ink");
}
