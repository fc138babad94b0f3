//! `digestlens authors [--unit author|organization] [--by input|format] [--lotka | --explain NAME]`:
//! who published what in a range, Lotka's law, or which written forms a name stands for.

use polars::prelude::*;

use super::Outcome;
use super::analysis::{BY_COLUMNS, Need, Range, groups, load, settings, stacked};
use super::output::{Output, emit};
use crate::analysis::people::{Person, describe, explain, latest_periods, lotka, people_in_range};
use crate::analysis::{PEOPLE_COLUMNS, People, Unit, inputs, people};
use crate::cli::{AuthorsArgs, ByArg, UnitArg};
use crate::error::Error;
use crate::store::columns::{date, float, frame, list, text, uint};
use crate::store::schema::{FIRST_SEEN, LAST_SEEN, PAPERS_COL};

pub fn run(args: &AuthorsArgs) -> anyhow::Result<Outcome> {
    let a = &args.analysis;
    let range = Range::new(a)?;
    // The analysis' inputs and the entries' authors (and, split by input or format, the digests'
    // input and format) are all that is read: every table without its long texts was 2.2 GB for
    // the real archive's store.
    const BY: [(&str, Option<&[&str]>); 2] = [PEOPLE_COLUMNS[0], BY_COLUMNS];
    let need = if args.by.is_some() { Need::InputsAnd(&BY) } else { Need::InputsAnd(&PEOPLE_COLUMNS) };
    let loaded = load(a, need)?;
    let unit = match args.unit {
        UnitArg::Author => Unit::Author,
        UnitArg::Organization => Unit::Organization,
    };
    let output = Output::new(a.csv, a.json);
    let polars = |e| Error::polars("authors", e);
    if let Some(name) = &args.explain {
        let people = people(&loaded.tables, unit)?;
        let df = explained(&people, name).map_err(polars)?;
        if df.height() == 0 {
            eprintln!("{name:?} normalises to {:?}, which no listing names", crate::normalize::names::key(name));
        }
        emit(&df, output)?;
        return Ok(Outcome::Clean);
    }
    let per_group = groups(loaded.tables, args.by)?;
    let mut frames = Vec::new();
    for (name, tables) in &per_group {
        let people = people(tables, unit)?;
        let keep = |d: chrono::NaiveDate| range.overlaps(d, d);
        let settings = settings(a);
        let mut rows = people_in_range(&people, keep, settings.period);
        let cut: u32 = rows.iter().map(|r| r.truncated).sum();
        if cut > 0 && unit == Unit::Author {
            let listings = people.truncated.iter().filter(|t| **t).count();
            eprintln!(
                "note: {listings} listings{} name only some of their authors (`et al.`, a cut list): counts are lower bounds; `truncated` says how many of each author's papers are among them",
                if name.is_empty() { String::new() } else { format!(" of {name}") }
            );
        }
        let df = if args.lotka {
            lotka_frame(&rows).map_err(polars)?
        } else {
            let (latest, previous) = latest_periods(&people, keep, settings.period);
            let top = if a.top == 0 { rows.len() } else { a.top.min(rows.len()) };
            describe(&mut rows[..top], &people, &inputs(tables, settings.origins)?, keep);
            people_frame(&rows[..top], unit, latest, previous).map_err(polars)?
        };
        frames.push((name.clone(), df));
    }
    let df = match args.by {
        Some(ByArg::Input) => stacked("input", frames)?,
        Some(ByArg::Format) => stacked("format", frames)?,
        None => frames.pop().map(|(_, df)| df).unwrap_or_default(),
    };
    emit(&df, output)?;
    Ok(Outcome::Clean)
}

fn people_frame(
    rows: &[Person],
    unit: Unit,
    latest: Option<String>,
    previous: Option<String>,
) -> PolarsResult<DataFrame> {
    let name = if unit == Unit::Author { "author" } else { "organization" };
    let growth: Vec<Option<f64>> = rows
        .iter()
        .map(|r| {
            (previous.is_some() && r.previous > 0)
                .then(|| (f64::from(r.latest) - f64::from(r.previous)) / f64::from(r.previous))
        })
        .collect();
    frame(vec![
        text(name, rows.iter().map(|r| Some(r.name.as_str()))),
        uint(PAPERS_COL, rows.iter().map(|r| Some(r.papers))),
        uint("appearances", rows.iter().map(|r| Some(r.appearances))),
        date(FIRST_SEEN, rows.iter().map(|r| Some(r.first_seen)))?,
        date(LAST_SEEN, rows.iter().map(|r| Some(r.last_seen)))?,
        uint("truncated", rows.iter().map(|r| Some(r.truncated))),
        list("keywords", rows.iter().map(|r| r.keywords.as_slice())),
        list("themes", rows.iter().map(|r| r.themes.as_slice())),
        text("period", rows.iter().map(|_| latest.as_deref())),
        uint("period_papers", rows.iter().map(|r| latest.as_ref().map(|_| r.latest))),
        text("previous", rows.iter().map(|_| previous.as_deref())),
        uint("previous_papers", rows.iter().map(|r| previous.as_ref().map(|_| r.previous))),
        float("growth", growth),
    ])
}

fn lotka_frame(rows: &[Person]) -> PolarsResult<DataFrame> {
    let papers: Vec<u32> = rows.iter().map(|r| r.papers).collect();
    let l = lotka(&papers);
    if !l.rows.is_empty() {
        eprintln!(
            "Lotka's law fitted to {} authors: beta {:.3}, C {:.3}, R² {:.3} (least squares on log10 share against log10 papers, as bibliometrix's lotka())",
            papers.len(),
            l.beta,
            l.c,
            l.r2
        );
    }
    frame(vec![
        uint(PAPERS_COL, l.rows.iter().map(|r| Some(r.0))),
        uint("authors", l.rows.iter().map(|r| Some(r.1))),
        float("share", l.rows.iter().map(|r| Some(r.2))),
        float("fitted", l.rows.iter().map(|r| Some(r.3))),
        float("inverse_square", l.rows.iter().map(|r| Some(r.4))),
        float("beta", l.rows.iter().map(|_| Some(l.beta))),
        float("c", l.rows.iter().map(|_| Some(l.c))),
        float("r2", l.rows.iter().map(|_| Some(l.r2))),
    ])
}

/// Every written form of the name and of its candidates, with papers and the relation.
fn explained(people: &People, name: &str) -> PolarsResult<DataFrame> {
    let mut rows: Vec<(String, String, u32, &'static str)> = Vec::new();
    for (t, relation) in explain(people, name) {
        for (form, n) in &people.forms[t] {
            rows.push((form.clone(), people.input.terms[t].clone(), *n, relation));
        }
    }
    frame(vec![
        text("written", rows.iter().map(|r| Some(r.0.as_str()))),
        text("normal_form", rows.iter().map(|r| Some(r.1.as_str()))),
        uint("listings", rows.iter().map(|r| Some(r.2))),
        text("relation", rows.iter().map(|r| Some(r.3))),
    ])
}
