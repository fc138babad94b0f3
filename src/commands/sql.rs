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
    for (name, df) in store.tables()? {
        ctx.register(&name, df.lazy());
    }
    let result = ctx
        .execute(&args.query)
        .and_then(LazyFrame::collect)
        .map_err(|e| Error::Usage(format!("query failed: {e}")))?;
    emit(&result, Output::new(args.csv, args.json))?;
    Ok(Outcome::Clean)
}
