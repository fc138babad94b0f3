//! `digestlens themes [--mapping]`: canonical themes with their papers, the TL;DR themes mapped
//! to them, first and last seen, and their figures in the latest period; or, with `--mapping`,
//! every TL;DR theme with the canonical theme it went to and why (its score).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use super::Outcome;
use super::analysis::{BY_COLUMNS, Need, Range, groups, load, origin_applies, series_notes, settings, stacked};
use super::output::{Output, emit};
use crate::analysis::Period;
use crate::analysis::emerging::{Group, Mention};
use crate::analysis::inputs;
use crate::analysis::tables::{Parts, compute_parts};
use crate::cli::{ByArg, KindArg, ThemesArgs};
use crate::error::Error;
use crate::store::columns::{date, dates, float, frame, lists, strings, text, uint};
use crate::store::schema::*;

pub fn run(args: &ThemesArgs) -> anyhow::Result<Outcome> {
    let a = &args.analysis;
    origin_applies(a, "themes", false)?;
    let range = Range::new(a)?;
    // The themes table and the themes' input (and, split by input or format, the digests' input
    // and format) are all that is read: every table without its long texts was 1.9 GB for the
    // real archive's store, and the keyword rows are most of the analysis' inputs.
    let need = if args.by.is_some() {
        Need::InputsOf(KindArg::Themes, &[(THEMES, None), BY_COLUMNS])
    } else {
        Need::InputsOf(KindArg::Themes, &[(THEMES, None)])
    };
    let loaded = load(a, need)?;
    if args.emerging || args.suggest_taxonomy {
        let empty = DataFrame::default();
        let themes = loaded.tables.get(THEMES).unwrap_or(&empty);
        let (groups, mentions) = emerging_groups(themes, &range).map_err(|e| Error::polars("themes", e))?;
        if args.suggest_taxonomy {
            super::stdout(crate::analysis::emerging::suggested_taxonomy(&groups).as_bytes())?;
        } else {
            let p = super::analysis::period(a.period.unwrap_or(crate::cli::PeriodArg::Week));
            let df = emerging_frame(&groups, &mentions, p, a.top).map_err(|e| Error::polars("themes", e))?;
            emit(&df, Output::new(a.csv, a.json))?;
        }
        return Ok(Outcome::Clean);
    }
    let per_group = groups(loaded.tables, args.by)?;
    let mut frames = Vec::new();
    for (group, tables) in &per_group {
        let empty = DataFrame::default();
        let themes = tables.get(THEMES).unwrap_or(&empty);
        let df = if args.mapping {
            mapping(themes, &range, a.top)
        } else {
            let settings = settings(a);
            let parts = Parts { trends: true, ..Parts::default() };
            let results = compute_parts(inputs(tables, settings.origins)?, &settings, parts);
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

/// The unmatched TL;DR themes of the range (no score: see `normalize::taxonomy`), grouped.
fn emerging_groups(themes: &DataFrame, range: &Range) -> PolarsResult<(Vec<Group>, Vec<Mention>)> {
    if themes.height() == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let (days, labels, digests) = (dates(themes, DIGEST_DATE)?, strings(themes, LABEL)?, strings(themes, DIGEST_ID)?);
    let papers = lists(themes, PAPER_IDS)?;
    let scores: Vec<Option<f64>> = match themes.column(THEME_SCORE) {
        Ok(c) => c.f64()?.iter().collect(),
        Err(_) => vec![None; themes.height()],
    };
    let mentions: Vec<Mention> = (0..themes.height())
        .filter(|&i| scores[i].is_none() && days[i].is_none_or(|d| range.overlaps(d, d)))
        .map(|i| Mention {
            label: labels[i].clone().unwrap_or_default(),
            digest: digests[i].clone().unwrap_or_default(),
            date: days[i],
            papers: papers[i].clone(),
        })
        .collect();
    Ok((crate::analysis::emerging::groups(&mentions), mentions))
}

/// One row per emerging theme: its labels, first and last seen, digests, papers, mentions, and
/// its mentions in the latest period with unmatched themes against the one before.
fn emerging_frame(groups: &[Group], mentions: &[Mention], period: Period, top: usize) -> PolarsResult<DataFrame> {
    let mut keys: Vec<i64> = mentions.iter().filter_map(|m| m.date).map(|d| period.key(d)).collect();
    keys.sort_unstable();
    keys.dedup();
    let (latest, previous) = (keys.last().copied(), keys.len().checked_sub(2).map(|i| keys[i]));
    let count = |g: &Group, key: Option<i64>| -> Option<u32> {
        key.map(|k| {
            let n = g.mentions.iter().filter(|&&m| mentions[m].date.is_some_and(|d| period.key(d) == k)).count();
            u32::try_from(n).unwrap_or(u32::MAX)
        })
    };
    let rows = &groups[..if top == 0 { groups.len() } else { top.min(groups.len()) }];
    let label = |k: Option<i64>| k.map(|k| period.label(k));
    let (latest_label, previous_label) = (label(latest), label(previous));
    frame(vec![
        text(THEME, rows.iter().map(|g| g.labels.first().map(String::as_str))),
        crate::store::columns::list("labels", rows.iter().map(|g| g.labels.as_slice())),
        date(FIRST_SEEN, rows.iter().map(|g| g.first_seen))?,
        date(LAST_SEEN, rows.iter().map(|g| g.last_seen))?,
        uint("digests", rows.iter().map(|g| u32::try_from(g.digests).ok())),
        uint(PAPERS_COL, rows.iter().map(|g| u32::try_from(g.papers).ok())),
        uint("mentions", rows.iter().map(|g| u32::try_from(g.mentions.len()).ok())),
        text(PERIOD, rows.iter().map(|_| latest_label.as_deref())),
        uint("period_mentions", rows.iter().map(|g| count(g, latest))),
        text("previous", rows.iter().map(|_| previous_label.as_deref())),
        uint("previous_mentions", rows.iter().map(|g| count(g, previous))),
    ])
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
    let reasons: Vec<Option<String>> =
        if themes.column(THEME_REASON).is_ok() { strings(themes, THEME_REASON)? } else { vec![None; themes.height()] };
    let keep: Vec<usize> = (0..themes.height())
        .filter(|&i| days[i].is_none_or(|d| range.overlaps(d, d)))
        .take(if top == 0 { usize::MAX } else { top })
        .collect();
    frame(vec![
        date(DIGEST_DATE, keep.iter().map(|&i| days[i]))?,
        text(LABEL, keep.iter().map(|&i| labels[i].as_deref())),
        text(THEME, keep.iter().map(|&i| canon[i].as_deref())),
        float(THEME_SCORE, keep.iter().map(|&i| scores[i])),
        text("why", keep.iter().map(|&i| reasons[i].as_deref())),
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
