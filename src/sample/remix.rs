//! `digestlens sample --from DIR --megabytes N`: a large archive made from real digests, for
//! benchmarks that should see real text in every format rather than the generator's.
//!
//! Copy `k` of every file under DIR is written to `OUT/GROUP/cKKKK/PATH` (GROUP is `markdown`
//! for the site-shaped Markdown digests, which the Python peer reads, and `other` for the rest),
//! changed so that it is a digest of its own:
//! - every ISO date (`2025-10-06`, in the text and the path) moves `k` weeks later;
//! - every arXiv id (`2510.01234`, with its version) gets another number, the same one for the
//!   same id throughout the copy, so links and grouped pages stay consistent;
//! - about a third of the file's keywords (as digestlens reads them) are replaced, wherever they
//!   stand as a list item, by other keywords of the corpus.
//!
//! Copies are written until the archive holds `megabytes`; a copy whose bytes equal a file
//! written before (a file with nothing to vary) is left out, so no two files are equal. The
//! output holds real digest text: write it outside the repository.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use rayon::prelude::*;
use regex::{Captures, Regex};

use super::Written;
use crate::error::{Error, Result};
use crate::ingest::{Options as ReadOptions, format_of, parse_bytes, walk};
use crate::model::{Diagnostics, Format};
use crate::store::io::write_if_changed;

/// One source file: where it sits under the input, its text, how digestlens reads it, and the
/// keywords it lists.
struct Source {
    rel: String,
    text: String,
    format: Format,
    entries: usize,
    keywords: Vec<String>,
}

/// Reads the sources (text files that digestlens reads as digests) and writes copies until
/// `megabytes` are written. Returns what was written, in path order.
pub fn remix(from: &Path, out: &Path, megabytes: u64, seed: u64) -> Result<Vec<Written>> {
    let sources = sources(from);
    if sources.is_empty() {
        return Err(Error::Usage(format!("no digests under {}", from.display())));
    }
    let pool: Vec<&str> = sources
        .iter()
        .flat_map(|s| s.keywords.iter().map(String::as_str))
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .collect();
    let per_copy: u64 = sources.iter().map(|s| s.text.len() as u64).sum();
    let copies = (megabytes * 1_000_000).div_ceil(per_copy.max(1));
    let patterns = Patterns::new();
    let planned: Vec<Vec<(PathBuf, Format, usize, String)>> = (0..copies)
        .into_par_iter()
        .map(|k| sources.iter().map(|s| copy(s, k, seed, &pool, &patterns, out)).collect())
        .collect();
    let mut seen: HashSet<blake3::Hash> = HashSet::new();
    let mut written = Vec::new();
    for (path, format, entries, text) in planned.into_iter().flatten() {
        if !seen.insert(blake3::hash(text.as_bytes())) {
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        write_if_changed(&path, text.as_bytes())?;
        written.push(Written { path, format, entries, bytes: text.len() });
    }
    written.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(written)
}

fn sources(from: &Path) -> Vec<Source> {
    let (found, _) = walk(&[from.to_owned()]);
    let options = ReadOptions::default();
    let Ok(root) = from.canonicalize() else { return Vec::new() };
    found
        .par_iter()
        .filter_map(|f| {
            let bytes = std::fs::read(&f.abs).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            let mut diags = Diagnostics::new(&f.path);
            let parsed = parse_bytes(&f.path, text.as_bytes(), None, &options, &mut diags);
            let first = parsed.first()?;
            let format = format_of(&first.digest.format);
            let entries = parsed.iter().map(|p| p.digest.entries.len()).sum();
            let keywords: BTreeSet<String> = parsed
                .iter()
                .flat_map(|p| p.digest.entries.iter().flat_map(|e| e.keywords.iter().cloned()))
                .filter(|k| k.chars().count() >= 3)
                .collect();
            let rel = f.abs.strip_prefix(&root).ok()?.to_string_lossy().into_owned();
            Some(Source { rel, text, format, entries, keywords: keywords.into_iter().collect() })
        })
        .collect()
}

struct Patterns {
    date: Regex,
    arxiv: Regex,
}

impl Patterns {
    fn new() -> Patterns {
        Patterns {
            date: Regex::new(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b").expect("date pattern"),
            arxiv: Regex::new(r"\b(\d{2})(\d{2})\.(\d{4,5})(v\d+)?\b").expect("arXiv id pattern"),
        }
    }

    /// The text with every ISO date `weeks` weeks later (invalid dates are left alone).
    fn shift_dates(&self, text: &str, weeks: i64) -> String {
        self.date
            .replace_all(text, |c: &Captures| {
                NaiveDate::parse_from_str(&c[0], "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.checked_add_signed(Duration::weeks(weeks)))
                    .map_or_else(|| c[0].to_owned(), |d| d.to_string())
            })
            .into_owned()
    }

    /// The text with every arXiv id given another number of the same width (the same one for
    /// the same id): the month stays, the number moves by a stride of copy `k`.
    fn vary_ids(&self, text: &str, k: u64) -> String {
        self.arxiv
            .replace_all(text, |c: &Captures| {
                let number = &c[3];
                let modulus = 10u64.pow(u32::try_from(number.len()).unwrap_or(5));
                let n: u64 = number.parse().unwrap_or(0);
                let moved = (n + (k + 1) * 7919) % modulus;
                let version = c.get(4).map_or("", |v| v.as_str());
                format!("{}{}.{moved:0width$}{version}", &c[1], &c[2], width = number.len())
            })
            .into_owned()
    }
}

/// Copy `k` of one source: its path and text with dates, ids and keywords varied.
fn copy(
    s: &Source,
    k: u64,
    seed: u64,
    pool: &[&str],
    patterns: &Patterns,
    out: &Path,
) -> (PathBuf, Format, usize, String) {
    let weeks = i64::try_from(k).unwrap_or(0);
    let mut text = patterns.vary_ids(&patterns.shift_dates(&s.text, weeks), k);
    let mut replaced: HashMap<&str, &str> = HashMap::new();
    for keyword in &s.keywords {
        let h = blake3::hash(format!("{seed}/{k}/{keyword}").as_bytes());
        let bytes = h.as_bytes();
        let pick = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default());
        if pick % 3 == 0 && !pool.is_empty() {
            let other = pool[usize::try_from((pick / 3) % pool.len() as u64).unwrap_or(0)];
            if other != keyword {
                replaced.insert(keyword, other);
            }
        }
    }
    for (from, to) in replaced {
        text = replace_items(&text, from, to);
    }
    let group = if s.format == Format::Markdown { "markdown" } else { "other" };
    let rel = patterns.shift_dates(&s.rel, weeks);
    (out.join(group).join(format!("c{k:04}")).join(rel), s.format, s.entries, text)
}

/// `text` with `from` replaced by `to` where it stands as an item of a list or a field: after a
/// delimiter (start of line, space, comma, semicolon, colon, bar, bracket or quote) and before
/// one, and never where it is followed by a colon (a label).
fn replace_items(text: &str, from: &str, to: &str) -> String {
    let before_ok = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || ",;:|([\"'*".contains(c));
    let after_ok = |c: Option<char>| c.is_none_or(|c| c == '\n' || c == '\r' || ",;|)]\"'*".contains(c));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(from) {
        let end = at + from.len();
        if at < last {
            continue;
        }
        if before_ok(text[..at].chars().next_back()) && after_ok(text[end..].chars().next()) {
            out.push_str(&text[last..at]);
            out.push_str(to);
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_by_whole_weeks_and_ids_keep_their_month_and_width() {
        let p = Patterns::new();
        assert_eq!(p.shift_dates("on 2025-10-06, not 2025-13-40", 2), "on 2025-10-20, not 2025-13-40");
        let varied = p.vary_ids("arxiv.org/abs/2510.01234v2 and 2510.01234 and 2409.1234", 0);
        assert_eq!(varied, "arxiv.org/abs/2510.09153v2 and 2510.09153 and 2409.9153");
    }

    #[test]
    fn keywords_are_replaced_only_as_list_items() {
        let text = "Keywords: RAG, Agents\nRAGged title about RAG\n\"RAG\": 1\n";
        assert_eq!(replace_items(text, "RAG", "LLM"), "Keywords: LLM, Agents\nRAGged title about LLM\n\"LLM\": 1\n");
        assert_eq!(replace_items("RAG: a label", "RAG", "LLM"), "RAG: a label");
    }
}
