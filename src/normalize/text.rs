//! Word-level helpers shared by keyword normalisation, acronym learning, keyword extraction and
//! theme matching: tokens, acronym-shaped tokens, and English plural → singular.

use std::borrow::Cow;

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
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut start = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Most text is ASCII: a byte is a character, tested without decoding.
        let (alphanumeric, len) = match bytes[i] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
            _ => text[i..].chars().next().map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
        };
        if alphanumeric {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(Token { raw: &text[s..i], start: s });
        }
        i += len;
    }
    if let Some(s) = start {
        out.push(Token { raw: &text[s..], start: s });
    }
    out
}

/// `LLM`, `LLMs`, `MoE`, `RLHF`, `GPT4`: two or more capitals, written as an abbreviation.
pub fn is_acronym_shaped(word: &str) -> bool {
    // The test of every word of running text: most start with no capital.
    if !word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let stem = word.strip_suffix('s').filter(|s| s.chars().count() >= 2).unwrap_or(word);
    let upper = stem.chars().filter(char::is_ascii_uppercase).count();
    let first_upper = stem.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    first_upper && upper >= 2 && stem.chars().all(|c| c.is_ascii_alphanumeric()) && stem.len() <= 10
}

/// The singular of one lower-case word, by English spelling rules plus the exceptions above.
pub fn singular(word: &str) -> String {
    singular_cow(word).into_owned()
}

/// `singular`, borrowing from the word when the singular is the word or a prefix of it (most
/// words): scanning text for phrases takes it for every word.
pub fn singular_cow(word: &str) -> Cow<'_, str> {
    if let Some((_, s)) = IRREGULAR.iter().find(|(p, _)| *p == word) {
        return Cow::Borrowed(s);
    }
    let n = word.chars().count();
    if n <= 3 || !word.ends_with('s') || SINGULAR_S.contains(&word) {
        return Cow::Borrowed(word);
    }
    let keep = ["ss", "us", "is", "ics", "ous", "as"];
    if keep.iter().any(|k| word.ends_with(k)) {
        return Cow::Borrowed(word);
    }
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.chars().count() >= 2) {
        return Cow::Owned(format!("{stem}y"));
    }
    for suffix in ["sses", "xes", "ches", "shes", "zzes"] {
        if word.ends_with(suffix) {
            return Cow::Borrowed(&word[..word.len() - 2]);
        }
    }
    Cow::Borrowed(&word[..word.len() - 1])
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
    fn tokens_split_on_any_character_that_is_not_a_letter_or_digit() {
        let text = "Ünïcode—words, 数据集 and naïve/Straße; x²+ΣΠ 1.5e-3 \u{a0}end\u{2009}é";
        let t: Vec<&str> = tokens(text).iter().map(|t| t.raw).collect();
        assert_eq!(t, ["Ünïcode", "words", "数据集", "and", "naïve", "Straße", "x²", "ΣΠ", "1", "5e", "3", "end", "é"]);
        for token in tokens(text) {
            assert_eq!(&text[token.start..token.start + token.raw.len()], token.raw);
        }
    }

    #[test]
    fn tokens_split_on_punctuation() {
        let t: Vec<&str> = tokens("Mixture-of-Experts (MoE), RL/RLHF").iter().map(|t| t.raw).collect();
        assert_eq!(t, ["Mixture", "of", "Experts", "MoE", "RL", "RLHF"]);
    }
}
