//! What each chart shows, taken from the analysis results: small plain structs, so that drawing
//! knows nothing of the analysis and the choices (which terms, which periods) are made once.

use chrono::NaiveDate;

use crate::analysis::Period;
use crate::analysis::series::Series;
use crate::analysis::tables::Results;
use crate::analysis::trends::{Row, Status};

/// The periods a chart covers (inclusive dates) and how many terms it shows at most.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub top: usize,
}

/// The x axis: period keys (consecutive integers) and their labels.
#[derive(Debug, Clone)]
pub struct Axis {
    /// (series index, key, label) of the periods in scope that have data.
    pub periods: Vec<(usize, i64, String)>,
    pub period: Period,
}

impl Axis {
    pub fn new(series: &Series, scope: &Scope) -> Axis {
        let periods = series
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| {
                let (start, end) = (series.period.start(**k), series.period.end(**k));
                scope.since.is_none_or(|s| end >= s) && scope.until.is_none_or(|u| start <= u)
            })
            .map(|(i, k)| (i, *k, series.label(i)))
            .collect();
        Axis { periods, period: series.period }
    }

    pub fn range(&self) -> (i64, i64) {
        let first = self.periods.first().map_or(0, |p| p.1);
        let last = self.periods.last().map_or(1, |p| p.1);
        (first, last.max(first + 1))
    }

    /// The label of any period key, with data or not.
    pub fn label_of(&self, key: i64) -> String {
        self.period.label(key)
    }

    fn contains(&self, index: usize) -> bool {
        self.periods.iter().any(|p| p.0 == index)
    }
}

/// Named lines of (period key, value); a line breaks where a period has no data.
#[derive(Debug, Clone)]
pub struct Lines {
    pub axis: Axis,
    pub lines: Vec<(String, Vec<(i64, f64)>)>,
}

/// The share of papers per period of a term, over the periods in `axis`.
fn shares(series: &Series, term: usize, axis: &Axis) -> Vec<(i64, f64)> {
    axis.periods
        .iter()
        .map(|&(i, key, _)| {
            let n = series.counts[term].iter().find(|(p, _)| *p as usize == i).map_or(0, |c| c.1);
            (key, f64::from(n) / f64::from(series.papers[i].max(1)))
        })
        .collect()
}

/// Terms ranked by their strongest rise within the axis: rising rows first by z, then by papers.
fn rising_terms(rows: &[Row], axis: &Axis, top: usize) -> Vec<usize> {
    let mut best: Vec<(usize, f64)> = Vec::new();
    for r in rows.iter().filter(|r| axis.contains(r.period) && matches!(r.status, Status::Rising | Status::New)) {
        let z = r.z.unwrap_or(0.0);
        match best.iter_mut().find(|(t, _)| *t == r.term) {
            Some(b) => b.1 = b.1.max(z),
            None => best.push((r.term, z)),
        }
    }
    best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    best.into_iter().map(|(t, _)| t).take(top).collect()
}

/// Terms with the most papers within the axis.
fn frequent_terms(series: &Series, axis: &Axis, top: usize) -> Vec<(usize, u32)> {
    let mut totals: Vec<(usize, u32)> = series
        .counts
        .iter()
        .enumerate()
        .map(|(t, c)| (t, c.iter().filter(|(p, _)| axis.contains(*p as usize)).map(|c| c.1).sum()))
        .filter(|(_, n)| *n > 0)
        .collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| series.terms[a.0].cmp(&series.terms[b.0])));
    totals.truncate(top);
    totals
}

/// Share-of-papers lines of the keywords that rose most (the most frequent when none rose).
pub fn keyword_trends(results: &Results, scope: &Scope) -> Lines {
    let series = &results.keywords;
    let axis = Axis::new(series, scope);
    let top = scope.top.clamp(1, 6);
    let mut terms = rising_terms(&results.keyword_trends, &axis, top);
    if terms.is_empty() {
        terms = frequent_terms(series, &axis, top).into_iter().map(|t| t.0).collect();
    }
    let lines = terms.into_iter().map(|t| (series.terms[t].clone(), shares(series, t, &axis))).collect();
    Lines { axis, lines }
}

/// The most frequent keywords of the last period in scope, with its label and paper count.
#[derive(Debug, Clone)]
pub struct Bars {
    pub period: String,
    pub papers: u32,
    pub bars: Vec<(String, u32)>,
}

pub fn top_keywords(results: &Results, scope: &Scope) -> Bars {
    let series = &results.keywords;
    let axis = Axis::new(series, scope);
    let Some(&(last, _, ref label)) = axis.periods.last() else {
        return Bars { period: String::new(), papers: 0, bars: Vec::new() };
    };
    let only_last = Axis { periods: vec![(last, 0, label.clone())], period: axis.period };
    let bars = frequent_terms(series, &only_last, scope.top.clamp(1, 20))
        .into_iter()
        .map(|(t, n)| (series.terms[t].clone(), n))
        .collect();
    Bars { period: label.clone(), papers: series.papers[last], bars }
}

/// Rows of terms × columns of periods; `None` where a period has no data at all.
#[derive(Debug, Clone)]
pub struct Grid {
    pub axis: Axis,
    pub rows: Vec<(String, Vec<f64>)>,
}

pub fn heatmap(results: &Results, scope: &Scope) -> Grid {
    let series = &results.keywords;
    let axis = Axis::new(series, scope);
    let rows = frequent_terms(series, &axis, scope.top.clamp(15, 25))
        .into_iter()
        .map(|(t, _)| (series.terms[t].clone(), shares(series, t, &axis).into_iter().map(|s| s.1).collect()))
        .collect();
    Grid { axis, rows }
}

/// Theme shares per period: each theme's part of all theme mentions, the rest as "Other".
pub fn theme_shares(results: &Results, scope: &Scope) -> Lines {
    let series = &results.themes;
    let axis = Axis::new(series, scope);
    let shown: Vec<usize> = frequent_terms(series, &axis, scope.top.clamp(1, 8)).into_iter().map(|t| t.0).collect();
    let count = |term: usize, i: usize| {
        series.counts[term].iter().find(|(p, _)| *p as usize == i).map_or(0.0, |c| f64::from(c.1))
    };
    let totals: Vec<f64> =
        axis.periods.iter().map(|&(i, _, _)| (0..series.terms.len()).map(|t| count(t, i)).sum::<f64>()).collect();
    let mut lines: Vec<(String, Vec<(i64, f64)>)> = shown
        .iter()
        .map(|&t| {
            let values = axis.periods.iter().zip(&totals).map(|(&(i, k, _), n)| (k, count(t, i) / n.max(1.0)));
            (series.terms[t].clone(), values.collect())
        })
        .collect();
    let other = axis
        .periods
        .iter()
        .zip(&totals)
        .map(|(&(i, k, _), n)| (k, (n - shown.iter().map(|&t| count(t, i)).sum::<f64>()) / n.max(1.0)))
        .collect::<Vec<_>>();
    if other.iter().any(|(_, v)| *v > 0.0) {
        lines.push(("Other themes".to_owned(), other));
    }
    Lines { axis, lines }
}

/// One bar per burst: label, first and last period key, strength.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub axis: Axis,
    pub bursts: Vec<(String, i64, i64, f64)>,
}

pub fn burst_timeline(results: &Results, scope: &Scope) -> Timeline {
    let axis = Axis::new(&results.keywords, scope);
    let (first, last) = axis.range();
    let mut bursts: Vec<(String, i64, i64, f64)> = Vec::new();
    for (series, list, kind) in
        [(&results.keywords, &results.keyword_bursts, "keyword"), (&results.themes, &results.theme_bursts, "theme")]
    {
        for b in list {
            let (begin, end) = (series.keys[b.begin], series.keys[b.end]);
            if end >= first && begin <= last {
                bursts.push((format!("{} ({kind})", series.terms[b.term]), begin, end, b.strength));
            }
        }
    }
    bursts.sort_by(|a, b| b.3.total_cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    bursts.truncate(scope.top.clamp(12, 20));
    bursts.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Timeline { axis, bursts }
}

/// Clusters of the thematic map: name, centrality, density, papers; and the two medians.
#[derive(Debug, Clone)]
pub struct Map {
    pub clusters: Vec<(String, f64, f64, u32)>,
    pub median: (f64, f64),
}

pub fn thematic_map(results: &Results) -> Map {
    let terms = &results.inputs.keywords.terms;
    let clusters: Vec<(String, f64, f64, u32)> = results
        .clusters
        .iter()
        .map(|c| {
            let name = c.terms.iter().take(2).map(|t| terms[*t].as_str()).collect::<Vec<_>>().join(", ");
            (name, c.centrality, c.density, c.papers)
        })
        .collect();
    let median = crate::analysis::coword::median;
    let m = (median(clusters.iter().map(|c| c.1).collect()), median(clusters.iter().map(|c| c.2).collect()));
    Map { clusters, median: m }
}

/// Themes over time: per slice, its largest clusters (label, papers), and the links between
/// them (from (slice, box), to (slice, box), inclusion).
/// A box of the evolution chart: (slice, cluster).
pub type BoxAt = (usize, usize);

#[derive(Debug, Clone)]
pub struct Flow {
    pub columns: Vec<(String, Vec<(String, u32)>)>,
    pub bands: Vec<(BoxAt, BoxAt, f64)>,
    /// Clusters left off the chart (beyond the largest per slice).
    pub hidden: usize,
}

/// The most clusters a slice shows.
pub const FLOW_BOXES: usize = 7;

/// The evolution of the keyword clusters over the scope, by quarter (or by the series' own period
/// when it is months, quarters or years), the most recent eight slices.
pub fn evolution(results: &Results, scope: &Scope) -> Flow {
    use crate::analysis::evolution::{evolve, period_slices};
    let input = &results.inputs.keywords;
    let period = if results.keywords.period.holds_months() { results.keywords.period } else { Period::Quarter };
    let keep = |d: NaiveDate| scope.since.is_none_or(|s| d >= s) && scope.until.is_none_or(|u| d <= u);
    let mut slices = period_slices(input, period, keep);
    let skip = slices.len().saturating_sub(8);
    slices.drain(..skip);
    let evo = evolve(input, slices, &crate::analysis::coword::Params::default(), 0.1);
    let mut hidden = 0;
    let columns = evo
        .slices
        .iter()
        .zip(&evo.clusters)
        .map(|(s, clusters)| {
            hidden += clusters.len().saturating_sub(FLOW_BOXES);
            let boxes = clusters
                .iter()
                .take(FLOW_BOXES)
                .map(|c| (c.terms.first().map(|t| input.terms[*t].clone()).unwrap_or_default(), c.papers))
                .collect();
            (s.label.clone(), boxes)
        })
        .collect();
    let bands = evo
        .links
        .iter()
        .filter(|l| l.from.1 < FLOW_BOXES && l.to.1 < FLOW_BOXES)
        .map(|l| (l.from, l.to, l.inclusion))
        .collect();
    Flow { columns, bands, hidden }
}
