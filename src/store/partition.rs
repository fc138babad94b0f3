//! Hive-partitioned exports (`export --partition-by month`): one folder per table, one
//! `month=YYYY-MM` folder per month of the table's date column (`schema::month_column`), each
//! with one file. DuckDB (`read_parquet('entries/*/*.parquet', hive_partitioning = true)`),
//! Spark, Trino and pyarrow read such a folder as one table with a `month` column. Rows without
//! a date go to `month=__HIVE_DEFAULT_PARTITION__`, Hive's name for a null partition.
//!
//! A table's folder is written aside and renamed into place, so readers never see half of it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::columns::dates;
use super::io::{ExportFormat, export};
use crate::error::{Error, Result};

/// Hive's partition name for rows whose key is null.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// The rows of each month (`YYYY-MM`, or the null partition), in their table order.
pub fn months(df: &DataFrame, column: &str) -> PolarsResult<BTreeMap<String, Vec<IdxSize>>> {
    let mut groups: BTreeMap<String, Vec<IdxSize>> = BTreeMap::new();
    for (i, day) in dates(df, column)?.into_iter().enumerate() {
        let key = day.map_or_else(|| NULL_PARTITION.to_owned(), |d| d.format("%Y-%m").to_string());
        groups.entry(key).or_default().push(IdxSize::try_from(i).unwrap_or(IdxSize::MAX));
    }
    Ok(groups)
}

/// Writes `df` as `dir/month=…/part-0.EXT`, replacing `dir`; returns the number of partitions.
pub fn write_by_month(df: &DataFrame, column: &str, format: ExportFormat, dir: &Path) -> Result<usize> {
    let polars = |e| Error::polars(dir.display(), e);
    let groups = months(df, column).map_err(polars)?;
    let staging = sibling(dir, "tmp");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    for (month, rows) in &groups {
        let part = staging.join(format!("month={month}"));
        fs::create_dir_all(&part).map_err(|e| Error::io(&part, e))?;
        let idx = IdxCa::from_vec("idx".into(), rows.clone());
        let rows = df.take(&idx).map_err(polars)?;
        export(&rows, format, &part.join(format!("part-0.{}", format.extension())))?;
    }
    replace_dir(&staging, dir)?;
    Ok(groups.len())
}

fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir.file_name().map_or_else(|| "table".into(), |n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Puts the folder `new` where `dir` is: the old one is moved aside first and removed after.
fn replace_dir(new: &Path, dir: &Path) -> Result<()> {
    let old = sibling(dir, "old");
    let had = dir.exists();
    if had {
        fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
    }
    fs::rename(new, dir).map_err(|e| Error::io(dir, e))?;
    if had {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::store::columns::{date, frame, text};

    #[test]
    fn rows_go_to_their_month_and_nulls_to_the_default_partition() {
        let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d);
        let days = [day(9, 30), day(10, 1), None, day(9, 1)];
        let df = frame(vec![
            date("digest_date", days.into_iter()).unwrap_or_else(|_| Column::new_empty("x".into(), &DataType::Date)),
            text("id", ["a", "b", "c", "d"].into_iter().map(Some)),
        ])
        .unwrap_or_default();
        let groups = months(&df, "digest_date").unwrap_or_default();
        let keys: Vec<&str> = groups.keys().map(String::as_str).collect();
        assert_eq!(keys, ["2025-09", "2025-10", NULL_PARTITION]);
        assert_eq!(groups["2025-09"], [0, 3]);

        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("digests");
        assert_eq!(write_by_month(&df, "digest_date", ExportFormat::Csv, &out).ok(), Some(3));
        let sept = fs::read_to_string(out.join("month=2025-09/part-0.csv")).unwrap_or_default();
        assert_eq!(sept.lines().count(), 3, "{sept}");
        assert!(sept.contains(",a") && sept.contains(",d"));
        // Written again, the folder is replaced, not added to.
        let one = df.head(Some(1));
        assert_eq!(write_by_month(&one, "digest_date", ExportFormat::Csv, &out).ok(), Some(1));
        assert_eq!(fs::read_dir(&out).map(|d| d.count()).unwrap_or(0), 1);
    }
}
