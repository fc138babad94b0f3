//! File IO for the store and exports: Parquet, CSV (lists joined with `; `) and NDJSON, every
//! write to a hidden temporary file first and then renamed over the target.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

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

/// Reads only `columns` of a Parquet file (all with `None`): the long text columns of `entries`
/// are most of the store and most readers need none of them.
pub fn read_parquet_columns(path: &Path, columns: Option<&[&str]>) -> Result<DataFrame> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let columns = columns.map(|c| c.iter().map(|&n| n.to_owned()).collect());
    ParquetReader::new(file).with_columns(columns).finish().map_err(|e| Error::polars(path.display(), e))
}

/// The column names of a Parquet file, from its footer.
pub fn parquet_columns(path: &Path) -> Result<Vec<String>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let schema = ParquetReader::new(file).schema().map_err(|e| Error::polars(path.display(), e))?;
    Ok(schema.iter_names().map(|n| n.to_string()).collect())
}

/// The number of rows of a Parquet file, from its footer.
pub fn parquet_rows(path: &Path) -> Result<usize> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(file).num_rows().map_err(|e| Error::polars(path.display(), e))
}

/// Writes a Parquet file with zstd compression (inside a staging folder, or atomically).
pub fn write_parquet(df: &DataFrame, path: &Path) -> Result<()> {
    let mut df = df.clone();
    let mut file = File::create(path).map_err(|e| Error::io(path, e))?;
    ParquetWriter::new(&mut file)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::full())
        .finish(&mut df)
        .map_err(|e| Error::polars(path.display(), e))?;
    file.sync_all().map_err(|e| Error::io(path, e))
}

/// Writes a table in an export format, atomically.
pub fn export(df: &DataFrame, format: ExportFormat, path: &Path) -> Result<()> {
    let bytes = encode(df, format).map_err(|e| Error::polars(path.display(), e))?;
    write_atomic(path, &bytes)
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
