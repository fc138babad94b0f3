//! `digestlens keywords`: normalised keywords with their papers, spellings, origins and
//! trend-topic dates (bibliometrix); `--clusters` for the co-word thematic map; `--explain TERM`
//! for the raw forms that map to a keyword's normal form, and why.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use polars::prelude::*;

use super::Outcome;
use super::analysis::{Need, Range, load, settings};
use super::output::{Output, emit};
use crate::analysis::tables::{Parts, clusters_frame, compute_parts};
use crate::analysis::{coword, inputs};
use crate::cli::{KeywordsArgs, KindArg};
use crate::error::Error;
use crate::pipeline::derive::normalizer_for;
use crate::store::columns::{self, date, frame, strings, text, uint};
use crate::store::schema::*;

pub fn run(args: &KeywordsArgs) -> anyhow::Result<Outcome> {
    let a = &args.analysis;
    if a.period.is_some() {
        return Err(Error::Usage(
            "--period does not apply to keywords (its dates are the first and last seen and the quartiles of each keyword)"
                .to_owned(),
        )
        .into());
    }
    let range = Range::new(a)?;
    let need = if args.explain.is_some() {
        Need::Normaliser { keywords: &[KEYWORD, KEYWORD_NORM, ORIGIN], entries: false }
    } else {
        // The keywords' input (not the papers' themes) and each keyword row's spelling.
        Need::InputsOf(KindArg::Keywords, &[(KEYWORDS, Some(&[KEYWORD]))])
    };
    let mut loaded = load(a, need)?;
    let output = Output::new(a.csv, a.json);
    if let Some(term) = &args.explain {
        let normalizer = normalizer_for(&loaded.tables, &loaded.vocab, loaded.learned.take())?;
        let target = normalizer.normalize(term);
        eprintln!("{term:?} normalises to {:?}", target.norm);
        let df = explain(&loaded.tables, &target.norm, |raw| {
            let n = normalizer.normalize(raw);
            n.reasons.iter().map(ToString::to_string).collect::<Vec<_>>()
        })
        .map_err(|e| Error::polars("keywords", e))?;
        if df.height() == 0 {
            eprintln!("no keyword in the store has this normal form");
        }
        if output == Output::Text {
            super::stdout(explain_text(&df).map_err(|e| Error::polars("keywords", e))?.as_bytes())?;
        } else {
            emit(&df, output)?;
        }
        return Ok(Outcome::Clean);
    }
    let mut settings = settings(a);
    settings.coword = coword::Params { top: args.cluster_top, seed: args.seed, ..settings.coword };
    // Only what is shown: the clusters, or the keywords' series and trend topics.
    let ranged = range.since.is_some() || range.until.is_some();
    let parts = match args.clusters {
        true => Parts { clusters: !ranged, ..Parts::default() },
        false => Parts { topics: true, ..Parts::default() },
    };
    let mut results = compute_parts(inputs(&loaded.tables, settings.origins)?, &settings, parts);
    if args.clusters && ranged {
        // The clusters of the papers of the range only.
        let within = results.inputs.keywords.within(|d| range.overlaps(d, d));
        results.clusters = coword::clusters(&within, &settings.coword);
    }
    let df = if args.clusters { clusters_frame(&results) } else { overview(&loaded.tables, &results, &range, a.top) }
        .map_err(|e| Error::polars("keywords", e))?;
    emit(&df, output)?;
    Ok(Outcome::Clean)
}

/// The raw forms stored under `norm`: keyword, origin, rows, and the reasons.
fn explain(tables: &crate::store::Tables, norm: &str, why: impl Fn(&str) -> Vec<String>) -> PolarsResult<DataFrame> {
    let empty = DataFrame::default();
    let kw = tables.get(KEYWORDS).filter(|k| k.height() > 0).unwrap_or(&empty);
    let mut forms: BTreeMap<(String, String), u32> = BTreeMap::new();
    if kw.height() > 0 {
        let (raw, norms, origin) = (strings(kw, KEYWORD)?, strings(kw, KEYWORD_NORM)?, strings(kw, ORIGIN)?);
        for i in 0..kw.height() {
            if norms[i].as_deref() == Some(norm) {
                let key = (raw[i].clone().unwrap_or_default(), origin[i].clone().unwrap_or_default());
                *forms.entry(key).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<((String, String), u32)> = forms.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let reasons: Vec<Vec<String>> = rows.iter().map(|((r, _), _)| why(r)).collect();
    frame(vec![
        text(KEYWORD, rows.iter().map(|((r, _), _)| Some(r.as_str()))),
        text(ORIGIN, rows.iter().map(|((_, o), _)| Some(o.as_str()))),
        uint("rows", rows.iter().map(|(_, n)| Some(*n))),
        columns::list("why", reasons.iter().map(Vec::as_slice)),
    ])
}

/// The explanation as lines: `raw form (origin, rows): reasons`.
fn explain_text(df: &DataFrame) -> PolarsResult<String> {
    let (raw, origin, why) = (strings(df, KEYWORD)?, strings(df, ORIGIN)?, columns::lists(df, "why")?);
    let rows = crate::store::columns::uints(df, "rows")?;
    let mut out = String::new();
    for i in 0..df.height() {
        let (r, o, w) = (
            raw[i].as_deref().unwrap_or_default(),
            origin[i].as_deref().unwrap_or_default(),
            if why[i].is_empty() { "as written".to_owned() } else { why[i].join("; ") },
        );
        out.push_str(&format!("{r:?} ({o}, {} rows): {w}\n", rows[i].unwrap_or_default()));
    }
    Ok(out)
}

/// One row per normal form with appearances in the range, most papers first.
fn overview(
    tables: &crate::store::Tables,
    results: &crate::analysis::tables::Results,
    range: &Range,
    top: usize,
) -> PolarsResult<DataFrame> {
    let input = &results.inputs.keywords;
    let papers = input.distinct_papers(|d| range.overlaps(d, d));
    // Per normal form its spellings (lower-cased) and extracted rows, read from the columns
    // without copying a text: each distinct spelling of a normal form is lower-cased once.
    let mut forms: HashMap<&str, (BTreeSet<String>, u32)> = HashMap::new();
    if let Some(kw) = tables.get(KEYWORDS).filter(|k| k.height() > 0) {
        let (raw, norms, origin) =
            (kw.column(KEYWORD)?.str()?, kw.column(KEYWORD_NORM)?.str()?, kw.column(ORIGIN)?.str()?);
        let mut spelt: foldhash::HashSet<(&str, &str)> = foldhash::HashSet::default();
        for ((r, n), o) in raw.iter().zip(norms.iter()).zip(origin.iter()) {
            let (r, n) = (r.unwrap_or_default(), n.unwrap_or_default());
            let slot = forms.entry(n).or_default();
            if spelt.insert((n, r)) {
                slot.0.insert(r.to_lowercase());
            }
            slot.1 += u32::from(o == Some("extracted"));
        }
    }
    let mut rows: Vec<usize> = (0..input.terms.len()).filter(|&t| papers[t] > 0).collect();
    rows.sort_by(|&a, &b| papers[b].cmp(&papers[a]).then(input.terms[a].cmp(&input.terms[b])));
    if top > 0 {
        rows.truncate(top);
    }
    let topic: HashMap<usize, &crate::analysis::topics::Topic> = results.topics.iter().map(|t| (t.term, t)).collect();
    let name = |t: usize| input.terms[t].as_str();
    let form = |t: usize| forms.get(name(t));
    frame(vec![
        text(KEYWORD_NORM, rows.iter().map(|&t| Some(name(t)))),
        uint(PAPERS_COL, rows.iter().map(|&t| Some(papers[t]))),
        uint("spellings", rows.iter().map(|&t| form(t).and_then(|f| u32::try_from(f.0.len()).ok()))),
        uint("extracted", rows.iter().map(|&t| form(t).map(|f| f.1))),
        date(FIRST_SEEN, rows.iter().map(|&t| results.keywords.seen[t].map(|s| s.0)))?,
        date(LAST_SEEN, rows.iter().map(|&t| results.keywords.seen[t].map(|s| s.1)))?,
        date(DATE_Q1, rows.iter().map(|&t| topic.get(&t).map(|x| x.q1)))?,
        date(DATE_MEDIAN, rows.iter().map(|&t| topic.get(&t).map(|x| x.median)))?,
        date(DATE_Q3, rows.iter().map(|&t| topic.get(&t).map(|x| x.q3)))?,
    ])
}
