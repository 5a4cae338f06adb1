//! The menu (categories), a category's products, a product's card and the
//! cart.

use crate::action::ShopAction;
use larder_core::{CategoryId, Money, ProductId, Quantity, Unit};
use larder_store::customers::Customer;
use larder_store::products::{self, Product};
use larder_store::{StoreError, categories, reviews, shop};

use super::{ShopScreen, ShopState};
use crate::action::Action;
use crate::desk::common::{label, money, price_per, quantity};
use crate::paging::Page;
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

/// The most of one product a cart may hold: 99 pieces or 20 kg.
const MAX_PIECES: i64 = 99;
const MAX_GRAMS: i64 = 20_000;
/// Goods sold by weight are ordered in steps of 100 g.
const GRAM_STEP: i64 = 100;

fn step(unit: Unit) -> i64 {
    match unit {
        Unit::Kg => GRAM_STEP,
        Unit::Piece => 1,
    }
}

fn most(unit: Unit) -> i64 {
    match unit {
        Unit::Kg => MAX_GRAMS,
        Unit::Piece => MAX_PIECES,
    }
}

/// A cart line with its product as it is now.
pub struct CartLine {
    pub product: Product,
    pub quantity: Quantity,
    /// On the stop-list, in a stopped category, or no longer sold.
    pub unavailable: bool,
}

impl CartLine {
    /// Price × quantity, by the same pricing as every order.
    pub fn amount(&self, ctx: &Ctx<'_>) -> Money {
        priced(ctx, std::slice::from_ref(self)).map_or(Money::ZERO, |p| p.goods)
    }
}

/// The cart priced as an order (pickup, no discount).
pub fn priced(ctx: &Ctx<'_>, lines: &[CartLine]) -> Option<larder_core::OrderPrice> {
    let lines: Option<Vec<_>> = lines
        .iter()
        .map(|l| {
            Some(larder_core::PricingLine {
                price: larder_core::UnitPrice::new(l.product.unit, l.product.price).ok()?,
                quantity: l.quantity,
                packing: None,
                packing_rate: None,
            })
        })
        .collect();
    larder_core::price_order(
        &ctx.config.pricing,
        &lines?,
        larder_core::Percent::ZERO,
        false,
        larder_core::Fee::Auto,
        None,
    )
    .ok()
}

/// The customer's cart with the products as they are now.
pub async fn cart_lines(ctx: &mut Ctx<'_>, c: &Customer) -> Result<Vec<CartLine>, UiError> {
    let mut out = Vec::new();
    for item in shop::cart(ctx.tx, c.id).await? {
        let product = products::get(ctx.tx, item.product_id).await?;
        let category_open = match product.category {
            Some(id) => {
                let cat = categories::get(ctx.tx, id).await?;
                cat.available && !cat.hidden
            }
            None => true,
        };
        let Ok(quantity) = Quantity::new(product.unit, item.quantity) else {
            continue;
        };
        out.push(CartLine {
            unavailable: product.archived || !product.available || !category_open,
            product,
            quantity,
        });
    }
    Ok(out)
}

/// "⭐ 4.5 (12)", or "no ratings yet".
pub async fn rating(ctx: &mut Ctx<'_>, id: ProductId) -> Result<String, UiError> {
    let (sum, count) = reviews::dish_score(ctx.tx, id).await?;
    Ok(average(ctx, sum, count))
}

/// A true average with one decimal, rounded half up, and the count.
pub fn average(ctx: &Ctx<'_>, sum: i64, count: i64) -> String {
    if count == 0 {
        return ctx.lang.t("shop-no-ratings");
    }
    let tenths = (sum * 10 + count / 2) / count;
    format!("⭐ {}.{} ({count})", tenths / 10, tenths % 10)
}

pub async fn home(
    ctx: &mut Ctx<'_>,
    c: &Customer,
    page: u32,
    notice: Option<String>,
) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let mut v = View::default();
    let name = c.first_name.clone().unwrap_or_default();
    v.text
        .bold(ctx.lang.t_args(
            "shop-hello",
            &[("name", name), ("shop", ctx.config.shop_name.clone())],
        ))
        .newline();
    let cats: Vec<_> = categories::all(ctx.tx)
        .await?
        .into_iter()
        .filter(|c| !c.hidden)
        .collect();
    let loose = products::in_category(ctx.tx, None).await?;
    if cats.is_empty() && loose.is_empty() {
        v.text.italic(t("shop-menu-empty")).newline();
    } else {
        v.text.plain(t("shop-pick-category")).newline();
    }
    let mut buttons: Vec<Button> = cats
        .iter()
        .map(|cat| {
            let mark = if cat.available { "" } else { "⛔ " };
            Button::action(
                label(&format!("{mark}{}", cat.name)),
                Action::Shop(ShopAction::ShopCategory(cat.id, 0)),
            )
        })
        .collect();
    if !loose.is_empty() {
        buttons.push(Button::action(
            t("shop-other"),
            Action::Shop(ShopAction::ShopCategory(CategoryId::new(0), 0)),
        ));
    }
    let lines = cart_lines(ctx, c).await?;
    let cart = if lines.is_empty() {
        t("shop-cart-empty-button")
    } else {
        let total = priced(ctx, &lines).map_or(Money::ZERO, |p| p.goods);
        ctx.lang.t_args(
            "shop-cart-button",
            &[
                ("count", lines.len().to_string()),
                ("amount", money(ctx, total)),
            ],
        )
    };
    let cart = Button::action(cart, Action::Shop(ShopAction::Cart));
    let orders = Button::action(t("shop-my-orders"), Action::Shop(ShopAction::MyOrders(0)));
    let reviews = Button::action(t("shop-reviews"), Action::Shop(ShopAction::ShopReviews(0)));
    let profile = Button::action(t("shop-my-profile"), Action::Shop(ShopAction::ShopProfile));
    // On a small keyboard the rows below the menu take two rows, not three.
    let below = if ctx.keys().narrow() {
        vec![vec![cart, profile], vec![orders, reviews]]
    } else {
        vec![vec![cart], vec![orders, reviews], vec![profile]]
    };
    let fixed: Vec<usize> = below.iter().map(Vec::len).collect();
    super::paged_buttons(ctx, &mut v, page, buttons, (2, &fixed, 40));
    for row in below {
        v.row(row);
    }
    Ok(v.with_notice(notice.as_deref()))
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    c: &Customer,
    action: Action,
) -> Result<Reply, UiError> {
    let mut toast = None;
    match action {
        Action::Shop(ShopAction::ShopCategory(id, page)) => {
            state.go(ShopScreen::Category { id: id.get(), page });
        }
        Action::Shop(ShopAction::ShopProduct(id)) => state.go(ShopScreen::Product { id }),
        Action::Shop(ShopAction::Cart) => state.go(ShopScreen::Cart),
        Action::Shop(ShopAction::CartAdd(id))
        | Action::Shop(ShopAction::CartSub(id))
        | Action::Shop(ShopAction::CartRemove(id)) => {
            let p = match products::get(ctx.tx, id).await {
                Ok(p) => p,
                Err(StoreError::NotFound) => {
                    return Ok(Reply::keep().with_alert(ctx.lang.t("not-found")));
                }
                Err(e) => return Err(e.into()),
            };
            let have = shop::cart(ctx.tx, c.id)
                .await?
                .into_iter()
                .find(|i| i.product_id == id)
                .map_or(0, |i| i.quantity);
            let want = match action {
                Action::Shop(ShopAction::CartAdd(_)) => {
                    let lines = cart_lines(ctx, c).await?;
                    let stopped = lines.iter().any(|l| l.product.id == id && l.unavailable);
                    if p.archived || !p.available || stopped || !sold(ctx, &p).await? {
                        return Ok(Reply::keep().with_alert(ctx.lang.t("shop-unavailable")));
                    }
                    if have + step(p.unit) > most(p.unit) {
                        return Ok(Reply::keep().with_alert(ctx.lang.t("shop-too-many")));
                    }
                    toast = Some(ctx.lang.t_args("shop-added", &[("name", p.name.clone())]));
                    have + step(p.unit)
                }
                Action::Shop(ShopAction::CartSub(_)) => (have - step(p.unit)).max(0),
                _ => 0,
            };
            shop::set_cart(ctx.tx, c.id, id, want, ctx.now).await?;
        }
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    let reply = Reply::show(render(ctx, state, c, None).await?);
    Ok(match toast {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

/// Whether the product's category lets it be ordered.
async fn sold(ctx: &mut Ctx<'_>, p: &Product) -> Result<bool, UiError> {
    Ok(match p.category {
        Some(id) => {
            let cat = categories::get(ctx.tx, id).await?;
            cat.available && !cat.hidden
        }
        None => true,
    })
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &ShopState,
    c: &Customer,
    notice: Option<String>,
) -> Result<View, UiError> {
    let view = match &state.screen {
        ShopScreen::Category { id, page } => category(ctx, *id, *page).await?,
        ShopScreen::Product { id } => product(ctx, c, *id).await?,
        ShopScreen::Cart => cart(ctx, c, state.page()).await?,
        _ => return home(ctx, c, state.page(), notice).await,
    };
    Ok(view.with_notice(notice.as_deref()))
}

async fn category(ctx: &mut Ctx<'_>, id: i64, page: u32) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let (title, open, items) = if id == 0 {
        (
            t("shop-other"),
            true,
            products::in_category(ctx.tx, None).await?,
        )
    } else {
        let cat = match categories::get(ctx.tx, CategoryId::new(id)).await {
            Ok(c) if !c.hidden => c,
            Ok(_) | Err(StoreError::NotFound) => {
                let mut v = View::default();
                v.text.plain(t("not-found"));
                v.button(t("btn-back"), Action::Shop(ShopAction::ShopHome));
                return Ok(v);
            }
            Err(e) => return Err(e.into()),
        };
        let items = products::in_category(ctx.tx, Some(cat.id)).await?;
        (cat.name, cat.available, items)
    };
    let total = i64::try_from(items.len()).unwrap_or(0);
    let most = ctx.config.page_size as usize;
    let size = ctx.keys().page_size(items.len(), 1, &[2], most);
    let page = Page::new(page, total, size);
    let mut v = View::default();
    v.text.bold(&title).newline();
    if !open {
        v.text.italic(t("shop-category-stopped")).newline();
    }
    if items.is_empty() {
        v.text.italic(t("shop-category-empty")).newline();
    }
    let start = usize::try_from(page.offset()).unwrap_or(0);
    let size = usize::try_from(page.limit()).unwrap_or(1);
    for p in items.iter().skip(start).take(size) {
        let mark = if p.available && open { "" } else { "⛔ " };
        let text = format!("{mark}{} · {}", p.name, price_per(ctx, p.price, p.unit));
        v.button(label(&text), Action::Shop(ShopAction::ShopProduct(p.id)));
    }
    let cid = CategoryId::new(id);
    v.row(page.nav(ctx.lang, |p| Action::Shop(ShopAction::ShopCategory(cid, p))));
    v.row(vec![
        Button::action(t("btn-back"), Action::Shop(ShopAction::ShopHome)),
        Button::action(t("shop-cart"), Action::Shop(ShopAction::Cart)),
    ]);
    Ok(v)
}

async fn product(ctx: &mut Ctx<'_>, c: &Customer, id: ProductId) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let p = match products::get(ctx.tx, id).await {
        Ok(p) if !p.archived => p,
        Ok(_) | Err(StoreError::NotFound) => {
            let mut v = View::default();
            v.text.plain(t("shop-unavailable"));
            v.button(t("btn-back"), Action::Shop(ShopAction::ShopHome));
            return Ok(v);
        }
        Err(e) => return Err(e.into()),
    };
    let open = p.available && sold(ctx, &p).await?;
    let stars = rating(ctx, p.id).await?;
    let have = shop::cart(ctx.tx, c.id)
        .await?
        .into_iter()
        .find(|i| i.product_id == id)
        .and_then(|i| Quantity::new(p.unit, i.quantity).ok());
    let mut v = View::default();
    v.text.bold(&p.name).newline();
    v.text.line(price_per(ctx, p.price, p.unit));
    v.text.line(stars);
    if let Some(m) = p.prep_minutes {
        v.text.line(
            ctx.lang
                .t_args("shop-prep-time", &[("minutes", m.to_string())]),
        );
    }
    if let Some(d) = &p.description {
        // A photo's caption holds 1024 characters: long descriptions are cut.
        let cut: String = d.chars().take(600).collect();
        let more = if cut.len() < d.len() { "…" } else { "" };
        v.text.newline().plain(format!("{cut}{more}")).newline();
    }
    if !open {
        v.text.newline().italic(t("shop-unavailable")).newline();
    }
    v.photo = p.photo.clone();
    match have {
        Some(q) => {
            v.row(vec![
                Button::action("➖", Action::Shop(ShopAction::CartSub(id))),
                Button::action(
                    ctx.lang
                        .t_args("shop-in-cart", &[("quantity", quantity(ctx, q))]),
                    Action::Shop(ShopAction::Cart),
                ),
                Button::action("➕", Action::Shop(ShopAction::CartAdd(id))),
            ]);
        }
        None if open => {
            v.button(t("shop-add"), Action::Shop(ShopAction::CartAdd(id)));
        }
        None => {}
    }
    let back = Action::Shop(ShopAction::ShopCategory(
        p.category.unwrap_or(CategoryId::new(0)),
        0,
    ));
    v.row(vec![
        Button::action(t("btn-back"), back),
        Button::action(t("shop-cart"), Action::Shop(ShopAction::Cart)),
    ]);
    Ok(v)
}

async fn cart(ctx: &mut Ctx<'_>, c: &Customer, page: u32) -> Result<View, UiError> {
    let lang = ctx.lang;
    let t = |id: &str| lang.t(id);
    let lines = cart_lines(ctx, c).await?;
    let mut v = View::default();
    v.text.bold(t("shop-cart-title")).newline();
    if lines.is_empty() {
        v.text.italic(t("shop-cart-empty")).newline();
        v.button(t("shop-open-menu"), Action::Shop(ShopAction::ShopHome));
        return Ok(v);
    }
    let narrow = ctx.keys().narrow();
    for l in &lines {
        let mark = if l.unavailable { "⛔ " } else { "" };
        v.text
            .plain(mark)
            .bold(&l.product.name)
            .plain(format!(
                " × {} = {}",
                quantity(ctx, l.quantity),
                money(ctx, l.amount(ctx))
            ))
            .newline();
    }
    let total = priced(ctx, &lines).map_or(Money::ZERO, |p| p.goods);
    v.text
        .newline()
        .bold(
            ctx.lang
                .t_args("shop-cart-total", &[("amount", money(ctx, total))]),
        )
        .newline();
    if lines.iter().any(|l| l.quantity.unit() == Unit::Kg) {
        v.text.italic(t("shop-weight-note")).newline();
    }
    let blocked = lines.iter().any(|l| l.unavailable);
    if blocked {
        v.text.italic(t("shop-cart-has-unavailable")).newline();
    }
    let mut below = Vec::new();
    if !blocked {
        below.push(Button::action(
            t("shop-checkout"),
            Action::Shop(ShopAction::Checkout),
        ));
    }
    below.push(Button::action(
        t("shop-open-menu"),
        Action::Shop(ShopAction::ShopHome),
    ));
    if narrow {
        // A small keyboard: a line is one button opening the dish (with its
        // ➖ ➕), a page at a time, and checkout is on every page.
        let buttons = lines
            .iter()
            .map(|l| {
                let text = format!("✏️ {} × {}", l.product.name, quantity(ctx, l.quantity));
                Button::action(
                    label(&text),
                    Action::Shop(ShopAction::ShopProduct(l.product.id)),
                )
            })
            .collect();
        super::paged_buttons(ctx, &mut v, page, buttons, (1, &[below.len()], 20));
        v.row(below);
    } else {
        for l in &lines {
            v.row(vec![
                Button::action("➖", Action::Shop(ShopAction::CartSub(l.product.id))),
                Button::action(
                    label(&l.product.name),
                    Action::Shop(ShopAction::ShopProduct(l.product.id)),
                ),
                Button::action("➕", Action::Shop(ShopAction::CartAdd(l.product.id))),
                Button::action("✖", Action::Shop(ShopAction::CartRemove(l.product.id))),
            ]);
        }
        for b in below {
            v.row(vec![b]);
        }
    }
    Ok(v)
}
