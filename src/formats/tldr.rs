//! TL;DR themes. Every format turns its TL;DR section into a list of [`Block`]s (headings,
//! paragraphs, list items, each with the label it leads with); one extractor then finds the
//! themes in every shape the digests use: `##`/`###` headings, bold lead-ins (`**Theme:** …`),
//! bullets under a `Main Themes:` lead-in, numbered lists, and bullets naming papers by link.

use std::sync::LazyLock;

use regex::Regex;

use super::fields::{arxiv_ids, squash};
use crate::model::Theme;

/// What a TL;DR block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading(u8),
    Para,
    /// A list item at a nesting depth (0 for the outermost list).
    Item(u8),
}

/// How a block's lead label is set off from the rest of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadSep {
    /// `Label: text` or `**Label:** text`.
    Colon,
    /// `Label - text`, `Label — text`.
    Dash,
    /// A bold label followed by running text (`**SLM-MUX** shows …`), or a bold block.
    Bold,
}

/// One block of a TL;DR section, with plain text and its lead label if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub line: u32,
    pub text: String,
    pub lead: Option<(String, LeadSep)>,
}

impl Block {
    /// A block whose lead label is found in its plain text (`Label: text`, `Label - text`).
    pub fn plain(kind: BlockKind, line: u32, text: &str) -> Block {
        let text = squash(text);
        let lead = plain_lead(&text);
        Block { kind, line, text, lead }
    }

    /// The text after the lead label.
    fn rest(&self) -> &str {
        match &self.lead {
            Some((lead, _)) => {
                self.text.find(lead.as_str()).map_or(self.text.as_str(), |at| &self.text[at + lead.len()..])
            }
            None => &self.text,
        }
    }
}

/// A short label before `: ` or ` - ` that starts a plain-text block.
fn plain_lead(text: &str) -> Option<(String, LeadSep)> {
    let colon = text.find(':').map(|at| (at, LeadSep::Colon));
    let dash = [" - ", " – ", " — "].iter().filter_map(|d| text.find(d)).min().map(|at| (at, LeadSep::Dash));
    let (at, sep) = [colon, dash].into_iter().flatten().min_by_key(|(at, _)| *at)?;
    let label = text[..at].trim();
    let words = label.split_whitespace().count();
    if label.is_empty() || words > 8 || label.len() > 80 || label.contains("http") {
        return None;
    }
    Some((label.to_owned(), sep))
}

/// What a label announces.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Label {
    /// A list of themes follows (`Main Themes:`).
    ThemesFollow,
    /// Not a theme: insights, trends, notes, paper lists, the TL;DR title.
    Meta,
    /// `Main Theme: X` or `Core Theme: X`.
    NamedTheme(String),
    Theme(String),
}

static THEMES_FOLLOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:main|key|core|major|emerging|recurring|common)?\s*(?:research\s+)?themes?(?:\s*(?:&|and)\s*(?:key\s+)?insights?)?$")
        .unwrap_or_else(|e| panic!("{e}"))
});
static META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:tl;?dr\b.*|(?:key|core|common|main|overall|general|notable|broader|emerging|other|big[- ]picture)?\s*(?:insights?|trends?|takeaways?|observations?|implications?|patterns?|directions?|conclusions?|summary|papers?|paper urls?|links?|note|notes|highlights?|findings)(?:\s+(?:&|and)\s+\w+)?|total papers|selected papers|here'?s.*|based on.*|in summary|overall|bottom line)$")
        .unwrap_or_else(|e| panic!("{e}"))
});
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:main|core|key|central|dominant|overarching|primary)\s+theme\s*(?:\d+)?\s*[:\-–—]\s*(.+)$")
        .unwrap_or_else(|e| panic!("{e}"))
});

/// Cleans a label: emoji, bold markers, numbering, trailing colons.
pub fn clean_label(label: &str) -> String {
    static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\d+[.)]|[ivx]+[.)]|#\d+|theme\s+\d+\s*[:.\-–—]?)\s*").unwrap_or_else(|e| panic!("{e}"))
    });
    let trimmed: String =
        label.trim().trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(' && c != '"').replace("**", "");
    let trimmed = NUMBERING.replace(&trimmed, "");
    squash(trimmed.trim_end_matches([':', ' ', '-', '–', '—', '.']))
}

fn classify(label: &str) -> Label {
    let label = clean_label(label);
    if let Some(c) = NAMED.captures(&label) {
        return Label::NamedTheme(clean_label(&c[1]));
    }
    if THEMES_FOLLOW.is_match(&label) {
        Label::ThemesFollow
    } else if label.is_empty() || META.is_match(&label) {
        Label::Meta
    } else {
        Label::Theme(label)
    }
}

/// Which kind of list the current lead-in announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    None,
    Themes,
    Other,
}

/// An open theme and the rank of the block that opened it (lower ranks enclose higher ones).
struct Open {
    index: usize,
    rank: u8,
}

fn rank(kind: BlockKind) -> u8 {
    match kind {
        BlockKind::Heading(level) => level,
        BlockKind::Para => 7,
        BlockKind::Item(depth) => 8 + depth,
    }
}

/// Finds the themes of a TL;DR section.
pub fn themes(blocks: &[Block]) -> Vec<Theme> {
    let mut themes: Vec<Theme> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut container = (Container::None, 0u8);
    for block in blocks {
        let r = rank(block.kind);
        let label = match (&block.lead, block.kind) {
            (_, BlockKind::Heading(_)) => Some(classify(&block.text)),
            (Some((lead, _)), _) => Some(classify(lead)),
            (None, _) => None,
        };
        if matches!(block.kind, BlockKind::Heading(_)) || label.is_some() && block.kind == BlockKind::Para {
            open.retain(|o| o.rank < r);
            if container.1 >= r {
                container = (Container::None, 0);
            }
        } else if block.kind == BlockKind::Para {
            open.retain(|o| o.rank < 8);
        } else {
            open.retain(|o| o.rank < r);
        }
        let opens = match &label {
            Some(Label::ThemesFollow) => {
                open.clear();
                container = (Container::Themes, r.min(7));
                None
            }
            Some(Label::Meta) => {
                open.clear();
                container = (Container::Other, r.min(7));
                None
            }
            Some(Label::NamedTheme(name)) => Some(name.clone()),
            Some(Label::Theme(name)) => opens_theme(block, &open, container.0).then(|| name.clone()),
            None => None,
        };
        let ids = arxiv_ids(&block.text);
        for o in &open {
            add_ids(&mut themes[o.index], &ids);
        }
        match opens {
            Some(name) => {
                // A heading's description is the paragraph that follows it.
                let description =
                    if matches!(block.kind, BlockKind::Heading(_)) { None } else { describe(block.rest()) };
                themes.push(Theme {
                    position: u32::try_from(themes.len() + 1).unwrap_or(u32::MAX),
                    line: block.line,
                    label: name,
                    description,
                    arxiv_ids: ids,
                });
                open.push(Open { index: themes.len() - 1, rank: r });
            }
            None if block.kind == BlockKind::Para && block.lead.is_none() => {
                if let Some(o) = open.last() {
                    let theme = &mut themes[o.index];
                    theme.description = theme.description.take().or_else(|| describe(&block.text));
                }
            }
            None => {}
        }
    }
    themes
}

/// Whether a labelled block starts a theme of its own rather than belonging to one.
fn opens_theme(block: &Block, open: &[Open], container: Container) -> bool {
    let sep = block.lead.as_ref().map(|(_, sep)| *sep);
    match block.kind {
        BlockKind::Heading(_) | BlockKind::Para => true,
        BlockKind::Item(_) if !open.is_empty() => false,
        BlockKind::Item(_) => match container {
            Container::Themes => true,
            Container::Other => sep == Some(LeadSep::Colon),
            Container::None => matches!(sep, Some(LeadSep::Colon | LeadSep::Dash)),
        },
    }
}

fn describe(text: &str) -> Option<String> {
    let text = text.trim().trim_start_matches([':', '-', '–', '—', '*', ' ']).trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn add_ids(theme: &mut Theme, ids: &[String]) {
    for id in ids {
        if !theme.arxiv_ids.contains(id) {
            theme.arxiv_ids.push(id.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bold(kind: BlockKind, line: u32, lead: &str, sep: LeadSep, text: &str) -> Block {
        Block { kind, line, text: text.to_owned(), lead: Some((lead.to_owned(), sep)) }
    }

    fn labels(themes: &[Theme]) -> Vec<&str> {
        themes.iter().map(|t| t.label.as_str()).collect()
    }

    #[test]
    fn bullets_under_a_themes_lead_in() {
        let blocks = [
            Block::plain(BlockKind::Para, 1, "Main Themes:"),
            Block::plain(BlockKind::Item(0), 2, "Agents & tools - papers on agents"),
            Block::plain(BlockKind::Item(0), 3, "Training: faster training"),
            Block::plain(BlockKind::Para, 4, "Key Insights:"),
            Block::plain(BlockKind::Item(0), 5, "X shows that agents help"),
            Block::plain(BlockKind::Para, 6, "Trend: more agents."),
        ];
        let themes = themes(&blocks);
        assert_eq!(labels(&themes), ["Agents & tools", "Training"]);
        assert_eq!(themes[0].description.as_deref(), Some("papers on agents"));
    }

    #[test]
    fn headings_collect_the_papers_of_their_bullets() {
        let blocks = [
            Block::plain(BlockKind::Heading(2), 1, "Multi-Agent Systems"),
            Block::plain(BlockKind::Para, 2, "Several papers explore agents."),
            bold(
                BlockKind::Item(0),
                3,
                "IMAGINE",
                LeadSep::Bold,
                "IMAGINE (https://arxiv.org/abs/2510.14406) distills",
            ),
            bold(BlockKind::Item(0), 4, "Other", LeadSep::Bold, "Other (2510.14438) does"),
            Block::plain(BlockKind::Heading(2), 5, "Mixture-of-Experts"),
            bold(
                BlockKind::Item(0),
                6,
                "Rewiring",
                LeadSep::Bold,
                "Rewiring (https://arxiv.org/abs/2510.14853) adapts",
            ),
            bold(BlockKind::Para, 7, "Key Insight", LeadSep::Colon, "Key Insight: all of them"),
        ];
        let themes = themes(&blocks);
        assert_eq!(labels(&themes), ["Multi-Agent Systems", "Mixture-of-Experts"]);
        assert_eq!(themes[0].arxiv_ids, ["2510.14406", "2510.14438"]);
        assert_eq!(themes[0].description.as_deref(), Some("Several papers explore agents."));
        assert_eq!(themes[1].arxiv_ids, ["2510.14853"]);
    }

    #[test]
    fn named_and_numbered_themes() {
        let blocks = [
            bold(
                BlockKind::Para,
                1,
                "Main Theme: Reasoning and Equity",
                LeadSep::Bold,
                "Main Theme: Reasoning and Equity",
            ),
            bold(BlockKind::Para, 2, "1. Agentic Memory", LeadSep::Bold, "1. Agentic Memory"),
            bold(BlockKind::Item(0), 3, "CAM", LeadSep::Bold, "CAM (https://arxiv.org/abs/2510.05520) builds memory"),
        ];
        let themes = themes(&blocks);
        assert_eq!(labels(&themes), ["Reasoning and Equity", "Agentic Memory"]);
        assert_eq!(themes[1].arxiv_ids, ["2510.05520"]);
    }

    #[test]
    fn insight_bullets_are_themes_only_with_a_colon() {
        let blocks = [
            bold(BlockKind::Para, 1, "Key Insights:", LeadSep::Bold, "Key Insights:"),
            bold(BlockKind::Item(0), 2, "SLM-MUX", LeadSep::Bold, "SLM-MUX shows that small models win"),
            bold(
                BlockKind::Item(0),
                3,
                "Multi-Agent Systems",
                LeadSep::Colon,
                "Multi-Agent Systems: frameworks (2510.07799)",
            ),
        ];
        let themes = themes(&blocks);
        assert_eq!(labels(&themes), ["Multi-Agent Systems"]);
        assert_eq!(themes[0].arxiv_ids, ["2510.07799"]);
    }

    #[test]
    fn labels_are_cleaned() {
        assert_eq!(clean_label("🔍 **Key Themes & Insights**"), "Key Themes & Insights");
        assert_eq!(clean_label("1. Improving Reasoning:"), "Improving Reasoning");
        assert_eq!(classify("Key Themes & Insights"), Label::ThemesFollow);
        assert_eq!(classify("Paper URLs:"), Label::Meta);
        assert_eq!(classify("TL;DR: Recent Advances"), Label::Meta);
    }
}
