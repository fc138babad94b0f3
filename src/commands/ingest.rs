//! `digestlens ingest PATH... [--store DIR] [--prune]`: parse into the store, incrementally.

use anyhow::Context;

use super::analysis::vocabulary;
use super::{Outcome, options};
use crate::cli::IngestArgs;
use crate::model::Severity;
use crate::pipeline::update;
use crate::store::Store;
use crate::store::lock::Wait;

pub fn run(args: &IngestArgs) -> anyhow::Result<Outcome> {
    let store = Store::new(args.store.dir());
    let files = super::config::vocab(&args.vocab);
    let given = files.synonyms.is_some() || files.taxonomy.is_some();
    let vocab = if given { Some(vocabulary(&files)?) } else { None };
    let wait = if args.no_wait { Wait::NoWait } else { Wait::Block };
    let report = update::ingest(&args.paths, &store, &options(&args.parse, true)?, args.prune, vocab.as_ref(), wait)
        .with_context(|| format!("ingest into {} failed; the previous store is unchanged", store.dir().display()))?;
    let mut tally = super::Tally { info: report.info, ..super::Tally::default() };
    for d in &report.diagnostics {
        tally.add(d.severity);
        if !args.quiet && d.severity >= Severity::Warning {
            eprintln!("{d}");
        }
    }
    let written = match &report.generation {
        Some(g) => format!("-> {}", g.display()),
        None => "nothing changed".to_owned(),
    };
    eprintln!(
        "{} files ({} read, {} unchanged, {} pruned): {} digests, {} entries in the store; {} diagnostics ({} errors, {} warnings, {} info); {written}",
        report.files_seen,
        report.files_read,
        report.files_unchanged,
        report.files_pruned,
        report.digests,
        report.entries,
        tally.errors + tally.warnings + tally.info,
        tally.errors,
        tally.warnings,
        tally.info
    );
    Ok(Outcome::from_warnings(report.has_warnings()))
}
