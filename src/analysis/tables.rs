//! Runs every analysis and turns the results into the tables `keyword_trends`, `theme_trends`,
//! `bursts`, `trend_topics` and `clusters`.

use polars::prelude::*;

use super::bursts::{self, Burst};
use super::coword::{self, Cluster};
use super::series::Series;
use super::topics::{self, Topic};
use super::trends::{self, Row};
use super::{Inputs, Settings, inputs};
use crate::error::{Error, Result};
use crate::store::Tables;
use crate::store::columns::{date, float, frame, list, text, uint};
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

/// Runs every analysis.
pub fn compute(inputs: Inputs, settings: &Settings) -> Results {
    let keywords = Series::build(&inputs.keywords, settings.period);
    let themes = Series::build(&inputs.themes, settings.period);
    Results {
        keyword_trends: trends::trends(&keywords, &settings.trends),
        theme_trends: trends::trends(&themes, &settings.trends),
        keyword_bursts: bursts::bursts(&keywords, &settings.bursts),
        theme_bursts: bursts::bursts(&themes, &settings.bursts),
        topics: topics::topics(&inputs.keywords, settings.min_topic_freq),
        clusters: coword::clusters(&inputs.keywords, &settings.coword),
        keywords,
        themes,
        inputs,
    }
}

/// The analysis tables of a store's tables.
pub fn tables(store: &Tables, settings: &Settings) -> Result<Vec<(&'static str, DataFrame)>> {
    let results = compute(inputs(store, settings.origins)?, settings);
    let build = || -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        Ok(vec![
            (KEYWORD_TRENDS, trends_frame(&results.keywords, &results.keyword_trends, KEYWORD)?),
            (THEME_TRENDS, trends_frame(&results.themes, &results.theme_trends, THEME)?),
            (BURSTS, bursts_frame(&results)?),
            (TREND_TOPICS, topics_frame(&results)?),
            (CLUSTERS, clusters_frame(&results)?),
        ])
    };
    build().map_err(|e| Error::polars("analysis", e))
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
        uint(PERIODS, all.iter().map(|(_, _, b)| u32::try_from(b.end - b.begin + 1).ok())),
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
