//! Misattributed LLM-written fields. Titles, abstracts and links come from arXiv and are right;
//! keywords, summaries and critiques are written by a model and are sometimes attached to the
//! wrong paper (shifted or swapped). Each such field is scored against every entry's title and
//! abstract (token overlap weighted by inverse document frequency within the digest, with a
//! quoted title as decisive evidence); when no two fields of a kind would land on the same paper
//! they are moved to the papers they describe, otherwise the suspicious ones are only reported.

use std::collections::{HashMap, HashSet};

use crate::model::{Diagnostics, Digest, Entry, Severity};

/// How much better another paper must match than the entry's own for a field to move.
const MARGIN: f64 = 1.5;
/// The least share of a field's weighted tokens that must be found in the other paper.
const MIN_SCORE: f64 = 0.15;

const STOPWORDS: [&str; 40] = [
    "this", "that", "with", "from", "paper", "papers", "model", "models", "language", "large", "these", "their",
    "which", "using", "based", "approach", "method", "methods", "results", "propose", "proposed", "show", "shows",
    "such", "than", "more", "into", "over", "while", "also", "both", "across", "via", "through", "where", "have",
    "been", "they", "however", "work",
];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Keywords,
    Summary,
    Critique,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Keywords => "keywords",
            Kind::Summary => "summary",
            Kind::Critique => "critique",
        }
    }

    fn text(self, e: &Entry) -> Option<String> {
        match self {
            Kind::Keywords => (!e.keywords.is_empty()).then(|| e.keywords.join(" ")),
            Kind::Summary => e.summary.clone(),
            Kind::Critique => e.critique.clone(),
        }
    }

    fn take(self, e: &mut Entry) -> Field {
        match self {
            Kind::Keywords => Field::List(std::mem::take(&mut e.keywords)),
            Kind::Summary => Field::Text(e.summary.take()),
            Kind::Critique => Field::Text(e.critique.take()),
        }
    }

    fn put(self, e: &mut Entry, field: Field) {
        match (self, field) {
            (Kind::Keywords, Field::List(k)) => e.keywords = k,
            (Kind::Summary, Field::Text(t)) => e.summary = t,
            (Kind::Critique, Field::Text(t)) => e.critique = t,
            _ => {}
        }
    }
}

enum Field {
    List(Vec<String>),
    Text(Option<String>),
}

fn tokens(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.chars().count() >= 4)
        .map(str::to_lowercase)
        .filter(|t| !STOPWORDS.contains(&t.as_str()))
        .collect()
}

fn normalised(title: &str) -> String {
    title.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Moves misattributed keywords, summaries and critiques to the entries they describe.
pub(super) fn realign(digest: &mut Digest, diags: &mut Diagnostics) {
    let entries = &mut digest.entries;
    if entries.len() < 2 || entries.iter().any(|e| e.title.is_none() || e.abstract_text.is_none()) {
        return;
    }
    let refs: Vec<HashSet<String>> = entries
        .iter()
        .map(|e| tokens(&format!("{} {}", e.title.as_deref().unwrap_or(""), e.abstract_text.as_deref().unwrap_or(""))))
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for t in refs.iter().flatten() {
        *df.entry(t.as_str()).or_default() += 1;
    }
    let n = refs.len() as f64;
    let weight = |t: &str| (n / df.get(t).copied().unwrap_or(0).max(1) as f64).ln().max(0.0) + 0.05;
    let mut found: Vec<Move> = Vec::new();
    for kind in [Kind::Keywords, Kind::Summary, Kind::Critique] {
        let owners: Vec<Option<usize>> = (0..entries.len()).map(|i| owner(kind, i, entries, &refs, &weight)).collect();
        found.extend(apply(kind, &owners, entries));
    }
    report(&found, entries, diags);
}

/// A field of `kind` found under entry `from` that describes entry `to`.
struct Move {
    kind: Kind,
    from: usize,
    to: usize,
    moved: bool,
}

/// One warning per entry and target, naming every field kind that was misattributed.
fn report(found: &[Move], entries: &[Entry], diags: &mut Diagnostics) {
    let mut groups: Vec<(usize, usize, bool, Vec<&str>)> = Vec::new();
    for m in found {
        match groups.iter_mut().find(|g| (g.0, g.1, g.2) == (m.from, m.to, m.moved)) {
            Some(g) => g.3.push(m.kind.name()),
            None => groups.push((m.from, m.to, m.moved, vec![m.kind.name()])),
        }
    }
    groups.sort_by_key(|g| (entries[g.0].line, g.1));
    let title = |e: &Entry| e.title.clone().unwrap_or_default();
    for (from, to, moved, kinds) in groups {
        let what = if moved { "moved to that entry" } else { "left in place: two fields would land on the same entry" };
        let (e, t) = (&entries[from], &entries[to]);
        let message =
            format!("the {} under {:?} describe {:?} (line {}); {what}", kinds.join(", "), title(e), title(t), t.line);
        // A field moved back to its paper is repaired (info); one left in place is still wrong.
        let severity = if moved { Severity::Info } else { Severity::Warning };
        diags.push(e.line, severity, "misattributed-field", message);
    }
}

/// The entry a field describes, when it is clearly another entry than the one holding it.
fn owner(
    kind: Kind,
    i: usize,
    entries: &[Entry],
    refs: &[HashSet<String>],
    weight: &dyn Fn(&str) -> f64,
) -> Option<usize> {
    let text = kind.text(&entries[i])?;
    if !matches!(kind, Kind::Keywords) {
        let head: String = text.chars().take(600).collect::<String>();
        let head = normalised(&head);
        let quoted = entries.iter().position(|e| {
            let t = normalised(e.title.as_deref().unwrap_or(""));
            t.len() >= 12 && head.contains(&t[..t.len().min(40)])
        });
        if quoted.is_some() {
            return quoted;
        }
    }
    let field = tokens(&text);
    let total: f64 = field.iter().map(|t| weight(t)).sum();
    if total <= 0.0 {
        return None;
    }
    let scores: Vec<f64> = refs.iter().map(|r| field.intersection(r).map(|t| weight(t)).sum::<f64>() / total).collect();
    let (best, &score) = scores.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
    let clear = best == i || (score >= MIN_SCORE && score >= MARGIN * scores[i]);
    clear.then_some(best)
}

/// Moves the fields of `kind` when no two of them would land on the same entry. A field whose
/// owner is unclear stays where it is; an entry whose own field is missing receives nothing.
fn apply(kind: Kind, owners: &[Option<usize>], entries: &mut [Entry]) -> Vec<Move> {
    let effective: Vec<Option<usize>> =
        owners.iter().enumerate().map(|(i, o)| kind.text(&entries[i]).map(|_| o.unwrap_or(i))).collect();
    let mut targets: Vec<usize> = effective.iter().flatten().copied().collect();
    targets.sort_unstable();
    let distinct = targets.windows(2).all(|w| w[0] != w[1]);
    let moves: Vec<Move> = effective
        .iter()
        .enumerate()
        .filter_map(|(from, o)| o.filter(|&to| to != from).map(|to| Move { kind, from, to, moved: distinct }))
        .collect();
    if distinct && !moves.is_empty() {
        let fields: Vec<Field> = entries.iter_mut().map(|e| kind.take(e)).collect();
        for (i, field) in fields.into_iter().enumerate() {
            if let Some(j) = effective[i] {
                kind.put(&mut entries[j], field);
            }
        }
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, abstract_text: &str, keywords: &[&str], summary: &str) -> Entry {
        Entry {
            title: Some(title.to_owned()),
            abstract_text: Some(abstract_text.to_owned()),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            summary: Some(summary.to_owned()),
            ..Entry::default()
        }
    }

    /// Realigns a digest of these entries; returns it with the diagnostics.
    fn realigned(entries: Vec<Entry>) -> (Digest, Vec<crate::model::Diagnostic>) {
        let mut digest = Digest { entries, ..Digest::default() };
        let mut diags = Diagnostics::new("t");
        realign(&mut digest, &mut diags);
        (digest, diags.into_vec())
    }

    #[test]
    fn swapped_fields_are_moved_back() {
        let (digest, diags) = realigned(vec![
            entry(
                "Hanabi benchmark",
                "cooperative card game theory-of-mind agents",
                &["Quantum annealing", "Spin glass"],
                "This paper studies quantum annealing of spin glass systems",
            ),
            entry(
                "Quantum annealing",
                "annealing spin glass hardware qubits",
                &["Hanabi", "Theory-of-mind"],
                "This paper introduces a Hanabi benchmark for theory-of-mind agents",
            ),
            entry(
                "Protein folding",
                "folding proteins structure prediction",
                &["Protein structure", "Folding"],
                "This paper predicts protein structure folding",
            ),
        ]);
        assert_eq!(digest.entries[0].keywords, ["Hanabi", "Theory-of-mind"]);
        assert_eq!(digest.entries[1].keywords, ["Quantum annealing", "Spin glass"]);
        assert_eq!(digest.entries[2].keywords, ["Protein structure", "Folding"]);
        assert!(digest.entries[0].summary.as_deref().is_some_and(|s| s.contains("Hanabi")));
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn a_shift_with_a_missing_field_is_undone() {
        let (digest, _) = realigned(vec![
            entry(
                "Hanabi benchmark",
                "cooperative card game theory-of-mind agents",
                &["Quantum annealing", "Spin glass"],
                "x",
            ),
            entry("Quantum annealing", "annealing spin glass hardware qubits", &["Protein structure", "Folding"], "y"),
            entry("Protein folding", "folding proteins structure prediction", &[], "z"),
        ]);
        let keywords: Vec<&[String]> = digest.entries.iter().map(|e| e.keywords.as_slice()).collect();
        assert!(keywords[0].is_empty(), "the first paper's own keywords are not in the digest");
        assert_eq!(keywords[1], ["Quantum annealing", "Spin glass"]);
        assert_eq!(keywords[2], ["Protein structure", "Folding"]);
    }

    #[test]
    fn well_attributed_fields_stay() {
        let (digest, diags) = realigned(vec![
            entry("Hanabi benchmark", "cooperative card game agents", &["Hanabi"], "A Hanabi card game benchmark"),
            entry("Quantum annealing", "annealing spin glass", &["Annealing"], "Quantum annealing of spin glass"),
        ]);
        assert_eq!(digest.entries[0].keywords, ["Hanabi"]);
        assert!(diags.is_empty());
    }
}
