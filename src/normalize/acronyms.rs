//! Acronyms learned from the corpus itself, wherever the text defines one: "Reinforcement
//! Learning (RL)", "Mixture-of-Experts (MoE)", "Large Language Models (LLMs)".
//!
//! Method: Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
//! definitions in biomedical text", PSB 2003. For a short form in parentheses, the long form is
//! the shortest run of the preceding words (at most min(|SF| + 5, 2·|SF|) words, within the
//! sentence) in which every letter and digit of the short form occurs in order, matched from the
//! right, the first one at the start of a word. Parameters here: short forms are 2-10 characters
//! with at least two capitals (so "(see below)" is never one); a plural short form ("LLMs") is
//! stored under its singular. When several long forms are found for one acronym, the most
//! frequent wins (ties: alphabetical), and each learned acronym keeps the place it was first
//! seen for `keywords --explain`.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::text::{is_acronym_shaped, tokens};

/// One definition found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition<'a> {
    pub short: &'a str,
    pub long: &'a str,
}

/// Finds every `long form (SF)` definition in a text.
pub fn definitions(text: &str) -> Vec<Definition<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| from + i) {
        from = open + 1;
        let Some(close) = text[open..].find(')').map(|i| open + i).filter(|&c| c - open <= 12) else { continue };
        let short = text[open + 1..close].trim();
        if !is_acronym_shaped(short) {
            continue;
        }
        let before = sentence_before(&text[..open]);
        if let Some(long) = long_form(short, before) {
            out.push(Definition { short, long });
        }
    }
    out
}

/// The text between the last sentence boundary and `end`, trimmed.
fn sentence_before(text: &str) -> &str {
    let start = text.rfind(['.', ';', ':', '(', ')', '\n', '!', '?', ',']).map_or(0, |i| i + 1);
    text[start..].trim()
}

/// The Schwartz-Hearst long form of `short` at the end of `before`.
fn long_form<'a>(short: &str, before: &'a str) -> Option<&'a str> {
    let letters = short.chars().filter(|c| c.is_alphanumeric()).count();
    let max_words = (letters + 5).min(letters * 2);
    let words = tokens(before);
    let first = words.len().saturating_sub(max_words);
    let window = &before[words.get(first)?.start..];
    let start = match_from_right(short, window)?;
    let long = window[start..].trim();
    let long_words = tokens(long).len();
    if long_words < 2 && !long.contains('-') || long.len() <= short.len() || long.contains(short) {
        return None;
    }
    Some(long)
}

/// Byte offset in `long` where the match of `short` begins, or `None`.
fn match_from_right(short: &str, long: &str) -> Option<usize> {
    let s: Vec<char> = short.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    let l: Vec<(usize, char)> = long.char_indices().collect();
    let mut li = l.len();
    for (si, &sc) in s.iter().enumerate().rev() {
        loop {
            li = li.checked_sub(1)?;
            let lc = l[li].1.to_lowercase().next().unwrap_or(l[li].1);
            let word_start = li == 0 || !l[li - 1].1.is_alphanumeric();
            if lc == sc && (si > 0 || word_start) {
                break;
            }
        }
    }
    Some(l.get(li)?.0)
}

/// The lookup key of a short form: lower case, plural `s` dropped (`LLMs` → `llm`).
pub fn key(short: &str) -> String {
    let stem = short.strip_suffix('s').filter(|s| is_acronym_shaped(s)).unwrap_or(short);
    stem.to_lowercase()
}

/// An acronym learned from the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learned {
    /// The long form as first written.
    pub long: String,
    /// How many definitions agree on it.
    pub count: u32,
    /// Where it was first seen (`path:line`).
    pub evidence: String,
}

/// Collects definitions and picks one long form per acronym. It is stored with the tables learned
/// with it (in key order, so that the same corpus gives the same bytes), and learning goes on
/// from it as from the texts it learned from.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learner {
    /// acronym key → normalised long form → (count, first raw form, first evidence)
    seen: BTreeMap<String, BTreeMap<String, (u32, String, String)>>,
}

impl Learner {
    /// Adds the definitions of one text; `normal` gives a long form's normal key.
    pub fn add(&mut self, text: &str, evidence: impl Fn() -> String, normal: impl Fn(&str) -> String) {
        if !text.contains('(') {
            return;
        }
        for d in definitions(text) {
            let forms = self.seen.entry(key(d.short)).or_default();
            let slot = forms.entry(normal(d.long)).or_insert_with(|| (0, d.long.to_owned(), evidence()));
            slot.0 += 1;
        }
    }

    /// Adds what `later` learned from texts that come after every text this one learned from:
    /// counts add up, and the first form and place of a definition stay this one's.
    pub fn append(&mut self, later: Learner) {
        for (acronym, forms) in later.seen {
            let mine = self.seen.entry(acronym).or_default();
            for (norm, (count, long, evidence)) in forms {
                let slot = mine.entry(norm).or_insert_with(|| (0, long, evidence));
                slot.0 += count;
            }
        }
    }

    /// The chosen long form per acronym key, as (normal key, details).
    pub fn finish(self) -> HashMap<String, (String, Learned)> {
        self.seen
            .into_iter()
            .filter_map(|(acronym, forms)| {
                let (norm, (count, long, evidence)) =
                    forms.into_iter().max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(&a.0)))?;
                Some((acronym, (norm, Learned { long, count, evidence })))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, &str)> {
        definitions(text).into_iter().map(|d| (d.short, d.long)).collect()
    }

    #[test]
    fn finds_the_shortest_long_form() {
        assert_eq!(
            found("We train with Reinforcement Learning (RL) and Mixture-of-Experts (MoE) layers."),
            [("RL", "Reinforcement Learning"), ("MoE", "Mixture-of-Experts")]
        );
        assert_eq!(found("Recent large language models (LLMs) reason well."), [("LLMs", "large language models")]);
        assert_eq!(
            found("using Group Relative Policy Optimization (GRPO), a variant"),
            [("GRPO", "Group Relative Policy Optimization")]
        );
    }

    #[test]
    fn rejects_what_is_not_a_definition() {
        assert!(found("results (see below) hold").is_empty());
        assert!(found("a baseline (GPT) here").is_empty(), "no word starts with g");
        assert!(found("(RL)").is_empty());
    }

    #[test]
    fn plural_short_forms_share_a_key() {
        assert_eq!(key("LLMs"), "llm");
        assert_eq!(key("LLM"), "llm");
        assert_eq!(key("RLHF"), "rlhf");
    }

    #[test]
    fn learning_in_parts_appended_in_order_equals_learning_at_once() {
        let texts = [
            ("a:1", "Reinforcement Learning (RL) and Large Language Models (LLMs)"),
            ("a:2", "reinforcement learning (RL)"),
            ("a:3", "Robot Learning (RL), Robot Learning (RL)"),
            ("a:4", "large language models (LLMs) and Mixture of Experts (MoE)"),
            ("a:5", "Reinforcement learning (RL)"),
        ];
        let learn = |part: &[(&str, &str)]| {
            let mut learner = Learner::default();
            for (at, text) in part {
                learner.add(text, || (*at).to_owned(), str::to_lowercase);
            }
            learner
        };
        let whole = learn(&texts).finish();
        for cut in 0..=texts.len() {
            let mut first = learn(&texts[..cut]);
            first.append(learn(&texts[cut..]));
            assert_eq!(first.finish(), whole, "cut after {cut} texts");
        }
        assert_eq!(whole["rl"].1.evidence, "a:1", "the first place stays the first");
        assert_eq!(whole["rl"].1.count, 3);
    }

    #[test]
    fn the_most_frequent_long_form_wins() {
        let mut learner = Learner::default();
        for text in ["Reinforcement Learning (RL)", "reinforcement learning (RL)", "Robot Learning (RL)"] {
            learner.add(text, || "f:1".to_owned(), str::to_lowercase);
        }
        let learned = learner.finish();
        let (norm, details) = &learned["rl"];
        assert_eq!(norm, "reinforcement learning");
        assert_eq!(details.count, 2);
    }
}
