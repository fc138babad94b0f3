//! File IO for the store and exports: Parquet, CSV (lists joined with `; `) and NDJSON, every
//! write to a hidden temporary file first and then renamed over the target.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars_parquet::write as parquet;
use rayon::prelude::*;

use crate::error::{Error, Result};

/// How exported tables are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Parquet,
    Ndjson,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Parquet => "parquet",
            ExportFormat::Ndjson => "ndjson",
        }
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to a new file (no rename; for files inside a staging folder).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = File::create(path).map_err(|e| Error::io(path, e))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| Error::io(path, e))
}

/// Writes `bytes` beside `path` and renames the result over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |file| file.write_all(bytes).map_err(|e| Error::io(path, e)))
}

/// `write_atomic`, unless `path` already holds exactly `bytes`: then nothing is written, so its
/// modification time says when its content last changed (for rsync, static site builders and
/// `make`). Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    write_atomic(path, bytes).map(|()| true)
}

/// Runs `write` on a temporary file beside `path`, then renames it over `path`.
fn write_with(path: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let tmp = temp_path(path);
    let result = File::create(&tmp)
        .map_err(|e| Error::io(&tmp, e))
        .and_then(|mut file| {
            write(&mut file)?;
            file.sync_all().map_err(|e| Error::io(&tmp, e))
        })
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| Error::io(path, e)));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The Parquet files of a table at `path`, in table order: the part files of a folder (in name
/// order; see `Staging::write_segments`), or the file itself.
pub fn table_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let entries = fs::read_dir(path).map_err(|e| Error::io(path, e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.ends_with(".parquet") && !n.starts_with('.')))
        .map(|e| e.path())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Store(format!("{}: a table folder without Parquet files", path.display())));
    }
    Ok(files)
}

/// Reads only `columns` of a table's Parquet file or files (all with `None`): the long text
/// columns of `entries` are most of the store and most readers need none of them.
pub fn read_parquet_columns(path: &Path, columns: Option<&[&str]>) -> Result<DataFrame> {
    let mut whole: Option<DataFrame> = None;
    for file_path in table_files(path)? {
        let file = File::open(&file_path).map_err(|e| Error::io(&file_path, e))?;
        let columns = columns.map(|c| c.iter().map(|&n| n.to_owned()).collect());
        let part = ParquetReader::new(file)
            .with_columns(columns)
            .finish()
            .map_err(|e| Error::polars(file_path.display(), e))?;
        match whole.as_mut() {
            Some(w) => {
                w.vstack_mut_owned(part).map_err(|e| Error::polars(file_path.display(), e))?;
            }
            None => whole = Some(part),
        }
    }
    Ok(whole.unwrap_or_default())
}

/// The column names of a table's Parquet file (the first of its files), from its footer.
pub fn parquet_columns(path: &Path) -> Result<Vec<String>> {
    let first = table_files(path)?.into_iter().next().unwrap_or_else(|| path.to_owned());
    let file = File::open(&first).map_err(|e| Error::io(&first, e))?;
    let schema = ParquetReader::new(file).schema().map_err(|e| Error::polars(first.display(), e))?;
    Ok(schema.iter_names().map(|n| n.to_string()).collect())
}

/// Whether a table's Parquet file (or the first of its files) has the columns of `like`, in its
/// order: a stored file that may be linked into a new generation as it is.
pub fn has_columns_of(path: &Path, like: &DataFrame) -> Result<bool> {
    let names = parquet_columns(path)?;
    Ok(names.iter().map(String::as_str).eq(like.get_column_names().iter().map(|c| c.as_str())))
}

/// The number of rows of a table's Parquet file or files, from their footers.
pub fn parquet_rows(path: &Path) -> Result<usize> {
    let mut rows = 0;
    for file_path in table_files(path)? {
        let file = File::open(&file_path).map_err(|e| Error::io(&file_path, e))?;
        rows += ParquetReader::new(file).num_rows().map_err(|e| Error::polars(file_path.display(), e))?;
    }
    Ok(rows)
}

/// Writes a Parquet file with zstd compression (inside a staging folder, or atomically), in row
/// groups of `WHOLE_GROUP_ROWS` rows.
pub fn write_parquet(df: &DataFrame, path: &Path) -> Result<()> {
    write_parquet_parts(path, df, [Ok(df.clone())])
}

/// Writes a Parquet file as `write_parquet` does, from parts in order, a part at a time (the
/// whole is never in memory); `like` has the columns (a file without parts has no rows).
pub fn write_parquet_parts(
    path: &Path,
    like: &DataFrame,
    parts: impl IntoIterator<Item = Result<DataFrame>>,
) -> Result<()> {
    let mut file = ParquetParts::create(path, like, false)?;
    for part in parts {
        file.write_groups(&part?, WHOLE_GROUP_ROWS)?;
    }
    file.finish()
}

/// Bytes gathered before a Parquet file is written to.
const WRITE_BUFFER: usize = 1 << 20;

/// Rows per row group of a table written whole (polars' own default).
pub const WHOLE_GROUP_ROWS: usize = 512 * 512;

/// Rows per row group of a Parquet file written in parts: a row group is read whole, so this
/// bounds what reading a slice of a table decodes.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// A Parquet file written a part at a time (`ParquetParts::write`), for a table too big to hold
/// whole; readable only once `finish` wrote its footer. As the store writes: zstd with
/// statistics, or (`fast`, for files read back once and removed) uncompressed and without (lz4
/// was 6% of the CPU time of a fresh ingest of the real archive). Each row group is
/// encoded a column per core and its pages compressed a page per core (the long texts are most of
/// a table's bytes: compressing them one after the other left a core idle), then written in order
/// through a buffer: the writer writes each page header a field at a time, and unbuffered that was
/// 414,470 `write` calls for an ingest of 329 MB of Markdown and a third of an ingest's system
/// time.
pub struct ParquetParts {
    path: PathBuf,
    writer: parquet::FileWriter<BufWriter<File>>,
    /// The Parquet type and encodings of each column, and how pages are written.
    types: Vec<parquet::ParquetType>,
    encodings: Vec<Vec<parquet::Encoding>>,
    options: parquet::WriteOptions,
    /// Flushed to disk when finished (a table of the store, not a file read back and removed).
    durable: bool,
}

impl std::fmt::Debug for ParquetParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetParts").field("path", &self.path).finish_non_exhaustive()
    }
}

impl ParquetParts {
    /// A new file with the columns of `like`, compressed with zstd (`fast`: uncompressed and not
    /// flushed to disk, for files that are read back once and removed).
    pub fn create(path: &Path, like: &DataFrame, fast: bool) -> Result<ParquetParts> {
        let polars = |e| Error::polars(path.display(), e);
        let (compression, statistics) = if fast {
            (ParquetCompression::Uncompressed, parquet::StatisticsOptions::empty())
        } else {
            (ParquetCompression::Zstd(None), parquet::StatisticsOptions::full())
        };
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let arrow = like.schema().to_arrow(CompatLevel::newest());
        let encodings = polars::io::parquet::write::get_encodings(&arrow).iter().cloned().collect();
        let options = parquet::WriteOptions {
            statistics,
            version: parquet::Version::V1,
            compression: compression.into(),
            data_page_size: None,
        };
        let writer = parquet::FileWriter::try_new(BufWriter::with_capacity(WRITE_BUFFER, file), arrow, options)
            .map_err(polars)?;
        let types = writer.parquet_schema().fields().to_vec();
        Ok(ParquetParts { path: path.to_owned(), writer, types, encodings, options, durable: !fast })
    }

    /// Appends `df` (with the columns the file was created with) as row groups of at most
    /// `ROW_GROUP_ROWS` rows.
    pub fn write(&mut self, df: &DataFrame) -> Result<()> {
        self.write_groups(df, ROW_GROUP_ROWS)
    }

    /// Appends `df` as row groups of at most `rows` rows.
    pub fn write_groups(&mut self, df: &DataFrame, rows: usize) -> Result<()> {
        let mut offset = 0;
        while offset < df.height() {
            let mut part = df.slice(i64::try_from(offset).unwrap_or(i64::MAX), rows.max(1));
            part.rechunk_mut_par();
            self.write_group(&part)?;
            offset += rows.max(1);
        }
        Ok(())
    }

    /// Writes one row group: every column encoded into pages on every core, every page compressed
    /// on every core, then the pages written in column order.
    fn write_group(&mut self, part: &DataFrame) -> Result<()> {
        let failed = |e: &dyn std::fmt::Display| Error::Store(format!("{}: {e}", self.path.display()));
        for batch in part.iter_chunks(CompatLevel::newest(), false) {
            let rows = u64::try_from(batch.len()).unwrap_or(u64::MAX);
            let columns: Vec<_> = batch.columns().iter().zip(&self.types).zip(&self.encodings).collect();
            // Each column's leaves (a list column has one below it), each leaf's pages.
            let leaves: Vec<Vec<parquet::Page>> = columns
                .into_par_iter()
                .map(|((array, kind), encoding)| -> PolarsResult<Vec<Vec<parquet::Page>>> {
                    parquet::array_to_columns(array, kind.clone(), self.options, encoding)?
                        .into_iter()
                        .map(|pages| pages.collect::<PolarsResult<Vec<parquet::Page>>>())
                        .collect()
                })
                .collect::<PolarsResult<Vec<_>>>()
                .map_err(|e| failed(&e))?
                .into_iter()
                .flatten()
                .collect();
            let compression = self.options.compression;
            let compressed: Vec<Vec<parquet::CompressedPage>> = leaves
                .into_par_iter()
                .map(|pages| pages.into_par_iter().map(|p| parquet::compress(p, Vec::new(), compression)).collect())
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| failed(&e))?;
            let group = parquet::DynIter::new(compressed.iter().map(|pages| {
                Ok(parquet::DynStreamingIterator::new(parquet::fallible_streaming_iterator::convert(
                    pages.iter().map(PolarsResult::Ok),
                )))
            }));
            self.writer.write(rows, group).map_err(|e| failed(&e))?;
        }
        Ok(())
    }

    /// Writes the footer and, for a durable file, flushes it to disk.
    pub fn finish(mut self) -> Result<()> {
        // No metadata given: the writer adds the Arrow schema, as polars' own writer does.
        self.writer.end(None).map_err(|e| Error::polars(self.path.display(), e))?;
        let file = self.writer.into_inner().into_inner().map_err(|e| Error::io(&self.path, e.into_error()))?;
        if self.durable { file.sync_all().map_err(|e| Error::io(&self.path, e)) } else { Ok(()) }
    }
}

/// Reads `len` rows from row `offset` of `columns` of a Parquet file (all with `None`).
pub fn read_parquet_slice(path: &Path, columns: Option<&[&str]>, offset: usize, len: usize) -> Result<DataFrame> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let columns = columns.map(|c| c.iter().map(|&n| n.to_owned()).collect());
    ParquetReader::new(file)
        .with_columns(columns)
        .with_slice(Some((offset, len)))
        .finish()
        .map_err(|e| Error::polars(path.display(), e))
}

/// The number of rows of each row group of a Parquet file, in order.
pub fn row_group_sizes(path: &Path) -> Result<Vec<usize>> {
    Ok(row_groups(path)?.into_iter().map(|(rows, _)| rows).collect())
}

/// The rows and uncompressed bytes of each row group of a Parquet file, in order.
pub fn row_groups(path: &Path) -> Result<Vec<(usize, usize)>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = ParquetReader::new(file);
    let metadata = reader.get_metadata().map_err(|e| Error::polars(path.display(), e))?;
    Ok(metadata.row_groups.iter().map(|g| (g.num_rows(), g.total_byte_size())).collect())
}

/// Calls `each` with `columns` of a table's Parquet file or files one row group at a time, in
/// row order, with the number of the group's first row: a column too big to hold is read through.
/// The next row group is decoded on another thread while `each` works on this one (at most one
/// group ahead): decoding and `each` took turns before.
pub fn each_row_group(path: &Path, columns: &[&str], each: impl FnMut(usize, DataFrame) -> Result<()>) -> Result<()> {
    each_row_group_from(path, columns, 0, each)
}

/// `each_row_group` for the row groups that hold row `from` or rows after it: the groups before
/// are not read (the first group read may start before `from`).
pub fn each_row_group_from(
    path: &Path,
    columns: &[&str],
    from: usize,
    mut each: impl FnMut(usize, DataFrame) -> Result<()>,
) -> Result<()> {
    let mut groups = Vec::new();
    let mut first = 0;
    for file in table_files(path)? {
        let mut offset = 0;
        for rows in row_group_sizes(&file)? {
            if first + rows > from {
                groups.push((file.clone(), offset, rows, first));
            }
            offset += rows;
            first += rows;
        }
    }
    std::thread::scope(|scope| {
        let (ahead, groups_read) = std::sync::mpsc::sync_channel::<Result<(usize, DataFrame)>>(1);
        scope.spawn(move || {
            for (file, offset, rows, first) in groups {
                let group = read_parquet_slice(&file, Some(columns), offset, rows).map(|df| (first, df));
                let failed = group.is_err();
                // A closed channel: `each` failed and no more groups are wanted.
                if ahead.send(group).is_err() || failed {
                    break;
                }
            }
        });
        for group in groups_read {
            let (first, df) = group?;
            each(first, df)?;
        }
        Ok(())
    })
}

/// Writes a table in an export format, atomically.
pub fn export(df: &DataFrame, format: ExportFormat, path: &Path) -> Result<()> {
    let bytes = encode(df, format).map_err(|e| Error::polars(path.display(), e))?;
    write_atomic(path, &bytes)
}

/// The rows of an exported Parquet row group: what polars' writer makes of a whole table.
const EXPORT_GROUP_ROWS: usize = 512 * 512;

/// The most bytes (as polars estimates them) gathered for an exported Parquet row group: a
/// table of long rows is cut into smaller groups rather than held a quarter of a million rows
/// at a time (2 kB entries would be half a gigabyte, copied once more to be written).
const EXPORT_GROUP_BYTES: usize = 192 << 20;

/// The rows encoded at a time in an exported CSV or NDJSON file.
const EXPORT_SLICE_ROWS: usize = 8192;

/// Writes the parts of one table (frames of the same columns, in table order: a stored segment
/// at a time) to `path` in an export format as they come, atomically (a temporary file renamed
/// over `path` at the end): memory holds one part and its encoding, not the table. CSV and NDJSON
/// are the bytes `encode` gives for the whole table (one header; a line per row); Parquet has the
/// rows of the whole table in row groups of whole parts, each of at least as many rows as polars
/// puts in one (then often the same bytes) unless it reaches `EXPORT_GROUP_BYTES` first.
/// Returns the rows written.
pub fn export_parts(
    mut parts: impl Iterator<Item = Result<DataFrame>>,
    format: ExportFormat,
    path: &Path,
) -> Result<usize> {
    let polars = |e| Error::polars(path.display(), e);
    let Some(first) = parts.next().transpose()? else {
        return export(&DataFrame::default(), format, path).map(|()| 0);
    };
    // A table of one part is written whole, as `export` writes it.
    let mut parts = parts.peekable();
    if parts.peek().is_none() {
        return export(&first, format, path).map(|()| first.height());
    }
    let mut rows = 0;
    write_with(path, |file| {
        let mut out = BufWriter::new(file);
        let io = |e| Error::io(path, e);
        match format {
            ExportFormat::Parquet => {
                let mut writer = ParquetWriter::new(&mut out)
                    .with_compression(ParquetCompression::Zstd(None))
                    .batched(first.schema())
                    .map_err(polars)?;
                // Parts gathered into row groups of the size a whole-table write makes (one per
                // segment of 65,536 rows compressed 40% worse).
                let mut group = DataFrame::default();
                for part in std::iter::once(Ok(first)).chain(parts) {
                    let part = part?;
                    rows += part.height();
                    if group.width() == 0 {
                        group = part;
                    } else {
                        group.vstack_mut_owned(part).map_err(polars)?;
                    }
                    if group.height() >= EXPORT_GROUP_ROWS || group.estimated_size() >= EXPORT_GROUP_BYTES {
                        // One chunk: the writer makes a row group of each.
                        writer.write_batch(std::mem::take(&mut group).rechunk_mut()).map_err(polars)?;
                    }
                }
                if group.width() > 0 {
                    writer.write_batch(group.rechunk_mut()).map_err(polars)?;
                }
                writer.finish().map_err(polars)?;
            }
            ExportFormat::Csv | ExportFormat::Ndjson => {
                // Each part encoded a slice at a time (a segment of long entries is 260 MB).
                let mut header = true;
                for part in std::iter::once(Ok(first)).chain(parts) {
                    let part = part?;
                    rows += part.height();
                    for start in (0..part.height().max(1)).step_by(EXPORT_SLICE_ROWS) {
                        let mut slice = part.slice(i64::try_from(start).unwrap_or(i64::MAX), EXPORT_SLICE_ROWS);
                        let mut bytes = Vec::new();
                        match format {
                            ExportFormat::Csv => CsvWriter::new(&mut bytes)
                                .include_header(header)
                                .finish(&mut lists_joined(&slice).map_err(polars)?)
                                .map_err(polars)?,
                            _ => JsonWriter::new(&mut bytes)
                                .with_json_format(JsonFormat::JsonLines)
                                .finish(&mut slice)
                                .map_err(polars)?,
                        }
                        header = false;
                        out.write_all(&bytes).map_err(io)?;
                    }
                }
            }
        }
        out.flush().map_err(io)
    })?;
    Ok(rows)
}

/// A table encoded in an export format, in memory.
pub fn encode(df: &DataFrame, format: ExportFormat) -> PolarsResult<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        ExportFormat::Csv => CsvWriter::new(&mut out).include_header(true).finish(&mut lists_joined(df)?)?,
        ExportFormat::Parquet => {
            ParquetWriter::new(&mut out).with_compression(ParquetCompression::Zstd(None)).finish(&mut df.clone())?;
        }
        ExportFormat::Ndjson => {
            JsonWriter::new(&mut out).with_json_format(JsonFormat::JsonLines).finish(&mut df.clone())?
        }
    }
    Ok(out)
}

/// A JSON array of the table's rows.
pub fn encode_json_array(df: &DataFrame) -> PolarsResult<Vec<u8>> {
    let mut out = Vec::new();
    JsonWriter::new(&mut out).with_json_format(JsonFormat::Json).finish(&mut df.clone())?;
    Ok(out)
}

/// The table with every list column turned into text joined with `; ` (CSV has no lists).
pub fn lists_joined(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    for column in df.columns() {
        if let DataType::List(_) = column.dtype() {
            let joined: StringChunked = column
                .list()?
                .series_iter()
                .map(|value| {
                    value.map(|s| {
                        let s = s.cast(&DataType::String).unwrap_or(s);
                        s.str().map(|ca| ca.iter().flatten().collect::<Vec<_>>().join("; ")).unwrap_or_default()
                    })
                })
                .collect();
            out.with_column(joined.into_series().with_name(column.name().clone()).into())?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts with nulls and a list column, as the store's tables have.
    fn part(from: i64, rows: usize) -> DataFrame {
        let ids: Vec<i64> = (from..from + rows as i64).collect();
        let titles: Vec<Option<String>> =
            ids.iter().map(|i| (i % 3 != 0).then(|| format!("title {i} {}", "x".repeat(*i as usize % 40)))).collect();
        let authors: Vec<Series> = ids
            .iter()
            .map(|i| Series::new("".into(), (0..i % 4).map(|a| format!("author {a}")).collect::<Vec<_>>()))
            .collect();
        DataFrame::new(
            rows,
            vec![
                Column::new("id".into(), ids),
                Column::new("title".into(), titles),
                Column::new("authors".into(), authors),
            ],
        )
        .expect("a frame")
    }

    #[test]
    fn a_table_exported_a_part_at_a_time_is_the_table_exported_whole() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        // An empty first part, a part of several encoding slices and of the Parquet row groups
        // a whole write makes, a small last part.
        let parts = [
            part(0, 5).slice(0, 0),
            part(0, EXPORT_SLICE_ROWS * 2 + 7),
            part(50_000, EXPORT_GROUP_ROWS),
            part(900_000, 3),
        ];
        let mut whole = parts[0].clone();
        for p in &parts[1..] {
            whole.vstack_mut(p).expect("stacked");
        }
        for format in [ExportFormat::Csv, ExportFormat::Ndjson, ExportFormat::Parquet] {
            let (split, one) = (tmp.path().join("split"), tmp.path().join("one"));
            let rows = export_parts(parts.iter().cloned().map(Ok), format, &split).expect("exported in parts");
            assert_eq!(rows, whole.height());
            export(&whole, format, &one).expect("exported whole");
            let (split, one) = (fs::read(&split).expect("read"), fs::read(&one).expect("read"));
            match format {
                // The same rows (cut into row groups as the parts come).
                ExportFormat::Parquet => {
                    let read = |b: Vec<u8>| ParquetReader::new(std::io::Cursor::new(b)).finish().expect("parquet");
                    assert!(read(split).equals_missing(&read(one)));
                }
                _ => assert!(split == one, "{format:?}: the parts' bytes differ from the whole's"),
            }
        }
    }

    #[test]
    fn a_file_written_in_parts_through_the_buffer_reads_back_whole() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        for fast in [false, true] {
            let path = tmp.path().join(format!("parts-{fast}.parquet"));
            let (a, b) = (part(0, 70_000), part(70_000, 5));
            let mut file = ParquetParts::create(&path, &a, fast).expect("created");
            file.write(&a).expect("first part");
            file.write(&b).expect("second part");
            file.finish().expect("finished");
            let mut whole = a.clone();
            whole.vstack_mut(&b).expect("stacked");
            let read = read_parquet_columns(&path, None).expect("read back");
            assert!(read.equals_missing(&whole), "fast: {fast}");
            // 70,005 rows in parts of at most ROW_GROUP_ROWS: the first part is two row groups.
            assert_eq!(row_group_sizes(&path).expect("row groups"), [ROW_GROUP_ROWS, 70_000 - ROW_GROUP_ROWS, 5]);
        }
    }

    /// Buffered writes fail late: a file that cannot be written must still be an error (at the
    /// latest when it is finished), never a short file taken for a whole one.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_parquet_file_that_cannot_be_written_is_an_error() {
        let full = Path::new("/dev/full");
        if !full.exists() {
            eprintln!("skipped a_parquet_file_that_cannot_be_written_is_an_error: no /dev/full");
            return;
        }
        let small = part(0, 10);
        let result = ParquetParts::create(full, &small, true).and_then(|mut file| {
            file.write(&small)?;
            file.finish()
        });
        let err = result.expect_err("writing to a full device fails");
        assert!(err.to_string().contains("/dev/full"), "{err}");
    }
}
