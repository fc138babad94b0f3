//! `digestlens sql [--store DIR] "SELECT …" [--csv|--json]`: polars SQL over the stored tables,
//! printed as an aligned text table by default.

use polars::prelude::*;
use polars::sql::SQLContext;

use super::Outcome;
use super::output::{Output, emit};
use crate::cli::SqlArgs;
use crate::error::Error;
use crate::store::Store;

pub fn run(args: &SqlArgs) -> anyhow::Result<Outcome> {
    let store = Store::new(args.store.dir());
    store.require()?;
    let mut ctx = SQLContext::new();
    // Each table scanned lazily: a query reads the tables, columns and row groups it needs, not
    // the whole store (every table of the real archive's store took 1.6 GB for a count). A
    // path that is not UTF-8 cannot be scanned: that table is read whole.
    let scan = |files: &[std::path::PathBuf]| -> Option<PolarsResult<LazyFrame>> {
        let paths: Option<Vec<PlRefPath>> = files.iter().map(|f| f.to_str().map(PlRefPath::new)).collect();
        paths.map(|p| LazyFrame::scan_parquet_files(p.into_iter().collect(), ScanArgsParquet::default()))
    };
    for (name, files) in store.table_files()? {
        let table = match scan(&files) {
            Some(lazy) => lazy.map_err(|e| Error::polars(name, e))?,
            None => store.read(&[(name, None)])?.remove(name).unwrap_or_default().lazy(),
        };
        ctx.register(name, table);
    }
    let result = ctx
        .execute(&args.query)
        .and_then(LazyFrame::collect)
        .map_err(|e| Error::Usage(format!("query failed: {e}")))?;
    emit(&result, Output::new(args.csv, args.json))?;
    Ok(Outcome::Clean)
}
