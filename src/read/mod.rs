//! Syntax to structure: every input syntax (Markdown, HTML, plain text, JSON) becomes either a
//! list of [`Block`]s (headings, paragraphs, list items, table rows, with their links and bold
//! spans and the line each starts on) or a list of JSON records. The extractors above read these,
//! never the raw syntax: the same digest written as Markdown or as HTML gives the same blocks.
//!
//! Real parsers do the work: pulldown-cmark for Markdown (tables on), html5ever (through
//! `scraper`) for HTML, serde_json and json5 for JSON. This layer needs only `model`.

pub mod html;
pub mod json;
pub mod markdown;

use std::path::Path;

/// The syntax of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Markdown or plain text (plain text is Markdown without markup).
    Markdown,
    Html,
    /// JSON, JSON lines, or a YAML data file (a Jekyll `_data/papers.yml`).
    Json,
}

/// Extensions of source code, styles and configuration: never digests, even when they quote an
/// arXiv link.
const CODE: [&str; 24] = [
    "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "css", "scss", "sass", "less", "sh", "rb", "go", "rs", "java", "c",
    "h", "cpp", "toml", "lock", "ipynb", "cfg", "ini",
];

/// Whether a path names source code or configuration.
pub fn is_code(path: &str) -> bool {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    CODE.contains(&ext.as_str())
}

/// The syntax of a file, from its extension and, when that says nothing, its first bytes.
pub fn syntax(path: &str, text: &str) -> Syntax {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => return Syntax::Html,
        "json" | "jsonl" | "ndjson" | "json5" | "yml" | "yaml" => return Syntax::Json,
        "md" | "markdown" | "txt" | "text" => return Syntax::Markdown,
        _ => {}
    }
    let head = text.trim_start();
    let lower: String = head.chars().take(200).collect::<String>().to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.starts_with("<head") {
        Syntax::Html
    } else if (head.starts_with('{') || head.starts_with('[')) && json::looks_like_json(head) {
        Syntax::Json
    } else {
        Syntax::Markdown
    }
}

/// A link: its text and target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub href: String,
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Heading(u8),
    Para,
    /// A paragraph of a list item at a nesting depth (0 for the outermost list).
    Item(u8),
    Code,
    /// A thematic break (`---`, `<hr>`).
    Rule,
    /// A table row; `header` for the header row.
    Row {
        table: u32,
        header: bool,
    },
}

/// A table cell: its text, the hidden part of a `<details>` cell, and its links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub details: Option<String>,
    pub links: Vec<Link>,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    /// 1-based line where the block starts.
    pub line: u32,
    /// Plain text; line breaks inside the block are kept as `\n`.
    pub text: String,
    /// The links outside table cells (`all_links` gives them with the cells').
    pub links: Vec<Link>,
    /// The texts of bold spans outside table cells, in order.
    pub strong: Vec<String>,
    /// Whether the block opens with bold text (outside table cells).
    pub starts_bold: bool,
    /// The outermost list item the block belongs to, numbered through the document.
    pub item: Option<u32>,
    pub quoted: bool,
    pub cells: Vec<Cell>,
}

impl Block {
    pub fn new(kind: Kind, line: u32) -> Self {
        Block {
            kind,
            line,
            text: String::new(),
            links: Vec::new(),
            strong: Vec::new(),
            starts_bold: false,
            item: None,
            quoted: false,
            cells: Vec::new(),
        }
    }

    /// Every link of the block: its own, then its cells' in order (a table row's links are its
    /// cells').
    pub fn all_links(&self) -> impl Iterator<Item = &Link> {
        self.links.iter().chain(self.cells.iter().flat_map(|c| &c.links))
    }

    /// The heading level, if the block is a heading.
    pub fn heading(&self) -> Option<u8> {
        match self.kind {
            Kind::Heading(level) => Some(level),
            _ => None,
        }
    }
}

/// A document as blocks, with the YAML front matter it opened with.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub front_matter: Option<serde_yaml::Mapping>,
    /// The line of the front matter's first key (for diagnostics).
    pub front_matter_line: u32,
    pub blocks: Vec<Block>,
}

impl Document {
    /// A string value of the front matter.
    pub fn front(&self, key: &str) -> Option<String> {
        let value = self.front_matter.as_ref()?.get(key)?;
        match value {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// Byte offsets to 1-based line numbers.
#[derive(Debug)]
pub struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex(std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect())
    }

    pub fn line(&self, offset: usize) -> u32 {
        u32::try_from(self.0.partition_point(|&start| start <= offset)).unwrap_or(u32::MAX)
    }
}

/// The YAML between `---` lines at the top of a text, and where the body starts.
pub fn split_front_matter(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 4;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Some((&text[4..offset], offset + line.len()));
        }
        offset += line.len();
    }
    None
}
