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
use crate::pipeline::derive;
use crate::store::{RememberedVocab, Store, Tables, schema};

/// The store's tables and the vocabulary they are derived with.
#[derive(Debug)]
pub struct Loaded {
    pub tables: Tables,
    pub vocab: Vocabulary,
    /// What the store's normaliser learned, when it was asked for (`Need::Normaliser`), the store
    /// has it and the tables are the stored ones.
    pub learned: Option<derive::Learned>,
}

/// What a command reads of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Only the columns the analysis reads (`analysis::INPUT_COLUMNS`): trends and bursts.
    Inputs,
    /// Every table without the long texts (`schema::LONG_TEXT`): themes, papers, authors.
    Lean,
    /// What the weekly reports read (`report::week::READS`).
    Report,
    /// The analysis' inputs and these columns of these tables (`Columns`).
    InputsAnd(&'static [(&'static str, Option<&'static [&'static str]>)]),
    /// One kind's input (without the other kind's table: the papers' themes, or the keyword rows,
    /// most of the inputs) and these columns of these tables: a command that shows one kind.
    InputsOf(KindArg, &'static [(&'static str, Option<&'static [&'static str]>)]),
    /// These columns of these tables (a column an older store lacks is left out).
    Columns(&'static [(&'static str, Option<&'static [&'static str]>)]),
    /// What the normaliser is made of (what the store learned, or else the entries' derive columns
    /// and abstracts it is learned from) and these columns of `keywords`; with `entries`, those
    /// columns of `entries` in any case: the watchlist (`entries`), explaining a keyword.
    Normaliser { keywords: &'static [&'static str], entries: bool },
}

/// What `--by input` and `--by format` read besides a command's own columns: the digests' input
/// and format, by which every table is split.
pub const BY_COLUMNS: (&str, Option<&[&str]>) =
    (schema::DIGESTS, Some(&[schema::DIGEST_ID, schema::INPUT, schema::FORMAT]));

/// Reads what `need` says of the store; with user vocabulary files (flags, else the config's)
/// other than those the store was derived with, reads all of it and derives its tables again in
/// memory.
pub fn load(args: &AnalysisArgs, need: Need) -> anyhow::Result<Loaded> {
    let store = Store::new(args.store.dir());
    store.require()?;
    let (user, manifest, given) = user_vocabulary(args, &store)?;
    let span = tracing::info_span!("read tables").entered();
    let learned = match need {
        Need::Normaliser { .. } if !given => derive::Learned::stored(&store)?,
        _ => None,
    };
    let mut tables = match need {
        _ if given => store.tables()?,
        Need::Lean => store.tables_without_text()?,
        Need::Report => store.read_present(&crate::report::week::READS)?,
        Need::Columns(wanted) => store.read_present(wanted)?,
        Need::InputsOf(kind, more) => {
            let other = match kind {
                KindArg::Keywords => schema::PAPERS,
                KindArg::Themes => schema::KEYWORDS,
            };
            let inputs = crate::analysis::INPUT_COLUMNS.iter().filter(|(table, _)| *table != other);
            let wanted: Vec<_> = inputs.chain(more).copied().collect();
            store.read_present(&wanted)?
        }
        Need::InputsAnd(more) => {
            let wanted: Vec<_> = crate::analysis::INPUT_COLUMNS.iter().chain(more).copied().collect();
            store.read_present(&wanted)?
        }
        Need::Normaliser { keywords, entries } => {
            let columns: Vec<&str> = derive::ENTRY_COLUMNS.iter().copied().chain([schema::ABSTRACT]).collect();
            let mut wanted = vec![(schema::KEYWORDS, Some(keywords))];
            // What the normaliser learns from the entries is stored with them.
            if entries || learned.is_none() {
                wanted.push((schema::ENTRIES, Some(&columns)));
            }
            store.read_present(&wanted)?
        }
        Need::Inputs => store.read(&crate::analysis::INPUT_COLUMNS)?,
    };
    drop(span);
    let vocab = match user {
        Some(v) => v,
        None => Vocabulary::with_user(manifest.synonyms, manifest.taxonomy)?,
    };
    if given {
        derive::derive_normalised(&mut tables, &vocab)
            .context("deriving the tables with the given vocabulary failed")?;
    }
    Ok(Loaded { tables, vocab, learned })
}

/// The user's vocabulary (flags, else the config's), the vocabulary files the store remembers,
/// and whether the user's differs from them (the stored derived tables then do not apply).
fn user_vocabulary(args: &AnalysisArgs, store: &Store) -> anyhow::Result<(Option<Vocabulary>, RememberedVocab, bool)> {
    let span = tracing::info_span!("read manifest").entered();
    let manifest = store.remembered_vocab()?;
    drop(span);
    let vocab_files = super::config::vocab(&args.vocab);
    let user = match (&vocab_files.synonyms, &vocab_files.taxonomy) {
        (None, None) => None,
        _ => Some(vocabulary(&vocab_files)?),
    };
    let given =
        user.as_ref().is_some_and(|v| v.user_synonyms != manifest.synonyms || v.user_taxonomy != manifest.taxonomy);
    Ok((user, manifest, given))
}

/// Whether the user's vocabulary differs from the one the store's tables were derived with.
pub fn vocabulary_given(args: &AnalysisArgs, store: &Store) -> anyhow::Result<bool> {
    Ok(user_vocabulary(args, store)?.2)
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
        PeriodArg::Quarter => Period::Quarter,
        PeriodArg::Year => Period::Year,
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
                        Error::Usage(format!(
                            "{flag} {v:?} is not a date (2025-10-06, 2025-W41, 2025-10, 2025-Q4 or 2025)"
                        ))
                    })
                })
                .transpose()
        };
        Ok(Range {
            since: bound("--since", &args.range.since, false)?,
            until: bound("--until", &args.range.until, true)?,
        })
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

/// The store's tables split by `--by`: for each PATH argument (`input`) or shape (`format`), the
/// digests of it and the rows of their entries, keywords, themes and papers. Groups are in name
/// order. Without `--by`, one unnamed group of every table.
pub fn groups(tables: Tables, by: Option<crate::cli::ByArg>) -> anyhow::Result<Vec<(String, Tables)>> {
    match by {
        Some(by) => split(&tables, by),
        None => Ok(vec![(String::new(), tables)]),
    }
}

fn split(tables: &Tables, by: crate::cli::ByArg) -> anyhow::Result<Vec<(String, Tables)>> {
    use polars::prelude::*;
    use std::collections::{BTreeMap, HashMap, HashSet};

    use crate::store::columns::strings;
    use crate::store::schema::{DIGEST_ID, DIGESTS, ENTRIES, FORMAT, INPUT, PAPER_ID, PAPERS};
    let polars = |e| Error::polars("--by", e);
    let empty = DataFrame::default();
    let digests = tables.get(DIGESTS).unwrap_or(&empty);
    let column = match by {
        crate::cli::ByArg::Input => INPUT,
        crate::cli::ByArg::Format => FORMAT,
    };
    let mut group_of: HashMap<String, String> = HashMap::new();
    if digests.height() > 0 {
        let (ids, keys) = (strings(digests, DIGEST_ID).map_err(polars)?, strings(digests, column).map_err(polars)?);
        for (id, key) in ids.into_iter().zip(keys) {
            group_of.insert(id.unwrap_or_default(), key.unwrap_or_default());
        }
    }
    let names: std::collections::BTreeSet<&String> = group_of.values().collect();
    let mut out: BTreeMap<String, Tables> = names.into_iter().map(|n| (n.clone(), Tables::new())).collect();
    for (name, group) in &mut out {
        let mut papers: HashSet<String> = HashSet::new();
        for (table, df) in tables {
            let has_digest = df.get_column_names().iter().any(|c| c.as_str() == DIGEST_ID);
            if table == PAPERS || !has_digest || df.height() == 0 {
                continue;
            }
            let ids = strings(df, DIGEST_ID).map_err(polars)?;
            let mask: BooleanChunked =
                ids.iter().map(|id| id.as_ref().and_then(|id| group_of.get(id)) == Some(name)).collect();
            let kept = df.filter(&mask).map_err(polars)?;
            if table == ENTRIES {
                papers.extend(strings(&kept, PAPER_ID).map_err(polars)?.into_iter().flatten());
            }
            group.insert(table.clone(), kept);
        }
        for (table, df) in tables {
            if group.contains_key(table) {
                continue;
            }
            let kept = if table == PAPERS && df.height() > 0 {
                let ids = strings(df, PAPER_ID).map_err(polars)?;
                let mask: BooleanChunked =
                    ids.iter().map(|id| id.as_ref().is_some_and(|id| papers.contains(id))).collect();
                df.filter(&mask).map_err(polars)?
            } else {
                df.clone()
            };
            group.insert(table.clone(), kept);
        }
    }
    Ok(out.into_iter().collect())
}

/// `frames` stacked, each with `column` = its group name in front.
pub fn stacked(
    column: &str,
    frames: Vec<(String, polars::prelude::DataFrame)>,
) -> anyhow::Result<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let mut out: Option<DataFrame> = None;
    for (name, mut df) in frames {
        if df.width() == 0 {
            continue;
        }
        let col = Column::new(column.into(), vec![name.as_str(); df.height()]);
        df.insert_column(0, col).map_err(|e| Error::polars("--by", e))?;
        out = Some(match out {
            None => df,
            Some(acc) => acc.vstack(&df).map_err(|e| Error::polars("--by", e))?,
        });
    }
    Ok(out.unwrap_or_default())
}
