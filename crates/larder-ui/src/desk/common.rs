//! Formatting and small helpers shared by the desk's screens.

use jiff::civil::Date;
use larder_core::{Money, Quantity, Unit, format_kg};

use crate::Ctx;
use crate::view::Button;

/// "⚠️ " + a translated error.
pub fn warn(ctx: &Ctx<'_>, id: &str, args: &[(&str, String)]) -> String {
    format!("⚠️ {}", ctx.lang.t_args(id, args))
}

/// "221.92 ₽".
pub fn money(ctx: &Ctx<'_>, m: Money) -> String {
    let c = &ctx.config.currency;
    format!("{} {}", c.format(m), c.symbol())
}

/// "250.00 ₽/kg".
pub fn price_per(ctx: &Ctx<'_>, price: Money, unit: Unit) -> String {
    format!("{}/{}", money(ctx, price), ctx.lang.t(unit_id(unit)))
}

pub fn unit_id(unit: Unit) -> &'static str {
    match unit {
        Unit::Kg => "unit-kg",
        Unit::Piece => "unit-piece",
    }
}

/// "315 g", "1.25 kg", "2 pc".
pub fn quantity(ctx: &Ctx<'_>, q: Quantity) -> String {
    match q {
        Quantity::Grams(g) if g < 1000 => format!("{g} {}", ctx.lang.t("unit-g")),
        Quantity::Grams(g) => format!("{} {}", format_kg(g), ctx.lang.t("unit-kg")),
        Quantity::Pieces(n) => format!("{n} {}", ctx.lang.t("unit-piece")),
    }
}

/// Today in the business's time zone.
pub fn today(ctx: &Ctx<'_>) -> Date {
    larder_core::today(&ctx.config.timezone, ctx.now)
}

pub fn date(d: Date) -> String {
    larder_core::format_date(d)
}

/// Button labels stay short: long names are cut with an ellipsis.
/// A button label within 40 characters as VK counts them (UTF-16 units:
/// an emoji may be two), cut with "…".
pub fn label(name: &str) -> String {
    const MAX: usize = 40;
    if name.encode_utf16().count() <= MAX {
        return name.to_owned();
    }
    let mut cut = String::new();
    let mut used = 1; // the "…"
    for ch in name.chars() {
        used += ch.len_utf16();
        if used > MAX {
            break;
        }
        cut.push(ch);
    }
    format!("{cut}…")
}

pub fn back(ctx: &Ctx<'_>, action: crate::Action) -> Button {
    Button::action(ctx.lang.t("btn-back"), action)
}

pub fn menu(ctx: &Ctx<'_>) -> Button {
    Button::action(ctx.lang.t("btn-menu"), crate::Action::Menu)
}

/// A weight more likely a slip than meant: under 5 g or over 20 kg for one
/// line (typing `2` means 2 g, not 2 kg).
pub fn doubtful(q: Quantity) -> bool {
    matches!(q, Quantity::Grams(g) if (1..5).contains(&g) || g > 20_000)
}

/// "315 g = 0.315 kg" for a weight under a kilogram (what a bare number
/// meant), else as [`quantity`].
pub fn quantity_both(ctx: &Ctx<'_>, q: Quantity) -> String {
    match q {
        Quantity::Grams(g) if g > 0 && g < 1000 => format!(
            "{} = {} {}",
            quantity(ctx, q),
            format_kg(g),
            ctx.lang.t("unit-kg")
        ),
        _ => quantity(ctx, q),
    }
}

/// `view` asking whether a doubtful weight is right: a notice on top and a
/// button that keeps it (typing another weight replaces it).
pub fn ask_sure(ctx: &Ctx<'_>, view: crate::view::View, q: Quantity) -> crate::view::View {
    let notice = warn(
        ctx,
        "weight-doubtful",
        &[("quantity", quantity_both(ctx, q))],
    );
    let mut v = view.with_notice(Some(&notice));
    v.keyboard.insert(
        0,
        vec![Button::action(
            ctx.lang
                .t_args("btn-weight-sure", &[("quantity", quantity(ctx, q))]),
            crate::Action::Desk(crate::action::DeskAction::SureQuantity(q.value())),
        )],
    );
    v
}
