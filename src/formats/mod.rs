//! From a file's text to digests. The text's syntax is read first (`read`): HTML becomes
//! Markdown, JSON becomes records. A Markdown text that holds several digests is split
//! (`split`). Each part is then read by the first shape whose signature it has (the four shapes
//! of the site: `markdown`, `page`, `hf-daily`, `flat`), by a user's profile that matches it, or
//! by the generic reader (`generic`: papers anchored by arXiv ids, fields from the structure and
//! the label dictionary), and cleaned up (`finish`, `align`).
//!
//! Adding a shape means a parser file, one line in [`REGISTRY`], fixtures and tests; a new
//! generator that the generic reader misreads is a profile (data), not a parser.

mod align;
pub mod dates;
pub mod fields;
mod finish;
mod flat;
pub mod generic;
mod hf_daily;
pub mod labels;
mod markdown;
pub mod merge;
mod page;
pub mod profile;
pub mod records;
pub mod split;
pub mod tldr;

use std::path::Path;
use std::sync::Arc;

use crate::model::{Diagnostics, Digest, Format};
use crate::read::{self, Syntax};
use labels::Labels;
use profile::Profile;

/// What a parser knows besides the text.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The year of a listing page's dates without a year (`--year`).
    pub year: Option<i32>,
    /// Profiles of generators (`--profile`), tried before the generic reader.
    pub profiles: Arc<[Profile]>,
}

/// The text of one file (or one part of it) and what is known about the file.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The path as it is reported in diagnostics and tables.
    pub path: &'a str,
    pub text: &'a str,
    /// The year of the file's modification time, the last resort for a listing's year.
    pub mtime_year: Option<i32>,
    pub options: &'a ParseOptions,
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

/// Every shape with a signature, most specific first; what matches none is read by the generic
/// reader.
static REGISTRY: [&dyn DigestFormat; 4] = [&markdown::Markdown, &page::Page, &hf_daily::HfDaily, &flat::Flat];

/// The shape of a Markdown or text part: a registered shape, else `generic`.
pub fn detect(text: &str) -> Format {
    REGISTRY.iter().find(|f| f.detect(text)).map_or(Format::Generic, |f| f.format())
}

/// A digest read from a file, and the hash of its own text when it is one of several in the file.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub part_hash: Option<String>,
    pub digest: Digest,
}

/// The content hash that identifies a text (`digest_id`): 16 hex digits of BLAKE3.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_owned()
}

/// Reads every digest of a decoded file. `Err` says why the file holds none (it is skipped).
pub fn read_file(
    path: &str,
    text: &str,
    mtime_year: Option<i32>,
    forced: Option<Format>,
    options: &ParseOptions,
    diags: &mut Diagnostics,
) -> Result<Vec<Parsed>, String> {
    if text.trim().is_empty() {
        return Err("the file is empty".to_owned());
    }
    let syntax = if forced == Some(Format::Json) { Syntax::Json } else { read::syntax(path, text) };
    let mut own = Diagnostics::new(path);
    let parsed = match syntax {
        Syntax::Json => read_json(path, text, options, &mut own),
        Syntax::Html => {
            let depth = read::html::nesting_depth(text);
            if depth > read::html::MAX_DEPTH {
                return Err(format!(
                    "its HTML elements nest {depth} deep, more than the {} read",
                    read::html::MAX_DEPTH
                ));
            }
            read_markdown(path, &read::html::to_markdown(text), mtime_year, forced, options, &mut own)
        }
        Syntax::Markdown => read_markdown(path, text, mtime_year, forced, options, &mut own),
    };
    let found = parsed.iter().any(|p| !p.digest.entries.is_empty());
    let shaped = parsed.iter().any(|p| !matches!(p.digest.format.as_str(), "generic" | "json"));
    if !found && !shaped && forced.is_none() {
        // What made the file unreadable stays (bad JSON lines, bad front matter); what would be
        // said of a digest is not, as there is none.
        diags.append(own.without(&["no-entries", "no-date", "date-inferred", "entry-count-mismatch"]), 0);
        return Err(
            "no paper found: no arXiv id, paper heading, paper table or record, and no known digest shape".to_owned()
        );
    }
    diags.append(own, 0);
    Ok(parsed)
}

fn read_json(path: &str, text: &str, options: &ParseOptions, diags: &mut Diagnostics) -> Vec<Parsed> {
    let yaml =
        Path::new(path).extension().is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"));
    let doc = if yaml { read::json::yaml_document(text) } else { read::json::document(text) };
    let profile = options.profiles.iter().find(|p| p.matches(path, text));
    let labels = profile.map_or(Labels::built_in(), |p| &p.labels);
    let digests = records::read(&doc, labels, diags);
    let several = digests.len() > 1;
    digests
        .into_iter()
        .enumerate()
        .map(|(i, mut digest)| {
            let source = Source { path, text, mtime_year: None, options };
            finish_part(&mut digest, Format::Json, profile, &source, diags);
            let part_hash = several.then(|| content_hash(format!("{path}#{i}:{text}").as_bytes()));
            Parsed { part_hash, digest }
        })
        .collect()
}

fn read_markdown(
    path: &str,
    text: &str,
    mtime_year: Option<i32>,
    forced: Option<Format>,
    options: &ParseOptions,
    diags: &mut Diagnostics,
) -> Vec<Parsed> {
    let parts = split::split(text);
    let several = parts.len() > 1;
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let mut part_diags = Diagnostics::new(path);
        let source = Source { path, text: part.text, mtime_year, options };
        let profile = options.profiles.iter().find(|p| p.matches(path, part.text));
        let format = forced.or(profile.map(|_| Format::Generic)).unwrap_or_else(|| detect(part.text));
        let labels = profile.map_or(Labels::built_in(), |p| &p.labels);
        let mut digest = parse(&source, format, labels, &mut part_diags);
        finish_part(&mut digest, format, profile, &source, &mut part_diags);
        align::realign(&mut digest, &mut part_diags);
        if part.first_line > 0 {
            shift_lines(&mut digest, part.first_line);
        }
        diags.append(part_diags, part.first_line);
        let part_hash = several.then(|| content_hash(part.text.as_bytes()));
        digest.part_bytes = several.then_some(part.text.len() as u64);
        out.push(Parsed { part_hash, digest });
    }
    out
}

/// Names the shape or profile that read a digest, applies the profile's date, and cleans up.
fn finish_part(
    digest: &mut Digest,
    format: Format,
    profile: Option<&Profile>,
    source: &Source<'_>,
    diags: &mut Diagnostics,
) {
    digest.format = profile.map_or_else(|| format.as_str().to_owned(), |p| p.name.clone());
    if let Some(d) = profile.and_then(|p| p.date(source.path, source.text)) {
        digest.date = Some(dates::dated(d, crate::model::DateSource::DateLabel));
    }
    finish::finish(digest, source, diags);
}

fn shift_lines(digest: &mut Digest, by: u32) {
    for e in &mut digest.entries {
        e.line = e.line.saturating_add(by);
    }
    for t in &mut digest.themes {
        t.line = t.line.saturating_add(by);
    }
}

/// Parses a text in a known shape.
pub fn parse(source: &Source<'_>, format: Format, labels: &Labels, diags: &mut Diagnostics) -> Digest {
    match REGISTRY.iter().find(|f| f.format() == format) {
        Some(parser) => parser.parse(source, diags),
        None => {
            let (doc, problem) = read::markdown::document(source.text);
            match (problem, &doc.front_matter) {
                (Some((line, message)), Some(_)) => {
                    diags.info(line, "bad-front-matter", format!("{message}; read as plain `key: value` lines"))
                }
                (Some((line, message)), None) => diags.warn(line, "bad-front-matter", message),
                (None, _) => {}
            }
            generic::read(&doc, labels, diags)
        }
    }
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
            entry.authors_truncated = truncated || fields::says_et_al(value);
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
