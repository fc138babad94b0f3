//! Clean-up shared by every format once a digest is parsed: LaTeX and white space in titles and
//! abstracts, title case, venues, author counts, the date fallback from arXiv ids, and checks
//! that a digest is complete.

use chrono::NaiveDate;

use super::{Source, fields};
use crate::model::{DatePrecision, DateSource, Diagnostics, Digest, DigestDate, Entry};

pub(super) fn finish(digest: &mut Digest, source: &Source<'_>, diags: &mut Diagnostics) {
    // Listings (tables, link lists, records) often carry no abstract: only the site's shapes,
    // which always have one, are checked for it.
    let expects_abstract = matches!(digest.format.as_str(), "markdown" | "page" | "flat" | "");
    for (i, entry) in digest.entries.iter_mut().enumerate() {
        entry.position = u32::try_from(i + 1).unwrap_or(u32::MAX);
        finish_entry(entry, expects_abstract, diags);
    }
    if digest.date.is_none() {
        digest.date = super::dates::date_from_path(source.path).or_else(|| date_from_arxiv_ids(digest, diags));
    }
    if digest.date.is_none() {
        diags.warn(
            0,
            "no-date",
            "no digest date: no front matter, title line, date label, dated path or arXiv id gives one",
        );
    }
    if let Some(selected) = digest.selected_papers {
        let found = digest.entries.len();
        if usize::try_from(selected).is_ok_and(|s| s != found) {
            diags.warn(
                0,
                "entry-count-mismatch",
                format!("the TL;DR says {selected} selected papers but {found} entries were found"),
            );
        }
    }
    if digest.entries.is_empty() {
        diags.warn(0, "no-entries", "no paper entries found");
    }
}

fn finish_entry(entry: &mut Entry, expects_abstract: bool, diags: &mut Diagnostics) {
    // Most abstracts and titles are clean already: taken as they are, not copied.
    entry.abstract_text = entry.abstract_text.take().map(|a| fields::clean_latex_owned(fields::trim_owned(a)));
    if let Some(title) = entry.title.take() {
        let mut title = fields::squash_owned(fields::clean_latex_owned(title));
        let context = [entry.abstract_text.as_deref().unwrap_or(""), entry.summary.as_deref().unwrap_or("")];
        if let Some(fixed) = fields::repair_title_case(&title, &context) {
            diags.info(
                entry.line,
                "title-case-repaired",
                format!("title {title:?} written as {fixed:?}, as the paper's own text spells it"),
            );
            title = fixed;
        }
        entry.title = Some(title);
    }
    if entry.venue.is_none() {
        entry.venue = entry.comments.as_deref().and_then(fields::venue);
    }
    if entry.author_count.is_none() && !entry.authors.is_empty() {
        entry.author_count = u32::try_from(entry.authors.len()).ok();
    }
    if entry.title.is_none() {
        diags.warn(
            entry.line,
            "missing-title",
            "no title found for this entry (no heading, quoted title or TL;DR link)",
        );
    }
    if entry.abstract_text.is_none() && expects_abstract {
        diags.warn(entry.line, "missing-abstract", "the entry has no abstract: the digest may be cut off here");
    }
}

/// The month of the newest arXiv id the digest lists (new-style ids start with YYMM).
fn date_from_arxiv_ids(digest: &Digest, diags: &mut Diagnostics) -> Option<DigestDate> {
    let newest = digest
        .entries
        .iter()
        .filter_map(|e| e.arxiv_id.as_deref())
        .filter_map(|id| {
            let yymm: u32 = id.get(..4)?.parse().ok()?;
            (id.as_bytes().get(4) == Some(&b'.')).then_some(yymm)
        })
        .max()?;
    let (year, month) = (2000 + i32::try_from(newest / 100).ok()?, newest % 100);
    let date = NaiveDate::from_ymd_opt(year, month, 1)?;
    diags.info(
        0,
        "date-inferred",
        format!("no digest date in the file; month {year}-{month:02} inferred from the newest arXiv id ({newest}.*)"),
    );
    Some(DigestDate { date, source: DateSource::ArxivId, precision: DatePrecision::Month })
}
