//! `digestlens report [--week W | --latest | --all] [--out reports/]`: weekly trend reports.

use std::path::Path;

use super::Outcome;
use super::chart::results;
use crate::cli::{ReportArgs, ReportView};
use crate::report::{self, Stored, Weeks};

/// Writes the chosen weeks' reports and the index; returns how many files were written.
pub fn write(view: &ReportView, out: &Path, weeks: &Weeks) -> anyhow::Result<usize> {
    let (results, _, tables) = results(&view.view())?;
    let mut stored = Stored::read(&tables)?;
    stored.watched = super::watch::for_reports(&view.store, &view.vocab)?;
    let files = report::write(&results, &stored, out, weeks)?;
    Ok(files.len())
}

pub fn run(args: &ReportArgs) -> anyhow::Result<Outcome> {
    let weeks = match (&args.week, args.all) {
        (Some(w), _) => Weeks::One(w.clone()),
        (None, true) => Weeks::All,
        (None, false) => Weeks::Latest,
    };
    let n = write(&args.view, &args.out, &weeks)?;
    eprintln!("wrote {n} files to {} (open {})", args.out.display(), args.out.join("index.html").display());
    Ok(Outcome::Clean)
}
