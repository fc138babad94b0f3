//! `digestlens sql [--store DIR] "SELECT …" [--csv|--json]`: polars SQL over the stored tables,
//! printed as an aligned text table by default.

use polars::prelude::*;
use polars::sql::SQLContext;

use super::{Outcome, stdout};
use crate::cli::SqlArgs;
use crate::error::Error;
use crate::store::Store;
use crate::store::io::{self, ExportFormat};

/// The widest a text cell is printed before it is shortened.
const CELL_WIDTH: usize = 60;

pub fn run(args: &SqlArgs) -> anyhow::Result<Outcome> {
    let store = Store::new(&args.store.store);
    store.require()?;
    let mut ctx = SQLContext::new();
    for (name, df) in store.tables()? {
        ctx.register(&name, df.lazy());
    }
    let result = ctx
        .execute(&args.query)
        .and_then(LazyFrame::collect)
        .map_err(|e| Error::Usage(format!("query failed: {e}")))?;
    let bytes = if args.csv {
        io::encode(&result, ExportFormat::Csv).map_err(|e| Error::polars("<stdout>", e))?
    } else if args.json {
        io::encode_json_array(&result).map_err(|e| Error::polars("<stdout>", e))?
    } else {
        text_table(&result).into_bytes()
    };
    stdout(&bytes)?;
    Ok(Outcome::Clean)
}

fn cell(value: &AnyValue<'_>) -> String {
    let text = match value {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => (*s).to_owned(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::List(s) => s
            .cast(&DataType::String)
            .ok()
            .and_then(|s| s.str().ok().map(|ca| ca.iter().flatten().collect::<Vec<_>>().join("; ")))
            .unwrap_or_default(),
        other => other.to_string(),
    };
    let text = text.replace(['\n', '\t'], " ");
    if text.chars().count() > CELL_WIDTH {
        let cut: String = text.chars().take(CELL_WIDTH - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// An aligned plain-text table with a header row and a row count.
fn text_table(df: &DataFrame) -> String {
    let header: Vec<String> = df.get_column_names().iter().map(|n| n.to_string()).collect();
    let rows: Vec<Vec<String>> = (0..df.height())
        .map(|i| df.columns().iter().map(|c| c.get(i).map(|v| cell(&v)).unwrap_or_default()).collect())
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|j| rows.iter().map(|r| r[j].chars().count()).chain([header[j].chars().count()]).max().unwrap_or(0))
        .collect();
    let render = |cells: &[String]| {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        padded.join("  ").trim_end().to_owned() + "\n"
    };
    let mut out = render(&header);
    out.push_str(&render(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>()));
    for row in &rows {
        out.push_str(&render(row));
    }
    out.push_str(&format!("({} rows)\n", df.height()));
    out
}
