//! `digestlens bursts [--kind keywords|themes] [--s S] [--gamma G] [--min-papers N]`: Kleinberg
//! bursts of keywords and themes that overlap `--since/--until`, strongest first.

use super::Outcome;
use super::analysis::{Need, Range, kinds, load, origin_applies, series_notes, settings};
use super::output::{Output, emit};
use crate::analysis::bursts::{Burst, Params};
use crate::analysis::tables::{Parts, bursts_rows_frame, compute_parts};
use crate::analysis::{Series, inputs};
use crate::cli::{BurstsArgs, KindArg};
use crate::error::Error;

pub fn run(args: &BurstsArgs) -> anyhow::Result<Outcome> {
    let a = &args.analysis;
    if args.s <= 1.0 || args.gamma < 0.0 {
        return Err(Error::Usage(format!(
            "--s must be above 1 (got {}) and --gamma not negative (got {})",
            args.s, args.gamma
        ))
        .into());
    }
    origin_applies(a, "bursts --kind themes", args.kind != Some(KindArg::Themes))?;
    let range = Range::new(a)?;
    // One kind's input alone when one is asked for (the keyword rows are most of what is read).
    let need = args.kind.map_or(Need::Inputs, |kind| Need::InputsOf(kind, &[]));
    let loaded = load(a, need)?;
    let mut settings = settings(a);
    settings.bursts = Params { s: args.s, gamma: args.gamma, min_papers: args.min_papers };
    let parts = Parts { bursts: true, ..Parts::default() };
    let results = compute_parts(inputs(&loaded.tables, settings.origins)?, &settings, parts);
    let mut chosen: Vec<(&str, &Series, &Burst)> = Vec::new();
    for kind in kinds(args.kind) {
        let (name, series, bursts) = match kind {
            KindArg::Keywords => ("keyword", &results.keywords, &results.keyword_bursts),
            KindArg::Themes => ("theme", &results.themes, &results.theme_bursts),
        };
        for note in series_notes(name, series, &range) {
            eprintln!("note: {note}");
        }
        let p = series.period;
        chosen.extend(
            bursts
                .iter()
                .filter(|b| range.overlaps(p.start(series.keys[b.begin]), p.end(series.keys[b.end])))
                .map(|b| (name, series, b)),
        );
    }
    chosen.sort_by(|x, y| y.2.strength.total_cmp(&x.2.strength));
    if a.top > 0 {
        chosen.truncate(a.top);
    }
    let df = bursts_rows_frame(&chosen).map_err(|e| Error::polars("bursts", e))?;
    let output = Output::new(a.csv, a.json);
    if output == Output::Text && df.height() == 0 {
        eprintln!("no bursts in the range (try a smaller --gamma or --s, or a shorter --period)");
    }
    emit(&df, output)?;
    Ok(Outcome::Clean)
}
