//! Writes a made-up day or listing in each source format (GUIDE section 2), and the quirks real
//! archives have: titles missing from flat copies, shifted keywords, mojibake, year-less
//! listing dates.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::world::{Day, Listed, Meta, Paper};

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// Markdown with YAML front matter, as the digest site publishes it.
pub fn markdown(day: &Day) -> String {
    let mut out = String::with_capacity(24 * 1024);
    let (date, feed) = (day.date, day.feed);
    let _ = write!(
        out,
        "---\ntitle: \"ArXiv Daily Digest on {date}\"\ncollection: digests\npermalink: /digests/arxiv_{feed}_{date}_report\ndate: {date}\nlocation: \"Online\"\n---\n\n"
    );
    push_line(&mut out, &day.overview.join(" "));
    let _ = write!(
        out,
        "\n## TL;DR\n\nTotal papers: {} , Selected papers: {}\n\nHere's a TL;DR summary of the key themes and insights from these recent arXiv papers:\n\n",
        day.total,
        day.papers.len()
    );
    for theme in &day.themes {
        let _ = writeln!(out, "## {}\n{}:\n", theme.label, theme.description);
        for (i, line) in &theme.lines {
            let method = &day.papers[*i].method;
            let _ = writeln!(out, "- **{method}**{}", line.strip_prefix(method.as_str()).unwrap_or(line));
        }
        out.push('\n');
    }
    for p in &day.papers {
        let link = format!("http://arxiv.org/abs/{}v{}", p.arxiv_id, p.version);
        let _ = write!(
            out,
            "---\n\n# {}\n\nAuthors: {}\n\nKeywords: {}\n\nComments: {}\n\nPaper link: [{link}]({link})\n\n## Abstract\n\n{}\n\n## Summary\n\nHere is a summary of the paper \"{}\":\n\n{}\n\n## Critique\n\n{}\n\n",
            p.title,
            p.authors.join(", "),
            p.keywords.join(", "),
            p.comments,
            p.abstract_text,
            p.title,
            p.summary.join("\n\n"),
            critique(p, "### ", "", "\n\n"),
        );
    }
    out
}

/// The critique: a lead sentence, then strengths and weaknesses as numbered items.
fn critique(p: &Paper, heading: &str, indent: &str, sep: &str) -> String {
    let mut out = format!("Of course. Here is a critique of the paper \u{201c}{}\u{201d}.", p.title);
    for (name, items) in [("Strengths", &p.strengths), ("Weaknesses", &p.weaknesses)] {
        let _ = write!(out, "{sep}{heading}{name}");
        for (k, item) in items.iter().enumerate() {
            let _ = write!(out, "{sep}{indent}{}. {item}", k + 1);
        }
    }
    out
}

/// A browser copy of the rendered page: headings as plain lines, `  • ` bullets.
pub fn page(day: &Day) -> String {
    let mut out = String::with_capacity(24 * 1024);
    let _ = write!(out, "ArXiv Daily Digest on {}\n\nPublished:\n\n{}\n\nTL;DR\n\n", day.date, day.overview.join(" "));
    let _ = write!(
        out,
        "Total papers: {} , Selected papers: {}\n\nHere\u{2019}s a TL;DR summary of the key themes and insights from these papers:\n\nMain Themes:\n\n",
        day.total,
        day.papers.len()
    );
    for theme in &day.themes {
        let _ = writeln!(out, "  \u{2022} {} - {}", theme.label, theme.description);
    }
    out.push_str("\nKey Insights:\n\n");
    for theme in &day.themes {
        for (_, line) in theme.lines.iter().take(1) {
            let _ = writeln!(out, "  \u{2022} {line}");
        }
    }
    for p in &day.papers {
        let _ = write!(
            out,
            "\n\n{}\n\nAuthors: {}\n\nKeywords: {}\n\nComments: {}\n\nPaper link: http://arxiv.org/abs/{}v{}\n\nAbstract\n\n{}\n\nSummary\n\n{}\n\nCritique\n\n{}\n",
            p.title,
            p.authors.join(", "),
            p.keywords.join(", "),
            p.comments,
            p.arxiv_id,
            p.version,
            p.abstract_text,
            p.summary.iter().map(|s| s.replace("**", "")).collect::<Vec<_>>().join("\n\n"),
            critique(p, "", "  ", "\n\n"),
        );
    }
    out
}

/// Paragraph-only text: one paragraph per line, no titles, no date.
pub fn flat(day: &Day) -> String {
    let mut out = String::with_capacity(24 * 1024);
    push_line(&mut out, &day.overview.join(" "));
    let _ = writeln!(out, "Total papers: {} , Selected papers: {}", day.total, day.papers.len());
    let labels: Vec<&str> = day.themes.iter().map(|t| t.label.as_str()).collect();
    let _ = writeln!(out, "TL;DR: Today's papers cover {}.", labels.join(", "));
    push_line(&mut out, "Key Themes & Insights:");
    for theme in &day.themes {
        let links: Vec<String> =
            theme.lines.iter().map(|(i, _)| format!("https://arxiv.org/abs/{}", day.papers[*i].arxiv_id)).collect();
        let _ = writeln!(out, "  \u{2022} {} - {} ({})", theme.label, theme.description, links.join(", "));
    }
    for p in &day.papers {
        let _ = writeln!(out, "Authors: {}", p.authors.join(", "));
        let _ = writeln!(out, "Keywords: {}", p.keywords.join(", "));
        let _ = writeln!(out, "Comments: {}", p.comments);
        let _ = writeln!(out, "Paper link: http://arxiv.org/abs/{}v{}", p.arxiv_id, p.version);
        push_line(&mut out, &p.abstract_text);
        let _ = writeln!(out, "Here is a summary of the paper \u{201c}{}\u{201d}.", p.title);
        for s in &p.summary {
            push_line(&mut out, &s.replace("**", ""));
        }
        for line in critique(p, "", "", "\n").lines() {
            push_line(&mut out, line);
        }
    }
    out
}

fn month_day(date: NaiveDate, page_year: i32) -> String {
    if date.year() == page_year { date.format("%b %-d").to_string() } else { date.format("%b %-d, %Y").to_string() }
}

/// A listing page (hf-daily): dates without a year unless it differs from the page's.
pub fn hf_daily(date: NaiveDate, entries: &[Listed]) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(out, "Daily Papers\n\nbyAK and the research community\n\n{}\n", date.format("%b %-d"));
    for e in entries {
        let _ = write!(out, "\n{}\n\n{}\n", e.title, e.abstract_text.trim_end());
        let meta = match &e.meta {
            Meta::Authors(n) => format!("  \u{2022} {n} authors"),
            Meta::Organisation(org) => org.clone(),
            Meta::Nothing => continue,
        };
        let upvotes = e.upvotes.map(|u| format!(" {u}")).unwrap_or_default();
        let _ = write!(out, "\n{meta}\n\u{b7}\n{}{upvotes}\n", month_day(e.date, date.year()));
    }
    out
}

/// LLM-written keywords attached to the wrong papers: among the first three papers that are
/// alone on their topic that day and on one topic only (so that the shift is unambiguous and can
/// be repaired), each gets the next one's keywords and the last gets the first's.
pub fn shift_keywords(day: &mut Day) {
    let alone = |t: usize| day.papers.iter().filter(|p| p.topic == t).count() == 1;
    let mut picked: Vec<usize> = Vec::new();
    for (i, p) in day.papers.iter().enumerate() {
        if picked.len() < 3 && !p.mixed && alone(p.topic) {
            picked.push(i);
        }
    }
    if picked.len() < 3 {
        return;
    }
    let moved: Vec<Vec<String>> = picked.iter().map(|&i| day.papers[i].keywords.clone()).collect();
    for (k, &i) in picked.iter().enumerate() {
        day.papers[i].keywords = moved[(k + 1) % moved.len()].clone();
    }
}

/// UTF-8 punctuation decoded as Windows-1252, as a careless copy does (`—` becomes `â€”`).
pub fn mojibake(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if matches!(c, '\u{2014}' | '\u{2192}' | '\u{d7}' | '\u{2019}') {
            let (garbled, _) =
                encoding_rs::WINDOWS_1252.decode_without_bom_handling(c.encode_utf8(&mut buf).as_bytes());
            out.push_str(&garbled);
        } else {
            out.push(c);
        }
    }
    out
}
