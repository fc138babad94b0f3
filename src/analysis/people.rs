//! Authors and organisations: what each published in a date range (papers, appearances, first
//! and last seen, its usual keywords and themes, its papers in the latest period against the one
//! before), and Lotka's law of scientific productivity (Lotka 1926) fitted as bibliometrix's
//! `lotka()` fits it: a least-squares line through log10(share of authors) against
//! log10(papers), beta = -slope, C = 10^intercept, R².

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::{Inputs, People, Period};
use crate::normalize::names;

/// One person (or organisation) in a range.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub term: usize,
    /// The name as most often written.
    pub name: String,
    pub papers: u32,
    pub appearances: u32,
    pub first_seen: NaiveDate,
    pub last_seen: NaiveDate,
    /// Papers of theirs listed with an author list cut short (others may be missing from such
    /// lists: counts are lower bounds).
    pub truncated: u32,
    /// The keywords and themes most of their papers in the range carry (`describe`).
    pub keywords: Vec<String>,
    pub themes: Vec<String>,
    /// Papers in the range's latest period with data, and in the period with data before it.
    pub latest: u32,
    pub previous: u32,
}

/// The terms each of `papers` carries, from the appearances' links.
fn terms_of_papers(input: &super::Input, papers: &BTreeSet<u32>) -> HashMap<u32, BTreeSet<u32>> {
    let mut out: HashMap<u32, BTreeSet<u32>> = HashMap::new();
    for &(t, a) in &input.links {
        if let Some(app) = input.appearances.get(a as usize).filter(|app| papers.contains(&app.paper)) {
            out.entry(app.paper).or_default().insert(t);
        }
    }
    out
}

/// The `n` terms most of `papers` carry, most first, then by name.
fn most_common(papers: &BTreeSet<u32>, of: &HashMap<u32, BTreeSet<u32>>, names: &[String], n: usize) -> Vec<String> {
    let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
    for p in papers {
        for &t in of.get(p).into_iter().flatten() {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut ranked: Vec<(u32, u32)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(names[a.0 as usize].cmp(&names[b.0 as usize])));
    ranked.into_iter().take(n).map(|(t, _)| names[t as usize].clone()).collect()
}

/// Everyone with an appearance in the range (`keep`), most papers first, their keywords and
/// themes left empty: `describe` gives them to the rows shown (for millions of authors they took
/// a fifth of `authors`).
pub fn people_in_range(people: &People, keep: impl Fn(NaiveDate) -> bool, period: Period) -> Vec<Person> {
    let input = &people.input;
    let kept: Vec<bool> = input.appearances.iter().map(|a| keep(a.date)).collect();
    let placeable = |a: &super::Appearance| a.day_precision || period.holds_months();
    let mut keys: Vec<i64> = input
        .appearances
        .iter()
        .zip(&kept)
        .filter(|(a, k)| **k && placeable(a))
        .map(|(a, _)| period.key(a.date))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let (latest, previous) = (keys.last().copied(), keys.len().checked_sub(2).map(|i| keys[i]));
    let mut of_term: Vec<Vec<u32>> = vec![Vec::new(); input.terms.len()];
    for &(t, a) in &input.links {
        if kept.get(a as usize).copied().unwrap_or(false) {
            of_term[t as usize].push(a);
        }
    }
    let mut out: Vec<Person> = of_term
        .iter()
        .enumerate()
        .filter(|(_, apps)| !apps.is_empty())
        .map(|(t, apps)| {
            let apps: BTreeSet<u32> = apps.iter().copied().collect();
            let list: Vec<&super::Appearance> = apps.iter().map(|&a| &input.appearances[a as usize]).collect();
            let papers: BTreeSet<u32> = list.iter().map(|a| a.paper).collect();
            let truncated: BTreeSet<u32> = apps
                .iter()
                .filter(|&&a| people.truncated[a as usize])
                .map(|&a| input.appearances[a as usize].paper)
                .collect();
            let in_period = |key: Option<i64>| {
                let set: BTreeSet<u32> =
                    list.iter().filter(|a| placeable(a) && Some(period.key(a.date)) == key).map(|a| a.paper).collect();
                u32::try_from(set.len()).unwrap_or(u32::MAX)
            };
            Person {
                term: t,
                name: people.forms[t].first().map_or_else(|| input.terms[t].clone(), |f| f.0.clone()),
                papers: u32::try_from(papers.len()).unwrap_or(u32::MAX),
                appearances: u32::try_from(apps.len()).unwrap_or(u32::MAX),
                first_seen: list.iter().map(|a| a.date).min().unwrap_or_default(),
                last_seen: list.iter().map(|a| a.date).max().unwrap_or_default(),
                truncated: u32::try_from(truncated.len()).unwrap_or(u32::MAX),
                keywords: Vec::new(),
                themes: Vec::new(),
                latest: if latest.is_some() { in_period(latest) } else { 0 },
                previous: if previous.is_some() { in_period(previous) } else { 0 },
            }
        })
        .collect();
    out.sort_by(|a, b| b.papers.cmp(&a.papers).then(a.name.cmp(&b.name)));
    out
}

/// Gives `rows` (of `people_in_range`, with the same `keep`) the three keywords and themes most
/// of their papers in the range carry. `inputs` must come from the same tables as `people`
/// (their appearances are numbered alike).
pub fn describe(rows: &mut [Person], people: &People, inputs: &Inputs, keep: impl Fn(NaiveDate) -> bool) {
    let input = &people.input;
    let row_of: HashMap<usize, usize> = rows.iter().enumerate().map(|(i, r)| (r.term, i)).collect();
    let mut papers: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); rows.len()];
    for &(t, a) in &input.links {
        let (Some(&i), Some(app)) = (row_of.get(&(t as usize)), input.appearances.get(a as usize)) else { continue };
        if keep(app.date) {
            papers[i].insert(app.paper);
        }
    }
    let all: BTreeSet<u32> = papers.iter().flatten().copied().collect();
    let (keywords, themes) = (terms_of_papers(&inputs.keywords, &all), terms_of_papers(&inputs.themes, &all));
    for (row, papers) in rows.iter_mut().zip(&papers) {
        row.keywords = most_common(papers, &keywords, &inputs.keywords.terms, 3);
        row.themes = most_common(papers, &themes, &inputs.themes.terms, 3);
    }
}

/// The label of the range's latest period with data and of the one before it.
pub fn latest_periods(
    people: &People,
    keep: impl Fn(NaiveDate) -> bool,
    period: Period,
) -> (Option<String>, Option<String>) {
    let mut keys: Vec<i64> = people
        .input
        .appearances
        .iter()
        .filter(|a| keep(a.date) && (a.day_precision || period.holds_months()))
        .map(|a| period.key(a.date))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let label = |i: Option<usize>| i.and_then(|i| keys.get(i)).map(|k| period.label(*k));
    (label(keys.len().checked_sub(1)), label(keys.len().checked_sub(2)))
}

/// Lotka's law fitted to how many authors have how many papers.
#[derive(Debug, Clone, PartialEq)]
pub struct Lotka {
    /// (papers, authors with that many, their share of all authors, the fitted share, the share
    /// of the classical inverse-square law with C = 6/π²)
    pub rows: Vec<(u32, u32, f64, f64, f64)>,
    pub beta: f64,
    pub c: f64,
    pub r2: f64,
}

pub fn lotka(papers_per_author: &[u32]) -> Lotka {
    let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
    for &n in papers_per_author.iter().filter(|&&n| n > 0) {
        *counts.entry(n).or_default() += 1;
    }
    let total = f64::from(counts.values().sum::<u32>().max(1));
    let points: Vec<(f64, f64)> =
        counts.iter().map(|(&n, &k)| (f64::from(n).log10(), (f64::from(k) / total).log10())).collect();
    let m = points.len() as f64;
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / m.max(1.0), sy / m.max(1.0));
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let syy: f64 = points.iter().map(|(_, y)| (y - my).powi(2)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let intercept = my - slope * mx;
    let r2 = if sxx > 0.0 && syy > 0.0 { sxy * sxy / (sxx * syy) } else { 1.0 };
    let (beta, c) = (-slope, 10f64.powf(intercept));
    let classic = 6.0 / std::f64::consts::PI.powi(2);
    let rows = counts
        .into_iter()
        .map(|(n, k)| (n, k, f64::from(k) / total, c / f64::from(n).powf(beta), classic / f64::from(n).powi(2)))
        .collect();
    Lotka { rows, beta, c, r2 }
}

/// The forms merged under a name, and the names that may be the same person written with
/// initials (candidates, never merged): (term, relation).
pub fn explain(people: &People, name: &str) -> Vec<(usize, &'static str)> {
    let key = names::key(name);
    let terms = &people.input.terms;
    let mut out: Vec<(usize, &'static str)> =
        terms.iter().position(|t| *t == key).map(|t| (t, "merged")).into_iter().collect();
    out.extend(
        terms
            .iter()
            .enumerate()
            .filter(|(_, t)| names::may_be_same(&key, t))
            .map(|(i, _)| (i, "candidate, not merged")),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lotka_recovers_an_inverse_square_law() {
        // 600 authors with one paper, 150 with two, 67 with three, 38 with four: f(n) ~ 1/n².
        let mut per_author = vec![1; 600];
        per_author.extend(vec![2; 150]);
        per_author.extend(vec![3; 67]);
        per_author.extend(vec![4; 38]);
        let l = lotka(&per_author);
        assert!((l.beta - 2.0).abs() < 0.05, "{l:?}");
        assert!(l.r2 > 0.99, "{l:?}");
        assert_eq!(l.rows[0].0, 1);
        assert_eq!(l.rows[0].1, 600);
        assert!((l.rows[0].2 - 600.0 / 855.0).abs() < 1e-9);
    }
}
