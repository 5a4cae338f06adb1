//! How an order reads: the staff view (lines with ordered, weighed and
//! price; delivery; date; total; note) and the message for the customer.
//! Both are priced by the one core function, so they always agree.

use larder_core::{
    Fee, Money, OrderPrice, Percent, PricingLine, Quantity, Unit, UnitPrice, format_time,
    price_order,
};
use larder_store::orders::Order;

use super::common::{date, money, price_per, quantity};
use super::state::OrderDraft;
use crate::Ctx;
use crate::paging::Page;
use crate::view::Text;

/// One line as pricing and display need it.
pub struct LineView<'a> {
    pub name: &'a str,
    pub unit: Unit,
    pub price: Money,
    pub ordered: Quantity,
    pub weighed: Option<Quantity>,
    pub packing: Option<&'a str>,
    /// The packing rate fixed on a saved line.
    pub packing_rate: Option<Money>,
}

/// What an order looks like to the texts, saved or draft.
pub struct OrderLook<'a> {
    pub number: Option<i64>,
    pub client_name: &'a str,
    pub phone: Option<&'a str>,
    pub delivery: bool,
    pub address: Option<&'a str>,
    pub date: Option<jiff::civil::Date>,
    pub time: Option<jiff::civil::Time>,
    pub discount: Percent,
    pub fee: Fee,
    pub fee_fixed: Option<Money>,
    pub note: Option<&'a str>,
    pub lines: Vec<LineView<'a>>,
}

impl<'a> OrderLook<'a> {
    pub fn of_order(o: &'a Order) -> OrderLook<'a> {
        OrderLook {
            number: Some(o.number),
            client_name: &o.client_name,
            phone: o.phone.as_deref(),
            delivery: o.delivery,
            address: o.address.as_deref(),
            date: o.issue_date,
            time: o.issue_time,
            discount: o.discount,
            fee: o.fee,
            fee_fixed: o.fee_fixed,
            note: o.note.as_deref(),
            lines: o
                .lines
                .iter()
                .map(|l| LineView {
                    name: &l.name,
                    unit: l.unit,
                    price: l.price,
                    ordered: l.ordered,
                    weighed: l.weighed,
                    packing: l.packing.as_deref(),
                    packing_rate: l.packing_rate,
                })
                .collect(),
        }
    }

    pub fn of_draft(d: &'a OrderDraft) -> OrderLook<'a> {
        OrderLook {
            number: None,
            client_name: d.client_name.as_deref().unwrap_or("—"),
            phone: d.phone.as_deref(),
            delivery: d.delivery,
            address: d.address.as_deref(),
            date: d.date,
            time: d.time,
            discount: Percent::from_basis_points(d.discount_bp).unwrap_or(Percent::ZERO),
            fee: d
                .fee_manual_minor
                .map_or(Fee::Auto, |m| Fee::Manual(Money::from_minor(m))),
            fee_fixed: None,
            note: d.note.as_deref(),
            lines: d
                .lines
                .iter()
                .map(|l| LineView {
                    name: &l.name,
                    unit: l.unit,
                    price: Money::from_minor(l.price_minor),
                    ordered: Quantity::new(l.unit, l.ordered).unwrap_or(Quantity::zero(l.unit)),
                    weighed: None,
                    packing: l.packing.as_deref(),
                    packing_rate: None,
                })
                .collect(),
        }
    }

    /// Priced with the weighed quantities where known, else the ordered ones.
    pub fn price(&self, ctx: &Ctx<'_>) -> Option<OrderPrice> {
        let lines: Option<Vec<PricingLine<'_>>> = self
            .lines
            .iter()
            .map(|l| {
                Some(PricingLine {
                    price: UnitPrice::new(l.unit, l.price).ok()?,
                    quantity: l.weighed.unwrap_or(l.ordered),
                    packing: l.packing,
                    packing_rate: l.packing_rate,
                })
            })
            .collect();
        price_order(
            &ctx.config.pricing,
            &lines?,
            self.discount,
            self.delivery,
            self.fee,
            self.fee_fixed,
        )
        .ok()
    }

    /// True while some line is not weighed: totals are estimates.
    pub fn estimated(&self) -> bool {
        self.lines.iter().any(|l| l.weighed.is_none())
    }
}

/// Lines listed on a staff group's card: with names of up to 64 characters
/// a card stays well within Telegram's 4096 characters; the totals always
/// count every line.
pub const MAX_LINES_SHOWN: usize = 20;

fn packing_name<'c>(ctx: &'c Ctx<'_>, code: &'c str) -> &'c str {
    ctx.config.pricing.packing(code).map_or(code, |p| p.name())
}

/// Lines shown on one page of the desk's order screens.
pub const LINES_PER_PAGE: u32 = 20;

/// The page of an order's lines to show (clamped into range).
pub fn lines_page(requested: u32, lines: usize) -> Page {
    Page::new(
        requested,
        i64::try_from(lines).unwrap_or(i64::MAX),
        LINES_PER_PAGE,
    )
}

/// The navigation row between pages of lines (empty for one page).
pub fn lines_nav(ctx: &Ctx<'_>, page: Page) -> Vec<crate::view::Button> {
    page.nav(ctx.lang, |p| {
        crate::Action::Desk(crate::action::DeskAction::LinesPage(p))
    })
}

/// The staff view of an order: the lines of `page` (every line is counted
/// in the totals), the totals, then who, where and when.
pub fn staff_view(ctx: &Ctx<'_>, o: &OrderLook<'_>, page: Page, text: &mut Text) {
    let t = |id: &str| ctx.lang.t(id);
    let price = o.price(ctx);
    if o.lines.is_empty() {
        text.italic(t("order-no-lines")).newline();
    }
    let first = usize::try_from(page.offset()).unwrap_or(0);
    if page.count > 1 {
        let last = (first + LINES_PER_PAGE as usize).min(o.lines.len());
        text.italic(ctx.lang.t_args(
            "order-lines-range",
            &[
                ("from", (first + 1).to_string()),
                ("to", last.to_string()),
                ("total", o.lines.len().to_string()),
            ],
        ))
        .newline();
    }
    for (i, l) in o
        .lines
        .iter()
        .enumerate()
        .skip(first)
        .take(LINES_PER_PAGE as usize)
    {
        text.plain(format!("{}. ", i + 1)).bold(l.name).newline();
        let mut line = format!(
            "   {} · {}",
            price_per(ctx, l.price, l.unit),
            quantity(ctx, l.ordered)
        );
        match l.weighed {
            Some(w) if w.is_zero() => line.push_str(&format!(" → {}", t("line-not-available"))),
            Some(w) => line.push_str(&format!(" → {}", quantity(ctx, w))),
            None => line.push_str(&format!(" → {}", t("line-not-weighed"))),
        }
        if let Some(p) = price.as_ref().and_then(|p| p.lines.get(i)) {
            line.push_str(&format!(" = {}", money(ctx, p.goods)));
            if let Some(code) = l.packing {
                line.push_str(&format!(
                    " + {} {}",
                    packing_name(ctx, code),
                    money(ctx, p.packing)
                ));
            }
        }
        text.line(line);
    }
    text.newline();
    totals(ctx, o, price.as_ref(), text);
    details(ctx, o, text);
}

fn totals(ctx: &Ctx<'_>, o: &OrderLook<'_>, price: Option<&OrderPrice>, text: &mut Text) {
    let t = |id: &str, v: Money| ctx.lang.t_args(id, &[("amount", money(ctx, v))]);
    let Some(p) = price else {
        text.line(ctx.lang.t("order-price-error"));
        return;
    };
    text.line(t("order-goods", p.subtotal));
    if !p.discount.is_zero() {
        text.line(ctx.lang.t_args(
            "order-discount",
            &[
                ("percent", o.discount.to_string()),
                ("amount", money(ctx, p.discount)),
            ],
        ));
    }
    if o.delivery {
        text.line(t("order-delivery-fee", p.delivery));
    }
    let id = if o.estimated() {
        "order-total-estimate"
    } else {
        "order-total"
    };
    text.bold(t(id, p.total)).newline();
}

fn details(ctx: &Ctx<'_>, o: &OrderLook<'_>, text: &mut Text) {
    let t = |id: &str| ctx.lang.t(id);
    text.newline();
    text.plain(format!("👤 {}", o.client_name));
    if let Some(phone) = o.phone {
        text.plain(format!(" · {phone}"));
    }
    text.newline();
    if o.delivery {
        text.line(format!(
            "🚚 {}: {}",
            t("order-delivery"),
            o.address.unwrap_or("—")
        ));
    } else {
        text.line(format!("🏪 {}", t("order-pickup")));
    }
    match (o.date, o.time) {
        (Some(d), Some(tm)) => text.line(format!("📅 {} {}", date(d), format_time(tm))),
        (Some(d), None) => text.line(format!("📅 {}", date(d))),
        (None, Some(tm)) => text.line(format!("📅 {} {}", t("order-no-date"), format_time(tm))),
        (None, None) => text.line(format!("📅 {}", t("order-no-date"))),
    };
    if let Some(note) = o.note {
        text.italic(format!("📝 {note}")).newline();
    }
}

/// The most characters one message may show (Telegram's and VK's limit).
pub const MESSAGE_CHARS: usize = 4096;

/// The message for the customer, ready to forward: every line (those not
/// available said so, priced at nothing), the totals, when and where. One
/// message when it fits in [`MESSAGE_CHARS`], else several, split between
/// lines — never cut.
pub fn customer_texts(ctx: &Ctx<'_>, o: &OrderLook<'_>) -> Vec<Text> {
    let lang = ctx.lang;
    let number = o.number.map(|n| n.to_string()).unwrap_or_default();
    let mut blocks: Vec<Text> = Vec::new();
    let mut head = Text::new();
    head.bold(lang.t_args("customer-title", &[("number", number.clone())]))
        .newline();
    head.line(lang.t_args("customer-hello", &[("shop", ctx.config.shop_name.clone())]));
    head.line(lang.t("customer-your-order"));
    blocks.push(head);
    let price = o.price(ctx);
    for (i, l) in o.lines.iter().enumerate() {
        let q = l.weighed.unwrap_or(l.ordered);
        let mut line = Text::new();
        if q.is_zero() {
            line.line(format!("• {} — {}", l.name, lang.t("line-not-available")));
        } else {
            let mut s = format!("• {} — {}", l.name, quantity(ctx, q));
            if let Some(p) = price.as_ref().and_then(|p| p.lines.get(i)) {
                s.push_str(&format!(" — {}", money(ctx, p.goods)));
            }
            line.line(s);
        }
        blocks.push(line);
    }
    let mut tail = Text::new();
    if let Some(p) = &price {
        if !p.packing.is_zero() {
            tail.line(lang.t_args("customer-packing", &[("amount", money(ctx, p.packing))]));
        }
        if !p.discount.is_zero() {
            tail.line(lang.t_args(
                "customer-discount",
                &[
                    ("percent", o.discount.to_string()),
                    ("amount", money(ctx, p.discount)),
                ],
            ));
        }
        if o.delivery {
            tail.line(lang.t_args("customer-delivery", &[("amount", money(ctx, p.delivery))]));
        }
        tail.bold(lang.t_args("customer-to-pay", &[("amount", money(ctx, p.total))]))
            .newline();
    }
    match (o.date, o.time) {
        (Some(d), Some(t)) => {
            let when = format!("{} {}", date(d), format_time(t));
            tail.line(lang.t_args("customer-date", &[("date", when)]));
        }
        (Some(d), None) => {
            tail.line(lang.t_args("customer-date", &[("date", date(d))]));
        }
        (None, Some(t)) => {
            tail.line(lang.t_args("customer-time", &[("time", format_time(t))]));
        }
        (None, None) => {}
    }
    if o.delivery {
        let address = o.address.unwrap_or("—").to_owned();
        tail.line(lang.t_args("customer-delivery-to", &[("address", address)]));
        tail.plain(lang.t_args("customer-closing-delivery", &[("number", number)]));
    } else {
        if let Some(address) = &ctx.config.shop.address {
            tail.line(lang.t_args("customer-pickup-at", &[("address", address.clone())]));
        }
        tail.plain(lang.t_args("customer-closing", &[("number", number)]));
    }
    blocks.push(tail);
    pack(blocks, MESSAGE_CHARS)
}

/// Joins blocks into as few texts as fit in `limit` characters each; a
/// block longer than `limit` on its own is split at line ends (or, for a
/// single line that long, at the limit).
fn pack(blocks: Vec<Text>, limit: usize) -> Vec<Text> {
    let mut out: Vec<Text> = Vec::new();
    let mut current = Text::new();
    for block in blocks.into_iter().flat_map(|b| split_long(b, limit)) {
        if current.char_len() + block.char_len() > limit && current.char_len() > 0 {
            out.push(std::mem::take(&mut current));
        }
        current.spans.extend(block.spans);
    }
    if current.char_len() > 0 || out.is_empty() {
        out.push(current);
    }
    out
}

/// A block as pieces of at most `limit` characters.
fn split_long(block: Text, limit: usize) -> Vec<Text> {
    if block.char_len() <= limit {
        return vec![block];
    }
    let mut pieces = Vec::new();
    let mut current = Text::new();
    for span in block.spans {
        let mut rest: &str = &span.text;
        while !rest.is_empty() {
            let room = limit - current.char_len();
            let take = rest
                .char_indices()
                .nth(room)
                .map_or(rest.len(), |(at, _)| at);
            if take == 0 {
                pieces.push(std::mem::take(&mut current));
                continue;
            }
            current.push(span.style, &rest[..take]);
            rest = &rest[take..];
        }
    }
    if current.char_len() > 0 {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(s: &str) -> Text {
        let mut t = Text::new();
        t.line(s);
        t
    }

    /// Whatever the blocks, every piece fits and nothing is lost or reordered.
    #[test]
    fn packing_never_cuts_or_loses_text() {
        let blocks: Vec<Text> = (0..300)
            .map(|i| block(&format!("• line {i} {}", "é".repeat(i % 50))))
            .chain([block(&"x".repeat(9000))])
            .collect();
        let whole: String = blocks.iter().map(Text::to_plain).collect();
        let parts = pack(blocks, MESSAGE_CHARS);
        assert!(parts.len() > 3, "{} parts", parts.len());
        assert!(parts.iter().all(|p| p.char_len() <= MESSAGE_CHARS));
        let joined: String = parts.iter().map(Text::to_plain).collect();
        assert_eq!(joined, whole);
        // Lines are not split between messages while they fit.
        assert!(parts[0].to_plain().ends_with('\n'));
    }

    #[test]
    fn a_short_text_is_one_message() {
        let parts = pack(vec![block("a"), block("b")], MESSAGE_CHARS);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].to_plain(), "a\nb\n");
    }
}
