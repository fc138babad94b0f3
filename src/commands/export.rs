//! `digestlens export [--store DIR] --to DIR [--format csv|parquet|ndjson] [--tables LIST]
//! [--partition-by month]`.

use anyhow::Context;

use super::Outcome;
use crate::cli::ExportArgs;
use crate::error::Error;
use crate::store::io::{self, ExportFormat};
use crate::store::{Store, partition, schema};

pub fn run(args: &ExportArgs) -> anyhow::Result<Outcome> {
    let names: Vec<String> = if args.tables.is_empty() {
        schema::TABLES.iter().map(|t| (*t).to_owned()).collect()
    } else {
        args.tables.iter().map(|t| t.trim().to_owned()).collect()
    };
    if let Some(bad) = names.iter().find(|n| !schema::TABLES.contains(&n.as_str())) {
        return Err(
            Error::Usage(format!("--tables: no table named {bad:?} (tables: {})", schema::TABLES.join(", "))).into()
        );
    }
    let store = Store::new(args.store.dir());
    store.require()?;
    // A table at a time, and a table a stored file at a time: reading every table first took
    // 4.1 GB to export the real archive's store.
    let files = store.table_files()?;
    std::fs::create_dir_all(&args.to).map_err(|e| Error::io(&args.to, e))?;
    let format: ExportFormat = args.format.into();
    for name in &names {
        let (_, parts) =
            files.iter().find(|(t, _)| t == name).with_context(|| format!("the store has no {name} table"))?;
        let month = args.partition_by.and(schema::month_column(name));
        if let Some(column) = month {
            let df = store.read(&[(name.as_str(), None)])?.remove(name.as_str()).unwrap_or_default();
            let dir = args.to.join(name);
            let months = partition::write_by_month(&df, column, format, &dir)?;
            eprintln!("{name}: {} rows -> {}/month=*/ ({months} months, by {column})", df.height(), dir.display());
        } else {
            let path = args.to.join(format!("{name}.{}", format.extension()));
            let rows = io::export_parts(parts.iter().map(|f| io::read_parquet_columns(f, None)), format, &path)?;
            eprintln!("{name}: {rows} rows -> {}", path.display());
        }
    }
    Ok(Outcome::Clean)
}
