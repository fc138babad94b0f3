//! The store: every table as Parquet plus a manifest of ingested files, kept in generation
//! folders. A write goes to a new hidden folder, which is renamed into place before the
//! `CURRENT` pointer is atomically replaced, so a run killed at any moment leaves the previous
//! generation readable and intact.
//!
//! ```text
//! data/store/CURRENT                 name of the live generation, e.g. gen-000003
//! data/store/gen-000003/entries/part-000000.parquet …   digests, entries, keywords and papers:
//!                                    segment files
//! data/store/gen-000003/*.parquet    one file per other table
//! data/store/gen-000003/manifest.json
//! data/store/gen-000003/.readers     pinned (shared lock) by each process reading it
//! data/store/lock                    held (exclusive lock) by the one process writing
//! ```
//!
//! See `lock` for the writer lock and the read pins. A segment that an ingest leaves unchanged is
//! a hard link to the previous generation's file (`Staging::write_segments`), so a new day
//! rewrites only the last segment of `digests` and `entries`, and (when it derives the stored
//! keyword rows alike: `pipeline::derive::Basis`) of `keywords`, and the segments of the papers
//! it changes.

pub mod columns;
pub mod frames;
pub mod io;
pub mod lock;
pub mod partition;
pub mod schema;
pub(crate) mod sort;
pub mod spill;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use polars::prelude::DataFrame;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::UserFile;
use crate::model::{Digest, Format};
use lock::{ReadPin, Wait, WriterLock};

/// A parsed file version, ready to become table rows.
#[derive(Debug, Clone)]
pub struct DigestRecord {
    pub digest_id: String,
    /// The file it was read from; for a group of files, the one that leads it (an index).
    pub source_file: String,
    /// Every file it was read from.
    pub files: Vec<String>,
    /// The PATH argument its file was found under.
    pub input: String,
    /// The shape or profile that read it.
    pub format: String,
    pub bytes: u64,
    pub digest: Digest,
}

/// One ingested file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// The path as reported in the tables.
    pub path: String,
    /// The PATH argument it was found under.
    #[serde(default)]
    pub input: String,
    /// The absolute path, which identifies the file across runs.
    pub abs: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
    /// Content hash; also the `digest_id` of the digest parsed from it.
    pub hash: String,
    /// The format it was parsed as; `None` when it was skipped.
    pub format: Option<Format>,
    /// The digests it was read into (its own, a part of it, or a group it belongs to).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub digests: Vec<String>,
    /// The `PARSED_COLUMNS` version its rows were written with (0: before versions were kept).
    #[serde(default)]
    pub columns: u32,
}

/// The version of the columns that reading a file gives (digests, entries, themes). Raise it
/// when they change: every file is then read again when next found, so its rows get the new
/// columns (rows of files not found keep them empty). 1: `entries.authors_truncated` and
/// `themes.theme_reason`.
pub const PARSED_COLUMNS: u32 = 1;

/// The files of a store generation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub files: Vec<ManifestEntry>,
    /// The user's synonyms file, remembered for later runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synonyms: Option<UserFile>,
    /// The user's taxonomy file, remembered for later runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<UserFile>,
}

/// The vocabulary files a store remembers: the manifest's, also written on their own (`VOCAB`),
/// as the analysis commands need only these (a 2 GB archive's manifest is 66 MB).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RememberedVocab {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synonyms: Option<UserFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<UserFile>,
}

/// A generation being written (`Store::stage`): the tables written so far.
#[derive(Debug)]
pub struct Staging {
    name: String,
    dir: PathBuf,
    written: Vec<String>,
    /// Whether `write_manifest` wrote the manifest.
    manifest: bool,
}

impl Staging {
    /// Writes the generation's manifest, as the files' records are final before its tables are
    /// merged and derived (an ingest need not hold them meanwhile: 52 MB for 130,000 files).
    /// The manifest's vocabulary files are also written on their own (`VOCAB`).
    pub fn write_manifest(&mut self, manifest: &Manifest) -> Result<()> {
        let vocab = RememberedVocab { synonyms: manifest.synonyms.clone(), taxonomy: manifest.taxonomy.clone() };
        self.write_json(VOCAB, &vocab)?;
        self.write_json(MANIFEST, manifest)?;
        self.manifest = true;
        Ok(())
    }

    /// Writes `bytes` as a file of the generation (what deriving keeps besides the tables),
    /// synced; `Store::read_file` reads it back from the live generation.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> Result<()> {
        io::write_file(&self.dir.join(name), bytes)
    }

    /// Writes a value as compact JSON to a file of the generation, synced.
    fn write_json(&self, name: &str, value: &impl Serialize) -> Result<()> {
        let path = self.dir.join(name);
        let file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        let mut out = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut out, value).map_err(|e| Error::Store(e.to_string()))?;
        let file = out.into_inner().map_err(|e| Error::io(&path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&path, e))
    }

    /// Writes these tables, one per core (zstd compression is most of the work).
    pub fn write(&mut self, tables: &[(&str, &DataFrame)]) -> Result<()> {
        let written: Vec<Result<()>> =
            tables.par_iter().map(|(table, df)| io::write_parquet(df, &self.path(table))).collect();
        written.into_iter().collect::<Result<()>>()?;
        self.written.extend(tables.iter().map(|(t, _)| (*t).to_owned()));
        Ok(())
    }

    /// Writes a table as a folder of segment files (`part-000000.parquet`, … in table order) from
    /// `segments` in order: rows (each part already in table order) fill files of at most
    /// `segment_rows()` rows, and a stored segment that is unchanged is linked into the folder
    /// rather than written again (copied where the file system has no hard links). A table too
    /// big to hold is never whole in memory; a table with no rows is one empty file with its
    /// columns. `like` has the columns.
    pub fn write_segments(
        &mut self,
        table: &str,
        like: &DataFrame,
        segments: impl IntoIterator<Item = Result<Segment>>,
    ) -> Result<()> {
        let dir = self.dir.join(table);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let name = |n: usize| dir.join(format!("part-{n:06}.parquet"));
        let (mut count, most) = (0, segment_rows());
        let mut open: Option<(io::ParquetParts, usize)> = None;
        for segment in segments {
            match segment? {
                Segment::Link(from) => {
                    if let Some((file, _)) = open.take() {
                        file.finish()?;
                    }
                    let to = name(count);
                    count += 1;
                    if fs::hard_link(&from, &to).is_err() {
                        fs::copy(&from, &to).map_err(|e| Error::io(&to, e))?;
                    }
                }
                Segment::Rows(df) => {
                    let mut offset = 0;
                    while offset < df.height() {
                        if open.is_none() {
                            open = Some((io::ParquetParts::create(&name(count), like, false)?, 0));
                            count += 1;
                        }
                        let Some((file, rows)) = open.as_mut() else { break };
                        let n = most.saturating_sub(*rows).max(1).min(df.height() - offset);
                        file.write(&df.slice(i64::try_from(offset).unwrap_or(i64::MAX), n))?;
                        *rows += n;
                        offset += n;
                        if *rows >= most
                            && let Some((file, _)) = open.take()
                        {
                            file.finish()?;
                        }
                    }
                }
            }
        }
        match open {
            Some((file, _)) => file.finish()?,
            None if count == 0 => io::ParquetParts::create(&name(0), like, false)?.finish()?,
            None => {}
        }
        self.written.push(table.to_owned());
        Ok(())
    }

    /// Where a table of this generation is written whole.
    pub fn path(&self, table: &str) -> PathBuf {
        self.dir.join(format!("{table}.parquet"))
    }

    /// Where a table of this generation is written as segments (`write_segments`).
    pub fn folder(&self, table: &str) -> PathBuf {
        self.dir.join(table)
    }

    /// A folder inside the staging folder for rows set aside while ingesting (`spill`); it must
    /// be empty (or removed) before `Store::publish`.
    pub fn spill_dir(&self) -> PathBuf {
        self.dir.join("spill")
    }

    /// Removes the staging folder without publishing it.
    pub fn discard(self) -> Result<()> {
        fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))
    }

    /// Writes every table of `tables` not written yet.
    pub fn write_rest(&mut self, tables: &Tables) -> Result<()> {
        let rest: Vec<(&str, &DataFrame)> =
            tables.iter().filter(|(t, _)| !self.written.contains(t)).map(|(t, df)| (t.as_str(), df)).collect();
        self.write(&rest)
    }
}

/// The tables of a store generation, by name.
pub type Tables = BTreeMap<String, DataFrame>;

/// Rows per segment file of a table written as segments: an ingest rewrites only the segments
/// its rows change (a new day: the last one), and links the others. The environment variable
/// `SEGMENT_ENV` sets another (tests use small segments on a small corpus).
const SEGMENT_ROWS: usize = io::ROW_GROUP_ROWS;
pub const SEGMENT_ENV: &str = "DIGESTLENS_SEGMENT_ROWS";

pub fn segment_rows() -> usize {
    env_size(SEGMENT_ENV, 1, SEGMENT_ROWS)
}

/// A size set by the environment variable `var` (tests set small ones), or `default` when it is
/// unset, not a number, or under `least`.
pub(crate) fn env_size(var: &str, least: usize, default: usize) -> usize {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).filter(|&n| n >= least).unwrap_or(default)
}

/// A piece of a table written as segments (`Staging::write_segments`).
#[derive(Debug)]
pub enum Segment {
    /// Rows in table order, written into new segment files.
    Rows(DataFrame),
    /// A segment file of the stored table, unchanged.
    Link(PathBuf),
}

/// Where a table of a generation lies: its folder of segments, or (tables written whole, and
/// stores written before segments) its file.
fn located(generation: &Path, table: &str) -> PathBuf {
    let folder = generation.join(table);
    if folder.is_dir() { folder } else { generation.join(format!("{table}.parquet")) }
}

/// A store folder. The first read pins the live generation (see `lock`): every later read
/// through this value (or a clone) reads that generation, until this process commits another.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    pinned: Arc<Mutex<Option<Pinned>>>,
}

#[derive(Debug)]
struct Pinned {
    generation: PathBuf,
    _pin: Option<ReadPin>,
}

/// How often a reader reads `CURRENT` again when a writer removed the generation it named.
const PIN_ATTEMPTS: usize = 50;

const CURRENT: &str = "CURRENT";
const MANIFEST: &str = "manifest.json";
/// The vocabulary files of the manifest, on their own (`RememberedVocab`).
const VOCAB: &str = "vocab.json";

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Store { dir: dir.into(), pinned: Arc::default() }
    }

    /// Takes the store's writer lock; see `lock::WriterLock`.
    pub fn lock_writer(&self, wait: Wait) -> Result<WriterLock> {
        let lock = WriterLock::acquire(&self.dir, wait)?;
        // What was read before the lock may be outdated: read the live generation again.
        self.unpin();
        Ok(lock)
    }

    fn unpin(&self) {
        if let Ok(mut pinned) = self.pinned.lock() {
            *pinned = None;
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The live generation folder, if the store has one, pinned for reading.
    pub fn current(&self) -> Result<Option<PathBuf>> {
        let mut pinned = self.pinned.lock().map_err(|_| Error::Store("the store pin was poisoned".to_owned()))?;
        if let Some(p) = pinned.as_ref() {
            return Ok(Some(p.generation.clone()));
        }
        for _ in 0..PIN_ATTEMPTS {
            let Some(generation) = self.pointed()? else { return Ok(None) };
            match ReadPin::take(&generation)? {
                Some(pin) => {
                    *pinned = Some(Pinned { generation: generation.clone(), _pin: Some(pin) });
                    return Ok(Some(generation));
                }
                // Written before pins existed: read it as it is.
                None if generation.join(MANIFEST).exists() => return Ok(Some(generation)),
                // Removed by a writer after we read `CURRENT`: read it again.
                None => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
        self.pointed()
    }

    /// The generation `CURRENT` names.
    fn pointed(&self) -> Result<Option<PathBuf>> {
        let pointer = self.dir.join(CURRENT);
        match fs::read_to_string(&pointer) {
            Ok(name) => {
                let name = name.trim();
                if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                    return Err(Error::Store(format!("{} names no generation folder: {name:?}", pointer.display())));
                }
                Ok(Some(self.dir.join(name)))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(Error::io(&pointer, err)),
        }
    }

    /// The live generation, or an error that says how to create one.
    pub fn require(&self) -> Result<PathBuf> {
        self.current()?.ok_or_else(|| {
            Error::Store(format!(
                "no store at {} (run `digestlens ingest PATH --store {}` first)",
                self.dir.display(),
                self.dir.display()
            ))
        })
    }

    /// The manifest of the live generation (empty for a new store).
    pub fn manifest(&self) -> Result<Manifest> {
        let Some(generation) = self.current()? else { return Ok(Manifest::default()) };
        let path = generation.join(MANIFEST);
        let text = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| Error::Store(format!("{}: {e}", path.display())))
    }

    /// The vocabulary files the live generation was derived with (none for a new store): its
    /// `VOCAB` file, or in a generation written before there was one, its manifest's (whose file
    /// list is skipped unread: serde ignores unknown fields without building them).
    pub fn remembered_vocab(&self) -> Result<RememberedVocab> {
        let Some(generation) = self.current()? else { return Ok(RememberedVocab::default()) };
        let own = generation.join(VOCAB);
        let path = if own.exists() { own } else { generation.join(MANIFEST) };
        let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Store(format!("{}: {e}", path.display())))
    }

    /// The bytes of a file the live generation was written with (`Staging::write_file`); `None`
    /// for a new store or a generation written without it.
    pub fn read_file(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(generation) = self.current()? else { return Ok(None) };
        let path = generation.join(name);
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// Every table of the live generation (an empty map for a new store).
    pub fn tables(&self) -> Result<Tables> {
        self.whole_tables(&schema::TABLES)
    }

    /// The Parquet files of each table the live generation has, in table order (none for a new
    /// store): what a lazy reader scans, reading only the columns and rows a query needs.
    pub fn table_files(&self) -> Result<Vec<(&'static str, Vec<PathBuf>)>> {
        let Some(generation) = self.current()? else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        for name in schema::TABLES {
            let path = located(&generation, name);
            if path.exists() {
                out.push((name, io::table_files(&path)?));
            }
        }
        Ok(out)
    }

    /// Every column of the named tables of the live generation (an empty map for a new store).
    fn whole_tables(&self, names: &[&str]) -> Result<Tables> {
        let Some(generation) = self.current()? else { return Ok(Tables::new()) };
        let mut tables = Tables::new();
        for name in names {
            read_into(&mut tables, &generation, name, None)?;
        }
        Ok(tables)
    }

    /// The parsed tables (`schema::PARSED`) of the live generation but `except`, with only the
    /// columns of each that `wanted(table, column)` accepts (an empty map for a new store).
    pub fn parsed_tables(&self, except: &[&str], wanted: impl Fn(&str, &str) -> bool) -> Result<Tables> {
        let names: Vec<&str> = schema::PARSED.into_iter().filter(|t| !except.contains(t)).collect();
        self.tables_with(&names, wanted)
    }

    /// The named tables of the live generation with the columns `wanted(table, column)` accepts
    /// (an empty map for a new store).
    fn tables_with(&self, names: &[&str], wanted: impl Fn(&str, &str) -> bool) -> Result<Tables> {
        let Some(generation) = self.current()? else { return Ok(Tables::new()) };
        let mut tables = Tables::new();
        for name in names {
            let path = located(&generation, name);
            // A missing file is for `read_into` to skip (a newer analysis table) or report.
            let names = if path.exists() { io::parquet_columns(&path)? } else { Vec::new() };
            let columns: Vec<&str> = names.iter().map(String::as_str).filter(|c| wanted(name, c)).collect();
            read_into(&mut tables, &generation, name, Some(&columns))?;
        }
        Ok(tables)
    }

    /// The Parquet file or folder of segments of a table of the live generation (for reading it
    /// in parts: `io::table_files`).
    pub fn table_path(&self, table: &str) -> Result<PathBuf> {
        Ok(located(&self.require()?, table))
    }

    /// Every table of the live generation without the long texts of papers and digests
    /// (`schema::LONG_TEXT`: abstracts, summaries, critiques, overviews, TL;DRs), which are most
    /// of the store's bytes and which only deriving the tables needs.
    pub fn tables_without_text(&self) -> Result<Tables> {
        let long = |table: &str, column: &str| {
            matches!(table, schema::ENTRIES | schema::DIGESTS) && schema::LONG_TEXT.contains(&column)
        };
        self.tables_with(&schema::TABLES, |table, column| !long(table, column))
    }

    /// Some columns of some tables of the live generation: `(table, None)` reads every column.
    pub fn read(&self, wanted: &[(&str, Option<&[&str]>)]) -> Result<Tables> {
        let generation = self.require()?;
        let mut tables = Tables::new();
        for &(name, columns) in wanted {
            read_into(&mut tables, &generation, name, columns)?;
        }
        Ok(tables)
    }

    /// The listed columns of the listed tables of the live generation (`None`: every column),
    /// leaving out a listed column the stored table does not have (written by an older version);
    /// an empty map for a new store. A table listed twice is read once, with the columns of both.
    pub fn read_present(&self, wanted: &[(&str, Option<&[&str]>)]) -> Result<Tables> {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in wanted {
            if !names.contains(name) {
                names.push(name);
            }
        }
        self.tables_with(&names, |table, column| {
            wanted.iter().any(|(name, columns)| *name == table && columns.is_none_or(|c| c.contains(&column)))
        })
    }

    /// The number of rows of a stored table (from the Parquet footer; 0 for a new store).
    pub fn rows(&self, table: &str) -> Result<usize> {
        match self.current()? {
            Some(generation) => io::parquet_rows(&located(&generation, table)),
            None => Ok(0),
        }
    }

    /// Starts a new generation in a hidden staging folder: its tables can be written as soon as
    /// each is final (and then dropped from memory). Nothing is live until `publish`; a staging
    /// folder left by a failed or killed run is removed by the next write. Only the holder of the
    /// writer lock stages and publishes.
    pub fn stage(&self, _writer: &WriterLock) -> Result<Staging> {
        fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let number = self.next_generation()?;
        let name = format!("gen-{number:06}");
        let dir = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging { name, dir, written: Vec::new(), manifest: false })
    }

    /// Makes a staged generation the live one, once every table and the manifest are written in
    /// it; older generations are removed unless a reader has them pinned (a later commit removes
    /// those).
    pub fn publish(&self, _writer: &WriterLock, staging: Staging) -> Result<PathBuf> {
        let missing: Vec<&str> =
            schema::TABLES.into_iter().filter(|t| !staging.written.iter().any(|w| w == t)).collect();
        if !missing.is_empty() {
            return Err(Error::Store(format!("a generation without the tables {}", missing.join(", "))));
        }
        if !staging.manifest {
            return Err(Error::Store("a generation without its manifest".to_owned()));
        }
        let spill = staging.spill_dir();
        if spill.exists() {
            fs::remove_dir_all(&spill).map_err(|e| Error::io(&spill, e))?;
        }
        ReadPin::create(&staging.dir)?;
        let generation = self.dir.join(&staging.name);
        fs::rename(&staging.dir, &generation).map_err(|e| Error::io(&generation, e))?;
        io::write_atomic(&self.dir.join(CURRENT), format!("{}\n", staging.name).as_bytes())?;
        self.unpin();
        self.remove_old(&staging.name);
        Ok(generation)
    }

    /// Removes what killed writers left when there is nothing to write: staging folders, and
    /// older generations no reader has pinned (a writer killed between making its generation
    /// live and removing the old ones leaves both). Only the holder of the writer lock tidies.
    pub fn tidy(&self, _writer: &WriterLock) -> Result<()> {
        if let Some(generation) = self.current()? {
            let name = generation.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            self.remove_old(&name);
        }
        Ok(())
    }

    fn next_generation(&self) -> Result<u64> {
        let entries = fs::read_dir(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let highest = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name().to_str().and_then(|n| {
                    n.trim_start_matches('.')
                        .strip_prefix("gen-")
                        .map(|n| n.chars().take_while(char::is_ascii_digit).collect::<String>())
                })
            })
            .filter_map(|n| n.parse::<u64>().ok())
            .max();
        Ok(highest.map_or(1, |h| h + 1))
    }

    /// Removes generations other than `keep` that no reader has pinned, and staging folders left
    /// by killed runs (no other writer can be staging: the caller holds the writer lock).
    fn remove_old(&self, keep: &str) {
        let Ok(entries) = fs::read_dir(&self.dir) else { return };
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name == keep {
                continue;
            }
            if name.starts_with("gen-") {
                lock::remove_unpinned(&entry.path());
            } else if name.starts_with(".gen-") {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Reads `columns` (all with `None`) of one table of a generation into `tables`. A store written
/// by an older digestlens lacks the newer analysis tables until its next commit: those are left
/// out.
fn read_into(tables: &mut Tables, generation: &Path, name: &str, columns: Option<&[&str]>) -> Result<()> {
    let path = located(generation, name);
    if path.exists() || !schema::is_analysis(name) {
        tables.insert(name.to_owned(), io::read_parquet_columns(&path, columns)?);
    }
    Ok(())
}

/// A table sorted by its keys (schema::sort_keys), so that every write is deterministic.
pub(crate) fn sorted(name: &str, df: DataFrame) -> Result<DataFrame> {
    sort::sort_by_keys(df, schema::sort_keys(name)).map_err(|e| Error::polars(name, e))
}
