//! The watchlist: which papers a watch entry's terms select. A term matches a paper when it is
//! its arXiv id, when its normal form (`normalize::names::key`) is one of the paper's authors',
//! or when its words, normalised as keywords are (case, plurals, spacing, acronyms), occur in
//! order in one of the paper's normalised keywords, its title or its abstract.

use std::cell::OnceCell;

use chrono::NaiveDate;

use crate::formats::fields;
use crate::normalize::Normalizer;
use crate::normalize::names;
use crate::normalize::taxonomy::key_words;

/// What a watch term is compared with: a paper's fields, borrowed from the stored columns (the
/// abstracts are not copied).
#[derive(Debug, Clone, Default)]
pub struct Paper<'a> {
    pub id: &'a str,
    pub arxiv_id: Option<&'a str>,
    pub title: Option<&'a str>,
    pub abstract_text: Option<&'a str>,
    /// Its authors, each once, in the order first listed.
    pub authors: Vec<&'a str>,
    /// Normalised keywords, sorted, each once.
    pub keywords: Vec<&'a str>,
    /// The days it was listed, sorted, each once.
    pub dates: Vec<NaiveDate>,
}

/// A paper's texts as terms compare them, each normalised once when a term first needs it, so
/// that a watchlist of n terms normalises an abstract once rather than n times.
#[derive(Debug)]
pub struct Prepared<'p, 'a> {
    pub paper: &'p Paper<'a>,
    authors: OnceCell<Vec<String>>,
    /// Per keyword, its words as written and as `key_words` gives them.
    keywords: OnceCell<Vec<(Vec<String>, Vec<String>)>>,
    title: OnceCell<Vec<String>>,
    abstract_words: OnceCell<Vec<String>>,
}

impl<'p, 'a> Prepared<'p, 'a> {
    pub fn new(paper: &'p Paper<'a>) -> Self {
        Prepared {
            paper,
            authors: OnceCell::new(),
            keywords: OnceCell::new(),
            title: OnceCell::new(),
            abstract_words: OnceCell::new(),
        }
    }
}

/// A term ready to compare: its arXiv id, author key and phrase words.
#[derive(Debug, Clone)]
pub struct Term {
    pub text: String,
    arxiv: Option<String>,
    author: String,
    words: Vec<String>,
}

impl Term {
    pub fn new(text: &str, normalizer: &Normalizer) -> Term {
        let arxiv = fields::arxiv_id(text).map(|r| r.id).filter(|_| text.split_whitespace().count() == 1);
        Term { text: text.trim().to_owned(), arxiv, author: names::key(text), words: key_words(normalizer, text) }
    }

    /// Where the term matches the paper: `arxiv id`, `author`, `keyword`, `title` or `abstract`.
    pub fn matches(&self, p: &Prepared<'_, '_>, normalizer: &Normalizer) -> Option<&'static str> {
        let paper = p.paper;
        if let Some(id) = &self.arxiv {
            return (paper.arxiv_id == Some(id.as_str())).then_some("arxiv id");
        }
        if !self.author.is_empty()
            && p.authors.get_or_init(|| paper.authors.iter().map(|a| names::key(a)).collect()).contains(&self.author)
        {
            return Some("author");
        }
        if self.words.is_empty() {
            return None;
        }
        let keywords = p.keywords.get_or_init(|| {
            paper
                .keywords
                .iter()
                .map(|k| (k.split(' ').map(str::to_owned).collect(), key_words(normalizer, k)))
                .collect()
        });
        if keywords.iter().any(|(written, keyed)| contains(written, &self.words) || contains(keyed, &self.words)) {
            return Some("keyword");
        }
        let words = |cell: &OnceCell<Vec<String>>, text: Option<&str>| -> bool {
            text.is_some_and(|t| contains(cell.get_or_init(|| key_words(normalizer, t)), &self.words))
        };
        if words(&p.title, paper.title) {
            return Some("title");
        }
        if words(&p.abstract_words, paper.abstract_text) {
            return Some("abstract");
        }
        None
    }
}

fn contains(words: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && words.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Vocabulary;

    #[test]
    fn one_preparation_answers_every_term_as_a_fresh_one_would() {
        let n = Normalizer::new(&Vocabulary::builtin(), Default::default());
        let paper = Paper {
            id: "arxiv:2401.00001",
            arxiv_id: Some("2401.00001"),
            title: Some("Sparse Mixtures of Experts for Retrieval"),
            abstract_text: Some("We study tool use by large language model agents over long horizons."),
            authors: vec!["Ada Lovelace"],
            keywords: vec!["reinforcement learning"],
            ..Paper::default()
        };
        let terms = [
            ("2401.00001", Some("arxiv id")),
            ("2401.99999", None),
            ("Ada Lovelace", Some("author")),
            ("Reinforcement Learning", Some("keyword")),
            ("mixture of experts", Some("title")),
            ("tool use", Some("abstract")),
            ("LLM agents", Some("abstract")),
            ("diffusion models", None),
        ];
        let shared = Prepared::new(&paper);
        for (text, place) in terms {
            let term = Term::new(text, &n);
            let fresh = term.matches(&Prepared::new(&paper), &n);
            assert_eq!(fresh, place, "{text}");
            assert_eq!(term.matches(&shared, &n), fresh, "{text}");
        }
    }
}
