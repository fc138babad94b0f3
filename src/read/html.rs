//! HTML to Markdown text, so that an HTML page is read by the same extractors as the Markdown it
//! was rendered from. Parsing is html5ever's (through `scraper`), as a browser parses: broken
//! markup is repaired, never rejected. The tree is walked without recursion, so deep nesting
//! cannot overflow the stack. `<script>`, `<style>`, `<nav>`, `<header>`, `<footer>`, `<aside>`,
//! forms and embedded media are never content. The page's `<title>` and a date in its `<meta>`
//! or `<time>` tags become front matter.
//!
//! Line numbers of blocks read from HTML are lines of this Markdown rendering.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements whose whole subtree is left out.
const SKIPPED: [&str; 16] = [
    "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "form", "button", "iframe",
    "select", "canvas", "head", "object",
];
/// Elements that start and end a block of text.
const BLOCKS: [&str; 20] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "body",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "blockquote",
    "address",
    "center",
    "fieldset",
    "details",
    "summary",
    "caption",
    "tbody",
    "thead",
];

#[derive(Default)]
struct Writer {
    out: String,
    /// Open lists: the next number of an ordered list, `None` for a bullet list.
    list: Vec<Option<u64>>,
    row: Option<Vec<String>>,
    cell: Option<String>,
    rows_in_table: Vec<usize>,
    pre: u32,
    skip: u32,
}

impl Writer {
    fn target(&mut self) -> &mut String {
        self.cell.as_mut().unwrap_or(&mut self.out)
    }

    fn block_break(&mut self) {
        if self.cell.is_some() {
            self.space();
            return;
        }
        let trimmed = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push_str(if self.out.ends_with('\n') { "\n" } else { "\n\n" });
        }
    }

    fn line_break(&mut self) {
        if self.cell.is_some() {
            self.target().push_str("<br>");
            return;
        }
        let trimmed = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn space(&mut self) {
        let t = self.target();
        if !t.is_empty() && !t.ends_with([' ', '\n']) {
            t.push(' ');
        }
    }

    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            self.out.push_str(text);
            return;
        }
        let in_cell = self.cell.is_some();
        let starts_space = text.starts_with(char::is_whitespace);
        let ends_space = text.ends_with(char::is_whitespace);
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() {
            if starts_space {
                self.space();
            }
            return;
        }
        if starts_space {
            self.space();
        }
        let mut joined = words.join(" ");
        if in_cell {
            joined = joined.replace('|', "\\|");
        }
        self.target().push_str(&joined);
        if ends_space {
            self.space();
        }
    }

    fn open(&mut self, name: &str, el: &scraper::node::Element) {
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.block_break();
                let level = name[1..].parse::<usize>().unwrap_or(1);
                self.out.push_str(&"#".repeat(level));
                self.out.push(' ');
            }
            "br" => self.line_break(),
            "hr" => {
                self.block_break();
                // `***`, not `---`: a `---` line could be taken for front matter.
                self.out.push_str("***\n\n");
            }
            "pre" => {
                self.block_break();
                self.out.push_str("```\n");
                self.pre += 1;
            }
            "ul" | "ol" => {
                if self.list.is_empty() {
                    self.block_break();
                }
                let start = el.attr("start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
                self.list.push((name == "ol").then_some(start));
            }
            "li" => {
                self.line_break();
                let depth = self.list.len().saturating_sub(1);
                let marker = match self.list.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_owned(),
                };
                self.out.push_str(&"  ".repeat(depth));
                self.out.push_str(&marker);
            }
            "table" => {
                self.block_break();
                self.rows_in_table.push(0);
            }
            "tr" => self.row = Some(Vec::new()),
            "td" | "th" => self.cell = Some(String::new()),
            "a" if el.attr("href").is_some() => self.target().push('['),
            "strong" | "b" => self.target().push_str("**"),
            "img" => {
                if let Some(alt) = el.attr("alt").filter(|a| !a.trim().is_empty()) {
                    self.text(alt);
                }
            }
            _ if BLOCKS.contains(&name) => self.block_break(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str, el: &scraper::node::Element) {
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let t = self.out.trim_end().len();
                self.out.truncate(t);
                self.out.push_str("\n\n");
            }
            "pre" => {
                self.pre = self.pre.saturating_sub(1);
                self.line_break();
                self.out.push_str("```\n\n");
            }
            "ul" | "ol" => {
                self.list.pop();
                if self.list.is_empty() {
                    self.block_break();
                }
            }
            "td" | "th" => {
                if let (Some(cell), Some(row)) = (self.cell.take(), self.row.as_mut()) {
                    row.push(cell.trim().to_owned());
                }
            }
            "tr" => self.end_row(),
            "table" => {
                self.rows_in_table.pop();
                self.block_break();
            }
            "a" => {
                if let Some(href) = el.attr("href") {
                    let t = self.target();
                    let trimmed = t.trim_end().len();
                    t.truncate(trimmed);
                    t.push_str("](");
                    t.push_str(&href.replace(' ', "%20").replace(')', "%29"));
                    t.push(')');
                }
            }
            "strong" | "b" => {
                let t = self.target();
                if t.ends_with("**") {
                    let n = t.len() - 2;
                    t.truncate(n);
                } else {
                    let trimmed = t.trim_end().len();
                    t.truncate(trimmed);
                    t.push_str("**");
                }
            }
            _ if BLOCKS.contains(&name) => self.block_break(),
            _ => {}
        }
    }

    fn end_row(&mut self) {
        let Some(cells) = self.row.take().filter(|c| !c.is_empty()) else { return };
        let first = self.rows_in_table.last().is_some_and(|n| *n == 0);
        self.line_break();
        self.out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if first {
            self.out.push_str(&format!("|{}\n", "---|".repeat(cells.len())));
        }
        if let Some(n) = self.rows_in_table.last_mut() {
            *n += 1;
        }
    }
}

/// The front matter of a page: its `<title>` and a date from its metadata.
fn front_matter(doc: &Html) -> String {
    let mut map = serde_yaml::Mapping::new();
    let select = |css: &str| scraper::Selector::parse(css).ok();
    if let Some(title) = select("title").and_then(|s| doc.select(&s).next()) {
        let text: String = title.text().collect::<Vec<_>>().join(" ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            map.insert("title".into(), text.into());
        }
    }
    let date_sel = "meta[name=date], meta[name=citation_date], meta[property='article:published_time'], meta[name=dcterms.date], time[datetime]";
    if let Some(sel) = select(date_sel) {
        let date = doc.select(&sel).find_map(|e| e.value().attr("content").or_else(|| e.value().attr("datetime")));
        if let Some(date) =
            date.and_then(|d| d.get(..10)).filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        {
            map.insert("date".into(), date.into());
        }
    }
    if map.is_empty() {
        return String::new();
    }
    match serde_yaml::to_string(&map) {
        Ok(yaml) => format!("---\n{yaml}---\n\n"),
        Err(_) => String::new(),
    }
}

/// Elements without content or whose end tag may be left out: they do not nest in practice.
const FLAT: [&str; 24] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "!doctype",
];

/// How deep the elements of a page nest, by a scan of its tags (comments skipped). The HTML
/// parser's work grows with the square of the nesting, so a page nested deeper than a reader
/// needs is refused before it is parsed.
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(at) = bytes[i..].iter().position(|&b| b == b'<') {
        i += at + 1;
        if bytes[i..].starts_with(b"!--") {
            i += bytes[i..].windows(3).position(|w| w == b"-->").map_or(bytes.len() - i, |p| p + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let len = bytes[start..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'!').count();
        if len == 0 {
            continue;
        }
        let name = html[start..start + len].to_ascii_lowercase();
        let end = bytes[start..].iter().position(|&b| b == b'>').map_or(bytes.len(), |p| start + p);
        let self_closing = end > 0 && bytes.get(end - 1) == Some(&b'/');
        if FLAT.contains(&name.as_str()) || self_closing {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// The deepest nesting read; browsers' own limits are of this order.
pub const MAX_DEPTH: usize = 512;

/// An HTML page as Markdown text.
pub fn to_markdown(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut w = Writer::default();
    w.out.push_str(&front_matter(&doc));
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if w.skip > 0 || SKIPPED.contains(&name) || el.attr("hidden").is_some() {
                        w.skip += 1;
                    } else {
                        w.open(name, el);
                    }
                }
                Node::Text(t) if w.skip == 0 => w.text(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if w.skip > 0 {
                        w.skip -= 1;
                    } else {
                        w.close(el.name(), el);
                    }
                }
            }
        }
    }
    let mut out = w.out.trim_end().to_owned();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_survives_and_chrome_does_not() {
        let html = r#"<html><head><title>Digest 2025-10-06</title><script>alert(1)</script></head><body>
<nav><a href="/">Home</a></nav><h1>A <b>Paper</b></h1><p>Authors: A, B<br>Paper link: <a href="http://arxiv.org/abs/2510.07147v1">http://arxiv.org/abs/2510.07147v1</a></p>
<ul><li>one</li><li>two<ul><li>deep</li></ul></li></ul>
<table><tr><th>Title</th><th>PDF</th></tr><tr><td><strong>T | U</strong></td><td><a href="http://arxiv.org/abs/2605.13741">2605.13741</a></td></tr></table>
<footer>© me</footer></body></html>"#;
        let md = to_markdown(html);
        assert!(md.starts_with("---\ntitle: Digest 2025-10-06\n---\n"), "{md}");
        assert!(md.contains("# A **Paper**\n"), "{md}");
        assert!(
            md.contains(
                "Authors: A, B\nPaper link: [http://arxiv.org/abs/2510.07147v1](http://arxiv.org/abs/2510.07147v1)"
            ),
            "{md}"
        );
        assert!(md.contains("- one\n- two\n  - deep"), "{md}");
        assert!(
            md.contains("| Title | PDF |\n|---|---|\n| **T \\| U** | [2605.13741](http://arxiv.org/abs/2605.13741) |"),
            "{md}"
        );
        assert!(!md.contains("alert") && !md.contains("Home") && !md.contains("©"), "{md}");
    }

    #[test]
    fn nesting_is_measured_before_parsing() {
        let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        assert_eq!(nesting_depth(&deep), 100_000);
        let page = "<!doctype html><html><body><p>a<p>b<ul><li>x<li>y</ul><br><img src=x><!-- <div> --></body></html>";
        assert_eq!(nesting_depth(page), 3);
        let ok = format!("{}x{}", "<div>".repeat(MAX_DEPTH), "</div>".repeat(MAX_DEPTH));
        assert!(to_markdown(&ok).contains('x'));
    }
}
