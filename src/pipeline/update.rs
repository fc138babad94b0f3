//! Incremental ingest into the store. Unchanged files (same size and modification time) are not
//! read; changed files replace their own rows; the same content under several paths counts once;
//! `prune` drops the rows of files that no longer exist. Nothing is written when nothing changed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use tracing::info_span;

use super::derive;
use super::parsed::{Kept, NewFrames, frame_slice, merge};
use crate::error::{Error, Result};
use crate::ingest::{
    BATCH_BYTES, BATCH_FILES, FileOutcome, FoundFile, Options, group, process_all, process_batches, walk,
};
use crate::model::{Diagnostic, Format, Severity};
use crate::normalize::Vocabulary;
use crate::store::lock::Wait;
use crate::store::schema::{self, DIGEST_ID, SOURCE_FILE};
use crate::store::{Manifest, ManifestEntry, PARSED_COLUMNS, Staging, Store, Tables};

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files_seen: usize,
    pub files_read: usize,
    pub files_unchanged: usize,
    pub files_pruned: usize,
    pub digests: usize,
    pub entries: usize,
    /// The errors and warnings of this run (walking, and every file read), in order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many notes (`Severity::Info`) this run gave besides: they are in the `diagnostics`
    /// table, not kept here (the 2 GB real archive gives 235,000, 80 MB held to the end).
    pub info: usize,
    /// The generation written, or `None` when nothing changed.
    pub generation: Option<PathBuf>,
}

impl Report {
    /// Keeps the errors and warnings of `diags` and counts the rest.
    fn keep(&mut self, diags: Vec<Diagnostic>) {
        self.info += super::keep_warnings(diags, &mut self.diagnostics);
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity >= Severity::Warning)
    }
}

/// Ingests the inputs into the store, holding its writer lock (waiting for it or not, as `wait`
/// says) from before the store is read until the new generation is live. `vocab` replaces the store's vocabulary; without it the
/// user files the store remembers (if any) are used again.
///
/// A changed file is read again with every file that shares a digest with it and the files near
/// it that may form one with it (see `plan_rereads`), so that the digests they form are formed
/// again.
pub fn ingest(
    inputs: &[PathBuf],
    store: &Store,
    options: &Options,
    prune: bool,
    vocab: Option<&Vocabulary>,
    wait: Wait,
) -> Result<Report> {
    let _ingest = info_span!("ingest").entered();
    let span = info_span!("lock").entered();
    let writer = store.lock_writer(wait)?;
    drop(span);
    // The inputs are walked while the stored manifest is read and parsed (for the 130,000 files
    // of a 2 GB archive the walk takes 0.4 s and the manifest 0.15 s).
    let span = info_span!("walk and manifest").entered();
    let (walked, old_manifest) = std::thread::scope(|scope| {
        let walking = scope.spawn(|| walk(inputs));
        let manifest = store.manifest();
        (walking.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), manifest)
    });
    let old_manifest = old_manifest?;
    let (found, walk_diags) = walked;
    let remembered;
    let vocab = match vocab {
        Some(v) => v,
        None => {
            remembered = Vocabulary::with_user(old_manifest.synonyms.clone(), old_manifest.taxonomy.clone())?;
            &remembered
        }
    };
    // New rows are set aside in the staging folder as they are read.
    let mut staging = store.stage(&writer)?;
    drop(span);
    let span = info_span!("read and parse").entered();
    // A file whose rows were written with older columns (`PARSED_COLUMNS`) is read again.
    // Keyed by the paths' bytes (absolute paths are canonical): hashing a `Path` parses its
    // components, which was most of a re-ingest of 65,000 unchanged files.
    let known: foldhash::HashMap<&OsStr, &ManifestEntry> =
        old_manifest.files.iter().filter(|e| e.columns == PARSED_COLUMNS).map(|e| (e.abs.as_os_str(), e)).collect();
    let pruned: foldhash::HashSet<&OsStr> = if prune {
        // A file the walk found exists; only the others are looked up.
        let walked: foldhash::HashSet<&OsStr> = found.iter().map(|f| f.abs.as_os_str()).collect();
        old_manifest
            .files
            .iter()
            .filter(|e| !walked.contains(e.abs.as_os_str()) && !e.abs.exists())
            .map(|e| e.abs.as_os_str())
            .collect()
    } else {
        foldhash::HashSet::default()
    };
    // The files found are moved, not copied: each file's paths are held once (by its outcome
    // once read), as the 130,000 files of the 2 GB real archive take 60 MB a copy.
    let files_seen = found.len();
    let (unchanged, changed_files): (Vec<FoundFile>, Vec<FoundFile>) = found
        .into_iter()
        .partition(|f| known.get(f.abs.as_os_str()).is_some_and(|e| e.size == f.size && e.mtime_ns == f.mtime_ns));
    let (unchanged, changed) = (unchanged.len(), changed_files.len());
    drop(known);
    // Into a store with no files, files stream: each batch's digests become columns (and sorted
    // runs on disk) while the next batch is read (only pages that may join others wait for the
    // end). Otherwise the changed files are read whole, as which stored files to read again
    // depends on them.
    let fresh = old_manifest.files.is_empty();
    let mut new = NewFrames::new(frame_slice(), &staging, changed_files.iter().map(|f| f.size).sum());
    let mut streamed = Streamed::new(&staging);
    let (mut outcomes, reread, dropped) = if fresh {
        let mixed = group::mixed_folders(changed_files.iter().map(|f| f.path.as_str()));
        process_batches(&changed_files, options, BATCH_FILES, BATCH_BYTES, |batch| {
            streamed.take(batch, &mixed, &mut new)
        })?;
        (std::mem::take(&mut streamed.outcomes), Vec::new(), HashSet::new())
    } else {
        let mut outcomes = process_all(&changed_files, options);
        let (reread, dropped) = plan_rereads(&old_manifest, &outcomes, &pruned);
        outcomes.extend(process_all(&reread, options));
        (outcomes, reread, dropped)
    };
    let mut to_read = changed_files;
    to_read.extend(reread);
    drop(span);
    super::after_parse();

    let mut report = Report {
        files_seen,
        files_read: to_read.len(),
        files_unchanged: unchanged.saturating_sub(to_read.len() - changed),
        files_pruned: pruned.len(),
        ..Report::default()
    };
    // What the stored manifest keeps and drops; the files read are then known by their outcomes.
    // Keyed by the paths' bytes, as `known` above.
    let read_abs: foldhash::HashSet<&OsStr> =
        to_read.iter().map(|f| f.abs.as_os_str()).chain(pruned.iter().copied()).collect();
    let (dropped_files, kept_files): (Vec<&ManifestEntry>, Vec<&ManifestEntry>) =
        old_manifest.files.iter().partition(|e| !read_abs.is_empty() && read_abs.contains(e.abs.as_os_str()));
    let dropped_paths: BTreeSet<String> = dropped_files.iter().map(|e| e.path.clone()).collect();
    drop((read_abs, dropped_files));
    let tables_unread = to_read.is_empty() && pruned.is_empty();
    drop(to_read);
    if tables_unread && store.current()?.is_some() && vocab_unchanged(&old_manifest, vocab) {
        staging.discard()?;
        store.tidy(&writer)?;
        report.digests = store.rows(schema::DIGESTS)?;
        report.entries = store.rows(schema::ENTRIES)?;
        report.keep(walk_diags);
        return Ok(report);
    }
    let span = info_span!("read stored tables").entered();
    // The derived tables are derived again from these; the stored entries are read a row group at
    // a time when merged (`parsed::merge`).
    let mut tables = store.parsed_tables(&[schema::ENTRIES], derive::reads)?;
    drop(span);
    let span = info_span!("plan").entered();
    let stored = stored_sources(&tables)?;
    let keep: BTreeSet<String> = stored.iter().map(|(id, _)| id.clone()).filter(|id| !dropped.contains(id)).collect();
    let kept_paths: HashMap<&str, &str> =
        stored.iter().filter(|(id, _)| keep.contains(id)).map(|(id, p)| (id.as_str(), p.as_str())).collect();
    let (mut new_diags, duplicates) = if fresh {
        let Streamed { held, firsts, .. } = streamed;
        let group_diags = held.records(|r| new.push(r))?;
        let Firsts { mut diags, duplicates, .. } = firsts;
        diags.extend(group_diags);
        (diags, duplicates)
    } else {
        let (pieces, mut diags, duplicates) = new_pieces(&mut outcomes, &kept_paths);
        let (records, group_diags) = group::group(pieces);
        diags.extend(group_diags);
        for r in records {
            new.push(r)?;
        }
        (diags, duplicates)
    };
    let mut manifest = Manifest {
        version: 1,
        files: kept_files.into_iter().cloned().collect(),
        synonyms: vocab.user_synonyms.clone(),
        taxonomy: vocab.user_taxonomy.clone(),
    };
    let mut digests_of = std::mem::take(&mut new.digests_of);
    for (path, id) in duplicates {
        digests_of.entry(path).or_default().push(id);
    }
    manifest.files.extend(outcomes.iter().filter(|o| !o.hash.is_empty()).map(|o| manifest_entry(o, &digests_of)));
    manifest.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.keep(walk_diags);
    // What was kept of each file (the files found, their outcomes, which were read, the stored
    // manifest: about 1 kB a file) is in the new manifest and the report now, and goes before the
    // merge and the derive, the peak of an ingest.
    drop((kept_paths, outcomes, pruned));
    drop((old_manifest, digests_of));
    staging.write_manifest(&manifest)?;
    drop(manifest);
    drop(span);
    let kept = Kept { keep: &keep, dropped: &dropped_paths };
    new.diagnose(&mut new_diags)?;
    drop(new_diags);
    let mut merged = merge(&mut tables, vocab, new, &kept, store, &mut staging)?;
    report.entries = merged.entries;
    report.info += merged.notes;
    report.diagnostics.append(&mut merged.warnings);
    report.digests = tables.get(schema::DIGESTS).map_or(0, DataFrame::height);
    let span = info_span!("commit").entered();
    staging.write_rest(&tables)?;
    report.generation = Some(store.publish(&writer, staging)?);
    drop(span);
    Ok(report)
}

fn vocab_unchanged(old: &Manifest, vocab: &Vocabulary) -> bool {
    old.synonyms == vocab.user_synonyms && old.taxonomy == vocab.user_taxonomy
}

/// Whether two files can form one digest (see `group`): a copy in another syntax, or pages read
/// by the generic reader (an index and its pages, a folder of one-paper pages).
/// `a` is a changed file's syntax family and format, `b` a stored file's path and format.
fn may_group(a: (&str, Option<Format>), b: (&str, Option<Format>)) -> bool {
    let loose = |f: Option<Format>| matches!(f, Some(Format::Generic | Format::Json));
    a.0 != group::family(b.0) || loose(a.1) || loose(b.1)
}

/// The stored files to read again with the changed ones (`changed`, already read), and the
/// stored digests their rows replace: the digests of changed and pruned files, every file of
/// those digests, and the files near a changed one (its folder, parent and child folders) that
/// may form a digest with it.
fn plan_rereads(
    old: &Manifest,
    changed: &[FileOutcome],
    pruned: &foldhash::HashSet<&OsStr>,
) -> (Vec<FoundFile>, HashSet<String>) {
    if changed.is_empty() && pruned.is_empty() {
        return (Vec::new(), HashSet::new());
    }
    // Paths are keyed by their bytes (absolute paths are canonical): hashing or ordering a `Path`
    // parses its components, and every stored file is looked up on every pass below.
    let known: foldhash::HashMap<&OsStr, &ManifestEntry> = old.files.iter().map(|e| (e.abs.as_os_str(), e)).collect();
    let changed_abs: foldhash::HashSet<&OsStr> = changed.iter().map(|o| o.file.abs.as_os_str()).collect();
    let mut dropped: HashSet<String> = changed
        .iter()
        .filter_map(|o| known.get(o.file.abs.as_os_str()))
        .flat_map(|e| e.digests.iter().cloned())
        .chain(old.files.iter().filter(|e| pruned.contains(e.abs.as_os_str())).flat_map(|e| e.digests.iter().cloned()))
        .collect();
    // What the changed files of each folder are (syntax family, read loosely or by a shape), by
    // their folder and by that folder's parent: a stored file is near a changed one when it is
    // in the same folder, a child folder or the parent folder.
    type Kinds = BTreeSet<(&'static str, Option<Format>)>;
    type ByDir<'a> = foldhash::HashMap<&'a OsStr, Kinds>;
    let (mut by_dir, mut by_parent): (ByDir, ByDir) = Default::default();
    for o in changed {
        let Some(dir) = o.file.abs.parent() else { continue };
        let kind = (group::family(&o.file.path), o.format);
        by_dir.entry(dir.as_os_str()).or_default().insert(kind);
        if let Some(parent) = dir.parent() {
            by_parent.entry(parent.as_os_str()).or_default().insert(kind);
        }
    }
    // Each stored file's folder, found once (the passes below look at every file).
    let dirs: Vec<Option<&Path>> = old.files.iter().map(|e| e.abs.parent()).collect();
    let near = |e: &ManifestEntry, dir: Option<&Path>| {
        let Some(dir) = dir else { return false };
        let kinds = [
            by_dir.get(dir.as_os_str()),
            dir.parent().and_then(|p| by_dir.get(p.as_os_str())),
            by_parent.get(dir.as_os_str()),
        ];
        kinds.into_iter().flatten().flatten().any(|(family, format)| may_group((family, *format), (&e.path, e.format)))
    };
    let mut reread: BTreeSet<&PathBuf> = BTreeSet::new();
    let mut taken = vec![false; old.files.len()];
    loop {
        let before = (reread.len(), dropped.len());
        for ((e, dir), taken) in old.files.iter().zip(&dirs).zip(&mut taken) {
            let candidate = !*taken && e.format.is_some();
            let candidate =
                candidate && !changed_abs.contains(e.abs.as_os_str()) && !pruned.contains(e.abs.as_os_str());
            if candidate && (e.digests.iter().any(|d| dropped.contains(d)) || near(e, *dir)) {
                *taken = true;
                reread.insert(&e.abs);
                dropped.extend(e.digests.iter().cloned());
            }
        }
        if (reread.len(), dropped.len()) == before {
            break;
        }
    }
    let files =
        reread.into_iter().filter_map(|abs| known.get(abs.as_os_str())).filter(|e| e.abs.exists()).map(|e| FoundFile {
            path: e.path.clone(),
            input: e.input.clone(),
            abs: e.abs.clone(),
            size: e.size,
            mtime_ns: e.mtime_ns,
        });
    (files.collect(), dropped)
}

fn manifest_entry(o: &FileOutcome, digests_of: &HashMap<String, Vec<String>>) -> ManifestEntry {
    ManifestEntry {
        path: o.file.path.clone(),
        input: o.file.input.clone(),
        abs: o.file.abs.clone(),
        size: o.file.size,
        mtime_ns: o.file.mtime_ns,
        hash: o.hash.clone(),
        format: o.format,
        digests: digests_of.get(o.file.path.as_str()).cloned().unwrap_or_default(),
        columns: PARSED_COLUMNS,
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

/// The digests newly read (each content once, from the first path in order), the diagnostics of
/// the files read with a note on each duplicate, and the duplicates as (path, digest it repeats).
/// Takes the parsed digests out of the outcomes (they are not needed twice).
fn new_pieces(
    outcomes: &mut [FileOutcome],
    kept: &HashMap<&str, &str>,
) -> (Vec<group::Piece>, Vec<Diagnostic>, Vec<(String, String)>) {
    let mut sorted: Vec<&mut FileOutcome> = outcomes.iter_mut().collect();
    sorted.sort_by(|a, b| a.file.path.cmp(&b.file.path));
    // The path each digest id is stored under: kept rows first, then new ones.
    let mut firsts =
        Firsts { seen: kept.iter().map(|(h, p)| ((*h).to_owned(), (*p).to_owned())).collect(), ..Firsts::default() };
    let mut pieces = Vec::new();
    for o in sorted {
        pieces.extend(firsts.pieces(o));
    }
    (pieces, firsts.diags, firsts.duplicates)
}

/// Which path each digest content was first read from, the diagnostics of the files read, and
/// the paths whose content repeats one read before.
#[derive(Debug, Default)]
struct Firsts {
    seen: HashMap<String, String>,
    diags: Vec<Diagnostic>,
    duplicates: Vec<(String, String)>,
}

impl Firsts {
    /// The digests of one file (taken out of its outcome) that no earlier path had, as pieces;
    /// its diagnostics, and a note for each repeated content.
    fn pieces(&mut self, o: &mut FileOutcome) -> Vec<group::Piece> {
        // Taken, not copied: the outcome is kept only for the manifest.
        self.diags.append(&mut o.diagnostics);
        let mut pieces = Vec::new();
        for (id, digest) in std::mem::take(&mut o.digests) {
            if let Some(first) = self.seen.get(id.as_str()) {
                if *first != o.file.path {
                    self.diags.push(Diagnostic {
                        source_file: o.file.path.clone(),
                        line: 0,
                        severity: Severity::Info,
                        code: "duplicate-content",
                        message: format!("same content as {first}; counted once"),
                    });
                    self.duplicates.push((o.file.path.clone(), id));
                }
                continue;
            }
            self.seen.insert(id.clone(), o.file.path.clone());
            let bytes = digest.part_bytes.unwrap_or(o.file.size);
            pieces.push(group::Piece { id, path: o.file.path.clone(), input: o.file.input.clone(), bytes, digest });
        }
        pieces
    }
}

/// What a streamed read keeps: every file's outcome without its digests (for the manifest), the
/// pieces that may join others (set aside on disk, grouped at the end), and the first paths of
/// each content.
#[derive(Debug)]
struct Streamed {
    outcomes: Vec<FileOutcome>,
    held: group::Held,
    firsts: Firsts,
}

impl Streamed {
    fn new(staging: &Staging) -> Streamed {
        let held = group::Held::new(staging.spill_dir().join("pieces.msgpack"));
        Streamed { outcomes: Vec::new(), held, firsts: Firsts::default() }
    }

    /// Takes one batch of outcomes, in path order: digests that join no other become columns now.
    fn take(&mut self, batch: Vec<FileOutcome>, mixed: &HashSet<String>, new: &mut NewFrames) -> Result<()> {
        for mut o in batch {
            for piece in self.firsts.pieces(&mut o) {
                if group::may_join(&piece, mixed) {
                    self.held.push(&piece, mixed)?;
                } else {
                    new.push(group::alone(piece))?;
                }
            }
            self.outcomes.push(o);
        }
        // The batch's diagnostics go with its rows: the notes of a large archive are set aside.
        new.diagnose(&mut self.firsts.diags)
    }
}
