//! `digestlens check PATH... [--json]`: parse without writing; one line per file, then each
//! diagnostic as `path:line: severity code: message`.

use serde::Serialize;

use super::{Outcome, Tally, options, stdout};
use crate::cli::CheckArgs;
use crate::ingest::{BATCH_BYTES, BATCH_FILES, FileOutcome, process_batches, walk};
use crate::model::{Diagnostic, Digest};

#[derive(Serialize)]
struct FileReport<'a> {
    path: &'a str,
    format: Option<String>,
    date: Option<String>,
    date_source: Option<&'static str>,
    date_precision: Option<&'static str>,
    entries: usize,
    themes: usize,
    diagnostics: &'a [Diagnostic],
}

/// One report per digest of a file (a file of several digests gives several), or one for a
/// skipped file.
fn reports(o: &FileOutcome) -> Vec<FileReport<'_>> {
    let report = |digest: Option<&Digest>| {
        let date = digest.and_then(|d| d.date);
        FileReport {
            path: &o.file.path,
            format: digest.map(|d| d.format.clone()),
            date: date.map(|d| d.date.to_string()),
            date_source: date.map(|d| d.source.as_str()),
            date_precision: date.map(|d| d.precision.as_str()),
            entries: digest.map_or(0, |d| d.entries.len()),
            themes: digest.map_or(0, |d| d.themes.len()),
            diagnostics: &o.diagnostics,
        }
    };
    if o.digests.is_empty() {
        return vec![report(None)];
    }
    o.digests.iter().map(|(_, d)| report(Some(d))).collect()
}

fn lines(o: &FileOutcome) -> Vec<String> {
    if o.digests.is_empty() {
        return vec![format!("{}: skipped, {} diagnostics", o.file.path, o.diagnostics.len())];
    }
    o.digests
        .iter()
        .map(|(_, digest)| {
            let date = digest.date.map_or_else(|| "no date".to_owned(), |d| d.to_string());
            format!(
                "{}: {}, {date}, {} entries, {} themes, {} diagnostics",
                o.file.path,
                digest.format,
                digest.entries.len(),
                digest.themes.len(),
                o.diagnostics.len()
            )
        })
        .collect()
}

/// Files are read in batches (`ingest::process_batches`) and each batch's lines (or JSON reports)
/// are written while the next batch is read, so memory holds two batches, not the archive. The
/// JSON array is written as it goes, one element at a time; the text report lists the
/// diagnostics after the files, so those are kept (as counts only for `--json`, whose reports
/// carry their own).
pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let (files, walk_diags) = walk(&args.paths);
    let mut tally = Tally::default();
    let mut kept: Vec<Diagnostic> = Vec::new();
    let mut keep = |diags: Vec<Diagnostic>, tally: &mut Tally| {
        diags.iter().for_each(|d| tally.add(d.severity));
        if !args.json {
            kept.extend(diags);
        }
    };
    keep(walk_diags, &mut tally);
    let (mut parsed, mut entries, mut reported) = (0usize, 0usize, 0usize);
    let options = options(&args.parse, true)?;
    process_batches(&files, &options, BATCH_FILES, BATCH_BYTES, |outcomes| -> anyhow::Result<()> {
        let mut out = String::new();
        for o in &outcomes {
            if args.json {
                for report in reports(o) {
                    out.push_str(if reported == 0 { "[\n" } else { ",\n" });
                    for line in serde_json::to_string_pretty(&report)?.lines() {
                        out.push_str("  ");
                        out.push_str(line);
                        out.push('\n');
                    }
                    out.pop();
                    reported += 1;
                }
            } else {
                for line in lines(o) {
                    out.push_str(&line);
                    out.push('\n');
                }
            }
            parsed += o.digests.len();
            entries += o.digests.iter().map(|(_, d)| d.entries.len()).sum::<usize>();
        }
        stdout(out.as_bytes())?;
        for o in outcomes {
            keep(o.diagnostics, &mut tally);
        }
        Ok(())
    })?;
    if args.json {
        stdout(if reported == 0 { b"[]\n" } else { b"\n]\n" })?;
    } else {
        for chunk in kept.chunks(4096) {
            let text: String = chunk.iter().map(|d| format!("{d}\n")).collect();
            stdout(text.as_bytes())?;
        }
    }
    eprintln!(
        "checked {} files: {parsed} digests, {entries} entries; {} errors, {} warnings, {} info",
        files.len(),
        tally.errors,
        tally.warnings,
        tally.info
    );
    Ok(Outcome::from_warnings(tally.errors + tally.warnings > 0 || (files.is_empty() && !args.paths.is_empty())))
}
