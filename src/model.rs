//! The records every parser produces and every later stage consumes: digests, their entries
//! (one per paper listed), TL;DR themes and diagnostics, each with its provenance.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A source format digestlens can parse (GUIDE section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Markdown,
    Page,
    Flat,
    HfDaily,
    /// Any other document: papers found by their arXiv ids and the structure around them.
    Generic,
    /// JSON or JSON lines: records mapped by their key names.
    Json,
}

impl Format {
    /// The site's four shapes, each with a signature of its own.
    pub const SHAPES: [Format; 4] = [Format::Markdown, Format::Page, Format::Flat, Format::HfDaily];
    pub const ALL: [Format; 6] =
        [Format::Markdown, Format::Page, Format::Flat, Format::HfDaily, Format::Generic, Format::Json];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Page => "page",
            Format::Flat => "flat",
            Format::HfDaily => "hf-daily",
            Format::Generic => "generic",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a digest date came from, most to least reliable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    FrontMatter,
    TitleLine,
    FileName,
    /// A folder of the file's path (`2025-10-12/`, `27-May-2025/`).
    FolderName,
    /// A labelled line of the document (`Updated on 2026.06.29`, `Date: …`) or a date key.
    DateLabel,
    /// Given on the command line (`--year` for listing pages).
    Flag,
    /// A listing page's year, one more than the latest explicit year on it.
    PageYears,
    /// The file's modification year.
    FileMtime,
    /// Only the month is known, from the newest arXiv id the digest lists.
    ArxivId,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::FrontMatter => "front-matter",
            DateSource::TitleLine => "title-line",
            DateSource::FileName => "file-name",
            DateSource::FolderName => "folder-name",
            DateSource::DateLabel => "date-label",
            DateSource::Flag => "flag",
            DateSource::PageYears => "page-years",
            DateSource::FileMtime => "file-mtime",
            DateSource::ArxivId => "arxiv-id",
        }
    }
}

/// How precise a digest date is: a date inferred from arXiv ids only knows its month, and is
/// stored as the first of that month with precision `month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatePrecision {
    Day,
    Month,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
        }
    }
}

/// A digest date with its provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestDate {
    pub date: NaiveDate,
    pub source: DateSource,
    pub precision: DatePrecision,
}

impl fmt::Display for DigestDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            DatePrecision::Day => write!(f, "{} ({})", self.date, self.source.as_str()),
            DatePrecision::Month => {
                write!(f, "{} ({}, month only)", self.date.format("%Y-%m"), self.source.as_str())
            }
        }
    }
}

/// How an entry's title was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TitleSource {
    Heading,
    SummaryQuote,
    TldrLink,
    /// The text of a link to the paper (`[Title](https://arxiv.org/abs/…)`).
    LinkText,
    /// A labelled field or a table column (`Title:`, `题目`).
    Label,
    /// Bold text that opens the paper's block.
    Bold,
    /// A JSON record's title key.
    Record,
}

impl TitleSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TitleSource::Heading => "heading",
            TitleSource::SummaryQuote => "summary-quote",
            TitleSource::TldrLink => "tldr-link",
            TitleSource::LinkText => "link-text",
            TitleSource::Label => "label",
            TitleSource::Bold => "bold",
            TitleSource::Record => "record",
        }
    }
}

/// One parsed digest: a file, a part of a file, or a group of files (an index and its pages).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Digest {
    /// The shape or profile that read it (`markdown`, `generic`, a profile's name).
    pub format: String,
    /// The size of its own text, when it is one of several digests in a file.
    pub part_bytes: Option<u64>,
    pub title: Option<String>,
    pub overview: Option<String>,
    pub tldr: Option<String>,
    pub total_papers: Option<u32>,
    pub selected_papers: Option<u32>,
    pub date: Option<DigestDate>,
    pub entries: Vec<Entry>,
    pub themes: Vec<Theme>,
}

/// A paper as listed in one digest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// 1-based position in the digest.
    pub position: u32,
    /// 1-based line where the entry starts.
    pub line: u32,
    pub title: Option<String>,
    pub title_source: Option<TitleSource>,
    pub authors: Vec<String>,
    /// The list names only some of the authors: it says `et al.` or is cut off (never guessed).
    pub authors_truncated: bool,
    pub author_count: Option<u32>,
    pub keywords: Vec<String>,
    pub comments: Option<String>,
    pub venue: Option<String>,
    pub arxiv_id: Option<String>,
    pub arxiv_version: Option<u32>,
    pub url: Option<String>,
    pub abstract_text: Option<String>,
    pub summary: Option<String>,
    pub critique: Option<String>,
    pub listed_date: Option<NaiveDate>,
    pub upvotes: Option<u32>,
    pub organization: Option<String>,
    /// The section headings the paper is listed under (a keyword table's `## SLAM`).
    pub listed_under: Vec<String>,
}

/// A theme named in a digest's TL;DR.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub position: u32,
    pub line: u32,
    pub label: String,
    pub description: Option<String>,
    /// arXiv ids (without version) the theme names, in order of first mention.
    pub arxiv_ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A problem found in an input, with its place. `line` is 0 when it concerns the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub source_file: String,
    pub line: u32,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {} {}: {}", self.source_file, self.line, self.severity.as_str(), self.code, self.message)
    }
}

/// Diagnostics of one file, collected while it is read and parsed.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    file: String,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(file: impl Into<String>) -> Self {
        Diagnostics { file: file.into(), items: Vec::new() }
    }

    pub fn push(&mut self, line: u32, severity: Severity, code: &'static str, message: impl Into<String>) {
        self.items.push(Diagnostic { source_file: self.file.clone(), line, severity, code, message: message.into() });
    }

    pub fn info(&mut self, line: u32, code: &'static str, message: impl Into<String>) {
        self.push(line, Severity::Info, code, message);
    }

    pub fn warn(&mut self, line: u32, code: &'static str, message: impl Into<String>) {
        self.push(line, Severity::Warning, code, message);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// These diagnostics without those of some codes.
    pub fn without(mut self, codes: &[&str]) -> Self {
        self.items.retain(|d| !codes.contains(&d.code));
        self
    }

    /// Adds the diagnostics of a part of the file that starts after `offset` lines: their lines
    /// move by `offset`, and a diagnostic of the whole part points at the part's first line.
    pub fn append(&mut self, part: Diagnostics, offset: u32) {
        for mut d in part.items {
            d.line = match (d.line, offset) {
                (0, 0) => 0,
                (0, o) => o.saturating_add(1),
                (l, o) => l.saturating_add(o),
            };
            self.items.push(d);
        }
    }
}

/// `arxiv:<id>` when an arXiv id is known, else `title:<hash>` of the normalised title (case
/// folded, letters and digits only), else `unknown`.
pub fn paper_id(arxiv_id: Option<&str>, title: Option<&str>) -> String {
    if let Some(id) = arxiv_id {
        return format!("arxiv:{id}");
    }
    let Some(title) = title else { return "unknown".to_owned() };
    let normal: String = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    let hash = blake3::hash(normal.as_bytes()).to_hex();
    format!("title:{}", &hash[..16])
}

/// A user's vocabulary file (synonyms or taxonomy) as read: its name and text, kept so that the
/// store can remember it between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct UserFile {
    pub name: String,
    pub text: String,
}
