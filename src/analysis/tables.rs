//! Runs every analysis and turns the results into the tables `periods`, `keyword_trends`,
//! `theme_trends`, `bursts`, `trend_topics` and `clusters`; reads the stored series and trends
//! back (`stored_trends`) for the commands that show them with the default settings.

use polars::prelude::*;

use std::collections::BTreeMap;

use super::bursts::{self, Burst};
use super::coword::{self, Cluster};
use super::period::Period;
use super::series::{Input, Series};
use super::topics::{self, Topic};
use super::trends::{self, Row, Status};
use super::{Inputs, Settings, inputs};
use crate::error::{Error, Result};
use crate::store::Tables;
use crate::store::columns::{date, dates, float, frame, list, strs, text, uint, uints};
use crate::store::schema::*;

/// Every analysis result for one set of settings.
#[derive(Debug, Clone)]
pub struct Results {
    pub inputs: Inputs,
    pub keywords: Series,
    pub themes: Series,
    pub keyword_trends: Vec<Row>,
    pub theme_trends: Vec<Row>,
    pub keyword_bursts: Vec<Burst>,
    pub theme_bursts: Vec<Burst>,
    pub topics: Vec<Topic>,
    pub clusters: Vec<Cluster>,
}

/// Which analyses run besides each kind's series: a command runs those it shows (`Parts::ALL`
/// for the stored tables).
#[derive(Debug, Clone, Copy, Default)]
pub struct Parts {
    pub trends: bool,
    pub bursts: bool,
    pub topics: bool,
    pub clusters: bool,
}

impl Parts {
    pub const ALL: Parts = Parts { trends: true, bursts: true, topics: true, clusters: true };
}

/// Runs every analysis (`compute_parts` with `Parts::ALL`).
pub fn compute(inputs: Inputs, settings: &Settings) -> Results {
    compute_parts(inputs, settings, Parts::ALL)
}

/// Runs each kind's series and the analyses of `parts` (the others are left empty). They are
/// independent (each a pure function of the inputs; Louvain's generator is seeded locally), so
/// they run side by side: each kind's series with its trends and bursts, the trend topics, and
/// the co-word clusters.
pub fn compute_parts(inputs: Inputs, settings: &Settings, parts: Parts) -> Results {
    let per_kind = |input: &Input| {
        let series = Series::build(input, settings.period);
        let trends = if parts.trends { trends::trends(&series, &settings.trends) } else { Vec::new() };
        let bursts = if parts.bursts { bursts::bursts(&series, &settings.bursts) } else { Vec::new() };
        (series, trends, bursts)
    };
    let topics = || if parts.topics { topics::topics(&inputs.keywords, settings.min_topic_freq) } else { Vec::new() };
    let clusters = || if parts.clusters { coword::clusters(&inputs.keywords, &settings.coword) } else { Vec::new() };
    let (((keywords, keyword_trends, keyword_bursts), (themes, theme_trends, theme_bursts)), (topics, clusters)) =
        rayon::join(
            || rayon::join(|| per_kind(&inputs.keywords), || per_kind(&inputs.themes)),
            || rayon::join(topics, clusters),
        );
    Results { keyword_trends, theme_trends, keyword_bursts, theme_bursts, topics, clusters, keywords, themes, inputs }
}

/// The analysis tables of a store's tables.
pub fn tables(store: &Tables, settings: &Settings) -> Result<Vec<(&'static str, DataFrame)>> {
    let span = tracing::info_span!("analysis inputs").entered();
    let inputs = inputs(store, settings.origins)?;
    drop(span);
    tables_of(inputs, settings)
}

/// The analysis tables of these inputs (what `inputs` reads from a store's tables).
pub fn tables_of(inputs: Inputs, settings: &Settings) -> Result<Vec<(&'static str, DataFrame)>> {
    let span = tracing::info_span!("series, trends, bursts, topics, clusters").entered();
    let results = compute(inputs, settings);
    drop(span);
    let _span = tracing::info_span!("analysis frames").entered();
    let build = || -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        Ok(vec![
            (PERIODS, periods_frame(&results.keywords, &results.inputs.keywords)?),
            (KEYWORD_TRENDS, trends_frame(&results.keywords, &results.keyword_trends, KEYWORD)?),
            (THEME_TRENDS, trends_frame(&results.themes, &results.theme_trends, THEME)?),
            (BURSTS, bursts_frame(&results)?),
            (TREND_TOPICS, topics_frame(&results)?),
            (CLUSTERS, clusters_frame(&results)?),
        ])
    };
    build().map_err(|e| Error::polars("analysis", e))
}

/// The periods of a series: one row per period with data (`date_precision` `day`) with its
/// distinct papers and its listings (appearances of papers), then one row per month of the
/// listings that the series leaves out because they are dated only to the month (`month`; none
/// in a series of months or longer). Keyword and theme series share these periods.
pub fn periods_frame(series: &Series, input: &Input) -> PolarsResult<DataFrame> {
    let period = series.period;
    let mut listings = vec![0u32; series.keys.len()];
    // Month key: (listings, papers).
    let mut months: BTreeMap<i64, (u32, Vec<u32>)> = BTreeMap::new();
    for a in input.appearances.iter() {
        if input.placeable(a, period) {
            if let Ok(i) = series.keys.binary_search(&period.key(a.date)) {
                listings[i] = listings[i].saturating_add(1);
            }
        } else {
            let (n, papers) = months.entry(Period::Month.key(a.date)).or_default();
            *n = n.saturating_add(1);
            papers.push(a.paper);
        }
    }
    let months: Vec<(i64, u32, u32)> = months
        .into_iter()
        .map(|(key, (n, mut papers))| {
            papers.sort_unstable();
            papers.dedup();
            (key, n, u32::try_from(papers.len()).unwrap_or(u32::MAX))
        })
        .collect();
    let labels: Vec<String> = series
        .keys
        .iter()
        .map(|&k| period.label(k))
        .chain(months.iter().map(|&(k, _, _)| Period::Month.label(k)))
        .collect();
    let starts =
        series.keys.iter().map(|&k| period.start(k)).chain(months.iter().map(|&(k, _, _)| Period::Month.start(k)));
    let precision = std::iter::repeat_n("day", series.keys.len()).chain(std::iter::repeat_n("month", months.len()));
    frame(vec![
        text(PERIOD, labels.iter().map(|l| Some(l.as_str()))),
        date(PERIOD_START, starts.map(Some))?,
        text(DATE_PRECISION, precision.map(Some)),
        uint(PAPERS_COL, series.papers.iter().copied().chain(months.iter().map(|m| m.2)).map(Some)),
        uint(LISTINGS, listings.into_iter().chain(months.iter().map(|m| m.1)).map(Some)),
    ])
}

/// A series and its trend rows as the store keeps them (`periods` and `keyword_trends` or
/// `theme_trends`, computed with the default settings, whose period is `period`): what `trends`
/// shows, without reading a keyword row. Terms are numbered in the stored order. `None` when the
/// tables do not fit together (a trend row in a period the `periods` table does not have).
pub fn stored_trends(
    periods: &DataFrame,
    stored: &DataFrame,
    term: &str,
    period: Period,
) -> PolarsResult<Option<(Series, Vec<Row>)>> {
    let mut series = Series {
        period,
        keys: Vec::new(),
        papers: Vec::new(),
        terms: Vec::new(),
        counts: Vec::new(),
        seen: Vec::new(),
        left_out: 0,
    };
    if periods.height() > 0 {
        let starts = dates(periods, PERIOD_START)?;
        let precision = strs(periods, DATE_PRECISION)?;
        let (papers, listings) = (uints(periods, PAPERS_COL)?, uints(periods, LISTINGS)?);
        for (((start, precision), papers), listings) in starts.into_iter().zip(precision).zip(papers).zip(listings) {
            match (precision, start) {
                (Some("day"), Some(start)) => {
                    series.keys.push(period.key(start));
                    series.papers.push(papers.unwrap_or(0));
                }
                _ => series.left_out += listings.unwrap_or(0) as usize,
            }
        }
    }
    if series.keys.windows(2).any(|w| w[0] >= w[1]) {
        return Ok(None);
    }
    if stored.height() == 0 {
        return Ok(Some((series, Vec::new())));
    }
    let floats = |name: &str| -> PolarsResult<Vec<Option<f64>>> { Ok(stored.column(name)?.f64()?.iter().collect()) };
    let (starts, terms, papers) = (dates(stored, PERIOD_START)?, strs(stored, term)?, uints(stored, PAPERS_COL)?);
    let (share, baseline, change) = (floats(SHARE)?, floats(BASELINE)?, floats(CHANGE)?);
    let (share_change, z, status) = (floats(SHARE_CHANGE)?, floats(Z)?, strs(stored, STATUS)?);
    let (first_seen, last_seen) = (dates(stored, FIRST_SEEN)?, dates(stored, LAST_SEEN)?);
    let mut index: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut rows = Vec::with_capacity(stored.height());
    for i in 0..stored.height() {
        let p = starts[i].and_then(|s| series.keys.binary_search(&period.key(s)).ok());
        let (Some(p), Some(name), Some(status)) = (p, terms[i], status[i].and_then(Status::parse)) else {
            return Ok(None);
        };
        let next = series.terms.len();
        let t = *index.entry(name).or_insert(next);
        if t == next {
            series.terms.push(name.to_owned());
            series.counts.push(Vec::new());
            series.seen.push(None);
        }
        let n = papers[i].unwrap_or(0);
        if n > 0 {
            series.counts[t].push((u32::try_from(p).unwrap_or(u32::MAX), n));
        }
        if let (Some(first), Some(last)) = (first_seen[i], last_seen[i]) {
            series.seen[t] = Some((first, last));
        }
        rows.push(Row {
            period: p,
            term: t,
            papers: n,
            share: share[i].unwrap_or(0.0),
            baseline: baseline[i],
            change: change[i],
            share_change: share_change[i],
            z: z[i],
            status,
            first_seen: first_seen[i],
            last_seen: last_seen[i],
        });
    }
    Ok(Some((series, rows)))
}

pub fn trends_frame(series: &Series, rows: &[Row], term: &str) -> PolarsResult<DataFrame> {
    let labels: Vec<String> = (0..series.keys.len()).map(|p| series.label(p)).collect();
    let starts: Vec<_> = series.keys.iter().map(|k| series.period.start(*k)).collect();
    frame(vec![
        text(PERIOD, rows.iter().map(|r| Some(labels[r.period].as_str()))),
        date(PERIOD_START, rows.iter().map(|r| Some(starts[r.period])))?,
        text(term, rows.iter().map(|r| Some(series.terms[r.term].as_str()))),
        uint(PAPERS_COL, rows.iter().map(|r| Some(r.papers))),
        float(SHARE, rows.iter().map(|r| Some(r.share))),
        float(BASELINE, rows.iter().map(|r| r.baseline)),
        float(CHANGE, rows.iter().map(|r| r.change)),
        float(SHARE_CHANGE, rows.iter().map(|r| r.share_change)),
        float(Z, rows.iter().map(|r| r.z)),
        text(STATUS, rows.iter().map(|r| Some(r.status.as_str()))),
        date(FIRST_SEEN, rows.iter().map(|r| r.first_seen))?,
        date(LAST_SEEN, rows.iter().map(|r| r.last_seen))?,
    ])
}

/// Bursts of keywords and themes, one table with a `kind` column.
pub fn bursts_frame(results: &Results) -> PolarsResult<DataFrame> {
    let all: Vec<(&str, &Series, &Burst)> = results
        .keyword_bursts
        .iter()
        .map(|b| ("keyword", &results.keywords, b))
        .chain(results.theme_bursts.iter().map(|b| ("theme", &results.themes, b)))
        .collect();
    bursts_rows_frame(&all)
}

/// Bursts as (kind, series, burst) triples, one row each.
pub fn bursts_rows_frame(all: &[(&str, &Series, &Burst)]) -> PolarsResult<DataFrame> {
    let begin: Vec<String> = all.iter().map(|(_, s, b)| s.label(b.begin)).collect();
    let end: Vec<String> = all.iter().map(|(_, s, b)| s.label(b.end)).collect();
    frame(vec![
        text(KIND, all.iter().map(|(k, _, _)| Some(*k))),
        text(TERM, all.iter().map(|(_, s, b)| Some(s.terms[b.term].as_str()))),
        text(PERIOD, all.iter().map(|(_, s, _)| Some(s.period.as_str()))),
        text(BEGIN, begin.iter().map(|l| Some(l.as_str()))),
        text(END, end.iter().map(|l| Some(l.as_str()))),
        date(BEGIN_DATE, all.iter().map(|(_, s, b)| Some(s.period.start(s.keys[b.begin]))))?,
        date(END_DATE, all.iter().map(|(_, s, b)| Some(s.period.end(s.keys[b.end]))))?,
        uint(PERIODS_COL, all.iter().map(|(_, _, b)| u32::try_from(b.end - b.begin + 1).ok())),
        float(STRENGTH, all.iter().map(|(_, _, b)| Some(b.strength))),
        uint(PAPERS_COL, all.iter().map(|(_, _, b)| Some(b.papers))),
    ])
}

pub fn topics_frame(results: &Results) -> PolarsResult<DataFrame> {
    let t = &results.topics;
    let terms = &results.inputs.keywords.terms;
    frame(vec![
        text(KEYWORD, t.iter().map(|x| Some(terms[x.term].as_str()))),
        uint(FREQ, t.iter().map(|x| u32::try_from(x.freq).ok())),
        date(DATE_Q1, t.iter().map(|x| Some(x.q1)))?,
        date(DATE_MEDIAN, t.iter().map(|x| Some(x.median)))?,
        date(DATE_Q3, t.iter().map(|x| Some(x.q3)))?,
    ])
}

pub fn clusters_frame(results: &Results) -> PolarsResult<DataFrame> {
    let c = &results.clusters;
    let terms = &results.inputs.keywords.terms;
    let names: Vec<Vec<String>> = c.iter().map(|x| x.terms.iter().map(|&t| terms[t].clone()).collect()).collect();
    frame(vec![
        uint(CLUSTER, (1..=c.len()).map(|i| u32::try_from(i).ok())),
        text(LABEL, names.iter().map(|n| n.first().map(String::as_str))),
        list(KEYWORDS_COL, names.iter().map(Vec::as_slice)),
        uint(SIZE, c.iter().map(|x| u32::try_from(x.terms.len()).ok())),
        uint(PAPERS_COL, c.iter().map(|x| Some(x.papers))),
        float(CENTRALITY, c.iter().map(|x| Some(x.centrality))),
        float(DENSITY, c.iter().map(|x| Some(x.density))),
        text(QUADRANT, c.iter().map(|x| Some(x.quadrant.as_str()))),
    ])
}
