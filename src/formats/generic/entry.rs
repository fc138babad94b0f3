//! One paper read from its container: the title (the link that carries its id, the heading above
//! it, a `Title:` label, another link, bold text), labelled lines and label headings through the
//! label dictionary, the first long unlabelled paragraph as the abstract, and the topic heading
//! it is listed under.

use std::ops::Range;

use super::structure::{Anchor, Structure};
use super::{NUMBERING, is_digest_heading, listed_under, useful_title};
use crate::formats::dates;
use crate::formats::fields;
use crate::formats::labels::{Field, Labels};
use crate::model::{Diagnostics, Entry, TitleSource};
use crate::read::{Block, Kind, Link};

/// Reads one paper from its container.
pub(super) struct EntryReader<'a, 'b> {
    pub(super) s: &'b Structure<'a>,
    pub(super) labels: &'b Labels,
    pub(super) range: Range<usize>,
    pub(super) anchor: &'b Anchor,
}

impl EntryReader<'_, '_> {
    pub(super) fn read(&self, diags: &mut Diagnostics) -> Entry {
        let blocks = &self.s.blocks[self.range.clone()];
        let mut entry = Entry {
            line: blocks.first().map_or(0, |b| b.line),
            arxiv_id: Some(self.anchor.id.id.clone()),
            // The highest version written anywhere in the container (`[2510.12346]` in the
            // heading, `…/abs/2510.12346v2` in the link).
            arxiv_version: self.s.ids[self.range.clone()]
                .iter()
                .flatten()
                .filter(|r| r.id == self.anchor.id.id)
                .filter_map(|r| r.version)
                .max(),
            ..Entry::default()
        };
        entry.url = blocks
            .iter()
            .flat_map(Block::all_links)
            .find(|l| l.href.contains(&self.anchor.id.id))
            .map(|l| l.href.clone());
        // The text of the link that carries the id names the paper most closely (a section
        // heading may name a theme that links it); else the heading above it.
        let title_heading = self.title_heading();
        if let Some(t) = self.anchor_link_title(blocks) {
            entry.title = Some(t);
            entry.title_source = Some(TitleSource::LinkText);
        } else if let Some((h, title)) = &title_heading {
            entry.title = Some(title.clone());
            entry.title_source = Some(TitleSource::Heading);
            entry.line = self.s.blocks[*h].line;
        }
        self.read_fields(&mut entry, diags);
        if entry.title.is_none() {
            self.title_from_links_or_bold(&mut entry);
        }
        let own = title_heading.filter(|_| entry.title_source == Some(TitleSource::Heading)).map(|(h, _)| h);
        let headings = self.s.enclosing(self.anchor.block).iter().copied().filter(|&h| Some(h) != own);
        entry.listed_under = listed_under(self.s, self.labels, headings);
        entry
    }

    /// The heading that titles the paper: the nearest heading above the anchor inside the
    /// container (the anchor's own, if it is one), else the container's first, skipping label
    /// headings (`## Abstract`) and the digest's own title. A numbered heading (`## 3. …`) is a
    /// paper's even when it carries a date.
    fn title_heading(&self) -> Option<(usize, String)> {
        let a = self.anchor.block;
        let own = self.s.blocks[a].heading().map(|_| a);
        let nearest = own.into_iter().chain(self.s.enclosing(a).iter().rev().copied());
        let first = (self.range.start..a.min(self.range.end)).filter(|&i| self.s.blocks[i].heading().is_some());
        nearest.filter(|h| self.range.contains(h)).chain(first).find_map(|i| {
            let text = &self.s.blocks[i].text;
            let numbered = NUMBERING.is_match(text);
            if self.labels.field(text).is_some() || (!numbered && is_digest_heading(text)) {
                return None;
            }
            useful_title(text).map(|t| (i, t))
        })
    }

    /// The text of a link to the anchored paper, when it reads as a title (three words or more).
    fn anchor_link_title(&self, blocks: &[Block]) -> Option<String> {
        let id = self.anchor.id.id.as_str();
        let link = blocks.iter().flat_map(Block::all_links).find(|l| l.href.contains(id))?;
        useful_title(&link.text).filter(|t| t.split_whitespace().count() >= 3)
    }

    fn title_from_links_or_bold(&self, entry: &mut Entry) {
        let id = &self.anchor.id.id;
        let blocks = &self.s.blocks[self.range.clone()];
        let link = blocks
            .iter()
            .flat_map(Block::all_links)
            .filter(|l| l.href.contains(id.as_str()) || fields::arxiv_refs(&l.href).is_empty())
            .find_map(|l: &Link| useful_title(&l.text).filter(|t| t.split_whitespace().count() >= 2));
        if let Some(t) = link {
            entry.title = Some(t);
            entry.title_source = Some(TitleSource::LinkText);
            return;
        }
        let bold = blocks.iter().filter(|b| b.heading().is_none() && b.starts_bold).find_map(|b| {
            let first = b.strong.first()?;
            (self.labels.split(&format!("{first}:")).is_none() && self.labels.field(first).is_none())
                .then(|| useful_title(first))
                .flatten()
        });
        if let Some(t) = bold {
            entry.title = Some(t);
            entry.title_source = Some(TitleSource::Bold);
        }
    }

    /// Labelled lines, label headings and the first long unlabelled paragraph.
    fn read_fields(&self, entry: &mut Entry, diags: &mut Diagnostics) {
        let mut found: Vec<(Field, u32, String)> = Vec::new();
        let mut unlabelled: Option<String> = None;
        let mut i = self.range.start;
        while i < self.range.end {
            let b = &self.s.blocks[i];
            if b.heading().is_some() {
                if let Some(field) = self.labels.field(&b.text) {
                    let end = self.s.sections[i].as_ref().map_or(i + 1, |r| r.end.min(self.range.end));
                    let body: Vec<&str> = self.s.blocks[i + 1..end].iter().map(|b| b.text.as_str()).collect();
                    found.push((field, b.line, body.join("\n\n")));
                    i = end;
                    continue;
                }
            } else if !matches!(b.kind, Kind::Row { .. } | Kind::Code | Kind::Rule) {
                self.block_fields(b, &mut found, &mut unlabelled, i);
            }
            i += 1;
        }
        if unlabelled.is_some() && !found.iter().any(|(f, ..)| *f == Field::Abstract) {
            found.push((Field::Abstract, 0, unlabelled.unwrap_or_default()));
        }
        for (field, line, value) in found {
            apply(entry, field, line, &value, diags);
        }
    }

    fn block_fields(
        &self,
        b: &Block,
        found: &mut Vec<(Field, u32, String)>,
        unlabelled: &mut Option<String>,
        i: usize,
    ) {
        let mut labelled_here = false;
        let mut open: Option<usize> = None;
        for (k, line) in b.text.lines().enumerate() {
            let no = b.line + u32::try_from(k).unwrap_or(0);
            if let Some((field, value)) = self.labels.split(line) {
                labelled_here = true;
                let value = if value.is_empty() && b.text.lines().count() == 1 {
                    // `**Abstract:**` alone: the value is the next block.
                    self.s.blocks.get(i + 1).filter(|_| i + 1 < self.range.end).map_or("", |n| n.text.as_str())
                } else {
                    value
                };
                found.push((field, no, value.to_owned()));
                open = Some(found.len() - 1);
            } else if let Some(at) = open {
                found[at].2.push('\n');
                found[at].2.push_str(line.trim());
            }
        }
        let words = b.text.split_whitespace().count();
        if !labelled_here && unlabelled.is_none() && words >= 20 && b.heading().is_none() {
            *unlabelled = Some(b.text.clone());
        }
    }
}

/// Puts a labelled value into its field; the first value of a field wins.
pub(crate) fn apply(entry: &mut Entry, field: Field, line: u32, value: &str, diags: &mut Diagnostics) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    match field {
        Field::Title if entry.title.is_none() => {
            entry.title = useful_title(value);
            entry.title_source = entry.title.as_ref().map(|_| TitleSource::Label);
        }
        Field::Authors if entry.authors.is_empty() => {
            let normalised = value.replace(['，', '、', '；'], ",");
            let (mut authors, truncated) = fields::authors(&normalised);
            entry.authors_truncated = truncated || fields::says_et_al(&normalised);
            if truncated {
                diags.warn(
                    line,
                    "truncated-authors",
                    format!(
                        "the author list ends in {:?}: it is cut off after {} name(s)",
                        value.chars().last().unwrap_or(','),
                        authors.len()
                    ),
                );
            }
            let before = authors.len();
            authors.retain(|a| a.chars().any(char::is_alphanumeric));
            if authors.len() < before {
                diags.info(
                    line,
                    "elided-authors",
                    format!("the author list leaves names out (`…`); {} name(s) kept", authors.len()),
                );
            }
            entry.authors = authors;
        }
        Field::Keywords if entry.keywords.is_empty() => {
            entry.keywords = fields::keywords(&value.replace(['，', '、', '；'], ","));
        }
        Field::Abstract if entry.abstract_text.is_none() => entry.abstract_text = Some(value.to_owned()),
        Field::Summary if entry.summary.is_none() => entry.summary = Some(value.to_owned()),
        Field::Critique if entry.critique.is_none() => entry.critique = Some(value.to_owned()),
        Field::Comments if entry.comments.is_none() => entry.comments = fields::comments(value),
        Field::Venue if entry.venue.is_none() => entry.venue = Some(value.to_owned()),
        Field::Organization if entry.organization.is_none() => entry.organization = Some(value.to_owned()),
        Field::Upvotes if entry.upvotes.is_none() => {
            entry.upvotes =
                value.split(|c: char| !c.is_ascii_digit()).find(|s| !s.is_empty()).and_then(|s| s.parse().ok());
        }
        Field::Date if entry.listed_date.is_none() => entry.listed_date = dates::date_in(value),
        Field::Link => {
            if entry.url.is_none() {
                entry.url = fields::url(value);
            }
            if entry.arxiv_id.is_none()
                && let Some(r) = fields::arxiv_id(value)
            {
                entry.arxiv_id = Some(r.id);
                entry.arxiv_version = r.version;
            }
        }
        _ => {}
    }
}
