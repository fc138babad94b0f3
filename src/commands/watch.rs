//! `digestlens watch [--since DATE]`: the papers the config's watchlist (`watch:` in
//! digestlens.yaml) selects, per period, with the term that matched and where.

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::Outcome;
use super::analysis::{Need, Range, load, period};
use super::config::{Watch, current};
use super::output::{Output, emit};
use crate::analysis::watch::{Paper, Term};
use crate::cli::{AnalysisArgs, RangeArgs, StoreArg, VocabArgs, WatchArgs};
use crate::error::Error;
use crate::normalize::Vocabulary;
use crate::pipeline::derive::normalizer_for;
use crate::store::Tables;
use crate::store::columns::{date, dates, frame, lists, strings, text};
use crate::store::schema::*;

/// A watched paper on one of its days.
#[derive(Debug, Clone)]
pub struct Hit {
    pub date: NaiveDate,
    pub watch: String,
    pub term: String,
    pub place: &'static str,
    pub paper: String,
    pub arxiv_id: Option<String>,
    pub title: Option<String>,
    pub authors: Vec<String>,
}

/// The papers of the tables (entries with their long texts, keywords), one per paper id.
fn papers(tables: &Tables) -> PolarsResult<Vec<Paper>> {
    let empty = DataFrame::default();
    let entries = tables.get(ENTRIES).filter(|d| d.height() > 0).unwrap_or(&empty);
    let mut by_id: HashMap<String, Paper> = HashMap::new();
    if entries.height() > 0 {
        let ids = strings(entries, PAPER_ID)?;
        let (arxiv, titles, authors) =
            (strings(entries, ARXIV_ID)?, strings(entries, TITLE)?, lists(entries, AUTHORS)?);
        let abstracts =
            if entries.column(ABSTRACT).is_ok() { strings(entries, ABSTRACT)? } else { vec![None; entries.height()] };
        let (listed, digest_days) = (dates(entries, LISTED_DATE)?, dates(entries, DIGEST_DATE)?);
        for i in 0..entries.height() {
            let id = ids[i].clone().unwrap_or_default();
            let p = by_id.entry(id.clone()).or_insert_with(|| Paper { id, ..Paper::default() });
            p.arxiv_id = p.arxiv_id.take().or_else(|| arxiv[i].clone());
            p.title = p.title.take().or_else(|| titles[i].clone());
            p.abstract_text = p.abstract_text.take().or_else(|| abstracts[i].clone());
            for a in &authors[i] {
                if !p.authors.contains(a) {
                    p.authors.push(a.clone());
                }
            }
            if let Some(d) = listed[i].or(digest_days[i]) {
                p.dates.insert(d);
            }
        }
    }
    if let Some(kw) = tables.get(KEYWORDS).filter(|d| d.height() > 0) {
        for (id, norm) in strings(kw, PAPER_ID)?.into_iter().zip(strings(kw, KEYWORD_NORM)?) {
            if let (Some(p), Some(n)) = (id.and_then(|id| by_id.get_mut(&id)), norm) {
                p.keywords.insert(n);
            }
        }
    }
    let mut out: Vec<Paper> = by_id.into_values().collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Every day a watch entry's term selects a paper, in date order.
pub fn hits(tables: &Tables, vocab: &Vocabulary, watchlist: &[Watch]) -> anyhow::Result<Vec<Hit>> {
    if watchlist.is_empty() {
        return Ok(Vec::new());
    }
    let normalizer = normalizer_for(tables, vocab)?;
    let papers = papers(tables).map_err(|e| Error::polars("watch", e))?;
    let mut out = Vec::new();
    for w in watchlist {
        let terms: Vec<Term> =
            w.terms.iter().filter(|t| !t.trim().is_empty()).map(|t| Term::new(t, &normalizer)).collect();
        for p in &papers {
            let Some((term, place)) = terms.iter().find_map(|t| t.matches(p, &normalizer).map(|at| (t, at))) else {
                continue;
            };
            for d in &p.dates {
                out.push(Hit {
                    date: *d,
                    watch: w.name.clone(),
                    term: term.text.clone(),
                    place,
                    paper: p.id.clone(),
                    arxiv_id: p.arxiv_id.clone(),
                    title: p.title.clone(),
                    authors: p.authors.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.watch.cmp(&b.watch)).then(a.paper.cmp(&b.paper)));
    Ok(out)
}

/// The watchlist's papers for the weekly reports (read from the whole store: matching needs the
/// abstracts); nothing when the watchlist is empty.
pub fn for_reports(store: &StoreArg, vocab: &VocabArgs) -> anyhow::Result<Vec<crate::report::week::Watched>> {
    let watchlist = &current().config.watch;
    if watchlist.is_empty() {
        return Ok(Vec::new());
    }
    let a = AnalysisArgs {
        store: store.clone(),
        period: None,
        range: RangeArgs { since: None, until: None },
        origin: None,
        top: 0,
        vocab: VocabArgs { synonyms: vocab.synonyms.clone(), taxonomy: vocab.taxonomy.clone() },
        csv: false,
        json: false,
    };
    let loaded = load(&a, Need::Full)?;
    let hits = hits(&loaded.tables, &loaded.vocab, watchlist)?;
    Ok(hits
        .into_iter()
        .map(|h| crate::report::week::Watched {
            date: h.date,
            watch: h.watch,
            term: h.term,
            place: h.place.to_owned(),
            paper: crate::report::week::PaperRow {
                title: h.title.unwrap_or_else(|| "(untitled)".to_owned()),
                arxiv_id: h.arxiv_id,
                authors: h.authors,
            },
        })
        .collect())
}

pub fn run(args: &WatchArgs) -> anyhow::Result<Outcome> {
    let watchlist = &current().config.watch;
    if watchlist.is_empty() {
        eprintln!("the watchlist is empty: add `watch:` entries (name, terms) to digestlens.yaml or the --config file");
    }
    let a = AnalysisArgs {
        store: args.store.clone(),
        period: Some(args.period),
        range: RangeArgs { since: args.range.since.clone(), until: args.range.until.clone() },
        origin: None,
        top: 0,
        vocab: VocabArgs { synonyms: None, taxonomy: None },
        csv: args.csv,
        json: args.json,
    };
    let range = Range::new(&a)?;
    let loaded = load(&a, Need::Full)?;
    let p = period(args.period);
    let hits: Vec<Hit> = hits(&loaded.tables, &loaded.vocab, watchlist)?
        .into_iter()
        .filter(|h| range.overlaps(h.date, h.date))
        .collect();
    let labels: Vec<String> = hits.iter().map(|h| p.label(p.key(h.date))).collect();
    let df = frame(vec![
        text(PERIOD, labels.iter().map(|l| Some(l.as_str()))),
        date("date", hits.iter().map(|h| Some(h.date)))?,
        text("watch", hits.iter().map(|h| Some(h.watch.as_str()))),
        text("term", hits.iter().map(|h| Some(h.term.as_str()))),
        text("matched_in", hits.iter().map(|h| Some(h.place))),
        text(PAPER_ID, hits.iter().map(|h| Some(h.paper.as_str()))),
        text(ARXIV_ID, hits.iter().map(|h| h.arxiv_id.as_deref())),
        text(TITLE, hits.iter().map(|h| h.title.as_deref())),
    ])
    .map_err(|e| Error::polars("watch", e))?;
    emit(&df, Output::new(args.csv, args.json))?;
    Ok(Outcome::Clean)
}
