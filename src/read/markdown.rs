//! Markdown (and plain text) to blocks with pulldown-cmark, tables on. Inline HTML in table
//! cells is unwrapped: `<details><summary>Title</summary>Abstract</details>` gives the summary as
//! the cell's text and the rest as its details; `<br>` is a line break. HTML blocks (a table of
//! contents in `<details>`) are not content.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Block, Cell, Document, Kind, LineIndex, Link, split_front_matter};

/// Removes the white space at both ends of a text where it lies (most texts have none to remove).
fn trim_in_place(text: &mut String) {
    text.truncate(text.trim_end().len());
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
}

/// Parses a Markdown text into a document. Front matter that is not YAML is left out of the
/// blocks and reported through `Err` with its line and message.
pub fn document(text: &str) -> (Document, Option<(u32, String)>) {
    let mut doc = Document::default();
    let mut problem = None;
    let mut body_start = 0;
    if let Some((yaml, start)) = split_front_matter(text) {
        body_start = start;
        doc.front_matter_line = 2;
        match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
            Ok(serde_yaml::Value::Mapping(m)) => doc.front_matter = Some(m),
            Ok(_) => {}
            Err(err) => {
                let line = err.location().map_or(1, |l| u32::try_from(l.line() + 1).unwrap_or(1));
                problem = Some((line, format!("front matter is not valid YAML: {err}")));
                doc.front_matter = lenient_front_matter(yaml);
            }
        }
    }
    let lines = LineIndex::new(text);
    doc.blocks = blocks(&text[body_start..], body_start, &lines, true);
    (doc, problem)
}

/// `key: value` lines of front matter that YAML rejects (a title with a colon in it).
fn lenient_front_matter(yaml: &str) -> Option<serde_yaml::Mapping> {
    let mut map = serde_yaml::Mapping::new();
    for line in yaml.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        if key.is_empty() || key.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let value = value.trim().trim_matches(['"', '\'']).to_owned();
        map.insert(serde_yaml::Value::String(key.trim().to_owned()), serde_yaml::Value::String(value));
    }
    (!map.is_empty()).then_some(map)
}

/// State while walking the events of one document.
#[derive(Default)]
struct Builder {
    out: Vec<Block>,
    current: Option<Block>,
    list_depth: u8,
    item_counter: u32,
    item: Option<u32>,
    quote_depth: u8,
    table: u32,
    in_header: bool,
    cell: Option<Cell>,
    in_summary: bool,
    in_details: bool,
    link: Option<Link>,
    strong_from: Option<usize>,
    /// The raw HTML of the HTML block being read, and its first line.
    html: Option<(u32, String)>,
}

impl Builder {
    fn open(&mut self, kind: Kind, line: u32) {
        self.close();
        let mut block = Block::new(kind, line);
        block.item = self.item;
        block.quoted = self.quote_depth > 0;
        self.current = Some(block);
    }

    fn close(&mut self) {
        if let Some(mut b) = self.current.take() {
            if matches!(b.kind, Kind::Row { .. }) {
                row_text(&mut b);
            }
            trim_in_place(&mut b.text);
            let keep = !b.text.is_empty() || !b.cells.is_empty() || matches!(b.kind, Kind::Rule);
            if keep {
                self.out.push(b);
            }
        }
    }

    fn push_text(&mut self, t: &str) {
        if let Some(cell) = self.cell.as_mut() {
            if self.in_details && !self.in_summary {
                cell.details.get_or_insert_with(String::new).push_str(t);
            } else {
                cell.text.push_str(t);
            }
        } else if let Some(b) = self.current.as_mut() {
            b.text.push_str(t);
        }
        if let Some(link) = self.link.as_mut() {
            link.text.push_str(t);
        }
    }

    fn text_len(&self) -> usize {
        match (&self.cell, &self.current) {
            (Some(c), _) => c.text.len(),
            (None, Some(b)) => b.text.len(),
            _ => 0,
        }
    }

    fn strong_end(&mut self) {
        let Some(from) = self.strong_from.take() else { return };
        // `from` is an offset into the block's text. A bold span in a table cell (a title, a date)
        // is neither a block's bold opening nor one of its bold texts: nothing is kept of it.
        if self.cell.is_some() {
            return;
        }
        let Some(b) = self.current.as_mut() else { return };
        let leading = from == 0 || b.text.get(..from).is_some_and(|t| t.trim().is_empty());
        let text = b.text.get(from..).unwrap_or_default().trim().to_owned();
        b.starts_bold = b.starts_bold || leading;
        if !text.is_empty() {
            b.strong.push(text);
        }
    }

    fn inline_html(&mut self, html: &str) {
        let tag = html.trim().to_ascii_lowercase();
        if tag.starts_with("<br") {
            self.push_text("\n");
        } else if tag.starts_with("<summary") {
            self.in_summary = true;
        } else if tag.starts_with("</summary") {
            self.in_summary = false;
        } else if tag.starts_with("<details") {
            self.in_details = true;
        } else if tag.starts_with("</details") {
            self.in_details = false;
        }
    }
}

/// Adds the texts of a table row's cells to its text, in order, each after ` | ` unless the text
/// is still empty: joined once the row is whole, in a text of the size they take (added a cell at
/// a time, a row's text grew five or six times).
fn row_text(row: &mut Block) {
    let size = row.text.len() + row.cells.iter().map(|c| c.text.len() + 3).sum::<usize>();
    row.text.reserve_exact(size.saturating_sub(row.text.len()));
    for cell in &row.cells {
        if !row.text.is_empty() {
            row.text.push_str(" | ");
        }
        row.text.push_str(&cell.text);
    }
}

/// The blocks of raw HTML in a Markdown text (a table of papers written as `<table>`), read by
/// the HTML reader; each block starts on the HTML block's line. A block nested deeper than the
/// HTML reader takes is left out.
fn html_blocks(html: &str, line: u32) -> Vec<Block> {
    if super::html::nesting_depth(html) > super::html::MAX_DEPTH {
        return Vec::new();
    }
    let md = super::html::to_markdown(html);
    let mut out = blocks(&md, 0, &LineIndex::new(&md), false);
    for b in &mut out {
        b.line = line;
        b.item = None;
    }
    out
}

fn blocks(body: &str, offset: usize, lines: &LineIndex, read_html: bool) -> Vec<Block> {
    let mut b = Builder::default();
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        // The line is looked up only for the events that open a block (most are text).
        let line = || lines.line(offset + range.start);
        match event {
            Event::Start(Tag::Heading { level, .. }) => b.open(Kind::Heading(level as u8), line()),
            Event::Start(Tag::Paragraph) => {
                let in_item = b.current.as_ref().is_some_and(|c| matches!(c.kind, Kind::Item(_)) && c.text.is_empty());
                if !in_item {
                    let kind = if b.list_depth > 0 { Kind::Item(b.list_depth - 1) } else { Kind::Para };
                    b.open(kind, line());
                }
            }
            Event::Start(Tag::CodeBlock(_)) => b.open(Kind::Code, line()),
            Event::Start(Tag::BlockQuote(_)) => {
                b.close();
                b.quote_depth = b.quote_depth.saturating_add(1);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                b.close();
                b.quote_depth = b.quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::List(_)) => {
                b.close();
                b.list_depth = b.list_depth.saturating_add(1);
            }
            Event::End(TagEnd::List(_)) => {
                b.close();
                b.list_depth = b.list_depth.saturating_sub(1);
                if b.list_depth == 0 {
                    b.item = None;
                }
            }
            Event::Start(Tag::Item) => {
                if b.list_depth <= 1 {
                    b.item_counter += 1;
                    b.item = Some(b.item_counter);
                }
                b.open(Kind::Item(b.list_depth.saturating_sub(1)), line());
            }
            Event::Start(Tag::Table(_)) => {
                b.close();
                b.table += 1;
            }
            Event::Start(Tag::TableHead) => {
                b.in_header = true;
                b.open(Kind::Row { table: b.table, header: true }, line());
            }
            Event::End(TagEnd::TableHead) => {
                b.close();
                b.in_header = false;
            }
            Event::Start(Tag::TableRow) => b.open(Kind::Row { table: b.table, header: b.in_header }, line()),
            Event::Start(Tag::TableCell) => {
                b.cell = Some(Cell::default());
                (b.in_summary, b.in_details) = (false, false);
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(mut cell), Some(row)) = (b.cell.take(), b.current.as_mut()) {
                    trim_in_place(&mut cell.text);
                    cell.details = cell.details.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
                    // The row's text is joined from its cells when the row ends (`row_text`).
                    row.cells.push(cell);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                b.link = Some(Link { text: String::new(), href: dest_url.to_string() });
            }
            Event::End(TagEnd::Link) => {
                if let Some(mut link) = b.link.take() {
                    trim_in_place(&mut link.text);
                    match (b.cell.as_mut(), b.current.as_mut()) {
                        (Some(cell), _) => cell.links.push(link),
                        (None, Some(block)) => block.links.push(link),
                        _ => {}
                    }
                }
            }
            Event::Start(Tag::Strong) => b.strong_from = Some(b.text_len()),
            Event::End(TagEnd::Strong) => b.strong_end(),
            Event::Text(t) | Event::Code(t) => b.push_text(&t),
            Event::InlineMath(t) | Event::DisplayMath(t) => b.push_text(&t),
            Event::SoftBreak | Event::HardBreak => b.push_text("\n"),
            Event::InlineHtml(h) => b.inline_html(&h),
            Event::Start(Tag::HtmlBlock) if read_html => {
                b.close();
                b.html = Some((line(), String::new()));
            }
            Event::Html(h) => {
                if let Some((_, buf)) = b.html.as_mut() {
                    buf.push_str(&h);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((line, html)) = b.html.take() {
                    let nested = html_blocks(&html, line);
                    b.out.extend(nested);
                }
            }
            Event::Rule => {
                b.open(Kind::Rule, line());
                b.close();
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::TableRow)
                if b.cell.is_none() =>
            {
                b.close()
            }
            Event::End(TagEnd::Item) => b.close(),
            _ => {}
        }
    }
    b.close();
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_trimmed_in_place_equal_trimmed_copies() {
        for text in ["", "  ", "a", " a b ", "\n\ttitle  \n", "\u{a0}naïve\u{2003}", "x\u{3000}"] {
            let mut s = text.to_owned();
            trim_in_place(&mut s);
            assert_eq!(s, text.trim(), "{text:?}");
        }
    }

    /// Found by the `front_matter` fuzz target on a mutated Chinese digest table: a bold span in
    /// a cell was measured in the cell's text but cut from the table's, inside a character.
    #[test]
    fn bold_in_a_cell_after_wide_characters_is_read() {
        for k in 0..8 {
            let text = format!(
                "| # | 题目 | 要点 |\n|---|---|---|\n| 3 | {}提出SpaceVista以解决 | 全尺度 **视觉空间推理** 问题 |\n",
                "x".repeat(k)
            );
            let (doc, _) = document(&text);
            let cells: Vec<&str> = doc.blocks.iter().flat_map(|b| b.cells.iter().map(|c| c.text.as_str())).collect();
            assert!(cells.iter().any(|c| c.contains("视觉空间推理")), "{k}: {cells:?}");
        }
    }

    #[test]
    fn headings_labels_links_and_tables() {
        let text = "---\ntitle: T\n---\n# Digest 2026-04-01\n\n## 1. A Paper\n\n**Authors:** A, B\n**arXiv:** [2603.28955](https://arxiv.org/abs/2603.28955)\n\n|Title|PDF|\n|---|---|\n|**X**|[2605.1](http://arxiv.org/abs/2605.13741)|\n";
        let (doc, problem) = document(text);
        assert!(problem.is_none());
        assert_eq!(doc.front("title").as_deref(), Some("T"));
        let kinds: Vec<Kind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Heading(1),
                Kind::Heading(2),
                Kind::Para,
                Kind::Row { table: 1, header: true },
                Kind::Row { table: 1, header: false }
            ]
        );
        let para = &doc.blocks[2];
        assert_eq!(para.text, "Authors: A, B\narXiv: 2603.28955");
        assert_eq!(para.line, 8);
        assert!(para.starts_bold);
        assert_eq!(para.links[0].href, "https://arxiv.org/abs/2603.28955");
        assert_eq!(para.strong, ["Authors:", "arXiv:"]);
        let row = &doc.blocks[4];
        assert_eq!(row.cells[0].text, "X");
        assert_eq!(row.cells[1].links[0].text, "2605.1");
        assert_eq!(row.text, "X | 2605.1");
        // A bold cell is the cell's text, not a bold opening or bold text of the row.
        assert!(!row.starts_bold && row.strong.is_empty(), "{row:?}");
    }

    #[test]
    fn details_cells_and_list_items() {
        let text = "|Title|\n|---|\n|<details><summary>**T**</summary>The abstract</details>|\n\n- one [p](https://arxiv.org/abs/2401.00001)\n  - nested\n- two\n";
        let (doc, _) = document(text);
        assert_eq!(doc.blocks[1].cells[0].text, "T");
        assert_eq!(doc.blocks[1].cells[0].details.as_deref(), Some("The abstract"));
        let items: Vec<(Kind, Option<u32>)> = doc.blocks[2..].iter().map(|b| (b.kind, b.item)).collect();
        assert_eq!(items, [(Kind::Item(0), Some(1)), (Kind::Item(1), Some(1)), (Kind::Item(0), Some(2))]);
    }

    #[test]
    fn html_blocks_are_read_as_html() {
        let text = "# Papers\n\n<table>\n<tr><th>Title</th><th>PDF</th></tr>\n<tr><td>Widgets</td><td><a href=\"https://arxiv.org/abs/2401.00001\">2401.00001</a></td></tr>\n</table>\n\nAfter.\n";
        let (doc, _) = document(text);
        let rows: Vec<(&str, u32)> = doc
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, Kind::Row { .. }))
            .map(|b| (b.text.as_str(), b.line))
            .collect();
        assert_eq!(rows, [("Title | PDF", 3), ("Widgets | 2401.00001", 3)]);
        assert_eq!(doc.blocks.last().map(|b| b.text.as_str()), Some("After."));
    }

    #[test]
    fn bad_front_matter_is_read_leniently() {
        let (doc, problem) = document("---\nlayout: default\ntitle: A: B\n---\n# A: B\n");
        assert!(problem.is_some());
        assert_eq!(doc.front("title").as_deref(), Some("A: B"));
    }
}
