//! `digestlens trends [--period day|week|month] [--kind keywords|themes] [--top N] [--last N]`:
//! per period, the terms with the most papers, their share, change against the baseline,
//! z-score and status. Text by default (one block per period), CSV or JSON with `--csv/--json`.

use polars::prelude::*;
use rayon::prelude::*;

use super::Outcome;
use super::analysis::{
    Need, Range, groups, kinds, load, origin_applies, series_notes, settings, stacked, vocabulary_given,
};
use super::output::{Output, aligned, emit};
use crate::analysis::listings;
use crate::analysis::tables::{stored_trends, trends_frame};
use crate::analysis::trends::{self, Params, Row};
use crate::analysis::{Series, Settings, inputs};
use crate::cli::{ByArg, KindArg, TrendsArgs, WeightArg};
use crate::error::Error;
use crate::store::Store;
use crate::store::schema::{KEYWORD, KEYWORD_TRENDS, KIND, PERIODS, TERM, THEME, THEME_TRENDS};

pub fn run(args: &TrendsArgs) -> anyhow::Result<Outcome> {
    let a = &args.analysis;
    if args.window == 0 || args.prior <= 0.0 || args.z < 0.0 {
        return Err(Error::Usage("--window must be at least 1, --prior above 0 and --z not negative".into()).into());
    }
    origin_applies(a, "trends --kind themes", args.kind != Some(KindArg::Themes))?;
    let range = Range::new(a)?;
    let mut settings = settings(a);
    settings.trends = Params { window: args.window, prior: args.prior, z: args.z };
    let per_group = match stored(args, &settings)? {
        Some(computed) => vec![(String::new(), computed)],
        None => computed(args, &settings)?,
    };
    let output = Output::new(a.csv, a.json);
    let mut frames = Vec::new();
    let mut text = String::new();
    for (group, computed) in &per_group {
        if !group.is_empty() && output == Output::Text {
            text.push_str(&format!("== {group}\n"));
        }
        for (name, series, rows) in computed {
            for note in series_notes(name, series, &range) {
                eprintln!("note: {note}");
            }
            // Each period's rows, found once (not by a pass over every row per period).
            let mut by_period: Vec<Vec<&Row>> = vec![Vec::new(); series.keys.len()];
            for r in rows {
                by_period[r.period].push(r);
            }
            let mut shown = Vec::new();
            for p in range.periods(series, args.last) {
                let top = top_rows(&by_period[p], &series.terms, a.top);
                if output == Output::Text {
                    let df = trends_frame(series, &top, TERM).map_err(|e| Error::polars("trends", e))?;
                    text.push_str(&block(name, series, p, &df)?);
                } else {
                    shown.extend(top);
                }
            }
            if output != Output::Text {
                let mut df = trends_frame(series, &shown, TERM).map_err(|e| Error::polars("trends", e))?;
                let kind_col = Column::new(KIND.into(), vec![name.trim_end_matches('s'); df.height()]);
                df.insert_column(0, kind_col).map_err(|e| Error::polars("trends", e))?;
                frames.push((group.clone(), df));
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

/// Per kind shown: its series and trend rows.
type Computed = Vec<(&'static str, Series, Vec<Row>)>;

/// The series and trends as the store keeps them, when they are what was asked for: the stored
/// period, origins and parameters (the defaults), the vocabulary the store was derived with,
/// neither `--by` nor `--weight`, and a store that has the `periods` table (one written before
/// it computes them again). Reads two small tables instead of every keyword row.
fn stored(args: &TrendsArgs, settings: &Settings) -> anyhow::Result<Option<Computed>> {
    let defaults = Settings::default();
    let as_stored = settings.period == defaults.period
        && settings.origins == defaults.origins
        && settings.trends == defaults.trends
        && args.by.is_none()
        && args.weight.is_none();
    if !as_stored {
        return Ok(None);
    }
    let a = &args.analysis;
    let _span = tracing::info_span!("read stored trends").entered();
    let store = Store::new(a.store.dir());
    store.require()?;
    if vocabulary_given(a, &store)? {
        return Ok(None);
    }
    let table = |kind: KindArg| match kind {
        KindArg::Keywords => ("keywords", KEYWORD_TRENDS, KEYWORD),
        KindArg::Themes => ("themes", THEME_TRENDS, THEME),
    };
    let kinds = kinds(args.kind);
    let mut wanted: Vec<(&str, Option<&[&str]>)> = vec![(PERIODS, None)];
    wanted.extend(kinds.iter().map(|&k| (table(k).1, None)));
    let tables = store.read(&wanted)?;
    let Some(periods) = tables.get(PERIODS) else { return Ok(None) };
    let mut computed = Vec::new();
    for kind in kinds {
        let (name, stored, term) = table(kind);
        let Some(df) = tables.get(stored) else { return Ok(None) };
        match stored_trends(periods, df, term, settings.period).map_err(|e| Error::polars(stored, e))? {
            Some((series, rows)) => computed.push((name, series, rows)),
            None => return Ok(None),
        }
    }
    Ok(Some(computed))
}

/// The series and trends computed from the keyword and theme rows, per group of `--by`.
fn computed(args: &TrendsArgs, settings: &Settings) -> anyhow::Result<Vec<(String, Computed)>> {
    let a = &args.analysis;
    let span = tracing::info_span!("load").entered();
    // Groups need the digests' input and format, weights the entries' upvotes; one kind shown
    // needs its own input only.
    let need = match args.kind {
        _ if args.by.is_some() || args.weight.is_some() => Need::Lean,
        Some(kind) => Need::InputsOf(kind, &[]),
        None => Need::Inputs,
    };
    let loaded = load(a, need)?;
    drop(span);
    let mut out = Vec::new();
    for (group, tables) in groups(loaded.tables, args.by)? {
        let span = tracing::info_span!("inputs").entered();
        let inputs = inputs(&tables, settings.origins)?;
        let weights = match args.weight {
            Some(WeightArg::Upvotes) => {
                let upvotes = listings(&tables)?.upvotes;
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
        let _span = tracing::info_span!("series and trends").entered();
        // Only the series and trends asked for (bursts, topics and clusters are not shown here),
        // every kind on its own core.
        let computed: Computed = kinds(args.kind)
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
        out.push((group, computed));
    }
    Ok(out)
}

/// Of one period's rows, those with the most papers (then the highest z, then by term), at most
/// `top` (0: all).
fn top_rows(rows: &[&Row], terms: &[String], top: usize) -> Vec<Row> {
    let mut chosen: Vec<Row> = rows.iter().map(|&r| r.clone()).collect();
    chosen.sort_by(|a, b| {
        b.papers
            .cmp(&a.papers)
            .then(b.z.unwrap_or(f64::MIN).total_cmp(&a.z.unwrap_or(f64::MIN)))
            .then_with(|| terms[a.term].cmp(&terms[b.term]))
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
