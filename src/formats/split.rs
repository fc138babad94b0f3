//! Several digests in one file: a file that concatenates daily digests is cut where each one
//! starts, so that each becomes its own digest with its own date. A digest starts at YAML front
//! matter (`---`, `date:`/`title:` lines, `---`), at a title line `ArXiv Daily Digest on DATE`,
//! or at a heading that carries a date, when the file has at least two such starts with
//! different dates (at the shallowest heading level that has them). Code fences are skipped.

use std::collections::BTreeSet;

use super::dates::date_in;

/// A part of a text: its first line (0-based) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    pub first_line: u32,
    pub text: &'a str,
}

/// Byte offsets of line starts, with the lines (without their `\n`).
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        out.push((at, line.trim_end_matches(['\n', '\r'])));
        at += line.len();
    }
    out
}

/// A front matter block opening at line `i`: its closing line, when it holds `date:` or `title:`.
fn front_matter_at(lines: &[(usize, &str)], i: usize) -> Option<usize> {
    if lines[i].1.trim_end() != "---" {
        return None;
    }
    let mut keyed = false;
    for (j, (_, line)) in lines.iter().enumerate().skip(i + 1).take(40) {
        if line.trim_end() == "---" {
            return (keyed && j > i + 1).then_some(j);
        }
        if line.starts_with("date:") || line.starts_with("title:") {
            keyed = true;
        } else if !line.contains(':') && !line.starts_with([' ', '-', '\t']) && !line.trim().is_empty() {
            return None;
        }
    }
    None
}

fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then_some(hashes)
}

/// The parts of a text; the whole text when it holds one digest.
pub fn split(text: &str) -> Vec<Part<'_>> {
    let lines = lines(text);
    let mut fenced = false;
    let mut fronts: Vec<usize> = Vec::new();
    let mut titles: Vec<(usize, usize, chrono::NaiveDate)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].1;
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced {
            if let Some(end) = front_matter_at(&lines, i) {
                fronts.push(i);
                i = end + 1;
                continue;
            }
            let level = heading_level(line).or_else(|| line.starts_with("ArXiv Daily Digest on ").then_some(0));
            // Only a title line is searched for a date.
            if let Some((level, date)) = level.and_then(|l| date_in(line).map(|d| (l, d))) {
                titles.push((i, level, date));
            }
        }
        i += 1;
    }
    let starts = if fronts.len() >= 2 { fronts } else { title_starts(&titles) };
    if starts.len() < 2 {
        return vec![Part { first_line: 0, text }];
    }
    let mut parts = Vec::new();
    let mut bounds: Vec<usize> = starts.clone();
    if bounds[0] != 0 && text[..lines[bounds[0]].0].trim().is_empty() {
        bounds[0] = 0;
    }
    for (k, &start) in bounds.iter().enumerate() {
        let from = if k == 0 { 0 } else { lines[start].0 };
        let to = bounds.get(k + 1).map_or(text.len(), |&next| lines[next].0);
        let first = if k == 0 { 0 } else { start };
        parts.push(Part { first_line: u32::try_from(first).unwrap_or(u32::MAX), text: &text[from..to] });
    }
    parts
}

/// Title lines at the shallowest level that has two or more with different dates.
fn title_starts(titles: &[(usize, usize, chrono::NaiveDate)]) -> Vec<usize> {
    let levels: BTreeSet<usize> = titles.iter().map(|t| t.1).collect();
    for level in levels {
        let at: Vec<&(usize, usize, chrono::NaiveDate)> = titles.iter().filter(|t| t.1 == level).collect();
        let dates: BTreeSet<_> = at.iter().map(|t| t.2).collect();
        if dates.len() >= 2 {
            return at.iter().map(|t| t.0).collect();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenated_front_matter_digests() {
        let text = "---\ndate: 2025-10-06\n---\n# A\nAuthors: x\n---\ntitle: \"B\"\ndate: 2025-10-07\n---\n# B\n";
        let parts = split(text);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].first_line, 5);
        assert!(parts[1].text.starts_with("---\ntitle"));
    }

    #[test]
    fn dated_headings_split_and_one_digest_does_not() {
        let text = "# Digests\n\n## 2025-10-06\n\n- a\n\n## 2025-10-07\n\n- b\n";
        let parts = split(text);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].text.starts_with("# Digests"));
        assert!(parts[1].text.starts_with("## 2025-10-07"));
        assert_eq!(split("# Digest 2025-10-06\n\n## 1. Paper\n\n---\n\nmore\n").len(), 1);
        assert_eq!(split("## Updated on 2026.06.29\n\n## SLAM\n").len(), 1);
    }
}
