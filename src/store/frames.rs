//! Records to polars frames: the `digests`, `entries`, `themes` and `diagnostics` tables.

use polars::prelude::*;

use super::columns::{date, flag, float, frame, list, text, uint};
use super::schema::*;
use crate::model::{Diagnostic, paper_id};

pub use super::DigestRecord;

pub fn digests(records: &[DigestRecord]) -> PolarsResult<DataFrame> {
    digests_of(&records.iter().collect::<Vec<_>>())
}

/// `digests` of these records, in the table's order (`schema::sort_keys`: by date, undated
/// first, then file; ties keep their order): what sorting `digests(records)` gives, without
/// sorting every column.
pub fn digests_sorted(records: &[DigestRecord]) -> PolarsResult<DataFrame> {
    let mut order: Vec<&DigestRecord> = records.iter().collect();
    order.sort_by(|a, b| record_key(a).cmp(&record_key(b)));
    digests_of(&order)
}

/// `entries` of these records in the table's order (by date, undated first, file and position;
/// ties keep their order): what sorting `entries(records)` gives, without sorting every column.
pub fn entries_sorted(records: &[DigestRecord]) -> PolarsResult<DataFrame> {
    let mut rows = entry_rows(records);
    rows.sort_by(|a, b| (record_key(a.0), a.1.position).cmp(&(record_key(b.0), b.1.position)));
    entries_of(&rows)
}

fn record_key(r: &DigestRecord) -> (Option<chrono::NaiveDate>, &str) {
    (r.digest.date.map(|x| x.date), r.source_file.as_str())
}

fn digests_of(records: &[&DigestRecord]) -> PolarsResult<DataFrame> {
    fn d<'a>(r: &&'a DigestRecord) -> &'a crate::model::Digest {
        &r.digest
    }
    frame(vec![
        text(DIGEST_ID, records.iter().map(|r| Some(r.digest_id.as_str()))),
        text(SOURCE_FILE, records.iter().map(|r| Some(r.source_file.as_str()))),
        list(FILES, records.iter().map(|r| r.files.as_slice())),
        text(INPUT, records.iter().map(|r| Some(r.input.as_str()))),
        text(FORMAT, records.iter().map(|r| Some(r.format.as_str()))),
        date(DIGEST_DATE, records.iter().map(|r| d(r).date.map(|x| x.date)))?,
        text(DATE_SOURCE, records.iter().map(|r| d(r).date.map(|x| x.source.as_str()))),
        text(DATE_PRECISION, records.iter().map(|r| d(r).date.map(|x| x.precision.as_str()))),
        text(TITLE, records.iter().map(|r| d(r).title.as_deref())),
        text(OVERVIEW, records.iter().map(|r| d(r).overview.as_deref())),
        text(TLDR, records.iter().map(|r| d(r).tldr.as_deref())),
        uint(TOTAL_PAPERS, records.iter().map(|r| d(r).total_papers)),
        uint(SELECTED_PAPERS, records.iter().map(|r| d(r).selected_papers)),
        uint(ENTRY_COUNT, records.iter().map(|r| u32::try_from(d(r).entries.len()).ok())),
        uint(THEME_COUNT, records.iter().map(|r| u32::try_from(d(r).themes.len()).ok())),
        Series::new(BYTES.into(), records.iter().map(|r| r.bytes).collect::<Vec<u64>>()).into(),
    ])
}

pub fn entries(records: &[DigestRecord]) -> PolarsResult<DataFrame> {
    entries_of(&entry_rows(records))
}

type EntryRow<'a> = (&'a DigestRecord, &'a crate::model::Entry);

fn entry_rows(records: &[DigestRecord]) -> Vec<EntryRow<'_>> {
    records.iter().flat_map(|r| r.digest.entries.iter().map(move |e| (r, e))).collect()
}

fn entries_of(rows: &[EntryRow]) -> PolarsResult<DataFrame> {
    let ids: Vec<String> = rows.iter().map(|(_, e)| paper_id(e.arxiv_id.as_deref(), e.title.as_deref())).collect();
    frame(vec![
        text(DIGEST_ID, rows.iter().map(|(r, _)| Some(r.digest_id.as_str()))),
        text(SOURCE_FILE, rows.iter().map(|(r, _)| Some(r.source_file.as_str()))),
        text(FORMAT, rows.iter().map(|(r, _)| Some(r.format.as_str()))),
        date(DIGEST_DATE, rows.iter().map(|(r, _)| r.digest.date.map(|x| x.date)))?,
        uint(POSITION, rows.iter().map(|(_, e)| Some(e.position))),
        uint(SOURCE_LINE, rows.iter().map(|(_, e)| Some(e.line))),
        text(PAPER_ID, ids.iter().map(|s| Some(s.as_str()))),
        text(ARXIV_ID, rows.iter().map(|(_, e)| e.arxiv_id.as_deref())),
        uint(ARXIV_VERSION, rows.iter().map(|(_, e)| e.arxiv_version)),
        text(TITLE, rows.iter().map(|(_, e)| e.title.as_deref())),
        text(TITLE_SOURCE, rows.iter().map(|(_, e)| e.title_source.map(|t| t.as_str()))),
        list(AUTHORS, rows.iter().map(|(_, e)| e.authors.as_slice())),
        uint(AUTHOR_COUNT, rows.iter().map(|(_, e)| e.author_count)),
        flag(AUTHORS_TRUNCATED, rows.iter().map(|(_, e)| Some(e.authors_truncated))),
        list(KEYWORDS_COL, rows.iter().map(|(_, e)| e.keywords.as_slice())),
        text(COMMENTS, rows.iter().map(|(_, e)| e.comments.as_deref())),
        text(VENUE, rows.iter().map(|(_, e)| e.venue.as_deref())),
        text(ABSTRACT, rows.iter().map(|(_, e)| e.abstract_text.as_deref())),
        text(SUMMARY, rows.iter().map(|(_, e)| e.summary.as_deref())),
        text(CRITIQUE, rows.iter().map(|(_, e)| e.critique.as_deref())),
        text(URL, rows.iter().map(|(_, e)| e.url.as_deref())),
        date(LISTED_DATE, rows.iter().map(|(_, e)| e.listed_date))?,
        uint(UPVOTES, rows.iter().map(|(_, e)| e.upvotes)),
        text(ORGANIZATION, rows.iter().map(|(_, e)| e.organization.as_deref())),
        list(LISTED_UNDER, rows.iter().map(|(_, e)| e.listed_under.as_slice())),
        text(INPUT, rows.iter().map(|(r, _)| Some(r.input.as_str()))),
    ])
}

pub fn themes(records: &[DigestRecord]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&DigestRecord, &crate::model::Theme)> =
        records.iter().flat_map(|r| r.digest.themes.iter().map(move |t| (r, t))).collect();
    let paper_ids: Vec<Vec<String>> =
        rows.iter().map(|(_, t)| t.arxiv_ids.iter().map(|id| paper_id(Some(id), None)).collect()).collect();
    frame(vec![
        text(DIGEST_ID, rows.iter().map(|(r, _)| Some(r.digest_id.as_str()))),
        text(SOURCE_FILE, rows.iter().map(|(r, _)| Some(r.source_file.as_str()))),
        date(DIGEST_DATE, rows.iter().map(|(r, _)| r.digest.date.map(|x| x.date)))?,
        uint(POSITION, rows.iter().map(|(_, t)| Some(t.position))),
        uint(SOURCE_LINE, rows.iter().map(|(_, t)| Some(t.line))),
        text(LABEL, rows.iter().map(|(_, t)| Some(t.label.as_str()))),
        text(DESCRIPTION, rows.iter().map(|(_, t)| t.description.as_deref())),
        // The canonical theme and its score are set when the store derives its tables.
        text(THEME, rows.iter().map(|(_, t)| Some(t.label.as_str()))),
        float(THEME_SCORE, rows.iter().map(|_| None)),
        text(THEME_REASON, rows.iter().map(|_| None)),
        list(ARXIV_IDS, rows.iter().map(|(_, t)| t.arxiv_ids.as_slice())),
        list(PAPER_IDS, paper_ids.iter().map(Vec::as_slice)),
    ])
}

pub fn diagnostics(diags: &[Diagnostic]) -> PolarsResult<DataFrame> {
    frame(vec![
        text(SOURCE_FILE, diags.iter().map(|d| Some(d.source_file.as_str()))),
        uint(LINE, diags.iter().map(|d| Some(d.line))),
        text(SEVERITY, diags.iter().map(|d| Some(d.severity.as_str()))),
        text(CODE, diags.iter().map(|d| Some(d.code))),
        text(MESSAGE, diags.iter().map(|d| Some(d.message.as_str()))),
    ])
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use polars::prelude::SortMultipleOptions;

    use super::*;
    use crate::model::{DatePrecision, DateSource, Digest, DigestDate, Entry};

    fn record(id: &str, day: Option<u32>, file: &str, positions: &[u32]) -> DigestRecord {
        let date = day.and_then(|d| NaiveDate::from_ymd_opt(2025, 9, d)).map(|date| DigestDate {
            date,
            source: DateSource::FileName,
            precision: DatePrecision::Day,
        });
        let entries = positions
            .iter()
            .map(|&position| Entry { position, title: Some(format!("{id} {position}")), ..Entry::default() })
            .collect();
        DigestRecord {
            digest_id: id.to_owned(),
            source_file: file.to_owned(),
            files: vec![file.to_owned()],
            input: String::new(),
            format: "markdown".to_owned(),
            bytes: 1,
            digest: Digest { date, entries, ..Digest::default() },
        }
    }

    fn sorted_by_keys(table: &str, df: DataFrame) -> DataFrame {
        let keys = sort_keys(table);
        df.sort(keys.iter().copied(), SortMultipleOptions::default().with_maintain_order(true)).unwrap_or_default()
    }

    #[test]
    fn frames_built_in_table_order_equal_the_sorted_frames() {
        // Undated first; two digests of one file and day whose entries interleave by position
        // (ties keep their order); entries out of order within a digest.
        let records = [
            record("a", Some(2), "b.md", &[1, 2, 3]),
            record("b", None, "z.md", &[1]),
            record("c", Some(2), "b.md", &[2, 1]),
            record("d", Some(1), "c.md", &[1]),
            record("e", Some(2), "a.md", &[3, 1]),
        ];
        let want = sorted_by_keys(ENTRIES, entries(&records).unwrap_or_default());
        let got = entries_sorted(&records).unwrap_or_default();
        assert_eq!(got.height(), 9);
        assert!(got.equals_missing(&want), "{got}\n{want}");
        let want = sorted_by_keys(DIGESTS, digests(&records).unwrap_or_default());
        let got = digests_sorted(&records).unwrap_or_default();
        assert!(got.equals_missing(&want), "{got}\n{want}");
    }
}
