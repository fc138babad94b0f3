//! `digestlens quality [--store DIR] [--csv|--json]`: what was understood of each source. Per
//! `input` and `format`: files, digests, entries and the share of entries with each field, graded
//! as bibliometrix grades missing data; then the files that yielded nothing, with why.

use std::collections::BTreeMap;

use super::output::{Output, aligned, emit};
use super::{Outcome, stdout};
use crate::analysis::quality::{self, INPUT_COLUMNS, Row};
use crate::cli::QualityArgs;
use crate::error::Error;
use crate::store::Store;
use crate::store::columns::strings;
use crate::store::schema::{CODE, DIAGNOSTICS, MESSAGE, SEVERITY, SOURCE_FILE};

/// Files of the manifest that were skipped, by input, with the first warning or error about them.
fn skipped(store: &Store, tables: &crate::store::Tables) -> anyhow::Result<BTreeMap<String, Vec<(String, String)>>> {
    let mut why: BTreeMap<String, String> = BTreeMap::new();
    if let Some(df) = tables.get(DIAGNOSTICS).filter(|d| d.height() > 0) {
        let e = |err| Error::polars(DIAGNOSTICS, err);
        let (files, severity, codes, messages) = (
            strings(df, SOURCE_FILE).map_err(e)?,
            strings(df, SEVERITY).map_err(e)?,
            strings(df, CODE).map_err(e)?,
            strings(df, MESSAGE).map_err(e)?,
        );
        for i in 0..df.height() {
            if severity[i].as_deref() == Some("info") {
                continue;
            }
            let (Some(file), Some(code), Some(message)) = (&files[i], &codes[i], &messages[i]) else { continue };
            // The reason a file was skipped wins over other problems found in it.
            let skip = matches!(code.as_str(), "unknown-format" | "binary-skipped" | "unreadable");
            let reason = format!("{code}: {message}");
            if skip {
                why.insert(file.clone(), reason);
            } else {
                why.entry(file.clone()).or_insert(reason);
            }
        }
    }
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for f in store.manifest()?.files.into_iter().filter(|f| f.format.is_none()) {
        let reason = why.get(&f.path).cloned().unwrap_or_else(|| "skipped".to_owned());
        out.entry(f.input.clone()).or_default().push((f.path, reason));
    }
    Ok(out)
}

pub fn run(args: &QualityArgs) -> anyhow::Result<Outcome> {
    let store = Store::new(args.store.dir());
    let mut wanted: Vec<(&str, Option<&[&str]>)> = INPUT_COLUMNS.to_vec();
    wanted.push((DIAGNOSTICS, None));
    let tables = store.read(&wanted)?;
    let mut rows = quality::rows(&tables)?;
    let skipped = skipped(&store, &tables)?;
    for (input, files) in &skipped {
        let mut row = Row { input: input.clone(), format: "(skipped)".to_owned(), ..Row::default() };
        row.files.extend(files.iter().map(|(p, _)| p.clone()));
        rows.push(row);
    }
    rows.sort_by(|a, b| (&a.input, &a.format).cmp(&(&b.input, &b.format)));
    let df = quality::table(&rows).map_err(|e| Error::polars("quality", e))?;
    let output = Output::new(args.csv, args.json);
    if output != Output::Text {
        emit(&df, output)?;
        return Ok(Outcome::Clean);
    }
    let mut text = aligned(&df.drop_many(quality::FIELDS.iter().map(|f| format!("{f}_grade")).collect::<Vec<_>>()));
    text.push_str("\nshares of entries with each field; missing data graded as bibliometrix does:\n");
    for row in rows.iter().filter(|r| r.entries > 0) {
        let grades: Vec<String> = quality::FIELDS
            .iter()
            .enumerate()
            .map(|(k, f)| format!("{f} {}", quality::grade(1.0 - quality::share(row, k))))
            .collect();
        text.push_str(&format!("  {} [{}]: {}\n", row.input, row.format, grades.join(", ")));
    }
    if !skipped.is_empty() {
        text.push_str("\nfiles that yielded nothing:\n");
        for (path, why) in skipped.values().flatten() {
            text.push_str(&format!("  {path}: {why}\n"));
        }
    }
    stdout(text.as_bytes())?;
    Ok(Outcome::Clean)
}
