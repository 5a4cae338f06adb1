use super::*;
use jiff::civil::{date, time};
use proptest::prelude::*;

const HOUR_MS: i64 = 3_600_000;

fn berlin() -> TimeZone {
    TimeZone::get("Europe/Berlin").unwrap()
}

#[test]
fn full_dates() {
    let today = date(2026, 6, 15);
    let parse = |s: &str| parse_date(s, today, Toward::Future);
    let xmas = Ok(date(2026, 12, 25));
    for s in [
        "25.12.2026",
        "25.12.26",
        "25/12/2026",
        "25-12-2026",
        "2026-12-25",
        " 25.12.2026 ",
        "25.12.2026.",
    ] {
        assert_eq!(parse(s), xmas, "{s}");
    }
    assert_eq!(parse("5.1.27"), Ok(date(2027, 1, 5)));
    assert_eq!(
        parse("01.06.2026"),
        Ok(date(2026, 6, 1)),
        "past dates are fine"
    );
    assert_eq!(parse("29.02.2028"), Ok(date(2028, 2, 29)));
    assert_eq!(parse("31.12.2100"), Ok(date(2100, 12, 31)));
    assert_eq!(parse("01.01.2000"), Ok(date(2000, 1, 1)));
}

#[test]
fn dates_without_a_year_are_the_next_such_day() {
    let dec = date(2026, 12, 20);
    assert_eq!(
        parse_date("05.01", dec, Toward::Future),
        Ok(date(2027, 1, 5))
    );
    assert_eq!(parse_date("5/1", dec, Toward::Future), Ok(date(2027, 1, 5)));
    assert_eq!(
        parse_date("20.12", dec, Toward::Future),
        Ok(dec),
        "today counts"
    );
    assert_eq!(
        parse_date("19.12", dec, Toward::Future),
        Ok(date(2027, 12, 19))
    );
    assert_eq!(
        parse_date("31.12", dec, Toward::Future),
        Ok(date(2026, 12, 31))
    );
    assert_eq!(
        parse_date("29.02", date(2026, 3, 1), Toward::Future),
        Ok(date(2028, 2, 29))
    );
    assert_eq!(
        parse_date("29.02", date(2028, 2, 29), Toward::Future),
        Ok(date(2028, 2, 29))
    );
    assert_eq!(
        parse_date("01.01", date(2100, 6, 1), Toward::Future),
        Err(DateError::OutOfRange)
    );
}

/// Looking back (statistics, the day an order was issued): the latest such
/// day on or before today — across a year's end and on leap days.
#[test]
fn dates_without_a_year_looking_back_are_the_last_such_day() {
    let back = |s: &str, today| parse_date(s, today, Toward::Past);
    let nov30 = date(2026, 11, 30);
    assert_eq!(back("29.11", nov30), Ok(date(2026, 11, 29)), "yesterday");
    assert_eq!(back("30.11", nov30), Ok(nov30), "today counts");
    assert_eq!(back("01.12", nov30), Ok(date(2025, 12, 1)), "last year's");
    let jan2 = date(2027, 1, 2);
    assert_eq!(back("31.12", jan2), Ok(date(2026, 12, 31)), "over new year");
    assert_eq!(back("02.01", jan2), Ok(jan2));
    assert_eq!(back("03.01", jan2), Ok(date(2026, 1, 3)));
    assert_eq!(back("29.02", date(2026, 3, 1)), Ok(date(2024, 2, 29)));
    assert_eq!(back("29.02", date(2028, 2, 29)), Ok(date(2028, 2, 29)));
    assert_eq!(back("29.02", date(2028, 2, 28)), Ok(date(2024, 2, 29)));
    assert_eq!(back("31.02", nov30), Err(DateError::Invalid));
    assert_eq!(back("02.01", date(2000, 1, 1)), Err(DateError::OutOfRange));
    // With a year, or a word, the direction does not matter.
    for s in ["01.12.2026", "yesterday", "завтра"] {
        assert_eq!(back(s, nov30), parse_date(s, nov30, Toward::Future), "{s}");
    }
}

#[test]
fn words() {
    let today = date(2026, 12, 31);
    assert_eq!(parse_date("сегодня", today, Toward::Future), Ok(today));
    assert_eq!(parse_date("Today", today, Toward::Future), Ok(today));
    assert_eq!(
        parse_date("ЗАВТРА", today, Toward::Future),
        Ok(date(2027, 1, 1))
    );
    assert_eq!(
        parse_date("tomorrow", today, Toward::Future),
        Ok(date(2027, 1, 1))
    );
    assert_eq!(
        parse_date(" послезавтра ", today, Toward::Future),
        Ok(date(2027, 1, 2))
    );
    assert_eq!(
        parse_date("day  after tomorrow", today, Toward::Future),
        Ok(date(2027, 1, 2))
    );
    assert_eq!(
        parse_date("вчера", today, Toward::Future),
        Ok(date(2026, 12, 30))
    );
    assert_eq!(
        parse_date("yesterday", today, Toward::Future),
        Ok(date(2026, 12, 30))
    );
    assert_eq!(
        parse_date("tomorrow", date(2100, 12, 31), Toward::Future),
        Err(DateError::OutOfRange)
    );
}

#[test]
fn date_errors() {
    let today = date(2026, 6, 15);
    let err = |s: &str| parse_date(s, today, Toward::Future).unwrap_err();
    assert_eq!(err(""), DateError::Empty);
    assert_eq!(err("  "), DateError::Empty);
    for s in [
        "31.02.2026",
        "31.02",
        "31.04",
        "00.01",
        "12.13",
        "32.01.2026",
        "2026-02-30",
        "29.02.2027",
    ] {
        assert_eq!(err(s), DateError::Invalid, "{s}");
    }
    for s in ["25.12.1999", "01.01.2101", "1999-12-31", "25.12.0000"] {
        assert_eq!(err(s), DateError::OutOfRange, "{s}");
    }
    for s in [
        "25",
        "2512",
        "25.12.202",
        "25.12.20266",
        "25.12/2026",
        "25 12 2026",
        "25..12",
        ".25.12",
        "123.12",
        "25.123",
        "x",
        "25 дек",
        "25.12.2026 14:00",
        "+25.12",
        "-5.1",
        "２５.１２",
        "2026-12",
        "next week",
    ] {
        assert_eq!(err(s), DateError::Format, "{s}");
    }
}

#[test]
fn times() {
    assert_eq!(parse_time("14:30"), Ok(time(14, 30, 0, 0)));
    assert_eq!(parse_time("14.30"), Ok(time(14, 30, 0, 0)));
    assert_eq!(parse_time(" 9:05 "), Ok(time(9, 5, 0, 0)));
    assert_eq!(parse_time("09:05"), Ok(time(9, 5, 0, 0)));
    assert_eq!(parse_time("14"), Ok(time(14, 0, 0, 0)));
    assert_eq!(parse_time("0"), Ok(time(0, 0, 0, 0)));
    assert_eq!(parse_time("23:59"), Ok(time(23, 59, 0, 0)));
    assert_eq!(parse_time("24:00"), Err(TimeError::Invalid));
    assert_eq!(parse_time("24"), Err(TimeError::Invalid));
    assert_eq!(parse_time("14:60"), Err(TimeError::Invalid));
    assert_eq!(parse_time(""), Err(TimeError::Empty));
    for s in [
        "9:5", "14:300", "143", "14:30:00", "14-30", "14h", ":30", "14:", "-1", "ab:cd",
    ] {
        assert_eq!(parse_time(s), Err(TimeError::Format), "{s}");
    }
}

#[test]
fn today_in_a_time_zone() {
    // 2026-12-31T23:30:00Z is already 1 January in Berlin.
    let ms = 1_798_759_800_000;
    assert_eq!(today(&TimeZone::UTC, ms), date(2026, 12, 31));
    assert_eq!(today(&berlin(), ms), date(2027, 1, 1));
    assert_eq!(today(&TimeZone::UTC, 0), date(1970, 1, 1));
    // Clamped, no panic.
    assert_eq!(today(&TimeZone::UTC, i64::MAX).year(), 9999);
    assert_eq!(today(&TimeZone::UTC, i64::MIN).year(), -9999);
}

#[test]
fn day_bounds_follow_dst() {
    let tz = berlin();
    let len = |d| {
        let (start, end) = day_bounds_ms(d, &tz);
        (end - start) / HOUR_MS
    };
    assert_eq!(len(date(2026, 3, 28)), 24);
    assert_eq!(len(date(2026, 3, 29)), 23);
    assert_eq!(len(date(2026, 10, 25)), 25);
    assert_eq!(len(date(2026, 10, 26)), 24);
    // Winter: midnight in Berlin is 23:00 UTC the day before.
    let (start, end) = day_bounds_ms(date(2026, 1, 15), &tz);
    assert_eq!(start, 1_768_431_600_000); // 2026-01-14T23:00:00Z
    assert_eq!(end, start + 24 * HOUR_MS);
    assert_eq!(today(&tz, start), date(2026, 1, 15));
    assert_eq!(today(&tz, end - 1), date(2026, 1, 15));
    assert_eq!(today(&tz, end), date(2026, 1, 16));
    // Consecutive days tile the time line.
    assert_eq!(
        day_bounds_ms(date(2026, 3, 30), &tz).0,
        day_bounds_ms(date(2026, 3, 29), &tz).1
    );
    // A DST gap at midnight: the day starts at 01:00 (São Paulo, 2018-11-04).
    let sp = TimeZone::get("America/Sao_Paulo").unwrap();
    let (start, end) = day_bounds_ms(date(2018, 11, 4), &sp);
    assert_eq!(start, 1_541_300_400_000); // 2018-11-04T01:00-02:00 = 03:00Z
    assert_eq!((end - start) / HOUR_MS, 23);
    // The extremes of the range do not panic.
    let _ = day_bounds_ms(Date::MAX, &tz);
    let _ = day_bounds_ms(Date::MIN, &tz);
}

#[test]
fn formats() {
    assert_eq!(format_date(date(2026, 12, 25)), "25.12.2026");
    assert_eq!(format_date(date(2027, 1, 5)), "05.01.2027");
    assert_eq!(format_time(time(14, 30, 0, 0)), "14:30");
    assert_eq!(format_time(time(9, 5, 59, 0)), "09:05");
}

#[test]
fn grid() {
    // March 2026 starts on a Sunday: 6 empty cells, then 31 days over 6 weeks.
    let march = month_grid(2026, 3);
    assert_eq!(march.len(), 6);
    assert_eq!(march[0][..6], [None; 6]);
    assert_eq!(march[0][6], Some(date(2026, 3, 1)));
    assert_eq!(march[1][0], Some(date(2026, 3, 2)));
    assert_eq!(march[5][1], Some(date(2026, 3, 31)));
    assert_eq!(march[5][2..], [None; 5]);
    // February 2027 starts on a Monday and has exactly 4 weeks.
    let feb = month_grid(2027, 2);
    assert_eq!(feb.len(), 4);
    assert_eq!(feb[0][0], Some(date(2027, 2, 1)));
    assert_eq!(feb[3][6], Some(date(2027, 2, 28)));
    assert!(month_grid(2026, 13).is_empty());
    assert!(month_grid(2026, 0).is_empty());
}

#[test]
fn messages() {
    let all = [
        DateError::Empty,
        DateError::Format,
        DateError::Invalid,
        DateError::OutOfRange,
    ];
    let ids: Vec<_> = all.iter().map(DateError::message_id).collect();
    assert_eq!(ids, DateError::ALL_MESSAGE_IDS);
    assert_eq!(
        DateError::OutOfRange.args(),
        vec![("min", "2000".to_owned()), ("max", "2100".to_owned())]
    );
    assert!(DateError::Invalid.args().is_empty());
}

fn any_date() -> impl Strategy<Value = Date> {
    (2000_i16..=2100, 1_i8..=12, 1_i8..=31)
        .prop_filter_map("no such day", |(y, m, d)| Date::new(y, m, d).ok())
}

proptest! {
    #[test]
    fn format_date_round_trips(d in any_date(), today in any_date()) {
        prop_assert_eq!(parse_date(&format_date(d), today, Toward::Future), Ok(d));
        prop_assert_eq!(parse_date(&d.to_string(), today, Toward::Future), Ok(d));
    }

    #[test]
    fn day_month_is_next_occurrence(d in any_date(), today in any_date()) {
        let text = format!("{}.{}", d.day(), d.month());
        if let Ok(got) = parse_date(&text, today, Toward::Future) {
            prop_assert!(got >= today);
            prop_assert_eq!((got.month(), got.day()), (d.month(), d.day()));
            let earlier = (today.year()..got.year())
                .filter_map(|y| Date::new(y, d.month(), d.day()).ok())
                .any(|c| c >= today);
            prop_assert!(!earlier);
        } else {
            prop_assert!(today.year() >= 2092);
        }
    }

    #[test]
    fn format_time_round_trips(h in 0_i8..24, m in 0_i8..60) {
        let t = time(h, m, 0, 0);
        prop_assert_eq!(parse_time(&format_time(t)), Ok(t));
        prop_assert_eq!(parse_time(&format!("{h}.{m:02}")), Ok(t));
    }

    #[test]
    fn month_grid_covers_the_month(y in 2000_i16..=2100, m in 1_i8..=12) {
        let grid = month_grid(y, m);
        let days: Vec<Date> = grid.iter().flatten().flatten().copied().collect();
        let first = Date::new(y, m, 1).unwrap();
        prop_assert_eq!(days.len(), usize::try_from(first.days_in_month()).unwrap());
        prop_assert!(days.windows(2).all(|w| w[1] == w[0].tomorrow().unwrap()));
        for week in &grid {
            for (i, cell) in week.iter().enumerate() {
                if let Some(d) = cell {
                    prop_assert_eq!(usize::try_from(d.weekday().to_monday_zero_offset()).unwrap(), i);
                }
            }
            prop_assert!(week.iter().any(Option::is_some));
        }
    }

    #[test]
    fn days_are_23_to_25_hours(d in any_date()) {
        let (start, end) = day_bounds_ms(d, &berlin());
        prop_assert!([23, 24, 25].contains(&((end - start) / HOUR_MS)));
        prop_assert_eq!((end - start) % HOUR_MS, 0);
        prop_assert_eq!(today(&berlin(), start), d);
        prop_assert_eq!(today(&berlin(), end - 1), d);
    }

    #[test]
    fn never_panics(s in any::<String>(), today in any_date()) {
        let _ = parse_date(&s, today, Toward::Future);
        let _ = parse_time(&s);
    }
}

#[test]
fn local_times_become_instants_across_dst() {
    let tz = berlin();
    let utc = |s: &str| s.parse::<Timestamp>().unwrap().as_millisecond();
    let at = |d: Date, h: i8, m: i8| local_ms(&tz, d.at(h, m, 0, 0));
    assert_eq!(
        at(date(2026, 12, 1), 12, 0),
        Some(utc("2026-12-01T11:00:00Z"))
    );
    assert_eq!(
        at(date(2026, 7, 1), 12, 0),
        Some(utc("2026-07-01T10:00:00Z"))
    );
    // 29.03.2026 in Berlin: 02:00 becomes 03:00, so 02:30 never happens.
    assert_eq!(at(date(2026, 3, 29), 2, 30), None);
    assert_eq!(
        at(date(2026, 3, 29), 3, 0),
        Some(utc("2026-03-29T01:00:00Z"))
    );
    // 25.10.2026: 03:00 goes back to 02:00; 02:30 is taken the first time.
    assert_eq!(
        at(date(2026, 10, 25), 2, 30),
        Some(utc("2026-10-25T00:30:00Z"))
    );
}
