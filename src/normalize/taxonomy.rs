//! Canonical themes (`themes.theme`, `papers.themes`) from the taxonomy data file.
//!
//! A term matches when its words occur in order, next to each other, in a text or keyword,
//! after both went through keyword normalisation (so acronyms expand) and every word was made
//! singular. Generic single words (`GENERIC`: "routing", "model", …) are never terms.
//!
//! A TL;DR theme is mapped to a canonical theme only on evidence:
//! - an explicit synonym: its label is the theme's name or one of its terms (`Speculative
//!   Decoding`, `Reasoning`), or the theme's distinctive terms cover every word of the label but
//!   connectives, generic words and "large language model" (`LLM Agents`, `Model Compression`),
//!   or
//! - at least 2 points, where each *distinctive* term of the theme (a term of no other theme)
//!   found in the label or description gives 1 point, or 2 when it has several words (`mixture of
//!   experts`, `reinforcement learning`: a phrase is specific); and the papers it names give 1
//!   point when at least half of them carry the theme in their keywords, 2 when all of two or
//!   more do.
//!
//! Among the themes with evidence, the best score wins: `3 × terms in its label + min(terms in
//! its description, 3) + 2 × share of the papers it names whose keywords match` (ties: more label
//! terms, then the term that comes first in the label, then taxonomy order). A theme without
//! evidence stays unmatched, keeps its own label, and `theme_reason` says why; `themes
//! --emerging` groups such labels. A paper gets the canonical themes its keywords match most (up
//! to three).

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

/// A paper's themes as `Taxonomy::top_themes` gives them: at most `THEMES_PER_PAPER` places in
/// `Taxonomy::names`, the most hit first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TopThemes {
    places: [u32; THEMES_PER_PAPER],
    len: usize,
}

impl TopThemes {
    /// The places, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.places[..self.len].iter().copied()
    }
}

/// Single words too vague to signal a theme on their own: never taxonomy terms.
pub const GENERIC: [&str; 14] = [
    "routing",
    "router",
    "model",
    "learning",
    "data",
    "system",
    "network",
    "method",
    "framework",
    "task",
    "performance",
    "analysis",
    "approach",
    "application",
];
/// Points of evidence a TL;DR theme needs for a canonical theme (see the module comment).
const EVIDENCE: usize = 2;

/// The taxonomy, with its terms as word sequences.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    names: Vec<String>,
    terms: Vec<Vec<Vec<String>>>,
    /// Per theme, per term: whether no other theme has it.
    distinctive: Vec<Vec<bool>>,
    /// Each theme's name as words.
    name_words: Vec<Vec<String>>,
}

/// What classifying a TL;DR theme found: the canonical theme (if any) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub matched: Option<ThemeMatch>,
    pub reason: String,
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
                terms.retain(|w| !(w.is_empty() || w.len() == 1 && GENERIC.contains(&w[0].as_str())));
                terms.sort();
                terms.dedup();
                terms
            })
            .collect::<Vec<Vec<Vec<String>>>>();
        let distinctive = terms
            .iter()
            .enumerate()
            .map(|(i, own)| {
                own.iter()
                    .map(|term| terms.iter().enumerate().all(|(j, other)| j == i || !other.contains(term)))
                    .collect()
            })
            .collect();
        let name_words = vocab.themes.iter().map(|t| key_words(normalizer, &t.name)).collect();
        Taxonomy { names, terms, distinctive, name_words }
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
        self.top_themes(hits).iter().map(|t| self.names[t as usize].clone()).collect()
    }

    /// The places (in `names`) of the themes `themes_of_hits` names, in its order, without a text
    /// per paper (a million papers have a few dozen distinct lists).
    pub fn top_themes(&self, hits: &[usize]) -> TopThemes {
        // The most hits first, ties by place: the first `THEMES_PER_PAPER` of a stable ranking.
        let mut ranked = [(0u32, 0usize); THEMES_PER_PAPER];
        let mut len = 0;
        for (t, &h) in hits.iter().enumerate().filter(|(_, h)| **h > 0) {
            let at = ranked[..len].iter().position(|&(_, other)| h > other).unwrap_or(len);
            if at < THEMES_PER_PAPER {
                ranked.copy_within(at..THEMES_PER_PAPER - 1, at + 1);
                ranked[at] = (u32::try_from(t).unwrap_or(u32::MAX), h);
                len = (len + 1).min(THEMES_PER_PAPER);
            }
        }
        TopThemes { places: ranked.map(|(t, _)| t), len }
    }

    /// The canonical theme of a TL;DR theme, from its label, description and the hits of the
    /// papers it names (one vector per paper, from `keyword_hits`), or why it has none.
    pub fn classify(
        &self,
        normalizer: &Normalizer,
        label: &str,
        description: Option<&str>,
        papers: &[Vec<usize>],
    ) -> Classified {
        let label = self.prepare(normalizer, label);
        let description = description.map(|d| self.prepare(normalizer, d));
        let papers: Vec<&[usize]> = papers.iter().map(Vec::as_slice).collect();
        self.classify_prepared(&label, description.as_ref(), &papers)
    }

    /// A label or description normalised and matched against the themes' terms, once for every
    /// theme row that has the same text (`classify_prepared`).
    pub fn prepare(&self, normalizer: &Normalizer, text: &str) -> Prepared {
        let words = key_words(normalizer, text);
        // The hits of `hits`, and which of the terms found are distinctive (what `evidence` in
        // `classify_prepared` asks of every theme row that has this text).
        let mut hits = vec![0; self.names.len()];
        let mut found = Vec::new();
        for (t, (terms, distinctive)) in self.terms.iter().zip(&self.distinctive).enumerate() {
            for (j, (term, own)) in terms.iter().zip(distinctive).enumerate() {
                if contains(&words, term) {
                    hits[t] += 1;
                    if *own {
                        found.push((u32::try_from(t).unwrap_or(u32::MAX), u32::try_from(j).unwrap_or(u32::MAX)));
                    }
                }
            }
        }
        Prepared { words, hits, found }
    }

    /// `classify` of a label and description already prepared.
    pub fn classify_prepared(
        &self,
        label: &Prepared,
        description: Option<&Prepared>,
        papers: &[&[usize]],
    ) -> Classified {
        // No description: no words, so no term is found (terms are never empty). Built without
        // looking at every term for every theme row that has no description.
        let none;
        let description = match description {
            Some(d) => d,
            None => {
                none = Prepared { words: Vec::new(), hits: vec![0; self.names.len()], found: Vec::new() };
                &none
            }
        };
        let (label_words, label_hits) = (&label.words, &label.hits);
        let desc_hits = &description.hits;
        let first =
            |t: usize| self.terms[t].iter().filter_map(|term| position(label_words, term)).min().unwrap_or(usize::MAX);
        let share = |t: usize| {
            if papers.is_empty() {
                0.0
            } else {
                papers.iter().filter(|p| p.get(t).is_some_and(|h| *h > 0)).count() as f64 / papers.len() as f64
            }
        };
        // (points, distinctive terms found, synonym)
        let evidence = |t: usize| {
            let synonym = !label_words.is_empty()
                && (*label_words == self.name_words[t]
                    || self.terms[t].contains(label_words)
                    || self.covers(t, label_words));
            // The distinctive terms of the theme found in the label or the description, in the
            // theme's order (as `prepare` found them).
            let mut places: Vec<u32> = label.found_in(t).chain(description.found_in(t)).collect();
            places.sort_unstable();
            places.dedup();
            let found: Vec<&Vec<String>> = places.iter().filter_map(|&j| self.terms[t].get(j as usize)).collect();
            let mut points: usize = found.iter().map(|term| if term.len() > 1 { 2 } else { 1 }).sum();
            let s = share(t);
            points += if s >= 1.0 && papers.len() >= 2 { 2 } else { usize::from(s >= 0.5) };
            (points, found, synonym)
        };
        let mut best: Option<(f64, usize, usize, usize)> = None;
        let mut closest: Option<(usize, usize)> = None;
        for t in 0..self.names.len() {
            let score = LABEL_WEIGHT * label_hits[t] as f64
                + desc_hits[t].min(DESCRIPTION_CAP) as f64
                + PAPERS_WEIGHT * share(t);
            if score <= 0.0 {
                continue;
            }
            let (points, _, synonym) = evidence(t);
            if !synonym && points < EVIDENCE {
                if closest.is_none_or(|(_, p)| points > p) {
                    closest = Some((t, points));
                }
                continue;
            }
            let at = first(t);
            let better = match best {
                None => true,
                Some((s, l, p, _)) => score > s || (score == s && (label_hits[t] > l || label_hits[t] == l && at < p)),
            };
            if better {
                best = Some((score, label_hits[t], at, t));
            }
        }
        let words = |terms: &[&Vec<String>]| terms.iter().map(|t| t.join(" ")).collect::<Vec<_>>().join(", ");
        match best {
            Some((score, _, _, t)) => {
                let (points, found, synonym) = evidence(t);
                let reason = if synonym {
                    "its label is a name or term of the theme".to_owned()
                } else if found.is_empty() {
                    format!("the papers it names ({points} points)")
                } else {
                    format!("{points} points: {}", words(&found))
                };
                Classified { matched: Some(ThemeMatch { theme: self.names[t].clone(), score }), reason }
            }
            None => {
                let reason = match closest {
                    Some((t, points)) => {
                        let (_, found, _) = evidence(t);
                        let shared =
                            if found.is_empty() { "only generic or shared words".to_owned() } else { words(&found) };
                        format!(
                            "unmatched: closest is {:?} with {points} of {EVIDENCE} points ({shared})",
                            self.names[t]
                        )
                    }
                    None => "unmatched: no term of any canonical theme".to_owned(),
                };
                Classified { matched: None, reason }
            }
        }
    }
}

impl Taxonomy {
    /// Whether the distinctive terms of theme `t` found in the label cover every content word of
    /// it (`LLM Agents`: "agent"; `Model Compression`: "compression"): the label says nothing but
    /// the theme. Words of `LABEL_FILLER` and `GENERIC` are not content.
    fn covers(&self, t: usize, label: &[String]) -> bool {
        let mut covered = vec![false; label.len()];
        let mut any = false;
        for (term, own) in self.terms[t].iter().zip(&self.distinctive[t]) {
            if !own || term.is_empty() || term.len() > label.len() {
                continue;
            }
            for start in 0..=label.len() - term.len() {
                if label[start..start + term.len()] == term[..] {
                    any = true;
                    covered[start..start + term.len()].iter_mut().for_each(|c| *c = true);
                }
            }
        }
        any && label
            .iter()
            .zip(&covered)
            .all(|(w, c)| *c || LABEL_FILLER.contains(&w.as_str()) || GENERIC.contains(&w.as_str()))
    }
}

/// Words of a TL;DR label that name no subject: connectives, and the words of "large language
/// model" (what every theme of these digests is about).
const LABEL_FILLER: [&str; 16] =
    ["and", "or", "of", "for", "in", "on", "the", "a", "an", "with", "to", "via", "as", "large", "language", "model"];

/// A text as normalised, all-singular words.
/// A text's key words and its hits per canonical theme (`Taxonomy::prepare`).
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    words: Vec<String>,
    hits: Vec<usize>,
    /// The distinctive terms found, as (theme, place among its terms), in that order.
    found: Vec<(u32, u32)>,
}

impl Prepared {
    /// The places of theme `t`'s distinctive terms found in the text.
    fn found_in(&self, t: usize) -> impl Iterator<Item = u32> + '_ {
        let from = self.found.partition_point(|&(x, _)| (x as usize) < t);
        self.found[from..].iter().take_while(move |&&(x, _)| x as usize == t).map(|&(_, j)| j)
    }
}

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
        t.classify(&n, label, description, &papers).matched.map(|m| m.theme)
    }

    #[test]
    fn a_prepared_text_lists_the_distinctive_terms_it_contains() {
        let (n, t) = setup();
        let text = "Multi-agent collaboration, speculative decoding and RLHF for reasoning and safety";
        let p = t.prepare(&n, text);
        let mut any = false;
        for theme in 0..t.names().len() {
            let want: Vec<u32> = t.terms[theme]
                .iter()
                .zip(&t.distinctive[theme])
                .enumerate()
                .filter(|(_, (term, own))| **own && contains(&p.words, term))
                .map(|(j, _)| j as u32)
                .collect();
            any |= !want.is_empty();
            assert_eq!(p.found_in(theme).collect::<Vec<_>>(), want, "{}", t.names()[theme]);
        }
        assert!(any, "the text has distinctive terms");
    }

    #[test]
    fn labels_map_to_canonical_themes() {
        let cases = [
            ("Multi-Agent Collaboration & Orchestration", "Agents and multi-agent systems"),
            ("Cross-Lingual Transfer & Tokenization", "Multilingual and cross-lingual NLP"),
            ("Mixture-of-Experts Optimization", "Mixture of experts and model architecture"),
            ("RL Optimization", "Reinforcement learning and reward modelling"),
            ("Safety & Reliability", "Safety, reliability and trust"),
            ("Speculative Decoding", "Efficient training and inference"),
            ("Reasoning", "Reasoning"),
            ("LLM Agents", "Agents and multi-agent systems"),
            ("Model Compression", "Efficient training and inference"),
            ("LLM-as-a-Judge", "Evaluation and benchmarks"),
            ("Reward Modeling", "Reinforcement learning and reward modelling"),
            ("Reasoning & Test-Time Compute", "Reasoning"),
        ];
        for (label, want) in cases {
            assert_eq!(classify(label, None, &[]).as_deref(), Some(want), "{label}");
        }
    }

    #[test]
    fn description_and_papers_decide_vague_labels() {
        let got = classify("Core Focus", Some("Papers study how LLM agents collaborate in games."), &[]);
        assert_eq!(got.as_deref(), Some("Agents and multi-agent systems"));
        let both: &[&[&str]] = &[&["Cross-Lingual Transfer", "Low-Resource Languages"], &["Multilingual Routing"]];
        let got = classify("Common Thread", None, both);
        assert_eq!(got.as_deref(), Some("Multilingual and cross-lingual NLP"), "all of its two papers");
        let one: &[&[&str]] = &[&["Cross-Lingual Transfer", "Low-Resource Languages"]];
        assert_eq!(classify("Common Thread", None, one), None, "one paper is one point, not two");
    }

    #[test]
    fn one_shared_or_generic_word_is_not_evidence() {
        let (n, t) = setup();
        let quantum = t.classify(&n, "Quantum widget routing", Some("Routing qubits between widgets."), &[]);
        assert_eq!(quantum.matched, None, "{quantum:?}");
        assert!(quantum.reason.starts_with("unmatched"), "{quantum:?}");
        let mixed = t.classify(&n, "Agentic Memory & Reasoning Systems", None, &[]);
        assert_eq!(mixed.matched, None, "one point each for three themes: {mixed:?}");
        assert!(mixed.reason.contains("closest is"), "{mixed:?}");
        let moe = t.classify(&n, "Sparse expert routing", Some("Mixture-of-experts models route tokens."), &[]);
        assert_eq!(moe.matched.map(|m| m.theme).as_deref(), Some("Mixture of experts and model architecture"));
    }

    #[test]
    fn no_description_classifies_as_an_empty_one() {
        let (n, t) = setup();
        assert!(t.hits(&[]).iter().all(|h| *h == 0), "an empty text hits no theme");
        let empty = t.prepare(&n, "");
        let papers: &[&[usize]] = &[&[]];
        for label in ["LLM Agents", "Common Thread", "Agentic Memory & Reasoning Systems", "Miscellany", ""] {
            let label = t.prepare(&n, label);
            for named in [&[][..], papers] {
                assert_eq!(t.classify_prepared(&label, None, named), t.classify_prepared(&label, Some(&empty), named));
            }
        }
    }

    #[test]
    fn top_themes_are_the_most_hit_ties_by_place() {
        let (_, t) = setup();
        let n = t.names().len();
        // Every hit count from a fixed sequence, many ties and zeros among them.
        let mut state = 7u64;
        for round in 0..500 {
            let hits: Vec<usize> = (0..n)
                .map(|_| {
                    state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    ((state >> 33) % (round % 5 + 2)) as usize
                })
                .collect();
            let mut ranked: Vec<(usize, usize)> = hits.iter().copied().enumerate().filter(|(_, h)| *h > 0).collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let want: Vec<u32> = ranked.iter().take(THEMES_PER_PAPER).map(|&(i, _)| i as u32).collect();
            assert_eq!(t.top_themes(&hits).iter().collect::<Vec<u32>>(), want, "{hits:?}");
        }
        assert_eq!(t.top_themes(&vec![0; n]).iter().count(), 0);
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
