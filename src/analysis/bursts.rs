//! Burst detection: Kleinberg (2002), "Bursty and Hierarchical Structure in Streams", KDD 2002,
//! section 3 (the enumerating / batched two-state automaton), solved exactly by dynamic
//! programming (Viterbi), as CiteSpace reports bursts: begin, end and strength.
//!
//! For a term over the n periods with data, r_t papers carry it out of d_t papers. State 0
//! emits at the base rate p0 = Σr/Σd, state 1 at p1 = s · p0 (capped below 1). The cost of a
//! state in period t is −ln(p^r_t (1−p)^(d_t−r_t)) (the binomial coefficient is the same in both
//! states and drops out); moving up from state 0 to state 1 costs γ · ln n, moving down is free,
//! and the automaton starts in state 0. A burst is a maximal run of periods in state 1; its
//! strength is the cost it saves, Σ over the run of (cost₀ − cost₁), Kleinberg's weight.
//! Defaults: s = 2, γ = 1; terms carried by fewer than `min_papers` = 3 papers in all are not
//! examined. Gaps are not periods: the series holds only periods with data.

use super::series::Series;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub s: f64,
    pub gamma: f64,
    pub min_papers: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params { s: 2.0, gamma: 1.0, min_papers: 3 }
    }
}

/// A run of periods in the burst state, as indices into the series' periods (inclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Burst {
    pub term: usize,
    pub begin: usize,
    pub end: usize,
    pub strength: f64,
    /// Papers carrying the term during the burst.
    pub papers: u32,
}

/// Bursts of every term with enough papers, strongest first.
pub fn bursts(series: &Series, params: &Params) -> Vec<Burst> {
    let d = &series.papers;
    let mut out = Vec::new();
    for term in 0..series.terms.len() {
        let total: u32 = series.counts[term].iter().map(|(_, n)| n).sum();
        if total < params.min_papers {
            continue;
        }
        let r = series.dense(term);
        for (begin, end, strength) in detect(&r, d, params.s, params.gamma) {
            let papers = r[begin..=end].iter().sum();
            out.push(Burst { term, begin, end, strength, papers });
        }
    }
    out.sort_by(|a, b| b.strength.total_cmp(&a.strength).then(a.term.cmp(&b.term)).then(a.begin.cmp(&b.begin)));
    out
}

/// The bursts of one series: (begin, end, strength), in time order.
pub fn detect(r: &[u32], d: &[u32], s: f64, gamma: f64) -> Vec<(usize, usize, f64)> {
    let n = r.len();
    let (sum_r, sum_d): (f64, f64) =
        r.iter().zip(d).map(|(&r, &d)| (f64::from(r), f64::from(d))).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    if n == 0 || sum_r == 0.0 || sum_r >= sum_d {
        return Vec::new();
    }
    let p0 = sum_r / sum_d;
    let p1 = (s * p0).min(0.9999);
    if p1 <= p0 {
        return Vec::new();
    }
    let cost = |p: f64, t: usize| {
        let (r, d) = (f64::from(r[t]), f64::from(d[t].max(r[t])));
        -(r * p.ln() + (d - r) * (1.0 - p).ln())
    };
    let up = gamma * (n as f64).ln();
    // best[q]: least cost of a state sequence ending in state q; back[t][q]: previous state.
    let mut best = [0.0f64, f64::INFINITY];
    let mut back: Vec<[u8; 2]> = Vec::with_capacity(n);
    for t in 0..n {
        let (c0, c1) = (cost(p0, t), cost(p1, t));
        let from_start = t == 0;
        let (prev0, prev1) = if from_start { (0.0, f64::INFINITY) } else { (best[0], best[1]) };
        // Into state 0: from 0 or (free) from 1. Into state 1: from 1, or from 0 paying `up`.
        let (to0, b0) = if prev1 < prev0 { (prev1, 1) } else { (prev0, 0) };
        let (to1, b1) = if prev0 + up < prev1 { (prev0 + up, 0) } else { (prev1, 1) };
        best = [to0 + c0, to1 + c1];
        back.push([b0, b1]);
    }
    let mut state = usize::from(best[1] < best[0]);
    let mut states = vec![0u8; n];
    for t in (0..n).rev() {
        states[t] = state as u8;
        state = usize::from(back[t][state]);
    }
    let mut out = Vec::new();
    let mut t = 0;
    while t < n {
        if states[t] == 1 {
            let begin = t;
            while t + 1 < n && states[t + 1] == 1 {
                t += 1;
            }
            let strength = (begin..=t).map(|u| cost(p0, u) - cost(p1, u)).sum();
            out.push((begin, t, strength));
        }
        t += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_three_week_burst_is_found_exactly() {
        // 20 weekly periods of 50 papers; the term is in 2 papers a week, and in 15 in weeks 8-10.
        let mut r = vec![2u32; 20];
        r[8..=10].fill(15);
        let found = detect(&r, &[50; 20], 2.0, 1.0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (8, 10));
        assert!(found[0].2 > 10.0, "strength {}", found[0].2);
    }

    #[test]
    fn a_steady_term_has_no_burst() {
        assert!(detect(&[5; 20], &[50; 20], 2.0, 1.0).is_empty());
        let wobbly = [4, 6, 5, 5, 7, 3, 5, 6, 4, 5, 5, 6, 4, 5, 6, 5, 4, 5, 6, 5];
        assert!(detect(&wobbly, &[50; 20], 2.0, 1.0).is_empty());
    }

    #[test]
    fn gamma_makes_short_bursts_harder() {
        let mut r = vec![2u32; 20];
        r[5] = 9;
        assert_eq!(detect(&r, &[50; 20], 2.0, 0.5).len(), 1);
        assert!(detect(&r, &[50; 20], 2.0, 6.0).is_empty());
    }

    #[test]
    fn two_bursts_and_degenerate_series() {
        let mut r = vec![1u32; 30];
        r[3..=5].fill(12);
        r[20..=21].fill(14);
        let found: Vec<(usize, usize)> = detect(&r, &[40; 30], 2.0, 1.0).iter().map(|b| (b.0, b.1)).collect();
        assert_eq!(found, [(3, 5), (20, 21)]);
        assert!(detect(&[], &[], 2.0, 1.0).is_empty());
        assert!(detect(&[0, 0], &[5, 5], 2.0, 1.0).is_empty());
        assert!(detect(&[5, 5], &[5, 5], 2.0, 1.0).is_empty(), "a term in every paper cannot burst");
    }
}
