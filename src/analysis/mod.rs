//! Analysis over the store's tables: trend figures per period (Monroe et al. 2008), bursts
//! (Kleinberg 2002), trend topics (bibliometrix), and co-word clusters with Callon's centrality
//! and density (Callon et al. 1991). Each method's module cites its source and states its
//! parameters; this module turns frames into plain inputs and results back into tables.
//!
//! A paper's date is the date it was listed (hf-daily listings) or else its digest's date; a
//! digest dated only to the month counts in month series only.

pub mod bursts;
pub mod coword;
pub mod louvain;
pub mod period;
pub mod series;
pub mod tables;
pub mod topics;
pub mod trends;

use std::collections::HashMap;

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::store::Tables;
use crate::store::columns::{dates, lists, strings};
use crate::store::schema::*;
pub use period::Period;
pub use series::{Appearance, Input, Series};
pub use tables::tables;

/// Which keywords an analysis counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origins {
    #[default]
    All,
    Digest,
    Extracted,
}

impl Origins {
    fn admits(self, origin: &str) -> bool {
        match self {
            Origins::All => true,
            Origins::Digest => origin == "digest",
            Origins::Extracted => origin == "extracted",
        }
    }
}

/// Every parameter of the analysis, with the defaults the stored tables use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub period: Period,
    pub origins: Origins,
    pub trends: trends::Params,
    pub bursts: bursts::Params,
    pub coword: coword::Params,
    pub min_topic_freq: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            period: Period::default(),
            origins: Origins::default(),
            trends: trends::Params::default(),
            bursts: bursts::Params::default(),
            coword: coword::Params::default(),
            min_topic_freq: topics::MIN_FREQ,
        }
    }
}

/// The keyword and theme inputs of a store.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub keywords: Input,
    pub themes: Input,
}

fn column_error(table: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::polars(table, e)
}

/// Reads appearances, keywords and paper themes from the tables.
pub fn inputs(tables: &Tables, origins: Origins) -> Result<Inputs> {
    let empty = DataFrame::default();
    let get = |name: &str| tables.get(name).filter(|df| df.height() > 0).unwrap_or(&empty);
    let (digests, entries, keywords, papers) = (get(DIGESTS), get(ENTRIES), get(KEYWORDS), get(PAPERS));
    let mut digest_dates: HashMap<String, (Option<chrono::NaiveDate>, bool)> = HashMap::new();
    let mut base = Input::default();
    if digests.height() > 0 {
        let e = column_error(DIGESTS);
        let (ids, days, precision) = (
            strings(digests, DIGEST_ID).map_err(&e)?,
            dates(digests, DIGEST_DATE).map_err(&e)?,
            strings(digests, DATE_PRECISION).map_err(&e)?,
        );
        for ((id, day), p) in ids.into_iter().zip(days).zip(precision) {
            let day_precision = p.as_deref() == Some("day");
            if let Some(d) = day {
                base.digest_dates.push((d, day_precision));
            }
            digest_dates.insert(id.unwrap_or_default(), (day, day_precision));
        }
    }
    let mut paper_index: HashMap<String, u32> = HashMap::new();
    let mut appearance_of: HashMap<(String, String), u32> = HashMap::new();
    let mut appearances_of_paper: Vec<Vec<u32>> = Vec::new();
    if entries.height() > 0 {
        let e = column_error(ENTRIES);
        let (digest_ids, paper_ids, listed) = (
            strings(entries, DIGEST_ID).map_err(&e)?,
            strings(entries, PAPER_ID).map_err(&e)?,
            dates(entries, LISTED_DATE).map_err(&e)?,
        );
        for ((digest, paper), listed) in digest_ids.into_iter().zip(paper_ids).zip(listed) {
            let (digest, paper) = (digest.unwrap_or_default(), paper.unwrap_or_default());
            let (digest_day, day_precision) = digest_dates.get(&digest).copied().unwrap_or((None, false));
            let Some(date) = listed.or(digest_day) else { continue };
            let next = u32::try_from(paper_index.len()).unwrap_or(u32::MAX);
            let p = *paper_index.entry(paper.clone()).or_insert_with(|| {
                base.papers.push(paper.clone());
                appearances_of_paper.push(Vec::new());
                next
            });
            let a = u32::try_from(base.appearances.len()).unwrap_or(u32::MAX);
            base.appearances.push(Appearance { paper: p, date, day_precision: listed.is_some() || day_precision });
            appearances_of_paper[p as usize].push(a);
            appearance_of.entry((digest, paper)).or_insert(a);
        }
    }
    let mut out = Inputs { keywords: base.clone(), themes: base };
    if keywords.height() > 0 {
        let e = column_error(KEYWORDS);
        let cols = (
            strings(keywords, DIGEST_ID).map_err(&e)?,
            strings(keywords, PAPER_ID).map_err(&e)?,
            strings(keywords, KEYWORD_NORM).map_err(&e)?,
            strings(keywords, ORIGIN).map_err(&e)?,
        );
        let mut terms: HashMap<String, u32> = HashMap::new();
        for (((digest, paper), norm), origin) in cols.0.into_iter().zip(cols.1).zip(cols.2).zip(cols.3) {
            if !origins.admits(origin.as_deref().unwrap_or_default()) {
                continue;
            }
            let (Some(norm), Some(&a)) =
                (norm, appearance_of.get(&(digest.unwrap_or_default(), paper.unwrap_or_default())))
            else {
                continue;
            };
            let t = intern(&mut terms, &mut out.keywords.terms, norm);
            out.keywords.links.push((t, a));
        }
    }
    if papers.height() > 0 && papers.column(THEMES_COL).is_ok() {
        let e = column_error(PAPERS);
        let (ids, themes) = (strings(papers, PAPER_ID).map_err(&e)?, lists(papers, THEMES_COL).map_err(&e)?);
        let mut terms: HashMap<String, u32> = HashMap::new();
        for (id, list) in ids.into_iter().zip(themes) {
            let Some(&p) = id.and_then(|id| paper_index.get(&id)) else { continue };
            for theme in list {
                let t = intern(&mut terms, &mut out.themes.terms, theme);
                out.themes.links.extend(appearances_of_paper[p as usize].iter().map(|&a| (t, a)));
            }
        }
    }
    Ok(out)
}

fn intern(index: &mut HashMap<String, u32>, names: &mut Vec<String>, name: String) -> u32 {
    if let Some(&t) = index.get(&name) {
        return t;
    }
    let t = u32::try_from(names.len()).unwrap_or(u32::MAX);
    names.push(name.clone());
    index.insert(name, t);
    t
}
