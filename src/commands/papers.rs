//! `digestlens papers [--sort appearances|upvotes|first-seen]`: papers with their appearances,
//! first and last seen, upvotes and themes in a range.

use std::cmp::Ordering;
use std::collections::HashMap;

use polars::prelude::*;

use super::Outcome;
use super::analysis::{Need, Range, load};
use super::output::{Output, emit};
use crate::analysis::{Ids, listings};
use crate::cli::{AnalysisArgs, PaperSort, PapersArgs, RangeArgs, VocabArgs};
use crate::error::Error;
use crate::store::columns::{TextLists, date, frame, text, uint};
use crate::store::schema::{
    ARXIV_ID, DATE_PRECISION, DIGEST_DATE, DIGEST_ID, DIGESTS, ENTRIES, FIRST_SEEN, LAST_SEEN, LISTED_DATE, PAPER_ID,
    PAPERS, THEMES_COL, TITLE, UPVOTES,
};

/// What `papers` reads: the appearances and upvotes (`analysis::listings`), and each paper's
/// title, arXiv id and themes. Every table without its long texts took 2.3 GB for the real
/// archive's store; with the authors' names too, 1.3 GB.
const READS: [(&str, Option<&[&str]>); 3] = [
    (DIGESTS, Some(&[DIGEST_ID, DIGEST_DATE, DATE_PRECISION])),
    (ENTRIES, Some(&[DIGEST_ID, PAPER_ID, LISTED_DATE, UPVOTES, TITLE, ARXIV_ID])),
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
    let listings = listings(&loaded.tables)?;
    let input = &listings.input;
    // Per paper (by its number), its row once it appears in the range.
    let mut by_paper: Vec<Option<Row>> = vec![None; input.papers.len()];
    for app in input.appearances.iter().filter(|x| range.overlaps(x.date, x.date)) {
        let Some(slot) = by_paper.get_mut(app.paper as usize) else { continue };
        let row = slot.get_or_insert(Row {
            paper: app.paper,
            appearances: 0,
            first: app.date,
            last: app.date,
            upvotes: listings.upvotes.get(app.paper as usize).copied().flatten(),
        });
        row.appearances += 1;
        row.first = row.first.min(app.date);
        row.last = row.last.max(app.date);
    }
    let mut rows: Vec<Row> = by_paper.into_iter().flatten().collect();
    let id = |r: &Row| &input.papers[r.paper as usize];
    // A total order (paper ids are distinct), so the rows shown do not depend on how they are found.
    let order = |x: &Row, y: &Row| -> Ordering {
        match args.sort {
            PaperSort::Appearances => y.appearances.cmp(&x.appearances).then(id(x).cmp(id(y))),
            // Papers without a score after every paper with one, not as zero.
            PaperSort::Upvotes => {
                y.upvotes.is_some().cmp(&x.upvotes.is_some()).then(y.upvotes.cmp(&x.upvotes)).then(id(x).cmp(id(y)))
            }
            PaperSort::FirstSeen => y.first.cmp(&x.first).then(id(x).cmp(id(y))),
        }
    };
    if args.sort == PaperSort::Upvotes {
        let without = rows.iter().filter(|r| r.upvotes.is_none()).count();
        if without > 0 {
            eprintln!(
                "note: {without} of {} papers in the range have no upvotes: they are listed after the others",
                rows.len()
            );
        }
    }
    // Only the rows shown are sorted (a million papers took a second to sort for twenty).
    if args.top > 0 && rows.len() > args.top {
        rows.select_nth_unstable_by(args.top - 1, order);
        rows.truncate(args.top);
    }
    rows.sort_by(order);
    let df = frame_of(&rows, &loaded.tables, &input.papers).map_err(|e| Error::polars("papers", e))?;
    emit(&df, Output::new(args.csv, args.json))?;
    Ok(Outcome::Clean)
}

/// The rows shown, each with its paper's first title and arXiv id among the entries and its
/// themes: looked up for those papers only, not gathered for every paper of the store.
fn frame_of(rows: &[Row], tables: &crate::store::Tables, ids: &Ids) -> PolarsResult<DataFrame> {
    let empty = DataFrame::default();
    let id = |r: &Row| -> &str { &ids[r.paper as usize] };
    let shown: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (id(r), i)).collect();
    let entries = tables.get(ENTRIES).filter(|d| d.height() > 0).unwrap_or(&empty);
    let mut described: Vec<(Option<&str>, Option<&str>)> = vec![(None, None); rows.len()];
    if entries.height() > 0 {
        let (pid, title, arxiv) =
            (entries.column(PAPER_ID)?.str()?, entries.column(TITLE)?.str()?, entries.column(ARXIV_ID)?.str()?);
        for ((p, t), x) in pid.iter().zip(title.iter()).zip(arxiv.iter()) {
            let Some(&i) = shown.get(p.unwrap_or_default()) else { continue };
            let slot = &mut described[i];
            slot.0 = slot.0.or(t);
            slot.1 = slot.1.or(x);
        }
    }
    let papers = tables.get(PAPERS).filter(|d| d.height() > 0 && d.column(THEMES_COL).is_ok()).unwrap_or(&empty);
    let lists;
    let mut themes: Vec<Vec<&str>> = vec![Vec::new(); rows.len()];
    if papers.height() > 0 {
        lists = TextLists::of(papers, THEMES_COL)?;
        for (row, p) in papers.column(PAPER_ID)?.str()?.iter().enumerate() {
            if let Some(&i) = shown.get(p.unwrap_or_default()) {
                themes[i] = lists.row(row)?;
            }
        }
    }
    frame(vec![
        text(PAPER_ID, rows.iter().map(|r| Some(id(r)))),
        text(ARXIV_ID, described.iter().map(|d| d.1)),
        text(TITLE, described.iter().map(|d| d.0)),
        uint("appearances", rows.iter().map(|r| Some(r.appearances))),
        date(FIRST_SEEN, rows.iter().map(|r| Some(r.first)))?,
        date(LAST_SEEN, rows.iter().map(|r| Some(r.last)))?,
        uint(UPVOTES, rows.iter().map(|r| r.upvotes)),
        crate::store::columns::list(THEMES_COL, themes.iter().map(Vec::as_slice)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_reads_every_column_the_listings_reader_reads_and_no_name() {
        // `listings` reads the appearances (the inputs' digests and entries) and the upvotes; a
        // column left out of `READS` would be read as missing, not fail.
        let appearances = crate::analysis::INPUT_COLUMNS.iter().filter(|(t, _)| [DIGESTS, ENTRIES].contains(t));
        for (table, columns) in appearances.chain(&crate::analysis::LISTING_COLUMNS) {
            let read = READS.iter().find(|(t, _)| t == table).and_then(|(_, c)| *c).unwrap_or_default();
            for c in columns.unwrap_or_default() {
                assert!(read.contains(c), "{table}.{c}");
            }
        }
        // The authors' names are most of the entries' columns `people` reads; `papers` needs none.
        let entries = READS.iter().find(|(t, _)| *t == ENTRIES).and_then(|(_, c)| *c).unwrap_or_default();
        assert!(!entries.contains(&crate::store::schema::AUTHORS));
    }
}
