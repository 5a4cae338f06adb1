//! Printable sheets for a market day, as one PDF (A4):
//!
//! * **Order sheet**: every open or issued order of the session (cancelled
//!   ones left out): number, client, phone, pickup or the delivery address,
//!   date and time, note; its lines with ordered quantity, the weighed
//!   quantity or a box to write it in, packing and price; the total to pay
//!   (marked as an estimate while a line is unweighed), and a box to tick
//!   when it is handed out.
//! * **Packing list**: each product with the quantity to prepare in all
//!   (weighed where known; lines not available left out), then who ordered
//!   how much and in which packing.
//!
//! Words come from the same [`Style`] as the spreadsheets; amounts from
//! `price_order`, like everywhere else.

use larder_core::{OrderStatus, PricingRules, Quantity, Unit, format_date, format_time};
use larder_store::orders::Order;

use crate::ReportError;
use crate::pdf::{Doc, PAGE_HEIGHT, PAGE_WIDTH, Weight};
use crate::pricing::price;
use crate::table::decimal;
use crate::words::Style;

const MARGIN: i64 = 40_000;
const BOTTOM: i64 = 50_000;
const TITLE: i64 = 15_000;
const HEAD: i64 = 11_000;
const BODY: i64 = 9_500;
const LINE: i64 = 13_500;

/// Where the next line goes, and the page furniture.
struct Sheet<'a> {
    doc: Doc,
    y: i64,
    title: String,
    style: &'a Style<'a>,
    page: u32,
}

impl<'a> Sheet<'a> {
    fn new(style: &'a Style<'a>) -> Sheet<'a> {
        Sheet {
            doc: Doc::new(),
            y: PAGE_HEIGHT - MARGIN,
            title: String::new(),
            style,
            page: 0,
        }
    }

    /// Starts a section on a new page with its title.
    fn section(&mut self, title: String) {
        if self.page > 0 {
            self.doc.new_page();
        }
        self.title = title;
        self.top();
    }

    fn top(&mut self) {
        self.page += 1;
        self.y = PAGE_HEIGHT - MARGIN;
        let title = self.title.clone();
        self.doc
            .text(MARGIN, self.y - TITLE, Weight::Bold, TITLE, &title);
        let page = format!("{} {}", self.style.t("export-page"), self.page);
        self.doc.text_right(
            PAGE_WIDTH - MARGIN,
            self.y - TITLE,
            Weight::Regular,
            BODY,
            &page,
        );
        self.y -= TITLE + LINE;
    }

    /// Room for `lines` more lines, else a new page.
    fn room(&mut self, lines: i64) {
        if self.y - lines * LINE < BOTTOM {
            self.doc.new_page();
            self.top();
        }
    }

    fn line(&mut self, x: i64, weight: Weight, size: i64, text: &str) {
        let width = PAGE_WIDTH - MARGIN - x;
        let fitted = self.doc.fit(text, weight, size, width);
        self.doc.text(x, self.y - size, weight, size, &fitted);
        self.y -= LINE;
    }
}

/// `"0.315 kg"`, `"2 pc"`.
fn quantity(style: &Style<'_>, q: Quantity) -> String {
    match q {
        Quantity::Grams(g) => format!("{} {}", decimal(g, 3), style.unit(Unit::Kg)),
        Quantity::Pieces(n) => format!("{n} {}", style.unit(Unit::Piece)),
    }
}

/// The session's order sheet and packing list as a PDF.
pub fn session_sheets_pdf(
    orders: &[Order],
    session: &str,
    rules: &PricingRules,
    style: &Style<'_>,
) -> Result<Vec<u8>, ReportError> {
    let orders: Vec<&Order> = orders
        .iter()
        .filter(|o| o.status != OrderStatus::Cancelled)
        .collect();
    let money = |m| format!("{} {}", style.currency.format(m), style.currency.code());
    let mut s = Sheet::new(style);
    s.section(format!("{session} — {}", style.t("export-order-sheet")));
    // Columns of a line.
    let (c_name, c_ordered, c_weighed, c_packing, c_sum) = (
        MARGIN + 10_000,
        MARGIN + 250_000,
        MARGIN + 320_000,
        MARGIN + 400_000,
        PAGE_WIDTH - MARGIN,
    );
    for o in &orders {
        let priced = price(o, rules)?;
        s.room(4 + i64::try_from(o.lines.len()).unwrap_or(i64::MAX).min(3));
        s.doc.boxed(MARGIN, s.y - HEAD, 9_000, 9_000);
        let mut head = format!("№{} {}", o.number, o.client_name);
        if let Some(phone) = &o.phone {
            head.push_str(&format!(" · {phone}"));
        }
        s.line(MARGIN + 14_000, Weight::Bold, HEAD, &head);
        let mut place = if o.delivery {
            format!(
                "{}: {}",
                style.t("export-mode-delivery"),
                o.address.as_deref().unwrap_or("—")
            )
        } else {
            style.t("export-mode-pickup")
        };
        match (o.issue_date, o.issue_time) {
            (Some(d), Some(t)) => {
                place.push_str(&format!(" · {} {}", format_date(d), format_time(t)))
            }
            (Some(d), None) => place.push_str(&format!(" · {}", format_date(d))),
            (None, Some(t)) => place.push_str(&format!(" · {}", format_time(t))),
            (None, None) => {}
        }
        if let Some(at) = o.issued_on {
            place.push_str(&format!(
                " · {} {}",
                style.t("export-issued-on"),
                format_date(at)
            ));
        }
        s.line(MARGIN + 14_000, Weight::Regular, BODY, &place);
        if let Some(note) = &o.note {
            let note = format!("{}: {note}", style.t("export-note"));
            s.line(MARGIN + 14_000, Weight::Regular, BODY, &note);
        }
        for (line, p) in o.lines.iter().zip(&priced.lines) {
            s.room(1);
            let y = s.y - BODY;
            let name = s.doc.fit(
                &line.name,
                Weight::Regular,
                BODY,
                c_ordered - c_name - 6_000,
            );
            s.doc.text(c_name, y, Weight::Regular, BODY, &name);
            let ordered = quantity(style, line.ordered);
            s.doc.text(c_ordered, y, Weight::Regular, BODY, &ordered);
            match line.weighed {
                // Weighed at the stall: a box to write the weight in.
                None => s.doc.boxed(c_weighed, y - 3_000, 60_000, 12_000),
                Some(w) if w.is_zero() => {
                    let na = style.t("export-not-available");
                    s.doc.text(c_weighed, y, Weight::Regular, BODY, &na);
                }
                Some(w) => {
                    let weighed = quantity(style, w);
                    s.doc.text(c_weighed, y, Weight::Regular, BODY, &weighed);
                }
            }
            if let Some(code) = &line.packing {
                let packing = rules.packing(code).map_or(code.as_str(), |p| p.name());
                let packing = s.doc.fit(packing, Weight::Regular, BODY, 80_000);
                s.doc.text(c_packing, y, Weight::Regular, BODY, &packing);
            }
            let sum = money(p.goods.checked_add(p.packing).unwrap_or(p.goods));
            s.doc.text_right(c_sum, y, Weight::Regular, BODY, &sum);
            s.y -= LINE;
        }
        let estimate = o.lines.iter().any(|l| l.weighed.is_none());
        let mut total = format!("{}: {}", style.t("export-to-pay"), money(priced.total));
        if estimate {
            total.push_str(&format!(" {}", style.t("export-estimate")));
        }
        s.room(1);
        s.doc
            .text_right(c_sum, s.y - BODY, Weight::Bold, BODY, &total);
        s.y -= LINE;
        s.doc.rule(MARGIN, PAGE_WIDTH - MARGIN, s.y);
        s.y -= 8_000;
    }

    // Packing list: what to prepare, product by product.
    s.section(format!("{session} — {}", style.t("export-packing-list")));
    let mut products: Vec<(String, Unit)> = Vec::new();
    for o in &orders {
        for l in &o.lines {
            if !products.contains(&(l.name.clone(), l.unit)) {
                products.push((l.name.clone(), l.unit));
            }
        }
    }
    products.sort_by_key(|(name, _)| name.to_lowercase());
    for (name, unit) in products {
        let wanted: Vec<(&Order, &larder_store::orders::Line)> = orders
            .iter()
            .flat_map(|o| o.lines.iter().map(move |l| (*o, l)))
            // What is prepared: the weighed quantity where known; a line
            // not available is not prepared at all.
            .filter(|(_, l)| l.name == name && l.unit == unit)
            .filter(|(_, l)| l.weighed.is_none_or(|w| !w.is_zero()))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let sum = wanted
            .iter()
            .try_fold(0_i64, |acc, (_, l)| {
                acc.checked_add(l.weighed.unwrap_or(l.ordered).value())
            })
            .ok_or(ReportError::Overflow)?;
        let in_all = Quantity::new(unit, sum).unwrap_or(Quantity::zero(unit));
        s.room(2);
        let head = format!(
            "{name} — {} {}",
            quantity(style, in_all),
            style.t("export-in-all")
        );
        s.line(MARGIN, Weight::Bold, HEAD, &head);
        for (o, l) in wanted {
            s.room(1);
            s.doc.boxed(MARGIN + 10_000, s.y - BODY, 8_000, 8_000);
            let mut row = format!(
                "№{} {} — {}",
                o.number,
                o.client_name,
                quantity(style, l.weighed.unwrap_or(l.ordered))
            );
            if let Some(code) = &l.packing {
                row.push_str(&format!(
                    " · {}",
                    rules.packing(code).map_or(code.as_str(), |p| p.name())
                ));
            }
            s.line(MARGIN + 24_000, Weight::Regular, BODY, &row);
        }
        s.y -= 4_000;
    }
    Ok(s.doc.finish())
}
