//! `digestlens chart KIND --out FILE`: one chart of the stored analysis, as SVG or PNG.

use crate::analysis::inputs;
use crate::analysis::tables::{Results, compute};
use crate::chart::{self, Scope};
use crate::cli::{ChartArgs, ViewArgs};
use crate::commands::Outcome;
use crate::commands::analysis::{Need, Range, load, settings};
use crate::error::Error;
use crate::store::Tables;
use crate::store::schema::KEYWORDS;

/// The analysis results and the chart scope that the view arguments ask for, with the tables
/// they were computed from but the keyword rows, read as `need` says (the store is read once).
pub fn results(view: &ViewArgs, need: Need) -> anyhow::Result<(Results, Scope, Tables)> {
    let args = view.analysis();
    let range = Range::new(&args)?;
    let loaded = load(&args, need)?;
    let settings = settings(&args);
    let span = tracing::info_span!("analysis inputs").entered();
    let inputs = inputs(&loaded.tables, settings.origins)?;
    // The keyword rows are the analysis' alone (the reports read the other tables): freed before
    // the analysis runs and the weeks are written.
    let mut tables = loaded.tables;
    tables.remove(KEYWORDS);
    drop(span);
    let span = tracing::info_span!("series, trends, bursts, topics, clusters").entered();
    let mut results = compute(inputs, &settings);
    drop(span);
    if range.since.is_some() || range.until.is_some() {
        // The thematic map of the papers of the range only.
        let within = results.inputs.keywords.within(|d| range.overlaps(d, d));
        results.clusters = crate::analysis::coword::clusters(&within, &settings.coword);
    }
    Ok((results, Scope { since: range.since, until: range.until, top: args.top }, tables))
}

pub fn run(args: &ChartArgs) -> anyhow::Result<Outcome> {
    let v = &args.view;
    if args.kind == chart::Kind::Map && (v.top.is_some() || v.period.is_some()) {
        return Err(Error::Usage(
            "chart map draws every keyword cluster of the range, with no periods: --top and --period do not apply to it"
                .to_owned(),
        )
        .into());
    }
    if args.kind == chart::Kind::Themes && v.origin.is_some() {
        return Err(Error::Usage(
            "--origin selects keywords; chart themes draws themes, which come from papers whatever the keywords' origin"
                .to_owned(),
        )
        .into());
    }
    let (results, scope, _) = results(&args.view, Need::Inputs)?;
    chart::write(args.kind, &results, &scope, &args.out)?;
    eprintln!("wrote {}", args.out.display());
    Ok(Outcome::Clean)
}
