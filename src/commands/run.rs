//! `digestlens run [PATH...]`: the main job. Ingests (default `data/sample`), computes trends,
//! draws every chart, writes every weekly report and the index, and says where everything went.

use super::analysis::Need;
use super::chart::results;
use super::{Outcome, ingest};
use crate::cli::{IngestArgs, ParseArgs, RunArgs, StoreArg, VocabArgs};
use crate::report::{self, Stored, Weeks};

pub fn run(args: &RunArgs) -> anyhow::Result<Outcome> {
    let started = std::time::Instant::now();
    let view = &args.view;
    let ingested = ingest::run(&IngestArgs {
        paths: args.paths.clone(),
        store: StoreArg { store: view.store.store.clone() },
        prune: args.prune,
        parse: ParseArgs { format: None, year: None, profile: Vec::new() },
        quiet: args.quiet,
        no_wait: args.no_wait,
        vocab: VocabArgs { synonyms: view.vocab.synonyms.clone(), taxonomy: view.vocab.taxonomy.clone() },
    })?;
    let (results, _, tables) = results(&view.view(), Need::Report)?;
    let charts_dir = args.reports.join("charts");
    let charts = report::write_charts(&results, &charts_dir)?;
    let mut stored = Stored::read(&tables)?;
    stored.watched = super::watch::for_reports(&view.store, &view.vocab)?;
    let files = report::write(&results, &stored, &args.reports, &Weeks::All)?;
    let weeks = results.keywords.keys.len();
    eprintln!("store:   {}", view.store.dir().display());
    eprintln!("charts:  {} ({} files: SVG and PNG of each kind)", charts_dir.display(), charts.len());
    eprintln!(
        "reports: {} ({weeks} weeks, Markdown and HTML, {} files; {} weeks rendered, {} unchanged)",
        args.reports.display(),
        files.files.len(),
        files.rendered,
        files.current
    );
    eprintln!("open:    {}", args.reports.join("index.html").display());
    eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(ingested)
}
