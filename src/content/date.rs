//! Dates from front matter: `YYYY-MM-DD` or RFC 3339 with an offset.
//!
//! Owns parsing and formatting of note dates; it never looks at the clock, so
//! output stays deterministic.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime};

/// A validated note date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    instant: DateTime<FixedOffset>,
    has_time: bool,
}

/// English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Appends `n` (below 100) as two digits.
fn push_two(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Why `text`, written as a date, is none: a day or month that does not
/// exist, or a time without an offset. `None` when it is not written as
/// a date at all.
fn why_not(text: &str) -> Option<String> {
    let end = text.find(['T', 't', ' ']).unwrap_or(text.len());
    let (day, time) = text.split_at(end);
    let mut parts = day.split('-');
    let mut number = |width: std::ops::RangeInclusive<usize>| {
        parts
            .next()
            .filter(|p| width.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (year, month, d) = (number(4..=4)?, number(1..=2)?, number(1..=2)?);
    if parts.next().is_some() {
        return None;
    }
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}"));
    }
    if NaiveDate::from_ymd_opt(year as i32, month, d).is_none() {
        return Some(format!(
            "{} {year} has no day {d}",
            MONTHS[month as usize - 1]
        ));
    }
    let time = time.get(1..).unwrap_or_default();
    let offset = time.ends_with(['Z', 'z']) || time.contains(['+', '-']);
    (!time.is_empty() && !offset).then(|| {
        "a time needs an offset: end it with `Z` (UTC) or one such as `+08:00`".to_string()
    })
}

/// Is `text` written as a day: four digits, a month and a day of one or
/// two digits (as YAML's timestamps allow), nothing else? chrono's `%Y`
/// also takes a sign and more digits (`-2024-03-12`, `+2024-03-12`),
/// which RFC 3339, Atom and the sitemap have no room for.
fn written_as_day(text: &str) -> bool {
    let mut parts = text.split('-');
    let digits = |p: Option<&str>, width: std::ops::RangeInclusive<usize>| {
        p.is_some_and(|p| width.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    digits(parts.next(), 4..=4)
        && digits(parts.next(), 1..=2)
        && digits(parts.next(), 1..=2)
        && parts.next().is_none()
}

impl Date {
    /// Parses `2024-01-05` or `2024-01-05T08:30:00+08:00`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        if let Some(day) = written_as_day(text)
            .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .flatten()
        {
            let utc = FixedOffset::east_opt(0).ok_or("bad offset")?;
            let instant = day
                .and_time(NaiveTime::MIN)
                .and_local_timezone(utc)
                .single()
                .ok_or_else(|| format!("invalid date \"{text}\""))?;
            return Ok(Date {
                instant,
                has_time: false,
            });
        }
        DateTime::parse_from_rfc3339(text)
            .map(|instant| Date {
                instant,
                has_time: true,
            })
            .map_err(|_| match why_not(text) {
                Some(why) => format!("invalid date \"{text}\": {why}"),
                None => format!("invalid date \"{text}\": expected YYYY-MM-DD or RFC 3339 such as 2024-01-05T08:00:00+08:00"),
            })
    }

    /// For sorting, as [`Ord`] does: the calendar day as written (days
    /// from year 1), then seconds since the Unix epoch.
    pub fn sort_key(&self) -> (i32, i64) {
        (
            self.instant.date_naive().num_days_from_ce(),
            self.instant.timestamp(),
        )
    }

    /// `2024-01-05` (the date as written, in its own offset).
    pub fn ymd(&self) -> String {
        match self.month_digits() {
            Some(mut out) => {
                out.push('-');
                push_two(&mut out, self.instant.day());
                out
            }
            None => self.instant.format("%Y-%m-%d").to_string(),
        }
    }

    /// RFC 3339, as Atom and sitemaps want: `2024-01-05T00:00:00+00:00`.
    pub fn rfc3339(&self) -> String {
        self.instant.to_rfc3339()
    }

    /// As HTML's `datetime` attribute takes it, saying no more than was
    /// written: `2024-01-05` for a day, RFC 3339 for a moment.
    pub fn datetime(&self) -> String {
        if self.has_time {
            self.rfc3339()
        } else {
            self.ymd()
        }
    }

    /// The later moment of two (a day counts as its midnight in UTC):
    /// unlike `max`, which compares the days as written first.
    pub fn later_moment(self, other: Date) -> Date {
        if other.instant > self.instant {
            other
        } else {
            self
        }
    }

    /// `5 January 2024`.
    pub fn human(&self) -> String {
        format!(
            "{} {} {}",
            self.instant.day(),
            MONTHS[self.instant.month0() as usize],
            self.instant.year()
        )
    }

    /// `2024-01`, the key of the month.
    pub fn month_key(&self) -> String {
        self.month_digits()
            .unwrap_or_else(|| self.instant.format("%Y-%m").to_string())
    }

    /// `2024-01` written digit by digit (chrono's formatter reads its
    /// format string on every call, and a build formats thousands of
    /// dates); `None` for a year outside 0-9999, which chrono writes.
    fn month_digits(&self) -> Option<String> {
        let year = u32::try_from(self.instant.year())
            .ok()
            .filter(|y| *y <= 9999)?;
        let mut out = String::with_capacity(10);
        push_two(&mut out, year / 100);
        push_two(&mut out, year % 100);
        out.push('-');
        push_two(&mut out, self.instant.month());
        Some(out)
    }

    /// `January 2024`.
    pub fn month_label(&self) -> String {
        format!(
            "{} {}",
            MONTHS[self.instant.month0() as usize],
            self.instant.year()
        )
    }

    /// Was a time of day given?
    pub fn has_time(&self) -> bool {
        self.has_time
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By the calendar day as written first, then by the moment: lists group
/// notes by the month they are dated in, so a note written
/// `2024-01-31T23:00:00-05:00` (February in UTC) stays with January.
impl Ord for Date {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant
            .date_naive()
            .cmp(&other.instant.date_naive())
            .then_with(|| self.instant.cmp(&other.instant))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.has_time {
            f.write_str(&self.rfc3339())
        } else {
            f.write_str(&self.ymd())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_written_as_a_day_and_the_later_moment_is_by_the_clock() {
        let day = Date::parse("2024-03-01").unwrap();
        let evening = Date::parse("2024-02-29T23:30:00-05:00").unwrap();
        assert_eq!(day.datetime(), "2024-03-01");
        assert_eq!(evening.datetime(), "2024-02-29T23:30:00-05:00");
        // By the days as written, the 1st comes after the 29th; by the
        // clock, 23:30 in New York is 04:30 on the 1st in UTC.
        assert_eq!(day.max(evening), day);
        assert_eq!(day.later_moment(evening), evening);
        assert_eq!(evening.later_moment(day), evening);
    }

    #[test]
    fn parses_both_forms() {
        let d = Date::parse("2024-01-05").unwrap();
        assert_eq!(d.human(), "5 January 2024");
        assert_eq!(d.rfc3339(), "2024-01-05T00:00:00+00:00");
        let t = Date::parse("2024-01-05T08:30:00+08:00").unwrap();
        assert!(t.has_time());
        assert_eq!(t.month_key(), "2024-01");
        assert!(Date::parse("2024-13-05").is_err());
        // The written day orders before the moment.
        let late_january = Date::parse("2024-01-31T23:00:00-05:00").unwrap();
        let february = Date::parse("2024-02-01").unwrap();
        assert!(late_january < february);
        assert!(february < Date::parse("2024-02-01T10:00:00Z").unwrap());
        assert!(Date::parse("5 Jan").is_err());
    }

    #[test]
    fn digits_are_written_as_chrono_formats_them() {
        let utc = FixedOffset::east_opt(0).unwrap();
        for year in [-5, 0, 7, 999, 1000, 2024, 9999, 10000, 12345] {
            for (month, day) in [(1, 1), (2, 29), (9, 9), (10, 10), (12, 31)] {
                let Some(day) = NaiveDate::from_ymd_opt(year, month, day) else {
                    continue;
                };
                let instant = day
                    .and_time(NaiveTime::MIN)
                    .and_local_timezone(utc)
                    .unwrap();
                let d = Date {
                    instant,
                    has_time: false,
                };
                assert_eq!(d.ymd(), instant.format("%Y-%m-%d").to_string());
                assert_eq!(d.month_key(), instant.format("%Y-%m").to_string());
            }
        }
    }

    #[test]
    fn a_date_that_is_not_one_says_why() {
        let why = |text: &str| Date::parse(text).unwrap_err();
        assert_eq!(
            why("2024-02-30"),
            "invalid date \"2024-02-30\": February 2024 has no day 30"
        );
        assert_eq!(
            why("2023-02-29"),
            "invalid date \"2023-02-29\": February 2023 has no day 29"
        );
        assert_eq!(
            why("2024-13-01"),
            "invalid date \"2024-13-01\": there is no month 13"
        );
        assert_eq!(
            why("2024-00-10"),
            "invalid date \"2024-00-10\": there is no month 0"
        );
        assert!(why("2024-03-12T08:30:00")
            .ends_with("a time needs an offset: end it with `Z` (UTC) or one such as `+08:00`"));
        assert!(why("2024-02-31T08:30:00+08:00").ends_with("February 2024 has no day 31"));
        for other in [
            "spring 2020",
            "2024/03/12",
            "12-03-2024",
            "2024-03-12T25:00:00Z",
            "2024-03-12-1",
            "-2024-03-12",
            "+2024-03-12",
            "12024-03-12",
            "2024-003-12",
        ] {
            assert!(
                why(other).contains("expected YYYY-MM-DD or RFC 3339"),
                "{other}: {}",
                why(other)
            );
        }
        assert!(Date::parse("2024-02-29").is_ok());
        // One digit for the month or the day is a day all the same.
        assert_eq!(Date::parse("2024-1-5").unwrap().ymd(), "2024-01-05");
    }
}
