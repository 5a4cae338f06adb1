//! Dates and times staff type, days in the business's time zone, and a
//! calendar grid. Never reads the clock: "now" and "today" are passed in.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};

/// Earliest year [`parse_date`] accepts.
pub const MIN_DATE_YEAR: i16 = 2000;
/// Latest year [`parse_date`] accepts.
pub const MAX_DATE_YEAR: i16 = 2100;

const MS_PER_DAY: i64 = 86_400_000;

/// A rejected date or time. One Fluent message id per variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing was typed.
    #[error("empty date or time")]
    Empty,
    /// Not in any accepted form.
    #[error("unrecognised date or time format")]
    Format,
    /// The right form but no such day or time (31.02, 24:00, 14:60).
    #[error("no such date or time")]
    Invalid,
    /// A year outside 2000..=2100.
    #[error("the year must be between {MIN_DATE_YEAR} and {MAX_DATE_YEAR}")]
    OutOfRange,
}

/// Which way a day typed without a year is looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Toward {
    /// What happened: the latest such day on or before today (statistics,
    /// the day an order was issued).
    Past,
    /// What is planned: the first such day on or after today (a delivery
    /// date, a market day).
    Future,
}

/// Parses a typed date relative to `today`:
///
/// * `"25.12.2026"`, `"25.12.26"` (20xx), `"25/12/2026"`, `"25-12-2026"`,
///   `"2026-12-25"`; one-digit days and months are fine (`"5.1.27"`);
/// * `"25.12"`, `"25/12"`: the nearest 25 December `toward` the future (on
///   or after `today`: in December, `"05.01"` is next January) or the past
///   (on or before `today`: on 30 November, `"29.11"` is yesterday, not next
///   year); `"29.02"` is the nearest leap day that way;
/// * `"сегодня"`/`"today"`, `"завтра"`/`"tomorrow"`,
///   `"послезавтра"`/`"day after tomorrow"`, `"вчера"`/`"yesterday"`
///   (case-insensitive).
///
/// A trailing dot (`"25.12."`) is ignored. No such day (`31.02`, `12.13`)
/// is [`DateError::Invalid`]; a year outside 2000..=2100
/// [`DateError::OutOfRange`]; anything else [`DateError::Format`].
pub fn parse_date(input: &str, today: Date, toward: Toward) -> Result<Date, DateError> {
    let text = input.trim().to_lowercase();
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    let relative = match text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .as_str()
    {
        "сегодня" | "today" => Some(0),
        "завтра" | "tomorrow" => Some(1),
        "послезавтра" | "day after tomorrow" => Some(2),
        "вчера" | "yesterday" => Some(-1),
        _ => None,
    };
    let date = match relative {
        Some(days) => today
            .checked_add(jiff::Span::new().days(days))
            .map_err(|_| DateError::OutOfRange)?,
        None => numeric_date(text.strip_suffix('.').unwrap_or(&text), today, toward)?,
    };
    if (MIN_DATE_YEAR..=MAX_DATE_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(DateError::OutOfRange)
    }
}

fn numeric_date(text: &str, today: Date, toward: Toward) -> Result<Date, DateError> {
    let sep = text
        .chars()
        .find(|c| !c.is_ascii_digit())
        .ok_or(DateError::Format)?;
    if !matches!(sep, '.' | '/' | '-') {
        return Err(DateError::Format);
    }
    let parts: Vec<&str> = text.split(sep).collect();
    let all_digits = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits {
        return Err(DateError::Format);
    }
    match parts[..] {
        [y, m, d] if y.len() == 4 => full_date(y, m, d),
        [d, m, y] if y.len() == 4 || y.len() == 2 => full_date(y, m, d),
        [d, m] => nearest_date(number(m)?, number(d)?, today, toward),
        _ => Err(DateError::Format),
    }
}

/// A day or month: one or two digits.
fn number(s: &str) -> Result<i8, DateError> {
    if s.len() > 2 {
        return Err(DateError::Format);
    }
    s.parse().map_err(|_| DateError::Format)
}

fn full_date(y: &str, m: &str, d: &str) -> Result<Date, DateError> {
    let (month, day) = (number(m)?, number(d)?);
    let year: i16 = y.parse().map_err(|_| DateError::Format)?;
    let year = if y.len() == 2 {
        MIN_DATE_YEAR + year
    } else {
        year
    };
    if !(MIN_DATE_YEAR..=MAX_DATE_YEAR).contains(&year) {
        return Err(DateError::OutOfRange);
    }
    Date::new(year, month, day).map_err(|_| DateError::Invalid)
}

/// The nearest `day.month` on or after `today` (future) or on or before it
/// (past).
fn nearest_date(month: i8, day: i8, today: Date, toward: Toward) -> Result<Date, DateError> {
    // 2000 is a leap year: a day that does not exist then never does.
    Date::new(2000, month, day).map_err(|_| DateError::Invalid)?;
    // A leap day recurs within 8 years (there is no 29 February in 2100).
    let on = |year: i16| Date::new(year, month, day).ok();
    match toward {
        Toward::Future => (today.year()..=today.year().saturating_add(8))
            .filter_map(on)
            .find(|date| *date >= today),
        Toward::Past => (today.year().saturating_sub(8)..=today.year())
            .rev()
            .filter_map(on)
            .find(|date| *date <= today),
    }
    .ok_or(DateError::OutOfRange)
}

/// A rejected time of day. One Fluent message id per variant (it speaks
/// of times, not dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("empty time")]
    Empty,
    #[error("unrecognised time format")]
    Format,
    /// The right form but no such time (24:00, 14:60).
    #[error("no such time")]
    Invalid,
}

impl TimeError {
    /// Every id [`TimeError::message_id`] can return.
    pub const ALL_MESSAGE_IDS: &'static [&'static str] = &[
        "error-time-empty",
        "error-time-format",
        "error-time-invalid",
    ];

    /// The Fluent message id, e.g. `"error-time-invalid"`.
    pub fn message_id(&self) -> &'static str {
        match self {
            TimeError::Empty => "error-time-empty",
            TimeError::Format => "error-time-format",
            TimeError::Invalid => "error-time-invalid",
        }
    }

    /// Fluent arguments: none.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// Parses a typed time of day: `"14:30"`, `"14.30"`, `"9:05"`, or a whole
/// hour `"14"` (14:00). Minutes take two digits. `"24:00"` and `"14:60"`
/// are [`TimeError::Invalid`].
pub fn parse_time(input: &str) -> Result<Time, TimeError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(TimeError::Empty);
    }
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| -> Result<i8, TimeError> {
        if !lens.contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TimeError::Format);
        }
        s.parse().map_err(|_| TimeError::Format)
    };
    let (hour, minute) = match text.split_once([':', '.']) {
        Some((h, m)) => (digits(h, 1..=2)?, digits(m, 2..=2)?),
        None => (digits(text, 1..=2)?, 0),
    };
    Time::new(hour, minute, 0, 0).map_err(|_| TimeError::Invalid)
}

/// The civil date in `tz` at `now_ms` (UTC unix milliseconds). Instants
/// beyond jiff's range are clamped to it.
pub fn today(tz: &TimeZone, now_ms: i64) -> Date {
    let ts = Timestamp::from_millisecond(now_ms).unwrap_or(if now_ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    tz.to_datetime(ts).date()
}

/// The instant (UTC unix ms) of a wall-clock time in `tz`. A time skipped
/// by a DST change (02:30 on a spring-forward night) is `None`; a time that
/// happens twice (autumn) is its first occurrence.
pub fn local_ms(tz: &TimeZone, at: DateTime) -> Option<i64> {
    let ambiguous = tz.to_ambiguous_zoned(at);
    if matches!(ambiguous.offset(), AmbiguousOffset::Gap { .. }) {
        return None;
    }
    ambiguous
        .earlier()
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

/// `[start, end)` of a calendar day in the business time zone, as UTC unix
/// milliseconds: from the day's first instant (midnight, or the first time
/// after a DST gap at midnight) to the next day's. 23 or 25 hours long on
/// DST change days.
pub fn day_bounds_ms(date: Date, tz: &TimeZone) -> (i64, i64) {
    let start_ms = |d: Date| {
        d.to_zoned(tz.clone())
            .ok()
            .map(|z| z.timestamp().as_millisecond())
    };
    // Only the extremes of jiff's range (years ±9999) can fail.
    let start = start_ms(date).unwrap_or_else(|| utc_midnight_ms(date));
    let end = date
        .tomorrow()
        .ok()
        .and_then(start_ms)
        .unwrap_or_else(|| start.saturating_add(MS_PER_DAY));
    (start, end)
}

fn utc_midnight_ms(date: Date) -> i64 {
    date.to_zoned(TimeZone::UTC)
        .map_or(0, |z| z.timestamp().as_millisecond())
}

/// `"25.12.2026"`; [`parse_date`] reads it back.
pub fn format_date(date: Date) -> String {
    format!("{:02}.{:02}.{:04}", date.day(), date.month(), date.year())
}

/// `"14:30"`, `"09:05"`; [`parse_time`] reads it back (seconds dropped).
pub fn format_time(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Weeks of a month for a calendar keyboard: each week 7 cells, Monday
/// first, `None` outside the month. Empty for an invalid year or month.
pub fn month_grid(year: i16, month: i8) -> Vec<[Option<Date>; 7]> {
    let Ok(first) = Date::new(year, month, 1) else {
        return Vec::new();
    };
    let lead = first.weekday().to_monday_zero_offset();
    let days = first.days_in_month();
    let weeks = (lead + days + 6) / 7;
    (0..weeks)
        .map(|week| {
            std::array::from_fn(|cell| {
                let day = week * 7 + i8::try_from(cell).unwrap_or(0) - lead + 1;
                Date::new(year, month, day).ok()
            })
        })
        .collect()
}

impl DateError {
    /// Every id [`DateError::message_id`] can return.
    pub const ALL_MESSAGE_IDS: &'static [&'static str] = &[
        "error-date-empty",
        "error-date-format",
        "error-date-invalid",
        "error-date-out-of-range",
    ];

    /// The Fluent message id, e.g. `"error-date-invalid"`.
    pub fn message_id(&self) -> &'static str {
        match self {
            DateError::Empty => "error-date-empty",
            DateError::Format => "error-date-format",
            DateError::Invalid => "error-date-invalid",
            DateError::OutOfRange => "error-date-out-of-range",
        }
    }

    /// Fluent arguments: `OutOfRange` → `min`, `max` (years); others none.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            DateError::OutOfRange => vec![
                ("min", MIN_DATE_YEAR.to_string()),
                ("max", MAX_DATE_YEAR.to_string()),
            ],
            DateError::Empty | DateError::Format | DateError::Invalid => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
