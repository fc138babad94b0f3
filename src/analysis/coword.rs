//! Co-word structure and the thematic map.
//!
//! - Co-occurrence: c_ij = papers carrying both keywords, over the `top` most frequent keywords
//!   carried by at least `min_papers` papers (defaults 100 and 2).
//! - Association strength (van Eck & Waltman 2009, "How to normalize cooccurrence data?",
//!   JASIST 60(8)): a_ij = N·c_ij / (c_i·c_j), observed over expected co-occurrence; the edge
//!   weight for clustering.
//! - Clusters: Louvain (see `louvain`), seeded (default seed 42); clusters of one keyword are
//!   left off the map.
//! - Callon, Courtial and Laville (1991), "Co-word analysis as a tool for describing the network
//!   of interactions between basic and technological research", Scientometrics 22(1), with the
//!   equivalence index e_ij = c_ij² / (c_i·c_j): centrality = 10 · Σ e_ij over links leaving the
//!   cluster, density = 100 · Σ e_ij over links inside it / its number of keywords (the scaling
//!   of bibliometrix's thematicMap).
//! - Quadrant, against the median centrality and density of the clusters: motor (both high),
//!   niche (dense, peripheral), emerging or declining (both low), basic (central, not dense).

use super::louvain::louvain;
use super::series::Input;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub top: usize,
    pub min_papers: u32,
    pub seed: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params { top: 100, min_papers: 2, seed: 42 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quadrant {
    Motor,
    Niche,
    EmergingOrDeclining,
    Basic,
}

impl Quadrant {
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::Motor => "motor",
            Quadrant::Niche => "niche",
            Quadrant::EmergingOrDeclining => "emerging or declining",
            Quadrant::Basic => "basic",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Terms, most frequent first; the first names the cluster.
    pub terms: Vec<usize>,
    /// Distinct papers carrying any of its terms.
    pub papers: u32,
    pub centrality: f64,
    pub density: f64,
    pub quadrant: Quadrant,
}

/// Clusters of the thematic map, largest (by papers) first.
pub fn clusters(input: &Input, params: &Params) -> Vec<Cluster> {
    let per_paper = PaperTerms::of(input);
    let mut freq = vec![0u32; input.terms.len()];
    for terms in per_paper.iter() {
        for &t in terms {
            freq[t as usize] += 1;
        }
    }
    let mut chosen: Vec<usize> = (0..input.terms.len()).filter(|&t| freq[t] >= params.min_papers).collect();
    chosen.sort_by(|&a, &b| freq[b].cmp(&freq[a]).then(input.terms[a].cmp(&input.terms[b])));
    chosen.truncate(params.top);
    let k = chosen.len();
    let mut slot = vec![usize::MAX; input.terms.len()];
    for (i, &t) in chosen.iter().enumerate() {
        slot[t] = i;
    }
    let mut co = vec![0u32; k * k];
    let papers_with_any = per_paper.iter().filter(|ts| ts.iter().any(|t| slot[*t as usize] < k)).count();
    for terms in per_paper.iter() {
        let local: Vec<usize> = terms.iter().map(|t| slot[*t as usize]).filter(|s| *s < k).collect();
        for (x, &a) in local.iter().enumerate() {
            for &b in &local[x + 1..] {
                co[a * k + b] += 1;
                co[b * k + a] += 1;
            }
        }
    }
    let c = |i: usize| f64::from(freq[chosen[i]]);
    let n = papers_with_any as f64;
    let mut edges = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            let cab = f64::from(co[a * k + b]);
            if cab > 0.0 {
                edges.push((a, b, n * cab / (c(a) * c(b))));
            }
        }
    }
    let membership = louvain(k, &edges, params.seed);
    let equivalence = |a: usize, b: usize| {
        let cab = f64::from(co[a * k + b]);
        cab * cab / (c(a) * c(b))
    };
    let groups = membership.iter().copied().max().map_or(0, |m| m + 1);
    // The papers of each group: those with at least one of its terms, each counted once.
    let mut group_papers = vec![0u32; groups];
    let mut touched: Vec<usize> = Vec::new();
    for terms in per_paper.iter() {
        touched.clear();
        touched.extend(terms.iter().map(|t| slot[*t as usize]).filter(|s| *s < k).map(|s| membership[s]));
        touched.sort_unstable();
        touched.dedup();
        for &g in &touched {
            group_papers[g] = group_papers[g].saturating_add(1);
        }
    }
    let mut out = Vec::new();
    for (g, &papers) in group_papers.iter().enumerate() {
        let members: Vec<usize> = (0..k).filter(|&i| membership[i] == g).collect();
        if members.len() < 2 {
            continue;
        }
        let (mut inside, mut outside) = (0.0, 0.0);
        for &a in &members {
            for (b, &group) in membership.iter().enumerate() {
                if b == a {
                    continue;
                }
                if group == g {
                    inside += equivalence(a, b) / 2.0;
                } else {
                    outside += equivalence(a, b);
                }
            }
        }
        let terms: Vec<usize> = members.iter().map(|&i| chosen[i]).collect();
        out.push(Cluster {
            terms,
            papers,
            centrality: 10.0 * outside,
            density: 100.0 * inside / members.len() as f64,
            quadrant: Quadrant::Motor,
        });
    }
    assign_quadrants(&mut out);
    out.sort_by(|a, b| b.papers.cmp(&a.papers).then(a.terms.cmp(&b.terms)));
    out
}

/// The distinct terms of each paper, ascending: one list of every paper's terms after the
/// other (the real archive's analysis has a million papers: a `Vec` each was a million
/// allocations).
struct PaperTerms {
    /// Where each paper's terms start in `terms` (and, last, where the last one's end).
    starts: Vec<usize>,
    terms: Vec<u32>,
}

impl PaperTerms {
    fn of(input: &Input) -> PaperTerms {
        let papers = input.papers.len();
        let paper_of = |app: u32| input.appearances.get(app as usize).map(|a| a.paper as usize).filter(|&p| p < papers);
        // Counted, placed (in link order), then each paper's sorted and its repeats dropped.
        let mut starts = vec![0usize; papers + 1];
        for &(_, app) in &input.links {
            if let Some(p) = paper_of(app) {
                starts[p + 1] += 1;
            }
        }
        for p in 0..papers {
            starts[p + 1] += starts[p];
        }
        let mut next = starts.clone();
        let mut all = vec![0u32; starts[papers]];
        for &(term, app) in &input.links {
            if let Some(p) = paper_of(app) {
                all[next[p]] = term;
                next[p] += 1;
            }
        }
        drop(next);
        let mut terms = Vec::with_capacity(all.len());
        let mut distinct_starts = Vec::with_capacity(papers + 1);
        distinct_starts.push(0);
        for p in 0..papers {
            let own = &mut all[starts[p]..starts[p + 1]];
            own.sort_unstable();
            let from = terms.len();
            for &t in own.iter() {
                if terms.len() == from || terms.last() != Some(&t) {
                    terms.push(t);
                }
            }
            distinct_starts.push(terms.len());
        }
        PaperTerms { starts: distinct_starts, terms }
    }

    /// Each paper's distinct terms, in paper order.
    fn iter(&self) -> impl Iterator<Item = &[u32]> + '_ {
        self.starts.windows(2).map(|w| &self.terms[w[0]..w[1]])
    }
}

/// The median (0 for no values), as the quadrants use it.
pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn assign_quadrants(clusters: &mut [Cluster]) {
    let mc = median(clusters.iter().map(|c| c.centrality).collect());
    let md = median(clusters.iter().map(|c| c.density).collect());
    for c in clusters {
        c.quadrant = match (c.centrality >= mc, c.density >= md) {
            (true, true) => Quadrant::Motor,
            (false, true) => Quadrant::Niche,
            (false, false) => Quadrant::EmergingOrDeclining,
            (true, false) => Quadrant::Basic,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::series::Appearance;
    use crate::analysis::series::tests::day;

    /// Papers as term lists; terms named t0, t1, ...
    fn input(papers: &[&[u32]], terms: usize) -> Input {
        let mut input = Input { terms: (0..terms).map(|t| format!("t{t}")).collect(), ..Input::default() };
        for (p, ts) in papers.iter().enumerate() {
            input.papers_mut().push(&format!("p{p}"));
            input.appearances_mut().push(Appearance { paper: p as u32, date: day(0), day_precision: true });
            input.links.extend(ts.iter().map(|t| (*t, p as u32)));
        }
        input
    }

    #[test]
    fn two_topics_make_two_clusters_with_callon_measures() {
        // t0-t2 always together, t3-t5 always together, one paper bridges t2 and t3.
        let mut papers: Vec<&[u32]> = vec![&[0, 1, 2]; 6];
        papers.extend(vec![&[3, 4, 5][..]; 4]);
        papers.push(&[2, 3]);
        let found = clusters(&input(&papers, 6), &Params::default());
        let sets: Vec<Vec<usize>> = found
            .iter()
            .map(|c| {
                let mut t = c.terms.clone();
                t.sort();
                t
            })
            .collect();
        assert_eq!(sets, [vec![0, 1, 2], vec![3, 4, 5]]);
        assert_eq!((found[0].papers, found[1].papers), (7, 5), "the bridging paper is in both");
        // Inside the first: e(0,1) = 36/36 = 1, e(0,2) = e(1,2) = 36/(6*7); density 100 * sum / 3.
        let inside = 1.0 + 2.0 * 36.0 / 42.0;
        assert!((found[0].density - 100.0 * inside / 3.0).abs() < 1e-9, "{}", found[0].density);
        // Outside: only t2-t3, e = 1 / (7 * 5).
        assert!((found[0].centrality - 10.0 / 35.0).abs() < 1e-9, "{}", found[0].centrality);
        assert_eq!(found[0].quadrant, Quadrant::Motor);
        // Same centrality (ties at the median count as high), lower density: basic.
        assert_eq!(found[1].quadrant, Quadrant::Basic);
    }

    #[test]
    fn a_paper_listed_twice_counts_once() {
        let papers: Vec<&[u32]> = vec![&[0, 1], &[0, 1], &[1, 0]];
        let mut once = input(&papers, 2);
        let once_found = clusters(&once, &Params::default());
        // The third paper again, on another day, with its terms twice.
        once.appearances_mut().push(Appearance { paper: 2, date: day(1), day_precision: true });
        once.links.extend([(0, 3), (1, 3), (1, 3)]);
        let twice_found = clusters(&once, &Params::default());
        assert_eq!(once_found.len(), 1);
        assert_eq!(once_found[0].papers, 3);
        assert_eq!(
            format!("{twice_found:?}"),
            format!("{once_found:?}"),
            "the same clusters, papers, centrality and density"
        );
    }

    #[test]
    fn rare_terms_are_left_out() {
        let found = clusters(&input(&[&[0, 1], &[0, 1], &[2, 3]], 4), &Params::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].terms.len(), 2);
    }
}
