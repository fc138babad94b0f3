//! Keyword normal forms (`keywords.keyword_norm`), each with the reasons that produced it.
//!
//! Steps, in order: a parenthesised acronym is dropped in favour of its long form
//! (`Mixture-of-Experts (MoE)`); acronym-shaped words are expanded (`LLM agents`, from the
//! vocabulary or learned from the corpus, see `acronyms`); case, hyphens and spacing are folded;
//! British `-isation` becomes `-ization`; the head noun becomes singular (`models` → `model`,
//! but `mixture of experts` keeps its plural); then synonyms map to their canonical keyword, and
//! spellings that differ only by a space (`multiagent` / `multi agent`) merge into the form the
//! corpus uses most. Distinct concepts stay apart: nothing here drops words, so
//! `reinforcement learning from human feedback` never becomes `reinforcement learning`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::acronyms::{self, Learned};
use super::text::{is_acronym_shaped, singular_head, tokens};
use super::vocab::{Origin, Vocabulary};

/// Where an acronym's long form comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcronymSource {
    Vocabulary(Origin),
    Learned { evidence: String, count: u32 },
}

/// One step that changed a keyword on its way to the normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    ParenAcronym { acronym: String },
    Acronym { acronym: String, long: String, source: AcronymSource },
    Folded,
    Spelling { from: String, to: String },
    Singular { from: String, to: String },
    Synonym { from: String, to: String, origin: Origin },
    Spacing { from: String, to: String },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::ParenAcronym { acronym } => write!(f, "parenthesised acronym ({acronym}) dropped"),
            Reason::Acronym { acronym, long, source: AcronymSource::Vocabulary(origin) } => {
                write!(f, "acronym {acronym} = {long} ({origin})")
            }
            Reason::Acronym { acronym, long, source: AcronymSource::Learned { evidence, count } } => {
                write!(f, "acronym {acronym} = {long} (defined in the corpus {count}x, first at {evidence})")
            }
            Reason::Folded => f.write_str("case, hyphens and spacing folded"),
            Reason::Spelling { from, to } => write!(f, "spelling {from} -> {to}"),
            Reason::Singular { from, to } => write!(f, "plural {from} -> {to}"),
            Reason::Synonym { from, to, origin } => write!(f, "synonym {from} -> {to} ({origin})"),
            Reason::Spacing { from, to } => write!(f, "spacing variant {from} -> {to} (the corpus's usual form)"),
        }
    }
}

/// A normal form and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub norm: String,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone)]
struct Expansion {
    words: Vec<String>,
    long: String,
    source: AcronymSource,
}

/// Normalises keywords with a vocabulary and what was learned from the corpus.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    // Looked up for every word of every keyword normalised: a fast hasher.
    acronyms: foldhash::HashMap<String, Expansion>,
    synonyms: foldhash::HashMap<String, (String, Origin)>,
    spacing: foldhash::HashMap<String, String>,
}

/// Case, hyphen, spacing, spelling and plural folding only: the key that acronyms' long forms
/// and synonym entries are compared by.
pub fn base_key(raw: &str) -> String {
    let mut words: Vec<String> = tokens(raw).iter().map(|t| t.raw.to_lowercase()).collect();
    for w in &mut words {
        *w = british_to_american(w).unwrap_or_else(|| w.clone());
    }
    singular_head(&mut words);
    words.join(" ")
}

fn british_to_american(word: &str) -> Option<String> {
    word.strip_suffix("isation").map(|stem| format!("{stem}ization"))
}

impl Normalizer {
    /// A normaliser from the vocabulary (which wins) and acronyms learned from the corpus.
    pub fn new(vocab: &Vocabulary, learned: HashMap<String, (String, Learned)>) -> Normalizer {
        let mut n = Normalizer::default();
        for (acronym, (norm, details)) in learned {
            let source = AcronymSource::Learned { evidence: details.evidence, count: details.count };
            n.acronyms.insert(acronym, Expansion { words: words(&norm), long: norm, source });
        }
        for (acronym, long, origin) in &vocab.acronyms {
            let norm = base_key(long);
            let source = AcronymSource::Vocabulary(origin.clone());
            n.acronyms.insert(acronyms::key(acronym), Expansion { words: words(&norm), long: norm, source });
        }
        for (canonical, variants, origin) in &vocab.synonyms {
            let to = n.fold(canonical).norm;
            for variant in variants {
                n.synonyms.insert(n.fold(variant).norm, (to.clone(), origin.clone()));
            }
            if matches!(origin, Origin::User(_)) {
                n.synonyms.insert(to.clone(), (to.clone(), origin.clone()));
            }
        }
        n
    }

    /// Writes what decides the normal forms it gives (each acronym's expansion, each synonym and
    /// each spacing learned; not the evidence and counts behind them, which only explanations
    /// show) to `out`, a line at a time in a fixed order: two normalisers that write the same
    /// lines give every text the same normal form.
    pub fn decisions(&self, out: &mut dyn FnMut(&str)) {
        let mut lines: Vec<String> = Vec::new();
        lines.extend(self.acronyms.iter().map(|(k, e)| format!("acronym {k:?} {:?} {:?}\n", e.words, e.long)));
        lines.extend(self.synonyms.iter().map(|(k, (to, origin))| format!("synonym {k:?} {to:?} {origin:?}\n")));
        lines.extend(self.spacing.iter().map(|(k, to)| format!("spacing {k:?} {to:?}\n")));
        lines.sort_unstable();
        lines.iter().for_each(|line| out(line));
    }

    /// What `learn_spacing` compares a raw keyword by (every step but the spacing merge): a
    /// caller with many keywords may compute these on every core.
    pub fn spacing_key(&self, raw: &str) -> String {
        self.fold_and_map(raw).norm
    }

    /// Learns which spacing of a compound the corpus prefers (`multi agent` over `multiagent`),
    /// from each raw keyword's `spacing_key` and how often it occurs.
    pub fn learn_spacing(&mut self, keys: impl IntoIterator<Item = (String, usize)>) {
        let mut groups: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (key, count) in keys {
            *groups.entry(key.replace(' ', "")).or_default().entry(key).or_default() += count;
        }
        for (joined, forms) in groups.into_iter().filter(|(_, f)| f.len() > 1) {
            let best = forms
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(a.0.matches(' ').count().cmp(&b.0.matches(' ').count())))
                .map(|(k, _)| k.clone());
            if let Some(best) = best {
                self.spacing.insert(joined, best);
            }
        }
    }

    /// The normal form of a raw keyword, with its reasons. Empty when it has no words.
    pub fn normalize(&self, raw: &str) -> Normalized {
        let mut n = self.fold_and_map(raw);
        if let Some(to) = self.spacing.get(&n.norm.replace(' ', "")).filter(|to| **to != n.norm) {
            n.reasons.push(Reason::Spacing { from: n.norm.clone(), to: to.clone() });
            n.norm = to.clone();
            self.synonym(&mut n);
        }
        n
    }

    /// Every step but the spacing merge.
    fn fold_and_map(&self, raw: &str) -> Normalized {
        let mut n = self.fold(raw);
        self.synonym(&mut n);
        n
    }

    fn synonym(&self, n: &mut Normalized) {
        if let Some((to, origin)) = self.synonyms.get(&n.norm).filter(|(to, _)| *to != n.norm) {
            n.reasons.push(Reason::Synonym { from: n.norm.clone(), to: to.clone(), origin: origin.clone() });
            n.norm = to.clone();
        }
    }

    /// Acronyms, folding, spelling and the singular head.
    fn fold(&self, raw: &str) -> Normalized {
        let mut reasons = Vec::new();
        let text = self.strip_paren_acronym(raw.trim(), &mut reasons);
        let mut words = Vec::new();
        let toks = tokens(text);
        let mut cased = false;
        for token in &toks {
            match self.acronyms.get(&acronyms::key(token.raw)).filter(|_| is_acronym_shaped(token.raw)) {
                Some(e) => {
                    words.extend(e.words.iter().cloned());
                    let long = e.long.clone();
                    reasons.push(Reason::Acronym { acronym: token.raw.to_owned(), long, source: e.source.clone() });
                }
                None => {
                    cased |= token.raw.chars().any(char::is_uppercase);
                    words.push(token.raw.to_lowercase());
                }
            }
        }
        if cased || toks.iter().map(|t| t.raw).collect::<Vec<_>>().join(" ") != text {
            reasons.push(Reason::Folded);
        }
        for w in &mut words {
            if let Some(to) = british_to_american(w) {
                reasons.push(Reason::Spelling { from: w.clone(), to: to.clone() });
                *w = to;
            }
        }
        let before = words.clone();
        if singular_head(&mut words) {
            let (from, to) = before
                .iter()
                .zip(&words)
                .find(|(a, b)| a != b)
                .map(|(a, b)| (a.clone(), b.clone()))
                .unwrap_or_default();
            reasons.push(Reason::Singular { from, to });
        }
        Normalized { norm: words.join(" "), reasons }
    }

    /// `Mixture-of-Experts (MoE)` → `Mixture-of-Experts`; `RL (Reinforcement Learning)` →
    /// `Reinforcement Learning`. Other parentheses stay.
    fn strip_paren_acronym<'a>(&self, raw: &'a str, reasons: &mut Vec<Reason>) -> &'a str {
        let Some(inner) = raw.strip_suffix(')').and_then(|r| r.rfind('(').map(|i| (i, &r[i + 1..]))) else {
            return raw;
        };
        let (open, inner) = inner;
        let before = raw[..open].trim();
        if before.is_empty() {
            return raw;
        }
        if is_acronym_shaped(inner.trim()) {
            reasons.push(Reason::ParenAcronym { acronym: inner.trim().to_owned() });
            return before;
        }
        if is_acronym_shaped(before) {
            reasons.push(Reason::ParenAcronym { acronym: before.to_owned() });
            return &raw[open + 1..raw.len() - 1];
        }
        raw
    }
}

fn words(norm: &str) -> Vec<String> {
    norm.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalizer() -> Normalizer {
        let mut learner = acronyms::Learner::default();
        learner.add("We study Verifier-Guided Tree Search (VGTS).", || "a.md:3".to_owned(), base_key);
        let mut n = Normalizer::new(&Vocabulary::builtin(), learner.finish());
        let keys = [("Multi-Agent Systems", 5), ("multiagent systems", 1)].map(|(raw, c)| (n.spacing_key(raw), c));
        n.learn_spacing(keys);
        n
    }

    /// Every line `decisions` writes, joined.
    fn decided(n: &Normalizer) -> String {
        let mut out = String::new();
        n.decisions(&mut |line| out.push_str(line));
        out
    }

    #[test]
    fn the_decisions_of_a_normaliser_are_what_normalises_and_not_the_evidence_behind_them() {
        let learned = |long: &str, count, evidence: &str| {
            let details = acronyms::Learned { long: long.to_owned(), count, evidence: evidence.to_owned() };
            HashMap::from([("vgts".to_owned(), (base_key(long), details))])
        };
        let vocab = Vocabulary::builtin();
        let first = Normalizer::new(&vocab, learned("Verifier-Guided Tree Search", 1, "a.md:3"));
        // Learned again from more texts: more definitions, seen first elsewhere.
        let again = Normalizer::new(&vocab, learned("Verifier-Guided Tree Search", 7, "b.md:9"));
        assert_eq!(first.normalize("VGTS").norm, again.normalize("VGTS").norm);
        assert_eq!(decided(&first), decided(&again));
        assert!(decided(&first).contains("verifier guided tree search"), "{}", decided(&first));
        // Another long form wins: another decision.
        let other = Normalizer::new(&vocab, learned("Value-Guided Tree Search", 7, "b.md:9"));
        assert_ne!(first.normalize("VGTS").norm, other.normalize("VGTS").norm);
        assert_ne!(decided(&first), decided(&other));
        // A spacing learned is a decision too.
        let mut spaced = first.clone();
        spaced.learn_spacing([("multi agent", 5), ("multiagent", 1)].map(|(k, n)| (k.to_owned(), n)));
        assert_ne!(decided(&first), decided(&spaced));
    }

    fn norm(raw: &str) -> String {
        normalizer().normalize(raw).norm
    }

    #[test]
    fn variants_merge() {
        for raw in ["Large Language Models", "LLMs", "large-language model", "LLM", "large language model"] {
            assert_eq!(norm(raw), "large language model", "{raw}");
        }
        for raw in ["Mixture-of-Experts (MoE)", "MoE", "mixture of experts", "Mixture of Experts"] {
            assert_eq!(norm(raw), "mixture of experts", "{raw}");
        }
        for raw in ["Reinforcement Learning", "RL", "reinforcement-learning"] {
            assert_eq!(norm(raw), "reinforcement learning", "{raw}");
        }
        assert_eq!(norm("multiagent systems"), "multi agent system");
        assert_eq!(norm("LLM Agents"), "large language model agent");
        assert_eq!(norm("VGTS methods"), "verifier guided tree search method", "learned from the corpus");
        assert_eq!(norm("Loss Regularisation"), "loss regularization");
    }

    #[test]
    fn distinct_concepts_stay_apart() {
        let pairs = [
            ("reinforcement learning", "reinforcement learning from human feedback"),
            ("RL", "RLHF"),
            ("language models", "large language models"),
            ("multi-agent reinforcement learning", "reinforcement learning"),
            ("chain of thought", "chain of thought faithfulness"),
        ];
        for (a, b) in pairs {
            assert_ne!(norm(a), norm(b), "{a} vs {b}");
        }
    }

    #[test]
    fn every_merge_says_why() {
        let n = normalizer();
        let moe = n.normalize("Mixture-of-Experts (MoE)");
        assert_eq!(moe.reasons, [Reason::ParenAcronym { acronym: "MoE".into() }, Reason::Folded]);
        let llms = n.normalize("LLMs");
        assert_eq!(llms.reasons.len(), 1);
        assert_eq!(llms.reasons[0].to_string(), "acronym LLMs = large language model (built-in)");
        let learned = n.normalize("VGTS").reasons[0].to_string();
        assert_eq!(learned, "acronym VGTS = verifier guided tree search (defined in the corpus 1x, first at a.md:3)");
        let plural = n.normalize("web agents").reasons;
        assert_eq!(plural, [Reason::Singular { from: "agents".into(), to: "agent".into() }]);
        let spaced = n.normalize("multiagent systems").reasons.last().map(ToString::to_string);
        assert_eq!(
            spaced.as_deref(),
            Some("synonym multiagent system -> multi agent system (built-in)"),
            "the built-in synonym applies before the corpus spacing vote"
        );
    }

    #[test]
    fn user_synonyms_win_and_can_undo_a_merge() {
        let text = "synonyms:\n  test time compute scaling: []\n  reasoning: [thinking]\n";
        let user = super::super::vocab::UserFile { name: "mine.yaml".into(), text: text.into() };
        let vocab = Vocabulary::with_user(Some(user), None).expect("valid");
        let n = Normalizer::new(&vocab, HashMap::new());
        assert_eq!(n.normalize("test-time compute scaling").norm, "test time compute scaling");
        assert_eq!(n.normalize("Thinking").norm, "reasoning");
    }

    #[test]
    fn empty_and_odd_keywords() {
        assert_eq!(norm("  "), "");
        assert_eq!(norm("SFT+RLVR"), "supervised fine tuning reinforcement learning with verifiable rewards");
        assert_eq!(norm("Learning (general)"), "learning general");
    }
}
