//! Products in the desk: the paged list, a product's card, creating one
//! (name → unit → price → confirm) and editing name, price, unit, archive.

use crate::action::DeskAction;
use larder_core::{Money, Note, ProductId, ProductName, Unit, parse_price};
use larder_store::{StoreError, products};

use super::state::{DeskState, ProductDraft, Screen};
use crate::action::{Action, Field};
use crate::paging::Page;
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

/// "250.00 ₽/kg".
pub fn price_label(ctx: &Ctx<'_>, price: Money, unit: Unit) -> String {
    let c = &ctx.config.currency;
    let per = ctx.lang.t(unit_id(unit));
    format!("{} {}/{per}", c.format(price), c.symbol())
}

fn unit_id(unit: Unit) -> &'static str {
    match unit {
        Unit::Kg => "unit-kg",
        Unit::Piece => "unit-piece",
    }
}

fn warn(ctx: &Ctx<'_>, id: &str, args: &[(&str, String)]) -> String {
    format!("⚠️ {}", ctx.lang.t_args(id, args))
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
) -> Result<Reply, UiError> {
    let mut toast = None;
    match action {
        Action::Desk(DeskAction::Products { archived, page }) => {
            state.screen = Screen::Products { archived, page }
        }
        Action::Desk(DeskAction::Product(id)) => state.screen = Screen::Product { id },
        Action::Desk(DeskAction::NewProduct) => {
            state.draft = Some(ProductDraft::default());
            state.screen = Screen::NewName;
        }
        Action::Desk(DeskAction::DraftUnit(unit)) if state.screen == Screen::NewUnit => {
            state.draft.get_or_insert_default().unit = Some(unit);
            state.screen = Screen::NewPrice;
        }
        Action::Desk(DeskAction::DraftSave) if state.screen == Screen::NewConfirm => {
            return save_draft(ctx, state).await;
        }
        Action::Desk(DeskAction::Edit(id, field)) => state.screen = Screen::Edit { id, field },
        Action::Desk(DeskAction::SetUnit(id, unit)) => {
            return change(ctx, state, id, |p| products::Change::Unit(unit).with(p)).await;
        }
        Action::Desk(DeskAction::Archive(id)) => {
            return change(ctx, state, id, |_| Some(products::Change::Archived(true))).await;
        }
        Action::Desk(DeskAction::Restore(id)) => {
            return change(ctx, state, id, |_| Some(products::Change::Archived(false))).await;
        }
        Action::Cancel => {
            state.draft = None;
            state.screen = match state.screen {
                Screen::Edit { id, .. } => Screen::Product { id },
                Screen::Product { .. } | Screen::Products { .. } | Screen::Menu => Screen::Menu,
                _ => Screen::Products {
                    archived: false,
                    page: 0,
                },
            };
            toast = Some(ctx.lang.t("cancelled"));
        }
        // A press that does not fit the current screen: a stale or forged button.
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    let view = render(ctx, state, None).await?;
    let reply = Reply::show(view);
    Ok(match toast {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

trait ChangeExt<'a> {
    fn with(self, current: &products::Product) -> Option<products::Change<'a>>;
}

impl<'a> ChangeExt<'a> for products::Change<'a> {
    /// The change, or `None` when it would change nothing.
    fn with(self, current: &products::Product) -> Option<products::Change<'a>> {
        let same = match &self {
            products::Change::Unit(u) => *u == current.unit,
            products::Change::Price(p) => *p == current.price,
            products::Change::Archived(a) => *a == current.archived,
            products::Change::Name(n) => n.as_str() == current.name,
            products::Change::Category(c) => *c == current.category,
            products::Change::Description(d) => *d == current.description.as_deref(),
            products::Change::Photo(p) => *p == current.photo.as_deref(),
            products::Change::PrepMinutes(m) => *m == current.prep_minutes,
            products::Change::Available(a) => *a == current.available,
        };
        (!same).then_some(self)
    }
}

/// Applies one change to a product and shows its card.
async fn change<'n>(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    id: ProductId,
    make: impl FnOnce(&products::Product) -> Option<products::Change<'n>>,
) -> Result<Reply, UiError> {
    let current = match products::get(ctx.tx, id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return gone(ctx, state).await,
        Err(e) => return Err(e.into()),
    };
    let Some(change) = make(&current) else {
        state.screen = Screen::Product { id };
        let view = render(ctx, state, None).await?;
        return Ok(Reply::show(view).with_toast(ctx.lang.t("nothing-changed")));
    };
    let done = match change {
        products::Change::Archived(true) => "product-archived",
        products::Change::Archived(false) => "product-restored",
        _ => "saved",
    };
    let notice = match products::update(ctx.tx, id, current.version, change, ctx.now).await {
        Ok(()) => {
            state.screen = Screen::Product { id };
            return Ok(Reply::show(render(ctx, state, None).await?).with_toast(ctx.lang.t(done)));
        }
        Err(StoreError::Duplicate) => {
            warn(ctx, "product-name-taken", &[("name", current.name.clone())])
        }
        Err(StoreError::Conflict) => ctx.lang.t("changed-elsewhere"),
        Err(StoreError::Refused) => warn(ctx, "product-unit-held", &[]),
        Err(e) => return Err(e.into()),
    };
    state.screen = Screen::Product { id };
    Ok(Reply::show(render(ctx, state, Some(notice)).await?))
}

async fn gone(ctx: &mut Ctx<'_>, state: &mut DeskState) -> Result<Reply, UiError> {
    state.screen = Screen::Products {
        archived: false,
        page: 0,
    };
    let view = render(ctx, state, None).await?;
    Ok(Reply::show(view).with_toast(ctx.lang.t("not-found")))
}

async fn save_draft(ctx: &mut Ctx<'_>, state: &mut DeskState) -> Result<Reply, UiError> {
    let draft = state.draft.clone().unwrap_or_default();
    let (Some(name), Some(unit), Some(price)) = (draft.name, draft.unit, draft.price_minor) else {
        state.screen = Screen::NewName;
        let view = render(ctx, state, None).await?;
        return Ok(Reply::show(view));
    };
    let Ok(name) = ProductName::parse(&name) else {
        state.screen = Screen::NewName;
        return Ok(Reply::show(render(ctx, state, None).await?));
    };
    match products::insert(ctx.tx, &name, unit, Money::from_minor(price), ctx.now).await {
        Ok(id) => {
            tracing::info!(product.id = id.get(), "product created");
            state.draft = None;
            state.screen = Screen::Product { id };
            Ok(
                Reply::show(render(ctx, state, None).await?)
                    .with_toast(ctx.lang.t("product-saved")),
            )
        }
        Err(StoreError::Duplicate) => {
            state.screen = Screen::NewName;
            let notice = warn(
                ctx,
                "product-name-taken",
                &[("name", name.as_str().to_owned())],
            );
            Ok(Reply::show(render(ctx, state, Some(notice)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Typed text: the answer to the prompt on screen, or a polite hint.
pub async fn typed(ctx: &mut Ctx<'_>, state: &mut DeskState, text: &str) -> Result<Reply, UiError> {
    let notice = match state.screen.clone() {
        Screen::NewName => match ProductName::parse(text) {
            Ok(name) => {
                if name_taken(ctx, &name, None).await? {
                    Some(warn(
                        ctx,
                        "product-name-taken",
                        &[("name", name.as_str().to_owned())],
                    ))
                } else {
                    state.draft.get_or_insert_default().name = Some(name.as_str().to_owned());
                    state.screen = Screen::NewUnit;
                    None
                }
            }
            Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
        },
        Screen::NewPrice => match parse_price(text, &ctx.config.currency, &ctx.config.limits) {
            Ok(price) => {
                state.draft.get_or_insert_default().price_minor = Some(price.minor());
                state.screen = Screen::NewConfirm;
                None
            }
            Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
        },
        Screen::Edit {
            id,
            field: Field::Name,
        } => match ProductName::parse(text) {
            Ok(name) => {
                return change(ctx, state, id, |p| products::Change::Name(&name).with(p)).await;
            }
            Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
        },
        Screen::Edit {
            id,
            field: Field::Price,
        } => match parse_price(text, &ctx.config.currency, &ctx.config.limits) {
            Ok(price) => {
                return change(ctx, state, id, |p| products::Change::Price(price).with(p)).await;
            }
            Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
        },
        Screen::Edit {
            id,
            field: Field::Description,
        } => match Note::parse(text) {
            Ok(d) => {
                let toast = super::catalog::product_change(
                    ctx,
                    id,
                    products::Change::Description(Some(d.as_str())),
                )
                .await?;
                state.screen = Screen::Product { id };
                return Ok(Reply::show(render(ctx, state, None).await?).with_toast(toast));
            }
            Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
        },
        Screen::Edit {
            id,
            field: Field::PrepTime,
        } => match parse_minutes(text) {
            Some(minutes) => {
                let toast =
                    super::catalog::product_change(ctx, id, products::Change::PrepMinutes(minutes))
                        .await?;
                state.screen = Screen::Product { id };
                return Ok(Reply::show(render(ctx, state, None).await?).with_toast(toast));
            }
            None => Some(warn(ctx, "error-minutes", &[])),
        },
        Screen::Edit {
            field: Field::Photo,
            ..
        } => Some(ctx.lang.t("photo-send-one")),
        _ => Some(ctx.lang.t("type-buttons")),
    };
    let view = render(ctx, state, notice).await?;
    Ok(Reply::show(view))
}

/// Preparation time in whole minutes, 1..=600; "0" or "-" clears it.
fn parse_minutes(text: &str) -> Option<Option<i64>> {
    let text = text
        .trim()
        .trim_end_matches(['m', 'м', 'и', 'н', '.', ' '])
        .trim();
    match text {
        "0" | "-" | "—" => Some(None),
        t if !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit()) => {
            let n: i64 = t.parse().ok()?;
            (1..=600).contains(&n).then_some(Some(n))
        }
        _ => None,
    }
}

async fn name_taken(
    ctx: &mut Ctx<'_>,
    name: &ProductName,
    except: Option<ProductId>,
) -> Result<bool, UiError> {
    let key = products::name_key(name);
    Ok(products::find_active_by_key(ctx.tx, &key)
        .await?
        .is_some_and(|id| Some(id) != except))
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    let notice = notice.as_deref();
    let t = |id: &str| ctx.lang.t(id);
    let draft = state.draft.clone().unwrap_or_default();
    let view = match state.screen.clone() {
        Screen::Products { archived, page } => list(ctx, archived, page).await?,
        Screen::Product { id } => match products::get(ctx.tx, id).await {
            Ok(p) => {
                let category = match p.category {
                    Some(c) => Some(larder_store::categories::get(ctx.tx, c).await?.name),
                    None => None,
                };
                card(ctx, &p, category)
            }
            Err(StoreError::NotFound) => {
                state.screen = Screen::Products {
                    archived: false,
                    page: 0,
                };
                return Box::pin(render(ctx, state, Some(t("not-found")))).await;
            }
            Err(e) => return Err(e.into()),
        },
        Screen::NewName => prompt(ctx, "new-product-title", t("prompt-name"), &draft),
        Screen::NewUnit => {
            let mut v = prompt(ctx, "new-product-title", t("prompt-unit"), &draft);
            v.keyboard.insert(
                0,
                unit_buttons(ctx, |a0| Action::Desk(DeskAction::DraftUnit(a0))),
            );
            v
        }
        Screen::NewPrice => {
            let id = if draft.unit == Some(Unit::Piece) {
                "prompt-price-piece"
            } else {
                "prompt-price-kg"
            };
            prompt(ctx, "new-product-title", t(id), &draft)
        }
        Screen::NewConfirm => {
            let mut v = prompt(ctx, "new-product-title", t("new-product-confirm"), &draft);
            v.keyboard.insert(
                0,
                vec![Button::action(
                    t("btn-save"),
                    Action::Desk(DeskAction::DraftSave),
                )],
            );
            v
        }
        Screen::Edit { id, field } => match products::get(ctx.tx, id).await {
            Ok(p) => edit_prompt(ctx, &p, field),
            Err(StoreError::NotFound) => {
                state.screen = Screen::Products {
                    archived: false,
                    page: 0,
                };
                return Box::pin(render(ctx, state, Some(t("not-found")))).await;
            }
            Err(e) => return Err(e.into()),
        },
        _ => super::menu::view(ctx),
    };
    Ok(view.with_notice(notice))
}

async fn list(ctx: &mut Ctx<'_>, archived: bool, page: u32) -> Result<View, UiError> {
    let t = |id: &str| ctx.lang.t(id);
    let total = products::count(ctx.tx, archived).await?;
    let page = Page::new(page, total, ctx.config.page_size);
    let items = products::page(ctx.tx, archived, page.offset(), page.limit()).await?;
    let mut v = View::default();
    let title = if archived {
        "products-archived-title"
    } else {
        "products-title"
    };
    v.text.bold(format!("{} ({total})", t(title))).newline();
    if items.is_empty() {
        v.text.italic(t(if archived {
            "products-archived-empty"
        } else {
            "products-empty"
        }));
    }
    for (n, p) in items.iter().enumerate() {
        let number = page.offset() + i64::try_from(n).unwrap_or(0) + 1;
        v.text
            .plain(format!("{number}. "))
            .bold(&p.name)
            .plain(format!(" — {}", price_label(ctx, p.price, p.unit)))
            .newline();
        v.button(
            button_label(&p.name),
            Action::Desk(DeskAction::Product(p.id)),
        );
    }
    v.row(page.nav(ctx.lang, |page| {
        Action::Desk(DeskAction::Products { archived, page })
    }));
    if archived {
        v.button(
            t("products-show-active"),
            Action::Desk(DeskAction::Products {
                archived: false,
                page: 0,
            }),
        );
    } else {
        v.row(vec![
            Button::action(t("products-add"), Action::Desk(DeskAction::NewProduct)),
            Button::action(
                t("products-show-archived"),
                Action::Desk(DeskAction::Products {
                    archived: true,
                    page: 0,
                }),
            ),
        ]);
        v.button(
            t("categories-title-button"),
            Action::Desk(DeskAction::Categories),
        );
    }
    v.button(t("btn-menu"), Action::Menu);
    Ok(v)
}

/// Button labels stay short: long names are cut with an ellipsis.
fn button_label(name: &str) -> String {
    const MAX: usize = 40;
    if name.chars().count() <= MAX {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

fn card(ctx: &Ctx<'_>, p: &products::Product, category: Option<String>) -> View {
    let t = |id: &str| ctx.lang.t(id);
    let mut v = View::default();
    v.text.bold(&p.name).newline();
    v.text.line(ctx.lang.t_args(
        "product-price",
        &[("price", price_label(ctx, p.price, p.unit))],
    ));
    if let Some(d) = &p.description {
        v.text.italic(d).newline();
    }
    v.text.line(format!(
        "📂 {} · 📷 {} · ⏱ {}",
        category.unwrap_or_else(|| t("category-none")),
        if p.photo.is_some() {
            t("photo-yes")
        } else {
            t("photo-no")
        },
        p.prep_minutes.map_or_else(
            || "—".to_owned(),
            |m| ctx.lang.t_args("minutes", &[("count", m.to_string())])
        ),
    ));
    v.text.line(t(if p.available {
        "product-on-sale"
    } else {
        "product-stopped"
    }));
    if p.archived {
        v.text.italic(t("product-archived-note"));
    }
    v.row(vec![
        Button::action(
            t("product-edit-name"),
            Action::Desk(DeskAction::Edit(p.id, Field::Name)),
        ),
        Button::action(
            t("product-edit-price"),
            Action::Desk(DeskAction::Edit(p.id, Field::Price)),
        ),
        Button::action(
            t("product-edit-unit"),
            Action::Desk(DeskAction::Edit(p.id, Field::Unit)),
        ),
    ]);
    v.row(vec![
        Button::action(
            t("product-edit-category"),
            Action::Desk(DeskAction::ProductCategory(p.id)),
        ),
        Button::action(
            t("product-edit-description"),
            Action::Desk(DeskAction::Edit(p.id, Field::Description)),
        ),
    ]);
    let mut photo = vec![Button::action(
        t("product-edit-photo"),
        Action::Desk(DeskAction::Edit(p.id, Field::Photo)),
    )];
    if p.photo.is_some() {
        photo.push(Button::action(
            t("product-remove-photo"),
            Action::Desk(DeskAction::ProductPhotoRemove(p.id)),
        ));
    }
    photo.push(Button::action(
        t("product-edit-prep-time"),
        Action::Desk(DeskAction::Edit(p.id, Field::PrepTime)),
    ));
    v.row(photo);
    let stop = if p.available {
        Button::action(
            t("btn-stop-list"),
            Action::Desk(DeskAction::ProductStop(p.id, true)),
        )
    } else {
        Button::action(
            t("btn-back-on-sale"),
            Action::Desk(DeskAction::ProductStop(p.id, false)),
        )
    };
    let archive = if p.archived {
        Button::action(
            t("product-restore"),
            Action::Desk(DeskAction::Restore(p.id)),
        )
    } else {
        Button::action(
            t("product-archive"),
            Action::Desk(DeskAction::Archive(p.id)),
        )
    };
    v.row(vec![stop, archive]);
    v.row(vec![
        Button::action(
            t("btn-back"),
            Action::Desk(DeskAction::Products {
                archived: p.archived,
                page: 0,
            }),
        ),
        Button::action(t("btn-menu"), Action::Menu),
    ]);
    v
}

fn unit_buttons(ctx: &Ctx<'_>, to: impl Fn(Unit) -> Action) -> Vec<Button> {
    vec![
        Button::action(ctx.lang.t("btn-unit-kg"), to(Unit::Kg)),
        Button::action(ctx.lang.t("btn-unit-piece"), to(Unit::Piece)),
    ]
}

/// A step of the creation dialogue: what is filled in so far, then the question.
fn prompt(ctx: &Ctx<'_>, title: &str, question: String, draft: &ProductDraft) -> View {
    let t = |id: &str| ctx.lang.t(id);
    let mut v = View::default();
    v.text.bold(t(title)).newline();
    if let Some(name) = &draft.name {
        v.text
            .plain(format!("{}: ", t("field-name")))
            .bold(name)
            .newline();
    }
    if let Some(unit) = draft.unit {
        let id = if unit == Unit::Kg {
            "btn-unit-kg"
        } else {
            "btn-unit-piece"
        };
        v.text.line(format!("{}: {}", t("field-unit"), t(id)));
    }
    if let (Some(price), Some(unit)) = (draft.price_minor, draft.unit) {
        v.text.line(format!(
            "{}: {}",
            t("field-price"),
            price_label(ctx, Money::from_minor(price), unit)
        ));
    }
    v.text.newline().plain(question);
    v.button(t("btn-cancel"), Action::Cancel);
    v
}

fn edit_prompt(ctx: &Ctx<'_>, p: &products::Product, field: Field) -> View {
    let t = |id: &str| ctx.lang.t(id);
    let name = [("name", p.name.clone())];
    let mut v = View::default();
    v.text.bold(&p.name).newline();
    v.text
        .line(ctx.lang.t_args(
            "product-price",
            &[("price", price_label(ctx, p.price, p.unit))],
        ))
        .newline();
    match field {
        Field::Name => {
            v.text.plain(ctx.lang.t_args("edit-name-prompt", &name));
        }
        Field::Price => {
            let id = if p.unit == Unit::Kg {
                "prompt-price-kg"
            } else {
                "prompt-price-piece"
            };
            v.text.plain(t(id));
        }
        Field::Unit => {
            v.text.plain(t("edit-unit-prompt"));
            v.row(unit_buttons(ctx, |u| {
                Action::Desk(DeskAction::SetUnit(p.id, u))
            }));
        }
        Field::Description => {
            v.text.plain(t("prompt-description"));
        }
        Field::PrepTime => {
            v.text.plain(t("prompt-prep-time"));
        }
        Field::Photo => {
            v.text.plain(t("photo-send-one"));
        }
    }
    v.button(t("btn-cancel"), Action::Cancel);
    v
}
