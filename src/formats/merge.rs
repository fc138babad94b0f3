//! One entry per paper: a paper listed several times (under several keyword tables, in an index
//! and on its own page, in a README and its JSON copy) becomes one entry with the fields of all
//! its listings. Listings are the same paper when they share an arXiv id, else a normalised title.

use std::collections::HashMap;

use crate::model::{Entry, TitleSource, paper_id};

/// How much a title source is trusted, best first.
fn title_rank(source: Option<TitleSource>) -> u8 {
    match source {
        Some(TitleSource::Heading) => 0,
        Some(TitleSource::Label | TitleSource::Record) => 1,
        Some(TitleSource::LinkText) => 2,
        Some(TitleSource::Bold) => 3,
        Some(TitleSource::SummaryQuote) => 4,
        Some(TitleSource::TldrLink) => 5,
        None => 6,
    }
}

/// The key that tells listings of one paper apart from others'.
pub fn key(e: &Entry) -> Option<String> {
    match (&e.arxiv_id, &e.title) {
        (None, None) => None,
        (id, title) => Some(paper_id(id.as_deref(), title.as_deref())),
    }
}

fn union(a: &mut Vec<String>, b: Vec<String>) {
    for x in b {
        if !a.iter().any(|have| have.eq_ignore_ascii_case(&x)) {
            a.push(x);
        }
    }
}

/// Adds the fields of another listing of the same paper: lists are joined, and a field the
/// first listing lacks is taken from the other (listings are merged best title source first, so
/// a paper's own page or section speaks before an index row or a passing mention).
pub fn merge_entry(into: &mut Entry, other: Entry) {
    // A better source wins; of two alike, the longer title (a mention often shortens it).
    let better = title_rank(other.title_source) < title_rank(into.title_source)
        || (title_rank(other.title_source) == title_rank(into.title_source)
            && other.title.as_ref().map_or(0, String::len) > into.title.as_ref().map_or(0, String::len));
    if other.title.is_some() && better {
        into.title = other.title;
        into.title_source = other.title_source;
    }
    if other.authors.len() > into.authors.len() {
        into.authors = other.authors;
    }
    into.author_count = into.author_count.max(other.author_count);
    union(&mut into.keywords, other.keywords);
    union(&mut into.listed_under, other.listed_under);
    into.comments = into.comments.take().or(other.comments);
    into.venue = into.venue.take().or(other.venue);
    if into.arxiv_id.is_none() {
        into.arxiv_id = other.arxiv_id;
    }
    into.arxiv_version = into.arxiv_version.max(other.arxiv_version);
    let other_is_arxiv = other.url.as_deref().is_some_and(|u| u.contains("arxiv.org"));
    if into.url.is_none() || (other_is_arxiv && !into.url.as_deref().is_some_and(|u| u.contains("arxiv.org"))) {
        into.url = other.url.or(into.url.take());
    }
    into.abstract_text = into.abstract_text.take().or(other.abstract_text);
    into.summary = into.summary.take().or(other.summary);
    into.critique = into.critique.take().or(other.critique);
    into.listed_date = into.listed_date.or(other.listed_date);
    into.upvotes = into.upvotes.max(other.upvotes);
    into.organization = into.organization.take().or(other.organization);
}

/// Merges the listings of each paper into one, in the order papers are first listed; the line
/// of an entry is that of its first listing.
pub fn merge_listings(entries: Vec<Entry>) -> Vec<Entry> {
    // Each entry's group, in order of first listing.
    let mut at: HashMap<String, usize> = HashMap::with_capacity(entries.len());
    let mut group_of: Vec<usize> = Vec::with_capacity(entries.len());
    let mut count = 0;
    for e in &entries {
        let mut new_group = || {
            count += 1;
            count - 1
        };
        group_of.push(match key(e) {
            Some(k) => *at.entry(k).or_insert_with(new_group),
            None => new_group(),
        });
    }
    if count == entries.len() {
        // No paper is listed twice (the common case): nothing to merge or move.
        return entries;
    }
    // The entries of each group in order (`members[start[g]..start[g + 1]]`), found by counting:
    // a listing of thousands of papers, a few listed twice, is not split into a list per paper.
    let mut start = vec![0usize; count + 1];
    for &g in &group_of {
        start[g + 1] += 1;
    }
    for g in 0..count {
        start[g + 1] += start[g];
    }
    let mut fill = start.clone();
    let mut members = vec![0usize; entries.len()];
    for (i, &g) in group_of.iter().enumerate() {
        members[fill[g]] = i;
        fill[g] += 1;
    }
    let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(count);
    for g in 0..count {
        let mut listings: Vec<Entry> = match &members[start[g]..start[g + 1]] {
            [one] => {
                out.extend(slots[*one].take());
                continue;
            }
            several => several.iter().filter_map(|&i| slots[i].take()).collect(),
        };
        let line = listings.first().map(|e| e.line);
        listings.sort_by_key(|e| title_rank(e.title_source));
        let mut it = listings.into_iter();
        let Some(mut first) = it.next() else { continue };
        it.for_each(|e| merge_entry(&mut first, e));
        first.line = line.unwrap_or(first.line);
        out.push(first);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_of_one_paper_merge() {
        let a = Entry {
            arxiv_id: Some("2401.00001".into()),
            title: Some("From the index".into()),
            title_source: Some(TitleSource::LinkText),
            keywords: vec!["x".into()],
            ..Entry::default()
        };
        let b = Entry {
            arxiv_id: Some("2401.00001".into()),
            title: Some("From the page".into()),
            title_source: Some(TitleSource::Heading),
            keywords: vec!["X".into(), "y".into()],
            abstract_text: Some("abs".into()),
            ..Entry::default()
        };
        let c = Entry { arxiv_id: Some("2401.00002".into()), ..Entry::default() };
        let merged = merge_listings(vec![a, c, b]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].title.as_deref(), Some("From the page"));
        // The paper's own section (a heading title) speaks first.
        assert_eq!(merged[0].keywords, ["X", "y"]);
        assert_eq!(merged[0].abstract_text.as_deref(), Some("abs"));
    }

    #[test]
    fn listings_of_distinct_papers_stay_as_they_are_and_keyless_entries_never_merge() {
        let paper = |id: Option<&str>, line| Entry { arxiv_id: id.map(str::to_owned), line, ..Entry::default() };
        let distinct =
            vec![paper(Some("2401.00002"), 3), paper(None, 5), paper(Some("2401.00001"), 9), paper(None, 12)];
        assert_eq!(merge_listings(distinct.clone()), distinct);
        // A second listing of one paper merges into the first, in its place; the keyless stay.
        let mut twice = distinct.clone();
        twice.push(paper(Some("2401.00002"), 20));
        let lines: Vec<u32> = merge_listings(twice).iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 5, 9, 12]);
    }
}
