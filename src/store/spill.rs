//! Rows of a table set aside while ingest reads the files, so that the rows of the whole archive
//! are never in memory at once. Each part set aside is a sorted run, held in memory when the
//! caller says it fits its budget and written to disk otherwise; the table is written by merging
//! the runs (`RunReader` reads each from front to back, a few thousand rows at a time). The files
//! live in the staging folder and go with it when a run fails or is killed.

use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::io::{ParquetParts, read_parquet_slice};
use crate::error::{Error, Result};

/// Rows per row group of a run file: a reader holds at most this many rows of each run it has
/// not finished.
const RUN_GROUP_ROWS: usize = 4096;

/// One table's rows set aside, as runs in the order they were added.
#[derive(Debug)]
pub struct Spill {
    dir: PathBuf,
    table: &'static str,
    runs: Vec<Run>,
}

/// A run: held in memory, or a file.
#[derive(Debug)]
enum Run {
    Held(DataFrame),
    File(PathBuf),
}

impl Spill {
    /// Sets rows of `table` aside in `dir` (created when first needed).
    pub fn new(dir: &Path, table: &'static str) -> Spill {
        Spill { dir: dir.to_owned(), table, runs: Vec::new() }
    }

    /// Sets these rows aside as the next run, in memory when `hold` says so and on disk
    /// otherwise; returns its number.
    pub fn add(&mut self, df: DataFrame, hold: bool) -> Result<usize> {
        if hold {
            self.runs.push(Run::Held(df));
        } else {
            fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
            let path = self.dir.join(format!("{}-{:06}.parquet", self.table, self.runs.len()));
            let mut file = ParquetParts::create(&path, &df, true)?;
            file.write_groups(&df, RUN_GROUP_ROWS)?;
            file.finish()?;
            self.runs.push(Run::File(path));
        }
        Ok(self.runs.len() - 1)
    }

    /// A reader of each run, in order; held runs pass to their readers (and are freed as they
    /// are read).
    pub fn into_readers(self) -> Result<Vec<RunReader>> {
        self.runs
            .into_iter()
            .map(|run| match run {
                Run::Held(df) => Ok(RunReader::held(df)),
                Run::File(path) => RunReader::open(&path),
            })
            .collect()
    }
}

/// Reads a Parquet file (or rows held in memory) from front to back in row groups, handing out
/// the rows asked for.
#[derive(Debug)]
pub struct RunReader {
    path: PathBuf,
    /// The row count of each row group not read yet, last first.
    groups: Vec<usize>,
    /// The next row group's first row.
    next: usize,
    /// Rows read and not handed out yet.
    buffer: Option<DataFrame>,
    /// Rows handed out so far.
    taken: usize,
}

impl RunReader {
    /// A reader at the first row of a Parquet file.
    pub fn open(path: &Path) -> Result<RunReader> {
        let mut groups = super::io::row_group_sizes(path)?;
        groups.reverse();
        Ok(RunReader { path: path.to_owned(), groups, next: 0, buffer: None, taken: 0 })
    }

    /// A reader with no rows.
    pub fn open_empty() -> RunReader {
        RunReader { path: PathBuf::new(), groups: Vec::new(), next: 0, buffer: None, taken: 0 }
    }

    /// A reader of rows held in memory.
    pub fn held(df: DataFrame) -> RunReader {
        RunReader { buffer: (df.height() > 0).then_some(df), ..RunReader::open_empty() }
    }

    /// How many rows were handed out.
    pub fn taken(&self) -> usize {
        self.taken
    }

    /// The next `n` rows (fewer at the end of the file).
    pub fn take(&mut self, n: usize) -> Result<DataFrame> {
        let polars = |e| Error::polars(self.path.display(), e);
        let held = self.buffer.as_ref().map_or(0, DataFrame::height);
        // The row groups that hold the rest, read at once.
        let mut rows = 0;
        while held + rows < n {
            let Some(group) = self.groups.pop() else { break };
            rows += group;
        }
        if rows > 0 {
            let group = read_parquet_slice(&self.path, None, self.next, rows)?;
            self.next += rows;
            match self.buffer.as_mut() {
                Some(b) => {
                    b.vstack_mut_owned(group).map_err(polars)?;
                }
                None => self.buffer = Some(group),
            }
        }
        let Some(buffer) = self.buffer.take() else { return Ok(DataFrame::empty()) };
        let n = n.min(buffer.height());
        let (head, tail) = buffer.split_at(i64::try_from(n).unwrap_or(i64::MAX));
        if tail.height() > 0 {
            self.buffer = Some(tail);
        }
        self.taken += n;
        Ok(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::columns::{frame, strs, text, uint};

    fn rows(from: u32, to: u32) -> DataFrame {
        frame(vec![
            uint("n", (from..to).map(Some)),
            text("id", (from..to).map(|n| format!("r{n}")).collect::<Vec<_>>().iter().map(|s| Some(s.as_str()))),
        ])
        .unwrap_or_default()
    }

    fn ids(df: &DataFrame) -> Vec<String> {
        strs(df, "id").unwrap_or_default().into_iter().map(|v| v.unwrap_or_default().to_owned()).collect()
    }

    #[test]
    fn runs_read_back_in_order_across_row_groups() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut spill = Spill::new(&dir.path().join("spill"), "t");
        let big = u32::try_from(RUN_GROUP_ROWS * 2 + 5).unwrap_or(u32::MAX);
        assert_eq!(spill.add(rows(0, big), false).ok(), Some(0));
        assert_eq!(spill.add(rows(0, 3), false).ok(), Some(1));
        assert_eq!(spill.add(rows(0, big), true).ok(), Some(2));
        let files = std::fs::read_dir(dir.path().join("spill")).map(Iterator::count).unwrap_or_default();
        assert_eq!(files, 2, "a held run is not written");
        let mut readers = spill.into_readers().unwrap_or_default();
        assert_eq!(readers.len(), 3);
        let mut seen = Vec::new();
        // Pieces that straddle row groups, then more than is left.
        for n in [1, RUN_GROUP_ROWS, RUN_GROUP_ROWS + 3, 10] {
            let part = readers[0].take(n).unwrap_or_default();
            seen.extend(ids(&part));
        }
        let expected: Vec<String> = (0..big).map(|n| format!("r{n}")).collect();
        assert_eq!(seen, expected);
        assert_eq!(readers[0].taken(), expected.len());
        assert_eq!(readers[0].take(1).map(|d| d.height()).ok(), Some(0));
        assert_eq!(ids(&readers[1].take(2).unwrap_or_default()), ["r0", "r1"]);
        assert_eq!(ids(&readers[1].take(2).unwrap_or_default()), ["r2"]);
        // A held run reads back the same way.
        let mut held = Vec::new();
        for n in [1, RUN_GROUP_ROWS, RUN_GROUP_ROWS + 3, 10] {
            held.extend(ids(&readers[2].take(n).unwrap_or_default()));
        }
        assert_eq!(held, expected);
        assert_eq!(readers[2].take(1).map(|d| d.height()).ok(), Some(0));
    }
}
