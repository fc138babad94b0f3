//! What the analysis commands (`trends`, `bursts`, `themes`, `keywords`) share: loading the
//! store (re-deriving it in memory when `--synonyms` or `--taxonomy` is given), checked settings,
//! and the date range.

use anyhow::Context;
use chrono::NaiveDate;

use crate::analysis::period::parse_bound;
use crate::analysis::series::Series;
use crate::analysis::{Origins, Period, Settings};
use crate::cli::{AnalysisArgs, KindArg, OriginArg, PeriodArg, VocabArgs};
use crate::error::Error;
use crate::normalize::Vocabulary;
use crate::store::{Store, Tables, derive};

/// The store's tables and the vocabulary they are derived with.
#[derive(Debug)]
pub struct Loaded {
    pub tables: Tables,
    pub vocab: Vocabulary,
}

/// What a command reads of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Only the columns the analysis reads (`analysis::INPUT_COLUMNS`): trends and bursts.
    Inputs,
    /// Every table without the long texts (`schema::LONG_TEXT`): charts, reports, themes.
    Lean,
    /// Everything: deriving the tables again, explaining a keyword.
    Full,
}

/// Reads what `need` says of the store; with user vocabulary files, reads all of it and derives
/// its tables again in memory.
pub fn load(args: &AnalysisArgs, need: Need) -> anyhow::Result<Loaded> {
    let store = Store::new(&args.store.store);
    store.require()?;
    let given = args.vocab.synonyms.is_some() || args.vocab.taxonomy.is_some();
    let t = std::time::Instant::now();
    let mut tables = match need {
        _ if given => store.tables()?,
        Need::Full => store.tables()?,
        Need::Lean => store.tables_without_text()?,
        Need::Inputs => store.read(&crate::analysis::INPUT_COLUMNS)?,
    };
    let t = crate::bench::phase("read tables", t);
    let manifest = store.manifest()?;
    crate::bench::phase("read manifest", t);
    let vocab =
        if given { vocabulary(&args.vocab)? } else { Vocabulary::with_user(manifest.synonyms, manifest.taxonomy)? };
    if given {
        derive::derive_normalised(&mut tables, &vocab)
            .context("deriving the tables with the given vocabulary failed")?;
    }
    Ok(Loaded { tables, vocab })
}

/// The vocabulary of `--synonyms` / `--taxonomy`.
pub fn vocabulary(args: &VocabArgs) -> Result<Vocabulary, Error> {
    Vocabulary::load(args.synonyms.as_deref(), args.taxonomy.as_deref())
}

pub fn period(p: PeriodArg) -> Period {
    match p {
        PeriodArg::Day => Period::Day,
        PeriodArg::Week => Period::Week,
        PeriodArg::Month => Period::Month,
    }
}

/// A usage error when `--origin` was given to a view of themes alone: themes come from papers,
/// not from keywords of one origin.
pub fn origin_applies(args: &AnalysisArgs, what: &str, keywords_shown: bool) -> Result<(), Error> {
    if args.origin.is_some() && !keywords_shown {
        return Err(Error::Usage(format!(
            "--origin selects keywords; {what} shows themes, which come from papers whatever the keywords' origin"
        )));
    }
    Ok(())
}

pub fn settings(args: &AnalysisArgs) -> Settings {
    let origins = match args.origin.unwrap_or(OriginArg::All) {
        OriginArg::All => Origins::All,
        OriginArg::Digest => Origins::Digest,
        OriginArg::Heading => Origins::Heading,
        OriginArg::Extracted => Origins::Extracted,
    };
    Settings { period: period(args.period.unwrap_or(PeriodArg::Week)), origins, ..Settings::default() }
}

/// The kinds a command shows: the one asked for, or both.
pub fn kinds(kind: Option<KindArg>) -> Vec<KindArg> {
    kind.map_or_else(|| vec![KindArg::Keywords, KindArg::Themes], |k| vec![k])
}

/// `--since` and `--until` as an inclusive date range.
#[derive(Debug, Clone, Copy, Default)]
pub struct Range {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Range {
    pub fn new(args: &AnalysisArgs) -> Result<Range, Error> {
        let bound = |flag: &str, value: &Option<String>, last: bool| -> Result<Option<NaiveDate>, Error> {
            value
                .as_deref()
                .map(|v| {
                    parse_bound(v).map(|(a, b)| if last { b } else { a }).ok_or_else(|| {
                        Error::Usage(format!("{flag} {v:?} is not a date (2025-10-06, 2025-W41 or 2025-10)"))
                    })
                })
                .transpose()
        };
        Ok(Range { since: bound("--since", &args.since, false)?, until: bound("--until", &args.until, true)? })
    }

    /// Whether the days `first..=last` overlap the range.
    pub fn overlaps(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.since.is_none_or(|s| last >= s) && self.until.is_none_or(|u| first <= u)
    }

    /// Indices of the series' periods in the range, the last `last` of them (0: all).
    pub fn periods(&self, series: &Series, last: usize) -> Vec<usize> {
        let p = series.period;
        let all: Vec<usize> =
            (0..series.keys.len()).filter(|&i| self.overlaps(p.start(series.keys[i]), p.end(series.keys[i]))).collect();
        let skip = if last == 0 { 0 } else { all.len().saturating_sub(last) };
        all[skip..].to_vec()
    }
}

/// Gaps and left-out appearances, as notes for stderr.
pub fn series_notes(kind: &str, series: &Series, range: &Range) -> Vec<String> {
    let mut notes = Vec::new();
    let p = series.period;
    let gaps: Vec<String> = series
        .gaps()
        .into_iter()
        .filter(|&(a, b)| range.overlaps(p.start(a), p.end(b)))
        .map(|g| series.gap_label(g))
        .collect();
    if !gaps.is_empty() {
        notes.push(format!("{kind}: no digests in {} (gaps, not zeros)", gaps.join(", ")));
    }
    if series.left_out > 0 {
        notes.push(format!(
            "{kind}: {} paper listings dated only to the month are left out of {} periods (use --period month)",
            series.left_out, p
        ));
    }
    notes
}
