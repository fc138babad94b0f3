//! Incremental ingest into the store. Unchanged files (same size and modification time) are not
//! read; changed files replace their own rows; the same content under several paths counts once;
//! `prune` drops the rows of files that no longer exist. Nothing is written when nothing changed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use polars::prelude::*;

use super::{FileOutcome, FoundFile, Options, process_all, walk};
use crate::bench::phase;
use crate::error::{Error, Result};
use crate::model::{Diagnostic, Severity};
use crate::normalize::Vocabulary;
use crate::store::derive::derive;
use crate::store::schema::{self, DIGEST_ID, SOURCE_FILE};
use crate::store::{DigestRecord, Manifest, ManifestEntry, Store, Tables, frames};

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files_seen: usize,
    pub files_read: usize,
    pub files_unchanged: usize,
    pub files_pruned: usize,
    pub digests: usize,
    pub entries: usize,
    /// The diagnostics of this run (walking, and every file read).
    pub diagnostics: Vec<Diagnostic>,
    /// The generation written, or `None` when nothing changed.
    pub generation: Option<PathBuf>,
}

impl Report {
    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity >= Severity::Warning)
    }
}

/// Ingests the inputs into the store. `vocab` replaces the store's vocabulary; without it the
/// user files the store remembers (if any) are used again.
pub fn ingest(
    inputs: &[PathBuf],
    store: &Store,
    options: &Options,
    prune: bool,
    vocab: Option<&Vocabulary>,
) -> Result<Report> {
    let t = Instant::now();
    let old_manifest = store.manifest()?;
    let remembered;
    let vocab = match vocab {
        Some(v) => v,
        None => {
            remembered = Vocabulary::with_user(old_manifest.synonyms.clone(), old_manifest.taxonomy.clone())?;
            &remembered
        }
    };
    let t = phase("manifest", t);
    let (found, mut walk_diags) = walk(inputs);
    let t = phase("walk", t);
    let known: HashMap<&PathBuf, &ManifestEntry> = old_manifest.files.iter().map(|e| (&e.abs, e)).collect();
    let (unchanged, to_read): (Vec<&FoundFile>, Vec<&FoundFile>) =
        found.iter().partition(|f| known.get(&f.abs).is_some_and(|e| e.size == f.size && e.mtime_ns == f.mtime_ns));
    let to_read: Vec<FoundFile> = to_read.into_iter().cloned().collect();
    let mut outcomes = process_all(&to_read, options);
    let t = phase("read and parse", t);

    let mut report = Report {
        files_seen: found.len(),
        files_read: to_read.len(),
        files_unchanged: unchanged.len(),
        ..Report::default()
    };
    let read_abs: BTreeSet<&PathBuf> = to_read.iter().map(|f| &f.abs).collect();
    let mut manifest = Manifest {
        version: 1,
        files: Vec::new(),
        synonyms: vocab.user_synonyms.clone(),
        taxonomy: vocab.user_taxonomy.clone(),
    };
    let mut dropped_paths: BTreeSet<String> = BTreeSet::new();
    for entry in &old_manifest.files {
        if read_abs.contains(&entry.abs) {
            dropped_paths.insert(entry.path.clone());
        } else if prune && !entry.abs.exists() {
            dropped_paths.insert(entry.path.clone());
            report.files_pruned += 1;
        } else {
            manifest.files.push(entry.clone());
        }
    }
    manifest.files.extend(outcomes.iter().filter(|o| !o.hash.is_empty()).map(manifest_entry));
    manifest.files.sort_by(|a, b| a.path.cmp(&b.path));

    // Nothing read, nothing pruned, the same files and vocabulary: the stored tables are what
    // they would become, so they are not even read.
    if to_read.is_empty() && manifest == old_manifest && store.current()?.is_some() {
        report.digests = store.rows(schema::DIGESTS)?;
        report.entries = store.rows(schema::ENTRIES)?;
        report.diagnostics = walk_diags;
        phase("unchanged", t);
        return Ok(report);
    }
    let mut tables = store.tables()?;
    let t = phase("read stored tables", t);
    let stored = stored_sources(&tables)?;
    let referenced: BTreeMap<&str, Vec<&ManifestEntry>> = manifest.files.iter().fold(BTreeMap::new(), |mut m, e| {
        m.entry(e.hash.as_str()).or_insert_with(Vec::new).push(e);
        m
    });
    // Digests whose rows stay: still referenced, and stored under a path that still has that content.
    let keep: BTreeSet<String> = stored
        .iter()
        .filter(|(hash, path)| referenced.get(hash.as_str()).is_some_and(|es| es.iter().any(|e| e.path == *path)))
        .map(|(hash, _)| hash.clone())
        .collect();
    // Content that needs parsing but was not read in this run (its stored path went away).
    let parsed: HashSet<&str> = outcomes.iter().map(|o| o.hash.as_str()).collect();
    let reread: Vec<FoundFile> = referenced
        .iter()
        .filter(|(hash, _)| !keep.contains(**hash) && !parsed.contains(**hash))
        .filter_map(|(_, es)| es.iter().find(|e| e.format.is_some()))
        .map(|e| FoundFile { path: e.path.clone(), abs: e.abs.clone(), size: e.size, mtime_ns: e.mtime_ns })
        .collect();
    dropped_paths.extend(reread.iter().map(|f| f.path.clone()));
    outcomes.extend(process_all(&reread, options));

    let kept_paths: HashMap<&str, &str> =
        stored.iter().filter(|(h, _)| keep.contains(h)).map(|(h, p)| (h.as_str(), p.as_str())).collect();
    let (records, new_diags) = new_rows(&mut outcomes, &kept_paths);
    report.diagnostics.append(&mut walk_diags);
    report.diagnostics.extend(outcomes.iter().flat_map(|o| o.diagnostics.iter().cloned()));
    report.diagnostics.extend(new_diags.iter().filter(|d| d.code == "duplicate-content").cloned());
    let changed =
        !records.is_empty() || !dropped_paths.is_empty() || manifest != old_manifest || stored.len() != keep.len();
    // Nothing to derive or write when nothing changed (the derived tables depend only on the
    // rows and the vocabulary, which is in the manifest).
    let write = changed || store.current()?.is_none();
    let t = phase("plan", t);
    if write {
        merge(&mut tables, vocab, records, &new_diags, &keep, &dropped_paths)?;
    }
    let t = phase("merge and derive", t);
    report.digests = tables.get(schema::DIGESTS).map_or(0, DataFrame::height);
    report.entries = tables.get(schema::ENTRIES).map_or(0, DataFrame::height);
    if write {
        report.generation = Some(store.commit(&tables, &manifest)?);
    }
    phase("commit", t);
    Ok(report)
}

fn manifest_entry(o: &FileOutcome) -> ManifestEntry {
    ManifestEntry {
        path: o.file.path.clone(),
        abs: o.file.abs.clone(),
        size: o.file.size,
        mtime_ns: o.file.mtime_ns,
        hash: o.hash.clone(),
        format: o.format,
    }
}

/// `(digest_id, source_file)` of every stored digest.
fn stored_sources(tables: &Tables) -> Result<Vec<(String, String)>> {
    let Some(df) = tables.get(schema::DIGESTS) else { return Ok(Vec::new()) };
    let col = |name: &str| -> Result<Vec<String>> {
        let c = df.column(name).map_err(|e| Error::polars(schema::DIGESTS, e))?;
        let ca = c.str().map_err(|e| Error::polars(schema::DIGESTS, e))?;
        Ok(ca.iter().map(|v| v.unwrap_or_default().to_owned()).collect())
    };
    Ok(col(DIGEST_ID)?.into_iter().zip(col(SOURCE_FILE)?).collect())
}

/// Records of newly parsed content (once per content hash, from the first path in order) and
/// the diagnostics of the files read, with a note on each duplicate.
/// Takes the parsed digests out of the outcomes (they are not needed twice).
fn new_rows(outcomes: &mut [FileOutcome], kept: &HashMap<&str, &str>) -> (Vec<DigestRecord>, Vec<Diagnostic>) {
    let mut sorted: Vec<&mut FileOutcome> = outcomes.iter_mut().collect();
    sorted.sort_by(|a, b| a.file.path.cmp(&b.file.path));
    // The path each content hash is stored under: kept rows first, then new ones.
    let mut seen: HashMap<String, String> = kept.iter().map(|(h, p)| ((*h).to_owned(), (*p).to_owned())).collect();
    let mut records = Vec::new();
    let mut diags = Vec::new();
    for o in sorted {
        diags.extend(o.diagnostics.iter().cloned());
        let (Some(format), Some(digest)) = (o.format, o.digest.take()) else { continue };
        if let Some(first) = seen.get(o.hash.as_str()) {
            if *first == o.file.path {
                continue;
            }
            diags.push(Diagnostic {
                source_file: o.file.path.clone(),
                line: 0,
                severity: Severity::Info,
                code: "duplicate-content",
                message: format!("same content as {first}; counted once"),
            });
            continue;
        }
        seen.insert(o.hash.clone(), o.file.path.clone());
        records.push(DigestRecord {
            digest_id: o.hash.clone(),
            source_file: o.file.path.clone(),
            format,
            bytes: o.file.size,
            digest,
        });
    }
    (records, diags)
}

/// Keeps the stored rows of `keep`, adds the new rows, and derives the other tables.
fn merge(
    tables: &mut Tables,
    vocab: &Vocabulary,
    records: Vec<DigestRecord>,
    diags: &[Diagnostic],
    keep: &BTreeSet<String>,
    dropped: &BTreeSet<String>,
) -> Result<()> {
    let t = Instant::now();
    let built = [
        (schema::DIGESTS, frames::digests(&records)),
        (schema::ENTRIES, frames::entries(&records)),
        (schema::THEMES, frames::themes(&records)),
        (schema::DIAGNOSTICS, frames::diagnostics(diags)),
    ];
    // The parsed digests are in the frames now; their memory is needed for deriving.
    drop(records);
    for (name, new) in built {
        let new = new.map_err(|e| Error::polars(name, e))?;
        let merged = match tables.remove(name) {
            Some(old) => {
                let kept = if name == schema::DIAGNOSTICS {
                    retain(&old, SOURCE_FILE, |v| !dropped.contains(v))
                } else {
                    retain(&old, DIGEST_ID, |v| keep.contains(v))
                };
                kept.and_then(|k| k.vstack(&new)).map_err(|e| Error::polars(name, e))?
            }
            None => new,
        };
        tables.insert(name.to_owned(), crate::store::sorted(name, merged)?);
    }
    phase("parsed rows to frames", t);
    derive(tables, vocab)
}

fn retain(df: &DataFrame, column: &str, keep: impl Fn(&str) -> bool) -> PolarsResult<DataFrame> {
    let mask: BooleanChunked = df.column(column)?.str()?.iter().map(|v| v.is_some_and(&keep)).collect();
    df.filter(&mask)
}
