//! Emerging themes: TL;DR themes that match no canonical theme (see `normalize::taxonomy`),
//! grouped when they name the same thing: the same label once normalised (case, hyphens,
//! spacing, plurals), two content words in common, or a paper they both name.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::normalize::base_key;

/// One unmatched TL;DR theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub label: String,
    pub digest: String,
    pub date: Option<NaiveDate>,
    pub papers: Vec<String>,
}

/// Mentions that name the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Labels as written, most frequent first.
    pub labels: Vec<String>,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    pub digests: usize,
    pub papers: usize,
    pub mentions: Vec<usize>,
}

/// Words that say nothing of a theme's subject.
const STOP: [&str; 24] = [
    "and", "the", "for", "with", "from", "into", "via", "of", "in", "on", "to", "a", "an", "new", "model", "language",
    "large", "learning", "approach", "method", "system", "systems", "study", "towards",
];

/// The content words of a normalised label: at least three letters, not in `STOP`.
fn content(key: &str) -> BTreeSet<String> {
    key.split(' ').filter(|w| w.chars().count() >= 3 && !STOP.contains(w)).map(str::to_owned).collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The groups of the mentions, the most mentioned first.
pub fn groups(mentions: &[Mention]) -> Vec<Group> {
    let n = mentions.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let keys: Vec<String> = mentions.iter().map(|m| base_key(&m.label)).collect();
    let words: Vec<BTreeSet<String>> = keys.iter().map(|k| content(k)).collect();
    let union = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    // Same key, and same paper: joined through the first mention that had it.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut by_paper: HashMap<&str, usize> = HashMap::new();
    for i in 0..n {
        if let Some(&j) = by_key.get(keys[i].as_str()) {
            union(&mut parent, i, j);
        } else {
            by_key.insert(&keys[i], i);
        }
        for p in &mentions[i].papers {
            if let Some(&j) = by_paper.get(p.as_str()) {
                union(&mut parent, i, j);
            } else {
                by_paper.insert(p, i);
            }
        }
    }
    // Two content words in common: through an index of word pairs.
    let mut by_pair: HashMap<(String, String), usize> = HashMap::new();
    for (i, ws) in words.iter().enumerate() {
        let ws: Vec<&String> = ws.iter().collect();
        for (x, a) in ws.iter().enumerate() {
            for b in &ws[x + 1..] {
                let pair = ((*a).clone(), (*b).clone());
                match by_pair.get(&pair) {
                    Some(&j) => union(&mut parent, i, j),
                    None => {
                        by_pair.insert(pair, i);
                    }
                }
            }
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        members.entry(root).or_default().push(i);
    }
    let mut out: Vec<Group> = members
        .into_values()
        .map(|ms| {
            // (mentions, first date) per label: the most mentioned first, then the earliest.
            let mut counts: BTreeMap<&str, (usize, Option<NaiveDate>)> = BTreeMap::new();
            for &m in &ms {
                let slot = counts.entry(mentions[m].label.as_str()).or_default();
                slot.0 += 1;
                slot.1 = match (slot.1, mentions[m].date) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            let mut labels: Vec<(&str, (usize, Option<NaiveDate>))> = counts.into_iter().collect();
            labels.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)).then(a.0.cmp(b.0)));
            let dates: Vec<NaiveDate> = ms.iter().filter_map(|&m| mentions[m].date).collect();
            let digests: BTreeSet<&str> = ms.iter().map(|&m| mentions[m].digest.as_str()).collect();
            let papers: BTreeSet<&str> =
                ms.iter().flat_map(|&m| mentions[m].papers.iter().map(String::as_str)).collect();
            Group {
                labels: labels.into_iter().map(|(l, _)| l.to_owned()).collect(),
                first_seen: dates.iter().min().copied(),
                last_seen: dates.iter().max().copied(),
                digests: digests.len(),
                papers: papers.len(),
                mentions: ms,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.mentions.len().cmp(&a.mentions.len()).then(a.first_seen.cmp(&b.first_seen)).then(a.labels.cmp(&b.labels))
    });
    out
}

/// A taxonomy file (`--taxonomy`) that adopts the groups as canonical themes: each named by its
/// most frequent label, with every label it was written as as a term.
pub fn suggested_taxonomy(groups: &[Group]) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"));
    let mut out = format!(
        "# {} emerging themes found by digestlens (TL;DR themes that matched no canonical theme).\n\
         # Edit the names and terms, then pass this file with --taxonomy to adopt them.\nthemes:\n",
        groups.len()
    );
    for g in groups {
        let name = g.labels.first().cloned().unwrap_or_default();
        let terms: BTreeSet<String> = g.labels.iter().map(|l| base_key(l)).filter(|t| !t.is_empty()).collect();
        let terms: Vec<String> = terms.iter().map(|t| quote(t)).collect();
        out.push_str(&format!("  - name: {}\n    terms: [{}]\n", quote(&name), terms.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(label: &str, digest: &str, day: u32, papers: &[&str]) -> Mention {
        Mention {
            label: label.to_owned(),
            digest: digest.to_owned(),
            date: NaiveDate::from_ymd_opt(2024, 4, day),
            papers: papers.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn labels_naming_the_same_thing_group() {
        let ms = [
            mention("Quantum widget routing", "d1", 1, &["p1"]),
            mention("Quantum Widget Routing", "d2", 8, &[]),
            mention("Routing in quantum widgets", "d3", 9, &[]),
            mention("Entangled gizmos", "d4", 10, &["p1"]),
            mention("Underwater basket weaving", "d5", 11, &[]),
        ];
        let g = groups(&ms);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g[0].mentions.len(), 4, "same key, shared words, shared paper");
        assert_eq!(g[0].labels[0], "Quantum widget routing", "the earliest of equally frequent labels");
        assert_eq!((g[0].digests, g[0].papers), (4, 1));
        assert_eq!(g[0].first_seen, NaiveDate::from_ymd_opt(2024, 4, 1));
        let yaml = suggested_taxonomy(&g);
        assert!(yaml.contains("  - name: \"Quantum widget routing\"\n    terms: ["), "{yaml}");
        assert!(yaml.contains("\"quantum widget routing\""), "{yaml}");
    }
}
