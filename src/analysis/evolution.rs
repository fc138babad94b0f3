//! Thematic evolution (Cobo, López-Herrera, Herrera-Viedma and Herrera 2011, "An approach for
//! detecting, quantifying, and visualizing the evolution of a research field", Journal of
//! Informetrics 5(1); bibliometrix's `thematicEvolution`): the co-word clusters of each time
//! slice (see `coword`), linked from one slice to the next when they share keywords.
//!
//! - Inclusion index of clusters A and B: |A ∩ B| / min(|A|, |B|) over their keywords; Jaccard:
//!   |A ∩ B| / |A ∪ B|. A link needs a shared keyword and an inclusion of at least
//!   `min_inclusion`.
//! - Every cluster is kept, isolated ones too (bibliometrix issues #140 and #510). Its statuses:
//!   `new` without a link from the slice before (every cluster of the first slice), `vanishing`
//!   without a link to the slice after (none in the last slice), `continuing` with a link from
//!   the slice before, `merging` with links from two or more clusters, `splitting` with links to
//!   two or more. An isolated cluster in a middle slice is both new and vanishing.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::coword::{self, Cluster};
use super::series::Input;

/// A time slice: a label and its first and last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A link from cluster `from.1` of slice `from.0` to cluster `to.1` of slice `to.0`.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub from: (usize, usize),
    pub to: (usize, usize),
    pub inclusion: f64,
    pub jaccard: f64,
    /// Shared keywords (term numbers), most frequent overall first.
    pub shared: Vec<usize>,
}

/// The clusters of every slice and the links between consecutive slices.
#[derive(Debug, Clone, PartialEq)]
pub struct Evolution {
    pub slices: Vec<Slice>,
    pub clusters: Vec<Vec<Cluster>>,
    pub links: Vec<Link>,
}

impl Evolution {
    /// The statuses of a cluster, in the order new, continuing, merging, splitting, vanishing.
    pub fn statuses(&self, slice: usize, cluster: usize) -> Vec<&'static str> {
        let incoming = self.links.iter().filter(|l| l.to == (slice, cluster)).count();
        let outgoing = self.links.iter().filter(|l| l.from == (slice, cluster)).count();
        let last = slice + 1 == self.slices.len();
        let mut out = Vec::new();
        if incoming == 0 {
            out.push("new");
        } else {
            out.push("continuing");
        }
        if incoming >= 2 {
            out.push("merging");
        }
        if outgoing >= 2 {
            out.push("splitting");
        }
        if outgoing == 0 && !last {
            out.push("vanishing");
        }
        out
    }
}

/// Slices of `period` kind covering the days of `input`'s linked appearances within `keep`.
pub fn period_slices(input: &Input, period: super::Period, keep: impl Fn(NaiveDate) -> bool) -> Vec<Slice> {
    let keys: BTreeSet<i64> = input
        .links
        .iter()
        .filter_map(|(_, a)| input.appearances.get(*a as usize))
        .filter(|a| keep(a.date) && (a.day_precision || period.holds_months()))
        .map(|a| period.key(a.date))
        .collect();
    keys.into_iter().map(|k| Slice { label: period.label(k), start: period.start(k), end: period.end(k) }).collect()
}

/// Slices cut at `cuts` (each cut starts a slice) between the first and last day of `input`'s
/// linked appearances within `keep`; labelled by their first and last day.
pub fn cut_slices(input: &Input, cuts: &[NaiveDate], keep: impl Fn(NaiveDate) -> bool) -> Vec<Slice> {
    let days: Vec<NaiveDate> = input
        .links
        .iter()
        .filter_map(|(_, a)| input.appearances.get(*a as usize))
        .filter(|a| keep(a.date))
        .map(|a| a.date)
        .collect();
    let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else { return Vec::new() };
    let mut starts: Vec<NaiveDate> = vec![first];
    let mut cuts: Vec<NaiveDate> = cuts.iter().copied().filter(|c| *c > first && *c <= last).collect();
    cuts.sort_unstable();
    cuts.dedup();
    starts.extend(cuts);
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).map_or(last, |next| *next - chrono::Duration::days(1));
            Slice { label: format!("{start}..{end}"), start, end }
        })
        .collect()
}

/// The co-word clusters of each slice and their links.
pub fn evolve(input: &Input, slices: Vec<Slice>, params: &coword::Params, min_inclusion: f64) -> Evolution {
    let clusters: Vec<Vec<Cluster>> =
        slices.iter().map(|s| coword::clusters(&input.within(|d| d >= s.start && d <= s.end), params)).collect();
    let mut frequency = vec![0usize; input.terms.len()];
    for &(t, _) in &input.links {
        frequency[t as usize] += 1;
    }
    let mut links = Vec::new();
    for i in 1..clusters.len() {
        for (a, before) in clusters[i - 1].iter().enumerate() {
            let sa: BTreeSet<usize> = before.terms.iter().copied().collect();
            for (b, after) in clusters[i].iter().enumerate() {
                let sb: BTreeSet<usize> = after.terms.iter().copied().collect();
                let mut shared: Vec<usize> = sa.intersection(&sb).copied().collect();
                if shared.is_empty() {
                    continue;
                }
                let inclusion = shared.len() as f64 / sa.len().min(sb.len()) as f64;
                if inclusion < min_inclusion {
                    continue;
                }
                let jaccard = shared.len() as f64 / sa.union(&sb).count() as f64;
                shared.sort_by(|x, y| frequency[*y].cmp(&frequency[*x]).then(input.terms[*x].cmp(&input.terms[*y])));
                links.push(Link { from: (i - 1, a), to: (i, b), inclusion, jaccard, shared });
            }
        }
    }
    Evolution { slices, clusters, links }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Period;
    use crate::analysis::series::Appearance;

    /// Papers as (day, terms); terms named t0, t1, ...
    fn input(papers: &[(NaiveDate, &[u32])], terms: usize) -> Input {
        let mut input = Input { terms: (0..terms).map(|t| format!("t{t}")).collect(), ..Input::default() };
        for (p, (date, ts)) in papers.iter().enumerate() {
            input.papers_mut().push(&format!("p{p}"));
            input.appearances_mut().push(Appearance { paper: p as u32, date: *date, day_precision: true });
            input.links.extend(ts.iter().map(|t| (*t, p as u32)));
        }
        input
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default()
    }

    #[test]
    fn a_running_theme_links_across_quarters_and_one_quarter_themes_stand_alone() {
        // t0-t2 all year; t3-t5 only in Q1; t6-t8 only in Q2.
        let mut papers: Vec<(NaiveDate, &[u32])> = Vec::new();
        for m in 1..=6 {
            papers.extend([(day(m, 3), &[0, 1, 2][..]), (day(m, 10), &[0, 1, 2][..])]);
        }
        papers.extend([(day(2, 1), &[3, 4, 5][..]), (day(2, 8), &[3, 4, 5][..]), (day(3, 1), &[3, 4, 5][..])]);
        papers.extend([(day(5, 1), &[6, 7, 8][..]), (day(5, 8), &[6, 7, 8][..]), (day(6, 1), &[6, 7, 8][..])]);
        let input = input(&papers, 9);
        let slices = period_slices(&input, Period::Quarter, |_| true);
        assert_eq!(slices.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["2024-Q1", "2024-Q2"]);
        let evo = evolve(&input, slices, &coword::Params::default(), 0.5);
        assert_eq!(evo.clusters[0].len(), 2);
        assert_eq!(evo.links.len(), 1, "{:?}", evo.links);
        let link = &evo.links[0];
        assert_eq!(link.inclusion, 1.0);
        assert_eq!(link.shared.len(), 3);
        let running = |s: usize| evo.clusters[s].iter().position(|c| c.terms.contains(&0)).unwrap_or(9);
        assert_eq!((link.from, link.to), ((0, running(0)), (1, running(1))));
        let q1_only = 1 - running(0);
        let q2_only = 1 - running(1);
        assert_eq!(evo.statuses(0, q1_only), ["new", "vanishing"]);
        assert_eq!(evo.statuses(1, q2_only), ["new"]);
        assert_eq!(evo.statuses(1, running(1)), ["continuing"]);
        let cut = cut_slices(&input, &[day(4, 1)], |_| true);
        assert_eq!(
            cut.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(),
            ["2024-01-03..2024-03-31", "2024-04-01..2024-06-10"]
        );
    }
}
