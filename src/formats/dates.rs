//! Dates as digests and their paths write them: `2025-10-06`, `2026.06.29`, `2026/04/01`,
//! `27-May-2025`, `May 27, 2025`, `27 May 2025`, `2026年4月1日`, and ISO weeks (`2026-W17`, dated
//! at that week's Monday). A date is found in a text, in a labelled line (`Updated on …`,
//! `Last update: …`, `Date: …`) or in a path (the file name first, then its folders, nearest
//! first).

use std::sync::LazyLock;

use chrono::{NaiveDate, Weekday};
use regex::Regex;

use crate::model::{DatePrecision, DateSource, DigestDate};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|err| panic!("built-in regex {pattern:?}: {err}"))
}

const MONTHS: &str = "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?";

/// Year-first dates with `-`, `.`, `/` or `_` between the parts.
static YMD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[^\d])((?:19|20)\d{2})[-./_](\d{1,2})[-./_](\d{1,2})(?:[^\d]|$)"));
/// `2026年4月1日`.
static CJK: LazyLock<Regex> = LazyLock::new(|| re(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"));
/// `27-May-2025`, `27 May 2025`.
static DMY: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\b(\d{{1,2}})[-\s_]({MONTHS})\.?[-\s_,]+((?:19|20)\d{{2}})\b")));
/// `May 27, 2025`, `May 27 2025`.
static MDY: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\b")));
/// `2026-W17`.
static WEEK: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[^\d])((?:19|20)\d{2})-?W(\d{1,2})(?:[^\d]|$)"));

fn month_number(name: &str) -> Option<u32> {
    let m = name.get(..3)?.to_ascii_lowercase();
    let all = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    all.iter().position(|x| *x == m).and_then(|i| u32::try_from(i + 1).ok())
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Whether a text has a year (19xx or 20xx): every form above has one. Most lines have none,
/// and this looks at bytes only, so the patterns run on few lines.
fn has_year(text: &str) -> bool {
    text.as_bytes()
        .windows(4)
        .any(|w| matches!(&w[..2], b"19" | b"20") && w[2].is_ascii_digit() && w[3].is_ascii_digit())
}

/// The first full date written in a text, with its byte offset, in any of the forms above.
pub fn find_date(text: &str) -> Option<(usize, NaiveDate)> {
    if !has_year(text) {
        return None;
    }
    // The commonest case, a cell or value that is one ISO date (`2025-10-06`): the year-first
    // pattern would match it at its start, where no other can match earlier.
    let trimmed = text.trim();
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = trimmed.as_bytes()
        && [y1, y2, y3, y4, m1, m2, d1, d2].iter().all(|b| b.is_ascii_digit())
        && matches!((y1, y2), (b'1', b'9') | (b'2', b'0'))
        && let Some(d) = ymd(&trimmed[..4], &trimmed[5..7], &trimmed[8..])
    {
        return Some((text.len() - text.trim_start().len(), d));
    }
    let mut found: Vec<(usize, NaiveDate)> = Vec::new();
    for c in YMD.captures_iter(text).chain(CJK.captures_iter(text)) {
        if let (Some(at), Some(d)) = (c.get(1), ymd(&c[1], &c[2], &c[3])) {
            found.push((at.start(), d));
            break;
        }
    }
    if let Some(c) = DMY.captures(text) {
        let d = month_number(&c[2]).and_then(|m| NaiveDate::from_ymd_opt(c[3].parse().ok()?, m, c[1].parse().ok()?));
        found.extend(d.map(|d| (c.get(0).map_or(0, |m| m.start()), d)));
    }
    if let Some(c) = MDY.captures(text) {
        let d = month_number(&c[1]).and_then(|m| NaiveDate::from_ymd_opt(c[3].parse().ok()?, m, c[2].parse().ok()?));
        found.extend(d.map(|d| (c.get(0).map_or(0, |m| m.start()), d)));
    }
    if let Some(c) = WEEK.captures(text) {
        let year: i32 = c[1].parse().ok()?;
        let week: u32 = c[2].parse().ok()?;
        if let Some(d) = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon) {
            found.push((c.get(1).map_or(0, |m| m.start()), d));
        }
    }
    found.into_iter().min_by_key(|(at, _)| *at)
}

/// A date in a text, if it has one.
pub fn date_in(text: &str) -> Option<NaiveDate> {
    find_date(text).map(|(_, d)| d)
}

/// A digest date found at a place of the document.
pub fn dated(date: NaiveDate, source: DateSource) -> DigestDate {
    DigestDate { date, source, precision: DatePrecision::Day }
}

/// The date of a path: in its file name, else in its folders, nearest first (`2025-10-12/`,
/// `27-May-2025/`, `digest_2026-05-01.md`, `2026-W17.md`).
pub fn date_from_path(path: &str) -> Option<DigestDate> {
    let mut parts = path.rsplit(['/', '\\']).filter(|p| !p.is_empty() && *p != "." && *p != "..");
    let name = parts.next()?;
    if let Some(d) = date_in(name) {
        return Some(dated(d, DateSource::FileName));
    }
    parts.find_map(date_in).map(|d| dated(d, DateSource::FolderName))
}

/// Labels of a line that dates the whole document: `Updated on 2026.06.29`, `Last update: …`.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\W*(?:updated(?:\s+on)?|last[\s-]+updated?|date|published(?:\s+on)?|generated(?:\s+on)?|digest\s+date|日期|更新(?:于|時間|时间)?|날짜)\b?\s*[:：]?\s*",
    )
});

/// The date of a line that labels one (`## Updated on 2026.06.29`, `Date: 2025-10-06`).
pub fn labelled_date(line: &str) -> Option<NaiveDate> {
    if !has_year(line) {
        return None;
    }
    let m = DATE_LINE.find(line.trim())?;
    date_in(&line.trim()[m.end()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn every_written_form() {
        assert_eq!(date_in("arXiv Daily Digest — 2026-04-01"), d("2026-04-01"));
        assert_eq!(date_in("## Updated on 2026.06.29"), d("2026-06-29"));
        assert_eq!(date_in("27-May-2025"), d("2025-05-27"));
        assert_eq!(date_in("Digest of May 27, 2025"), d("2025-05-27"));
        assert_eq!(date_in("9 Jan 2025"), d("2025-01-09"));
        assert_eq!(date_in("2026年4月1日 日报"), d("2026-04-01"));
        assert_eq!(date_in("weekly 2026-W17"), d("2026-04-20"));
        assert_eq!(date_in("2510.08880v1 and 2025-13-40"), None);
        // One ISO date alone (the short way) gives what the patterns give.
        assert_eq!(find_date("  2025-10-06 "), Some((2, NaiveDate::from_ymd_opt(2025, 10, 6).expect("date"))));
        assert_eq!(find_date("2025-02-30"), None);
        assert_eq!(find_date("1899-10-06"), None);
    }

    #[test]
    fn paths_name_first_then_folders() {
        let p = date_from_path("docs/dates/2025-10-12/papers/251008880v1-online.md");
        assert_eq!(p.map(|x| (x.date, x.source)), d("2025-10-12").map(|x| (x, DateSource::FolderName)));
        let p = date_from_path("Archive/2026-04/arxiv_digest_2026-04-01.md");
        assert_eq!(p.map(|x| (x.date, x.source)), d("2026-04-01").map(|x| (x, DateSource::FileName)));
        assert_eq!(date_from_path("27-May-2025/IR/README.md").map(|x| x.date), d("2025-05-27"));
        assert!(date_from_path("seeds/003_3428cd2b592dbe92.txt").is_none());
        assert!(date_from_path("12025-10-06.md").is_none());
        let rev = date_from_path("arxiv_cs_CL_2025-10-06_report.rev-0d41a6ea.md");
        assert_eq!(rev.map(|x| x.date), d("2025-10-06"));
    }

    #[test]
    fn labelled_lines() {
        assert_eq!(labelled_date("Updated on 2026.06.29"), d("2026-06-29"));
        assert_eq!(labelled_date("**Last update:** 2025-01-02"), d("2025-01-02"));
        assert_eq!(labelled_date("A paper from 2025-01-02"), None);
    }
}
