//! `page`: a browser copy of a rendered digest. `ArXiv Daily Digest on YYYY-MM-DD`, `Published:`,
//! the overview, `TL;DR`, then per paper a title line just before `Authors:`, field lines, and
//! `Abstract`, `Summary`, `Critique` as plain lines. Bullets are `  • ` and numbered items `  1. `.

use chrono::NaiveDate;

use super::tldr::{self, Block, BlockKind};
use super::{DigestFormat, Source, join_paragraphs, numbered, read_field_lines};
use crate::model::{DatePrecision, DateSource, Diagnostics, Digest, DigestDate, Entry, Format, TitleSource};

pub struct Page;

const TITLE_PREFIX: &str = "ArXiv Daily Digest on ";

impl DigestFormat for Page {
    fn format(&self) -> Format {
        Format::Page
    }

    fn detect(&self, text: &str) -> bool {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        lines.next().is_some_and(|l| l.starts_with(TITLE_PREFIX))
            && lines.next().is_some_and(|l| l.starts_with("Published"))
    }

    fn parse(&self, source: &Source<'_>, diags: &mut Diagnostics) -> Digest {
        let lines = numbered(source.text);
        let mut digest = Digest::default();
        let title = lines.iter().find(|(_, l)| !l.trim().is_empty());
        if let Some((no, title)) = title {
            digest.title = Some(title.trim().to_owned());
            let raw = title.trim().trim_start_matches(TITLE_PREFIX);
            match NaiveDate::parse_from_str(raw.get(..10).unwrap_or(raw), "%Y-%m-%d") {
                Ok(date) => {
                    digest.date =
                        Some(DigestDate { date, source: DateSource::TitleLine, precision: DatePrecision::Day })
                }
                Err(_) => diags.warn(*no, "bad-date", format!("title line date {raw:?} is not YYYY-MM-DD")),
            }
        }
        let starts = entry_starts(&lines);
        let first_entry = starts.first().copied().unwrap_or(lines.len());
        let tldr_at = lines[..first_entry].iter().position(|(_, l)| is_tldr_line(l));
        let published = lines.iter().position(|(_, l)| l.trim().starts_with("Published")).map_or(1, |p| p + 1);
        digest.overview = join_paragraphs(&lines[published.min(first_entry)..tldr_at.unwrap_or(first_entry)]);
        if let Some(t) = tldr_at {
            let section = &lines[t + 1..first_entry];
            digest.tldr = join_paragraphs(section);
            let text: String = section.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
            (digest.total_papers, digest.selected_papers) = super::fields::paper_counts(&text);
            digest.themes = tldr::themes(&line_blocks(section));
        }
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(lines.len());
            digest.entries.push(parse_entry(&lines[start..end], diags));
        }
        digest
    }
}

fn is_tldr_line(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    l == "tl;dr" || l == "tldr" || l.starts_with("tl;dr:")
}

/// The index of each entry's title line: the last non-empty line before an `Authors:` line.
fn entry_starts(lines: &[(u32, &str)]) -> Vec<usize> {
    let mut starts = Vec::new();
    for (i, (_, line)) in lines.iter().enumerate() {
        if !line.starts_with("Authors:") {
            continue;
        }
        let title = lines[..i].iter().rposition(|(_, l)| !l.trim().is_empty());
        starts.push(title.filter(|&t| starts.last().is_none_or(|&last| t > last)).unwrap_or(i));
    }
    starts
}

/// Section marker lines of a paper block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Abstract,
    Summary,
    Critique,
}

fn section_marker(line: &str) -> Option<Section> {
    match line.trim() {
        "Abstract" => Some(Section::Abstract),
        "Summary" => Some(Section::Summary),
        "Critique" => Some(Section::Critique),
        _ => None,
    }
}

fn parse_entry(lines: &[(u32, &str)], diags: &mut Diagnostics) -> Entry {
    let (line, first) = lines[0];
    let has_title = !first.starts_with("Authors:");
    let mut entry = Entry { line, ..Entry::default() };
    if has_title {
        entry.title = Some(first.trim().to_owned());
        entry.title_source = Some(TitleSource::Heading);
    }
    let body = &lines[usize::from(has_title)..];
    let used = read_field_lines(body, &mut entry, diags);
    let rest = &body[used..];
    // Headings inside a summary or critique (`### Summary`) lost their level in the copy, so
    // each section starts once and in order: a later `Summary` line is text of its section.
    let mut markers: Vec<(usize, Section)> = Vec::new();
    for (i, (_, l)) in rest.iter().enumerate() {
        if let Some(s) = section_marker(l).filter(|s| markers.last().is_none_or(|(_, last)| s > last)) {
            markers.push((i, s));
        }
    }
    for (k, &(at, section)) in markers.iter().enumerate() {
        let end = markers.get(k + 1).map_or(rest.len(), |&(next, _)| next);
        let text = join_paragraphs(&rest[at + 1..end]);
        match section {
            Section::Abstract => entry.abstract_text = text,
            Section::Summary => entry.summary = text,
            Section::Critique => entry.critique = text,
        }
    }
    entry
}

/// TL;DR lines as blocks: `  • ` bullets and `  1. ` numbered items (indent gives the depth),
/// other lines as paragraphs.
pub(crate) fn line_blocks(lines: &[(u32, &str)]) -> Vec<Block> {
    lines
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|&(no, line)| {
            let indent = line.len() - line.trim_start().len();
            let depth = u8::try_from(indent.saturating_sub(2) / 2).unwrap_or(u8::MAX);
            let trimmed = line.trim_start();
            if let Some(item) =
                trimmed.strip_prefix("• ").or_else(|| trimmed.strip_prefix("- ")).or_else(|| trimmed.strip_prefix("* "))
            {
                return Block::plain(BlockKind::Item(depth), no, item);
            }
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && indent > 0 && trimmed[digits..].starts_with(". ") {
                return Block::plain(BlockKind::Item(depth), no, &trimmed[digits + 2..]);
            }
            Block::plain(BlockKind::Para, no, trimmed)
        })
        .collect()
}
