//! `--at`: the moment a demo or a benchmark pretends it is, in the business
//! time zone, so that a demo tried in the evening can still show an open
//! shop. `larder run` always uses the system clock.

use anyhow::bail;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use larder_core::{Clock, local_ms, parse_time};

/// Reads `2026-12-01T11:00`, `2026-12-01 11:00` or `11:00` (that time
/// today) as a wall-clock time in `tz`; `today` is the business day now.
pub fn parse_at(text: &str, tz: &TimeZone, today: Date) -> anyhow::Result<i64> {
    let text = text.trim();
    let at = match text.split_once(['T', ' ']) {
        Some((day, time)) => {
            let Ok(day) = day.parse::<Date>() else {
                bail!("--at {text:?}: write the date like 2026-12-01");
            };
            day.to_datetime(time_of(text, time)?)
        }
        None => today.to_datetime(time_of(text, text)?),
    };
    match local_ms(tz, at) {
        Some(ms) => Ok(ms),
        None => bail!("--at {text:?}: that time does not exist in {tz:?} (the clocks skip it)"),
    }
}

fn time_of(text: &str, time: &str) -> anyhow::Result<jiff::civil::Time> {
    parse_time(time.trim()).map_err(|_| anyhow::anyhow!("--at {text:?}: write the time like 11:00"))
}

/// The clock a demo or benchmark runs on: started at `at` (see
/// [`parse_at`]) and running from there, or the system clock.
pub fn clock_at(at: Option<&str>, tz: &TimeZone) -> anyhow::Result<Clock> {
    let system = Clock::system();
    match at {
        None => Ok(system),
        Some(text) => {
            let today = larder_core::today(tz, system.now_ms());
            Ok(Clock::starting_at(parse_at(text, tz, today)?))
        }
    }
}

/// Today at `hour`:00 in `tz`, as a running clock (benchmarks measure the
/// shop while it is open, whatever the hour they are run at).
pub fn today_at_hour(tz: &TimeZone, hour: i8) -> Clock {
    let system = Clock::system();
    let day = larder_core::today(tz, system.now_ms());
    let at: DateTime = day.at(hour, 0, 0, 0);
    match local_ms(tz, at) {
        Some(ms) => Clock::starting_at(ms),
        None => system,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn chisinau() -> TimeZone {
        TimeZone::get("Europe/Chisinau").unwrap()
    }

    fn utc(text: &str) -> i64 {
        text.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn a_full_date_and_time_is_read_in_the_business_time_zone() {
        let tz = chisinau();
        let today = date(2026, 11, 30);
        assert_eq!(
            parse_at("2026-12-01T11:00", &tz, today).unwrap(),
            utc("2026-12-01T09:00:00Z")
        );
        assert_eq!(
            parse_at("2026-07-01 11:00", &tz, today).unwrap(),
            utc("2026-07-01T08:00:00Z"),
            "summer time is UTC+3"
        );
    }

    #[test]
    fn a_time_alone_means_today() {
        let tz = chisinau();
        assert_eq!(
            parse_at("12:30", &tz, date(2026, 11, 30)).unwrap(),
            utc("2026-11-30T10:30:00Z")
        );
    }

    #[test]
    fn nonsense_and_skipped_times_are_refused_with_a_hint() {
        let tz = chisinau();
        let today = date(2026, 11, 30);
        let err = |t: &str| parse_at(t, &tz, today).unwrap_err().to_string();
        assert!(err("noon").contains("like 11:00"), "{}", err("noon"));
        assert!(err("2026-13-01T11:00").contains("like 2026-12-01"));
        assert!(err("2026-12-01T25:00").contains("like 11:00"));
        // Moldova moves from 02:00 to 03:00 on the last Sunday of March.
        assert!(err("2026-03-29T02:30").contains("does not exist"));
    }
}
