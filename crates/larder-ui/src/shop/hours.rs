//! Opening hours: whether an order can be made "as soon as possible", which
//! wanted times are offered, and when the shop opens next. Pure functions of
//! the rules, the business time zone and the instant given — never the
//! machine's clock — computed on instants, so a day of 23 or 25 hours (DST)
//! gets the right times.
//!
//! The kitchen cooks only while open: an order placed before opening, or
//! too late to finish before closing, starts at the next opening. Wanted
//! times lie within opening hours and no earlier than that start plus the
//! order's preparation time.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use larder_core::local_ms;

use crate::ShopRules;

const MINUTE_MS: i64 = 60_000;

/// Days searched past `days_ahead` for the first free time when none of the
/// usual days has one, so the customer always gets times to choose from.
const EXTRA_DAYS: u8 = 7;

/// Where the shop stands at an instant, for an order needing some minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Now {
    /// Open, and the order can be ready before closing, at this instant.
    Open { ready: i64 },
    /// Open, but closing before the order could be ready.
    TooLate { closes: Time },
    /// Closed; it opens on `day` (today, or tomorrow after closing) at `opens`.
    Closed { day: Date, opens: Time },
}

/// A day offered for a wanted time: its offset from today and free times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    pub offset: u8,
    pub date: Date,
    /// Minutes after midnight, local time.
    pub slots: Vec<u16>,
}

pub struct Hours<'a> {
    rules: &'a ShopRules,
    tz: &'a TimeZone,
    now: i64,
}

fn minutes(t: Time) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

fn time_of(minute: i64) -> Option<Time> {
    Time::new(
        i8::try_from(minute / 60).ok()?,
        i8::try_from(minute % 60).ok()?,
        0,
        0,
    )
    .ok()
}

impl<'a> Hours<'a> {
    pub fn new(rules: &'a ShopRules, tz: &'a TimeZone, now: i64) -> Hours<'a> {
        Hours { rules, tz, now }
    }

    pub fn today(&self) -> Date {
        larder_core::today(self.tz, self.now)
    }

    fn day(&self, offset: u8) -> Option<Date> {
        self.today()
            .checked_add(jiff::Span::new().days(i64::from(offset)))
            .ok()
    }

    /// The instant of `time` on `day`; a time the clocks skip (DST) counts
    /// as the first instant after the gap.
    fn instant(&self, day: Date, time: Time) -> i64 {
        let at = day.to_datetime(time);
        local_ms(self.tz, at).unwrap_or_else(|| {
            at.to_zoned(self.tz.clone())
                .map(|z| z.timestamp().as_millisecond())
                .unwrap_or(self.now)
        })
    }

    fn opens_on(&self, day: Date) -> i64 {
        self.instant(day, self.rules.opens)
    }

    fn closes_on(&self, day: Date) -> i64 {
        self.instant(day, self.rules.closes)
    }

    /// Where the shop stands now for an order needing `need` minutes.
    pub fn now(&self, need: i64) -> Now {
        let today = self.today();
        let (opens, closes) = (self.opens_on(today), self.closes_on(today));
        let ready = self.now.saturating_add(need.saturating_mul(MINUTE_MS));
        if self.now < opens {
            Now::Closed {
                day: today,
                opens: self.rules.opens,
            }
        } else if self.now >= closes {
            Now::Closed {
                day: today.tomorrow().unwrap_or(today),
                opens: self.rules.opens,
            }
        } else if ready <= closes {
            Now::Open { ready }
        } else {
            Now::TooLate {
                closes: self.rules.closes,
            }
        }
    }

    /// When an order placed now would be ready "as soon as possible", if
    /// the kitchen can make it before closing.
    pub fn asap(&self, need: i64) -> Option<i64> {
        match self.now(need) {
            Now::Open { ready } => Some(ready),
            _ => None,
        }
    }

    /// The earliest an order placed now can be ready: now plus its time if
    /// the kitchen can start at once, else the next opening plus its time.
    fn earliest(&self, need: i64) -> i64 {
        let need_ms = need.saturating_mul(MINUTE_MS);
        match self.now(need) {
            Now::Open { ready } => ready,
            Now::Closed { day, .. } => self.opens_on(day).saturating_add(need_ms),
            Now::TooLate { .. } => {
                let tomorrow = self.today().tomorrow().unwrap_or(self.today());
                self.opens_on(tomorrow).saturating_add(need_ms)
            }
        }
    }

    /// The free wanted times of `day`: every `slot_minutes` from one slot
    /// after opening until closing, that exist on that day (DST) and can
    /// still be met.
    pub fn slots(&self, day: Date, need: i64) -> Vec<u16> {
        let step = i64::from(self.rules.slot_minutes.max(5));
        let (open, close) = (minutes(self.rules.opens), minutes(self.rules.closes));
        let earliest = self.earliest(need);
        let mut out = Vec::new();
        let mut m = open + step;
        while m <= close {
            let at = time_of(m).and_then(|t| local_ms(self.tz, day.to_datetime(t)));
            if let (Some(at), Ok(minute)) = (at, u16::try_from(m))
                && at >= earliest
            {
                out.push(minute);
            }
            m += step;
        }
        out
    }

    /// The instant of a wanted time, if it is still offered.
    pub fn offers(&self, day: Date, minute: u16, need: i64) -> Option<i64> {
        self.days(need)
            .iter()
            .any(|d| d.date == day && d.slots.contains(&minute))
            .then(|| time_of(i64::from(minute)))
            .flatten()
            .and_then(|t| local_ms(self.tz, day.to_datetime(t)))
    }

    /// The days offered for a wanted time: today and up to `days_ahead`
    /// days after, those with a free time. Should none have one (say
    /// `days_ahead` is 0 and the day is over), the first later day that does.
    pub fn days(&self, need: i64) -> Vec<Day> {
        let usual = self.rules.days_ahead;
        let mut out = Vec::new();
        for offset in 0..=usual.saturating_add(EXTRA_DAYS) {
            if offset > usual && !out.is_empty() {
                break;
            }
            let Some(date) = self.day(offset) else {
                break;
            };
            let slots = self.slots(date, need);
            if !slots.is_empty() {
                out.push(Day {
                    offset,
                    date,
                    slots,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn rules() -> ShopRules {
        ShopRules {
            opens: time(10, 0, 0, 0),
            closes: time(22, 0, 0, 0),
            slot_minutes: 30,
            days_ahead: 2,
            ..ShopRules::default()
        }
    }

    fn tz() -> TimeZone {
        TimeZone::get("Europe/Chisinau").unwrap()
    }

    /// The instant of a local time in Chisinau.
    fn at(text: &str) -> i64 {
        local_ms(&tz(), text.parse().unwrap()).unwrap()
    }

    fn hhmm(m: u16) -> String {
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    fn first_slots(h: &Hours<'_>, need: i64) -> Vec<(Date, String)> {
        h.days(need)
            .iter()
            .map(|d| (d.date, hhmm(d.slots[0])))
            .collect()
    }

    #[test]
    fn before_opening_the_first_time_is_opening_plus_the_preparation() {
        let (rules, tz) = (rules(), tz());
        let h = Hours::new(&rules, &tz, at("2026-12-01T08:00"));
        assert_eq!(
            h.now(90),
            Now::Closed {
                day: date(2026, 12, 1),
                opens: rules.opens
            }
        );
        assert_eq!(h.asap(90), None);
        // 10:00 + 90 minutes: 10:30 and 11:00 cannot be met.
        assert_eq!(
            first_slots(&h, 90),
            [
                (date(2026, 12, 1), "11:30".into()),
                (date(2026, 12, 2), "10:30".into()),
                (date(2026, 12, 3), "10:30".into()),
            ]
        );
    }

    #[test]
    fn at_opening_and_mid_day_an_order_can_be_made_at_once() {
        let (rules, tz) = (rules(), tz());
        let opening = Hours::new(&rules, &tz, at("2026-12-01T10:00"));
        assert_eq!(opening.asap(30), Some(at("2026-12-01T10:30")));
        let noon = Hours::new(&rules, &tz, at("2026-12-01T12:00"));
        assert_eq!(noon.asap(45), Some(at("2026-12-01T12:45")));
        assert_eq!(
            first_slots(&noon, 45)[0],
            (date(2026, 12, 1), "13:00".into())
        );
    }

    #[test]
    fn too_late_before_closing_offers_tomorrow() {
        let (rules, tz) = (rules(), tz());
        let h = Hours::new(&rules, &tz, at("2026-12-01T21:45"));
        assert_eq!(
            h.now(30),
            Now::TooLate {
                closes: rules.closes
            }
        );
        // A quick order still fits.
        assert_eq!(h.asap(15), Some(at("2026-12-01T22:00")));
        assert_eq!(first_slots(&h, 30)[0], (date(2026, 12, 2), "10:30".into()));
        assert_eq!(h.days(30).len(), 2, "tomorrow and the day after");
    }

    #[test]
    fn after_closing_and_at_midnight_the_shop_opens_next() {
        let (rules, tz) = (rules(), tz());
        let late = Hours::new(&rules, &tz, at("2026-12-01T23:30"));
        assert_eq!(
            late.now(30),
            Now::Closed {
                day: date(2026, 12, 2),
                opens: rules.opens
            }
        );
        let midnight = Hours::new(&rules, &tz, at("2026-12-02T00:00"));
        assert_eq!(
            midnight.now(30),
            Now::Closed {
                day: date(2026, 12, 2),
                opens: rules.opens
            }
        );
        assert_eq!(
            first_slots(&midnight, 30)[0],
            (date(2026, 12, 2), "10:30".into())
        );
    }

    #[test]
    fn there_are_always_times_to_choose_even_with_no_days_ahead() {
        let rules = ShopRules {
            days_ahead: 0,
            ..rules()
        };
        let tz = tz();
        let h = Hours::new(&rules, &tz, at("2026-12-01T23:30"));
        let days = h.days(30);
        assert_eq!(days.len(), 1);
        assert_eq!((days[0].offset, days[0].date), (1, date(2026, 12, 2)));
    }

    #[test]
    fn dst_days_have_the_right_instants() {
        // A shop open around the clock shows the DST change itself.
        let rules = ShopRules {
            opens: time(0, 0, 0, 0),
            closes: time(23, 30, 0, 0),
            slot_minutes: 30,
            days_ahead: 0,
            ..ShopRules::default()
        };
        let tz = tz();
        // 29.03.2026: 02:00 becomes 03:00, so 02:30 does not exist.
        let spring = Hours::new(&rules, &tz, at("2026-03-29T00:10"));
        let slots: Vec<String> = spring.days(30)[0].slots.iter().map(|m| hhmm(*m)).collect();
        assert!(slots.contains(&"01:30".into()) && slots.contains(&"03:00".into()));
        assert!(!slots.contains(&"02:30".into()), "{slots:?}");
        // 01:40 plus 60 minutes is 03:40 on the wall clock.
        let h = Hours::new(&rules, &tz, at("2026-03-29T01:40"));
        assert_eq!(h.asap(60), Some(at("2026-03-29T03:40")));
        // 25.10.2026: 03:00 goes back to 02:00; 02:30 happens twice.
        let autumn = Hours::new(&rules, &tz, at("2026-10-25T01:50"));
        let ready = autumn.asap(60).unwrap();
        assert_eq!(ready - at("2026-10-25T01:50"), 60 * MINUTE_MS);
        let slots = autumn.days(30)[0].slots.clone();
        assert_eq!(
            slots.iter().filter(|m| hhmm(**m) == "02:30").count(),
            1,
            "each wall-clock time once"
        );
    }
}
