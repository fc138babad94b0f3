//! One parser per source format behind [`DigestFormat`], a registry that detects the format of a
//! text by its content, and the clean-up every parsed digest goes through.
//!
//! Adding a format means a parser file, one line in [`REGISTRY`], fixtures and tests.

mod align;
pub mod fields;
mod finish;
mod flat;
mod hf_daily;
mod markdown;
mod page;
pub mod tldr;

use std::path::Path;

use crate::model::{Diagnostics, Digest, Format};

/// What a parser knows besides the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// The year of a listing page's dates without a year (`--year`).
    pub year: Option<i32>,
}

/// The text of one file and what is known about the file.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The path as it is reported in diagnostics and tables.
    pub path: &'a str,
    pub text: &'a str,
    /// The year of the file's modification time, the last resort for a listing's year.
    pub mtime_year: Option<i32>,
    pub options: ParseOptions,
}

impl Source<'_> {
    /// The file name without its folders.
    pub fn file_name(&self) -> &str {
        Path::new(self.path).file_name().and_then(|n| n.to_str()).unwrap_or(self.path)
    }
}

/// A source format: how to recognise it and how to parse it.
pub trait DigestFormat: Sync {
    fn format(&self) -> Format;
    /// Whether the text has this format's signature. Formats are tried in registry order.
    fn detect(&self, text: &str) -> bool;
    /// Parses the text into a digest; problems become diagnostics, never errors.
    fn parse(&self, source: &Source<'_>, diags: &mut Diagnostics) -> Digest;
}

/// Every format, most specific signature first.
static REGISTRY: [&dyn DigestFormat; 4] = [&markdown::Markdown, &page::Page, &hf_daily::HfDaily, &flat::Flat];

/// The format of a text, or why none matched.
pub fn detect(text: &str) -> Result<Format, &'static str> {
    if text.trim().is_empty() {
        return Err("the file is empty");
    }
    REGISTRY.iter().find(|f| f.detect(text)).map(|f| f.format()).ok_or(
        "no YAML front matter with a date, no 'ArXiv Daily Digest on' title line, no 'Daily Papers' header and no 'Authors:' paper blocks",
    )
}

/// Parses a text in a known format and cleans the result up (LaTeX, title case, venues, date
/// fallbacks, misattributed LLM-written fields).
pub fn parse(source: &Source<'_>, format: Format, diags: &mut Diagnostics) -> Digest {
    let parser = REGISTRY.iter().find(|f| f.format() == format).unwrap_or(&REGISTRY[0]);
    let mut digest = parser.parse(source, diags);
    finish::finish(&mut digest, source, diags);
    align::realign(&mut digest, diags);
    digest
}

/// Lines with their 1-based numbers.
pub(crate) fn numbered(text: &str) -> Vec<(u32, &str)> {
    text.lines().enumerate().map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l)).collect()
}

/// Joins the non-empty lines of a span into paragraphs separated by a blank line.
pub(crate) fn join_paragraphs(lines: &[(u32, &str)]) -> Option<String> {
    let paragraphs: Vec<&str> = lines.iter().map(|(_, l)| l.trim_end()).filter(|l| !l.trim().is_empty()).collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// Reads the field lines (`Authors:`, `Keywords:`, `Comments:`, `Paper link:`) at the start of
/// a paper block into `entry`, skipping blank lines; an indented line continues the field before
/// it (a `Comments:` value wrapped over two lines). Returns how many lines were consumed.
pub(crate) fn read_field_lines(
    lines: &[(u32, &str)],
    entry: &mut crate::model::Entry,
    diags: &mut Diagnostics,
) -> usize {
    let mut found: Vec<(fields::Field, u32, String)> = Vec::new();
    let mut used = 0;
    for (i, (no, line)) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if let Some((field, value)) = fields::field_line(line) {
            found.push((field, *no, value.to_owned()));
        } else if let Some(last) = found.last_mut().filter(|_| line.starts_with([' ', '\t'])) {
            last.2.push(' ');
            last.2.push_str(line.trim());
        } else {
            break;
        }
        used = i + 1;
    }
    for (field, no, value) in found {
        apply_field(entry, field, no, &value, diags);
    }
    used
}

fn apply_field(entry: &mut crate::model::Entry, field: fields::Field, no: u32, value: &str, diags: &mut Diagnostics) {
    use fields::Field;
    match field {
        Field::Authors => {
            let (authors, truncated) = fields::authors(value);
            if truncated {
                let last = value.chars().last().unwrap_or(',');
                let n = authors.len();
                diags.warn(
                    no,
                    "truncated-authors",
                    format!("the author list ends in {last:?}: it is cut off after {n} name(s)"),
                );
            }
            entry.authors = authors;
        }
        Field::Keywords => entry.keywords = fields::keywords(value),
        Field::Comments => entry.comments = fields::comments(value),
        Field::Link => {
            entry.url = fields::url(value);
            if let Some(r) = fields::arxiv_id(value) {
                entry.arxiv_id = Some(r.id);
                entry.arxiv_version = r.version;
            }
        }
    }
}
