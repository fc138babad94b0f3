//! The generic reader: papers anchored by their arXiv ids, fields from the structure around them.
//!
//! An arXiv id (`2401.01234v2`, `hep-th/9901001`, abs/pdf/html links, `arXiv:…`) anchors a
//! paper. Its block belongs to nested containers: the block, its list item, its stretch between
//! thematic breaks within its section, its sections from the innermost out, the document. The
//! paper's container is the largest of them that names no other paper. In it, the title is the
//! heading that opens it (numbering removed), else a `Title:` label, else the text of a link to
//! the paper, else the bold text that opens it; labelled lines (`**Authors:**`, `作者：`), label
//! headings (`## Abstract`, `## 摘要`) and a long unlabelled paragraph (the abstract) give the
//! other fields. Tables are read row by row with columns named by their header row. A heading
//! that is the digest's own title (it carries a date, or says digest, daily, report …) is never
//! a paper; section headings above a paper (a keyword table's `## SLAM`) become `listed_under`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::dates::{self, dated};
use super::fields::{self, ArxivRef};
use super::labels::{Field, Labels};
use super::merge::merge_listings;
use crate::model::{DateSource, Diagnostics, Digest, Entry, TitleSource};
use crate::read::{Block, Document, Kind, Link};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|err| panic!("built-in regex {pattern:?}: {err}"))
}

/// Headings that title a digest, not a paper.
static DIGEST_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(daily|digest|weekly|newsletter|updated on|last update|papers? (?:of the (?:day|week)|list)|reading list|table of contents)\b|日报|周报|速递|汇总|论文列表|목록",
    )
});
/// Link texts that say nothing about the paper.
static GENERIC_LINK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\W*(pdf|abs|abstract|arxiv|html|link|paper|here|code|github|project|page|url|view|read|download|\[?\d{4}\.\d{4,5}(v\d+)?\]?|arxiv:\s*\S+|https?://\S+|source|website|demo|hf|hugging ?face|papers? ?with ?code|more|read (?:the )?(?:paper|more|full text)|full text|(?:view|read) on arxiv|arxiv (?:link|page|paper)|paper (?:link|page|pdf)|pdf link)\W*$",
    )
});
/// Numbering in front of a title: `1.`, `12)`, `[3]`, `#4`, `Paper 5:`, `No. 6`.
static NUMBERING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:(?:paper|no\.?|#)\s*\d+\s*[:.)\-–—]?|\[\d+\]|\d+\s*[.)、:]|\d+\s+[-–—])\s*"));

/// A paragraph of at least this many words is prose: the ids it names are named in passing.
const PROSE_WORDS: usize = 30;

/// An arXiv id anchoring a paper in a block.
#[derive(Debug, Clone)]
struct Anchor {
    block: usize,
    id: ArxivRef,
}

/// The ids a block names, in its text and its links.
fn block_ids(b: &Block) -> Vec<ArxivRef> {
    let mut out: Vec<ArxivRef> = Vec::new();
    let mut add = |r: ArxivRef| match out.iter_mut().find(|o| o.id == r.id) {
        Some(o) => o.version = o.version.max(r.version),
        None => out.push(r),
    };
    for link in &b.links {
        for id in fields::arxiv_refs(&link.href) {
            add(id);
        }
    }
    for id in fields::arxiv_refs(&b.text) {
        add(id);
    }
    out
}

/// Sections: for each heading, the blocks up to the next heading of its level or higher.
fn section_ranges(blocks: &[Block]) -> Vec<Option<Range<usize>>> {
    let mut out = vec![None; blocks.len()];
    let mut open: Vec<(usize, u8)> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if let Some(level) = b.heading() {
            while let Some(&(h, l)) = open.last() {
                if l < level {
                    break;
                }
                out[h] = Some(h..i);
                open.pop();
            }
            open.push((i, level));
        }
    }
    for (h, _) in open {
        out[h] = Some(h..blocks.len());
    }
    out
}

/// What the reader knows about a document's structure, computed once in linear time so that
/// finding each paper's container costs no more than a few lookups.
struct Structure<'a> {
    blocks: &'a [Block],
    sections: Vec<Option<Range<usize>>>,
    /// Per block, the headings whose sections hold it, outermost first.
    enclosing: Vec<Vec<usize>>,
    /// Per block, the stretch between thematic breaks it is in.
    stretch: Vec<Range<usize>>,
    /// Per block, the outermost list item it is in.
    item: Vec<Option<Range<usize>>>,
    /// The ids each block names as an anchor: not those named in passing in prose.
    ids: Vec<Vec<ArxivRef>>,
    /// The ids long paragraphs name in passing (an abstract citing other work, a TL;DR).
    mentions: Vec<Vec<ArxivRef>>,
    /// Ids named in the blocks before each block (a prefix sum).
    named_before: Vec<usize>,
    /// The blocks that name each id.
    named_in: HashMap<String, Vec<usize>>,
    /// Per anchored paragraph, where its run of paragraphs starts (see `run`).
    run_start: Vec<usize>,
}

fn ranges_of<K: PartialEq + Copy>(keys: &[K]) -> Vec<Range<usize>> {
    let mut out = vec![0..0; keys.len()];
    let mut start = 0;
    for i in 1..=keys.len() {
        if i == keys.len() || keys[i] != keys[start] {
            out[start..i].fill(start..i);
            start = i;
        }
    }
    out
}

impl<'a> Structure<'a> {
    fn new(blocks: &'a [Block], labels: &Labels) -> Self {
        let n = blocks.len();
        let sections = section_ranges(blocks);
        let mut enclosing = Vec::with_capacity(n);
        let mut open: Vec<usize> = Vec::new();
        let mut stretch_no = Vec::with_capacity(n);
        let mut rules = 0u32;
        for (i, b) in blocks.iter().enumerate() {
            open.retain(|&h| sections[h].as_ref().is_some_and(|r| r.contains(&i)));
            if b.heading().is_some() {
                open.push(i);
            }
            if b.kind == Kind::Rule {
                rules += 1;
            }
            enclosing.push(open.clone());
            stretch_no.push(rules);
        }
        let stretch = ranges_of(&stretch_no);
        let items: Vec<Option<u32>> = blocks.iter().map(|b| b.item).collect();
        let item = ranges_of(&items).into_iter().zip(&items).map(|(r, it)| it.map(|_| r)).collect();
        let (mut ids, mut mentions) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for b in blocks {
            let named = block_ids(b);
            // Field lines (`**Authors:** … **arXiv:** …`) are not prose, however long.
            let prose = matches!(b.kind, Kind::Para | Kind::Item(_))
                && b.text.split_whitespace().count() >= PROSE_WORDS
                && !b.text.lines().any(|l| labels.split(l).is_some());
            let (anchors, passing) = if prose { (Vec::new(), named) } else { (named, Vec::new()) };
            ids.push(anchors);
            mentions.push(passing);
        }
        let mut named_before = Vec::with_capacity(n + 1);
        named_before.push(0);
        let mut named_in: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, list) in ids.iter().enumerate() {
            named_before.push(named_before[i] + list.len());
            for r in list {
                named_in.entry(r.id.clone()).or_default().push(i);
            }
        }
        let mut s = Structure {
            blocks,
            sections,
            enclosing,
            stretch,
            item,
            ids,
            mentions,
            named_before,
            named_in,
            run_start: Vec::new(),
        };
        s.run_start = s.run_starts(labels);
        s
    }

    /// Whether a range names this id and no other.
    fn names_only(&self, range: &Range<usize>, id: &str) -> bool {
        let all = self.named_before[range.end] - self.named_before[range.start];
        let this = self
            .named_in
            .get(id)
            .map_or(0, |at| at.partition_point(|&i| i < range.end) - at.partition_point(|&i| i < range.start));
        all == this
    }

    /// The section (or document) and stretch between thematic breaks that hold a block.
    fn bounds(&self, i: usize) -> Range<usize> {
        let inner = self.enclosing[i].last().and_then(|&h| self.sections[h].clone()).unwrap_or(0..self.blocks.len());
        inner.start.max(self.stretch[i].start)..inner.end.min(self.stretch[i].end)
    }

    fn is_run_anchor(&self, i: usize) -> bool {
        !self.ids[i].is_empty() && self.blocks[i].kind == Kind::Para
    }

    /// Where the run of an anchored paragraph starts. A document either writes a paper's id
    /// before its other lines (an arXiv listing: the id, then title, authors, abstract) or after
    /// its opening lines (bold title or `Title:`, then authors, then the id); which one is told by
    /// the lines before the first id of each section. In the second kind, the short paragraphs
    /// just before an id, from the earliest one that opens a paper, belong to it.
    fn run_starts(&self, labels: &Labels) -> Vec<usize> {
        let opens = |b: &Block| {
            let bold = b.starts_bold && b.strong.first().is_some_and(|s| labels.field(s).is_none());
            let titled = b.text.lines().next().and_then(|l| labels.split(l)).is_some_and(|(f, _)| f == Field::Title);
            bold || titled
        };
        // The earliest opener among the short paragraphs right before block q.
        let opener_before = |q: usize| {
            let floor = self.bounds(q).start;
            let (mut j, mut found) = (q, None);
            while j > floor {
                let b = &self.blocks[j - 1];
                let short = b.text.split_whitespace().count() < 20;
                if !self.ids[j - 1].is_empty() || b.heading().is_some() || b.kind != Kind::Para || !short {
                    break;
                }
                j -= 1;
                if opens(b) {
                    found = Some(j);
                }
            }
            found
        };
        let mut title_first: HashMap<usize, bool> = HashMap::new();
        let mut out: Vec<usize> = (0..self.blocks.len()).collect();
        for (q, slot) in out.iter_mut().enumerate() {
            if !self.is_run_anchor(q) {
                continue;
            }
            let opener = opener_before(q);
            if *title_first.entry(self.bounds(q).start).or_insert(opener.is_some()) {
                *slot = opener.unwrap_or(q);
            }
        }
        out
    }

    /// An anchored paragraph's run: from its start to the start of the next anchored
    /// paragraph's run, within its section and stretch.
    fn run(&self, i: usize) -> Option<Range<usize>> {
        if !self.is_run_anchor(i) {
            return None;
        }
        let bounds = self.bounds(i);
        let next = (i + 1..bounds.end).find(|&q| !self.ids[q].is_empty() || self.blocks[q].heading().is_some());
        let end = next.map_or(bounds.end, |q| if self.is_run_anchor(q) { self.run_start[q] } else { q });
        Some(self.run_start[i]..end.max(i + 1))
    }

    /// The containers of a block, smallest first.
    fn containers(&self, i: usize) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::with_capacity(8);
        out.push(i..i + 1);
        out.extend(self.item[i].clone());
        out.extend(self.run(i));
        out.push(self.bounds(i));
        for &h in self.enclosing[i].iter().rev() {
            out.extend(self.sections[h].clone());
        }
        out.push(0..self.blocks.len());
        // Keep a chain of growing ranges.
        let mut chain: Vec<Range<usize>> = Vec::new();
        for r in out {
            if chain.last().is_none_or(|last| r.start <= last.start && r.end >= last.end && r != *last) {
                chain.push(r);
            }
        }
        chain
    }

    /// The paper container of an anchor: the largest container naming no other paper.
    fn container(&self, a: &Anchor) -> Option<Range<usize>> {
        self.containers(a.block).into_iter().take_while(|r| self.names_only(r, &a.id.id)).last()
    }
}

/// Whether a heading titles the digest rather than a paper.
pub fn is_digest_heading(text: &str) -> bool {
    dates::date_in(text).is_some() || DIGEST_HEADING.is_match(text)
}

/// A title as written, without numbering, ids or the brackets around them.
fn clean_title(text: &str) -> String {
    let text = text.lines().next().unwrap_or("");
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric() && !"([\"'$“‘«".contains(c));
    let text = NUMBERING.replace(text, "");
    let mut t = fields::strip_arxiv_ids(&text);
    for (open, close) in [("[", "]"), ("(", ")")] {
        t = t.replace(&format!("{open}{close}"), "");
    }
    t.trim().trim_matches(['-', '–', '—', ':', '|', '·', ' ']).trim().to_owned()
}

fn useful_title(text: &str) -> Option<String> {
    let t = clean_title(text);
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    (letters >= 3 && !GENERIC_LINK.is_match(&t)).then_some(t)
}

/// Reads one paper from its container.
struct EntryReader<'a, 'b> {
    s: &'b Structure<'a>,
    labels: &'b Labels,
    range: Range<usize>,
    anchor: &'b Anchor,
}

impl EntryReader<'_, '_> {
    fn read(&self, diags: &mut Diagnostics) -> Entry {
        let blocks = &self.s.blocks[self.range.clone()];
        let mut entry = Entry {
            line: blocks.first().map_or(0, |b| b.line),
            arxiv_id: Some(self.anchor.id.id.clone()),
            arxiv_version: self.anchor.id.version,
            ..Entry::default()
        };
        entry.url =
            blocks.iter().flat_map(|b| &b.links).find(|l| l.href.contains(&self.anchor.id.id)).map(|l| l.href.clone());
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
        let headings = self.s.enclosing[self.anchor.block].iter().copied().filter(|&h| Some(h) != own);
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
        let nearest = own.into_iter().chain(self.s.enclosing[a].iter().rev().copied());
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
        let link = blocks.iter().flat_map(|b| &b.links).find(|l| l.href.contains(id))?;
        useful_title(&link.text).filter(|t| t.split_whitespace().count() >= 3)
    }

    fn title_from_links_or_bold(&self, entry: &mut Entry) {
        let id = &self.anchor.id.id;
        let blocks = &self.s.blocks[self.range.clone()];
        let link = blocks
            .iter()
            .flat_map(|b| &b.links)
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
            let normalised = value.replace(['，', '、', '；'], ",").replace(" et al.", "").replace(" et.al.", "");
            let (mut authors, truncated) = fields::authors(&normalised);
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
            if entry.arxiv_id.is_none() {
                if let Some(r) = fields::arxiv_id(value) {
                    entry.arxiv_id = Some(r.id);
                    entry.arxiv_version = r.version;
                }
            }
        }
        _ => {}
    }
}

/// Reads the tables of a document whose header row names paper columns.
fn table_entries(s: &Structure<'_>, labels: &Labels, diags: &mut Diagnostics) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut columns: Vec<Option<Field>> = Vec::new();
    for (i, b) in s.blocks.iter().enumerate() {
        let Kind::Row { header, .. } = b.kind else { continue };
        if header {
            columns = b.cells.iter().map(|c| labels.field(&c.text)).collect();
            continue;
        }
        let paper_table = columns.iter().any(|c| matches!(c, Some(Field::Title | Field::Link)));
        if !paper_table && s.ids[i].is_empty() {
            continue;
        }
        if let Some(entry) = row_entry(s, labels, i, &columns, diags) {
            out.push(entry);
        }
    }
    out
}

fn row_entry(
    s: &Structure<'_>,
    labels: &Labels,
    i: usize,
    columns: &[Option<Field>],
    diags: &mut Diagnostics,
) -> Option<Entry> {
    let b = &s.blocks[i];
    let mut entry = Entry { line: b.line, ..Entry::default() };
    for (cell, field) in b.cells.iter().zip(columns.iter().copied()) {
        match field {
            Some(Field::Title) => {
                entry.title = useful_title(&cell.text);
                entry.title_source = entry.title.as_ref().map(|_| TitleSource::Label);
                if let Some(d) = &cell.details {
                    entry.abstract_text = Some(d.clone());
                }
                if entry.url.is_none() {
                    entry.url = cell.links.first().map(|l| l.href.clone());
                }
            }
            Some(Field::Link) => {
                let link = cell.links.iter().find(|l| !fields::arxiv_refs(&l.href).is_empty()).or(cell.links.first());
                if let Some(l) = link {
                    entry.url = Some(l.href.clone());
                }
            }
            Some(Field::Code | Field::Ignore) | None => {}
            Some(f) => apply(&mut entry, f, b.line, &cell.details.clone().unwrap_or_else(|| cell.text.clone()), diags),
        }
    }
    // The id: from the link columns first, then any cell but code links.
    let from_columns = b.cells.iter().zip(columns).filter(|(_, f)| matches!(f, Some(Field::Link | Field::Title)));
    let id = from_columns
        .flat_map(|(c, _)| c.links.iter().flat_map(|l| fields::arxiv_refs(&l.href)).chain(fields::arxiv_refs(&c.text)))
        .next()
        .or_else(|| s.ids[i].first().cloned());
    if let Some(r) = id {
        entry.arxiv_id = Some(r.id);
        entry.arxiv_version = r.version;
    }
    if entry.title.is_none() {
        entry.title = b.links.iter().find_map(|l| useful_title(&l.text).filter(|t| t.split_whitespace().count() >= 2));
        entry.title_source = entry.title.as_ref().map(|_| TitleSource::LinkText);
    }
    entry.listed_under = listed_under(s, labels, s.enclosing[i].iter().copied());
    (entry.arxiv_id.is_some() || entry.title.is_some()).then_some(entry)
}

/// The digest's own title, date and overview, from the front matter and the blocks before the
/// first paper.
fn digest_fields(doc: &Document, first_paper: usize, digest: &mut Digest) {
    let first_heading = doc.blocks.iter().find(|b| b.heading().is_some()).map(|b| b.text.clone());
    digest.title = doc.front("title").or_else(|| first_heading.filter(|h| is_digest_heading(h)));
    let front_date = doc.front("date").and_then(|d| dates::date_in(d.as_str()));
    let title_date = digest.title.as_deref().and_then(dates::date_in);
    let preamble = &doc.blocks[..first_paper.min(doc.blocks.len())];
    let preamble_date = preamble.iter().find_map(|b| match b.heading() {
        Some(_) => dates::date_in(&b.text).map(|d| (d, DateSource::TitleLine)),
        None => b.text.lines().find_map(dates::labelled_date).map(|d| (d, DateSource::DateLabel)),
    });
    digest.date = front_date
        .map(|d| dated(d, DateSource::FrontMatter))
        .or_else(|| title_date.map(|d| dated(d, DateSource::TitleLine)))
        .or_else(|| preamble_date.map(|(d, s)| dated(d, s)));
    let overview: Vec<&str> =
        preamble.iter().filter(|b| b.kind == Kind::Para && !b.quoted).map(|b| b.text.as_str()).collect();
    digest.overview = (!overview.is_empty()).then(|| overview.join("\n\n"));
}

/// Reads a document with the generic reader.
pub fn read(doc: &Document, labels: &Labels, diags: &mut Diagnostics) -> Digest {
    let s = Structure::new(&doc.blocks, labels);
    let mut listings: Vec<(usize, Entry)> = Vec::new();
    let mut seen: HashMap<(usize, usize, String), ()> = HashMap::new();
    let mut placed: HashSet<String> = HashSet::new();
    for (i, ids) in s.ids.iter().enumerate() {
        if matches!(doc.blocks[i].kind, Kind::Row { .. } | Kind::Code) {
            continue;
        }
        for id in ids {
            let anchor = Anchor { block: i, id: id.clone() };
            let Some(range) = s.container(&anchor) else { continue };
            placed.insert(id.id.clone());
            if seen.insert((range.start, range.end, id.id.clone()), ()).is_some() {
                continue;
            }
            let reader = EntryReader { s: &s, labels, range: range.clone(), anchor: &anchor };
            listings.push((range.start, reader.read(diags)));
        }
    }
    let table_rows = table_entries(&s, labels, diags);
    placed.extend(table_rows.iter().filter_map(|e| e.arxiv_id.clone()));
    let first_row = doc.blocks.iter().position(|b| matches!(b.kind, Kind::Row { header: false, .. }));
    let first_paper = listings.iter().map(|(start, _)| *start).chain(first_row).min().unwrap_or(doc.blocks.len());
    let mut digest = Digest::default();
    digest_fields(doc, first_paper, &mut digest);
    let mut entries: Vec<Entry> = listings.into_iter().map(|(_, e)| e).collect();
    entries.extend(table_rows);
    entries.extend(named_only(&s, &placed));
    entries.sort_by_key(|e| e.line);
    digest.entries = merge_listings(entries);
    digest
}

/// Papers the document names but gives no block of their own (ids in prose, several ids in one
/// paragraph): each an entry with its id, its link and the link's text as its title.
fn named_only(s: &Structure<'_>, placed: &HashSet<String>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut done: HashSet<&str> = HashSet::new();
    for (i, b) in s.blocks.iter().enumerate() {
        if matches!(b.kind, Kind::Row { .. } | Kind::Code) {
            continue;
        }
        for r in s.ids[i].iter().chain(&s.mentions[i]) {
            if placed.contains(&r.id) || !done.insert(r.id.as_str()) {
                continue;
            }
            let link = b.links.iter().find(|l| l.href.contains(r.id.as_str()));
            let title = link.and_then(|l| useful_title(&l.text)).filter(|t| t.split_whitespace().count() >= 2);
            out.push(Entry {
                line: b.line,
                arxiv_id: Some(r.id.clone()),
                arxiv_version: r.version,
                url: link.map(|l| l.href.clone()),
                title_source: title.as_ref().map(|_| TitleSource::LinkText),
                title,
                ..Entry::default()
            });
        }
    }
    out
}

/// The topic a paper is listed under: the nearest heading above it, when that heading names a
/// topic (a keyword table's `## SLAM`, a feed's `## cs.CL`), not the digest, a field, a numbered
/// item or a sentence.
fn listed_under(s: &Structure<'_>, labels: &Labels, enclosing: impl DoubleEndedIterator<Item = usize>) -> Vec<String> {
    let nearest = enclosing.last().map(|h| s.blocks[h].text.as_str()).unwrap_or_default();
    let t = topic(nearest);
    (is_topic_heading(labels, &t) && !NUMBERING.is_match(nearest.trim_start_matches(|c: char| !c.is_alphanumeric())))
        .then_some(t)
        .into_iter()
        .collect()
}

/// A heading as a topic: without the symbols in front of it (`📦 3D/Scene` is `3D/Scene`).
fn topic(text: &str) -> String {
    text.trim().trim_start_matches(|c: char| !c.is_alphanumeric()).trim().to_owned()
}

/// A heading that names a topic a paper is listed under (`## SLAM`, `## cs.CL`).
fn is_topic_heading(labels: &Labels, text: &str) -> bool {
    !text.is_empty()
        && !is_digest_heading(text)
        && labels.field(text).is_none()
        && text.split_whitespace().count() <= 8
        && fields::arxiv_refs(text).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::markdown::document;

    fn read_text(text: &str) -> Digest {
        let (doc, _) = document(text);
        read(&doc, Labels::built_in(), &mut Diagnostics::new("t"))
    }

    #[test]
    fn numbered_sections_with_bold_labels() {
        let d = read_text(
            "# arXiv Daily Digest — 2026-04-01\n\n**Papers found:** 2\n\n---\n\n## 1. First Paper: A Study\n\n**Authors:** A B, C D\n**arXiv:** [2603.28955](https://arxiv.org/abs/2603.28955)\n\nThis paper presents a long abstract with many words so that it counts as the abstract of the paper and nothing else at all here.\n\n---\n\n## 2. Second Paper\n\n**Authors:** E F\n**arXiv:** [2603.29844v2](https://arxiv.org/abs/2603.29844v2)\n",
        );
        assert_eq!(d.date.map(|x| x.date.to_string()).as_deref(), Some("2026-04-01"));
        assert_eq!(d.entries.len(), 2);
        let e = &d.entries[0];
        assert_eq!(e.title.as_deref(), Some("First Paper: A Study"));
        assert_eq!(e.authors, ["A B", "C D"]);
        assert_eq!(e.arxiv_id.as_deref(), Some("2603.28955"));
        assert!(e.abstract_text.as_deref().is_some_and(|a| a.starts_with("This paper presents")));
        assert_eq!(d.entries[1].arxiv_version, Some(2));
        assert!(e.listed_under.is_empty(), "{:?}", e.listed_under);
    }

    #[test]
    fn tables_per_keyword_merge_into_one_entry() {
        let d = read_text(
            "## Updated on 2026.06.29\n\n## SLAM\n\n|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n|**2026-05-13**|**LEXI-SG: Mapping**|C K et.al.|[2605.13741](http://arxiv.org/abs/2605.13741)|null|\n\n## NeRF\n\n|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n|**2026-05-13**|**LEXI-SG: Mapping**|C K et.al.|[2605.13741](http://arxiv.org/abs/2605.13741)|null|\n",
        );
        assert_eq!(d.date.map(|x| x.date.to_string()).as_deref(), Some("2026-06-29"));
        assert_eq!(d.entries.len(), 1);
        let e = &d.entries[0];
        assert_eq!(e.title.as_deref(), Some("LEXI-SG: Mapping"));
        assert_eq!(e.listed_under, ["SLAM", "NeRF"]);
        assert_eq!(e.listed_date.map(|x| x.to_string()).as_deref(), Some("2026-05-13"));
        assert_eq!(e.authors, ["C K"]);
    }

    #[test]
    fn one_paper_page_with_chinese_labels() {
        let d = read_text(
            "---\nlayout: default\ntitle: Online Calibration\n---\n\n# Online Calibration\n**arXiv**：[2510.08880v1](https://arxiv.org/abs/2510.08880) · [PDF](https://arxiv.org/pdf/2510.08880.pdf)  \n**作者**：Baoshan Song, Xiao Xia  \n\n**关键词**：自主车辆定位, 传感器标定\n\n## 摘要（原文）\n\n> Accurate calibration of intrinsic parameters.\n",
        );
        assert_eq!(d.entries.len(), 1);
        let e = &d.entries[0];
        assert_eq!(e.title.as_deref(), Some("Online Calibration"));
        assert_eq!(e.authors, ["Baoshan Song", "Xiao Xia"]);
        assert_eq!(e.keywords, ["自主车辆定位", "传感器标定"]);
        assert_eq!(e.abstract_text.as_deref(), Some("Accurate calibration of intrinsic parameters."));
        assert_eq!(e.arxiv_version, Some(1));
    }

    #[test]
    fn digest_title_and_table_of_contents_are_not_papers() {
        let d = read_text(
            "# arXiv Daily Digest — 2026-04-01\n\n## Table of contents\n\n- [Back to top](#top)\n\nNothing today.\n",
        );
        assert!(d.entries.is_empty());
    }

    #[test]
    fn an_id_cited_in_an_abstract_does_not_take_the_section() {
        let d = read_text(
            "# Digest 2026-04-01\n\n## 1. The Real Paper\n\n**arXiv:** [2603.00001](https://arxiv.org/abs/2603.00001)\n\nWe extend the method of arXiv:2301.00009 to many more settings, and we show in a long abstract of more than thirty words that it works well across tasks and scales.\n\n## 2. Another Paper\n\n**arXiv:** [2603.00002](https://arxiv.org/abs/2603.00002)\n",
        );
        let got: Vec<(Option<&str>, Option<&str>)> =
            d.entries.iter().map(|e| (e.arxiv_id.as_deref(), e.title.as_deref())).collect();
        assert_eq!(
            got,
            [
                (Some("2603.00001"), Some("The Real Paper")),
                (Some("2301.00009"), None),
                (Some("2603.00002"), Some("Another Paper"))
            ]
        );
        assert!(d.entries[0].abstract_text.as_deref().is_some_and(|a| a.starts_with("We extend")));
    }

    #[test]
    fn one_paragraph_naming_several_papers() {
        let d = read_text(
            "Today: [Sparse Things](https://arxiv.org/abs/2401.00001), [Dense Things](https://arxiv.org/abs/2401.00002v2) and [pdf](https://arxiv.org/pdf/2401.00003).\n",
        );
        let got: Vec<(Option<&str>, Option<&str>)> =
            d.entries.iter().map(|e| (e.arxiv_id.as_deref(), e.title.as_deref())).collect();
        assert_eq!(
            got,
            [
                (Some("2401.00001"), Some("Sparse Things")),
                (Some("2401.00002"), Some("Dense Things")),
                (Some("2401.00003"), None)
            ]
        );
    }

    #[test]
    fn lists_of_linked_papers() {
        let d = read_text(
            "## cs.CL\n\n- [Deep Things in Language](https://arxiv.org/abs/2401.00001) by A\n- **Other Work Here** [pdf](https://arxiv.org/pdf/2401.00002v3)\n",
        );
        let titles: Vec<_> = d.entries.iter().map(|e| e.title.as_deref()).collect();
        assert_eq!(titles, [Some("Deep Things in Language"), Some("Other Work Here")]);
        assert_eq!(d.entries[0].listed_under, ["cs.CL"]);
    }
}
