//! The generic reader: papers anchored by their arXiv ids, fields from the structure around them.
//!
//! An arXiv id (`2401.01234v2`, `hep-th/9901001`, abs/pdf/html links, `arXiv:…`) anchors a
//! paper. Its block belongs to nested containers: the block, its list item, its run of paragraphs,
//! its stretch between thematic breaks within its section, its sections from the innermost out,
//! the document. The paper's container is the largest of them that names no other paper (ids
//! named in passing in prose do not count). In it, the title is the text of the link that carries
//! the id when it reads as a title, else the nearest heading above the id (numbering removed),
//! else a `Title:` label, else another link's text, else the bold text that opens it; labelled
//! lines (`**Authors:**`, `作者：`), label headings (`## Abstract`, `## 摘要`) and a long
//! unlabelled paragraph (the abstract) give the other fields. Tables are read row by row with
//! columns named by their header row. A heading that is the digest's own title (it carries a date,
//! or says digest, daily, weekly …) is never a paper; the nearest topic heading above a paper (a
//! keyword table's `## SLAM`) becomes its `listed_under`. Papers named without a block of their own
//! become entries with their link's text as title.
//!
//! `structure` finds the containers, `entry` reads a paper from its container, `table` reads
//! table rows.

mod entry;
mod structure;
mod table;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::dates::{self, dated};
use super::fields;
use super::labels::Labels;
use super::merge::merge_listings;
use crate::model::{DateSource, Diagnostics, Digest, Entry, TitleSource};
use crate::read::{Document, Kind};
use entry::EntryReader;
pub(crate) use entry::apply;
use structure::{Anchor, Structure};
use table::table_entries;

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
    for pair in ["[]", "()"] {
        if t.contains(pair) {
            t = t.replace(pair, "");
        }
    }
    let trimmed = t.trim().trim_matches(['-', '–', '—', ':', '|', '·', ' ']).trim();
    if trimmed.len() == t.len() { t } else { trimmed.to_owned() }
}

fn useful_title(text: &str) -> Option<String> {
    let t = clean_title(text);
    // Three letters are enough: the count stops there.
    let letters = t.chars().filter(|c| c.is_alphabetic()).take(3).count();
    (letters >= 3 && !GENERIC_LINK.is_match(&t)).then_some(t)
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
    // A table's rows are most entries of a listing: taken as they are when nothing comes before.
    let mut entries: Vec<Entry> = if listings.is_empty() {
        table_rows
    } else {
        let mut entries = Vec::with_capacity(listings.len() + table_rows.len());
        entries.extend(listings.into_iter().map(|(_, e)| e));
        entries.extend(table_rows);
        entries
    };
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
        if matches!(b.kind, Kind::Row { .. }) {
            continue;
        }
        for r in s.ids[i].iter().chain(&s.mentions[i]) {
            if placed.contains(&r.id) || !done.insert(r.id.as_str()) {
                continue;
            }
            let link = b.all_links().find(|l| l.href.contains(r.id.as_str()));
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
///
/// Each heading is looked at once, however many papers it holds (a table of thousands of rows).
fn listed_under(s: &Structure<'_>, labels: &Labels, enclosing: impl DoubleEndedIterator<Item = usize>) -> Vec<String> {
    let Some(h) = enclosing.last() else { return Vec::new() };
    let of = |nearest: &str| {
        let t = topic(nearest);
        (is_topic_heading(labels, &t)
            && !NUMBERING.is_match(nearest.trim_start_matches(|c: char| !c.is_alphanumeric())))
        .then_some(t)
    };
    match s.topics.get(h) {
        Some(cell) => cell.get_or_init(|| of(&s.blocks[h].text)).clone().into_iter().collect(),
        None => of(&s.blocks[h].text).into_iter().collect(),
    }
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
    fn ids_in_headings_and_labelled_list_items() {
        let d = read_text(
            "# Daily arXiv: 2025-10-12\n\n### [2510.12345] Sparse Mixtures\n- **Authors**: Ann Lee, Bo Chan\n- **Abstract**: We study mixtures.\n- **Link**: https://arxiv.org/abs/2510.12345\n\n### [2510.12346] Dense Retrieval\n- **Link**: https://arxiv.org/abs/2510.12346v2\n",
        );
        let got: Vec<(Option<&str>, Option<u32>, usize)> =
            d.entries.iter().map(|e| (e.title.as_deref(), e.arxiv_version, e.authors.len())).collect();
        assert_eq!(got, [(Some("Sparse Mixtures"), None, 2), (Some("Dense Retrieval"), Some(2), 0)]);
        assert_eq!(d.entries[0].abstract_text.as_deref(), Some("We study mixtures."));
    }

    #[test]
    fn html_tables_inside_markdown_and_bibtex_blocks() {
        let d = read_text(
            "## Robotics\n\n<table><tr><th>Title</th><th>Link</th></tr><tr><td>Robots That Fold Laundry</td><td><a href=\"https://arxiv.org/abs/2401.00011\">arXiv</a></td></tr></table>\n\n```bibtex\n@article{x, journal={arXiv preprint arXiv:2401.00012}}\n```\n",
        );
        let got: Vec<(Option<&str>, Option<&str>)> =
            d.entries.iter().map(|e| (e.arxiv_id.as_deref(), e.title.as_deref())).collect();
        assert_eq!(got, [(Some("2401.00011"), Some("Robots That Fold Laundry")), (Some("2401.00012"), None)]);
        assert_eq!(d.entries[0].listed_under, ["Robotics"]);
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
