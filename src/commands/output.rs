//! Printing a result frame: an aligned text table for people (floats to three decimals, long
//! cells shortened), or CSV / a JSON array for programs.

use polars::prelude::*;

use super::stdout;
use crate::error::Error;
use crate::store::io::{self, ExportFormat};

/// The widest a text cell is printed before it is shortened.
const CELL_WIDTH: usize = 60;

/// How a command prints its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Text,
    Csv,
    Json,
}

impl Output {
    pub fn new(csv: bool, json: bool) -> Output {
        match (csv, json) {
            (true, _) => Output::Csv,
            (_, true) => Output::Json,
            _ => Output::Text,
        }
    }
}

/// Prints a frame to stdout in the chosen form.
pub fn emit(df: &DataFrame, output: Output) -> Result<(), Error> {
    let bytes = match output {
        Output::Csv => io::encode(df, ExportFormat::Csv).map_err(|e| Error::polars("<stdout>", e))?,
        Output::Json => io::encode_json_array(df).map_err(|e| Error::polars("<stdout>", e))?,
        Output::Text => text_table(df).into_bytes(),
    };
    stdout(&bytes)
}

fn cell(value: &AnyValue<'_>) -> String {
    let text = match value {
        AnyValue::Null => String::new(),
        AnyValue::Float64(x) => format!("{x:.3}"),
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
    let mut out = aligned(df);
    out.push_str(&format!("({} rows)\n", df.height()));
    out
}

/// An aligned plain-text table with a header row.
pub fn aligned(df: &DataFrame) -> String {
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
    out
}
