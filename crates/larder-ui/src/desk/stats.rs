//! Statistics and production lists in the desk, and a session's downloads.
//! Figures come from `larder-reports`, which prices every order with the one
//! core pricing function, so they match the order cards to the cent.

use crate::action::DeskAction;
use jiff::ToSpan;
use jiff::civil::Date;
use larder_core::{OrderStatus, Quantity, SessionId, Unit};
use larder_reports::{Period, ReportError};
use larder_store::sessions;

use super::common::{date, money, quantity, today};
use super::state::{CalPurpose, DeskState, Screen};
use crate::action::{Action, Export, StatsKind, StatsPeriod};
use crate::paging::Page;
use crate::view::{Button, Text, View};
use crate::{Ctx, Document, Reply, UiError};

/// Product rows per page (keeps every message far below 4096 characters).
const ROWS: u32 = 15;

impl From<ReportError> for UiError {
    fn from(e: ReportError) -> Self {
        UiError::Report(e.to_string())
    }
}

fn period_of(p: StatsPeriod) -> Period {
    match p {
        StatsPeriod::Day(d) => Period::Day(d),
        StatsPeriod::Month(y, m) => {
            let first = Date::new(y, m, 1).unwrap_or(Date::MIN);
            Period::Range(first, first.last_of_month())
        }
        StatsPeriod::All => Period::All,
        StatsPeriod::Session(s) => Period::Session(s),
    }
}

pub async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    action: Action,
) -> Result<Reply, UiError> {
    match action {
        Action::Desk(DeskAction::Stats { kind, period, page }) => {
            state.screen = Screen::Stats { kind, period, page }
        }
        Action::Desk(DeskAction::StatsPickDay(kind)) => {
            state.screen = super::calendar::open(ctx, CalPurpose::StatsDay(kind), None);
            return Ok(Reply::show(super::render(ctx, state, None).await?));
        }
        Action::Desk(DeskAction::Production(session, page)) => {
            state.screen = Screen::Production { session, page }
        }
        Action::Desk(DeskAction::Download(session, export)) => {
            return download(ctx, state, session, export).await;
        }
        Action::Desk(DeskAction::DownloadPeriod(kind, period)) => {
            return download_period(ctx, state, kind, period).await;
        }
        _ => return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button"))),
    }
    Ok(Reply::show(render(ctx, state, None).await?))
}

/// A download in the acting person's language, with CSV as their
/// spreadsheet splits it.
fn export_style<'a>(ctx: &'a Ctx<'_>) -> larder_reports::Style<'a> {
    larder_reports::Style {
        currency: &ctx.config.currency,
        words: &ctx.lang,
        csv: larder_reports::CsvForm::for_language(ctx.lang.code()),
    }
}

/// The orders of a statistics period (issued in it, or still to hand out)
/// as XLSX, a sheet per session.
async fn download_period(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    kind: StatsKind,
    period: StatsPeriod,
) -> Result<Reply, UiError> {
    let tz = ctx.config.timezone.clone();
    let orders = match kind {
        StatsKind::Issued => larder_reports::load_issued(ctx.tx, period_of(period), &tz).await?,
        StatsKind::Pending => larder_reports::load_pending(ctx.tx, period_of(period), &tz).await?,
    };
    let mut sessions: Vec<(SessionId, String, Vec<larder_store::orders::Order>)> = Vec::new();
    for o in orders {
        match sessions.iter_mut().find(|(id, ..)| *id == o.session_id) {
            Some((_, _, list)) => list.push(o),
            None => {
                let s = sessions::get(ctx.tx, o.session_id).await?;
                sessions.push((o.session_id, super::sessions::name(ctx, &s), vec![o]));
            }
        }
    }
    let groups: Vec<(String, Vec<_>)> = sessions
        .into_iter()
        .map(|(_, name, list)| (name, list))
        .collect();
    let style = export_style(ctx);
    let bytes = larder_reports::period_orders_xlsx(&groups, &ctx.config.pricing, &style, &tz)?;
    let title = period_title(ctx, period).await?;
    let file_name = format!(
        "{}-{}.xlsx",
        file_stem(&title),
        ctx.lang.t("export-file-orders")
    );
    tracing::info!(file = %file_name, "period downloaded");
    state.screen = Screen::Stats {
        kind,
        period,
        page: 0,
    };
    let mut reply = Reply::show(render(ctx, state, None).await?);
    reply.documents.push(Document {
        file_name,
        bytes,
        caption: Some(title),
    });
    Ok(reply)
}

/// A file name's stem from a title: letters and digits, joined by `-`.
fn file_stem(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

async fn download(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    session: SessionId,
    export: Export,
) -> Result<Reply, UiError> {
    let s = sessions::get(ctx.tx, session).await?;
    let session_name = super::sessions::name(ctx, &s);
    let orders = larder_reports::load_session(ctx.tx, session).await?;
    let rules = &ctx.config.pricing;
    let tz = &ctx.config.timezone;
    let style = export_style(ctx);
    let name = &session_name;
    let (what, ext, bytes) = match export {
        Export::OrdersXlsx => (
            "export-file-orders",
            "xlsx",
            larder_reports::session_orders_xlsx(&orders, name, rules, &style, tz)?,
        ),
        Export::OrdersCsv => (
            "export-file-orders",
            "csv",
            larder_reports::session_orders_csv(&orders, name, rules, &style, tz)?,
        ),
        Export::SheetsPdf => (
            "export-file-sheets",
            "pdf",
            larder_reports::session_sheets_pdf(&orders, name, rules, &style)?,
        ),
        Export::StatsXlsx | Export::StatsCsv => {
            let issued: Vec<_> = orders
                .iter()
                .filter(|o| o.status == OrderStatus::Issued)
                .cloned()
                .collect();
            let pending: Vec<_> = orders
                .iter()
                .filter(|o| matches!(o.status, OrderStatus::Processing | OrderStatus::Completed))
                .cloned()
                .collect();
            let issued = larder_reports::issued_stats(&issued, rules)?;
            let production = larder_reports::production_list(&pending);
            let pending = larder_reports::pending_stats(&pending, rules)?;
            if export == Export::StatsXlsx {
                (
                    "export-file-statistics",
                    "xlsx",
                    larder_reports::session_stats_xlsx(&issued, &pending, &production, &style)?,
                )
            } else {
                (
                    "export-file-statistics",
                    "csv",
                    larder_reports::session_stats_csv(&issued, &pending, &production, &style),
                )
            }
        }
    };
    let stem = file_stem(&session_name);
    let file_name = format!("{stem}-{}.{ext}", ctx.lang.t(what));
    tracing::info!(session.id = session.get(), file = %file_name, "session downloaded");
    state.screen = Screen::Session { id: session };
    let mut reply = Reply::show(super::render(ctx, state, None).await?);
    reply.documents.push(Document {
        file_name,
        bytes,
        caption: Some(session_name),
    });
    Ok(reply)
}

pub async fn render(
    ctx: &mut Ctx<'_>,
    state: &mut DeskState,
    notice: Option<String>,
) -> Result<View, UiError> {
    let view = match state.screen.clone() {
        Screen::Stats { kind, period, page } => stats(ctx, kind, period, page).await?,
        Screen::Production { session, page } => production(ctx, session, page).await?,
        _ => super::menu::view(ctx),
    };
    Ok(view.with_notice(notice.as_deref()))
}

fn amount(ctx: &Ctx<'_>, unit: Unit, value: i64) -> String {
    Quantity::new(unit, value)
        .map(|q| quantity(ctx, q))
        .unwrap_or_else(|_| value.to_string())
}

async fn period_title(ctx: &mut Ctx<'_>, period: StatsPeriod) -> Result<String, UiError> {
    Ok(match period {
        StatsPeriod::Day(d) => date(d),
        StatsPeriod::Month(y, m) => format!("{} {y}", ctx.lang.t(&format!("month-{m}"))),
        StatsPeriod::All => ctx.lang.t("stats-all-time"),
        StatsPeriod::Session(s) => {
            let session = sessions::get(ctx.tx, s).await?;
            super::sessions::name(ctx, &session)
        }
    })
}

async fn stats(
    ctx: &mut Ctx<'_>,
    kind: StatsKind,
    period: StatsPeriod,
    page: u32,
) -> Result<View, UiError> {
    let tz = ctx.config.timezone.clone();
    let title = period_title(ctx, period).await?;
    let t = |id: &str| ctx.lang.t(id);
    let mut v = View::default();
    let heading = if kind == StatsKind::Issued {
        "stats-issued-title"
    } else {
        "stats-pending-title"
    };
    v.text
        .bold(ctx.lang.t_args(heading, &[("period", title)]))
        .newline();
    let rows: Vec<String>;
    match kind {
        StatsKind::Issued => {
            let orders = larder_reports::load_issued(ctx.tx, period_of(period), &tz).await?;
            let s = larder_reports::issued_stats(&orders, &ctx.config.pricing)?;
            let line = |id: &str, m| ctx.lang.t_args(id, &[("amount", money(ctx, m))]);
            v.text.line(
                ctx.lang
                    .t_args("stats-orders", &[("count", s.orders.to_string())]),
            );
            v.text.line(line("stats-goods", s.goods));
            v.text.line(line("stats-packing", s.packing));
            if !s.discount.is_zero() {
                v.text.line(line("stats-discount", s.discount));
            }
            v.text
                .bold(line("stats-revenue", s.after_discount))
                .newline();
            v.text.line(line("stats-delivery", s.delivery));
            v.text.line(line("stats-total", s.total));
            rows = s
                .products
                .iter()
                .map(|p| {
                    ctx.lang.t_args(
                        "stats-sold-row",
                        &[
                            ("name", p.name.clone()),
                            ("quantity", amount(ctx, p.unit, p.quantity)),
                            ("packed", p.packed.to_string()),
                            ("amount", money(ctx, p.goods)),
                        ],
                    )
                })
                .collect();
        }
        StatsKind::Pending => {
            let orders = larder_reports::load_pending(ctx.tx, period_of(period), &tz).await?;
            let s = larder_reports::pending_stats(&orders, &ctx.config.pricing)?;
            v.text.line(
                ctx.lang
                    .t_args("stats-orders", &[("count", s.orders.to_string())]),
            );
            v.text
                .bold(ctx.lang.t_args(
                    "stats-expected",
                    &[("amount", money(ctx, s.expected_total))],
                ))
                .newline();
            rows = s
                .products
                .iter()
                .map(|p| {
                    ctx.lang.t_args(
                        "stats-pending-row",
                        &[
                            ("name", p.name.clone()),
                            ("ordered", amount(ctx, p.unit, p.ordered)),
                            ("weighed", amount(ctx, p.unit, p.weighed)),
                        ],
                    )
                })
                .collect();
        }
    }
    let page = product_rows(&mut v.text, ctx, &rows, page);
    v.row(page.nav(ctx.lang, |page| {
        Action::Desk(DeskAction::Stats { kind, period, page })
    }));
    let other = if kind == StatsKind::Issued {
        StatsKind::Pending
    } else {
        StatsKind::Issued
    };
    let other_label = if other == StatsKind::Issued {
        t("stats-show-issued")
    } else {
        t("stats-show-pending")
    };
    v.button(
        other_label,
        Action::Desk(DeskAction::Stats {
            kind: other,
            period,
            page: 0,
        }),
    );
    if let StatsPeriod::Session(s) = period {
        v.row(vec![
            Button::action(
                t("stats-production"),
                Action::Desk(DeskAction::Production(s, 0)),
            ),
            Button::action(t("btn-back"), Action::Desk(DeskAction::Session(s))),
        ]);
        return Ok(v);
    }
    v.button(
        t("btn-download-period"),
        Action::Desk(DeskAction::DownloadPeriod(kind, period)),
    );
    let today = today(ctx);
    v.row(vec![
        Button::action(
            t("stats-today"),
            Action::Desk(DeskAction::Stats {
                kind,
                period: StatsPeriod::Day(today),
                page: 0,
            }),
        ),
        Button::action(
            t("stats-pick-day"),
            Action::Desk(DeskAction::StatsPickDay(kind)),
        ),
    ]);
    let (y, m) = match period {
        StatsPeriod::Month(y, m) => (y, m),
        _ => (today.year(), today.month()),
    };
    let first = Date::new(y, m, 1).unwrap_or(today);
    let prev = first.checked_sub(1.month()).unwrap_or(first);
    let next = first.checked_add(1.month()).unwrap_or(first);
    let month = |d: Date| {
        Action::Desk(DeskAction::Stats {
            kind,
            period: StatsPeriod::Month(d.year(), d.month()),
            page: 0,
        })
    };
    v.row(vec![
        Button::action("◀", month(prev)),
        Button::action(format!("{} {y}", t(&format!("month-{m}"))), month(first)),
        Button::action("▶", month(next)),
    ]);
    v.row(vec![
        Button::action(
            t("stats-all-time"),
            Action::Desk(DeskAction::Stats {
                kind,
                period: StatsPeriod::All,
                page: 0,
            }),
        ),
        Button::action(t("btn-menu"), Action::Menu),
    ]);
    Ok(v)
}

/// Writes one page of product rows; returns the page for its navigation.
fn product_rows(text: &mut Text, ctx: &Ctx<'_>, rows: &[String], page: u32) -> Page {
    let page = Page::new(page, i64::try_from(rows.len()).unwrap_or(0), ROWS);
    text.newline();
    if rows.is_empty() {
        text.italic(ctx.lang.t("stats-no-products"));
    }
    let start = usize::try_from(page.offset()).unwrap_or(0);
    for row in rows.iter().skip(start).take(ROWS as usize) {
        text.line(row);
    }
    page
}

async fn production(ctx: &mut Ctx<'_>, session: SessionId, page: u32) -> Result<View, UiError> {
    let s = sessions::get(ctx.tx, session).await?;
    let orders = larder_reports::load_session(ctx.tx, session).await?;
    let pending: Vec<_> = orders
        .into_iter()
        .filter(|o| matches!(o.status, OrderStatus::Processing | OrderStatus::Completed))
        .collect();
    let lines = larder_reports::production_list(&pending);
    let mut v = View::default();
    v.text
        .bold(ctx.lang.t_args(
            "production-title",
            &[("session", super::sessions::name(ctx, &s))],
        ))
        .newline();
    let rows: Vec<String> = lines
        .iter()
        .map(|l| {
            ctx.lang.t_args(
                "production-row",
                &[
                    ("name", l.name.clone()),
                    ("ordered", amount(ctx, l.unit, l.ordered)),
                    ("weighed", amount(ctx, l.unit, l.weighed)),
                    ("remaining", amount(ctx, l.unit, l.remaining)),
                ],
            )
        })
        .collect();
    let page = product_rows(&mut v.text, ctx, &rows, page);
    v.row(page.nav(ctx.lang, |p| {
        Action::Desk(DeskAction::Production(session, p))
    }));
    v.button(
        ctx.lang.t("btn-back"),
        Action::Desk(DeskAction::Session(session)),
    );
    Ok(v)
}
