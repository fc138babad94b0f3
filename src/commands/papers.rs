//! `digestlens papers [--sort appearances|upvotes|first-seen]`: papers with their appearances,
//! first and last seen, upvotes and themes in a range.

use std::collections::HashMap;

use polars::prelude::*;

use super::Outcome;
use super::analysis::{Need, Range, load};
use super::output::{Output, emit};
use crate::analysis::{Ids, Unit, people};
use crate::cli::{AnalysisArgs, PaperSort, PapersArgs, RangeArgs, VocabArgs};
use crate::error::Error;
use crate::store::columns::{date, frame, lists, strings, text, uint};
use crate::store::schema::{
    ARXIV_ID, AUTHORS, AUTHORS_TRUNCATED, DATE_PRECISION, DIGEST_DATE, DIGEST_ID, DIGESTS, ENTRIES, FIRST_SEEN,
    LAST_SEEN, LISTED_DATE, PAPER_ID, PAPERS, THEMES_COL, TITLE, UPVOTES,
};

/// What `papers` reads: the appearances and authors' listings (`analysis::people`), and each
/// paper's title, arXiv id and themes. Every table without its long texts took 2.3 GB for the
/// real archive's store.
const READS: [(&str, Option<&[&str]>); 3] = [
    (DIGESTS, Some(&[DIGEST_ID, DIGEST_DATE, DATE_PRECISION])),
    (ENTRIES, Some(&[DIGEST_ID, PAPER_ID, LISTED_DATE, AUTHORS, AUTHORS_TRUNCATED, UPVOTES, TITLE, ARXIV_ID])),
    (PAPERS, Some(&[PAPER_ID, THEMES_COL])),
];

/// One paper in the range.
#[derive(Debug, Clone)]
struct Row {
    paper: u32,
    appearances: u32,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    upvotes: Option<u32>,
}

pub fn run(args: &PapersArgs) -> anyhow::Result<Outcome> {
    let a = AnalysisArgs {
        store: args.store.clone(),
        period: None,
        range: RangeArgs { since: args.range.since.clone(), until: args.range.until.clone() },
        origin: None,
        top: args.top,
        vocab: VocabArgs { synonyms: None, taxonomy: None },
        csv: args.csv,
        json: args.json,
    };
    let range = Range::new(&a)?;
    let loaded = load(&a, Need::Columns(&READS))?;
    let people = people(&loaded.tables, Unit::Author)?;
    let input = &people.input;
    let mut rows: HashMap<u32, Row> = HashMap::new();
    for app in input.appearances.iter().filter(|x| range.overlaps(x.date, x.date)) {
        let row = rows.entry(app.paper).or_insert(Row {
            paper: app.paper,
            appearances: 0,
            first: app.date,
            last: app.date,
            upvotes: people.upvotes[app.paper as usize],
        });
        row.appearances += 1;
        row.first = row.first.min(app.date);
        row.last = row.last.max(app.date);
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    let id = |r: &Row| &input.papers[r.paper as usize];
    match args.sort {
        PaperSort::Appearances => rows.sort_by(|x, y| y.appearances.cmp(&x.appearances).then(id(x).cmp(id(y)))),
        PaperSort::Upvotes => rows.sort_by(|x, y| {
            // Papers without a score after every paper with one, not as zero.
            y.upvotes.is_some().cmp(&x.upvotes.is_some()).then(y.upvotes.cmp(&x.upvotes)).then(id(x).cmp(id(y)))
        }),
        PaperSort::FirstSeen => rows.sort_by(|x, y| y.first.cmp(&x.first).then(id(x).cmp(id(y)))),
    }
    if args.sort == PaperSort::Upvotes {
        let without = rows.iter().filter(|r| r.upvotes.is_none()).count();
        if without > 0 {
            eprintln!(
                "note: {without} of {} papers in the range have no upvotes: they are listed after the others",
                rows.len()
            );
        }
    }
    if args.top > 0 {
        rows.truncate(args.top);
    }
    let df = frame_of(&rows, &loaded.tables, &input.papers).map_err(|e| Error::polars("papers", e))?;
    emit(&df, Output::new(args.csv, args.json))?;
    Ok(Outcome::Clean)
}

fn frame_of(rows: &[Row], tables: &crate::store::Tables, ids: &Ids) -> PolarsResult<DataFrame> {
    let empty = DataFrame::default();
    let entries = tables.get(ENTRIES).filter(|d| d.height() > 0).unwrap_or(&empty);
    let mut described: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
    if entries.height() > 0 {
        let (pid, title, arxiv) = (strings(entries, PAPER_ID)?, strings(entries, TITLE)?, strings(entries, ARXIV_ID)?);
        for ((p, t), x) in pid.into_iter().zip(title).zip(arxiv) {
            let slot = described.entry(p.unwrap_or_default()).or_default();
            slot.0 = slot.0.take().or(t);
            slot.1 = slot.1.take().or(x);
        }
    }
    let papers = tables.get(PAPERS).filter(|d| d.height() > 0 && d.column(THEMES_COL).is_ok()).unwrap_or(&empty);
    let mut themes: HashMap<String, Vec<String>> = HashMap::new();
    if papers.height() > 0 {
        for (p, t) in strings(papers, PAPER_ID)?.into_iter().zip(lists(papers, THEMES_COL)?) {
            themes.insert(p.unwrap_or_default(), t);
        }
    }
    let id = |r: &Row| &ids[r.paper as usize];
    let none = (None, None);
    let about = |r: &Row| described.get(id(r)).unwrap_or(&none);
    let no_themes: Vec<String> = Vec::new();
    frame(vec![
        text(PAPER_ID, rows.iter().map(|r| Some(id(r)))),
        text(ARXIV_ID, rows.iter().map(|r| about(r).1.as_deref())),
        text(TITLE, rows.iter().map(|r| about(r).0.as_deref())),
        uint("appearances", rows.iter().map(|r| Some(r.appearances))),
        date(FIRST_SEEN, rows.iter().map(|r| Some(r.first)))?,
        date(LAST_SEEN, rows.iter().map(|r| Some(r.last)))?,
        uint(UPVOTES, rows.iter().map(|r| r.upvotes)),
        crate::store::columns::list(
            THEMES_COL,
            rows.iter().map(|r| themes.get(id(r)).unwrap_or(&no_themes).as_slice()),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_reads_every_column_the_people_reader_reads() {
        // `people` reads the appearances (the inputs' digests and entries) and the authors'
        // columns; a column left out of `READS` would be read as missing, not fail.
        let people = crate::analysis::INPUT_COLUMNS.iter().filter(|(t, _)| [DIGESTS, ENTRIES].contains(t));
        for (table, columns) in people.chain(&crate::analysis::PEOPLE_COLUMNS) {
            let read = READS.iter().find(|(t, _)| t == table).and_then(|(_, c)| *c).unwrap_or_default();
            // `papers` counts authors, not organisations.
            for c in columns.unwrap_or_default().iter().filter(|c| **c != crate::store::schema::ORGANIZATION) {
                assert!(read.contains(c), "{table}.{c}");
            }
        }
    }
}
