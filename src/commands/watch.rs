//! `digestlens watch [--since DATE]`: the papers the config's watchlist (`watch:` in
//! digestlens.yaml) selects, per period, with the term that matched and where.

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

use super::Outcome;
use super::analysis::{Loaded, Need, Range, load, period};
use super::config::{Watch, current};
use super::output::{Output, emit};
use crate::analysis::watch::{Paper, Prepared, Term};
use crate::cli::{AnalysisArgs, RangeArgs, StoreArg, VocabArgs, WatchArgs};
use crate::error::Error;
use crate::pipeline::derive::normalizer_for;
use crate::store::Tables;
use crate::store::columns::{FlatTexts, TextLists, date, dates, frame, text};
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

/// The papers of the tables (entries with their abstracts, keywords), one per paper id, in id
/// order; their texts are borrowed from the columns (`authors`: the entries' authors).
fn papers<'a>(tables: &'a Tables, authors: &FlatTexts<'a>) -> PolarsResult<Vec<Paper<'a>>> {
    let mut by_id: HashMap<&str, Paper<'_>> = HashMap::new();
    if let Some(entries) = tables.get(ENTRIES).filter(|d| d.height() > 0) {
        let text = |name: &str| entries.column(name).and_then(Column::str);
        let (ids, arxiv, titles) = (text(PAPER_ID)?, text(ARXIV_ID)?, text(TITLE)?);
        let abstracts: Box<dyn Iterator<Item = Option<&str>>> = match entries.column(ABSTRACT) {
            Ok(c) => Box::new(c.str()?.iter()),
            Err(_) => Box::new(std::iter::repeat(None)),
        };
        let (listed, digest_days) = (dates(entries, LISTED_DATE)?, dates(entries, DIGEST_DATE)?);
        let rows = ids.iter().zip(arxiv.iter()).zip(titles.iter()).zip(abstracts).enumerate();
        for (i, (((id, arxiv), title), abstract_text)) in rows {
            let id = id.unwrap_or_default();
            let p = by_id.entry(id).or_insert_with(|| Paper { id, ..Paper::default() });
            p.arxiv_id = p.arxiv_id.or(arxiv);
            p.title = p.title.or(title);
            p.abstract_text = p.abstract_text.or(abstract_text);
            for &a in authors.row(i) {
                if !p.authors.contains(&a) {
                    p.authors.push(a);
                }
            }
            if let Some(d) = listed[i].or(digest_days[i]) {
                p.dates.push(d);
            }
        }
    }
    if let Some(kw) = tables.get(KEYWORDS).filter(|d| d.height() > 0) {
        let (ids, norms) = (kw.column(PAPER_ID)?.str()?, kw.column(KEYWORD_NORM)?.str()?);
        for (id, norm) in ids.iter().zip(norms.iter()) {
            if let (Some(p), Some(n)) = (id.and_then(|id| by_id.get_mut(id)), norm) {
                p.keywords.push(n);
            }
        }
    }
    let mut out: Vec<Paper<'_>> = by_id.into_values().collect();
    for p in &mut out {
        p.keywords.sort_unstable();
        p.keywords.dedup();
        p.dates.sort_unstable();
        p.dates.dedup();
    }
    out.sort_by(|a, b| a.id.cmp(b.id));
    Ok(out)
}

/// Every day a watch entry's term selects a paper of the store `loaded`, in date order. Each
/// paper is prepared once and compared with every term of every watch entry.
pub fn hits(loaded: Loaded, watchlist: &[Watch]) -> anyhow::Result<Vec<Hit>> {
    let Loaded { tables, vocab, learned } = loaded;
    if watchlist.is_empty() {
        return Ok(Vec::new());
    }
    let span = tracing::info_span!("normaliser").entered();
    let normalizer = normalizer_for(&tables, &vocab, learned)?;
    drop(span);
    let span = tracing::info_span!("papers").entered();
    let polars = |e| Error::polars("watch", e);
    let author_lists = match tables.get(ENTRIES).filter(|d| d.height() > 0) {
        Some(entries) => Some(TextLists::of(entries, AUTHORS).map_err(polars)?),
        None => None,
    };
    let authors = match &author_lists {
        Some(lists) => FlatTexts::of(lists).map_err(polars)?,
        None => FlatTexts::default(),
    };
    let papers = papers(&tables, &authors).map_err(polars)?;
    drop(span);
    let _span = tracing::info_span!("matching").entered();
    let watches: Vec<(&Watch, Vec<Term>)> = watchlist
        .iter()
        .map(|w| (w, w.terms.iter().filter(|t| !t.trim().is_empty()).map(|t| Term::new(t, &normalizer)).collect()))
        .collect();
    // Papers are matched on every core (normalising their titles and abstracts is the work).
    let per_paper = |p: &Paper<'_>| -> Vec<Hit> {
        let prepared = Prepared::new(p);
        let mut hits = Vec::new();
        for (w, terms) in &watches {
            let Some((term, place)) = terms.iter().find_map(|t| t.matches(&prepared, &normalizer).map(|at| (t, at)))
            else {
                continue;
            };
            for d in &p.dates {
                hits.push(Hit {
                    date: *d,
                    watch: w.name.clone(),
                    term: term.text.clone(),
                    place,
                    paper: p.id.to_owned(),
                    arxiv_id: p.arxiv_id.map(str::to_owned),
                    title: p.title.map(str::to_owned),
                    authors: p.authors.iter().map(|a| (*a).to_owned()).collect(),
                });
            }
        }
        hits
    };
    let mut out: Vec<Hit> = papers.par_iter().flat_map_iter(per_paper).collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.watch.cmp(&b.watch)).then(a.paper.cmp(&b.paper)));
    Ok(out)
}

/// The watchlist's papers for the weekly reports (read from the entries with their abstracts,
/// which matching needs); nothing when the watchlist is empty.
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
    let loaded = load(&a, Need::Normaliser { keywords: &[PAPER_ID, KEYWORD_NORM], entries: true })?;
    let hits = hits(loaded, watchlist)?;
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
    let loaded = load(&a, Need::Normaliser { keywords: &[PAPER_ID, KEYWORD_NORM], entries: true })?;
    let p = period(args.period);
    let hits: Vec<Hit> = hits(loaded, watchlist)?.into_iter().filter(|h| range.overlaps(h.date, h.date)).collect();
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
