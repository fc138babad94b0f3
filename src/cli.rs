//! Command-line definitions (clap). Nothing here does work: `commands` turns these values into
//! checked settings for the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::Format;
use crate::store::io::ExportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "digestlens",
    version,
    about = "Turn an archive of daily research digests into tables, trends, charts and reports"
)]
#[command(after_help = "Exit codes: 0 ok, 1 finished with warnings (some records skipped or marked), 2 usage, 3 I/O.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse digest files into the store (incremental: unchanged files are skipped)
    Ingest(IngestArgs),
    /// Parse digest files without writing anything and report what was found
    Check(CheckArgs),
    /// Write the stored tables as CSV, Parquet or NDJSON files
    Export(ExportArgs),
    /// Run a SQL query over the stored tables
    Sql(SqlArgs),
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Parse every file as this format instead of detecting it
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// The year of listing-page dates that have none (hf-daily)
    #[arg(long)]
    pub year: Option<i32>,
}

#[derive(Debug, Args)]
pub struct StoreArg {
    /// The store folder
    #[arg(long, default_value = "data/store")]
    pub store: PathBuf,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or folders (walked recursively)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArg,
    /// Drop the rows of files that no longer exist
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub parse: ParseArgs,
    /// Print only the summary line, not each warning
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders (walked recursively)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print a JSON array of file reports instead of text
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub parse: ParseArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// The folder to write the tables to
    #[arg(long)]
    pub to: PathBuf,
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Csv)]
    pub format: ExportFormatArg,
    /// Tables to export, comma-separated (default: all)
    #[arg(long, value_delimiter = ',')]
    pub tables: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// The query; every table is available by its name
    pub query: String,
    /// Print CSV (lists joined with "; ")
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print a JSON array of rows
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Markdown,
    Page,
    Flat,
    HfDaily,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Page => Format::Page,
            FormatArg::Flat => Format::Flat,
            FormatArg::HfDaily => Format::HfDaily,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    Csv,
    Parquet,
    Ndjson,
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(f: ExportFormatArg) -> ExportFormat {
        match f {
            ExportFormatArg::Csv => ExportFormat::Csv,
            ExportFormatArg::Parquet => ExportFormat::Parquet,
            ExportFormatArg::Ndjson => ExportFormat::Ndjson,
        }
    }
}
