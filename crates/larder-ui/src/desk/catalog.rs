//! The catalog as customers will see it, managed from the desk: categories
//! in a chosen order (rename, move, hide, stop-list), and per product its
//! category, description, photo, preparation time and stop-list flag.

use crate::action::DeskAction;
use larder_core::{CategoryId, ProductId, ProductName};
use larder_store::categories::{self, CategoryChange};
use larder_store::{StoreError, products};

use super::common::{label, menu, warn};
use super::state::{DeskState, Screen};
use crate::action::{Action, Field};
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
) -> Result<Reply, UiError> {
    let mut toast = None;
    match action {
        Action::Desk(DeskAction::Categories) => state.screen = Screen::Categories,
        Action::Desk(DeskAction::Category(id)) => state.screen = Screen::Category { id },
        Action::Desk(DeskAction::NewCategory) => state.screen = Screen::CategoryPrompt { id: None },
        Action::Desk(DeskAction::RenameCategory(id)) => {
            state.screen = Screen::CategoryPrompt { id: Some(id) }
        }
        Action::Desk(DeskAction::CategoryMove(id, up)) => {
            categories::shift(ctx.tx, id, up, ctx.now).await?;
            state.screen = Screen::Categories;
        }
        Action::Desk(DeskAction::CategoryHide(id, hidden)) => {
            toast = Some(change(ctx, id, CategoryChange::Hidden(hidden)).await?);
            state.screen = Screen::Category { id };
        }
        Action::Desk(DeskAction::CategoryStop(id, stopped)) => {
            toast = Some(change(ctx, id, CategoryChange::Available(!stopped)).await?);
            state.screen = Screen::Category { id };
        }
        Action::Desk(DeskAction::ProductCategory(product)) => {
            state.screen = Screen::CategoryPicker { product }
        }
        Action::Desk(DeskAction::SetCategory(id, category)) => {
            toast = Some(product_change(ctx, id, products::Change::Category(category)).await?);
            state.screen = Screen::Product { id };
        }
        Action::Desk(DeskAction::ProductStop(id, stopped)) => {
            toast = Some(product_change(ctx, id, products::Change::Available(!stopped)).await?);
            state.screen = Screen::Product { id };
        }
        Action::Desk(DeskAction::ProductPhotoRemove(id)) => {
            toast = Some(product_change(ctx, id, products::Change::Photo(None)).await?);
            state.screen = Screen::Product { id };
        }
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    let reply = Reply::show(super::render(ctx, state, None).await?);
    Ok(match toast {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

async fn change(
    ctx: &mut Ctx<'_>,
    id: CategoryId,
    change: CategoryChange<'_>,
) -> Result<String, UiError> {
    let c = categories::get(ctx.tx, id).await?;
    Ok(
        match categories::update(ctx.tx, id, c.version, change, ctx.now).await {
            Ok(()) => ctx.lang.t("saved"),
            Err(StoreError::Conflict) => ctx.lang.t("changed-elsewhere"),
            Err(e) => return Err(e.into()),
        },
    )
}

/// One change of a product's shop fields; the toast to show.
pub async fn product_change(
    ctx: &mut Ctx<'_>,
    id: ProductId,
    change: products::Change<'_>,
) -> Result<String, UiError> {
    let p = products::get(ctx.tx, id).await?;
    Ok(
        match products::update(ctx.tx, id, p.version, change, ctx.now).await {
            Ok(()) => ctx.lang.t("saved"),
            Err(StoreError::Conflict) => ctx.lang.t("changed-elsewhere"),
            Err(e) => return Err(e.into()),
        },
    )
}

/// A photo sent on a product's card (or its photo prompt) becomes its photo.
pub async fn photo(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    file_id: &str,
) -> Result<Reply, UiError> {
    let id = match state.screen {
        Screen::Product { id }
        | Screen::Edit {
            id,
            field: Field::Photo,
        } => id,
        _ => {
            let view = super::render(ctx, state, Some(ctx.lang.t("photo-not-expected"))).await?;
            return Ok(Reply::show(view));
        }
    };
    let toast = product_change(ctx, id, products::Change::Photo(Some(file_id))).await?;
    state.screen = Screen::Product { id };
    Ok(Reply::show(super::render(ctx, state, None).await?).with_toast(toast))
}

/// A typed category name (new or renamed).
pub async fn typed(ctx: &mut Ctx<'_>, state: &mut DeskState, text: &str) -> Result<Reply, UiError> {
    let Screen::CategoryPrompt { id } = state.screen.clone() else {
        return Ok(Reply::show(
            super::render(ctx, state, Some(ctx.lang.t("type-buttons"))).await?,
        ));
    };
    let name = match ProductName::parse(text) {
        Ok(n) => n,
        Err(e) => {
            let notice = warn(ctx, e.message_id(), &e.args());
            return Ok(Reply::show(super::render(ctx, state, Some(notice)).await?));
        }
    };
    let done = match id {
        None => categories::create(ctx.tx, name.as_str(), ctx.now)
            .await
            .map(Some),
        Some(id) => {
            let c = categories::get(ctx.tx, id).await?;
            categories::update(
                ctx.tx,
                id,
                c.version,
                CategoryChange::Name(name.as_str()),
                ctx.now,
            )
            .await
            .map(|()| Some(id))
        }
    };
    match done {
        Ok(Some(id)) => {
            state.screen = Screen::Category { id };
            Ok(Reply::show(super::render(ctx, state, None).await?).with_toast(ctx.lang.t("saved")))
        }
        Ok(None) => Ok(Reply::keep()),
        Err(StoreError::Duplicate) => {
            let notice = warn(
                ctx,
                "category-name-taken",
                &[("name", name.as_str().to_owned())],
            );
            Ok(Reply::show(super::render(ctx, state, Some(notice)).await?))
        }
        Err(StoreError::Conflict) => Ok(Reply::show(
            super::render(ctx, state, Some(ctx.lang.t("changed-elsewhere"))).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    let t = |id: &str| ctx.lang.t(id);
    let mut v = View::default();
    match state.screen.clone() {
        Screen::Categories => {
            let all = categories::all(ctx.tx).await?;
            v.text
                .bold(format!("{} ({})", t("categories-title"), all.len()))
                .newline();
            if all.is_empty() {
                v.text.italic(t("categories-empty"));
            }
            for c in &all {
                v.text
                    .line(format!("{} {} · {}", marks(c), c.name, c.products));
                v.row(vec![
                    Button::action(label(&c.name), Action::Desk(DeskAction::Category(c.id))),
                    Button::action("⬆", Action::Desk(DeskAction::CategoryMove(c.id, true))),
                    Button::action("⬇", Action::Desk(DeskAction::CategoryMove(c.id, false))),
                ]);
            }
            v.button(t("categories-add"), Action::Desk(DeskAction::NewCategory));
            v.row(vec![
                Button::action(
                    t("btn-back"),
                    Action::Desk(DeskAction::Products {
                        archived: false,
                        page: 0,
                    }),
                ),
                menu(ctx),
            ]);
        }
        Screen::Category { id } => {
            let c = match categories::get(ctx.tx, id).await {
                Ok(c) => c,
                Err(StoreError::NotFound) => {
                    state.screen = Screen::Categories;
                    return Box::pin(render(ctx, state, Some(t("not-found")))).await;
                }
                Err(e) => return Err(e.into()),
            };
            v.text.bold(format!("{} {}", marks(&c), c.name)).newline();
            v.text.line(
                ctx.lang
                    .t_args("category-products", &[("count", c.products.to_string())]),
            );
            if c.hidden {
                v.text.italic(t("category-hidden-note")).newline();
            }
            if !c.available {
                v.text.italic(t("category-stopped-note")).newline();
            }
            v.button(
                t("category-rename"),
                Action::Desk(DeskAction::RenameCategory(c.id)),
            );
            v.row(vec![
                if c.hidden {
                    Button::action(
                        t("category-show"),
                        Action::Desk(DeskAction::CategoryHide(c.id, false)),
                    )
                } else {
                    Button::action(
                        t("category-hide"),
                        Action::Desk(DeskAction::CategoryHide(c.id, true)),
                    )
                },
                if c.available {
                    Button::action(
                        t("btn-stop-list"),
                        Action::Desk(DeskAction::CategoryStop(c.id, true)),
                    )
                } else {
                    Button::action(
                        t("btn-back-on-sale"),
                        Action::Desk(DeskAction::CategoryStop(c.id, false)),
                    )
                },
            ]);
            v.row(vec![
                Button::action(t("btn-back"), Action::Desk(DeskAction::Categories)),
                menu(ctx),
            ]);
        }
        Screen::CategoryPrompt { id } => {
            v.text.plain(t(if id.is_some() {
                "category-prompt-rename"
            } else {
                "category-prompt-new"
            }));
            v.button(
                t("btn-cancel"),
                id.map_or(Action::Desk(DeskAction::Categories), |a0| {
                    Action::Desk(DeskAction::Category(a0))
                }),
            );
        }
        Screen::CategoryPicker { product } => {
            let p = products::get(ctx.tx, product).await?;
            v.text.bold(&p.name).newline().plain(t("category-pick"));
            for c in categories::all(ctx.tx).await? {
                let mark = if p.category == Some(c.id) { "✓ " } else { "" };
                v.button(
                    label(&format!("{mark}{}", c.name)),
                    Action::Desk(DeskAction::SetCategory(product, Some(c.id))),
                );
            }
            v.button(
                t("category-none"),
                Action::Desk(DeskAction::SetCategory(product, None)),
            );
            v.button(t("btn-cancel"), Action::Desk(DeskAction::Product(product)));
        }
        _ => return Ok(super::menu::view(ctx)),
    }
    Ok(v.with_notice(notice.as_deref()))
}

/// 🙈 hidden, ⛔ stop-listed, 📂 shown.
fn marks(c: &categories::Category) -> &'static str {
    match (c.hidden, c.available) {
        (true, _) => "🙈",
        (false, false) => "⛔",
        (false, true) => "📂",
    }
}
