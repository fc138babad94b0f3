//! The watchlist: which papers a watch entry's terms select. A term matches a paper when it is
//! its arXiv id, when its normal form (`normalize::names::key`) is one of the paper's authors',
//! or when its words, normalised as keywords are (case, plurals, spacing, acronyms), occur in
//! order in one of the paper's normalised keywords, its title or its abstract.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::formats::fields;
use crate::normalize::Normalizer;
use crate::normalize::names;
use crate::normalize::taxonomy::key_words;

/// What a watch term is compared with.
#[derive(Debug, Clone, Default)]
pub struct Paper {
    pub id: String,
    pub arxiv_id: Option<String>,
    pub title: Option<String>,
    pub abstract_text: Option<String>,
    pub authors: Vec<String>,
    /// Normalised keywords.
    pub keywords: BTreeSet<String>,
    /// The days it was listed.
    pub dates: BTreeSet<NaiveDate>,
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
    pub fn matches(&self, paper: &Paper, normalizer: &Normalizer) -> Option<&'static str> {
        if let Some(id) = &self.arxiv {
            return (paper.arxiv_id.as_deref() == Some(id.as_str())).then_some("arxiv id");
        }
        if !self.author.is_empty() && paper.authors.iter().any(|a| names::key(a) == self.author) {
            return Some("author");
        }
        if self.words.is_empty() {
            return None;
        }
        let found = |text: &str| contains(&key_words(normalizer, text), &self.words);
        if paper
            .keywords
            .iter()
            .any(|k| contains(&k.split(' ').map(str::to_owned).collect::<Vec<_>>(), &self.words) || found(k))
        {
            return Some("keyword");
        }
        if paper.title.as_deref().is_some_and(found) {
            return Some("title");
        }
        if paper.abstract_text.as_deref().is_some_and(found) {
            return Some("abstract");
        }
        None
    }
}

fn contains(words: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && words.windows(needle.len()).any(|w| w == needle)
}
