//! Keywords for entries that have none (hf-daily listings, entries without a Keywords line):
//! the corpus's own keyword vocabulary matched against title and abstract. Stored with
//! `origin = extracted`.
//!
//! Parameters: the vocabulary is every normal form that digests gave to at least
//! `MIN_SUPPORT` distinct papers, under its normal form and each raw spelling, compared with
//! every word singular; single words need four letters or more. Matching is greedy longest
//! first, left to right, so `large language model agents` yields one keyword, not three; an
//! acronym in the text (`LLMs`) matches through its expansion. At most `MAX_PER_ENTRY` keywords
//! are kept per entry: title matches first, then the more frequent in the text.

use std::borrow::Cow;
use std::collections::BTreeMap;

// Fast non-cryptographic hashing: the vocabulary is built from millions of keyword rows, and
// every word of every scanned text is looked up.
use foldhash::{HashMap, HashMapExt, HashSet};

use super::acronyms;
use super::keywords::Normalizer;
use super::text::{is_acronym_shaped, match_key, singular_cow, tokens};

/// Distinct papers a normal form needs before it is matched in text.
pub const MIN_SUPPORT: usize = 2;
/// Keywords kept per entry.
pub const MAX_PER_ENTRY: usize = 8;

/// The vocabulary, ready to match.
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    phrases: HashMap<String, String>,
    longest: usize,
    /// The most words of a phrase that starts with each word: a word that starts none is passed
    /// over with one lookup.
    starts: HashMap<String, usize>,
}

/// A keyword found in text: as written there, and its normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub text: String,
    pub norm: String,
}

impl Extractor {
    /// Builds the vocabulary from `(raw keyword, normal form, paper)` triples of digest keywords.
    pub fn new<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Extractor {
        // Per normal form, its first `MIN_SUPPORT` distinct papers: whether it has that many is
        // all that is asked (a set of every paper was most of the cost, with tens of thousands
        // of papers for a common keyword).
        let mut support: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut spellings: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (raw, norm, paper) in rows {
            if !norm.is_empty() {
                let papers = support.entry(norm).or_default();
                if papers.len() < MIN_SUPPORT && !papers.contains(&paper) {
                    papers.push(paper);
                }
                spellings.entry(norm).or_default().insert(raw);
            }
        }
        let mut phrases = HashMap::new();
        let mut longest = 0;
        let mut norms: Vec<&str> = support.iter().filter(|(_, p)| p.len() >= MIN_SUPPORT).map(|(n, _)| *n).collect();
        norms.sort_unstable();
        for norm in norms {
            let mut forms = vec![norm];
            forms.extend(spellings.get(norm).into_iter().flatten().copied());
            for form in forms {
                let words: Vec<&str> = tokens(form).iter().map(|t| t.raw).collect();
                let single_short = words.len() == 1 && words[0].chars().count() < 4;
                if words.is_empty() || single_short || words.iter().any(|w| is_acronym_shaped(w)) {
                    continue;
                }
                longest = longest.max(words.len());
                phrases.entry(match_key(&words)).or_insert_with(|| norm.to_owned());
            }
        }
        let mut starts: HashMap<String, usize> = HashMap::new();
        for key in phrases.keys() {
            let mut words = key.split(' ');
            let first = words.next().unwrap_or_default();
            let n = 1 + words.count();
            let most = starts.entry(first.to_owned()).or_default();
            *most = (*most).max(n);
        }
        Extractor { phrases, longest, starts }
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Writes the vocabulary (each phrase's match key and normal form, and the most words of a
    /// phrase) to `out`, a line at a time in a fixed order: two extractors that write the same
    /// lines find the same keywords in every text with the same normaliser.
    pub fn decisions(&self, out: &mut dyn FnMut(&str)) {
        let mut lines: Vec<String> = self.phrases.iter().map(|(k, norm)| format!("phrase {k:?} {norm:?}\n")).collect();
        lines.sort_unstable();
        lines.push(format!("longest {}\n", self.longest));
        lines.iter().for_each(|line| out(line));
    }

    /// The keywords of an entry found in its title and abstract.
    pub fn extract(&self, normalizer: &Normalizer, title: &str, abstract_text: &str) -> Vec<Found> {
        self.extract_with(&mut Scratch::default(), normalizer, title, abstract_text)
    }

    /// `extract`, reusing `scratch` (its buffers, and the expansions of the acronyms it met)
    /// from the entry before: the scratch of one normaliser only.
    pub fn extract_with(
        &self,
        scratch: &mut Scratch,
        normalizer: &Normalizer,
        title: &str,
        abstract_text: &str,
    ) -> Vec<Found> {
        let mut ranked: BTreeMap<String, (bool, usize, usize, String)> = BTreeMap::new();
        for (in_title, text) in [(true, title), (false, abstract_text)] {
            for (order, found) in self.scan(scratch, normalizer, text).into_iter().enumerate() {
                let slot = ranked.entry(found.norm).or_insert((in_title, 0, order, found.text));
                slot.1 += 1;
            }
        }
        let mut list: Vec<(String, (bool, usize, usize, String))> = ranked.into_iter().collect();
        list.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(b.1.1.cmp(&a.1.1)).then(a.1.2.cmp(&b.1.2)));
        list.into_iter().take(MAX_PER_ENTRY).map(|(norm, (_, _, _, text))| Found { text, norm }).collect()
    }

    /// Every vocabulary match in one text, left to right. The text's words (singular, lower
    /// case, acronyms expanded) are written into one line, a space between each two, so that the
    /// key of any run of words is a slice of it.
    fn scan(&self, scratch: &mut Scratch, normalizer: &Normalizer, text: &str) -> Vec<Found> {
        let toks = tokens(text);
        let Scratch { line, words, expansions } = scratch;
        line.clear();
        words.clear();
        for (i, t) in toks.iter().enumerate() {
            let expansion = if is_acronym_shaped(t.raw) {
                expansions
                    .entry(t.raw.to_owned())
                    .or_insert_with(|| Some(normalizer.normalize(t.raw).norm).filter(|e| *e != acronyms::key(t.raw)))
                    .as_deref()
            } else {
                None
            };
            match expansion {
                Some(e) => {
                    let n = e.split(' ').count();
                    for (j, w) in e.split(' ').enumerate() {
                        let start = push_word(line, words.is_empty(), |line| line.push_str(w));
                        words.push(Word { start, end: line.len(), token: i, first: j == 0, last: j + 1 == n });
                    }
                }
                None => {
                    let start = push_word(line, words.is_empty(), |line| {
                        if t.raw.is_ascii() {
                            line.extend(t.raw.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                        } else {
                            line.push_str(&t.raw.to_lowercase());
                        }
                    });
                    words.push(Word { start, end: line.len(), token: i, first: true, last: true });
                }
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let Some(&most) = self.starts.get(&line[words[i].start..words[i].end]) else {
                i += 1;
                continue;
            };
            let found = (1..=most.min(self.longest).min(words.len() - i)).rev().find_map(|n| {
                let (first, last) = (&words[i], &words[i + n - 1]);
                if !first.first || !last.last {
                    return None;
                }
                self.phrases.get(&line[first.start..last.end]).map(|norm| (n, norm))
            });
            match found {
                Some((n, norm)) => {
                    let (a, b) = (&toks[words[i].token], &toks[words[i + n - 1].token]);
                    let span = &text[a.start..b.start + b.raw.len()];
                    out.push(Found { text: span.split_whitespace().collect::<Vec<_>>().join(" "), norm: norm.clone() });
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// Buffers reused from one scan to the next, and the expansions of the acronym-shaped words met
/// (`None`: the word is not expanded).
#[derive(Debug, Default)]
pub struct Scratch {
    line: String,
    words: Vec<Word>,
    expansions: HashMap<String, Option<String>>,
}

/// A word of the scanned line: where it is in the line, the token it comes from, and whether it
/// is the first and the last word of that token (an acronym expands to several words).
#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    token: usize,
    first: bool,
    last: bool,
}

/// Appends a word to the line (after a space unless it is the `first`), written by `write` and
/// made singular in place; returns where it starts.
fn push_word(line: &mut String, first: bool, write: impl FnOnce(&mut String)) -> usize {
    if !first {
        line.push(' ');
    }
    let start = line.len();
    write(line);
    match singular_cow(&line[start..]) {
        Cow::Borrowed(s) => {
            let keep = s.len();
            // A prefix of the word (a suffix dropped), or an exception's own text.
            if line[start..].starts_with(s) {
                line.truncate(start + keep);
            } else {
                let s = s.to_owned();
                line.truncate(start);
                line.push_str(&s);
            }
        }
        Cow::Owned(s) => {
            line.truncate(start);
            line.push_str(&s);
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decisions_of_an_extractor_are_its_vocabulary_whatever_the_order_it_was_built_in() {
        let rows = [
            ("Tree Search", "tree search", "p1"),
            ("tree-search", "tree search", "p2"),
            ("Reward Models", "reward model", "p1"),
            ("reward model", "reward model", "p3"),
            ("once only", "once only", "p1"),
        ];
        let decided = |e: &Extractor| {
            let mut out = String::new();
            e.decisions(&mut |line| out.push_str(line));
            out
        };
        let forward = Extractor::new(rows);
        let backward = Extractor::new(rows.iter().rev().copied());
        assert_eq!(decided(&forward), decided(&backward));
        assert!(decided(&forward).contains("tree search") && !decided(&forward).contains("once only"));
        // A normal form given to a second paper joins the vocabulary: another decision.
        let more = Extractor::new(rows.iter().copied().chain([("once only", "once only", "p2")]));
        assert_ne!(decided(&forward), decided(&more));
    }
    use crate::normalize::Vocabulary;

    fn extractor(n: &Normalizer) -> Extractor {
        let raws = [
            ("Large Language Models", "p1"),
            ("LLMs", "p2"),
            ("Reinforcement Learning", "p1"),
            ("reinforcement learning", "p3"),
            ("Theory of Mind", "p1"),
            ("theory of mind", "p2"),
            ("Hanabi", "p4"),
            ("RL", "p5"),
        ];
        let norms: Vec<(String, &str, &str)> = raws.iter().map(|(r, p)| (n.normalize(r).norm, *r, *p)).collect();
        Extractor::new(norms.iter().map(|(norm, raw, p)| (*raw, norm.as_str(), *p)))
    }

    #[test]
    fn finds_vocabulary_in_title_and_abstract() {
        let n = Normalizer::new(&Vocabulary::builtin(), Default::default());
        let e = extractor(&n);
        let found = e.extract(
            &n,
            "Theory-of-Mind in LLMs",
            "We fine-tune large language models with reinforcement learning. RL helps. Hanabi is hard.",
        );
        let norms: Vec<&str> = found.iter().map(|f| f.norm.as_str()).collect();
        assert_eq!(norms, ["large language model", "theory of mind", "reinforcement learning"]);
        assert_eq!(found[1].text, "Theory-of-Mind");
        assert_eq!(found[0].text, "LLMs", "the acronym in the title is what was written");
    }

    #[test]
    fn a_scratch_reused_across_entries_finds_what_a_fresh_one_finds() {
        let n = Normalizer::new(&Vocabulary::builtin(), Default::default());
        let e = extractor(&n);
        let texts = [
            ("Theory-of-Mind in LLMs", "We fine-tune large language models with reinforcement learning."),
            ("Hanabi", "RL helps. Theories of minds, Reinforcement-Learning and LLMs again."),
            ("", ""),
            ("Über LLMs", "ÉTUDE of Reinforcement Learning in Hanabi; large language model agents"),
        ];
        let mut scratch = Scratch::default();
        for (title, text) in texts.iter().chain(texts.iter().rev()) {
            assert_eq!(e.extract_with(&mut scratch, &n, title, text), e.extract(&n, title, text), "{title}");
        }
    }

    #[test]
    fn a_keyword_is_vocabulary_when_two_papers_give_it_however_often_one_does() {
        let n = Normalizer::new(&Vocabulary::builtin(), Default::default());
        let rows = |papers: &[&str]| {
            let norm = n.normalize("Hanabi").norm;
            let e = Extractor::new(papers.iter().map(|p| ("Hanabi", norm.as_str(), *p)).collect::<Vec<_>>());
            !e.extract(&n, "Playing Hanabi", "").is_empty()
        };
        assert!(!rows(&["p1"; 50]), "one paper, listed fifty times");
        assert!(rows(&["p1", "p1", "p1", "p2"]), "a second paper after repeats of the first");
        assert!(rows(&["p1", "p2", "p3", "p1"]));
    }

    #[test]
    fn nothing_found_in_unrelated_text() {
        let n = Normalizer::new(&Vocabulary::builtin(), Default::default());
        assert!(extractor(&n).extract(&n, "Protein folding", "We fold proteins.").is_empty());
    }
}
