//! Word-level helpers shared by keyword normalisation, acronym learning, keyword extraction and
//! theme matching: tokens, acronym-shaped tokens, and English plural → singular.

/// Prepositions that end the head of a noun phrase: in `mixture of experts` the head is
/// `mixture`, so `experts` keeps its plural.
const HEAD_ENDERS: [&str; 10] = ["of", "for", "from", "in", "with", "on", "via", "to", "by", "under"];

/// Words ending in `s` that are not plurals.
const SINGULAR_S: [&str; 14] = [
    "bias", "alias", "atlas", "canvas", "chaos", "corpus", "lens", "news", "series", "species", "status", "thesis",
    "basis", "gas",
];

/// Plurals that the rules below get wrong.
const IRREGULAR: [(&str, &str); 10] = [
    ("analyses", "analysis"),
    ("biases", "bias"),
    ("corpora", "corpus"),
    ("hypotheses", "hypothesis"),
    ("indices", "index"),
    ("matrices", "matrix"),
    ("criteria", "criterion"),
    ("phenomena", "phenomenon"),
    ("children", "child"),
    ("people", "person"),
];

/// A token of running text: its text as written and its position in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub raw: &'a str,
    pub start: usize,
}

/// Splits text into words: runs of letters and digits (with inner apostrophes dropped later).
/// Hyphens, slashes, underscores and punctuation separate words.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(Token { raw: &text[s..i], start: s });
        }
    }
    if let Some(s) = start {
        out.push(Token { raw: &text[s..], start: s });
    }
    out
}

/// `LLM`, `LLMs`, `MoE`, `RLHF`, `GPT4`: two or more capitals, written as an abbreviation.
pub fn is_acronym_shaped(word: &str) -> bool {
    let stem = word.strip_suffix('s').filter(|s| s.chars().count() >= 2).unwrap_or(word);
    let upper = stem.chars().filter(char::is_ascii_uppercase).count();
    let first_upper = stem.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    first_upper && upper >= 2 && stem.chars().all(|c| c.is_ascii_alphanumeric()) && stem.len() <= 10
}

/// The singular of one lower-case word, by English spelling rules plus the exceptions above.
pub fn singular(word: &str) -> String {
    if let Some((_, s)) = IRREGULAR.iter().find(|(p, _)| *p == word) {
        return (*s).to_owned();
    }
    let n = word.chars().count();
    if n <= 3 || !word.ends_with('s') || SINGULAR_S.contains(&word) {
        return word.to_owned();
    }
    let keep = ["ss", "us", "is", "ics", "ous", "as"];
    if keep.iter().any(|k| word.ends_with(k)) {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.chars().count() >= 2) {
        return format!("{stem}y");
    }
    for suffix in ["sses", "xes", "ches", "shes", "zzes"] {
        if word.ends_with(suffix) {
            return word[..word.len() - 2].to_owned();
        }
    }
    word[..word.len() - 1].to_owned()
}

/// Index of the head word of a phrase: the last word before the first head-ending preposition.
pub fn head_index(words: &[String]) -> Option<usize> {
    let end = words.iter().position(|w| HEAD_ENDERS.contains(&w.as_str())).unwrap_or(words.len());
    end.checked_sub(1)
}

/// Makes the head word of a phrase singular (`large language models` → `large language model`,
/// `mixture of experts` unchanged). Returns whether anything changed.
pub fn singular_head(words: &mut [String]) -> bool {
    let Some(i) = head_index(words) else { return false };
    let s = singular(&words[i]);
    let changed = s != words[i];
    words[i] = s;
    changed
}

/// Every word singular: the key used to find a phrase inside running text, where plurals fall
/// anywhere.
pub fn match_key<S: AsRef<str>>(words: &[S]) -> String {
    words.iter().map(|w| singular(&w.as_ref().to_lowercase())).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_rules_and_exceptions() {
        let cases = [
            ("models", "model"),
            ("strategies", "strategy"),
            ("processes", "process"),
            ("approaches", "approach"),
            ("llms", "llm"),
            ("biases", "bias"),
            ("bias", "bias"),
            ("analysis", "analysis"),
            ("robotics", "robotics"),
            ("series", "series"),
            ("gas", "gas"),
            ("data", "data"),
            ("keys", "key"),
        ];
        for (plural, want) in cases {
            assert_eq!(singular(plural), want, "{plural}");
        }
    }

    #[test]
    fn only_the_head_becomes_singular() {
        let mut words: Vec<String> = ["mixture", "of", "experts"].map(String::from).to_vec();
        assert!(!singular_head(&mut words));
        let mut words: Vec<String> = ["large", "language", "models"].map(String::from).to_vec();
        assert!(singular_head(&mut words));
        assert_eq!(words.join(" "), "large language model");
    }

    #[test]
    fn acronym_shapes() {
        for yes in ["LLM", "LLMs", "MoE", "RLHF", "GPT4"] {
            assert!(is_acronym_shaped(yes), "{yes}");
        }
        for no in ["Large", "as", "A", "reasoning", "Is"] {
            assert!(!is_acronym_shaped(no), "{no}");
        }
    }

    #[test]
    fn tokens_split_on_punctuation() {
        let t: Vec<&str> = tokens("Mixture-of-Experts (MoE), RL/RLHF").iter().map(|t| t.raw).collect();
        assert_eq!(t, ["Mixture", "of", "Experts", "MoE", "RL", "RLHF"]);
    }
}
