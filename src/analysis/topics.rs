//! Trend topics as bibliometrix computes them (Aria & Cuccurullo 2017, `trendTopics`): per
//! term, its frequency and the first quartile, median and third quartile of the dates it
//! occurs on. Quantiles are R's default (type 7, linear interpolation between order
//! statistics), rounded to the nearest day, where bibliometrix works in years. Each appearance
//! of a term in a digest counts once; dates known only to the month are left out. Terms with
//! fewer than `min_freq` (default 2) occurrences are dropped, as bibliometrix's `min.freq`.

use chrono::{Duration, NaiveDate};

use super::series::Input;

pub const MIN_FREQ: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub term: usize,
    pub freq: usize,
    pub q1: NaiveDate,
    pub median: NaiveDate,
    pub q3: NaiveDate,
}

/// Trend topics of every term with at least `min_freq` occurrences, by median date, then
/// frequency (descending).
pub fn topics(input: &Input, min_freq: usize) -> Vec<Topic> {
    let mut dates: Vec<Vec<NaiveDate>> = vec![Vec::new(); input.terms.len()];
    let mut links = input.links.clone();
    links.sort_unstable();
    links.dedup();
    for (term, app) in links {
        if let Some(a) = input.appearances.get(app as usize).filter(|a| a.day_precision) {
            dates[term as usize].push(a.date);
        }
    }
    let mut out: Vec<Topic> = dates
        .into_iter()
        .enumerate()
        .filter(|(_, d)| d.len() >= min_freq.max(1))
        .map(|(term, mut d)| {
            d.sort_unstable();
            Topic { term, freq: d.len(), q1: quantile(&d, 0.25), median: quantile(&d, 0.5), q3: quantile(&d, 0.75) }
        })
        .collect();
    out.sort_by(|a, b| a.median.cmp(&b.median).then(b.freq.cmp(&a.freq)).then(a.term.cmp(&b.term)));
    out
}

/// R's type-7 quantile of sorted dates, rounded to the nearest day.
pub fn quantile(sorted: &[NaiveDate], p: f64) -> NaiveDate {
    let Some(&first) = sorted.first() else { return NaiveDate::MIN };
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let a = (sorted[lo] - first).num_days() as f64;
    let b = (sorted[hi] - first).num_days() as f64;
    first + Duration::days((a + (h - lo as f64) * (b - a)).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::series::tests::day;
    use crate::analysis::series::{Appearance, Input};

    #[test]
    fn quartiles_match_r_type_7() {
        // R: quantile(c(0, 1, 2, 10, 20), c(.25, .5, .75)) = 1, 2, 10
        let d: Vec<NaiveDate> = [0, 1, 2, 10, 20].map(day).to_vec();
        assert_eq!([quantile(&d, 0.25), quantile(&d, 0.5), quantile(&d, 0.75)], [day(1), day(2), day(10)]);
        // R: quantile(c(0, 3), .5) = 1.5, rounded to 2
        assert_eq!(quantile(&[day(0), day(3)], 0.5), day(2));
    }

    #[test]
    fn topics_skip_rare_terms_and_month_dates() {
        let appearances = vec![
            Appearance { paper: 0, date: day(0), day_precision: true },
            Appearance { paper: 1, date: day(4), day_precision: true },
            Appearance { paper: 2, date: day(8), day_precision: true },
            Appearance { paper: 3, date: day(-3), day_precision: false },
        ];
        let input = Input {
            papers: std::sync::Arc::new(["a", "b", "c", "d"].into_iter().collect()),
            appearances: appearances.into(),
            terms: vec!["common".into(), "rare".into()],
            links: vec![(0, 0), (0, 1), (0, 2), (0, 3), (1, 1)],
            digest_dates: vec![],
        };
        let t = topics(&input, 2);
        assert_eq!(t, [Topic { term: 0, freq: 3, q1: day(2), median: day(4), q3: day(6) }]);
    }
}
