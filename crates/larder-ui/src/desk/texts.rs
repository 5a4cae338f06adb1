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

/// The option's name, or its code if the option is no longer configured.
/// Lines listed on one card: with names of up to 64 characters a card stays
/// well within Telegram's 4096 characters; the totals always count every line.
pub const MAX_LINES_SHOWN: usize = 20;

fn more_lines(ctx: &Ctx<'_>, lines: usize, text: &mut Text) {
    if lines > MAX_LINES_SHOWN {
        let more = (lines - MAX_LINES_SHOWN).to_string();
        text.italic(ctx.lang.t_args("order-more-lines", &[("count", more)]))
            .newline();
    }
}

fn packing_name<'c>(ctx: &'c Ctx<'_>, code: &'c str) -> &'c str {
    ctx.config.pricing.packing(code).map_or(code, |p| p.name())
}

/// The staff view of an order.
pub fn staff_view(ctx: &Ctx<'_>, o: &OrderLook<'_>, text: &mut Text) {
    let t = |id: &str| ctx.lang.t(id);
    let price = o.price(ctx);
    if o.lines.is_empty() {
        text.italic(t("order-no-lines")).newline();
    }
    for (i, l) in o.lines.iter().enumerate().take(MAX_LINES_SHOWN) {
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
    more_lines(ctx, o.lines.len(), text);
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

/// The message for the customer, ready to forward.
pub fn customer_text(ctx: &Ctx<'_>, o: &OrderLook<'_>) -> Text {
    let lang = ctx.lang;
    let mut text = Text::new();
    let number = o.number.map(|n| n.to_string()).unwrap_or_default();
    text.bold(lang.t_args("customer-title", &[("number", number.clone())]))
        .newline();
    text.line(lang.t_args("customer-hello", &[("shop", ctx.config.shop_name.clone())]));
    text.line(lang.t("customer-your-order"));
    let price = o.price(ctx);
    for (i, l) in o.lines.iter().enumerate().take(MAX_LINES_SHOWN) {
        let q = l.weighed.unwrap_or(l.ordered);
        if q.is_zero() {
            continue;
        }
        let mut line = format!("• {} — {}", l.name, quantity(ctx, q));
        if let Some(p) = price.as_ref().and_then(|p| p.lines.get(i)) {
            line.push_str(&format!(" — {}", money(ctx, p.goods)));
        }
        text.line(line);
    }
    more_lines(ctx, o.lines.len(), &mut text);
    if let Some(p) = &price {
        if !p.packing.is_zero() {
            text.line(lang.t_args("customer-packing", &[("amount", money(ctx, p.packing))]));
        }
        if !p.discount.is_zero() {
            text.line(lang.t_args(
                "customer-discount",
                &[
                    ("percent", o.discount.to_string()),
                    ("amount", money(ctx, p.discount)),
                ],
            ));
        }
        if o.delivery {
            text.line(lang.t_args("customer-delivery", &[("amount", money(ctx, p.delivery))]));
        }
        text.bold(lang.t_args("customer-to-pay", &[("amount", money(ctx, p.total))]))
            .newline();
    }
    if let Some(d) = o.date {
        text.line(lang.t_args("customer-date", &[("date", date(d))]));
    }
    text.plain(lang.t_args("customer-closing", &[("number", number)]));
    text
}
