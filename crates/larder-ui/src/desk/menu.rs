//! The main menu of the desk.

use crate::Ctx;
use crate::action::{Action, Section};
use crate::view::{Button, View};

pub fn view(ctx: &Ctx<'_>) -> View {
    let t = |id: &str| ctx.lang.t(id);
    let mut v = View::default();
    v.text.bold(t("menu-title")).newline().plain(t("menu-hint"));
    let soon = |s: Section| Button::action(t(s.message_id()), Action::Soon(s));
    v.row(vec![
        Button::action(
            t("menu-products"),
            Action::Products {
                archived: false,
                page: 0,
            },
        ),
        soon(Section::Sessions),
    ]);
    v.row(vec![soon(Section::NewOrder)]);
    v.row(vec![
        soon(Section::Processing),
        soon(Section::Completed),
        soon(Section::Issued),
    ]);
    v.row(vec![soon(Section::Statistics), soon(Section::Staff)]);
    v
}
