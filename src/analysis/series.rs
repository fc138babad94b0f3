//! From appearances (a paper listed on a date) and their terms (keywords or themes) to period
//! series: the periods that have data, the distinct papers of each, and per term the distinct
//! papers that carry it. Periods with no digests are gaps, never zeros: the series holds only
//! periods with data, and the gaps are listed apart.

use std::sync::Arc;

use chrono::NaiveDate;

use super::period::Period;

/// A paper listed on a date. `day_precision` is false for digests dated only to the month,
/// which day and week series leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appearance {
    pub paper: u32,
    pub date: NaiveDate,
    pub day_precision: bool,
}

/// The ids of the papers, numbered in the order they were added: one buffer of text and where
/// each id ends. An ingest of two million entries numbers a million papers; as a `Vec<String>`
/// each took about 40 bytes besides its text (70 MB of the real archive's peak).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    text: String,
    ends: Vec<usize>,
}

impl Ids {
    /// Adds an id: its number is the count before.
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// Room for `ids` more ids of `bytes` bytes together, exactly.
    pub fn reserve(&mut self, ids: usize, bytes: usize) {
        self.ends.reserve_exact(ids);
        self.text.reserve_exact(bytes);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id numbered `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
}

impl std::ops::Index<usize> for Ids {
    type Output = str;

    /// The id numbered `i`; panics when no id has that number, as a slice would.
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(id) => id,
            None => panic!("paper number {i} of {}", self.len()),
        }
    }
}

impl<'a> FromIterator<&'a str> for Ids {
    fn from_iter<I: IntoIterator<Item = &'a str>>(ids: I) -> Ids {
        let mut out = Ids::default();
        ids.into_iter().for_each(|id| out.push(id));
        out
    }
}

/// What the analysis reads: papers, their appearances, and which terms each appearance carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Input {
    /// Shared, not copied, by the inputs of one store (keywords, themes, a date range's).
    pub papers: Arc<Ids>,
    pub appearances: Arc<Vec<Appearance>>,
    pub terms: Vec<String>,
    /// (term, appearance)
    pub links: Vec<(u32, u32)>,
    /// Dates of digests, so that a digest without entries still marks its period as covered.
    pub digest_dates: Vec<(NaiveDate, bool)>,
}

impl Input {
    /// The papers to add to (copied first if another input shares them).
    pub fn papers_mut(&mut self) -> &mut Ids {
        Arc::make_mut(&mut self.papers)
    }

    /// The appearances to add to (copied first if another input shares them).
    pub fn appearances_mut(&mut self) -> &mut Vec<Appearance> {
        Arc::make_mut(&mut self.appearances)
    }

    /// Distinct papers per term among the appearances whose date passes `keep`.
    pub fn distinct_papers(&self, keep: impl Fn(NaiveDate) -> bool) -> Vec<u32> {
        let mut pairs: Vec<(u32, u32)> = self
            .links
            .iter()
            .filter_map(|&(t, a)| self.appearances.get(a as usize).map(|x| (t, x)))
            .filter(|(_, x)| keep(x.date))
            .map(|(t, x)| (t, x.paper))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut counts = vec![0u32; self.terms.len()];
        for (t, _) in pairs {
            counts[t as usize] += 1;
        }
        counts
    }

    /// The same input with only the links of appearances dated within `keep` (appearances keep
    /// their numbers): what a date range sees.
    pub fn within(&self, keep: impl Fn(NaiveDate) -> bool) -> Input {
        let links = self
            .links
            .iter()
            .filter(|(_, a)| self.appearances.get(*a as usize).is_some_and(|x| keep(x.date)))
            .copied()
            .collect();
        Input { links, ..self.clone() }
    }

    /// Whether an appearance can be placed in a period of this kind.
    pub fn placeable(&self, a: &Appearance, period: Period) -> bool {
        a.day_precision || period.holds_months()
    }
}

/// Per-period counts of one kind of term.
#[derive(Debug, Clone)]
pub struct Series {
    pub period: Period,
    /// Keys of the periods with data, ascending.
    pub keys: Vec<i64>,
    /// Distinct papers per period.
    pub papers: Vec<u32>,
    pub terms: Vec<String>,
    /// Per term: (period index, distinct papers), ascending by period.
    pub counts: Vec<Vec<(u32, u32)>>,
    /// Per term: first and last date it was seen (None when never placeable).
    pub seen: Vec<Option<(NaiveDate, NaiveDate)>>,
    /// Appearances left out because their date is only known to the month.
    pub left_out: usize,
}

impl Series {
    pub fn build(input: &Input, period: Period) -> Series {
        Series::build_with(input, period, &|_| Some(1))
    }

    /// A series in which each paper counts its weight (Hugging Face upvotes) instead of 1. Papers
    /// without a weight are left out, not counted as zero: their appearances are not placed.
    pub fn build_weighted(input: &Input, period: Period, weights: &[Option<u32>]) -> Series {
        Series::build_with(input, period, &|paper| weights.get(paper as usize).copied().flatten())
    }

    fn build_with(input: &Input, period: Period, weight: &dyn Fn(u32) -> Option<u32>) -> Series {
        let placeable: Vec<bool> =
            input.appearances.iter().map(|a| input.placeable(a, period) && weight(a.paper).is_some()).collect();
        let mut keys: Vec<i64> = input
            .appearances
            .iter()
            .zip(&placeable)
            .filter(|(_, ok)| **ok)
            .map(|(a, _)| period.key(a.date))
            .chain(
                input.digest_dates.iter().filter(|(_, day)| *day || period.holds_months()).map(|(d, _)| period.key(*d)),
            )
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let index = |date: NaiveDate| keys.binary_search(&period.key(date)).ok().and_then(|i| u32::try_from(i).ok());
        // Each appearance's period (`None`: not placed), found once per appearance rather than
        // once per term it carries, and once per run of appearances of one date (they come by
        // digest).
        let mut last: Option<(NaiveDate, Option<u32>)> = None;
        let places: Vec<Option<u32>> = input
            .appearances
            .iter()
            .zip(&placeable)
            .map(|(a, ok)| {
                if !*ok {
                    return None;
                }
                match last {
                    Some((date, place)) if date == a.date => place,
                    _ => {
                        let place = index(a.date);
                        last = Some((a.date, place));
                        place
                    }
                }
            })
            .collect();

        let mut period_papers: Vec<(u32, u32)> =
            input.appearances.iter().zip(&places).filter_map(|(a, place)| Some(((*place)?, a.paper))).collect();
        period_papers.sort_unstable();
        period_papers.dedup();
        let mut papers = vec![0u32; keys.len()];
        for (p, paper) in &period_papers {
            papers[*p as usize] = papers[*p as usize].saturating_add(weight(*paper).unwrap_or(0));
        }

        // (term, period, paper), deduplicated: a paper counts once per period.
        let mut triples: Vec<(u32, u32, u32)> = Vec::with_capacity(input.links.len());
        let mut seen: Vec<Option<(NaiveDate, NaiveDate)>> = vec![None; input.terms.len()];
        for &(term, app) in &input.links {
            let Some(a) = input.appearances.get(app as usize) else { continue };
            let Some(p) = places[app as usize] else { continue };
            triples.push((term, p, a.paper));
            let slot = &mut seen[term as usize];
            *slot = Some(slot.map_or((a.date, a.date), |(f, l)| (f.min(a.date), l.max(a.date))));
        }
        triples.sort_unstable();
        triples.dedup();
        let mut counts: Vec<Vec<(u32, u32)>> = vec![Vec::new(); input.terms.len()];
        for (term, p, paper) in triples {
            let w = weight(paper).unwrap_or(0);
            let list = &mut counts[term as usize];
            match list.last_mut() {
                Some((last, n)) if *last == p => *n = n.saturating_add(w),
                _ => list.push((p, w)),
            }
        }
        // Listings dated only to the month, in a day or week series (not papers without a weight).
        let left_out = input.appearances.iter().filter(|a| !input.placeable(a, period)).count();
        Series { period, keys, papers, terms: input.terms.clone(), counts, seen, left_out }
    }

    /// Periods between the first and the last with data that have none, as (first, last) key
    /// ranges.
    pub fn gaps(&self) -> Vec<(i64, i64)> {
        self.keys.windows(2).filter(|w| w[1] - w[0] > 1).map(|w| (w[0] + 1, w[1] - 1)).collect()
    }

    /// A gap range as text: `2025-W43` or `2025-W43..2025-W50 (8 weeks)`.
    pub fn gap_label(&self, (a, b): (i64, i64)) -> String {
        if a == b {
            self.period.label(a)
        } else {
            format!("{}..{} ({} {}s)", self.period.label(a), self.period.label(b), b - a + 1, self.period)
        }
    }

    pub fn label(&self, index: usize) -> String {
        self.keys.get(index).map(|k| self.period.label(*k)).unwrap_or_default()
    }

    /// One term's counts over every period with data (zeros where it is absent).
    pub fn dense(&self, term: usize) -> Vec<u32> {
        let mut out = vec![0; self.keys.len()];
        for &(p, n) in &self.counts[term] {
            out[p as usize] = n;
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 6).expect("date") + chrono::Duration::days(n)
    }

    #[test]
    fn ids_give_back_each_id_by_its_number() {
        let ids: Ids = ["2501.00001", "", "hf:x"].into_iter().collect();
        assert_eq!((ids.len(), ids.is_empty()), (3, false));
        assert_eq!([&ids[0], &ids[1], &ids[2]], ["2501.00001", "", "hf:x"]);
        assert_eq!(ids.get(3), None);
        assert!(Ids::default().is_empty());
    }

    #[test]
    fn papers_count_once_per_period_and_gaps_are_not_zeros() {
        // Paper 0 twice in week 0 (two digests), paper 1 in week 0, paper 2 in week 3.
        let input = Input {
            papers: Arc::new(["a", "b", "c"].into_iter().collect()),
            appearances: Arc::new(vec![
                Appearance { paper: 0, date: day(0), day_precision: true },
                Appearance { paper: 0, date: day(2), day_precision: true },
                Appearance { paper: 1, date: day(1), day_precision: true },
                Appearance { paper: 2, date: day(21), day_precision: true },
                Appearance { paper: 2, date: day(-5), day_precision: false },
            ]),
            terms: vec!["x".into()],
            links: vec![(0, 0), (0, 1), (0, 3), (0, 4)],
            digest_dates: vec![],
        };
        let s = Series::build(&input, Period::Week);
        assert_eq!(s.keys.len(), 2, "weeks 1 and 2 are gaps, not periods with zero papers");
        assert_eq!(s.papers, [2, 1]);
        assert_eq!(s.counts[0], [(0, 1), (1, 1)]);
        assert_eq!(s.gaps().len(), 1);
        assert_eq!(s.gap_label(s.gaps()[0]), "2025-W03..2025-W04 (2 weeks)");
        assert_eq!(s.left_out, 1, "the month-precision appearance has no week");
        assert_eq!(Series::build(&input, Period::Month).left_out, 0);
    }
}
