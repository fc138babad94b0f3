//! The structure of a document as the generic reader sees it, computed once in linear time: its
//! sections, stretches between thematic breaks, list items and runs of paragraphs, the ids each
//! block names (as anchors, or in passing in prose), and each anchor's container: the largest of
//! its nested containers that names no other paper.

use std::collections::HashMap;
use std::ops::Range;

use super::PROSE_WORDS;
use crate::formats::fields::{self, ArxivRef};
use crate::formats::labels::{Field, Labels};
use crate::read::{Block, Kind};

/// An arXiv id anchoring a paper in a block.
#[derive(Debug, Clone)]
pub(super) struct Anchor {
    pub(super) block: usize,
    pub(super) id: ArxivRef,
}

/// Ids of a block compared one by one before they are looked up by id (`block_ids`).
const FEW_IDS: usize = 16;

/// The ids a block names, in its text and its links.
fn block_ids(b: &Block) -> Vec<ArxivRef> {
    let mut out: Vec<ArxivRef> = Vec::new();
    // A few ids are compared; once a block names many, they are found by id, so that a block
    // naming k ids costs k lookups, not k² (a table row names one or two: no map for each).
    let mut at: Option<HashMap<String, usize>> = None;
    let mut add = |r: ArxivRef| {
        if at.is_none() && out.len() >= FEW_IDS {
            at = Some(out.iter().enumerate().map(|(i, o)| (o.id.clone(), i)).collect());
        }
        let found = match &at {
            Some(map) => map.get(&r.id).copied(),
            None => out.iter().position(|o| o.id == r.id),
        };
        match found {
            Some(i) => out[i].version = out[i].version.max(r.version),
            None => {
                if let Some(map) = at.as_mut() {
                    map.insert(r.id.clone(), out.len());
                }
                out.push(r);
            }
        }
    };
    for link in b.all_links() {
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
pub(super) struct Structure<'a> {
    pub(super) blocks: &'a [Block],
    pub(super) sections: Vec<Option<Range<usize>>>,
    /// The lists of headings whose sections hold a block, outermost first (`enclosing`), each
    /// once for the blocks in a row that have it, and the list of each block.
    enclosing_lists: Vec<Vec<usize>>,
    enclosing_of: Vec<u32>,
    /// Per block, the stretch between thematic breaks it is in.
    pub(super) stretch: Vec<Range<usize>>,
    /// Per block, the outermost list item it is in.
    pub(super) item: Vec<Option<Range<usize>>>,
    /// The ids each block names as an anchor: not those named in passing in prose.
    pub(super) ids: Vec<Vec<ArxivRef>>,
    /// The ids long paragraphs name in passing (an abstract citing other work, a TL;DR).
    pub(super) mentions: Vec<Vec<ArxivRef>>,
    /// Ids named in the blocks before each block (a prefix sum).
    pub(super) named_before: Vec<usize>,
    /// The blocks that name each id.
    pub(super) named_in: HashMap<String, Vec<usize>>,
    /// Per anchored paragraph, where its run of paragraphs starts (see `run`).
    pub(super) run_start: Vec<usize>,
    /// Per heading block, the topic its papers are listed under, once it was asked for.
    pub(super) topics: Vec<std::cell::OnceCell<Option<String>>>,
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
    pub(super) fn new(blocks: &'a [Block], labels: &Labels) -> Self {
        let n = blocks.len();
        let sections = section_ranges(blocks);
        let (mut enclosing_lists, mut enclosing_of): (Vec<Vec<usize>>, Vec<u32>) = (Vec::new(), Vec::with_capacity(n));
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
            if enclosing_lists.last() != Some(&open) {
                enclosing_lists.push(open.clone());
            }
            enclosing_of.push(u32::try_from(enclosing_lists.len() - 1).unwrap_or(u32::MAX));
            stretch_no.push(rules);
        }
        let stretch = ranges_of(&stretch_no);
        let items: Vec<Option<u32>> = blocks.iter().map(|b| b.item).collect();
        let item = ranges_of(&items).into_iter().zip(&items).map(|(r, it)| it.map(|_| r)).collect();
        let (mut ids, mut mentions) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for b in blocks {
            let named = block_ids(b);
            // Field lines (`**Authors:** … **arXiv:** …`) are not prose, however long; a code block
            // (a BibTeX entry, a script) only names ids in passing.
            let prose = b.kind == Kind::Code
                || (matches!(b.kind, Kind::Para | Kind::Item(_))
                    && b.text.split_whitespace().count() >= PROSE_WORDS
                    && !b.text.lines().any(|l| labels.split(l).is_some()));
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
            enclosing_lists,
            enclosing_of,
            stretch,
            item,
            ids,
            mentions,
            named_before,
            named_in,
            run_start: Vec::new(),
            topics: vec![std::cell::OnceCell::new(); n],
        };
        s.run_start = s.run_starts(labels);
        s
    }

    /// The headings whose sections hold block `i`, outermost first.
    pub(super) fn enclosing(&self, i: usize) -> &[usize] {
        self.enclosing_of.get(i).and_then(|&l| self.enclosing_lists.get(l as usize)).map_or(&[], Vec::as_slice)
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
    pub(super) fn bounds(&self, i: usize) -> Range<usize> {
        let inner = self.enclosing(i).last().and_then(|&h| self.sections[h].clone()).unwrap_or(0..self.blocks.len());
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
        for &h in self.enclosing(i).iter().rev() {
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
    pub(super) fn container(&self, a: &Anchor) -> Option<Range<usize>> {
        self.containers(a.block).into_iter().take_while(|r| self.names_only(r, &a.id.id)).last()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Link;

    #[test]
    fn a_block_names_each_id_once_with_its_highest_version_in_order_of_first_mention() {
        // Few ids (compared one by one) and many (found by id): the same answer.
        for n in [1, 3, FEW_IDS - 1, FEW_IDS, FEW_IDS + 1, 60] {
            let id = |k: usize| format!("2501.{:05}", 10 + (k * 7) % n);
            let mut block = Block::new(Kind::Para, 1);
            block.links = (0..n)
                .map(|k| Link { text: String::new(), href: format!("https://arxiv.org/abs/{}v{}", id(k), 1 + k % 3) })
                .collect();
            block.text = (0..2 * n).rev().map(|k| format!("{}v{}", id(k), k % 5)).collect::<Vec<_>>().join(" and ");
            let mut want: Vec<ArxivRef> = Vec::new();
            let mentions = (0..n).map(|k| (id(k), 1 + k % 3)).chain((0..2 * n).rev().map(|k| (id(k), k % 5)));
            for (i, v) in mentions {
                match want.iter_mut().find(|r| r.id == i) {
                    Some(r) => r.version = r.version.max(Some(v as u32)),
                    None => want.push(ArxivRef { id: i, version: Some(v as u32) }),
                }
            }
            assert_eq!(block_ids(&block), want, "{n} ids");
        }
    }
}
