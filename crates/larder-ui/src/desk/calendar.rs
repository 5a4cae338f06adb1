//! A month calendar keyboard for choosing a date (today marked, in the
//! business's time zone), with month navigation; a typed date works too.

use crate::action::DeskAction;
use jiff::ToSpan;
use jiff::civil::Date;
use larder_core::{StatusEvent, Toward, month_grid, parse_date};
use larder_store::{StoreError, orders, sessions};

use super::common::{date, today, warn};
use super::state::{CalPurpose, DeskState, Screen};
use crate::action::{Action, StatsPeriod, Target};
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

pub fn open(ctx: &Ctx<'_>, purpose: CalPurpose, around: Option<Date>) -> Screen {
    let d = around.unwrap_or_else(|| today(ctx));
    Screen::Calendar {
        purpose,
        year: d.year(),
        month: d.month(),
    }
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
) -> Result<Reply, UiError> {
    let Screen::Calendar { purpose, .. } = state.screen.clone() else {
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    };
    match action {
        Action::Desk(DeskAction::CalMonth(year, month))
            if (1..=12).contains(&month) && (2000..=2100).contains(&year) =>
        {
            state.screen = Screen::Calendar {
                purpose,
                year,
                month,
            };
            Ok(Reply::show(render(ctx, state, None).await?))
        }
        Action::Desk(DeskAction::CalDay(d)) => choose(ctx, state, purpose, Some(d)).await,
        Action::Desk(DeskAction::CalClear) => choose(ctx, state, purpose, None).await,
        _ => Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
}

pub async fn typed(ctx: &mut Ctx<'_>, state: &mut DeskState, text: &str) -> Result<Reply, UiError> {
    let Screen::Calendar { purpose, .. } = state.screen.clone() else {
        return Ok(Reply::show(render(ctx, state, None).await?));
    };
    // What happened is looked for back in time, what is planned ahead.
    let toward = match purpose {
        CalPurpose::IssueOn(_) | CalPurpose::IssueAllOn(_) | CalPurpose::StatsDay(_) => {
            Toward::Past
        }
        CalPurpose::OrderDate(_) | CalPurpose::SessionDate(_) => Toward::Future,
    };
    match parse_date(text, today(ctx), toward) {
        Ok(d) => choose(ctx, state, purpose, Some(d)).await,
        Err(e) => {
            let notice = warn(ctx, e.message_id(), &e.args());
            Ok(Reply::show(render(ctx, state, Some(notice)).await?))
        }
    }
}

/// Applies the chosen date (or none) to what the calendar was opened for.
async fn choose(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    purpose: CalPurpose,
    d: Option<Date>,
) -> Result<Reply, UiError> {
    let outcome = match purpose {
        CalPurpose::OrderDate(Target::Draft) => {
            state.order.get_or_insert_default().date = d;
            state.screen = Screen::Draft { lines: 0 };
            Ok(())
        }
        CalPurpose::OrderDate(Target::Order(id)) => {
            state.screen = Screen::OrderEdit { id, lines: 0 };
            let o = orders::get(ctx.tx, id).await?;
            orders::update(
                ctx.tx,
                id,
                o.version,
                orders::OrderChange::IssueDate(d),
                Some(ctx.user.me()?),
                ctx.now,
            )
            .await
        }
        CalPurpose::IssueOn(id) => {
            state.screen = Screen::Order { id, lines: 0 };
            let Some(d) = d else {
                return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
            };
            let o = orders::get(ctx.tx, id).await?;
            match orders::set_status(
                ctx.tx,
                id,
                o.version,
                StatusEvent::Issue,
                None,
                Some(d),
                Some(ctx.user.me()?),
                ctx.now,
            )
            .await
            {
                // Not completed (any more): someone moved it meanwhile.
                Err(StoreError::Transition(_)) => Err(StoreError::Conflict),
                done => done.map(drop),
            }
        }
        CalPurpose::IssueAllOn(id) => {
            let Some(d) = d else {
                return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
            };
            state.screen = Screen::Session { id };
            let toast = super::sessions::issue_all(ctx, id, d).await?;
            return Ok(Reply::show(super::render(ctx, state, None).await?).with_toast(toast));
        }
        CalPurpose::StatsDay(kind) => {
            let Some(d) = d else {
                return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
            };
            let period = StatsPeriod::Day(d);
            state.screen = Screen::Stats {
                kind,
                period,
                page: 0,
            };
            return Ok(Reply::show(super::render(ctx, state, None).await?));
        }
        CalPurpose::SessionDate(id) => {
            state.screen = Screen::Session { id };
            let s = sessions::get(ctx.tx, id).await?;
            sessions::update(
                ctx.tx,
                id,
                s.version,
                sessions::SessionChange::HeldOn(d),
                ctx.now,
            )
            .await
        }
    };
    let toast = match outcome {
        // The whole date, year included, so a day typed without one is seen.
        Ok(()) => match d {
            Some(d) => ctx.lang.t_args("date-saved", &[("date", date(d))]),
            None => ctx.lang.t("saved"),
        },
        Err(StoreError::Conflict) => ctx.lang.t("changed-elsewhere"),
        Err(e) => return Err(e.into()),
    };
    Ok(Reply::show(super::render(ctx, state, None).await?).with_toast(toast))
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    let Screen::Calendar {
        purpose,
        year,
        month,
    } = state.screen.clone()
    else {
        return Ok(super::menu::view(ctx));
    };
    let t = |id: &str| ctx.lang.t(id);
    let today = today(ctx);
    let mut v = View::default();
    let title = match purpose {
        CalPurpose::OrderDate(_) => "calendar-order-date",
        CalPurpose::IssueOn(_) | CalPurpose::IssueAllOn(_) => "calendar-issue-date",
        CalPurpose::SessionDate(_) => "calendar-session-date",
        CalPurpose::StatsDay(_) => "calendar-stats-day",
    };
    v.text.bold(t(title)).newline();
    v.text
        .line(ctx.lang.t_args("calendar-today", &[("date", date(today))]));
    v.text.plain(t("calendar-hint"));
    let first = Date::new(year, month, 1).unwrap_or(today);
    let prev = first.checked_sub(1.month()).unwrap_or(first);
    let next = first.checked_add(1.month()).unwrap_or(first);
    v.row(vec![
        Button::action(
            "◀",
            Action::Desk(DeskAction::CalMonth(prev.year(), prev.month())),
        ),
        Button::action(
            format!("{} {year}", t(&format!("month-{month}"))),
            Action::Noop,
        ),
        Button::action(
            "▶",
            Action::Desk(DeskAction::CalMonth(next.year(), next.month())),
        ),
    ]);
    v.row(
        (1..=7)
            .map(|d| Button::action(t(&format!("weekday-{d}")), Action::Noop))
            .collect(),
    );
    for week in month_grid(year, month) {
        v.row(
            week.iter()
                .map(|cell| match cell {
                    Some(d) if *d == today => Button::action(
                        format!("•{}•", d.day()),
                        Action::Desk(DeskAction::CalDay(*d)),
                    ),
                    Some(d) => {
                        Button::action(d.day().to_string(), Action::Desk(DeskAction::CalDay(*d)))
                    }
                    None => Button::action("·", Action::Noop),
                })
                .collect(),
        );
    }
    let mut last = Vec::new();
    // A day must be chosen to issue an order or to see a day's figures.
    if !matches!(
        purpose,
        CalPurpose::IssueOn(_) | CalPurpose::IssueAllOn(_) | CalPurpose::StatsDay(_)
    ) {
        last.push(Button::action(
            t("calendar-no-date"),
            Action::Desk(DeskAction::CalClear),
        ));
    }
    let cancel = match purpose {
        CalPurpose::OrderDate(Target::Draft) => Action::Desk(DeskAction::NewOrder(None)),
        CalPurpose::OrderDate(Target::Order(id)) => Action::Desk(DeskAction::OrderEdit(id)),
        CalPurpose::IssueOn(id) => Action::Desk(DeskAction::Order(id)),
        CalPurpose::IssueAllOn(id) => Action::Desk(DeskAction::IssueAll(id)),
        CalPurpose::SessionDate(id) => Action::Desk(DeskAction::Session(id)),
        CalPurpose::StatsDay(kind) => Action::Desk(DeskAction::Stats {
            kind,
            period: StatsPeriod::All,
            page: 0,
        }),
    };
    last.push(Button::action(t("btn-cancel"), cancel));
    v.row(last);
    Ok(v.with_notice(notice.as_deref()))
}
