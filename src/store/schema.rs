//! Table and column names, defined once (GUIDE section 3; documented in the README).

pub const DIGESTS: &str = "digests";
pub const ENTRIES: &str = "entries";
pub const PAPERS: &str = "papers";
pub const KEYWORDS: &str = "keywords";
pub const THEMES: &str = "themes";
pub const DIAGNOSTICS: &str = "diagnostics";

pub const PERIODS: &str = "periods";
pub const KEYWORD_TRENDS: &str = "keyword_trends";
pub const THEME_TRENDS: &str = "theme_trends";
pub const BURSTS: &str = "bursts";
pub const TREND_TOPICS: &str = "trend_topics";
pub const CLUSTERS: &str = "clusters";

/// The tables of what was read from the files; every other table is derived from them.
pub const PARSED: [&str; 4] = [DIGESTS, ENTRIES, THEMES, DIAGNOSTICS];

/// Every table, in the order exports list them: parsed, derived, then analysis.
pub const TABLES: [&str; 12] = [
    DIGESTS,
    ENTRIES,
    PAPERS,
    KEYWORDS,
    THEMES,
    DIAGNOSTICS,
    PERIODS,
    KEYWORD_TRENDS,
    THEME_TRENDS,
    BURSTS,
    TREND_TOPICS,
    CLUSTERS,
];

pub const DIGEST_ID: &str = "digest_id";
pub const SOURCE_FILE: &str = "source_file";
pub const INPUT: &str = "input";
pub const FILES: &str = "files";
pub const LISTED_UNDER: &str = "listed_under";
pub const FORMAT: &str = "format";
pub const DIGEST_DATE: &str = "digest_date";
pub const DATE_SOURCE: &str = "date_source";
pub const DATE_PRECISION: &str = "date_precision";
pub const TITLE: &str = "title";
pub const OVERVIEW: &str = "overview";
pub const TLDR: &str = "tldr";
pub const TOTAL_PAPERS: &str = "total_papers";
pub const SELECTED_PAPERS: &str = "selected_papers";
pub const ENTRY_COUNT: &str = "entry_count";
pub const THEME_COUNT: &str = "theme_count";
pub const BYTES: &str = "bytes";

pub const POSITION: &str = "position";
pub const SOURCE_LINE: &str = "source_line";
pub const PAPER_ID: &str = "paper_id";
pub const ARXIV_ID: &str = "arxiv_id";
pub const ARXIV_VERSION: &str = "arxiv_version";
pub const TITLE_SOURCE: &str = "title_source";
pub const AUTHORS: &str = "authors";
pub const AUTHOR_COUNT: &str = "author_count";
pub const AUTHORS_TRUNCATED: &str = "authors_truncated";
pub const KEYWORDS_COL: &str = "keywords";
pub const COMMENTS: &str = "comments";
pub const VENUE: &str = "venue";
pub const ABSTRACT: &str = "abstract";
pub const SUMMARY: &str = "summary";
pub const CRITIQUE: &str = "critique";
pub const URL: &str = "url";
pub const LISTED_DATE: &str = "listed_date";
pub const UPVOTES: &str = "upvotes";
pub const ORGANIZATION: &str = "organization";

pub const FIRST_SEEN: &str = "first_seen";
pub const LAST_SEEN: &str = "last_seen";
pub const APPEARANCES: &str = "appearances";

pub const KEYWORD: &str = "keyword";
pub const KEYWORD_NORM: &str = "keyword_norm";
pub const ORIGIN: &str = "origin";

pub const LABEL: &str = "label";
pub const DESCRIPTION: &str = "description";
pub const THEME: &str = "theme";
pub const ARXIV_IDS: &str = "arxiv_ids";
pub const PAPER_IDS: &str = "paper_ids";
pub const THEME_SCORE: &str = "theme_score";
pub const THEME_REASON: &str = "theme_reason";
pub const THEMES_COL: &str = "themes";

pub const PERIOD: &str = "period";
pub const PERIOD_START: &str = "period_start";
pub const PAPERS_COL: &str = "papers";
pub const LISTINGS: &str = "listings";
pub const SHARE: &str = "share";
pub const BASELINE: &str = "baseline";
pub const CHANGE: &str = "change";
pub const SHARE_CHANGE: &str = "share_change";
pub const Z: &str = "z";
pub const STATUS: &str = "status";

pub const KIND: &str = "kind";
pub const TERM: &str = "term";
pub const BEGIN: &str = "begin";
pub const END: &str = "end";
pub const BEGIN_DATE: &str = "begin_date";
pub const END_DATE: &str = "end_date";
pub const PERIODS_COL: &str = "periods";
pub const STRENGTH: &str = "strength";

pub const FREQ: &str = "freq";
pub const DATE_Q1: &str = "date_q1";
pub const DATE_MEDIAN: &str = "date_median";
pub const DATE_Q3: &str = "date_q3";

pub const CLUSTER: &str = "cluster";
pub const SIZE: &str = "size";
pub const CENTRALITY: &str = "centrality";
pub const DENSITY: &str = "density";
pub const QUADRANT: &str = "quadrant";

pub const LINE: &str = "line";
pub const SEVERITY: &str = "severity";
pub const CODE: &str = "code";
pub const MESSAGE: &str = "message";

/// The long free-text columns of `entries` and `digests`: most of the store's bytes, needed only
/// to derive the tables (and by users), not by the analysis, charts and reports.
pub const LONG_TEXT: [&str; 5] = [ABSTRACT, SUMMARY, CRITIQUE, OVERVIEW, TLDR];

/// The columns a table is sorted by, so that every write is deterministic.
pub fn sort_keys(table: &str) -> &'static [&'static str] {
    match table {
        DIGESTS => &[DIGEST_DATE, SOURCE_FILE],
        ENTRIES | THEMES => &[DIGEST_DATE, SOURCE_FILE, POSITION],
        KEYWORDS => &[DIGEST_DATE, DIGEST_ID, PAPER_ID, KEYWORD],
        PAPERS => &[PAPER_ID],
        PERIODS => &[PERIOD_START, DATE_PRECISION],
        KEYWORD_TRENDS => &[PERIOD_START, KEYWORD],
        THEME_TRENDS => &[PERIOD_START, THEME],
        BURSTS => &[KIND, TERM, BEGIN_DATE],
        TREND_TOPICS => &[DATE_MEDIAN, KEYWORD],
        CLUSTERS => &[CLUSTER],
        _ => &[SOURCE_FILE, LINE, CODE, MESSAGE],
    }
}

/// The date column that puts a table's rows in a month for `export --partition-by month`;
/// tables without one (`diagnostics`, `clusters`) are written whole.
pub fn month_column(table: &str) -> Option<&'static str> {
    match table {
        DIGESTS | ENTRIES | THEMES | KEYWORDS => Some(DIGEST_DATE),
        PAPERS => Some(FIRST_SEEN),
        PERIODS | KEYWORD_TRENDS | THEME_TRENDS => Some(PERIOD_START),
        BURSTS => Some(BEGIN_DATE),
        TREND_TOPICS => Some(DATE_MEDIAN),
        _ => None,
    }
}

/// Whether a table is computed by the analysis (and may be missing from an older store).
pub fn is_analysis(table: &str) -> bool {
    matches!(table, PERIODS | KEYWORD_TRENDS | THEME_TRENDS | BURSTS | TREND_TOPICS | CLUSTERS)
}
