//! `digestlens themes [--mapping]`: canonical themes with their papers, the TL;DR themes mapped
//! to them, first and last seen, and their figures in the latest period; or, with `--mapping`,
//! every TL;DR theme with the canonical theme it went to and why (its score).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use super::Outcome;
use super::analysis::{Need, Range, groups, load, origin_applies, series_notes, settings, stacked};
use super::output::{Output, emit};
use crate::analysis::inputs;
use crate::analysis::tables::compute;
use crate::cli::{ByArg, ThemesArgs};
use crate::error::Error;
use crate::store::Tables;
use crate::store::columns::{date, dates, float, frame, strings, text, uint};
use crate::store::schema::*;

pub fn run(args: &ThemesArgs) -> anyhow::Result<Outcome> {
    let a = &args.analysis;
    origin_applies(a, "themes", false)?;
    let range = Range::new(a)?;
    let loaded = load(a, Need::Lean)?;
    let per_group: Vec<(String, Tables)> = match args.by {
        Some(by) => groups(&loaded.tables, by)?,
        None => vec![(String::new(), loaded.tables)],
    };
    let mut frames = Vec::new();
    for (group, tables) in &per_group {
        let empty = DataFrame::default();
        let themes = tables.get(THEMES).unwrap_or(&empty);
        let df = if args.mapping {
            mapping(themes, &range, a.top)
        } else {
            let settings = settings(a);
            let results = compute(inputs(tables, settings.origins)?, &settings);
            for note in series_notes("themes", &results.themes, &range) {
                let of = if group.is_empty() { String::new() } else { format!(" ({group})") };
                eprintln!("note: {note}{of}");
            }
            overview(themes, &results, &range, a.top)
        }
        .map_err(|e| Error::polars("themes", e))?;
        frames.push((group.clone(), df));
    }
    let df = match args.by {
        Some(ByArg::Input) => stacked("input", frames)?,
        Some(ByArg::Format) => stacked("format", frames)?,
        None => frames.pop().map(|(_, df)| df).unwrap_or_default(),
    };
    emit(&df, Output::new(a.csv, a.json))?;
    Ok(Outcome::Clean)
}

/// Every TL;DR theme in the range: date, label, canonical theme, score.
fn mapping(themes: &DataFrame, range: &Range, top: usize) -> PolarsResult<DataFrame> {
    if themes.height() == 0 {
        return Ok(DataFrame::default());
    }
    let (days, labels, canon) = (dates(themes, DIGEST_DATE)?, strings(themes, LABEL)?, strings(themes, THEME)?);
    let scores: Vec<Option<f64>> = match themes.column(THEME_SCORE) {
        Ok(c) => c.f64()?.iter().collect(),
        Err(_) => vec![None; themes.height()],
    };
    let keep: Vec<usize> = (0..themes.height())
        .filter(|&i| days[i].is_none_or(|d| range.overlaps(d, d)))
        .take(if top == 0 { usize::MAX } else { top })
        .collect();
    frame(vec![
        date(DIGEST_DATE, keep.iter().map(|&i| days[i]))?,
        text(LABEL, keep.iter().map(|&i| labels[i].as_deref())),
        text(THEME, keep.iter().map(|&i| canon[i].as_deref())),
        float(THEME_SCORE, keep.iter().map(|&i| scores[i])),
    ])
}

/// One row per canonical theme: papers in the range, TL;DR themes mapped, their most common
/// labels, first and last seen, and the latest period's papers and status.
fn overview(
    themes: &DataFrame,
    results: &crate::analysis::tables::Results,
    range: &Range,
    top: usize,
) -> PolarsResult<DataFrame> {
    let mut labels: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    if themes.height() > 0 {
        let (days, label, canon) = (dates(themes, DIGEST_DATE)?, strings(themes, LABEL)?, strings(themes, THEME)?);
        for i in (0..themes.height()).filter(|&i| days[i].is_none_or(|d| range.overlaps(d, d))) {
            let (Some(l), Some(t)) = (&label[i], &canon[i]) else { continue };
            *labels.entry(t.clone()).or_default().entry(l.clone()).or_default() += 1;
        }
    }
    let s = &results.themes;
    let periods = range.periods(s, 0);
    let latest = periods.last().copied();
    let counts = results.inputs.themes.distinct_papers(|d| range.overlaps(d, d));
    let mut rows: Vec<(usize, u32)> = counts.into_iter().enumerate().filter(|(_, n)| *n > 0).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(s.terms[a.0].cmp(&s.terms[b.0])));
    if top > 0 {
        rows.truncate(top);
    }
    let status = |t: usize| {
        let row = results.theme_trends.iter().find(|r| Some(r.period) == latest && r.term == t);
        row.map_or("absent", |r| r.status.as_str())
    };
    let common = |t: usize| -> Vec<String> {
        let mut l: Vec<(&String, &usize)> = labels.get(&s.terms[t]).map(|m| m.iter().collect()).unwrap_or_default();
        l.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        l.iter().take(3).map(|(k, _)| (*k).clone()).collect()
    };
    let mapped = |t: usize| labels.get(&s.terms[t]).map_or(0, |m| m.values().sum::<usize>());
    let commons: Vec<Vec<String>> = rows.iter().map(|(t, _)| common(*t)).collect();
    let latest_label = latest.map(|p| s.label(p)).unwrap_or_default();
    frame(vec![
        text(THEME, rows.iter().map(|(t, _)| Some(s.terms[*t].as_str()))),
        uint(PAPERS_COL, rows.iter().map(|(_, n)| Some(*n))),
        uint("tldr_themes", rows.iter().map(|(t, _)| u32::try_from(mapped(*t)).ok())),
        crate::store::columns::list("labels", commons.iter().map(Vec::as_slice)),
        date(FIRST_SEEN, rows.iter().map(|(t, _)| s.seen[*t].map(|x| x.0)))?,
        date(LAST_SEEN, rows.iter().map(|(t, _)| s.seen[*t].map(|x| x.1)))?,
        text(PERIOD, rows.iter().map(|_| Some(latest_label.as_str()))),
        text(STATUS, rows.iter().map(|(t, _)| Some(status(*t)))),
    ])
}
