//! Trend figures per period and term: papers, share of the period's papers, change against the
//! previous periods, a log-odds z-score, and a status.
//!
//! The z-score is the log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi
//! and Quinn (2008), "Fightin' Words: Lexical Feature Selection and Evaluation for Identifying
//! the Content of Political Conflict", Political Analysis 16(4), eq. 16 and 20. Corpus i is the
//! period, corpus j its baseline (the previous `window` periods with data; gaps are skipped, not
//! counted as zeros). Counts y are papers carrying the term, n the sum of y over all terms of the
//! corpus; the prior is α_w = `prior` · (term's share of all term occurrences in the series),
//! α0 = `prior`:
//!
//! ```text
//! δ = ln((y_i+α_w)/(n_i+α0−y_i−α_w)) − ln((y_j+α_w)/(n_j+α0−y_j−α_w))
//! σ² ≈ 1/(y_i+α_w) + 1/(n_i+α0−y_i−α_w) + 1/(y_j+α_w) + 1/(n_j+α0−y_j−α_w)      z = δ/σ
//! ```
//!
//! Status: `new` in the first period a term is seen; `gone` when it is absent but was in the
//! baseline; `rising` / `declining` when |z| ≥ `z` and the share moved that way; else `steady`.
//! Defaults: window 4, prior 100, z 1.96.

use chrono::NaiveDate;

use super::series::Series;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub window: usize,
    pub prior: f64,
    pub z: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params { window: 4, prior: 100.0, z: 1.96 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    New,
    Rising,
    Steady,
    Declining,
    Gone,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Rising => "rising",
            Status::Steady => "steady",
            Status::Declining => "declining",
            Status::Gone => "gone",
        }
    }

    /// The status of its name (`as_str`).
    pub fn parse(name: &str) -> Option<Status> {
        [Status::New, Status::Rising, Status::Steady, Status::Declining, Status::Gone]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// One term in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Index into the series' periods.
    pub period: usize,
    pub term: usize,
    pub papers: u32,
    pub share: f64,
    /// Mean papers per baseline period; `None` for the first period.
    pub baseline: Option<f64>,
    pub change: Option<f64>,
    pub share_change: Option<f64>,
    pub z: Option<f64>,
    pub status: Status,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
}

/// Every (period, term) row where the term occurs or has just gone, by term then period.
pub fn trends(series: &Series, params: &Params) -> Vec<Row> {
    let periods = series.keys.len();
    let mut occurrences = vec![0u64; periods];
    let mut total = 0u64;
    for counts in &series.counts {
        for &(p, n) in counts {
            occurrences[p as usize] += u64::from(n);
            total += u64::from(n);
        }
    }
    let prefix = |v: &[u64]| -> Vec<u64> {
        std::iter::once(0).chain(v.iter().scan(0, |acc, x| Some(*acc + *x).inspect(|s| *acc = *s))).collect()
    };
    let occ_prefix = prefix(&occurrences);
    let paper_prefix = prefix(&series.papers.iter().map(|&p| u64::from(p)).collect::<Vec<_>>());
    let mut rows = Vec::new();
    for term in 0..series.terms.len() {
        let list = &series.counts[term];
        let Some(&(first, _)) = list.first() else { continue };
        let term_total: u64 = list.iter().map(|(_, n)| u64::from(*n)).sum();
        let alpha = if total == 0 { 0.0 } else { params.prior * term_total as f64 / total as f64 };
        let seen = series.seen[term];
        // Sliding window over the term's sparse counts: entries [lo, hi) are the baseline.
        let (mut lo, mut hi, mut y_j) = (0usize, 0usize, 0u64);
        for k in candidates(list, params.window, periods) {
            while hi < list.len() && (list[hi].0 as usize) < k {
                y_j += u64::from(list[hi].1);
                hi += 1;
            }
            while lo < hi && list[lo].0 as usize + params.window < k {
                y_j -= u64::from(list[lo].1);
                lo += 1;
            }
            let y_i = list.get(hi).filter(|e| e.0 as usize == k).map_or(0, |e| u64::from(e.1));
            let from = k.saturating_sub(params.window);
            let n_j = occ_prefix[k] - occ_prefix[from];
            let papers_j = paper_prefix[k] - paper_prefix[from];
            let share = ratio(y_i, u64::from(series.papers[k]));
            let has_baseline = k > from;
            let baseline = has_baseline.then(|| y_j as f64 / (k - from) as f64);
            let base_share = has_baseline.then(|| ratio(y_j, papers_j));
            let z = has_baseline.then(|| log_odds_z(y_i, occurrences[k], y_j, n_j, alpha, params.prior));
            let status = match (k == first as usize, y_i, z, base_share) {
                (true, _, _, _) => Status::New,
                (_, 0, _, _) => Status::Gone,
                (_, _, Some(z), Some(b)) if z >= params.z && share > b => Status::Rising,
                (_, _, Some(z), Some(b)) if z <= -params.z && share < b => Status::Declining,
                _ => Status::Steady,
            };
            rows.push(Row {
                period: k,
                term,
                papers: u32::try_from(y_i).unwrap_or(u32::MAX),
                share,
                baseline,
                change: baseline.map(|b| y_i as f64 - b),
                share_change: base_share.map(|b| share - b),
                z,
                status,
                first_seen: seen.map(|s| s.0),
                last_seen: seen.map(|s| s.1),
            });
        }
    }
    rows
}

/// The periods a term has a row in: where it occurs, and the `window` periods after each
/// occurrence (where it may be gone), ascending and without repeats.
fn candidates(list: &[(u32, u32)], window: usize, periods: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(list.len() * 2);
    for &(p, _) in list {
        let (p, end) = (p as usize, (p as usize + window).min(periods.saturating_sub(1)));
        let start = out.last().map_or(p, |&l| p.max(l + 1));
        out.extend(start..=end);
    }
    out
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Monroe et al. (2008) eq. 16 and 20: the z-score of the log-odds ratio of a term between
/// corpus i and corpus j under a Dirichlet prior with α_w = `alpha` and α0 = `alpha0`.
pub fn log_odds_z(y_i: u64, n_i: u64, y_j: u64, n_j: u64, alpha: f64, alpha0: f64) -> f64 {
    let (y_i, n_i, y_j, n_j) = (y_i as f64, n_i as f64, y_j as f64, n_j as f64);
    let odds = |y: f64, n: f64| ((y + alpha), (n + alpha0 - y - alpha).max(f64::MIN_POSITIVE));
    let (a_i, b_i) = odds(y_i, n_i);
    let (a_j, b_j) = odds(y_j, n_j);
    if a_i <= 0.0 || a_j <= 0.0 {
        return 0.0;
    }
    let delta = (a_i / b_i).ln() - (a_j / b_j).ln();
    let variance = 1.0 / a_i + 1.0 / b_i + 1.0 / a_j + 1.0 / b_j;
    delta / variance.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::period::Period;

    /// A series of `weeks` periods with 50 papers each and one term per count vector.
    pub fn series(terms: &[&[u32]]) -> Series {
        let weeks = terms[0].len();
        let counts = terms
            .iter()
            .map(|c| c.iter().enumerate().filter(|(_, n)| **n > 0).map(|(p, n)| (p as u32, *n)).collect())
            .collect();
        Series {
            period: Period::Week,
            keys: (2900..2900 + weeks as i64).collect(),
            papers: vec![50; weeks],
            terms: (0..terms.len()).map(|t| format!("t{t}")).collect(),
            counts,
            seen: vec![None; terms.len()],
            left_out: 0,
        }
    }

    fn statuses(rows: &[Row], term: usize) -> Vec<&'static str> {
        rows.iter().filter(|r| r.term == term).map(|r| r.status.as_str()).collect()
    }

    #[test]
    fn known_statuses() {
        // t0 steady at 5, t1 jumps from 1 to 20, t2 falls from 20 to 1, t3 appears late, t4 vanishes.
        let s = series(&[
            &[5, 5, 5, 5, 5, 5],
            &[1, 1, 1, 1, 1, 20],
            &[20, 20, 20, 20, 20, 1],
            &[0, 0, 0, 0, 0, 4],
            &[3, 3, 3, 3, 3, 0],
            &[10, 10, 10, 10, 10, 10],
        ]);
        let rows = trends(&s, &Params::default());
        assert_eq!(statuses(&rows, 0), ["new", "steady", "steady", "steady", "steady", "steady"]);
        assert_eq!(statuses(&rows, 1).last(), Some(&"rising"));
        assert_eq!(statuses(&rows, 2).last(), Some(&"declining"));
        assert_eq!(statuses(&rows, 3), ["new"]);
        assert_eq!(statuses(&rows, 4).last(), Some(&"gone"));
        let last = rows.iter().find(|r| r.term == 1 && r.period == 5).expect("row");
        assert_eq!((last.papers, last.share, last.baseline), (20, 0.4, Some(1.0)));
        assert_eq!(last.change, Some(19.0));
        // By hand: n_i = 40, n_j = 156, α_w = 100·25/235; δ = 1.5302, σ = 0.3380.
        assert!(last.z.is_some_and(|z| (z - 4.5274).abs() < 1e-3), "{:?}", last.z);
    }

    #[test]
    fn z_is_symmetric_and_zero_without_change() {
        let up = log_odds_z(20, 100, 5, 100, 1.0, 10.0);
        let down = log_odds_z(5, 100, 20, 100, 1.0, 10.0);
        assert!((up + down).abs() < 1e-12 && up > 0.0);
        assert!(log_odds_z(10, 100, 40, 400, 1.0, 10.0).abs() < 1e-12);
    }
}
