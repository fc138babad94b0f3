//! `digestlens evolution [--period month|quarter|year | --cuts DATES] [--min-inclusion F]`: the
//! co-word clusters of each slice and how they continue, split, merge, vanish or appear.

use serde::Serialize;

use super::Outcome;
use super::analysis::{Need, Range, load, period, settings};
use super::output::{Output, emit};
use crate::analysis::coword;
use crate::analysis::evolution::{Evolution, cut_slices, evolve, period_slices};
use crate::analysis::inputs;
use crate::cli::{AnalysisArgs, EvolutionArgs, KindArg, RangeArgs, VocabArgs};
use crate::error::Error;
use crate::store::columns::{float, frame, list, text};

#[derive(Serialize)]
struct ClusterOut {
    id: String,
    label: String,
    keywords: Vec<String>,
    papers: u32,
    centrality: f64,
    density: f64,
    quadrant: &'static str,
    statuses: Vec<&'static str>,
}

#[derive(Serialize)]
struct PeriodOut {
    period: String,
    start: String,
    end: String,
    clusters: Vec<ClusterOut>,
}

#[derive(Serialize)]
struct LinkOut {
    from: String,
    to: String,
    inclusion: f64,
    jaccard: f64,
    shared: Vec<String>,
}

#[derive(Serialize)]
struct EvolutionOut {
    periods: Vec<PeriodOut>,
    links: Vec<LinkOut>,
}

pub fn run(args: &EvolutionArgs) -> anyhow::Result<Outcome> {
    let a = AnalysisArgs {
        store: args.store.clone(),
        period: Some(args.period),
        range: RangeArgs { since: args.range.since.clone(), until: args.range.until.clone() },
        origin: args.origin,
        top: 0,
        vocab: VocabArgs { synonyms: args.vocab.synonyms.clone(), taxonomy: args.vocab.taxonomy.clone() },
        csv: args.csv,
        json: args.json,
    };
    let range = Range::new(&a)?;
    let loaded = load(&a, Need::InputsOf(KindArg::Keywords, &[]))?;
    let settings = settings(&a);
    let input = inputs(&loaded.tables, settings.origins)?.keywords;
    let keep = |d: chrono::NaiveDate| range.overlaps(d, d);
    let slices = if args.cuts.is_empty() {
        period_slices(&input, period(args.period), keep)
    } else {
        cut_slices(&input, &args.cuts, keep)
    };
    let params = coword::Params { top: args.cluster_top, seed: args.seed, ..coword::Params::default() };
    let evo = evolve(&input, slices, &params, args.min_inclusion);
    let out = shaped(&evo, &input.terms);
    match Output::new(args.csv, args.json) {
        Output::Json => {
            let mut json = serde_json::to_vec_pretty(&out)?;
            json.push(b'\n');
            super::stdout(&json)?;
        }
        Output::Csv => emit(&links_frame(&out).map_err(|e| Error::polars("evolution", e))?, Output::Csv)?,
        Output::Text => super::stdout(text_of(&out).as_bytes())?,
    }
    Ok(Outcome::Clean)
}

fn id(evo: &Evolution, slice: usize, cluster: usize) -> String {
    format!("{}/{}", evo.slices[slice].label, cluster + 1)
}

fn shaped(evo: &Evolution, terms: &[String]) -> EvolutionOut {
    let names = |ts: &[usize]| ts.iter().map(|&t| terms[t].clone()).collect::<Vec<_>>();
    let periods = evo
        .slices
        .iter()
        .enumerate()
        .map(|(s, slice)| PeriodOut {
            period: slice.label.clone(),
            start: slice.start.to_string(),
            end: slice.end.to_string(),
            clusters: evo.clusters[s]
                .iter()
                .enumerate()
                .map(|(c, cl)| ClusterOut {
                    id: id(evo, s, c),
                    label: cl.terms.first().map(|&t| terms[t].clone()).unwrap_or_default(),
                    keywords: names(&cl.terms),
                    papers: cl.papers,
                    centrality: cl.centrality,
                    density: cl.density,
                    quadrant: cl.quadrant.as_str(),
                    statuses: evo.statuses(s, c),
                })
                .collect(),
        })
        .collect();
    let links = evo
        .links
        .iter()
        .map(|l| LinkOut {
            from: id(evo, l.from.0, l.from.1),
            to: id(evo, l.to.0, l.to.1),
            inclusion: l.inclusion,
            jaccard: l.jaccard,
            shared: names(&l.shared),
        })
        .collect();
    EvolutionOut { periods, links }
}

fn links_frame(out: &EvolutionOut) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    let l = &out.links;
    frame(vec![
        text("from", l.iter().map(|x| Some(x.from.as_str()))),
        text("to", l.iter().map(|x| Some(x.to.as_str()))),
        float("inclusion", l.iter().map(|x| Some(x.inclusion))),
        float("jaccard", l.iter().map(|x| Some(x.jaccard))),
        list("shared", l.iter().map(|x| x.shared.as_slice())),
    ])
}

fn text_of(out: &EvolutionOut) -> String {
    let mut s = String::new();
    if out.periods.is_empty() {
        s.push_str("no slices with keywords in the range\n");
    }
    for p in &out.periods {
        s.push_str(&format!("{} ({} to {}): {} clusters\n", p.period, p.start, p.end, p.clusters.len()));
        for c in &p.clusters {
            let shown: Vec<&str> = c.keywords.iter().take(6).map(String::as_str).collect();
            let more = if c.keywords.len() > 6 { format!(" (+{})", c.keywords.len() - 6) } else { String::new() };
            s.push_str(&format!(
                "  {:<14} {:>5} papers  {:<22} {:<30} {}{more}\n",
                c.id,
                c.papers,
                c.quadrant,
                c.statuses.join(", "),
                shown.join("; ")
            ));
        }
    }
    if !out.links.is_empty() {
        s.push_str("\nlinks\n");
        for l in &out.links {
            let shared: Vec<&str> = l.shared.iter().take(5).map(String::as_str).collect();
            s.push_str(&format!(
                "  {} -> {}  inclusion {:.2}  jaccard {:.2}  {}\n",
                l.from,
                l.to,
                l.inclusion,
                l.jaccard,
                shared.join("; ")
            ));
        }
    }
    s
}
