//! `hf-daily`: a scraped Hugging Face Daily Papers listing. Header lines `Daily Papers`,
//! `byAK and the research community` and the page date (`Jun 10`), then per paper a title line,
//! an abstract paragraph and, optionally, metadata lines: `  • N authors` or an organisation
//! (`nvidia NVIDIA`), a `·` line, and a date with an optional upvote count (`May 7`,
//! `Sep 26, 2025 4`).
//!
//! Dates without a year are in the page's year; dates with a year are earlier. The page year is
//! `--year`, else one more than the latest explicit year on the page, else the file's
//! modification year.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::{DigestFormat, Source, numbered};
use crate::model::{DatePrecision, DateSource, Diagnostics, Digest, DigestDate, Entry, Format, TitleSource};

pub struct HfDaily;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{1,2})(?:, (\d{4}))?(?:\s+(\d+))?$")
        .unwrap_or_else(|e| panic!("{e}"))
});
static AUTHORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[•·*-]?\s*(\d+) authors?$").unwrap_or_else(|e| panic!("{e}")));

impl DigestFormat for HfDaily {
    fn format(&self) -> Format {
        Format::HfDaily
    }

    fn detect(&self, text: &str) -> bool {
        let head: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(12).collect();
        head.contains(&"Daily Papers")
            && (head.iter().any(|l| l.starts_with("byAK")) || head.iter().any(|l| DATE.is_match(l)))
    }

    fn parse(&self, source: &Source<'_>, diags: &mut Diagnostics) -> Digest {
        let lines = numbered(source.text);
        let header = lines.iter().position(|(_, l)| l.trim() == "Daily Papers").unwrap_or(0);
        let page_date_at = lines[header..].iter().position(|(_, l)| DATE.is_match(l.trim())).map(|p| header + p);
        let body_start = page_date_at.map_or(header + 1, |p| p + 1);
        let (year, year_source) = page_year(&lines, source);
        let mut digest = Digest { title: Some("Daily Papers".to_owned()), ..Digest::default() };
        if let Some(p) = page_date_at {
            let (no, line) = lines[p];
            if let Some((date, _)) = listed_date(line.trim(), year) {
                digest.date = Some(DigestDate { date, source: year_source, precision: DatePrecision::Day });
            } else {
                diags.warn(no, "bad-date", format!("page date {:?} is not a valid date in {year}", line.trim()));
            }
        }
        let blocks = paragraphs(&lines[body_start..]);
        let mut i = 0;
        while i < blocks.len() {
            let (line, ref title_lines) = blocks[i];
            if is_meta(title_lines) {
                diags.warn(line, "stray-metadata", "metadata lines without a paper title before them; skipped");
                i += 1;
                continue;
            }
            let mut entry = Entry {
                line,
                title: Some(title_lines.join(" ")),
                title_source: Some(TitleSource::Heading),
                ..Entry::default()
            };
            i += 1;
            if let Some((_, abstract_lines)) = blocks.get(i).filter(|(_, b)| !is_meta(b)) {
                entry.abstract_text = Some(abstract_lines.join(" "));
                i += 1;
            }
            if let Some((meta_line, meta)) = blocks.get(i).filter(|(_, b)| is_meta(b)) {
                read_meta(&mut entry, *meta_line, meta, year, diags);
                i += 1;
            }
            digest.entries.push(entry);
        }
        digest
    }
}

/// Groups non-empty lines into blocks separated by blank lines, with each block's first line.
fn paragraphs<'a>(lines: &[(u32, &'a str)]) -> Vec<(u32, Vec<&'a str>)> {
    let mut out: Vec<(u32, Vec<&str>)> = Vec::new();
    let mut open = false;
    for &(no, line) in lines {
        if line.trim().is_empty() {
            open = false;
        } else if open {
            if let Some(last) = out.last_mut() {
                last.1.push(line);
            }
        } else {
            out.push((no, vec![line]));
            open = true;
        }
    }
    out
}

fn is_meta(block: &[&str]) -> bool {
    block.iter().any(|l| l.trim() == "·" || AUTHORS.is_match(l.trim()))
}

fn read_meta(entry: &mut Entry, first_line: u32, meta: &[&str], year: i32, diags: &mut Diagnostics) {
    for (k, raw) in meta.iter().enumerate() {
        let line = raw.trim();
        let no = first_line + u32::try_from(k).unwrap_or(0);
        if line == "·" {
            continue;
        }
        if let Some(c) = AUTHORS.captures(line) {
            entry.author_count = c[1].parse().ok();
        } else if DATE.is_match(line) {
            match listed_date(line, year) {
                Some((date, upvotes)) => (entry.listed_date, entry.upvotes) = (Some(date), upvotes),
                None => diags.warn(no, "bad-date", format!("listing date {line:?} is not a valid date")),
            }
        } else {
            // `handle Display Name`: keep the display name.
            let name = line.split_once(' ').map_or(line, |(_, display)| display.trim());
            entry.organization = Some(name.to_owned());
        }
    }
}

/// A listing date and its upvote count: `May 7` (in `year`), `Sep 26, 2025 4`.
fn listed_date(line: &str, year: i32) -> Option<(NaiveDate, Option<u32>)> {
    let c = DATE.captures(line)?;
    let year = c.get(3).and_then(|y| y.as_str().parse().ok()).unwrap_or(year);
    let date = NaiveDate::parse_from_str(&format!("{} {} {year}", &c[1], &c[2]), "%b %d %Y").ok()?;
    Some((date, c.get(4).and_then(|u| u.as_str().parse().ok())))
}

/// The page's year: `--year`, else the year of a date in the file name
/// (`daily-papers-2025-09-05.txt`), else one more than the latest explicit year, else the
/// mtime year.
fn page_year(lines: &[(u32, &str)], source: &Source<'_>) -> (i32, DateSource) {
    if let Some(year) = source.options.year {
        return (year, DateSource::Flag);
    }
    if let Some(named) = super::dates::date_in(source.file_name()) {
        return (named.year(), DateSource::FileName);
    }
    let latest = lines
        .iter()
        .filter_map(|(_, l)| DATE.captures(l.trim()))
        .filter_map(|c| c.get(3).and_then(|y| y.as_str().parse::<i32>().ok()))
        .max();
    match (latest, source.mtime_year) {
        (Some(y), _) => (y + 1, DateSource::PageYears),
        (None, Some(y)) => (y, DateSource::FileMtime),
        (None, None) => (chrono::Utc::now().date_naive().year(), DateSource::FileMtime),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_dates_and_upvotes() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(listed_date("May 7", 2026), Some((d("2026-05-07").unwrap_or_default(), None)));
        assert_eq!(listed_date("Sep 26, 2025 4", 2026), Some((d("2025-09-26").unwrap_or_default(), Some(4))));
        assert_eq!(listed_date("Feb 30", 2026), None);
    }
}
