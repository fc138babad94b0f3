//! What was understood of each source: per `input` and `format`, the files, digests and
//! entries, and the share of entries that have each field, graded as bibliometrix grades missing
//! data (Aria & Cuccurullo 2017, `missingData`): no field missing is Excellent, up to 10%
//! missing Good, up to 20% Acceptable, up to 50% Poor, under 100% Critical, all Completely
//! missing.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::store::Tables;
use crate::store::columns::{FlatTexts, TextLists, dates, float, frame, lists, strings, strs, text, uint};
use crate::store::schema::*;

/// The fields whose presence is measured, as the columns of the quality table.
pub const FIELDS: [&str; 6] = ["title", "authors", "arxiv_id", "date", "keywords", "abstract"];

/// The tables and columns the quality table reads.
pub const INPUT_COLUMNS: [(&str, Option<&[&str]>); 2] = [
    (DIGESTS, Some(&[DIGEST_ID, INPUT, FORMAT, FILES])),
    (
        ENTRIES,
        Some(&[
            INPUT,
            FORMAT,
            TITLE,
            AUTHORS,
            ARXIV_ID,
            DIGEST_DATE,
            LISTED_DATE,
            KEYWORDS_COL,
            LISTED_UNDER,
            ABSTRACT,
        ]),
    ),
];

/// bibliometrix's grade of a share of missing values.
pub fn grade(missing: f64) -> &'static str {
    match missing {
        m if m <= 0.0 => "Excellent",
        m if m <= 0.10 => "Good",
        m if m <= 0.20 => "Acceptable",
        m if m <= 0.50 => "Poor",
        m if m < 1.0 => "Critical",
        _ => "Completely missing",
    }
}

/// One source's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub input: String,
    pub format: String,
    pub files: BTreeSet<String>,
    pub digests: u32,
    pub entries: u32,
    /// Entries that have each of [`FIELDS`].
    pub present: [u32; 6],
}

fn polars_err(table: &'static str) -> impl Fn(PolarsError) -> Error {
    move |e| Error::polars(table, e)
}

/// Per input and format, from the stored `digests` and `entries`.
pub fn rows(tables: &Tables) -> Result<Vec<Row>> {
    let mut by: BTreeMap<(String, String), Row> = BTreeMap::new();
    let slot = |input: &Option<String>, format: &Option<String>| -> (String, String) {
        (input.clone().unwrap_or_default(), format.clone().unwrap_or_default())
    };
    if let Some(df) = tables.get(DIGESTS).filter(|d| d.height() > 0 && d.column(INPUT).is_ok()) {
        let e = polars_err(DIGESTS);
        let (inputs, formats, files) =
            (strings(df, INPUT).map_err(&e)?, strings(df, FORMAT).map_err(&e)?, lists(df, FILES).map_err(&e)?);
        for ((input, format), files) in inputs.iter().zip(&formats).zip(files) {
            let key = slot(input, format);
            let row = by.entry(key.clone()).or_insert_with(|| Row { input: key.0, format: key.1, ..Row::default() });
            row.digests += 1;
            row.files.extend(files);
        }
    }
    if let Some(df) = tables.get(ENTRIES).filter(|d| d.height() > 0 && d.column(INPUT).is_ok()) {
        // Borrowed, not copied: only whether each field is there is counted (copying every
        // entry's texts and lists took 1.7 GB for the real archive's store).
        let e = polars_err(ENTRIES);
        let (inputs, formats) = (strs(df, INPUT).map_err(&e)?, strs(df, FORMAT).map_err(&e)?);
        let (titles, ids, abstracts) =
            (strs(df, TITLE).map_err(&e)?, strs(df, ARXIV_ID).map_err(&e)?, strs(df, ABSTRACT).map_err(&e)?);
        // Per row, whether a list column holds a value (null values left out).
        let filled = |name: &str| -> PolarsResult<Vec<bool>> {
            let lists = TextLists::of(df, name)?;
            let texts = FlatTexts::of(&lists)?;
            Ok((0..df.height()).map(|i| !texts.row(i).is_empty()).collect())
        };
        let (authors, keywords, under) =
            (filled(AUTHORS).map_err(&e)?, filled(KEYWORDS_COL).map_err(&e)?, filled(LISTED_UNDER).map_err(&e)?);
        let (days, listed) = (dates(df, DIGEST_DATE).map_err(&e)?, dates(df, LISTED_DATE).map_err(&e)?);
        for i in 0..df.height() {
            let key = (inputs[i].unwrap_or_default().to_owned(), formats[i].unwrap_or_default().to_owned());
            let row = by.entry(key.clone()).or_insert_with(|| Row { input: key.0, format: key.1, ..Row::default() });
            row.entries += 1;
            let has = [
                titles[i].is_some_and(|t| !t.trim().is_empty()),
                authors[i],
                ids[i].is_some(),
                days[i].is_some() || listed[i].is_some(),
                keywords[i] || under[i],
                abstracts[i].is_some_and(|t| !t.trim().is_empty()),
            ];
            for (p, h) in row.present.iter_mut().zip(has) {
                *p += u32::from(h);
            }
        }
    }
    Ok(by.into_values().collect())
}

/// The share of a row's entries that have field `k` (0 for a source without entries).
pub fn share(row: &Row, k: usize) -> f64 {
    if row.entries == 0 { 0.0 } else { f64::from(row.present[k]) / f64::from(row.entries) }
}

/// The quality table: input, format, files, digests, entries, then each field's share and grade.
pub fn table(rows: &[Row]) -> PolarsResult<DataFrame> {
    let mut columns = vec![
        text("input", rows.iter().map(|r| Some(r.input.as_str()))),
        text("format", rows.iter().map(|r| Some(r.format.as_str()))),
        uint("files", rows.iter().map(|r| u32::try_from(r.files.len()).ok())),
        uint("digests", rows.iter().map(|r| Some(r.digests))),
        uint("entries", rows.iter().map(|r| Some(r.entries))),
    ];
    for (k, field) in FIELDS.iter().enumerate() {
        columns.push(float(field, rows.iter().map(|r| (r.entries > 0).then(|| share(r, k)))));
        let grades: Vec<Option<&str>> =
            rows.iter().map(|r| (r.entries > 0).then(|| grade(1.0 - share(r, k)))).collect();
        columns.push(text(&format!("{field}_grade"), grades));
    }
    frame(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_bibliometrix() {
        assert_eq!(grade(0.0), "Excellent");
        assert_eq!(grade(0.05), "Good");
        assert_eq!(grade(0.15), "Acceptable");
        assert_eq!(grade(0.5), "Poor");
        assert_eq!(grade(0.99), "Critical");
        assert_eq!(grade(1.0), "Completely missing");
    }
}
