//! `digestlens check PATH... [--json]`: parse without writing; one line per file, then each
//! diagnostic as `path:line: severity code: message`.

use serde::Serialize;

use super::{Outcome, options, stdout};
use crate::cli::CheckArgs;
use crate::ingest::{FileOutcome, process_all, walk};
use crate::model::{Diagnostic, Severity};

#[derive(Serialize)]
struct FileReport<'a> {
    path: &'a str,
    format: Option<&'static str>,
    date: Option<String>,
    date_source: Option<&'static str>,
    date_precision: Option<&'static str>,
    entries: usize,
    themes: usize,
    diagnostics: &'a [Diagnostic],
}

fn report(o: &FileOutcome) -> FileReport<'_> {
    let date = o.digest.as_ref().and_then(|d| d.date);
    FileReport {
        path: &o.file.path,
        format: o.format.map(|f| f.as_str()),
        date: date.map(|d| d.date.to_string()),
        date_source: date.map(|d| d.source.as_str()),
        date_precision: date.map(|d| d.precision.as_str()),
        entries: o.digest.as_ref().map_or(0, |d| d.entries.len()),
        themes: o.digest.as_ref().map_or(0, |d| d.themes.len()),
        diagnostics: &o.diagnostics,
    }
}

fn line(o: &FileOutcome) -> String {
    let Some(digest) = &o.digest else {
        return format!("{}: skipped, {} diagnostics", o.file.path, o.diagnostics.len());
    };
    let date = digest.date.map_or_else(|| "no date".to_owned(), |d| d.to_string());
    let format = o.format.map_or("?", |f| f.as_str());
    format!(
        "{}: {format}, {date}, {} entries, {} themes, {} diagnostics",
        o.file.path,
        digest.entries.len(),
        digest.themes.len(),
        o.diagnostics.len()
    )
}

pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let (files, walk_diags) = walk(&args.paths);
    let outcomes = process_all(&files, &options(&args.parse, true));
    let all: Vec<&Diagnostic> = walk_diags.iter().chain(outcomes.iter().flat_map(|o| &o.diagnostics)).collect();
    let mut out = String::new();
    if args.json {
        let reports: Vec<FileReport<'_>> = outcomes.iter().map(report).collect();
        out = serde_json::to_string_pretty(&reports)?;
        out.push('\n');
    } else {
        for o in &outcomes {
            out.push_str(&line(o));
            out.push('\n');
        }
        for d in &all {
            out.push_str(&d.to_string());
            out.push('\n');
        }
    }
    stdout(out.as_bytes())?;
    let count = |s: Severity| all.iter().filter(|d| d.severity == s).count();
    let entries: usize = outcomes.iter().filter_map(|o| o.digest.as_ref()).map(|d| d.entries.len()).sum();
    let parsed = outcomes.iter().filter(|o| o.digest.is_some()).count();
    eprintln!(
        "checked {} files: {parsed} digests, {entries} entries; {} errors, {} warnings, {} info",
        files.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    Ok(Outcome::from_warnings(
        all.iter().any(|d| d.severity >= Severity::Warning) || (files.is_empty() && !args.paths.is_empty()),
    ))
}
