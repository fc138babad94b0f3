//! Canonical themes (`themes.theme`, `papers.themes`) from the taxonomy data file.
//!
//! A term matches when its words occur in order, next to each other, in a text or keyword,
//! after both went through keyword normalisation (so acronyms expand) and every word was made
//! singular. A TL;DR theme scores each canonical theme as
//! `3 × terms in its label + min(terms in its description, 3) + 2 × share of the papers it names
//! whose keywords match`; the best positive score wins (ties: more label terms, then the term
//! that comes first in the label, then taxonomy order). A theme that scores nothing keeps its
//! own label. A paper gets the canonical themes its keywords match most (up to three).

use super::keywords::Normalizer;
use super::text::match_key;
use super::vocab::Vocabulary;

/// Weight of a term found in a theme's label, against 1 for its description.
const LABEL_WEIGHT: f64 = 3.0;
/// Description terms counted at most this many times per canonical theme.
const DESCRIPTION_CAP: usize = 3;
/// Weight of the share of named papers whose keywords match.
const PAPERS_WEIGHT: f64 = 2.0;
/// Canonical themes kept per paper.
const THEMES_PER_PAPER: usize = 3;

/// The taxonomy, with its terms as word sequences.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    names: Vec<String>,
    terms: Vec<Vec<Vec<String>>>,
}

/// The canonical theme chosen for a TL;DR theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeMatch {
    pub theme: String,
    pub score: f64,
}

impl Taxonomy {
    pub fn new(vocab: &Vocabulary, normalizer: &Normalizer) -> Taxonomy {
        let names = vocab.themes.iter().map(|t| t.name.clone()).collect();
        let terms = vocab
            .themes
            .iter()
            .map(|t| {
                let mut terms: Vec<Vec<String>> = t.terms.iter().map(|term| key_words(normalizer, term)).collect();
                terms.retain(|w| !w.is_empty());
                terms.sort();
                terms.dedup();
                terms
            })
            .collect();
        Taxonomy { names, terms }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many distinct terms of each canonical theme occur in the words.
    fn hits(&self, words: &[String]) -> Vec<usize> {
        self.terms.iter().map(|terms| terms.iter().filter(|t| contains(words, t)).count()).collect()
    }

    /// Hits per canonical theme in a text (label, description or keyword).
    pub fn text_hits(&self, normalizer: &Normalizer, text: &str) -> Vec<usize> {
        self.hits(&key_words(normalizer, text))
    }

    /// Hits per canonical theme in already normalised keywords.
    pub fn keyword_hits<S: AsRef<str>>(&self, norms: &[S]) -> Vec<usize> {
        let mut total = vec![0; self.names.len()];
        for norm in norms {
            let words: Vec<&str> = norm.as_ref().split(' ').collect();
            for (t, h) in self.hits(&split_key(&match_key(&words))).into_iter().enumerate() {
                total[t] += h;
            }
        }
        total
    }

    /// The canonical themes of a paper with these keyword hits per theme (`keyword_hits` of its
    /// normalised keywords): the most hit first, at most three.
    pub fn themes_of_hits(&self, hits: &[usize]) -> Vec<String> {
        let mut ranked: Vec<(usize, usize)> = hits.iter().copied().enumerate().filter(|(_, h)| *h > 0).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().take(THEMES_PER_PAPER).map(|(t, _)| self.names[t].clone()).collect()
    }

    /// The canonical theme of a TL;DR theme, from its label, description and the hits of the
    /// papers it names (one vector per paper, from `keyword_hits`).
    pub fn classify(
        &self,
        normalizer: &Normalizer,
        label: &str,
        description: Option<&str>,
        papers: &[Vec<usize>],
    ) -> Option<ThemeMatch> {
        let label_words = key_words(normalizer, label);
        let label_hits = self.hits(&label_words);
        let first =
            |t: usize| self.terms[t].iter().filter_map(|term| position(&label_words, term)).min().unwrap_or(usize::MAX);
        let desc_hits = description.map(|d| self.text_hits(normalizer, d)).unwrap_or_else(|| vec![0; self.names.len()]);
        let mut best: Option<(f64, usize, usize, usize)> = None;
        for t in 0..self.names.len() {
            let share = if papers.is_empty() {
                0.0
            } else {
                papers.iter().filter(|p| p.get(t).is_some_and(|h| *h > 0)).count() as f64 / papers.len() as f64
            };
            let score =
                LABEL_WEIGHT * label_hits[t] as f64 + desc_hits[t].min(DESCRIPTION_CAP) as f64 + PAPERS_WEIGHT * share;
            let at = first(t);
            let better = match best {
                None => score > 0.0,
                Some((s, l, p, _)) => score > s || (score == s && (label_hits[t] > l || label_hits[t] == l && at < p)),
            };
            if better {
                best = Some((score, label_hits[t], at, t));
            }
        }
        best.map(|(score, _, _, t)| ThemeMatch { theme: self.names[t].clone(), score })
    }
}

/// A text as normalised, all-singular words.
pub fn key_words(normalizer: &Normalizer, text: &str) -> Vec<String> {
    let norm = normalizer.normalize(text).norm;
    let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    split_key(&match_key(&words))
}

fn split_key(key: &str) -> Vec<String> {
    key.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Whether `needle` occurs in `words` as a contiguous run.
fn contains(words: &[String], needle: &[String]) -> bool {
    position(words, needle).is_some()
}

/// Where `needle` first occurs in `words` as a contiguous run.
fn position(words: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    words.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn setup() -> (Normalizer, Taxonomy) {
        let vocab = Vocabulary::builtin();
        let n = Normalizer::new(&vocab, HashMap::new());
        let t = Taxonomy::new(&vocab, &n);
        (n, t)
    }

    fn classify(label: &str, description: Option<&str>, keywords: &[&[&str]]) -> Option<String> {
        let (n, t) = setup();
        let papers: Vec<Vec<usize>> = keywords
            .iter()
            .map(|ks| t.keyword_hits(&ks.iter().map(|k| n.normalize(k).norm).collect::<Vec<_>>()))
            .collect();
        t.classify(&n, label, description, &papers).map(|m| m.theme)
    }

    #[test]
    fn labels_map_to_canonical_themes() {
        let cases = [
            ("Multi-Agent Collaboration & Orchestration", "Agents and multi-agent systems"),
            ("Cross-Lingual Transfer & Tokenization", "Multilingual and cross-lingual NLP"),
            ("Mixture-of-Experts Optimization", "Mixture of experts and model architecture"),
            ("RL Optimization", "Reinforcement learning and reward modelling"),
            ("Safety & Reliability", "Safety, reliability and trust"),
            ("Agentic Memory & Reasoning Systems", "Agents and multi-agent systems"),
        ];
        for (label, want) in cases {
            assert_eq!(classify(label, None, &[]).as_deref(), Some(want), "{label}");
        }
    }

    #[test]
    fn description_and_papers_decide_vague_labels() {
        let got = classify("Core Focus", Some("Papers study how LLM agents collaborate in games."), &[]);
        assert_eq!(got.as_deref(), Some("Agents and multi-agent systems"));
        let got = classify("Common Thread", None, &[&["Cross-Lingual Transfer", "Low-Resource Languages"]]);
        assert_eq!(got.as_deref(), Some("Multilingual and cross-lingual NLP"));
    }

    #[test]
    fn unmatched_themes_are_none() {
        assert_eq!(classify("Miscellany", Some("Assorted papers."), &[]), None);
    }

    #[test]
    fn papers_get_themes_from_keywords() {
        let (n, t) = setup();
        let norms: Vec<String> = ["Multilingual Routing", "Mixture-of-Experts (MoE)", "Expert Activation"]
            .iter()
            .map(|k| n.normalize(k).norm)
            .collect();
        let themes = t.themes_of_hits(&t.keyword_hits(&norms));
        assert_eq!(themes.first().map(String::as_str), Some("Mixture of experts and model architecture"));
        assert!(themes.iter().any(|x| x == "Multilingual and cross-lingual NLP"), "{themes:?}");
    }
}
