//! Sessions: a market day, an event or a delivery date that groups orders.
//! List with the orders still in work, create, rename, describe, date and
//! place, archive and restore, delete behind a typed confirmation word, and
//! issue every completed order of a session at once.

use crate::action::DeskAction;
use larder_core::{OrderStatus, SessionId, SessionName, normalize_single_line};
use larder_store::{StoreError, orders, sessions};

use super::common::{back, date, label, menu, today, warn};
use super::state::{CalPurpose, DeskState, Screen};
use crate::action::{Action, Export, SessionField, StatsKind, StatsPeriod};
use crate::paging::Page;
use crate::view::{Button, View};
use crate::{Ctx, Reply, UiError};

/// The display name of a session (the Inbox is named in the user's language).
pub fn name(ctx: &Ctx<'_>, s: &sessions::Session) -> String {
    if s.is_inbox {
        ctx.lang.t("session-inbox")
    } else {
        s.name.clone()
    }
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
) -> Result<Reply, UiError> {
    let mut toast = None;
    match action {
        Action::Desk(DeskAction::Sessions { archived, page }) => {
            state.screen = Screen::Sessions { archived, page }
        }
        Action::Desk(DeskAction::Session(id)) => state.screen = Screen::Session { id },
        Action::Desk(DeskAction::NewSession) => {
            state.screen = Screen::SessionPrompt {
                id: None,
                field: SessionField::Name,
            }
        }
        Action::Desk(DeskAction::SessionEdit(id, SessionField::Date)) => {
            let today = today(ctx);
            state.screen = Screen::Calendar {
                purpose: CalPurpose::SessionDate(id),
                year: today.year(),
                month: today.month(),
            };
        }
        Action::Desk(DeskAction::SessionEdit(id, field)) => {
            state.screen = Screen::SessionPrompt {
                id: Some(id),
                field,
            }
        }
        Action::Desk(DeskAction::SessionArchive(id, archived)) => {
            let s = sessions::get(ctx.tx, id).await?;
            let done = sessions::update(
                ctx.tx,
                id,
                s.version,
                sessions::SessionChange::Archived(archived),
                ctx.now,
            )
            .await;
            toast = Some(match done {
                Ok(()) => ctx.lang.t(if archived {
                    "session-archived"
                } else {
                    "session-restored"
                }),
                Err(StoreError::Refused) => ctx.lang.t("session-inbox-stays"),
                Err(e) => return Err(e.into()),
            });
            state.screen = Screen::Session { id };
        }
        Action::Desk(DeskAction::SessionDelete(id)) => {
            if sessions::get(ctx.tx, id).await?.is_inbox {
                return Ok(Reply::keep().with_alert(ctx.lang.t("session-inbox-stays")));
            }
            state.screen = Screen::SessionDelete { id };
        }
        Action::Desk(DeskAction::IssueAll(id)) => state.screen = Screen::IssueAll { id },
        Action::Desk(DeskAction::IssueAllNow(id) | DeskAction::IssueAllOn(id, _))
            if state.screen == (Screen::IssueAll { id }) =>
        {
            let day = match action {
                Action::Desk(DeskAction::IssueAllOn(_, day)) => day,
                _ => today(ctx),
            };
            toast = Some(issue_all(ctx, id, day).await?);
            state.screen = Screen::Session { id };
        }
        Action::Desk(DeskAction::IssueAllPickDate(id))
            if state.screen == (Screen::IssueAll { id }) =>
        {
            let s = sessions::get(ctx.tx, id).await?;
            state.screen = super::calendar::open(ctx, CalPurpose::IssueAllOn(id), s.held_on);
        }
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    let reply = Reply::show(super::render(ctx, state, None).await?);
    Ok(match toast {
        Some(t) => reply.with_toast(t),
        None => reply,
    })
}

/// Issues every completed order of the session on `day`; the toast.
pub async fn issue_all(
    ctx: &mut Ctx<'_>,
    id: larder_core::SessionId,
    day: jiff::civil::Date,
) -> Result<String, UiError> {
    let n = orders::issue_completed(ctx.tx, id, day, Some(ctx.user.me()?), ctx.now).await?;
    Ok(ctx.lang.t_args(
        "session-issued-all",
        &[("count", n.to_string()), ("date", date(day))],
    ))
}

/// Typed text on a session screen.
pub async fn typed(ctx: &mut Ctx<'_>, state: &mut DeskState, text: &str) -> Result<Reply, UiError> {
    let notice = match state.screen.clone() {
        Screen::SessionPrompt { id: None, .. } => match SessionName::parse(text) {
            Ok(name) => {
                match sessions::create(ctx.tx, name.as_str(), "", None, None, ctx.now).await {
                    Ok(id) => {
                        state.screen = Screen::Session { id };
                        return Ok(Reply::show(super::render(ctx, state, None).await?)
                            .with_toast(ctx.lang.t("session-created")));
                    }
                    Err(StoreError::Duplicate) => Some(warn(
                        ctx,
                        "session-name-taken",
                        &[("name", name.as_str().to_owned())],
                    )),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
        },
        Screen::SessionPrompt {
            id: Some(id),
            field,
        } => {
            let parsed = match field {
                SessionField::Name => SessionName::parse(text).map(|n| n.as_str().to_owned()),
                _ => normalize_single_line(text, 200),
            };
            match parsed {
                Ok(value) => {
                    let change = match field {
                        SessionField::Name => sessions::SessionChange::Name(&value),
                        SessionField::Description => sessions::SessionChange::Description(&value),
                        _ => sessions::SessionChange::Place(Some(&value)),
                    };
                    let s = sessions::get(ctx.tx, id).await?;
                    match sessions::update(ctx.tx, id, s.version, change, ctx.now).await {
                        Ok(()) => {
                            state.screen = Screen::Session { id };
                            return Ok(Reply::show(super::render(ctx, state, None).await?)
                                .with_toast(ctx.lang.t("saved")));
                        }
                        Err(StoreError::Duplicate) => {
                            Some(warn(ctx, "session-name-taken", &[("name", value.clone())]))
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Err(e) => Some(warn(ctx, e.message_id(), &e.args())),
            }
        }
        Screen::SessionDelete { id } => {
            if text.trim().to_lowercase() == ctx.lang.t("confirm-word").to_lowercase() {
                let n = match sessions::delete(ctx.tx, id).await {
                    Ok(n) => n,
                    Err(StoreError::Refused) => {
                        return Ok(Reply::keep().with_alert(ctx.lang.t("session-inbox-stays")));
                    }
                    Err(e) => return Err(e.into()),
                };
                state.screen = Screen::Sessions {
                    archived: false,
                    page: 0,
                };
                let toast = ctx
                    .lang
                    .t_args("session-deleted", &[("count", n.to_string())]);
                return Ok(Reply::show(super::render(ctx, state, None).await?).with_toast(toast));
            }
            Some(warn(
                ctx,
                "confirm-word-wrong",
                &[("word", ctx.lang.t("confirm-word"))],
            ))
        }
        _ => Some(ctx.lang.t("type-buttons")),
    };
    Ok(Reply::show(super::render(ctx, state, notice).await?))
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    let view = match state.screen.clone() {
        Screen::Sessions { archived, page } => list(ctx, archived, page).await?,
        Screen::Session { id } => match sessions::get(ctx.tx, id).await {
            Ok(s) => card(ctx, &s).await?,
            Err(StoreError::NotFound) => {
                state.screen = Screen::Sessions {
                    archived: false,
                    page: 0,
                };
                return Box::pin(render(ctx, state, Some(ctx.lang.t("not-found")))).await;
            }
            Err(e) => return Err(e.into()),
        },
        Screen::SessionPrompt { id, field } => prompt(ctx, id, field).await?,
        Screen::SessionDelete { id } => {
            let s = sessions::get(ctx.tx, id).await?;
            let count = orders_in(ctx, id).await?;
            let mut v = View::default();
            v.text.bold(name(ctx, &s)).newline();
            v.text.line(ctx.lang.t_args(
                "session-delete-warning",
                &[
                    ("count", count.to_string()),
                    ("word", ctx.lang.t("confirm-word")),
                ],
            ));
            v.button(
                ctx.lang.t("btn-cancel"),
                Action::Desk(DeskAction::Session(id)),
            );
            v
        }
        Screen::IssueAll { id } => {
            let s = sessions::get(ctx.tx, id).await?;
            let n = orders::count(ctx.tx, OrderStatus::Completed, Some(id)).await?;
            let mut v = View::default();
            v.text.bold(name(ctx, &s)).newline();
            v.text.line(
                ctx.lang
                    .t_args("session-issue-all-confirm", &[("count", n.to_string())]),
            );
            let today = today(ctx);
            v.button(
                format!("{} ({})", ctx.lang.t("btn-issue-today"), date(today)),
                Action::Desk(DeskAction::IssueAllNow(id)),
            );
            // A market day that has passed: its orders were handed out then.
            if let Some(day) = s.held_on.filter(|d| *d < today) {
                v.button(
                    ctx.lang
                        .t_args("btn-issue-on-session-day", &[("date", date(day))]),
                    Action::Desk(DeskAction::IssueAllOn(id, day)),
                );
            }
            v.row(vec![
                Button::action(
                    ctx.lang.t("btn-issue-pick-date"),
                    Action::Desk(DeskAction::IssueAllPickDate(id)),
                ),
                Button::action(
                    ctx.lang.t("btn-cancel"),
                    Action::Desk(DeskAction::Session(id)),
                ),
            ]);
            v
        }
        _ => super::menu::view(ctx),
    };
    Ok(view.with_notice(notice.as_deref()))
}

async fn orders_in(ctx: &mut Ctx<'_>, id: SessionId) -> Result<i64, UiError> {
    let mut n = 0;
    for status in OrderStatus::ALL {
        n += orders::count(ctx.tx, status, Some(id)).await?;
    }
    Ok(n)
}

async fn list(ctx: &mut Ctx<'_>, archived: bool, page: u32) -> Result<View, UiError> {
    let t = |id: &str| ctx.lang.t(id);
    let total = sessions::count(ctx.tx, archived).await?;
    let page = Page::new(page, total, ctx.config.page_size);
    let items = sessions::page(ctx.tx, archived, page.offset(), page.limit()).await?;
    let mut v = View::default();
    let title = if archived {
        "sessions-archived-title"
    } else {
        "sessions-title"
    };
    v.text.bold(format!("{} ({total})", t(title))).newline();
    if items.is_empty() {
        v.text.italic(t("sessions-empty"));
    }
    for item in &items {
        let s = &item.session;
        let mut line = name(ctx, s);
        if let Some(d) = s.held_on {
            line.push_str(&format!(" · {}", date(d)));
        }
        v.text.plain("• ").bold(line.clone()).plain(format!(
            " — {}",
            ctx.lang.t_args(
                "session-open-orders",
                &[("count", item.open_orders.to_string())]
            )
        ));
        v.text.newline();
        v.button(
            label(&format!("{line} ({})", item.open_orders)),
            Action::Desk(DeskAction::Session(s.id)),
        );
    }
    v.row(page.nav(ctx.lang, |page| {
        Action::Desk(DeskAction::Sessions { archived, page })
    }));
    if archived {
        v.button(
            t("sessions-show-active"),
            Action::Desk(DeskAction::Sessions {
                archived: false,
                page: 0,
            }),
        );
    } else {
        v.row(vec![
            Button::action(t("sessions-add"), Action::Desk(DeskAction::NewSession)),
            Button::action(
                t("sessions-show-archived"),
                Action::Desk(DeskAction::Sessions {
                    archived: true,
                    page: 0,
                }),
            ),
        ]);
    }
    v.row(vec![menu(ctx)]);
    Ok(v)
}

async fn card(ctx: &mut Ctx<'_>, s: &sessions::Session) -> Result<View, UiError> {
    let t = |id: &str| ctx.lang.t(id);
    let mut counts = Vec::new();
    for status in OrderStatus::ALL {
        counts.push(orders::count(ctx.tx, status, Some(s.id)).await?);
    }
    let mut v = View::default();
    v.text.bold(name(ctx, s)).newline();
    if !s.description.is_empty() {
        v.text.italic(&s.description).newline();
    }
    if let Some(d) = s.held_on {
        v.text.line(format!("📅 {}", date(d)));
    }
    if let Some(p) = &s.place {
        v.text.line(format!("📍 {p}"));
    }
    if s.archived {
        v.text.italic(t("session-archived-note")).newline();
    }
    v.text.line(ctx.lang.t_args(
        "session-counts",
        &[
            ("processing", counts[0].to_string()),
            ("completed", counts[1].to_string()),
            ("issued", counts[2].to_string()),
        ],
    ));
    let list = |status| {
        Action::Desk(DeskAction::Orders {
            status,
            session: Some(s.id),
            newest_first: status == OrderStatus::Issued,
            page: 0,
        })
    };
    v.row(vec![Button::action(
        t("session-new-order"),
        Action::Desk(DeskAction::NewOrder(Some(s.id))),
    )]);
    v.row(vec![
        Button::action(
            format!("{} ({})", t("menu-processing"), counts[0]),
            list(OrderStatus::Processing),
        ),
        Button::action(
            format!("{} ({})", t("menu-completed"), counts[1]),
            list(OrderStatus::Completed),
        ),
        Button::action(
            format!("{} ({})", t("menu-issued"), counts[2]),
            list(OrderStatus::Issued),
        ),
    ]);
    if counts[1] > 0 {
        v.button(
            t("session-issue-all"),
            Action::Desk(DeskAction::IssueAll(s.id)),
        );
    }
    v.row(vec![
        Button::action(
            t("menu-statistics"),
            Action::Desk(DeskAction::Stats {
                kind: StatsKind::Issued,
                period: StatsPeriod::Session(s.id),
                page: 0,
            }),
        ),
        Button::action(
            t("stats-production"),
            Action::Desk(DeskAction::Production(s.id, 0)),
        ),
    ]);
    v.row(vec![
        Button::action(
            t("btn-download-orders-xlsx"),
            Action::Desk(DeskAction::Download(s.id, Export::OrdersXlsx)),
        ),
        Button::action(
            t("btn-download-orders-csv"),
            Action::Desk(DeskAction::Download(s.id, Export::OrdersCsv)),
        ),
    ]);
    v.row(vec![
        Button::action(
            t("btn-download-stats-xlsx"),
            Action::Desk(DeskAction::Download(s.id, Export::StatsXlsx)),
        ),
        Button::action(
            t("btn-download-stats-csv"),
            Action::Desk(DeskAction::Download(s.id, Export::StatsCsv)),
        ),
    ]);
    v.button(
        t("btn-download-sheets-pdf"),
        Action::Desk(DeskAction::Download(s.id, Export::SheetsPdf)),
    );
    if !s.is_inbox {
        v.row(vec![
            Button::action(
                t("session-edit-name"),
                Action::Desk(DeskAction::SessionEdit(s.id, SessionField::Name)),
            ),
            Button::action(
                t("session-edit-description"),
                Action::Desk(DeskAction::SessionEdit(s.id, SessionField::Description)),
            ),
        ]);
        v.row(vec![
            Button::action(
                t("session-edit-date"),
                Action::Desk(DeskAction::SessionEdit(s.id, SessionField::Date)),
            ),
            Button::action(
                t("session-edit-place"),
                Action::Desk(DeskAction::SessionEdit(s.id, SessionField::Place)),
            ),
        ]);
        v.row(vec![
            if s.archived {
                Button::action(
                    t("product-restore"),
                    Action::Desk(DeskAction::SessionArchive(s.id, false)),
                )
            } else {
                Button::action(
                    t("product-archive"),
                    Action::Desk(DeskAction::SessionArchive(s.id, true)),
                )
            },
            Button::action(
                t("session-delete"),
                Action::Desk(DeskAction::SessionDelete(s.id)),
            ),
        ]);
    }
    v.row(vec![
        back(
            ctx,
            Action::Desk(DeskAction::Sessions {
                archived: s.archived,
                page: 0,
            }),
        ),
        menu(ctx),
    ]);
    Ok(v)
}

async fn prompt(
    ctx: &mut Ctx<'_>,
    id: Option<SessionId>,
    field: SessionField,
) -> Result<View, UiError> {
    let mut v = View::default();
    match id {
        None => {
            v.text.bold(ctx.lang.t("session-new-title")).newline();
            v.text.plain(ctx.lang.t("session-prompt-name"));
            v.button(
                ctx.lang.t("btn-cancel"),
                Action::Desk(DeskAction::Sessions {
                    archived: false,
                    page: 0,
                }),
            );
        }
        Some(id) => {
            let s = sessions::get(ctx.tx, id).await?;
            v.text.bold(name(ctx, &s)).newline();
            let prompt = match field {
                SessionField::Name => "session-prompt-name",
                SessionField::Description => "session-prompt-description",
                SessionField::Date => "session-prompt-date",
                SessionField::Place => "session-prompt-place",
            };
            v.text.plain(ctx.lang.t(prompt));
            v.button(
                ctx.lang.t("btn-cancel"),
                Action::Desk(DeskAction::Session(id)),
            );
        }
    }
    Ok(v)
}
