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
#[command(
    after_help = "Exit codes: 0 ok, 1 finished with warnings (some records skipped or marked), 2 usage, 3 I/O (or the store is being written and --no-wait was given)."
)]
pub struct Cli {
    /// A config file (default: digestlens.yaml in the current folder, when there is one)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
    /// What was understood of each source: fields found per input and format, files skipped
    Quality(QualityArgs),
    /// Keyword and theme trends per period: papers, share, change, z-score, status
    Trends(TrendsArgs),
    /// Bursts of keywords and themes (Kleinberg's two-state model): begin, end, strength
    Bursts(BurstsArgs),
    /// Canonical themes: how TL;DR themes map to them, papers, first and last seen
    Themes(ThemesArgs),
    /// Normalised keywords with trend-topic dates, co-word clusters, or why forms merged
    Keywords(KeywordsArgs),
    /// Authors or organisations: papers, appearances, first and last seen, keywords, themes, growth
    Authors(AuthorsArgs),
    /// Papers: appearances, first and last seen, upvotes, themes; most listed or most upvoted first
    Papers(PapersArgs),
    /// Thematic evolution: co-word clusters per quarter (or month, year, --cuts) and how they link
    Evolution(EvolutionArgs),
    /// The papers the config's watchlist selects, per period, with the term that matched
    Watch(WatchArgs),
    /// The effective settings (store, vocabulary, profiles, watchlist) and where each came from
    Config(ConfigArgs),
    /// Write a co-word, co-author or theme-keyword network for Gephi, VOSviewer, Pajek or networkx
    Network(NetworkArgs),
    /// Draw a chart as SVG or PNG: trends, top, heatmap, themes, bursts or map
    Chart(ChartArgs),
    /// Write weekly trend reports (Markdown and self-contained HTML) and their index
    Report(ReportArgs),
    /// The main job: ingest (default data/sample), then charts, weekly reports and the index
    Run(RunArgs),
    /// Write a made-up archive in all four formats, with topics that rise, fade and burst
    Sample(SampleArgs),
    /// Time ingest, re-ingest, trends and run on a corpus against reading its files (release build)
    Bench(BenchArgs),
    /// Print a shell completion script (e.g. `digestlens completions bash > ~/.local/share/bash-completion/completions/digestlens`)
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a folder with --out
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write digestlens.1 and digestlens-COMMAND.1 into this folder instead of printing
    /// digestlens.1
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Parse every file as this format instead of detecting it
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// The year of listing-page dates that have none (hf-daily)
    #[arg(long)]
    pub year: Option<i32>,
    /// A YAML profile of a digest generator (labels, how to recognise its files, where its
    /// date is); repeatable
    #[arg(long, value_name = "FILE")]
    pub profile: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct StoreArg {
    /// The store folder [default: the config's `store`, else data/store]
    #[arg(long)]
    pub store: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VocabArgs {
    /// A YAML file of acronyms and synonyms that extends or overrides the built-in ones
    #[arg(long, value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
    /// A YAML file of canonical themes that extends or replaces the built-in taxonomy
    #[arg(long, value_name = "FILE")]
    pub taxonomy: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AnalysisArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// The length of a period (weeks are ISO weeks, Monday to Sunday) [default: week]
    #[arg(long, value_enum)]
    pub period: Option<PeriodArg>,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Which keywords count: as the digests gave them, the headings papers are listed under,
    /// extracted from titles and abstracts, or all [default: all] (keywords only: themes come
    /// from papers)
    #[arg(long, value_enum)]
    pub origin: Option<OriginArg>,
    /// Rows shown per period (0: all)
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub vocab: VocabArgs,
    /// Print CSV (lists joined with "; ")
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print a JSON array of rows
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Keywords or themes (default: both)
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Periods shown, the latest ones within --since/--until (0: all)
    #[arg(long, default_value_t = 4)]
    pub last: usize,
    /// Baseline: this many previous periods with data
    #[arg(long, default_value_t = 4)]
    pub window: usize,
    /// Strength of the Dirichlet prior (alpha0, Monroe et al. 2008)
    #[arg(long, default_value_t = 100.0)]
    pub prior: f64,
    /// |z| at or above which a term is rising or declining
    #[arg(long, default_value_t = 1.96)]
    pub z: f64,
    /// Weigh each paper by a score its source gives (Hugging Face upvotes); papers without one
    /// are left out, and the output says how many
    #[arg(long, value_enum)]
    pub weight: Option<WeightArg>,
    /// One group of rows per PATH argument (`input`) or per shape or profile (`format`)
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WeightArg {
    Upvotes,
}

#[derive(Debug, Args)]
pub struct BurstsArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Keywords or themes (default: both)
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Burst rate as a multiple of the base rate (Kleinberg's s, > 1)
    #[arg(long, default_value_t = 2.0)]
    pub s: f64,
    /// Cost of entering a burst, times ln(periods) (Kleinberg's gamma, >= 0)
    #[arg(long, default_value_t = 1.0)]
    pub gamma: f64,
    /// Terms carried by fewer papers are not examined
    #[arg(long, default_value_t = 3)]
    pub min_papers: u32,
}

#[derive(Debug, Args)]
pub struct ThemesArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// List every TL;DR theme with the canonical theme it was mapped to, its score and why (no
    /// periods or keyword origins)
    #[arg(long, conflicts_with_all = ["period", "origin"])]
    pub mapping: bool,
    /// One group of rows per PATH argument (`input`) or per shape or profile (`format`)
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    /// TL;DR themes that match no canonical theme, grouped when they name the same thing
    #[arg(long, conflicts_with_all = ["mapping", "by", "origin"])]
    pub emerging: bool,
    /// A taxonomy file (for --taxonomy) that adopts the emerging themes
    #[arg(long, conflicts_with_all = ["mapping", "by", "origin", "csv", "json"])]
    pub suggest_taxonomy: bool,
}

#[derive(Debug, Args)]
pub struct KeywordsArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Show which raw forms map to this keyword's normal form, and why (every form in the store:
    /// no range, origin or --top)
    #[arg(long, value_name = "TERM", conflicts_with_all = ["clusters", "since", "until", "top", "origin", "cluster_top", "seed"])]
    pub explain: Option<String>,
    /// Show co-word clusters and their thematic-map quadrant instead (of the papers of the
    /// range; every cluster, so no --top)
    #[arg(long, conflicts_with_all = ["top"])]
    pub clusters: bool,
    /// Keywords considered for clusters (the most frequent)
    #[arg(long, default_value_t = 100)]
    pub cluster_top: usize,
    /// Seed of the clustering
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct AuthorsArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Count authors, or the organisations listings name (Hugging Face)
    #[arg(long, value_enum, default_value_t = UnitArg::Author)]
    pub unit: UnitArg,
    /// Show the forms merged under NAME and the names that may be the same person written with
    /// initials (candidates, not merged)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["lotka", "by", "since", "until", "top", "origin", "period"])]
    pub explain: Option<String>,
    /// Lotka's law: how many authors have how many papers, fitted as bibliometrix fits it
    #[arg(long, conflicts_with_all = ["by", "period", "origin"])]
    pub lotka: bool,
    /// One group of rows per PATH argument (`input`) or per shape or profile (`format`)
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
}

/// The dates a command counts.
#[derive(Debug, Args)]
pub struct RangeArgs {
    /// First date counted: 2025-10-06, 2025-W41, 2025-10, 2025-Q4 or 2025
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Last date counted
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// Which network
    #[arg(value_enum)]
    pub kind: NetworkKind,
    #[command(flatten)]
    pub store: StoreArg,
    /// The file to write: .graphml, .gexf or .net (Pajek); with --format vosviewer, FILE_map.txt
    /// and FILE_network.txt
    #[arg(long)]
    pub out: PathBuf,
    /// The format, when not the extension's
    #[arg(long, value_enum)]
    pub format: Option<NetworkFormat>,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Nodes kept, those with most papers (0: all; for theme-keyword, the keywords)
    #[arg(long, default_value_t = 200)]
    pub top: usize,
    /// Edges kept: at least this many shared papers
    #[arg(long, default_value_t = 1)]
    pub min_edge: u32,
    /// Which keywords count (co-word and theme-keyword) [default: all]
    #[arg(long, value_enum)]
    pub origin: Option<OriginArg>,
    /// Seed of the clustering (Louvain)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NetworkKind {
    /// Keywords linked by the papers that carry both
    Coword,
    /// Authors linked by the papers they sign together
    Coauthor,
    /// Canonical themes linked to the keywords of their papers
    ThemeKeyword,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NetworkFormat {
    Graphml,
    Gexf,
    Pajek,
    Vosviewer,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub range: RangeArgs,
    /// The length of a period
    #[arg(long, value_enum, default_value_t = PeriodArg::Week)]
    pub period: PeriodArg,
    /// Print CSV (lists joined with "; ")
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print a JSON array of rows
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub vocab: VocabArgs,
}

#[derive(Debug, Args)]
pub struct EvolutionArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// The length of a slice
    #[arg(long, value_enum, default_value_t = PeriodArg::Quarter, conflicts_with = "cuts")]
    pub period: PeriodArg,
    /// Dates that start a new slice instead of periods, comma-separated: 2024-04-01,2024-07-01
    #[arg(long, value_delimiter = ',', value_name = "DATES")]
    pub cuts: Vec<chrono::NaiveDate>,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Least inclusion index (shared keywords / keywords of the smaller cluster) of a link, 0-1
    #[arg(long, default_value_t = 0.1, value_parser = unit_interval)]
    pub min_inclusion: f64,
    /// Which keywords count [default: all]
    #[arg(long, value_enum)]
    pub origin: Option<OriginArg>,
    /// Keywords considered for each slice's clusters (the most frequent)
    #[arg(long, default_value_t = 100)]
    pub cluster_top: usize,
    /// Seed of the clustering
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[command(flatten)]
    pub vocab: VocabArgs,
    /// Print the links as CSV (lists joined with "; ")
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print one JSON object: {"periods": [...], "links": [...]}
    #[arg(long)]
    pub json: bool,
}

fn unit_interval(text: &str) -> Result<f64, String> {
    let x: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&x) { Ok(x) } else { Err(format!("{x} is not between 0 and 1")) }
}

#[derive(Debug, Args)]
pub struct PapersArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Rows shown (0: all)
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Order: most appearances, most upvotes (papers without a score last), or first seen (newest first)
    #[arg(long, value_enum, default_value_t = PaperSort::Appearances)]
    pub sort: PaperSort,
    /// Print CSV (lists joined with "; ")
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print a JSON array of rows
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperSort {
    Appearances,
    Upvotes,
    FirstSeen,
}

/// Who a row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitArg {
    Author,
    Organization,
}

/// What `--by` groups rows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// The PATH argument a digest was found under
    Input,
    /// The shape or profile that read it
    Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OriginArg {
    All,
    Digest,
    Heading,
    Extracted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Keywords,
    Themes,
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
    #[command(flatten)]
    pub vocab: VocabArgs,
    /// When another process is writing the store, exit at once (code 3) instead of waiting
    #[arg(long)]
    pub no_wait: bool,
}

/// What the chart and report commands show: the store, periods and terms.
#[derive(Debug, Args)]
pub struct ViewArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// The length of a period (weeks are ISO weeks, Monday to Sunday) [default: week]
    #[arg(long, value_enum)]
    pub period: Option<PeriodArg>,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Which keywords count: as the digests gave them, the headings papers are listed under,
    /// extracted from titles and abstracts, or all [default: all] (keyword charts only)
    #[arg(long, value_enum)]
    pub origin: Option<OriginArg>,
    /// Terms shown, within each chart's limits (trends 1-6, top 1-20, heatmap 15-25, themes
    /// 1-8, bursts 12-20) [default: 8]
    #[arg(long)]
    pub top: Option<usize>,
    #[command(flatten)]
    pub vocab: VocabArgs,
}

impl ViewArgs {
    /// The same choices as analysis arguments, for the shared loading and range code.
    pub fn analysis(&self) -> AnalysisArgs {
        AnalysisArgs {
            store: StoreArg { store: self.store.store.clone() },
            period: self.period,
            range: RangeArgs { since: self.range.since.clone(), until: self.range.until.clone() },
            origin: self.origin,
            top: self.top.unwrap_or(8),
            vocab: VocabArgs { synonyms: self.vocab.synonyms.clone(), taxonomy: self.vocab.taxonomy.clone() },
            csv: false,
            json: false,
        }
    }
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// What to draw
    #[arg(value_enum)]
    pub kind: crate::chart::Kind,
    #[command(flatten)]
    pub view: ViewArgs,
    /// The file to write; .svg or .png
    #[arg(long)]
    pub out: PathBuf,
}

/// What the report pages count.
#[derive(Debug, Args)]
pub struct ReportView {
    #[command(flatten)]
    pub store: StoreArg,
    /// Which keywords count: as the digests gave them, the headings papers are listed under,
    /// extracted from titles and abstracts, or all
    #[arg(long, value_enum, default_value_t = OriginArg::All)]
    pub origin: OriginArg,
    #[command(flatten)]
    pub vocab: VocabArgs,
}

impl ReportView {
    /// Weekly periods over the whole store.
    pub fn view(&self) -> ViewArgs {
        ViewArgs {
            store: StoreArg { store: self.store.store.clone() },
            period: None,
            range: RangeArgs { since: None, until: None },
            origin: Some(self.origin),
            top: None,
            vocab: VocabArgs { synonyms: self.vocab.synonyms.clone(), taxonomy: self.vocab.taxonomy.clone() },
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub view: ReportView,
    /// One ISO week, e.g. 2025-W42
    #[arg(long, conflicts_with_all = ["latest", "all"])]
    pub week: Option<String>,
    /// The latest week with digests (the default)
    #[arg(long, conflicts_with = "all")]
    pub latest: bool,
    /// Every week with digests
    #[arg(long)]
    pub all: bool,
    /// The folder to write the reports to
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Files or folders to ingest
    #[arg(default_value = "data/sample")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub view: ReportView,
    /// The folder for charts, reports and the index
    #[arg(long, default_value = "reports")]
    pub reports: PathBuf,
    /// Drop the rows of files that no longer exist
    #[arg(long)]
    pub prune: bool,
    /// Print only summary lines, not each warning
    #[arg(long, short)]
    pub quiet: bool,
    /// When another process is writing the store, exit at once (code 3) instead of waiting
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The folder to write the archive to (created if missing)
    #[arg(long)]
    pub out: PathBuf,
    /// Days of digests (weekdays get a digest, Fridays also a listing page)
    #[arg(long, default_value_t = 84)]
    pub days: u32,
    /// Seed: the same seed always gives the same files
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The first day
    #[arg(long, default_value = "2025-09-01")]
    pub start: chrono::NaiveDate,
    /// arXiv feeds with a digest each weekday (cs.CL, then cs.LG, cs.AI, cs.IR); `--days 20000
    /// --feeds 4` makes about 1 GB
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub feeds: u8,
    /// Make the archive from the real digests under this folder instead: copies with their dates
    /// moved by whole weeks, their arXiv ids renumbered and a third of their keywords replaced,
    /// until --megabytes are written (for benchmarks; the text is real, keep it out of the repository)
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// With --from: how many megabytes to write
    #[arg(long, default_value_t = 1000, requires = "from")]
    pub megabytes: u64,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The corpus to measure; made with `sample` (the options below) when it does not exist
    #[arg(long, default_value = "out/bench/corpus")]
    pub corpus: PathBuf,
    /// Scratch folder for the stores, reports and logs of the stages (replaced on every run)
    #[arg(long, default_value = "out/bench")]
    pub work: PathBuf,
    /// Rounds of every stage; the median is reported
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    /// Days of the corpus to make
    #[arg(long, default_value_t = 20_000)]
    pub days: u32,
    /// arXiv feeds of the corpus to make
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub feeds: u8,
    /// Seed of the corpus to make
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// First day of the corpus to make (ids are read as 20YY, so it stays within 2000-2099)
    #[arg(long, default_value = "2000-01-01")]
    pub start: chrono::NaiveDate,
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
    /// Write each dated table as a hive-partitioned folder, TABLE/month=YYYY-MM/part-0.EXT
    /// (for DuckDB, Spark, Trino); tables without a date are written whole
    #[arg(long, value_enum)]
    pub partition_by: Option<PartitionArg>,
}

/// How `export` splits a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartitionArg {
    /// By the month of the table's date (digest date, first seen, period start, ...)
    Month,
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

#[derive(Debug, Args)]
pub struct QualityArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// Print CSV
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print a JSON array of rows (one per input and format)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Markdown,
    Page,
    Flat,
    HfDaily,
    Generic,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Page => Format::Page,
            FormatArg::Flat => Format::Flat,
            FormatArg::HfDaily => Format::HfDaily,
            FormatArg::Generic => Format::Generic,
            FormatArg::Json => Format::Json,
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
