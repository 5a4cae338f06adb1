//! Text forms of values stored as TEXT columns or written to order history.

use jiff::civil::{Date, Time};
use larder_core::{Money, Percent, Quantity, Unit};

use crate::{Result, StoreError};

/// `"2026-12-25"`.
pub(crate) fn date_text(d: Date) -> String {
    d.to_string()
}

/// `"14:30"`: times are kept to the minute (seconds are dropped).
pub(crate) fn time_text(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

pub(crate) fn parse_date(column: &str, s: Option<String>) -> Result<Option<Date>> {
    s.map(|s| {
        s.parse()
            .map_err(|_| StoreError::Corrupt(format!("{column} {s:?}")))
    })
    .transpose()
}

pub(crate) fn parse_time(column: &str, s: Option<String>) -> Result<Option<Time>> {
    s.map(|s| {
        let parsed = s.split_once(':').and_then(|(h, m)| {
            let (h, m) = (h.parse::<i8>().ok()?, m.parse::<i8>().ok()?);
            Time::new(h, m, 0, 0).ok()
        });
        parsed.ok_or_else(|| StoreError::Corrupt(format!("{column} {s:?}")))
    })
    .transpose()
}

pub(crate) fn parse_unit(s: &str) -> Result<Unit> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("unit {s:?}")))
}

pub(crate) fn quantity(unit: Unit, value: i64) -> Result<Quantity> {
    Quantity::new(unit, value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn percent(bp: i64) -> Result<Percent> {
    Percent::from_basis_points(bp).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// `"315 g"`, `"2 pcs"`.
pub(crate) fn quantity_text(q: Quantity) -> String {
    match q {
        Quantity::Grams(n) => format!("{n} g"),
        Quantity::Pieces(n) => format!("{n} pcs"),
    }
}

/// Minor units as a decimal integer: `"1500"`.
pub(crate) fn money_text(m: Money) -> String {
    m.minor().to_string()
}

pub(crate) fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_to_the_minute() {
        let t = Time::new(9, 5, 30, 0).unwrap();
        assert_eq!(time_text(t), "09:05");
        assert_eq!(
            parse_time("t", Some("09:05".into())).unwrap(),
            Some(Time::new(9, 5, 0, 0).unwrap())
        );
        assert!(parse_time("t", Some("9h".into())).is_err());
    }

    #[test]
    fn dates_round_trip() {
        let d = Date::new(2026, 12, 25).unwrap();
        assert_eq!(date_text(d), "2026-12-25");
        assert_eq!(parse_date("d", Some(date_text(d))).unwrap(), Some(d));
    }
}
