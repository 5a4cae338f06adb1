//! The main menu of the desk.

use crate::action::DeskAction;
use larder_core::{OrderStatus, Role};

use crate::Ctx;
use crate::action::{Action, StatsKind, StatsPeriod};
use crate::view::{Button, View};

pub fn orders(status: OrderStatus) -> Action {
    Action::Desk(DeskAction::Orders {
        status,
        session: None,
        newest_first: status == OrderStatus::Issued,
        page: 0,
    })
}

pub fn view(ctx: &Ctx<'_>) -> View {
    let t = |id: &str| ctx.lang.t(id);
    let mut v = View::default();
    v.text.bold(t("menu-title")).newline().plain(t("menu-hint"));
    v.row(vec![
        Button::action(
            t("menu-products"),
            Action::Desk(DeskAction::Products {
                archived: false,
                page: 0,
            }),
        ),
        Button::action(
            t("menu-sessions"),
            Action::Desk(DeskAction::Sessions {
                archived: false,
                page: 0,
            }),
        ),
    ]);
    v.row(vec![Button::action(
        t("menu-new-order"),
        Action::Desk(DeskAction::NewOrder(None)),
    )]);
    v.row(vec![
        Button::action(t("menu-processing"), orders(OrderStatus::Processing)),
        Button::action(t("menu-completed"), orders(OrderStatus::Completed)),
        Button::action(t("menu-issued"), orders(OrderStatus::Issued)),
    ]);
    let mut last = vec![
        Button::action(t("menu-statistics"), stats_today(ctx)),
        Button::action(t("menu-cancelled"), orders(OrderStatus::Cancelled)),
    ];
    // Only owners manage staff: nobody else is offered a button that refuses.
    if ctx.roles.contains(&Role::Owner) {
        last.push(Button::action(
            t("menu-staff"),
            Action::Desk(DeskAction::Staff),
        ));
    }
    v.row(last);
    v
}

/// The statistics screen for today's issued orders.
pub fn stats_today(ctx: &Ctx<'_>) -> Action {
    Action::Desk(DeskAction::Stats {
        kind: StatsKind::Issued,
        period: StatsPeriod::Day(super::common::today(ctx)),
        page: 0,
    })
}
