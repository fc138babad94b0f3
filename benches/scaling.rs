//! Does any input make reading superlinear? Each shape below, among the worst the fuzzers and
//! the generic reader's design suggest, is read at n and at 4n units (papers, rows, levels,
//! words); the ratio of the times should be about 4 (up to ~5 with allocation and cache
//! effects), never 16.
//!
//! ```sh
//! cargo bench --bench scaling --no-default-features   # the readers alone: builds without polars
//! ```
//!
//! Figures are the best of three runs of a release build; they are printed, never asserted.

use std::hint::black_box;
use std::time::{Duration, Instant};

use digestlens::formats::{ParseOptions, fields, read_file};
use digestlens::model::{Diagnostics, Format};

/// A shape: a file name, and the file's text for n units.
struct Shape {
    name: &'static str,
    path: &'static str,
    forced: Option<Format>,
    n: usize,
    make: fn(usize) -> String,
}

fn id(i: usize) -> String {
    format!("25{:02}.{:05}", 1 + i / 90_000 % 12, i % 90_000)
}

fn site_markdown(n: usize) -> String {
    let mut s = String::from("# ArXiv Daily Digest on 2025-10-06\n\n## TL;DR\n\nThemes of the day.\n\n");
    for i in 0..n {
        s.push_str(&format!(
            "## {} Scaling paper number {i} on widgets\n\n**Authors:** Ada Lovelace, Alan Turing\n\n**Keywords:** widgets, scaling {i}\n\n**arXiv:** https://arxiv.org/abs/{}\n\n**Abstract:** We study widget {i}.\n\n",
            i + 1,
            id(i)
        ));
    }
    s
}

/// The site's own shape (front matter, a `# Title` per paper with field lines and `##` sections),
/// which the `markdown` reader reads.
fn site_report(n: usize) -> String {
    let mut s =
        String::from("---\ntitle: ArXiv Daily Digest\ndate: 2025-10-06\n---\n\n## TL;DR\n\nThemes of the day.\n\n");
    for i in 0..n {
        s.push_str(&format!(
            "# Scaling paper number {i} on widgets\n\nAuthors: Ada Lovelace, Alan Turing\nKeywords: widgets, scaling {i}\nPaper link: https://arxiv.org/abs/{}\n\n## Abstract\n\nWe study widget {i} and its scaling.\n\n## Summary\n\nThe paper studies widget {i}.\n\n",
            id(i)
        ));
    }
    s
}

fn linked_list(n: usize) -> String {
    let mut s = String::from("# Papers of 2025-10-06\n\n");
    for i in 0..n {
        s.push_str(&format!("- [Widget routing paper {i}](https://arxiv.org/abs/{}) by A. Author\n", id(i)));
    }
    s
}

fn sections(n: usize) -> String {
    let mut s = String::from("# Digest 2025-10-06\n\n");
    for i in 0..n {
        s.push_str(&format!(
            "## Widget paper {i}\n\nAuthors: Ada Lovelace\n\n[arXiv](https://arxiv.org/abs/{})\n\nAbstract: widgets.\n\n",
            id(i)
        ));
    }
    s
}

fn table(n: usize) -> String {
    let mut s = String::from("## Updated on 2025.10.06\n\n|Publish Date|Title|Authors|PDF|\n|---|---|---|---|\n");
    for i in 0..n {
        s.push_str(&format!(
            "|**2025-10-06**|**Widget paper {i}**|Ada Lovelace et.al.|[{0}](http://arxiv.org/abs/{0})|\n",
            id(i)
        ));
    }
    s
}

fn html_list(n: usize) -> String {
    let mut s = String::from("<html><head><title>Digest 2025-10-06</title></head><body><ul>");
    for i in 0..n {
        s.push_str(&format!(
            "<li><a href=\"https://arxiv.org/abs/{}\">Widget paper {i}</a> <em>Ada Lovelace</em></li>",
            id(i)
        ));
    }
    s.push_str("</ul></body></html>");
    s
}

fn json_lines(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"id\": \"{}\", \"title\": \"Widget paper {i}\", \"authors\": [\"Ada Lovelace\"], \"date\": \"2025-10-06\"}}\n",
                id(i)
            )
        })
        .collect()
}

fn dated_headings(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default() + chrono::Days::new(i as u64);
        s.push_str(&format!("## Digest {day}\n\n- [Widget paper {i}](https://arxiv.org/abs/{})\n\n", id(i)));
    }
    s
}

fn nested_quotes(n: usize) -> String {
    format!("{} [Widget](https://arxiv.org/abs/2510.00001)\n", ">".repeat(n))
}

fn nested_lists(n: usize) -> String {
    (0..n).map(|i| format!("{}- item {i}\n", "  ".repeat(i))).collect::<String>()
        + "[W](https://arxiv.org/abs/2510.00001)\n"
}

fn one_long_line(n: usize) -> String {
    let mut s = String::from("Widget digest 2025-10-06: ");
    for i in 0..n {
        s.push_str(&format!("word{i} 2025-10-{:02} arXiv:{} ", 1 + i % 28, id(i)));
    }
    s
}

fn unclosed_emphasis(n: usize) -> String {
    format!("# Digest 2025-10-06\n\n{} [W](https://arxiv.org/abs/2510.00001)\n", "*a _b [c ".repeat(n))
}

const SHAPES: [Shape; 12] = [
    Shape { name: "site digest, n papers", path: "digest.md", forced: None, n: 5_000, make: site_markdown },
    Shape { name: "site report, n papers", path: "report.md", forced: None, n: 5_000, make: site_report },
    Shape { name: "linked list items", path: "README.md", forced: None, n: 25_000, make: linked_list },
    Shape { name: "sections", path: "digest.md", forced: None, n: 25_000, make: sections },
    Shape { name: "table rows", path: "README.md", forced: None, n: 25_000, make: table },
    Shape { name: "HTML list items", path: "index.html", forced: None, n: 25_000, make: html_list },
    Shape { name: "JSON lines records", path: "papers.jsonl", forced: None, n: 25_000, make: json_lines },
    Shape { name: "dated headings (split)", path: "all.md", forced: None, n: 5_000, make: dated_headings },
    Shape { name: "nested quote levels", path: "q.md", forced: Some(Format::Generic), n: 2_000, make: nested_quotes },
    Shape { name: "nested list levels", path: "l.md", forced: Some(Format::Generic), n: 500, make: nested_lists },
    Shape { name: "words on one line", path: "line.txt", forced: None, n: 25_000, make: one_long_line },
    Shape { name: "unclosed emphasis", path: "e.md", forced: None, n: 25_000, make: unclosed_emphasis },
];

fn best_of_three(f: impl Fn()) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn read(shape: &Shape, text: &str) -> usize {
    let mut diags = Diagnostics::new(shape.path);
    let parsed = read_file(shape.path, text, Some(2025), shape.forced, &ParseOptions::default(), &mut diags);
    parsed.map_or(0, |p| p.iter().map(|d| d.digest.entries.len()).sum())
}

/// Times `f` on the n-unit and the 4n-unit input and prints a row.
fn row(name: &str, n: usize, large: &str, papers: usize, f: impl Fn(&str) -> usize, small: &str) {
    let t1 = best_of_three(|| {
        black_box(f(black_box(small)));
    });
    let t4 = best_of_three(|| {
        black_box(f(black_box(large)));
    });
    println!(
        "{:<26} {:>8} {:>10} {:>8} {:>10.1} {:>10.1} {:>10.1} {:>6.2}",
        name,
        n,
        large.len(),
        papers,
        t1.as_secs_f64() * 1e3,
        t4.as_secs_f64() * 1e3,
        large.len() as f64 / 1e6 / t4.as_secs_f64(),
        t4.as_secs_f64() / t1.as_secs_f64().max(1e-9)
    );
}

fn main() {
    println!(
        "{:<26} {:>8} {:>10} {:>8} {:>10} {:>10} {:>10} {:>6}",
        "shape", "n", "bytes", "papers", "t(n) ms", "t(4n) ms", "MB/s 4n", "ratio"
    );
    // `SCALING_ONLY=site` runs the shapes whose name contains that text (for profiling one).
    let only = std::env::var("SCALING_ONLY").unwrap_or_default();
    // `SCALING_SCALE=4` multiplies every n (to see whether a ratio grows with the size).
    let scale: usize = std::env::var("SCALING_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    for shape in SHAPES.iter().filter(|s| s.name.contains(only.as_str())) {
        let n = shape.n * scale;
        let (small, large) = ((shape.make)(n), (shape.make)(4 * n));
        row(shape.name, n, &large, read(shape, &large), |t| read(shape, t), &small);
    }
    if "author list".contains(only.as_str()) {
        // The field parsers on one long value.
        let n = 25_000 * scale;
        let authors = |n: usize| (0..n).map(|i| format!("Author{i} Name{i}")).collect::<Vec<_>>().join(", ");
        let (small, large) = (authors(n), authors(4 * n));
        row("author list", n, &large, fields::authors(&large).0.len(), |t| fields::authors(t).0.len(), &small);
    }
}
