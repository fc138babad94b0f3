//! The parsed tables of an ingest (`digests`, `entries`, `themes`, `diagnostics`): new rows
//! built a slice of digests at a time, merged with the stored rows that are kept, and written
//! to the new generation. Whole rows of `digests` and `entries` are set aside, each slice as a
//! sorted run (`store::spill`): in memory when the files read fit `HELD_BYTES`, on disk
//! otherwise. The table is written by merging the runs with the stored rows a row group at a
//! time. Of the runs on disk, what stays in memory is what deriving reads: of `digests` those
//! columns (`derive::reads`), of `entries` those columns as `Entries` (each text once, each entry
//! a few numbers), put in the merged order once the merge is known.
//! So the long texts of a large archive are never all in memory, and a small one is never
//! written twice.

use std::collections::BTreeSet;

use polars::prelude::*;
use tracing::info_span;

use super::derive::{self, Abstracts};
use super::entries::Entries;
use crate::error::{Error, Result};
use crate::model::Diagnostic;
use crate::normalize::Vocabulary;
use crate::store::io::{self, ROW_GROUP_ROWS};
use crate::store::schema::{self, DIGEST_ID, SOURCE_FILE};
use crate::store::sort::{compare_rows, key_columns};
use crate::store::spill::{RunReader, Spill};
use crate::store::{DigestRecord, Segment, Staging, Store, Tables, env_size, frames, segment_rows, sorted};

/// A parsed table built from digests.
type Build = fn(&[DigestRecord]) -> PolarsResult<DataFrame>;

/// The parsed tables built from digests, in the order of `NewFrames::kept`; the first two are
/// set aside whole (they hold the long texts), each slice built in table order as a sorted run.
const BUILT: [(&str, Build); 3] = [
    (schema::DIGESTS, frames::digests_sorted),
    (schema::ENTRIES, frames::entries_sorted),
    (schema::THEMES, frames::themes),
];
const SPILLED: usize = 2;

/// Entries that make a slice whatever its number of digests (digests vary from one entry to
/// tens of thousands).
const SLICE_ENTRIES: usize = 32_768;

/// The fewest bytes of a file that make an entry, for the room reserved for the new entries
/// (`Entries::reserve_rows`): a row of a README table of titles and arXiv links is about 100.
/// Files with entries smaller still have their rows grow as they come.
const MIN_ENTRY_BYTES: u64 = 64;

/// Bytes of files whose digests make a slice whatever their number: 4,096 digests of the real
/// archive's site pages are 240 MB of text, and their slice (the records, their columns and the
/// sorted copy) took 650 MB at the peak of ingesting its 330 MB of Markdown, and a fifth of its
/// CPU time was the kernel's (memory taken and given back slice after slice).
const SLICE_BYTES: u64 = 32 << 20;

/// The new rows of the parsed tables, built a slice of digests at a time: each slice becomes
/// columns and is freed, so that the digests and their columns are never both in memory whole.
#[derive(Debug)]
pub struct NewFrames {
    slice: usize,
    pending: Vec<DigestRecord>,
    pending_entries: usize,
    pending_bytes: u64,
    /// Per table of `BUILT`, the columns deriving reads of each slice (of digests in the order of
    /// their run; entries are held as `entries`).
    kept: [Vec<DataFrame>; 3],
    /// The new entries as deriving reads them, slice after slice, and the rows of each slice.
    entries: Entries,
    entry_runs: Vec<usize>,
    /// Every column of the new digests and entries, a sorted run per slice.
    spills: [Spill; SPILLED],
    /// Bytes of runs held in memory, and how many may be (`held_bytes`): the runs of a small
    /// archive are never written to disk and read back.
    held: usize,
    budget: usize,
    /// The digests of each file (a grouped digest is in all its files).
    pub digests_of: std::collections::HashMap<String, Vec<String>>,
    /// The new rows of `diagnostics`: those not set aside yet, and every `DIAGNOSTICS_PER_DIGEST`
    /// × `slice` of them set aside as a run (a large archive's notes are 80 MB, which reading need
    /// not hold); of those set aside, the errors and warnings (for the caller) and how many notes
    /// there were.
    diags: Vec<Diagnostic>,
    diag_spill: Spill,
    warnings: Vec<Diagnostic>,
    notes: usize,
}

/// Diagnostics set aside at a time, per digest of a slice (see `NewFrames::diags`): 16,384 for
/// the slices of an ingest, 4 in the test of slices of one digest.
const DIAGNOSTICS_PER_DIGEST: usize = 4;

/// What `merge` did: the number of entries, and of the new diagnostics the errors and warnings
/// (in order) and how many notes besides (they are in the `diagnostics` table).
#[derive(Debug)]
pub struct Merged {
    pub entries: usize,
    pub warnings: Vec<Diagnostic>,
    pub notes: usize,
}

impl NewFrames {
    /// Turns every `slice` digests into columns; whole rows are set aside in `staging`.
    /// `input_bytes` is the size of the files to be read (see `held_bytes`).
    pub fn new(slice: usize, staging: &Staging, input_bytes: u64) -> NewFrames {
        let dir = staging.spill_dir();
        let mut entries = Entries::default();
        // A store numbers its entries with 4-byte numbers: no more rows are ever needed.
        let rows = (input_bytes / MIN_ENTRY_BYTES).min(u64::from(u32::MAX));
        entries.reserve_rows(usize::try_from(rows).unwrap_or(usize::MAX));
        NewFrames {
            slice,
            pending: Vec::new(),
            pending_entries: 0,
            pending_bytes: 0,
            kept: Default::default(),
            entries,
            entry_runs: Vec::new(),
            spills: [Spill::new(&dir, schema::DIGESTS), Spill::new(&dir, schema::ENTRIES)],
            held: 0,
            budget: held_bytes(input_bytes),
            digests_of: Default::default(),
            diags: Vec::new(),
            diag_spill: Spill::new(&dir, schema::DIAGNOSTICS),
            warnings: Vec::new(),
            notes: 0,
        }
    }

    /// Takes new diagnostics (all of `diags`, which is left empty), in order.
    pub fn diagnose(&mut self, diags: &mut Vec<Diagnostic>) -> Result<()> {
        self.diags.append(diags);
        if self.diags.len() >= self.slice.saturating_mul(DIAGNOSTICS_PER_DIGEST) { self.flush_diags() } else { Ok(()) }
    }

    /// Sets the diagnostics not set aside yet aside as a run; keeps their errors and warnings.
    fn flush_diags(&mut self) -> Result<()> {
        if self.diags.is_empty() {
            return Ok(());
        }
        let df = frames::diagnostics(&self.diags).map_err(|e| Error::polars(schema::DIAGNOSTICS, e))?;
        let size = df.estimated_size();
        let hold = self.held + size <= self.budget;
        if hold {
            self.held += size;
        }
        self.diag_spill.add(df, hold)?;
        self.notes += super::keep_warnings(std::mem::take(&mut self.diags), &mut self.warnings);
        Ok(())
    }

    pub fn push(&mut self, record: DigestRecord) -> Result<()> {
        for f in &record.files {
            self.digests_of.entry(f.clone()).or_default().push(record.digest_id.clone());
        }
        self.pending_entries += record.digest.entries.len();
        self.pending_bytes += record.bytes;
        self.pending.push(record);
        if slice_full(self.slice, (self.pending.len(), self.pending_entries, self.pending_bytes)) {
            self.flush()
        } else {
            Ok(())
        }
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        for (i, ((name, build), kept)) in BUILT.iter().zip(&mut self.kept).enumerate() {
            let df = build(&self.pending).map_err(|e| Error::polars(name, e))?;
            match self.spills.get_mut(i) {
                Some(spill) => {
                    if *name == schema::ENTRIES {
                        self.entries.append(&df).map_err(|e| Error::polars(name, e))?;
                        self.entry_runs.push(df.height());
                    } else {
                        kept.push(derive_columns(name, &df)?);
                    }
                    let size = df.estimated_size();
                    let hold = self.held + size <= self.budget;
                    if hold {
                        self.held += size;
                    }
                    spill.add(df, hold)?;
                }
                None => kept.push(df),
            }
        }
        self.pending.clear();
        self.pending_entries = 0;
        self.pending_bytes = 0;
        Ok(())
    }
}

/// Whether digests waiting to become columns (how many, their entries, their files' bytes) make a
/// slice of at most `slice` digests: whichever bound they reach first.
fn slice_full(slice: usize, (digests, entries, bytes): (usize, usize, u64)) -> bool {
    digests >= slice || entries >= SLICE_ENTRIES || bytes >= SLICE_BYTES
}

/// The columns of a parsed table that deriving reads.
fn derive_columns(name: &str, df: &DataFrame) -> Result<DataFrame> {
    let wanted: Vec<PlSmallStr> =
        df.get_column_names().into_iter().filter(|c| derive::reads(name, c.as_str())).cloned().collect();
    df.select(wanted).map_err(|e| Error::polars(name, e))
}

/// Digests turned into columns at a time when ingest builds its frames (fewer when they reach
/// `SLICE_ENTRIES` entries); the environment variable `SLICE_ENV` sets another (a test runs with
/// slices of one digest and compares the tables).
const FRAME_SLICE: usize = 4096;
pub const SLICE_ENV: &str = "DIGESTLENS_FRAME_SLICE";

pub fn frame_slice() -> usize {
    env_size(SLICE_ENV, 1, FRAME_SLICE)
}

/// Bytes of new rows (whole rows of digests and entries, as `DataFrame::estimated_size` counts
/// them) held in memory before runs go to disk, when the files to read are no larger; the
/// environment variable `HELD_ENV` sets another (a test sets 0 and compares the tables).
const HELD_BYTES: usize = 256 << 20;
pub const HELD_ENV: &str = "DIGESTLENS_HELD_BYTES";

/// The budget of new rows held in memory for `input_bytes` of files to read. Runs are held so
/// that a small archive's rows are never written to disk and read back; the rows of a larger one
/// go to disk anyway, and holding its first runs would only add the budget to the peak memory
/// of the ingest (measured on the 1.1 GB bench corpus: 930 -> 720 MB after parsing, the same
/// CPU time).
fn held_bytes(input_bytes: u64) -> usize {
    let fits = usize::try_from(input_bytes).is_ok_and(|b| b <= HELD_BYTES);
    env_size(HELD_ENV, 0, if fits { HELD_BYTES } else { 0 })
}

/// Which stored rows an ingest keeps: the digests of `keep`, and the diagnostics of files not in
/// `dropped` (read again or pruned).
#[derive(Debug)]
pub struct Kept<'a> {
    pub keep: &'a BTreeSet<String>,
    pub dropped: &'a BTreeSet<String>,
}

/// Merges the new rows into the kept stored rows (`tables` holds the stored parsed tables but
/// `entries`, with the columns deriving reads; the stored entries are read by `merge_entries`),
/// writes `digests`, `entries` and `diagnostics` to `staging`, and
/// derives the other tables, reading the abstracts back from the written entries.
pub fn merge(
    tables: &mut Tables,
    vocab: &Vocabulary,
    mut new: NewFrames,
    kept: &Kept,
    store: &Store,
    staging: &mut Staging,
) -> Result<Merged> {
    let _merge = info_span!("merge and derive").entered();
    new.flush()?;
    new.flush_diags()?;
    let NewFrames {
        kept: [digest_runs, _, theme_runs],
        spills: [digest_spill, entry_spill],
        mut entries,
        entry_runs,
        diag_spill,
        warnings,
        notes,
        ..
    } = new;
    // Written first and not held: nothing derived reads it.
    let mut rows = frames::diagnostics(&[]).map_err(|e| Error::polars(schema::DIAGNOSTICS, e))?;
    for mut run in diag_spill.into_readers()? {
        rows.vstack_mut_owned(run.take(usize::MAX)?).map_err(|e| Error::polars(schema::DIAGNOSTICS, e))?;
    }
    let old = tables.remove(schema::DIAGNOSTICS).map(|old| retain(&old, SOURCE_FILE, |v| !kept.dropped.contains(v)));
    let diagnostics = sorted(schema::DIAGNOSTICS, with_old(schema::DIAGNOSTICS, old, rows)?)?;
    staging.write(&[(schema::DIAGNOSTICS, &diagnostics)])?;
    drop(diagnostics);
    let span = info_span!("merge digests").entered();
    let like = frames::digests_sorted(&[]).map_err(|e| Error::polars(schema::DIGESTS, e))?;
    let old = tables.remove(schema::DIGESTS);
    let sources = Sources { old, runs: digest_runs, spill: digest_spill };
    let digests = merge_frames(schema::DIGESTS, &like, sources, kept.keep, store, staging)?;
    tables.insert(schema::DIGESTS.to_owned(), digests);
    drop(span);
    let span = info_span!("merge entries").entered();
    let like = frames::entries_sorted(&[]).map_err(|e| Error::polars(schema::ENTRIES, e))?;
    let new_entries = NewEntries { runs: entry_runs, spill: entry_spill };
    let stored_first = merge_entries(&like, new_entries, &mut entries, kept.keep, store, staging)?;
    // What the stored generation's normaliser learned, when every stored entry stays and comes
    // first (a new day): deriving learns from the new entries only.
    let prior = match stored_first {
        Some(rows) => derive::Learned::stored(store)?.filter(|l| l.learned_from() == rows),
        None => None,
    };
    drop(span);
    let empty = frames::themes(&[]).map_err(|e| Error::polars(schema::THEMES, e))?;
    let new = aligned_stack(schema::THEMES, std::iter::once(empty).chain(theme_runs).collect())?;
    let old = tables.remove(schema::THEMES).map(|old| retain(&old, DIGEST_ID, |v| kept.keep.contains(v)));
    tables.insert(schema::THEMES.to_owned(), sorted(schema::THEMES, with_old(schema::THEMES, old, new)?)?);
    let path = staging.folder(schema::ENTRIES);
    let rows = entries.len();
    // What is kept of the stored keyword rows and papers: only when no stored file is read again
    // or pruned either (a digest without entries takes its TL;DR themes with it, and with them a
    // theme of each paper they name).
    let reuse = match stored_first {
        Some(rows) if kept.dropped.is_empty() => derive::Reuse::stored(store, rows)?,
        _ => None,
    };
    let sources = derive::Sources { abstracts: Abstracts::File(&path), prior, reuse };
    derive::derive(tables, entries, vocab, sources, staging)?;
    Ok(Merged { entries: rows, warnings, notes })
}

/// The kept stored rows (if any) and then the new rows, with the columns of the new rows.
fn with_old(name: &str, old: Option<PolarsResult<DataFrame>>, new: DataFrame) -> Result<DataFrame> {
    match old {
        Some(old) => {
            old.and_then(|k| aligned(k, &new)).and_then(|k| k.vstack(&new)).map_err(|e| Error::polars(name, e))
        }
        None => Ok(new),
    }
}

/// Names of the columns that say where each row of the merged columns comes from.
const FROM: &str = "__digestlens_from";
const ROW: &str = "__digestlens_row";

/// The rows a merged table is made of: the stored table's columns deriving reads (`old`, in its
/// order), and the new rows set aside (`spill`, one sorted run per frame of `runs`, which hold
/// their columns deriving reads).
struct Sources {
    old: Option<DataFrame>,
    runs: Vec<DataFrame>,
    spill: Spill,
}

/// Bytes of rows gathered into one row group of a merged table at most (as far as their sources
/// tell: a run its rows' bytes in memory, a stored table its row groups' sizes): a row group is
/// gathered, copied in merged order and encoded before it is written. Rows differ a hundredfold:
/// the real archive's listings are a few hundred bytes each, the entries of its site digests 4 kB
/// with their abstracts and critiques, and 65,536 of those were 250 MB.
const GROUP_BYTES: usize = 48 << 20;
/// Rows of a row group at least (unless a segment has fewer).
const MIN_GROUP_ROWS: usize = 4096;

/// The row groups of `rows` rows of a merged table, as (first, end) places, for rows whose bytes
/// `bytes_before(place)` sums (the bytes of the rows before a place). Each segment file (`most`
/// rows from `rows.start`) is halved, and its halves halved, until a part takes at most
/// `GROUP_BYTES` or has `MIN_GROUP_ROWS` rows: the parts tile the segment, and a table of short
/// rows keeps whole segments as row groups (a row group cut short at the end of each segment
/// cost the real archive's `entries` 30% more bytes).
fn row_groups(rows: std::ops::Range<usize>, most: usize, bytes_before: &dyn Fn(usize) -> usize) -> Vec<(usize, usize)> {
    fn split(from: usize, to: usize, bytes_before: &dyn Fn(usize) -> usize, out: &mut Vec<(usize, usize)>) {
        let bytes = bytes_before(to).saturating_sub(bytes_before(from));
        if bytes <= GROUP_BYTES || (to - from) / 2 < MIN_GROUP_ROWS {
            out.push((from, to));
        } else {
            let mid = from + (to - from) / 2;
            split(from, mid, bytes_before, out);
            split(mid, to, bytes_before, out);
        }
    }
    let mut out = Vec::new();
    let mut at = rows.start;
    while at < rows.end {
        let end = (at + most.max(1)).min(rows.end);
        split(at, end, bytes_before, &mut out);
        at = end;
    }
    out
}

/// Writes a table whose new rows were set aside merged with the kept stored rows (`sources`), a
/// row group at a time; returns the merged columns deriving reads, in table order. `like` has
/// the table's columns.
fn merge_frames(
    name: &'static str,
    like: &DataFrame,
    sources: Sources,
    keep: &BTreeSet<String>,
    store: &Store,
    staging: &mut Staging,
) -> Result<DataFrame> {
    let polars = |e| Error::polars(name, e);
    let Sources { old, runs, spill } = sources;
    // Source 0 is the stored table: its kept rows, read from the stored file where they lie.
    let (stored, stored_rows, mut stored_reader, mut stored_path) = match old.filter(|o| o.height() > 0) {
        Some(old) => {
            let ids = old.column(DIGEST_ID).and_then(|c| c.str().cloned()).map_err(polars)?;
            let mask: BooleanChunked = ids.iter().map(|v| v.is_some_and(|v| keep.contains(v))).collect();
            let rows: Vec<u32> =
                mask.iter().enumerate().filter(|(_, k)| *k == Some(true)).map(|(i, _)| row(i)).collect();
            let path = store.table_path(name)?;
            (old.filter(&mask).map_err(polars)?, rows, RunReader::open(&path)?, Some(path))
        }
        None => (derive_columns(name, like)?, Vec::new(), RunReader::open_empty(), None),
    };
    let stored = tagged(stored, 0, stored_rows).map_err(polars)?;
    let mut parts = Vec::with_capacity(runs.len());
    for (r, run) in runs.into_iter().enumerate() {
        let rows = (0..run.height()).map(row).collect();
        parts.push(tagged(run, row(r + 1), rows).map_err(polars)?);
    }
    // New rows that all go after the stored ones (a new day) are sorted on their own and put
    // after them; otherwise every row is sorted.
    let new = if parts.is_empty() { stored.clear() } else { sorted(name, aligned_stack(name, parts)?)? };
    let mut order = if goes_after(name, &stored, &new) {
        aligned_stack(name, vec![stored, new])?
    } else {
        sorted(name, aligned_stack(name, vec![stored, new])?)?
    };
    let mut from = order_column(&order, FROM).map_err(polars)?;
    let mut rows = order_column(&order, ROW).map_err(polars)?;
    // A stored table that is not in table order (written by hand or by another tool) is read
    // whole once, sorted and set aside: the merge reads every source from front to back.
    if !from.iter().zip(&rows).filter(|(f, _)| **f == 0).map(|(_, r)| *r).is_sorted() {
        let whole = sorted_stored(name, keep, store)?;
        let stored =
            tagged(derive_columns(name, &whole)?, 0, (0..whole.height()).map(row).collect()).map_err(polars)?;
        stored_reader = set_aside(name, whole, staging)?;
        // Its files are not in table order: none is linked.
        stored_path = None;
        let new_rows = order.column(FROM).map_err(polars)?.as_materialized_series().gt(0).map_err(polars)?;
        order = sorted(name, aligned_stack(name, vec![stored, order.filter(&new_rows).map_err(polars)?])?)?;
        from = order_column(&order, FROM).map_err(polars)?;
        rows = order_column(&order, ROW).map_err(polars)?;
    }
    let _ = order.drop_in_place(FROM);
    let _ = order.drop_in_place(ROW);
    let stored = Stored { reader: stored_reader, path: stored_path };
    write_order(name, like, (&from, &rows), stored, spill, staging)?;
    Ok(order)
}

/// The kept rows of a stored table (`keep`: their digests), read whole and sorted.
fn sorted_stored(name: &'static str, keep: &BTreeSet<String>, store: &Store) -> Result<DataFrame> {
    let whole = store.read(&[(name, None)])?.remove(name).unwrap_or_default();
    sorted(name, retain(&whole, DIGEST_ID, |v| keep.contains(v)).map_err(|e| Error::polars(name, e))?)
}

/// Writes the rows of a stored table to the staging folder, to be read back by the reader
/// returned.
fn set_aside(name: &'static str, whole: DataFrame, staging: &Staging) -> Result<RunReader> {
    let mut set_aside = Spill::new(&staging.spill_dir().join("stored"), name);
    set_aside.add(whole, false)?;
    Ok(set_aside.into_readers()?.into_iter().next().unwrap_or_else(RunReader::open_empty))
}

/// The new rows of `entries`: set aside in `spill`, a run of each number of `runs` rows.
struct NewEntries {
    runs: Vec<usize>,
    spill: Spill,
}

/// Writes `entries` (the new rows of `new`, held as deriving reads them in `entries`, run after
/// run) merged with the kept stored rows (`keep`: their digests), a row group at a time, and puts
/// `entries` in the merged order, the stored rows added to them. The order is found from
/// `entries` (`Entries::table_order`): no column of millions of texts is sorted.
fn merge_entries(
    like: &DataFrame,
    new: NewEntries,
    entries: &mut Entries,
    keep: &BTreeSet<String>,
    store: &Store,
    staging: &mut Staging,
) -> Result<Option<usize>> {
    let name = schema::ENTRIES;
    let polars = |e| Error::polars(name, e);
    let NewEntries { runs, spill } = new;
    let base: usize = runs.iter().sum();
    if entries.len() != base {
        return Err(Error::Store(format!("{name}: the new entries are out of step with their runs")));
    }
    // The stored rows go after the new ones in `entries`, read a row group at a time (the
    // columns deriving reads, held as a frame, were 600 MB of adding a digest to the real
    // archive's store); source 0 of the merge is the stored table, read from the stored file
    // where its kept rows lie.
    let mut stored = match stored_table(store)? {
        Some(path) => {
            let have = io::parquet_columns(&path)?;
            let columns: Vec<&str> = have.iter().map(String::as_str).filter(|c| derive::reads(name, c)).collect();
            io::each_row_group(&path, &columns, |_, df| entries.append(&df).map_err(polars))?;
            Stored { reader: RunReader::open(&path)?, path: Some(path) }
        }
        None => Stored { reader: RunReader::open_empty(), path: None },
    };
    // Ties keep this order: the stored rows, then the new ones run after run.
    let places = |entries: &Entries| {
        let mut places = entries.places_kept(base, |id| keep.contains(id));
        places.extend(0..base);
        places
    };
    entries.shrink();
    let span = info_span!("order").entered();
    let stored_rows = entries.len() - base;
    let kept = places(entries);
    let all_kept = kept.len() == entries.len();
    let mut order = entries.table_order(kept);
    let mut stored_first = all_kept && order.iter().take(stored_rows).all(|&i| i >= base);
    // A stored table that is not in table order (written by hand or by another tool) is read
    // whole once, sorted and set aside: the merge reads every source from front to back.
    if !order.iter().filter(|&&i| i >= base).is_sorted() {
        stored_first = false;
        let whole = sorted_stored(name, keep, store)?;
        entries.truncate(base);
        entries.append(&whole).map_err(polars)?;
        // Its files are not in table order: none is linked.
        stored = Stored { reader: set_aside(name, whole, staging)?, path: None };
        order = entries.table_order(places(entries));
    }
    let mut starts = Vec::with_capacity(runs.len());
    let mut at = 0;
    for run in &runs {
        starts.push(at);
        at += run;
    }
    let (from, rows): (Vec<u32>, Vec<u32>) = order
        .iter()
        .map(|&i| match i.checked_sub(base) {
            Some(stored_row) => (0, row(stored_row)),
            None => {
                let run = starts.partition_point(|&s| s <= i).saturating_sub(1);
                (row(run + 1), row(i - starts.get(run).copied().unwrap_or_default()))
            }
        })
        .unzip();
    drop(span);
    let span = info_span!("rows gathered and written").entered();
    write_order(name, like, (&from, &rows), stored, spill, staging)?;
    drop(span);
    let _span = info_span!("entries in order").entered();
    entries.reorder(&order);
    // Whether every stored row stays and the stored rows come first, as they were: how many.
    Ok(stored_first.then_some(stored_rows))
}

/// The live generation's `entries` (its file or folder of segments), if there is one.
fn stored_table(store: &Store) -> Result<Option<std::path::PathBuf>> {
    if store.current()?.is_none() {
        return Ok(None);
    }
    let path = store.table_path(schema::ENTRIES)?;
    Ok(path.exists().then_some(path))
}

/// The stored table as a source of a merge: its reader, and its path when its segment files
/// are in table order (and may be linked).
struct Stored {
    reader: RunReader,
    path: Option<std::path::PathBuf>,
}

/// Writes a merged table in the order `from` and `rows` give (for each row its source: 0 the
/// stored table, `r + 1` run `r` of `spill`; and its row there), a row group at a time
/// (`row_groups`). Stored segments whose rows all stay, together and with nothing new among them,
/// are linked into the new generation; the rows between them are gathered and written.
fn write_order(
    name: &'static str,
    like: &DataFrame,
    (from, rows): (&[u32], &[u32]),
    stored: Stored,
    spill: Spill,
    staging: &mut Staging,
) -> Result<()> {
    let links = match &stored.path {
        Some(path) => unchanged_segments(path, &stored.reader.file_rows(), like, from, rows)?,
        None => Vec::new(),
    };
    let mut readers = vec![stored.reader];
    readers.extend(spill.into_readers()?);
    // The bytes of the rows before each place, as their sources' row groups tell.
    let mut before = Vec::with_capacity(from.len() + 1);
    before.push(0usize);
    for (f, r) in from.iter().zip(rows) {
        let bytes = readers.get(*f as usize).map_or(0, |reader| reader.row_bytes(*r as usize));
        before.push(before.last().copied().unwrap_or(0) + bytes);
    }
    let bytes_before = |place: usize| before.get(place).copied().unwrap_or(0);
    let mut spans: Vec<Span> = Vec::new();
    let gathered = |from: usize, to: usize, spans: &mut Vec<Span>| {
        spans.extend(row_groups(from..to, segment_rows(), &bytes_before).into_iter().map(|(s, e)| Span::Rows(s, e)));
    };
    let mut at = 0;
    for (start, end, file) in links {
        gathered(at, start, &mut spans);
        spans.push(Span::Link(file));
        at = end;
    }
    gathered(at, from.len(), &mut spans);
    drop(before);
    let mut segment = |span: Span| -> Result<Segment> {
        match span {
            Span::Link(file) => Ok(Segment::Link(file)),
            Span::Rows(start, end) => {
                gather(name, like, &mut readers, &from[start..end], &rows[start..end]).map(Segment::Rows)
            }
        }
    };
    staging.write_segments(name, like, spans.into_iter().map(&mut segment))
}

/// A part of a merged table: rows to gather (from, to) or a stored segment file to link.
enum Span {
    Rows(usize, usize),
    Link(std::path::PathBuf),
}

/// The stored segment files (`files` of the table at `path`, with their rows) that the merged
/// table holds unchanged, as
/// (first, end) places in the merged order and the file: every row of the segment is kept, in
/// one unbroken stretch of the merged table, and the file has the columns of `like`. Segments of
/// fewer than half `segment_rows()` rows are written again with their neighbours, so that a table
/// changed in many places does not end in many small files.
fn unchanged_segments(
    path: &std::path::Path,
    files: &[(std::path::PathBuf, usize)],
    like: &DataFrame,
    from: &[u32],
    rows: &[u32],
) -> Result<Vec<(usize, usize, std::path::PathBuf)>> {
    if !io::has_columns_of(path, like)? {
        return Ok(Vec::new());
    }
    let mut place = vec![u32::MAX; files.iter().map(|(_, size)| size).sum()];
    for (at, (f, r)) in from.iter().zip(rows).enumerate() {
        if *f == 0
            && let Some(p) = place.get_mut(*r as usize)
        {
            *p = row(at);
        }
    }
    let mut out = Vec::new();
    let mut first = 0;
    for (file, size) in files.iter().cloned() {
        let places = &place[first..first + size];
        first += size;
        let whole = size >= segment_rows() / 2
            && places.first().is_some_and(|&p| p != u32::MAX)
            && places.windows(2).all(|w| w[1] != u32::MAX && w[1] == w[0] + 1);
        if whole && let Some(&start) = places.first() {
            out.push((start as usize, start as usize + size, file));
        }
    }
    Ok(out)
}

/// Whether `stored` is in table order and `new` (in table order) goes after it: a table's sort
/// keys compared as its stable sort compares them (nulls first, texts by their bytes), on the
/// neighbouring rows of `stored` and where the two meet.
fn goes_after(name: &str, stored: &DataFrame, new: &DataFrame) -> bool {
    if stored.height() == 0 {
        return true;
    }
    let keys = schema::sort_keys(name);
    // A stored table without a key column (written by an older digestlens) is sorted with the
    // column null, after stacking: left to the full sort.
    let Some(a) = key_columns(stored, keys) else { return false };
    let last = stored.height() - 1;
    if !(0..last).all(|i| compare_rows(&a, i, &a, i + 1).is_le()) {
        return false;
    }
    // No new rows: a frame that may not even have the columns.
    if new.height() == 0 {
        return true;
    }
    let Some(b) = key_columns(new, keys) else { return false };
    compare_rows(&a, last, &b, 0).is_le()
}

fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// `df` with the source `from` and the row in it of each of its rows.
fn tagged(mut df: DataFrame, from: u32, rows: Vec<u32>) -> PolarsResult<DataFrame> {
    let height = df.height();
    df.with_column(Column::new(FROM.into(), vec![from; height]))?;
    df.with_column(Column::new(ROW.into(), rows))?;
    Ok(df)
}

/// Frames stacked with the columns of the last (the newest rows).
fn aligned_stack(name: &str, parts: Vec<DataFrame>) -> Result<DataFrame> {
    let polars = |e| Error::polars(name, e);
    let Some(like) = parts.last().map(DataFrame::clear) else { return Ok(DataFrame::empty()) };
    let mut whole = like.clone();
    for part in parts {
        whole.vstack_mut_owned(aligned(part, &like).map_err(polars)?).map_err(polars)?;
    }
    Ok(whole)
}

fn order_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    Ok(df.column(name)?.u32()?.iter().map(Option::unwrap_or_default).collect())
}

/// The rows of one row group of the merged table, in order: `from` and `rows` say for each where
/// it comes from. Each source's rows come in the order of its file, so each reader reads on
/// from where it stopped; rows of the stored table that are not kept are skipped.
fn gather(name: &str, like: &DataFrame, readers: &mut [RunReader], from: &[u32], rows: &[u32]) -> Result<DataFrame> {
    let polars = |e| Error::polars(name, e);
    let mut wanted: Vec<Vec<u32>> = vec![Vec::new(); readers.len()];
    for (f, r) in from.iter().zip(rows) {
        if let Some(w) = wanted.get_mut(*f as usize) {
            w.push(*r);
        }
    }
    // Each source's rows of this group, stacked in source order.
    let mut pieces = like.clear();
    let mut offsets = vec![0u32; readers.len()];
    for (source, (reader, wanted)) in readers.iter_mut().zip(&wanted).enumerate() {
        offsets[source] = row(pieces.height());
        // Read on a row group at most at a time (rows of the stored table that are not kept may
        // lie between the wanted ones), keeping the wanted rows.
        let mut rest = wanted.as_slice();
        while let (Some(&low), Some(&last)) = (rest.first(), rest.last()) {
            // Row groups before the wanted rows (linked segments, rows not kept) are not read.
            reader.skip_to(low as usize)?;
            let first = reader.taken();
            if (low as usize) < first {
                return Err(Error::Store(format!("{name}: rows asked for out of order in a merge")));
            }
            let part = reader.take((last as usize + 1 - first).min(ROW_GROUP_ROWS))?;
            if part.height() == 0 {
                return Err(Error::Store(format!("{name}: a set-aside file ended early")));
            }
            let end = first + part.height();
            let here = rest.partition_point(|&r| (r as usize) < end);
            let part = if here == part.height() {
                part
            } else {
                let idx: Vec<IdxSize> = rest[..here].iter().map(|r| (*r as usize - first) as IdxSize).collect();
                part.take(&IdxCa::from_vec("rows".into(), idx)).map_err(polars)?
            };
            pieces.vstack_mut_owned(aligned(part, like).map_err(polars)?).map_err(polars)?;
            rest = &rest[here..];
        }
    }
    // Then in the merged order (which rows of one source are in already).
    if wanted.iter().filter(|w| !w.is_empty()).count() <= 1 {
        return Ok(pieces);
    }
    let mut seen = vec![0u32; readers.len()];
    let order: Vec<IdxSize> = from
        .iter()
        .map(|f| {
            let at = offsets[*f as usize] + seen[*f as usize];
            seen[*f as usize] += 1;
            at as IdxSize
        })
        .collect();
    pieces.take(&IdxCa::from_vec("order".into(), order)).map_err(polars)
}

/// `old` with the columns of `like`, in its order: a column `old` lacks (written by an older
/// digestlens) is added empty, one `like` lacks is dropped.
fn aligned(old: DataFrame, like: &DataFrame) -> PolarsResult<DataFrame> {
    let columns: Vec<Column> = like
        .columns()
        .iter()
        .map(|c| match old.column(c.name()) {
            Ok(have) => Ok(have.clone()),
            Err(_) => Ok(Column::full_null(c.name().clone(), old.height(), c.dtype())),
        })
        .collect::<PolarsResult<_>>()?;
    DataFrame::new(old.height(), columns)
}

fn retain(df: &DataFrame, column: &str, keep: impl Fn(&str) -> bool) -> PolarsResult<DataFrame> {
    let mask: BooleanChunked = df.column(column)?.str()?.iter().map(|v| v.is_some_and(&keep)).collect();
    df.filter(&mask)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::columns::{flag, frame, text};

    #[test]
    fn new_rows_go_after_stored_ones_only_when_both_are_in_table_order_and_meet_in_order() {
        use crate::store::columns::{date, uint};
        use chrono::NaiveDate;
        let day = |d: u32| NaiveDate::from_ymd_opt(2025, 10, d);
        let entries = |rows: &[(Option<NaiveDate>, &str, u32)]| {
            frame(vec![
                date(schema::DIGEST_DATE, rows.iter().map(|r| r.0)).unwrap_or_else(|_| text("x", [None])),
                text(SOURCE_FILE, rows.iter().map(|r| Some(r.1))),
                uint(schema::POSITION, rows.iter().map(|r| Some(r.2))),
            ])
            .unwrap_or_default()
        };
        let stored = entries(&[(None, "z.md", 1), (day(1), "b.md", 1), (day(1), "b.md", 2), (day(2), "a.md", 1)]);
        let after = |rows: &[(Option<NaiveDate>, &str, u32)]| goes_after(schema::ENTRIES, &stored, &entries(rows));
        assert!(after(&[(day(2), "a.md", 1), (day(3), "a.md", 1)]), "a tie goes after, as a stable sort puts it");
        assert!(after(&[(day(2), "a.md", 2)]));
        assert!(after(&[]));
        assert!(!after(&[(day(2), "a.md", 0)]), "an earlier position");
        assert!(!after(&[(day(1), "c.md", 1)]), "an earlier day");
        assert!(!after(&[(None, "a.md", 1)]), "undated rows come first");
        let unsorted = entries(&[(day(2), "a.md", 1), (day(1), "b.md", 1)]);
        assert!(!goes_after(schema::ENTRIES, &unsorted, &entries(&[(day(9), "a.md", 1)])));
        let older = stored.drop(schema::POSITION).unwrap_or_default();
        assert!(!goes_after(schema::ENTRIES, &older, &entries(&[(day(9), "a.md", 1)])), "a key column missing");
    }

    #[test]
    fn row_groups_tile_each_segment_and_halve_only_where_rows_are_long() {
        // 200,000 rows: short ones, then a stretch of long ones (4 kB), then short ones again.
        let long = 100_000..140_000;
        let size = |i: usize| if long.contains(&i) { 4000 } else { 300 };
        let mut before = vec![0usize];
        for i in 0..200_000 {
            before.push(before[i] + size(i));
        }
        let bytes_before = |place: usize| before[place];
        let groups = row_groups(0..200_000, ROW_GROUP_ROWS, &bytes_before);
        // The groups follow each other without gaps, none crosses a segment boundary, and each is
        // a segment halved some times.
        assert_eq!(groups.first().map(|g| g.0), Some(0));
        assert_eq!(groups.last().map(|g| g.1), Some(200_000));
        assert!(groups.windows(2).all(|w| w[0].1 == w[1].0));
        for &(from, to) in &groups {
            assert_eq!(from / ROW_GROUP_ROWS, (to - 1) / ROW_GROUP_ROWS, "{from}..{to} crosses a segment");
            let start = from / ROW_GROUP_ROWS * ROW_GROUP_ROWS;
            let whole = ROW_GROUP_ROWS.min(200_000 - start);
            assert!((0..8).any(|k| (to - from) == whole >> k), "{from}..{to}");
            assert!((from - start).is_multiple_of(to - from), "{from}..{to} is not aligned in its segment");
            let bytes = bytes_before(to) - bytes_before(from);
            assert!(bytes <= GROUP_BYTES || (to - from) / 2 < MIN_GROUP_ROWS, "{from}..{to}: {bytes}");
        }
        // Short rows keep whole segments; the long stretch is cut finer.
        assert_eq!(groups[0], (0, ROW_GROUP_ROWS));
        assert!(groups.iter().any(|&(from, to)| long.contains(&from) && to - from < ROW_GROUP_ROWS / 2));
        // Huge rows stop at the least; an empty range has none.
        let huge = |place: usize| place << 30;
        assert!(row_groups(0..ROW_GROUP_ROWS, ROW_GROUP_ROWS, &huge).iter().all(|g| g.1 - g.0 == MIN_GROUP_ROWS));
        assert!(row_groups(5..5, ROW_GROUP_ROWS, &huge).is_empty());
        // Tests set segments of a few rows: each is one group.
        assert_eq!(row_groups(0..7, 3, &|_| 0), [(0, 3), (3, 6), (6, 7)]);
    }

    #[test]
    fn a_slice_ends_at_whichever_bound_its_digests_reach_first() {
        let slice = FRAME_SLICE;
        assert!(!slice_full(slice, (1, 1, 1)));
        assert!(!slice_full(slice, (slice - 1, SLICE_ENTRIES - 1, SLICE_BYTES - 1)));
        assert!(slice_full(slice, (slice, 1, 1)), "digests");
        assert!(slice_full(slice, (1, SLICE_ENTRIES, 1)), "one digest of many entries");
        // 4,096 site pages of 60 kB are 240 MB of text: their slice ends at 32 MB of files.
        assert!(slice_full(slice, (SLICE_BYTES as usize / 60_000 + 1, 600, SLICE_BYTES)), "bytes");
        assert!(slice_full(1, (1, 1, 1)), "slices of one digest, as a test of the tables sets");
    }

    #[test]
    fn runs_stay_in_memory_only_when_all_the_files_read_fit_the_budget() {
        if std::env::var_os(HELD_ENV).is_some() {
            eprintln!("skipped: {HELD_ENV} is set and decides the budget");
            return;
        }
        assert_eq!(held_bytes(0), HELD_BYTES);
        assert_eq!(held_bytes(HELD_BYTES as u64), HELD_BYTES);
        assert_eq!(held_bytes(HELD_BYTES as u64 + 1), 0, "a larger archive's runs all go to disk");
        assert_eq!(held_bytes(u64::MAX), 0);
    }

    #[test]
    fn rows_of_an_older_store_stack_with_new_columns_empty() {
        let old = frame(vec![text("id", [Some("a")]), text("gone", [Some("x")])]).unwrap_or_default();
        let new = frame(vec![text("id", [Some("b")]), flag("authors_truncated", [Some(true)])]).unwrap_or_default();
        let stacked = aligned(old, &new).and_then(|k| k.vstack(&new)).unwrap_or_default();
        assert_eq!(stacked.height(), 2);
        let names: Vec<&str> = stacked.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, ["id", "authors_truncated"]);
        let flags: Vec<Option<bool>> =
            stacked.column("authors_truncated").and_then(|c| c.bool().map(|b| b.iter().collect())).unwrap_or_default();
        assert_eq!(flags, [None, Some(true)]);
    }
}
