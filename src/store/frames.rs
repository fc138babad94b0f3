//! Records to polars frames (the `digests`, `entries`, `themes` and `diagnostics` tables), and
//! the tables derived from `entries` (`papers`, `keywords`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::schema::*;
use crate::model::{Diagnostic, paper_id};
use crate::normalize;

pub use super::DigestRecord;

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a date");

fn days(date: Option<NaiveDate>) -> Option<i32> {
    date.and_then(|d| i32::try_from((d - EPOCH).num_days()).ok())
}

fn from_days(days: i32) -> Option<NaiveDate> {
    EPOCH.checked_add_signed(chrono::Duration::days(i64::from(days)))
}

fn text<'a, I: IntoIterator<Item = Option<&'a str>>>(name: &str, values: I) -> Column {
    Series::new(name.into(), values.into_iter().collect::<Vec<_>>()).into()
}

fn uint(name: &str, values: impl IntoIterator<Item = Option<u32>>) -> Column {
    Series::new(name.into(), values.into_iter().collect::<Vec<_>>()).into()
}

fn date(name: &str, values: impl IntoIterator<Item = Option<NaiveDate>>) -> PolarsResult<Column> {
    let series = Series::new(name.into(), values.into_iter().map(days).collect::<Vec<_>>());
    Ok(series.cast(&DataType::Date)?.into())
}

fn list<'a>(name: &str, values: impl IntoIterator<Item = &'a [String]>) -> Column {
    let lists: ListChunked = values
        .into_iter()
        .map(|v| Some(Series::new(PlSmallStr::EMPTY, v.iter().map(String::as_str).collect::<Vec<_>>())))
        .collect();
    let mut series = lists.into_series();
    if series.dtype() != &DataType::List(Box::new(DataType::String)) {
        series = series.cast(&DataType::List(Box::new(DataType::String))).unwrap_or(series);
    }
    series.with_name(name.into()).into()
}

fn frame(columns: Vec<Column>) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(columns)
}

pub fn digests(records: &[DigestRecord]) -> PolarsResult<DataFrame> {
    fn d(r: &DigestRecord) -> &crate::model::Digest {
        &r.digest
    }
    frame(vec![
        text(DIGEST_ID, records.iter().map(|r| Some(r.digest_id.as_str()))),
        text(SOURCE_FILE, records.iter().map(|r| Some(r.source_file.as_str()))),
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
    let rows: Vec<(&DigestRecord, &crate::model::Entry)> =
        records.iter().flat_map(|r| r.digest.entries.iter().map(move |e| (r, e))).collect();
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
        // The canonical theme is the label until a taxonomy maps it.
        text(THEME, rows.iter().map(|(_, t)| Some(t.label.as_str()))),
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

/// One `entries` row, as far as the derived tables need it.
struct EntryRow {
    paper_id: String,
    digest_id: String,
    digest_date: Option<NaiveDate>,
    arxiv_id: Option<String>,
    title: Option<String>,
    from_heading: bool,
    authors: Vec<String>,
    keywords: Vec<String>,
    venue: Option<String>,
}

fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.map(str::to_owned)).collect())
}

fn lists(df: &DataFrame, name: &str) -> PolarsResult<Vec<Vec<String>>> {
    df.column(name)?
        .list()?
        .series_iter()
        .map(|s| match s {
            Some(s) => Ok(s.str()?.iter().flatten().map(str::to_owned).collect()),
            None => Ok(Vec::new()),
        })
        .collect()
}

fn dates(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<NaiveDate>>> {
    let physical = df.column(name)?.cast(&DataType::Int32)?;
    Ok(physical.i32()?.iter().map(|d| d.and_then(from_days)).collect())
}

fn entry_rows(entries: &DataFrame) -> PolarsResult<Vec<EntryRow>> {
    let paper_ids = strings(entries, PAPER_ID)?;
    let digest_ids = strings(entries, DIGEST_ID)?;
    let digest_dates = dates(entries, DIGEST_DATE)?;
    let arxiv = strings(entries, ARXIV_ID)?;
    let titles = strings(entries, TITLE)?;
    let sources = strings(entries, TITLE_SOURCE)?;
    let authors = lists(entries, AUTHORS)?;
    let keywords = lists(entries, KEYWORDS_COL)?;
    let venues = strings(entries, VENUE)?;
    let mut rows = Vec::with_capacity(entries.height());
    for ((((((((p, d), dd), a), t), s), au), k), v) in paper_ids
        .into_iter()
        .zip(digest_ids)
        .zip(digest_dates)
        .zip(arxiv)
        .zip(titles)
        .zip(sources)
        .zip(authors)
        .zip(keywords)
        .zip(venues)
    {
        rows.push(EntryRow {
            paper_id: p.unwrap_or_default(),
            digest_id: d.unwrap_or_default(),
            digest_date: dd,
            arxiv_id: a,
            title: t,
            from_heading: s.as_deref() == Some("heading"),
            authors: au,
            keywords: k,
            venue: v,
        });
    }
    Ok(rows)
}

/// `keywords`: one row per keyword of an entry, with its basic normal form.
pub fn keywords(entries: &DataFrame) -> PolarsResult<DataFrame> {
    let rows = entry_rows(entries)?;
    let flat: Vec<(&EntryRow, &String)> = rows.iter().flat_map(|r| r.keywords.iter().map(move |k| (r, k))).collect();
    let norms: Vec<String> = flat.iter().map(|(_, k)| normalize::base_key(k)).collect();
    frame(vec![
        text(PAPER_ID, flat.iter().map(|(r, _)| Some(r.paper_id.as_str()))),
        text(DIGEST_ID, flat.iter().map(|(r, _)| Some(r.digest_id.as_str()))),
        date(DIGEST_DATE, flat.iter().map(|(r, _)| r.digest_date))?,
        text(KEYWORD, flat.iter().map(|(_, k)| Some(k.as_str()))),
        text(KEYWORD_NORM, norms.iter().map(|n| Some(n.as_str()))),
        text(ORIGIN, flat.iter().map(|_| Some("digest"))),
    ])
}

/// `papers`: one row per distinct paper. Title and venue come from the newest appearance that
/// has them (a heading title before a recovered one), authors from the longest list, keywords
/// are the union over appearances in date order.
pub fn papers(entries: &DataFrame) -> PolarsResult<DataFrame> {
    let mut rows = entry_rows(entries)?;
    rows.sort_by(|a, b| (a.digest_date, &a.digest_id).cmp(&(b.digest_date, &b.digest_id)));
    let mut groups: BTreeMap<&str, Vec<&EntryRow>> = BTreeMap::new();
    for row in &rows {
        groups.entry(row.paper_id.as_str()).or_default().push(row);
    }
    let papers: Vec<Paper> = groups.into_iter().map(|(id, rows)| Paper::from_rows(id, &rows)).collect();
    frame(vec![
        text(PAPER_ID, papers.iter().map(|p| Some(p.paper_id.as_str()))),
        text(ARXIV_ID, papers.iter().map(|p| p.arxiv_id.as_deref())),
        text(TITLE, papers.iter().map(|p| p.title.as_deref())),
        list(AUTHORS, papers.iter().map(|p| p.authors.as_slice())),
        list(KEYWORDS_COL, papers.iter().map(|p| p.keywords.as_slice())),
        date(FIRST_SEEN, papers.iter().map(|p| p.first_seen))?,
        date(LAST_SEEN, papers.iter().map(|p| p.last_seen))?,
        uint(APPEARANCES, papers.iter().map(|p| Some(p.appearances))),
        text(VENUE, papers.iter().map(|p| p.venue.as_deref())),
    ])
}

struct Paper {
    paper_id: String,
    arxiv_id: Option<String>,
    title: Option<String>,
    authors: Vec<String>,
    keywords: Vec<String>,
    first_seen: Option<NaiveDate>,
    last_seen: Option<NaiveDate>,
    appearances: u32,
    venue: Option<String>,
}

impl Paper {
    fn from_rows(id: &str, rows: &[&EntryRow]) -> Paper {
        let newest_first = || rows.iter().rev();
        let title = newest_first()
            .find(|r| r.from_heading && r.title.is_some())
            .or_else(|| newest_first().find(|r| r.title.is_some()))
            .and_then(|r| r.title.clone());
        let authors = rows.iter().map(|r| &r.authors).max_by_key(|a| a.len()).cloned().unwrap_or_default();
        let mut keywords: Vec<String> = Vec::new();
        for k in rows.iter().flat_map(|r| &r.keywords) {
            if !keywords.iter().any(|have| have.eq_ignore_ascii_case(k)) {
                keywords.push(k.clone());
            }
        }
        let mut digests: Vec<&str> = rows.iter().map(|r| r.digest_id.as_str()).collect();
        digests.sort_unstable();
        digests.dedup();
        Paper {
            paper_id: id.to_owned(),
            arxiv_id: rows.iter().find_map(|r| r.arxiv_id.clone()),
            title,
            authors,
            keywords,
            first_seen: rows.iter().filter_map(|r| r.digest_date).min(),
            last_seen: rows.iter().filter_map(|r| r.digest_date).max(),
            appearances: u32::try_from(digests.len()).unwrap_or(u32::MAX),
            venue: newest_first().find_map(|r| r.venue.clone()),
        }
    }
}
