//! `digestlens trends [--period day|week|month] [--kind keywords|themes] [--top N] [--last N]`:
//! per period, the terms with the most papers, their share, change against the baseline,
//! z-score and status. Text by default (one block per period), CSV or JSON with `--csv/--json`.

use polars::prelude::*;
use rayon::prelude::*;

use super::Outcome;
use super::analysis::{Need, Range, groups, kinds, load, origin_applies, series_notes, settings, stacked};
use super::output::{Output, aligned, emit};
use crate::analysis::tables::trends_frame;
use crate::analysis::trends::{self, Params, Row};
use crate::analysis::{Series, inputs};
use crate::analysis::{Unit, people};
use crate::cli::{ByArg, KindArg, TrendsArgs, WeightArg};
use crate::error::Error;
use crate::store::schema::{KIND, TERM};

pub fn run(args: &TrendsArgs) -> anyhow::Result<Outcome> {
    let a = &args.analysis;
    if args.window == 0 || args.prior <= 0.0 || args.z < 0.0 {
        return Err(Error::Usage("--window must be at least 1, --prior above 0 and --z not negative".into()).into());
    }
    origin_applies(a, "trends --kind themes", args.kind != Some(KindArg::Themes))?;
    let range = Range::new(a)?;
    let span = tracing::info_span!("load").entered();
    // Groups need the digests' input and format, weights the entries' upvotes.
    let need = if args.by.is_some() || args.weight.is_some() { Need::Lean } else { Need::Inputs };
    let loaded = load(a, need)?;
    drop(span);
    let mut settings = settings(a);
    settings.trends = Params { window: args.window, prior: args.prior, z: args.z };
    let per_group = groups(loaded.tables, args.by)?;
    let output = Output::new(a.csv, a.json);
    let mut frames = Vec::new();
    let mut text = String::new();
    for (group, tables) in &per_group {
        let span = tracing::info_span!("inputs").entered();
        let inputs = inputs(tables, settings.origins)?;
        let weights = match args.weight {
            Some(WeightArg::Upvotes) => {
                let upvotes = people(tables, Unit::Author)?.upvotes;
                let without = upvotes.iter().filter(|u| u.is_none()).count();
                let of = if group.is_empty() { String::new() } else { format!(" of {group}") };
                eprintln!(
                    "note: weighted by upvotes: {without} of {} papers{of} have no upvotes and are left out (not counted as zero)",
                    upvotes.len()
                );
                Some(upvotes)
            }
            None => None,
        };
        drop(span);
        let span = tracing::info_span!("series and trends").entered();
        // Only the series and trends asked for (bursts, topics and clusters are not shown here),
        // every kind on its own core.
        let computed: Vec<(&str, Series, Vec<Row>)> = kinds(args.kind)
            .into_par_iter()
            .map(|kind| {
                let (name, input) = match kind {
                    KindArg::Keywords => ("keywords", &inputs.keywords),
                    KindArg::Themes => ("themes", &inputs.themes),
                };
                let series = match &weights {
                    Some(w) => Series::build_weighted(input, settings.period, w),
                    None => Series::build(input, settings.period),
                };
                let rows = trends::trends(&series, &settings.trends);
                (name, series, rows)
            })
            .collect();
        drop(span);
        if !group.is_empty() && output == Output::Text {
            text.push_str(&format!("== {group}\n"));
        }
        for (name, series, rows) in &computed {
            for note in series_notes(name, series, &range) {
                eprintln!("note: {note}");
            }
            for p in range.periods(series, args.last) {
                let top = top_rows(rows, p, a.top);
                let df = trends_frame(series, &top, TERM).map_err(|e| Error::polars("trends", e))?;
                if output == Output::Text {
                    text.push_str(&block(name, series, p, &df)?);
                } else {
                    let mut df = df;
                    let kind_col = Column::new(KIND.into(), vec![name.trim_end_matches('s'); df.height()]);
                    df.insert_column(0, kind_col).map_err(|e| Error::polars("trends", e))?;
                    frames.push((group.clone(), df));
                }
            }
        }
    }
    if output == Output::Text {
        if text.is_empty() {
            text.push_str("no periods with data in the range\n");
        }
        super::stdout(text.as_bytes())?;
    } else {
        let mut all = match args.by {
            Some(ByArg::Input) => stacked("input", frames)?,
            Some(ByArg::Format) => stacked("format", frames)?,
            None => frames.into_iter().map(|(_, df)| df).reduce(|a, b| a.vstack(&b).unwrap_or(a)).unwrap_or_default(),
        };
        all.align_chunks();
        emit(&all, output)?;
    }
    Ok(Outcome::Clean)
}

/// The period's rows with the most papers (then the highest z), at most `top` (0: all).
fn top_rows(rows: &[Row], period: usize, top: usize) -> Vec<Row> {
    let mut chosen: Vec<Row> = rows.iter().filter(|r| r.period == period).cloned().collect();
    chosen.sort_by(|a, b| {
        b.papers
            .cmp(&a.papers)
            .then(b.z.unwrap_or(f64::MIN).total_cmp(&a.z.unwrap_or(f64::MIN)))
            .then(a.term.cmp(&b.term))
    });
    if top > 0 {
        chosen.truncate(top);
    }
    chosen
}

/// One period as text: a heading and the aligned rows.
fn block(kind: &str, series: &Series, period: usize, df: &DataFrame) -> Result<String, Error> {
    let p = series.period;
    let key = series.keys[period];
    let heading =
        format!("{kind}, {} ({} to {}): {} papers\n", p.label(key), p.start(key), p.end(key), series.papers[period]);
    if df.height() == 0 {
        return Ok(format!("{heading}(no {kind} in this period)\n\n"));
    }
    let shown =
        df.select(["term", "papers", "share", "change", "z", "status"]).map_err(|e| Error::polars("trends", e))?;
    let table = aligned(&shown);
    Ok(format!("{heading}{table}\n"))
}
