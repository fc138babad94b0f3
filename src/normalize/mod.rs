//! Normalisation: keyword normal forms (acronyms, synonyms, plurals, spacing), acronyms learned
//! from the corpus, keywords extracted for entries that have none, and the theme taxonomy.
//! Plain Rust over strings; the store calls it when it derives its tables.

pub mod acronyms;
pub mod extract;
pub mod keywords;
pub mod names;
pub mod taxonomy;
pub mod text;
pub mod vocab;

pub use keywords::{Normalized, Normalizer, Reason, base_key};
pub use vocab::{UserFile, Vocabulary};

/// Consistency of the built-in data files (GUIDE section 4.9).
#[cfg(test)]
mod data_tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    #[test]
    fn synonyms_are_consistent() {
        let vocab = Vocabulary::builtin();
        let n = Normalizer::new(&vocab, HashMap::new());
        let mut variants = HashSet::new();
        let canonicals: HashSet<String> = vocab.synonyms.iter().map(|(c, _, _)| c.clone()).collect();
        for (canonical, list, _) in &vocab.synonyms {
            assert_eq!(&base_key(canonical), canonical, "canonical {canonical:?} is not in normal form");
            assert!(!list.is_empty(), "{canonical} lists no variants");
            for v in list {
                assert_ne!(&base_key(v), canonical, "{v:?} already folds to {canonical:?}; drop it");
                assert!(variants.insert(base_key(v)), "{v:?} is listed twice");
                assert!(!canonicals.contains(&base_key(v)), "{v:?} is itself canonical: a chain");
                assert_eq!(&n.normalize(v).norm, canonical, "{v:?}");
            }
        }
        for (acronym, long, _) in &vocab.acronyms {
            assert!(acronym.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{acronym}");
            assert_eq!(&base_key(long), long, "long form of {acronym} is not in normal form");
            assert!(long.split(' ').count() >= 2, "{acronym} = {long}: one word is not a long form");
        }
    }

    #[test]
    fn taxonomy_is_consistent() {
        let vocab = Vocabulary::builtin();
        let n = Normalizer::new(&vocab, HashMap::new());
        let mut names = HashSet::new();
        for theme in &vocab.themes {
            assert!(names.insert(theme.name.as_str()), "{} twice", theme.name);
            let mut seen = HashSet::new();
            for term in &theme.terms {
                assert!(!n.normalize(term).norm.is_empty(), "{}: empty term", theme.name);
                assert!(seen.insert(n.normalize(term).norm), "{}: {term:?} twice", theme.name);
            }
        }
        assert!(vocab.themes.len() >= 12, "a taxonomy broad enough for arXiv cs digests");
    }
}
