//! `digestlens report [--week W | --latest | --all] [--out reports/]`: weekly trend reports.

use std::path::Path;

use super::Outcome;
use super::analysis::Need;
use super::chart::results;
use crate::cli::{ReportArgs, ReportView};
use crate::report::{self, Stored, Weeks};

/// Writes the chosen weeks' reports (those whose inputs changed) and the index.
pub fn write(view: &ReportView, out: &Path, weeks: &Weeks) -> anyhow::Result<report::Written> {
    let (results, _, tables) = results(&view.view(), Need::Report)?;
    let span = tracing::info_span!("stored rows").entered();
    let mut stored = Stored::read(&tables)?;
    drop(span);
    let span = tracing::info_span!("watchlist").entered();
    stored.watched = super::watch::for_reports(&view.store, &view.vocab)?;
    drop(span);
    let _span = tracing::info_span!("weeks written").entered();
    Ok(report::write(&results, &stored, out, weeks)?)
}

pub fn run(args: &ReportArgs) -> anyhow::Result<Outcome> {
    let weeks = match (&args.week, args.all) {
        (Some(w), _) => Weeks::One(w.clone()),
        (None, true) => Weeks::All,
        (None, false) => Weeks::Latest,
    };
    let w = write(&args.view, &args.out, &weeks)?;
    eprintln!(
        "{} files in {} ({} weeks rendered, {} unchanged); open {}",
        w.files.len(),
        args.out.display(),
        w.rendered,
        w.current,
        args.out.join("index.html").display()
    );
    Ok(Outcome::Clean)
}
