//! A weekly report as Markdown. Every piece of digest text goes through [`escape`], so that a
//! title such as `<script>` or `[x](javascript:…)` stays text: no markup, no link.

use std::fmt::Write as _;

use super::week::{PaperRow, TermRow, Week};

/// Backslash-escapes the ASCII punctuation CommonMark gives a meaning to, and folds line breaks,
/// so that the text is read as plain text inside a paragraph, list item or table cell.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '&' | '~' | '(' | ')' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:+.digits$}"))
}

fn term_table(out: &mut String, rows: &[TermRow], what: &str) {
    if rows.is_empty() {
        let _ = writeln!(out, "No {what} this week.\n");
        return;
    }
    let _ = writeln!(out, "| {what} | papers | share | change | z | status |\n|---|---:|---:|---:|---:|---|");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {:.0}% | {} | {} | {} |",
            escape(&r.term),
            r.papers,
            r.share * 100.0,
            num(r.change, 2),
            num(r.z, 2),
            r.status
        );
    }
    out.push('\n');
}

/// The chart files a week's report shows, as (file name, alt text).
pub const CHARTS: [(&str, &str); 3] = [
    ("keyword-trends.svg", "Rising keywords, the twelve weeks up to this one"),
    ("top-keywords.svg", "Top keywords of the week"),
    ("theme-shares.svg", "Theme shares, the twelve weeks up to this one"),
];

/// The report; `charts` is the folder (relative to the report) holding the week's charts.
pub fn render(w: &Week, charts: &str) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let _ = writeln!(out, "# Week {} ({} to {})\n", w.label, w.start, w.end);
    let nav = |l: &Option<String>, arrow: &str| l.as_ref().map(|l| format!("[{arrow} {l}]({l}.md)"));
    let links: Vec<String> = [nav(&w.prev, "←"), Some("[all weeks](index.html)".to_owned()), nav(&w.next, "→")]
        .into_iter()
        .flatten()
        .collect();
    let _ = writeln!(out, "{}\n", links.join(" · "));
    let _ = writeln!(out, "{} digests, {} papers with keywords.\n", w.digests.len(), w.papers);
    if !w.watched.is_empty() {
        out.push_str("## Watched\n\n");
        for (name, papers) in &w.watched {
            let _ = writeln!(out, "### {}\n", escape(name));
            for (p, term, place) in papers {
                let place = match place.as_str() {
                    "author" => "its authors",
                    "keyword" => "its keywords",
                    "arxiv id" => "its arXiv id",
                    "title" => "its title",
                    _ => "its abstract",
                };
                let _ = writeln!(out, "{} (matched {} in {place})", paper_item(p), escape(&format!("“{term}”")));
            }
            out.push('\n');
        }
    }

    out.push_str("## Rising keywords\n\n");
    term_table(&mut out, &w.rising, "rising keywords");
    let _ = writeln!(out, "![{}]({charts}/{})\n", CHARTS[0].1, CHARTS[0].0);
    out.push_str("## Top keywords\n\n");
    term_table(&mut out, &w.top, "keywords");
    let _ = writeln!(out, "![{}]({charts}/{})\n", CHARTS[1].1, CHARTS[1].0);
    out.push_str("## New keywords\n\n");
    if w.new.is_empty() {
        out.push_str("No keyword appeared for the first time this week.\n\n");
    } else {
        let list: Vec<String> = w.new.iter().map(|r| format!("{} ({})", escape(&r.term), r.papers)).collect();
        let _ = writeln!(out, "{}\n", list.join(", "));
    }
    out.push_str("## Bursts under way\n\n");
    if w.bursts.is_empty() {
        out.push_str("No burst covers this week.\n\n");
    } else {
        out.push_str("| term | kind | from | to | strength |\n|---|---|---|---|---:|\n");
        for b in &w.bursts {
            let _ = writeln!(out, "| {} | {} | {} | {} | {:.1} |", escape(&b.term), b.kind, b.begin, b.end, b.strength);
        }
        out.push('\n');
    }
    out.push_str("## Themes\n\n");
    term_table(&mut out, &w.themes, "themes");
    let _ = writeln!(out, "![{}]({charts}/{})\n", CHARTS[2].1, CHARTS[2].0);
    papers(&mut out, w);
    digests(&mut out, w);
    notes(&mut out, w);
    out
}

/// A paper as a list item: title (linked to arXiv when the id is one), authors.
fn paper_item(p: &PaperRow) -> String {
    let title = escape(&p.title);
    let title = match p.arxiv_id.as_deref().filter(|id| super::is_arxiv_id(id)) {
        Some(id) => format!("[{title}](https://arxiv.org/abs/{id})"),
        None => title,
    };
    let authors = match p.authors.len() {
        0 => String::new(),
        n if n > 4 => format!(" — {} et al.", escape(&p.authors[..3].join(", "))),
        _ => format!(" — {}", escape(&p.authors.join(", "))),
    };
    format!("- {title}{authors}")
}

fn papers(out: &mut String, w: &Week) {
    if !w.emerging.is_empty() {
        out.push_str("## Emerging themes\n\nTL;DR themes of this week that match no canonical theme (`digestlens themes --emerging`):\n\n");
        for label in &w.emerging {
            let _ = writeln!(out, "- {}", escape(label));
        }
        out.push('\n');
    }
    if w.carriers_rising {
        out.push_str("## Papers behind the rising themes\n\n");
    } else {
        out.push_str("## Papers behind the themes that gained most\n\n");
    }
    if w.carriers.is_empty() {
        out.push_str("No theme gained this week.\n\n");
    }
    for (theme, papers) in &w.carriers {
        let _ = writeln!(out, "### {}\n", escape(theme));
        for p in papers {
            let _ = writeln!(out, "{}", paper_item(p));
        }
        out.push('\n');
    }
    if !w.upvoted.is_empty() {
        out.push_str("## Most upvoted\n\n");
        for (p, votes) in &w.upvoted {
            let _ = writeln!(out, "{} ({votes} upvotes)", paper_item(p));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Papers of the week\n\n{} papers in this week's digests.\n", w.listed_total);
    if w.listed_total > w.listed.len() {
        let _ = writeln!(
            out,
            "The first {} by date are listed here; all of them: `digestlens papers --since {} --until {} --top 0 --csv`.\n",
            w.listed.len(),
            w.start,
            w.end
        );
    }
    let mut day = None;
    for l in &w.listed {
        if day != Some(l.date) {
            let _ = writeln!(out, "\n### {}\n", l.date.format("%A %Y-%m-%d"));
            day = Some(l.date);
        }
        let _ = writeln!(out, "{}", paper_item(&l.paper));
    }
    out.push('\n');
}

fn digests(out: &mut String, w: &Week) {
    out.push_str("## Digests\n\n| date | format | papers | file |\n|---|---|---:|---|\n");
    for d in &w.digests {
        let file = d.file.replace('`', "'").replace('|', "\\|");
        let _ = writeln!(out, "| {} | {} | {} | `{file}` |", d.date, d.format, d.entries);
    }
    out.push('\n');
}

fn notes(out: &mut String, w: &Week) {
    out.push_str("## Data quality\n\n");
    if w.notes.is_empty() {
        out.push_str("No diagnostics for this week's files.\n");
        return;
    }
    let mut codes: Vec<(String, String, usize)> = Vec::new();
    for n in &w.notes {
        match codes.iter_mut().find(|c| c.0 == n.severity && c.1 == n.code) {
            Some(c) => c.2 += 1,
            None => codes.push((n.severity.clone(), n.code.clone(), 1)),
        }
    }
    let summary: Vec<String> = codes.iter().map(|(s, c, n)| format!("{n} × {} ({s})", escape(c))).collect();
    let _ = writeln!(out, "{}.\n", summary.join(", "));
    for n in w.notes.iter().filter(|n| n.severity != "info") {
        let _ =
            writeln!(out, "- `{}:{}` {}: {}", n.file.replace('`', "'"), n.line, escape(&n.code), escape(&n.message));
    }
    out.push('\n');
}
