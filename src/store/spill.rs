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

/// Rows per row group of a run file: a reader holds at most one row group of each run it has not
/// finished, and a merge reads from every run at once. At most `RUN_GROUP_ROWS`, and for long
/// rows (entries with their abstracts, 2 kB each on the bench corpus) as many as take about
/// `RUN_GROUP_BYTES`, but not fewer than `MIN_RUN_GROUP_ROWS`. The real archive's fresh ingest
/// merges 53 runs of entries: 1 MB groups peaked 60-80 MB lower than 2 MB ones (alternating runs).
const RUN_GROUP_ROWS: usize = 4096;
const RUN_GROUP_BYTES: usize = 1 << 20;
const MIN_RUN_GROUP_ROWS: usize = 256;

/// Rows per row group of a run file of `df` (see `RUN_GROUP_ROWS`).
fn run_group_rows(df: &DataFrame) -> usize {
    let per_row = (df.estimated_size() / df.height().max(1)).max(1);
    (RUN_GROUP_BYTES / per_row).clamp(MIN_RUN_GROUP_ROWS, RUN_GROUP_ROWS)
}

/// One table's rows set aside, as runs in the order they were added.
#[derive(Debug)]
pub struct Spill {
    dir: PathBuf,
    table: &'static str,
    runs: Vec<Run>,
}

/// A run: held in memory, or a file with what each of its row groups takes in memory per row
/// (`memory_row_bytes`).
#[derive(Debug)]
enum Run {
    Held(DataFrame),
    File(PathBuf, Vec<(usize, usize)>),
}

/// Per row group of `rows` rows of `df` (its row groups as written), the row after it and the
/// bytes a row of it takes when gathered in memory: the bytes of its texts with a 16-byte view
/// each, and the other columns' average width. A Parquet file's own sizes say less where texts
/// repeat (a dictionary page holds each once): the real archive's entries took three times what
/// their row groups' sizes said, and a merged row group planned by those sizes was 150 MB.
fn memory_row_bytes(df: &DataFrame, rows: usize) -> Vec<(usize, usize)> {
    let n = df.height();
    let mut text = vec![0usize; n];
    let mut other = 0;
    for column in df.columns() {
        match column.str() {
            Ok(texts) => {
                for (bytes, value) in text.iter_mut().zip(texts.iter()) {
                    *bytes += 16 + value.map_or(0, str::len);
                }
            }
            Err(_) => other += column.as_materialized_series().estimated_size(),
        }
    }
    let other = other / n.max(1);
    (0..n)
        .step_by(rows.max(1))
        .map(|start| {
            let end = (start + rows.max(1)).min(n);
            (end, text[start..end].iter().sum::<usize>() / (end - start).max(1) + other)
        })
        .collect()
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
            let rows = run_group_rows(&df);
            file.write_groups(&df, rows)?;
            file.finish()?;
            self.runs.push(Run::File(path, memory_row_bytes(&df, rows)));
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
                Run::File(path, row_bytes) => {
                    let mut reader = RunReader::open(&path)?;
                    if row_bytes.last().map(|&(end, _)| end) == reader.row_bytes.last().map(|&(end, _)| end) {
                        reader.row_bytes = row_bytes;
                    }
                    Ok(reader)
                }
            })
            .collect()
    }
}

/// Reads a table's Parquet file or files (or rows held in memory) from front to back in row
/// groups, handing out the rows asked for.
#[derive(Debug)]
pub struct RunReader {
    files: Vec<PathBuf>,
    /// The row groups not read yet, last first: (file, first row in the file, rows).
    groups: Vec<(usize, usize, usize)>,
    /// Rows read and not handed out yet.
    buffer: Option<DataFrame>,
    /// Per row group in row order, the row after it and the bytes of each of its rows (its
    /// uncompressed bytes shared out; of a run, what they took in memory (`memory_row_bytes`);
    /// of rows held in memory, their estimated size).
    row_bytes: Vec<(usize, usize)>,
    /// Rows handed out or skipped so far: the number of the next row.
    taken: usize,
}

impl RunReader {
    /// A reader at the first row of a table's Parquet file or files (`io::table_files`).
    pub fn open(path: &Path) -> Result<RunReader> {
        let files = super::io::table_files(path)?;
        let (mut groups, mut row_bytes) = (Vec::new(), Vec::new());
        let mut end = 0;
        for (f, file) in files.iter().enumerate() {
            let mut start = 0;
            for (rows, bytes) in super::io::row_groups(file)? {
                groups.push((f, start, rows));
                start += rows;
                end += rows;
                row_bytes.push((end, bytes / rows.max(1)));
            }
        }
        groups.reverse();
        Ok(RunReader { files, groups, buffer: None, row_bytes, taken: 0 })
    }

    /// A reader with no rows.
    pub fn open_empty() -> RunReader {
        RunReader { files: Vec::new(), groups: Vec::new(), buffer: None, row_bytes: Vec::new(), taken: 0 }
    }

    /// A reader of rows held in memory.
    pub fn held(df: DataFrame) -> RunReader {
        let row_bytes = vec![(df.height(), df.estimated_size() / df.height().max(1))];
        RunReader { buffer: (df.height() > 0).then_some(df), row_bytes, ..RunReader::open_empty() }
    }

    /// About how many bytes row `row` takes in memory (from the size of its row group).
    pub fn row_bytes(&self, row: usize) -> usize {
        let at = self.row_bytes.partition_point(|&(end, _)| end <= row);
        self.row_bytes.get(at).map_or(0, |&(_, bytes)| bytes)
    }

    /// The files read, in order, each with its rows not read yet (all of them before the first
    /// `take` or `skip_to`; from the footers read when opened).
    pub fn file_rows(&self) -> Vec<(PathBuf, usize)> {
        let mut rows = vec![0; self.files.len()];
        for &(file, _, n) in &self.groups {
            if let Some(r) = rows.get_mut(file) {
                *r += n;
            }
        }
        self.files.iter().cloned().zip(rows).collect()
    }

    /// How many rows were handed out or skipped: the number of the next row.
    pub fn taken(&self) -> usize {
        self.taken
    }

    /// Passes over the rows before row `row`; row groups that lie wholly before it are not read.
    pub fn skip_to(&mut self, row: usize) -> Result<()> {
        if row <= self.taken {
            return Ok(());
        }
        if let Some(buffer) = self.buffer.take() {
            let n = (row - self.taken).min(buffer.height());
            let tail = buffer.slice(i64::try_from(n).unwrap_or(i64::MAX), buffer.height() - n);
            self.buffer = (tail.height() > 0).then_some(tail);
            self.taken += n;
        }
        while self.buffer.is_none() && self.taken < row {
            match self.groups.last() {
                Some(&(_, _, rows)) if self.taken + rows <= row => {
                    self.groups.pop();
                    self.taken += rows;
                }
                Some(_) => {
                    let n = row - self.taken;
                    self.take(n)?;
                }
                None => break,
            }
        }
        Ok(())
    }

    /// The next `n` rows (fewer at the end of the file).
    pub fn take(&mut self, n: usize) -> Result<DataFrame> {
        let mut held = self.buffer.as_ref().map_or(0, DataFrame::height);
        // The row groups that hold the rest, each file's read at once.
        while held < n {
            let Some((file, start, mut rows)) = self.groups.pop() else { break };
            while held + rows < n {
                match self.groups.last() {
                    Some(&(f, s, r)) if f == file && s == start + rows => {
                        self.groups.pop();
                        rows += r;
                    }
                    _ => break,
                }
            }
            let Some(path) = self.files.get(file) else { break };
            let group = read_parquet_slice(path, None, start, rows)?;
            held += group.height();
            match self.buffer.as_mut() {
                Some(b) => {
                    b.vstack_mut_owned(group).map_err(|e| Error::polars(path.display(), e))?;
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
    fn a_run_file_tells_what_its_rows_take_in_memory_not_what_parquet_stored() {
        // 6,000 rows: the first 3,000 carry one repeated 2 kB text (a dictionary page stores it
        // once), the rest a short one.
        let long = "x".repeat(2000);
        let values: Vec<&str> = (0..6000).map(|i| if i < 3000 { long.as_str() } else { "short" }).collect();
        let df = frame(vec![uint("n", (0..6000).map(Some)), text("abstract", values.iter().map(|v| Some(*v)))])
            .unwrap_or_default();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut spill = Spill::new(dir.path(), "t");
        assert!(spill.add(df, false).is_ok());
        let readers = spill.into_readers().unwrap_or_else(|e| panic!("{e}"));
        let reader = &readers[0];
        let group = run_group_rows(&frame(vec![text("abstract", values.iter().map(|v| Some(*v)))]).unwrap_or_default());
        assert!(group <= 3000, "long rows make small run groups: {group}");
        // A row of the long stretch takes its 2 kB, a short row a few bytes beside its views.
        assert!(reader.row_bytes(0) >= 2000 + 16, "{}", reader.row_bytes(0));
        assert!(reader.row_bytes(5999) < 64, "{}", reader.row_bytes(5999));
        let on_disk =
            super::super::io::row_groups(&dir.path().join("t-000000.parquet")).unwrap_or_else(|e| panic!("{e}"));
        assert!(on_disk[0].1 / on_disk[0].0.max(1) < 2000, "Parquet's own size of the repeated text is smaller");
    }

    #[test]
    fn a_folder_of_segments_reads_in_order_and_skipped_row_groups_are_passed_over() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path().join("t");
        std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
        for (i, (from, to)) in [(0, 5000), (5000, 5003), (5003, 9000)].into_iter().enumerate() {
            let part = rows(from, to);
            let written = ParquetParts::create(&folder.join(format!("part-{i:06}.parquet")), &part, true)
                .and_then(|mut f| f.write_groups(&part, RUN_GROUP_ROWS).and_then(|()| f.finish()));
            assert!(written.is_ok());
        }
        let mut reader = RunReader::open(&folder).unwrap_or_else(|e| panic!("{e}"));
        let names = |from: u32, to: u32| (from..to).map(|n| format!("r{n}")).collect::<Vec<_>>();
        assert_eq!(ids(&reader.take(3).unwrap_or_default()), names(0, 3));
        // Into the second row group of the first file, then across files.
        assert!(reader.skip_to(4100).is_ok());
        assert_eq!(reader.taken(), 4100);
        assert_eq!(ids(&reader.take(10).unwrap_or_default()), names(4100, 4110));
        assert!(reader.skip_to(5001).is_ok());
        assert_eq!(ids(&reader.take(4).unwrap_or_default()), names(5001, 5005));
        assert!(reader.skip_to(8990).is_ok());
        assert_eq!(ids(&reader.take(100).unwrap_or_default()), names(8990, 9000));
        assert_eq!(reader.take(1).map(|d| d.height()).ok(), Some(0));
    }

    #[test]
    fn a_run_of_long_rows_is_written_in_smaller_row_groups() {
        let short = rows(0, 10);
        assert_eq!(run_group_rows(&short), RUN_GROUP_ROWS);
        let long: String = "x".repeat(20_000);
        let wide = frame(vec![text("t", (0..10).map(|_| Some(long.as_str())))]).unwrap_or_default();
        assert_eq!(run_group_rows(&wide), (RUN_GROUP_BYTES / (wide.estimated_size() / 10)).max(MIN_RUN_GROUP_ROWS));
        assert!(run_group_rows(&wide) < RUN_GROUP_ROWS);
        assert_eq!(run_group_rows(&DataFrame::empty()), RUN_GROUP_ROWS, "no rows: nothing to measure");
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
