//! `flat`: paragraph-only text with no title line and no front matter. The overview, `Total
//! papers`, a `TL;DR:` paragraph, then paper blocks that start at `Authors:`. Titles are not in
//! the file: they are recovered from the title that the summary or critique quotes, or from a
//! TL;DR bullet that links the entry's arXiv id. The date comes from the file name or is
//! inferred from the arXiv ids (see `finish`).

use std::sync::LazyLock;

use regex::Regex;

use super::page::line_blocks;
use super::tldr::Block;
use super::{DigestFormat, Source, join_paragraphs, numbered, read_field_lines};
use crate::model::{Diagnostics, Digest, Entry, Format, TitleSource};

pub struct Flat;

impl DigestFormat for Flat {
    fn format(&self) -> Format {
        Format::Flat
    }

    fn detect(&self, text: &str) -> bool {
        let has = |label: &str| text.lines().any(|l| l.starts_with(label));
        // Paragraph-only text: no Markdown headings, tables or front matter.
        let markup = text.starts_with("---\n") || text.lines().any(|l| l.starts_with('#') || l.starts_with('|'));
        !markup && has("Authors:") && (has("Paper link:") || has("Keywords:"))
    }

    fn parse(&self, source: &Source<'_>, diags: &mut Diagnostics) -> Digest {
        let lines = numbered(source.text);
        let starts: Vec<usize> =
            lines.iter().enumerate().filter(|(_, (_, l))| l.starts_with("Authors:")).map(|(i, _)| i).collect();
        let first_entry = starts.first().copied().unwrap_or(lines.len());
        let preamble = &lines[..first_entry];
        let mut digest = Digest::default();
        let tldr_at = preamble.iter().position(|(_, l)| l.trim_start().to_ascii_lowercase().starts_with("tl;dr"));
        let counts_at = preamble.iter().position(|(_, l)| l.contains("Total papers"));
        let overview_end = [tldr_at, counts_at].into_iter().flatten().min().unwrap_or(first_entry);
        digest.overview = join_paragraphs(&preamble[..overview_end]);
        if let Some(c) = counts_at {
            (digest.total_papers, digest.selected_papers) = super::fields::paper_counts(preamble[c].1);
        }
        let tldr_blocks = match tldr_at {
            Some(t) => {
                digest.tldr = join_paragraphs(&preamble[t..]);
                line_blocks(&preamble[t..])
            }
            None => Vec::new(),
        };
        digest.themes = super::tldr::themes(&tldr_blocks);
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(lines.len());
            let mut entry = parse_entry(&lines[start..end], diags);
            recover_title(&mut entry, &tldr_blocks, diags);
            digest.entries.push(entry);
        }
        digest
    }
}

static CRITIQUE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:of course[.!]?\s*)?(?:here is|here's|here’s|below is)\s+(?:a|an|my)\s+(?:\w+\s+){0,2}(?:critique|commentary|critical|assessment|review|evaluation)|strengths and weaknesses of the paper")
        .unwrap_or_else(|e| panic!("{e}"))
});

fn parse_entry(lines: &[(u32, &str)], diags: &mut Diagnostics) -> Entry {
    let mut entry = Entry { line: lines[0].0, ..Entry::default() };
    let used = read_field_lines(lines, &mut entry, diags);
    let rest: Vec<(u32, &str)> = lines[used..].iter().copied().filter(|(_, l)| !l.trim().is_empty()).collect();
    let Some(((_, abstract_text), body)) = rest.split_first() else { return entry };
    entry.abstract_text = Some(abstract_text.trim().to_owned());
    let critique_at = body.iter().position(|(_, l)| CRITIQUE_START.is_match(l.trim())).unwrap_or(body.len());
    entry.summary = join_paragraphs(&body[..critique_at]);
    entry.critique = join_paragraphs(&body[critique_at..]);
    entry
}

static QUOTED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:paper|titled|study|work|article)\W{0,3}[“"]([^”"]{8,300})[”"]"#)
        .unwrap_or_else(|e| panic!("{e}"))
});

/// The title a summary or critique quotes ("a critique of the paper “…,”").
fn quoted_title(text: &str) -> Option<String> {
    let c = QUOTED_TITLE.captures(text)?;
    Some(c[1].trim().trim_end_matches([',', '.', ':', ';']).trim().to_owned())
}

fn recover_title(entry: &mut Entry, tldr: &[Block], diags: &mut Diagnostics) {
    let quoted = [&entry.summary, &entry.critique].into_iter().flatten().find_map(|t| quoted_title(t));
    if let Some(title) = quoted {
        diags.info(
            entry.line,
            "title-recovered",
            format!("title {title:?} taken from the quote in the summary or critique"),
        );
        entry.title = Some(title);
        entry.title_source = Some(TitleSource::SummaryQuote);
        return;
    }
    let Some(id) = entry.arxiv_id.as_deref() else { return };
    let linked = tldr.iter().find(|b| super::fields::arxiv_ids(&b.text).iter().any(|i| i == id));
    if let Some((lead, _)) = linked.and_then(|b| b.lead.as_ref()) {
        let title = super::tldr::clean_label(lead);
        diags.info(
            entry.line,
            "title-recovered",
            format!("title {title:?} taken from the TL;DR bullet that links {id}"),
        );
        entry.title = Some(title);
        entry.title_source = Some(TitleSource::TldrLink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_give_titles() {
        let t = quoted_title(
            "Of course. Here is a critique of the paper “Value Drifts: Tracing Value Alignment,” focusing on",
        );
        assert_eq!(t.as_deref(), Some("Value Drifts: Tracing Value Alignment"));
        assert_eq!(
            quoted_title("Here is a summary of the paper “The Era of Agentic Organization”:").as_deref(),
            Some("The Era of Agentic Organization")
        );
        assert_eq!(quoted_title("no quote here"), None);
    }

    #[test]
    fn critique_starts() {
        assert!(CRITIQUE_START.is_match("Of course. Here is a detailed critique of the paper “X,” assessing"));
        assert!(
            CRITIQUE_START
                .is_match("Of course. Here is a commentary on the strengths and weaknesses of the paper “X.”")
        );
        assert!(!CRITIQUE_START.is_match("Of course. Here is a summary of the paper “X.”"));
    }
}
