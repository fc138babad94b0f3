//! `markdown`: YAML front matter with `date:`, an overview, a `## TL;DR` section, then one
//! `# Title` per paper with field lines and `## Abstract`, `## Summary`, `## Critique`.
//! The front matter is read with serde_yaml and the body with pulldown-cmark.

use std::ops::Range;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::tldr::{self, Block, BlockKind, LeadSep};
use super::{DigestFormat, Source, fields, read_field_lines};
use crate::model::{DatePrecision, DateSource, Diagnostics, Digest, DigestDate, Entry, Format, TitleSource};
use crate::read::{LineIndex, split_front_matter};

pub struct Markdown;

impl DigestFormat for Markdown {
    fn format(&self) -> Format {
        Format::Markdown
    }

    /// A `# Title` line followed by an `Authors:` line (a paper block), or front matter with a
    /// date or title and a `## TL;DR` section (a digest whose papers were cut off).
    fn detect(&self, text: &str) -> bool {
        let mut lines = text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).peekable();
        while let Some(line) = lines.next() {
            if line.starts_with("# ") && lines.peek().is_some_and(|next| next.starts_with("Authors:")) {
                return true;
            }
        }
        let Some((yaml, body)) = split_front_matter(text) else { return false };
        yaml.lines().any(|l| l.starts_with("date:") || l.starts_with("title:"))
            && text[body..].lines().any(|l| l.starts_with("## ") && is_tldr(&l[3..]))
    }

    fn parse(&self, source: &Source<'_>, diags: &mut Diagnostics) -> Digest {
        let text = source.text;
        let lines = LineIndex::new(text);
        let (yaml, body_start) = split_front_matter(text).unwrap_or(("", 0));
        let mut digest = Digest::default();
        read_front_matter(yaml, &mut digest, diags);
        let headings = headings(text, body_start);
        if digest.date.is_none() {
            // A rendering without a front matter date: a `date:` line before the papers, the page
            // title (`ArXiv Daily Digest on 2025-10-06`), or a first heading that titles the digest.
            let first = headings.first().map_or(text.len(), |h| h.range.start);
            let titled = digest.title.iter().chain(headings.first().map(|h| &h.text));
            digest.date = preamble_date(&text[body_start..first]).or_else(|| {
                titled
                    .filter(|t| t.to_ascii_lowercase().contains("digest"))
                    .find_map(|t| super::dates::date_in(t).map(|d| super::dates::dated(d, DateSource::TitleLine)))
            });
        }
        let tldr = headings.iter().position(|h| h.level == 2 && is_tldr(&h.text));
        let papers: Vec<&Heading> = headings.iter().skip(tldr.map_or(0, |t| t + 1)).filter(|h| h.level == 1).collect();
        let first_heading = headings.first().map_or(text.len(), |h| h.range.start);
        digest.overview = non_empty(&text[body_start..first_heading]);
        if let Some(t) = tldr {
            let start = headings[t].range.end;
            // TL;DRs use `##` headings for themes: the section runs to the first paper heading.
            let end = headings[t + 1..].iter().find(|h| h.level == 1).map_or(text.len(), |h| h.range.start);
            let section = &text[start..end];
            digest.tldr = non_empty(section);
            (digest.total_papers, digest.selected_papers) = fields::paper_counts(section);
            digest.themes = tldr::themes(&blocks(section, start, &lines));
        }
        for (i, heading) in papers.iter().enumerate() {
            let end = papers.get(i + 1).map_or(text.len(), |h| h.range.start);
            let entry = parse_entry(text, heading, end, &headings, &lines, diags);
            if let Some(entry) = entry {
                digest.entries.push(entry);
            }
        }
        digest
    }
}

fn read_front_matter(yaml: &str, digest: &mut Digest, diags: &mut Diagnostics) {
    if yaml.trim().is_empty() {
        return;
    }
    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(value) => value,
        Err(err) => {
            let line = err.location().map_or(1, |l| u32::try_from(l.line() + 1).unwrap_or(1));
            diags.warn(line, "bad-front-matter", format!("front matter is not valid YAML: {err}"));
            return;
        }
    };
    digest.title = value.get("title").and_then(yaml_string);
    let Some(raw) = value.get("date").and_then(yaml_string) else { return };
    let day = raw.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    match day {
        Some(date) => {
            digest.date = Some(DigestDate { date, source: DateSource::FrontMatter, precision: DatePrecision::Day })
        }
        None => {
            diags.warn(line_of_key(yaml, "date"), "bad-date", format!("front matter date {raw:?} is not YYYY-MM-DD"))
        }
    }
}

/// A date in the lines before the first heading: a labelled date line, or a digest title line.
fn preamble_date(text: &str) -> Option<DigestDate> {
    text.lines().find_map(|line| {
        let lower = line.to_ascii_lowercase();
        let labelled = super::dates::labelled_date(line)
            .or_else(|| lower.find("date:").and_then(|at| super::dates::date_in(&line[at..])));
        let titled = || lower.contains("digest").then(|| super::dates::date_in(line)).flatten();
        labelled
            .map(|d| super::dates::dated(d, DateSource::DateLabel))
            .or_else(|| titled().map(|d| super::dates::dated(d, DateSource::TitleLine)))
    })
}

fn yaml_string(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn line_of_key(yaml: &str, key: &str) -> u32 {
    let at = yaml.lines().position(|l| l.starts_with(&format!("{key}:"))).unwrap_or(0);
    u32::try_from(at + 2).unwrap_or(u32::MAX)
}

fn is_tldr(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.starts_with("tl;dr") || t.starts_with("tldr")
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches("---").trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[derive(Debug)]
struct Heading {
    level: u8,
    range: Range<usize>,
    text: String,
}

/// Every ATX or setext heading of the body, with its byte range in `text`.
fn headings(text: &str, body_start: usize) -> Vec<Heading> {
    let body = &text[body_start..];
    let mut out = Vec::new();
    let mut current: Option<Heading> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let range = body_start + range.start..body_start + range.end;
                current = Some(Heading { level: level as u8, range, text: String::new() });
            }
            // Inline HTML in a title (`k <b> n`, `<script>`) is text the digest wrote: keep it.
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => {
                if let Some(h) = current.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

fn parse_entry(
    text: &str,
    heading: &Heading,
    end: usize,
    all: &[Heading],
    lines: &LineIndex,
    diags: &mut Diagnostics,
) -> Option<Entry> {
    let start = heading.range.end;
    // The headings are in document order: those inside this paper follow its own.
    let from = all.partition_point(|h| h.range.start < start);
    let inner: Vec<&Heading> =
        all[from..].iter().take_while(|h| h.range.start < end).filter(|h| h.level == 2).collect();
    let fields_end = inner.first().map_or(end, |h| h.range.start);
    let field_text = &text[start..fields_end];
    let first_line = lines.line(start);
    let numbered: Vec<(u32, &str)> =
        field_text.lines().enumerate().map(|(i, l)| (first_line + u32::try_from(i).unwrap_or(0), l)).collect();
    let mut entry = Entry { line: lines.line(heading.range.start), ..Entry::default() };
    if read_field_lines(&numbered, &mut entry, diags) == 0 && inner.is_empty() {
        return None;
    }
    entry.title = Some(heading.text.trim().to_owned()).filter(|t| !t.is_empty());
    entry.title_source = entry.title.as_ref().map(|_| TitleSource::Heading);
    for (i, section) in inner.iter().enumerate() {
        let section_end = inner.get(i + 1).map_or(end, |h| h.range.start);
        let body = non_empty(&text[section.range.end..section_end]);
        match section.text.trim().trim_end_matches(':').to_ascii_lowercase().as_str() {
            "abstract" => entry.abstract_text = body,
            "summary" => entry.summary = body,
            "critique" | "review" | "commentary" => entry.critique = body,
            _ => {}
        }
    }
    Some(entry)
}

/// The TL;DR section as blocks: headings, paragraphs and list items, each with its bold lead.
fn blocks(section: &str, offset: usize, lines: &LineIndex) -> Vec<Block> {
    let mut out = Vec::new();
    let mut builder: Option<BlockBuilder> = None;
    let mut depth: u8 = 0;
    for (event, range) in Parser::new(section).into_offset_iter() {
        let line = || lines.line(offset + range.start);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                builder = Some(BlockBuilder::new(BlockKind::Heading(level as u8), line()))
            }
            Event::Start(Tag::Paragraph) if builder.is_none() => {
                builder = Some(BlockBuilder::new(BlockKind::Para, line()))
            }
            Event::Start(Tag::List(_)) => {
                out.extend(builder.take().map(BlockBuilder::build));
                depth = depth.saturating_add(1);
            }
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                out.extend(builder.take().map(BlockBuilder::build));
                builder = Some(BlockBuilder::new(BlockKind::Item(depth.saturating_sub(1)), line()));
            }
            Event::Start(Tag::Strong) => {
                if let Some(b) = builder.as_mut() {
                    b.strong_start();
                }
            }
            Event::End(TagEnd::Strong) => {
                if let Some(b) = builder.as_mut() {
                    b.strong_end();
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(b) = builder.as_mut() {
                    b.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = builder.as_mut() {
                    b.text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item) | Event::End(TagEnd::Paragraph)
                if !matches!(builder.as_ref().map(|b| b.kind), Some(BlockKind::Item(_)))
                    || matches!(event, Event::End(TagEnd::Item)) =>
            {
                out.extend(builder.take().map(BlockBuilder::build));
            }
            _ => {}
        }
    }
    out.extend(builder.map(BlockBuilder::build));
    out
}

/// Accumulates one block's text and notes a bold span at its very start.
struct BlockBuilder {
    kind: BlockKind,
    line: u32,
    text: String,
    strong_from: Option<usize>,
    lead: Option<Range<usize>>,
}

impl BlockBuilder {
    fn new(kind: BlockKind, line: u32) -> Self {
        BlockBuilder { kind, line, text: String::new(), strong_from: None, lead: None }
    }

    fn strong_start(&mut self) {
        if self.lead.is_none() && self.text.trim().is_empty() {
            self.strong_from = Some(self.text.len());
        }
    }

    fn strong_end(&mut self) {
        if let Some(from) = self.strong_from.take() {
            self.lead = Some(from..self.text.len());
        }
    }

    fn build(self) -> Block {
        let Some(lead) = self.lead else { return Block::plain(self.kind, self.line, &self.text) };
        let label = self.text[lead.clone()].trim().to_owned();
        let after = self.text[lead.end..].trim_start();
        let sep = if label.ends_with(':') || after.starts_with(':') {
            LeadSep::Colon
        } else if after.starts_with(['-', '–', '—']) {
            LeadSep::Dash
        } else {
            LeadSep::Bold
        };
        Block { kind: self.kind, line: self.line, text: fields::squash(&self.text), lead: Some((label, sep)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_leads_and_separators() {
        let text = "**Main Themes:**\n- **Agents** - text\n- **SLM-MUX** shows\n\n**Key Insight**: all\n";
        let got: Vec<(BlockKind, Option<(String, LeadSep)>)> =
            blocks(text, 0, &LineIndex::new(text)).into_iter().map(|b| (b.kind, b.lead)).collect();
        assert_eq!(
            got,
            [
                (BlockKind::Para, Some(("Main Themes:".to_owned(), LeadSep::Colon))),
                (BlockKind::Item(0), Some(("Agents".to_owned(), LeadSep::Dash))),
                (BlockKind::Item(0), Some(("SLM-MUX".to_owned(), LeadSep::Bold))),
                (BlockKind::Para, Some(("Key Insight".to_owned(), LeadSep::Colon))),
            ]
        );
    }

    #[test]
    fn counts_and_front_matter() {
        assert_eq!(fields::paper_counts("Total papers: 81 , Selected papers: 10"), (Some(81), Some(10)));
        assert_eq!(split_front_matter("---\ndate: 2025-10-06\n---\nbody"), Some(("date: 2025-10-06\n", 25)));
    }
}
