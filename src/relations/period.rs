//! Partial dates for the terms of roles and relations: `2023`, `2023-09` or
//! `2023-09-05`, as precise as the author knows.
//!
//! Owns parsing, comparing and labelling them. A term runs from the start
//! of its `since` to the start of its `until`, so a post handed over in
//! September 2023 reads `until: 2023-09` on one side and `since: 2023-09` on
//! the other without overlapping.

use chrono::NaiveDate;

use crate::content::date::MONTHS;

/// A year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    year: i32,
    /// 1 to 12, or 0 when only the year is known.
    month: u8,
    /// 1 to 31, or 0 when only the year or month is known.
    day: u8,
}

impl Period {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Period, String> {
        let text = text.trim();
        let bad = || format!("invalid date \"{text}\": expected YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| -> Result<u32, String> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (year, month, day) = match parts.as_slice() {
            [y] => (number(y, 4)?, 0, 0),
            [y, m] => (number(y, 4)?, number(m, 2)?, 0),
            [y, m, d] => (number(y, 4)?, number(m, 2)?, number(d, 2)?),
            _ => return Err(bad()),
        };
        let year = year as i32;
        // A written month or day is never 0 (`2020-00`, `2020-05-00`).
        let zero = (parts.len() > 1 && month == 0) || (parts.len() > 2 && day == 0);
        if zero || NaiveDate::from_ymd_opt(year, month.max(1), day.max(1)).is_none() {
            return Err(format!("invalid date \"{text}\": no such day or month"));
        }
        Ok(Period {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The first day of the period, for comparing terms.
    pub fn start(&self) -> (i32, u8, u8) {
        (self.year, self.month.max(1), self.day.max(1))
    }

    /// As written, normalised: `2023`, `2023-09`, `2023-09-05`.
    pub fn written(&self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{:04}", self.year),
            (m, 0) => format!("{:04}-{m:02}", self.year),
            (m, d) => format!("{:04}-{m:02}-{d:02}", self.year),
        }
    }

    /// For readers: `2023`, `September 2023`, `5 September 2023`.
    pub fn label(&self) -> String {
        let month = MONTHS
            .get((self.month as usize).wrapping_sub(1))
            .copied()
            .unwrap_or("");
        match (self.month, self.day) {
            (0, _) => self.year.to_string(),
            (_, 0) => format!("{month} {}", self.year),
            (_, d) => format!("{d} {month} {}", self.year),
        }
    }
}

/// A term: from `since` (or always) until `until` (or still).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Term {
    /// When it began, if known.
    pub since: Option<Period>,
    /// When it ended, if it did.
    pub until: Option<Period>,
}

impl Term {
    /// Do two terms share a moment? Open ends reach forever; a term ending
    /// when the other begins does not overlap it.
    pub fn overlaps(&self, other: &Term) -> bool {
        let begins_before_end = |a: &Term, b: &Term| match (a.since, b.until) {
            (Some(s), Some(u)) => s.start() < u.start(),
            _ => true,
        };
        begins_before_end(self, other) && begins_before_end(other, self)
    }

    /// `from 2019 until 2023-09`, `since 2023-01`, `with no dates`.
    pub fn describe(&self) -> String {
        match (self.since, self.until) {
            (Some(s), Some(u)) => format!("from {} until {}", s.written(), u.written()),
            (Some(s), None) => format!("since {}", s.written()),
            (None, Some(u)) => format!("until {}", u.written()),
            (None, None) => "with no dates".to_string(),
        }
    }

    /// Is `until` before `since`?
    pub fn is_reversed(&self) -> bool {
        matches!((self.since, self.until), (Some(s), Some(u)) if u.start() < s.start())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    fn term(since: Option<&str>, until: Option<&str>) -> Term {
        Term {
            since: since.map(p),
            until: until.map(p),
        }
    }

    #[test]
    fn parses_three_precisions_and_labels_them() {
        assert_eq!(p("2023").label(), "2023");
        assert_eq!(p("2023-09").label(), "September 2023");
        assert_eq!(p("2023-09-05").label(), "5 September 2023");
        assert_eq!(p(" 2023-09 ").written(), "2023-09");
        for bad in [
            "23",
            "2023-9",
            "2023-13",
            "2023-02-30",
            "2020-00",
            "2020-05-00",
            "2021-00-00",
            "soon",
            "2023-09-05-01",
            "",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn terms_overlap_unless_one_ends_when_the_other_begins() {
        let handed = term(None, Some("2023-09"));
        let taken = term(Some("2023-09"), None);
        assert!(!handed.overlaps(&taken));
        assert!(!taken.overlaps(&handed));
        assert!(term(None, None).overlaps(&term(Some("1999"), None)));
        assert!(term(Some("2020"), Some("2023-09")).overlaps(&term(Some("2023-01"), None)));
        assert!(!term(Some("2020"), Some("2021")).overlaps(&term(Some("2022"), Some("2024"))));
        assert!(term(Some("2021"), Some("2020")).is_reversed());
        assert_eq!(
            term(Some("2019"), Some("2023-09")).describe(),
            "from 2019 until 2023-09"
        );
    }
}
