//! Periods of a trend series: days, ISO weeks (Monday to Sunday, labelled `2025-W41`), calendar
//! months, quarters (`2025-Q4`) or years. A period is identified by an integer key that increases by one from each
//! period to the next, so gaps are visible as jumps.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate};

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a date");
/// The first Monday after the epoch, where week 0 starts.
const FIRST_MONDAY: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 5).expect("1970-01-05 is a date");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    Day,
    #[default]
    Week,
    Month,
    Quarter,
    Year,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// Whether a date known only to its month can be placed in a period of this kind.
    pub fn holds_months(self) -> bool {
        matches!(self, Period::Month | Period::Quarter | Period::Year)
    }

    /// The key of the period that contains `date`.
    pub fn key(self, date: NaiveDate) -> i64 {
        match self {
            Period::Day => (date - EPOCH).num_days(),
            Period::Week => (date - FIRST_MONDAY).num_days().div_euclid(7),
            Period::Month => i64::from(date.year()) * 12 + i64::from(date.month0()),
            Period::Quarter => i64::from(date.year()) * 4 + i64::from(date.month0() / 3),
            Period::Year => i64::from(date.year()),
        }
    }

    /// The first day of the period.
    pub fn start(self, key: i64) -> NaiveDate {
        match self {
            Period::Day => EPOCH + Duration::days(key),
            Period::Week => FIRST_MONDAY + Duration::days(key * 7),
            Period::Month => Period::Month.first_of(key.div_euclid(12), key.rem_euclid(12)),
            Period::Quarter => Period::Month.first_of(key.div_euclid(4), key.rem_euclid(4) * 3),
            Period::Year => Period::Month.first_of(key, 0),
        }
    }

    /// The first day of a month (`month0` from 0).
    fn first_of(self, year: i64, month0: i64) -> NaiveDate {
        i32::try_from(year)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, u32::try_from(month0 + 1).unwrap_or(1), 1))
            .unwrap_or(EPOCH)
    }

    /// The last day of the period.
    pub fn end(self, key: i64) -> NaiveDate {
        self.start(key + 1) - Duration::days(1)
    }

    /// `2025-10-06`, `2025-W41`, `2025-10`, `2025-Q4` or `2025`.
    pub fn label(self, key: i64) -> String {
        let start = self.start(key);
        match self {
            Period::Day => start.format("%Y-%m-%d").to_string(),
            Period::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            Period::Year => start.year().to_string(),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            "quarter" => Ok(Period::Quarter),
            "year" => Ok(Period::Year),
            _ => Err(format!("unknown period {s:?} (day, week, month, quarter or year)")),
        }
    }
}

/// A date bound given as `2025-10-06`, `2025-W41`, `2025-10`, `2025-Q4` or `2025`: the first day
/// it names, and the last.
pub fn parse_bound(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let text = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some((d, d));
    }
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        let key = Period::Year.key(NaiveDate::from_ymd_opt(text.parse().ok()?, 1, 1)?);
        return Some((Period::Year.start(key), Period::Year.end(key)));
    }
    if let Some((year, quarter)) = text.split_once("-Q") {
        let q: u32 = quarter.parse().ok().filter(|q| (1..=4).contains(q))?;
        let key = Period::Quarter.key(NaiveDate::from_ymd_opt(year.parse().ok()?, (q - 1) * 3 + 1, 1)?);
        return Some((Period::Quarter.start(key), Period::Quarter.end(key)));
    }
    if let Some((year, week)) = text.split_once("-W") {
        let start = NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, chrono::Weekday::Mon)?;
        return Some((start, start + Duration::days(6)));
    }
    let (year, month) = text.split_once('-')?;
    let start = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
    let key = Period::Month.key(start);
    Some((start, Period::Month.end(key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn iso_weeks_run_monday_to_sunday() {
        let monday = Period::Week.key(date("2025-10-06"));
        assert_eq!(Period::Week.key(date("2025-10-12")), monday);
        assert_eq!(Period::Week.key(date("2025-10-13")), monday + 1);
        assert_eq!(Period::Week.label(monday), "2025-W41");
        assert_eq!(Period::Week.start(monday), date("2025-10-06"));
        assert_eq!(Period::Week.end(monday), date("2025-10-12"));
        // ISO week 1 of 2026 starts on 2025-12-29.
        assert_eq!(Period::Week.label(Period::Week.key(date("2025-12-31"))), "2026-W01");
    }

    #[test]
    fn months_and_days() {
        let k = Period::Month.key(date("2025-10-16"));
        assert_eq!((Period::Month.label(k), Period::Month.end(k)), ("2025-10".to_owned(), date("2025-10-31")));
        assert_eq!(Period::Month.key(date("2026-01-01")), k + 3);
        assert_eq!(Period::Day.label(Period::Day.key(date("2025-10-16"))), "2025-10-16");
    }

    #[test]
    fn bounds_in_three_spellings() {
        assert_eq!(parse_bound("2025-W41"), Some((date("2025-10-06"), date("2025-10-12"))));
        assert_eq!(parse_bound("2025-10"), Some((date("2025-10-01"), date("2025-10-31"))));
        assert_eq!(parse_bound("2025-10-07"), Some((date("2025-10-07"), date("2025-10-07"))));
        assert_eq!(parse_bound("last week"), None);
        assert_eq!(parse_bound("2024-Q2"), Some((date("2024-04-01"), date("2024-06-30"))));
        assert_eq!(parse_bound("2024"), Some((date("2024-01-01"), date("2024-12-31"))));
        assert_eq!(parse_bound("2024-Q5"), None);
    }

    #[test]
    fn quarters_and_years() {
        let q = Period::Quarter.key(date("2025-11-16"));
        assert_eq!(Period::Quarter.label(q), "2025-Q4");
        assert_eq!((Period::Quarter.start(q), Period::Quarter.end(q)), (date("2025-10-01"), date("2025-12-31")));
        assert_eq!(Period::Quarter.key(date("2026-01-01")), q + 1);
        let y = Period::Year.key(date("2025-11-16"));
        assert_eq!((Period::Year.label(y), Period::Year.end(y)), ("2025".to_owned(), date("2025-12-31")));
    }
}
