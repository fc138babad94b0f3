//! Reading the analysis inputs from the store's tables: digests give dates, entries give
//! appearances (a paper on a date), keywords and paper themes give the terms of each appearance.

// A fast non-cryptographic hasher: these maps take a million lookups per million keyword rows.
use foldhash::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::{Appearance, Input, Inputs, Origins};
use crate::error::{Error, Result};
use crate::store::Tables;
use crate::store::columns::{FlatTexts, TextLists, counting_order, dates};
use crate::store::schema::*;

fn column_error(table: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::polars(table, e)
}

/// The tables and columns `inputs` reads: a command that needs nothing else reads only these.
pub const INPUT_COLUMNS: [(&str, Option<&[&str]>); 4] = [
    (DIGESTS, Some(&[DIGEST_ID, DIGEST_DATE, DATE_PRECISION])),
    (ENTRIES, Some(&[DIGEST_ID, PAPER_ID, LISTED_DATE])),
    (KEYWORDS, Some(&[DIGEST_ID, PAPER_ID, KEYWORD_NORM, ORIGIN])),
    (PAPERS, Some(&[PAPER_ID, THEMES_COL])),
];

/// The columns `listings` reads besides `INPUT_COLUMNS`' digests and entries (the appearances).
pub const LISTING_COLUMNS: [(&str, Option<&[&str]>); 1] = [(ENTRIES, Some(&[UPVOTES]))];

/// The columns `people` reads besides `INPUT_COLUMNS` (the entries' appearances).
pub const PEOPLE_COLUMNS: [(&str, Option<&[&str]>); 1] =
    [(ENTRIES, Some(&[AUTHORS, ORGANIZATION, AUTHORS_TRUNCATED, UPVOTES]))];

/// Reads appearances, keywords and paper themes from the tables.
pub fn inputs(tables: &Tables, origins: Origins) -> Result<Inputs> {
    let empty = DataFrame::default();
    let get = |name: &str| tables.get(name).filter(|df| df.height() > 0).unwrap_or(&empty);
    // The appearance of each digest and paper is looked up only for keyword rows.
    let mut reader = Reader { per_digest: get(KEYWORDS).height() > 0, ..Reader::default() };
    let listing = Listing::new(get(DIGESTS)).map_err(column_error(DIGESTS))?;
    reader.entries(listing, get(ENTRIES)).map_err(column_error(ENTRIES))?;
    let mut out = Inputs { keywords: reader.base.clone(), themes: reader.base.clone() };
    // Keywords and themes are read side by side.
    let (keywords, themes) = rayon::join(
        || reader.keywords(get(KEYWORDS), origins, &mut out.keywords).map_err(column_error(KEYWORDS)),
        || reader.themes(get(PAPERS), &mut out.themes).map_err(column_error(PAPERS)),
    );
    keywords?;
    themes?;
    Ok(out)
}

/// Who a paper is by: its authors, or its organisation (Hugging Face listings name one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Author,
    Organization,
}

/// Authors or organisations as analysis terms (their normalised names), with the names as
/// written and, per appearance, whether its author list was cut short (`et al.`, a trailing
/// comma): such a list may leave out people, whose counts are then lower bounds.
#[derive(Debug, Clone, Default)]
pub struct People {
    pub input: Input,
    /// Per term, every form it was written in and how often.
    pub forms: Vec<Vec<(String, u32)>>,
    /// Per appearance, whether its author list was cut short.
    pub truncated: Vec<bool>,
    /// Per paper, the highest upvotes any of its listings gives.
    pub upvotes: Vec<Option<u32>>,
}

/// The entries' appearances (as the analyses read them, without terms) and, per paper, the
/// highest upvotes any of its listings gives: what `papers` and upvote weights need, read
/// without an author's name.
#[derive(Debug, Clone, Default)]
pub struct Listings {
    pub input: Input,
    /// Per paper, the highest upvotes any of its listings gives.
    pub upvotes: Vec<Option<u32>>,
}

/// The listings of a store's entries and their papers' upvotes.
pub fn listings(tables: &Tables) -> Result<Listings> {
    let People { input, upvotes, .. } = read_people(tables, None)?;
    Ok(Listings { input, upvotes })
}

/// Reads authors or organisations as terms of the entries' appearances. Names are merged only
/// on the same normal form (`normalize::names::key`: case, accents, spacing, punctuation).
pub fn people(tables: &Tables, unit: Unit) -> Result<People> {
    read_people(tables, Some(unit))
}

/// `people`, or with no unit only the appearances and upvotes (`listings`).
fn read_people(tables: &Tables, unit: Option<Unit>) -> Result<People> {
    let empty = DataFrame::default();
    let get = |name: &str| tables.get(name).filter(|df| df.height() > 0).unwrap_or(&empty);
    let mut reader = Reader { keep_rows: true, pairs: true, ..Reader::default() };
    let listing = Listing::new(get(DIGESTS)).map_err(column_error(DIGESTS))?;
    let entries = get(ENTRIES);
    reader.entries(listing, entries).map_err(column_error(ENTRIES))?;
    let mut out = People { input: reader.base.clone(), ..People::default() };
    out.truncated = vec![false; out.input.appearances.len()];
    out.upvotes = vec![None; out.input.papers.len()];
    if entries.height() == 0 {
        return Ok(out);
    }
    let mut read = || -> PolarsResult<()> {
        // Borrowed from the columns, not copied into a list of texts per entry.
        let author_lists = match unit {
            Some(Unit::Author) => Some(TextLists::of(entries, AUTHORS)?),
            _ => None,
        };
        let authors = match &author_lists {
            Some(lists) => FlatTexts::of(lists)?,
            None => FlatTexts::default(),
        };
        let organizations: Vec<Option<&str>> = match unit {
            Some(Unit::Organization) => column(entries, ORGANIZATION)?.iter().collect(),
            _ => Vec::new(),
        };
        let names = |i: usize| -> &[&str] {
            match unit {
                Some(Unit::Author) => authors.row(i),
                Some(Unit::Organization) => {
                    organizations.get(i).and_then(Option::as_ref).map_or(&[], std::slice::from_ref)
                }
                None => &[],
            }
        };
        let cut: Vec<Option<bool>> = match entries.column(AUTHORS_TRUNCATED).ok().filter(|_| unit == Some(Unit::Author))
        {
            Some(c) => c.bool()?.iter().collect(),
            None => Vec::new(),
        };
        let votes: Vec<Option<u32>> = match entries.column(UPVOTES) {
            Ok(c) => c.cast(&DataType::UInt32)?.u32()?.iter().collect(),
            Err(_) => vec![None; entries.height()],
        };
        let mut terms: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        // Per name as written (borrowed from the column): its term (`None` when its normal form
        // is empty) and how often it is written so. Names recur: each is normalised once, when
        // first seen, so terms are numbered in the order they first come, as before.
        let mut written: HashMap<&str, (Option<u32>, u32)> = HashMap::default();
        for (i, &a) in reader.row_appearance.iter().enumerate() {
            if a == NO_APPEARANCE {
                continue;
            }
            let p = out.input.appearances[a as usize].paper as usize;
            out.upvotes[p] = out.upvotes[p].max(votes[i]);
            out.truncated[a as usize] |= cut.get(i).copied().flatten() == Some(true);
            for &name in names(i) {
                let slot = written.entry(name).or_insert_with(|| {
                    let norm = crate::normalize::names::key(name);
                    if norm.is_empty() {
                        return (None, 0);
                    }
                    let next = u32::try_from(out.input.terms.len()).unwrap_or(u32::MAX);
                    let t = *terms.entry(norm.clone()).or_insert(next);
                    if t == next {
                        out.input.terms.push(norm);
                    }
                    (Some(t), 0)
                });
                let Some(t) = slot.0 else { continue };
                slot.1 += 1;
                out.input.links.push((t, a));
            }
        }
        let mut forms: Vec<std::collections::BTreeMap<String, u32>> = vec![Default::default(); out.input.terms.len()];
        // Names written alike but for spaces around them are one form (counts add up, in any order).
        for (name, &(t, n)) in &written {
            if let Some(t) = t {
                *forms[t as usize].entry(name.trim().to_owned()).or_default() += n;
            }
        }
        out.forms = forms
            .into_iter()
            .map(|f| {
                let mut f: Vec<(String, u32)> = f.into_iter().collect();
                f.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                f
            })
            .collect();
        Ok(())
    };
    read().map_err(column_error(ENTRIES))?;
    Ok(out)
}

/// A string column, borrowed: no string is copied while reading.
fn column<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<&'a StringChunked> {
    df.column(name)?.str()
}

/// The appearances of papers, built from the entries in table order: a paper's date is its
/// listing date, else its digest's date. The paper numbers are the caller's (the reader below
/// numbers them by id; deriving, which knows each entry's paper already, by its own index), as
/// is which entries share an appearance; the dates and the days digests cover are decided here
/// for both.
#[derive(Debug, Default)]
pub struct Listing<'a> {
    /// The appearances so far, the papers by number, and (at `finish`) the days covered.
    pub input: Input,
    digest_dates: HashMap<&'a str, (Option<NaiveDate>, bool)>,
    /// Digests whose date some entry takes (it lists no date of its own), and digests with entries.
    dated_by_digest: foldhash::HashSet<&'a str>,
    with_entries: foldhash::HashSet<&'a str>,
    /// The digest of the run of entries being read (rows come a digest at a time: its date is
    /// looked up once per run), its date and precision, and whether an entry took that date.
    run: Option<&'a str>,
    digest_day: Option<NaiveDate>,
    day_precision: bool,
    dated: bool,
}

impl<'a> Listing<'a> {
    /// A listing of the digests of `df` (`digests`: id, date, precision).
    pub fn new(df: &'a DataFrame) -> PolarsResult<Listing<'a>> {
        let mut listing = Listing::default();
        if df.height() == 0 {
            return Ok(listing);
        }
        let (ids, days, precision) = (column(df, DIGEST_ID)?, dates(df, DIGEST_DATE)?, column(df, DATE_PRECISION)?);
        for ((id, day), p) in ids.iter().zip(days).zip(precision.iter()) {
            let day_precision = p == Some("day");
            listing.digest_dates.insert(id.unwrap_or_default(), (day, day_precision));
        }
        Ok(listing)
    }

    /// The next entry (in table order) of `digest`, listed on `listed` if it says: the date of
    /// its appearance and whether it is precise to the day, or `None` when it has no date.
    pub fn entry(&mut self, digest: &'a str, listed: Option<NaiveDate>) -> Option<(NaiveDate, bool)> {
        if self.run != Some(digest) {
            (self.digest_day, self.day_precision) = self.digest_dates.get(digest).copied().unwrap_or((None, false));
            self.with_entries.insert(digest);
            (self.run, self.dated) = (Some(digest), false);
        }
        if listed.is_none() && !self.dated {
            self.dated_by_digest.insert(digest);
            self.dated = true;
        }
        let date = listed.or(self.digest_day)?;
        Some((date, listed.is_some() || self.day_precision))
    }

    /// Adds an appearance of paper `paper` (the caller's number) dated as `entry` said; returns
    /// its number.
    pub fn appear(&mut self, paper: u32, (date, day_precision): (NaiveDate, bool)) -> u32 {
        let a = u32::try_from(self.input.appearances.len()).unwrap_or(u32::MAX);
        self.input.appearances_mut().push(Appearance { paper, date, day_precision });
        a
    }

    /// The appearances with the days digests cover: a digest's own date, unless every entry of
    /// it is listed with a date of its own (a rolling listing, whose update day is not a day of
    /// papers).
    pub fn finish(mut self) -> Input {
        let mut days: Vec<(NaiveDate, bool)> = self
            .digest_dates
            .iter()
            .filter(|(id, _)| self.dated_by_digest.contains(*id) || !self.with_entries.contains(*id))
            .filter_map(|(_, (day, precise))| day.map(|d| (d, *precise)))
            .collect();
        days.sort_unstable();
        self.input.digest_dates = days;
        self.input
    }
}

/// What one table tells the next: paper numbers, appearance numbers. Keys borrow from the
/// tables.
#[derive(Debug, Default)]
struct Reader<'a> {
    base: Input,
    paper_index: HashMap<&'a str, u32>,
    /// The first appearance of each digest and paper, when `pairs` says (`people` needs it;
    /// for the real archive it is an 84 MB table). (Keyed by their numbers instead, a keyword row
    /// took two lookups in two large tables, and `themes` was 10-20% slower.)
    appearance_of: HashMap<(&'a str, &'a str), u32>,
    pairs: bool,
    /// Per digest (its place in `digest_rows`), the papers of its dated entries with their
    /// appearances, in table order, when `per_digest` says: keyword rows come a digest at a
    /// time, and look their entry up among one digest's papers (a table that stays in the cache,
    /// not a lookup in two million pairs).
    digest_at: HashMap<&'a str, u32>,
    digest_rows: Vec<Vec<(&'a str, u32)>>,
    per_digest: bool,
    /// Whether `entries` keeps each row's appearance in `row_appearance` (for `people`).
    keep_rows: bool,
    /// Per entry row, the appearance of its digest and paper (`NO_APPEARANCE` without one).
    row_appearance: Vec<u32>,
}

/// A row without an appearance in `Reader::row_appearance`.
const NO_APPEARANCE: u32 = u32::MAX;

impl<'a> Reader<'a> {
    /// The appearances of the entries of `df`, dated by `listing`.
    fn entries(&mut self, mut listing: Listing<'a>, df: &'a DataFrame) -> PolarsResult<()> {
        if df.height() > 0 {
            let (digest_ids, paper_ids, listed) =
                (column(df, DIGEST_ID)?, column(df, PAPER_ID)?, dates(df, LISTED_DATE)?);
            // The papers are fewer than the entries (1.4 million of 1.9 million in the real
            // archive): their index grows as they come instead of being reserved per entry.
            if self.pairs {
                self.appearance_of.reserve(df.height());
            }
            listing.input.appearances_mut().reserve(df.height());
            if self.keep_rows {
                self.row_appearance = vec![NO_APPEARANCE; df.height()];
            }
            // Rows without a date (no appearance of their own) take their pair's, once known.
            let mut undated: Vec<(usize, (&str, &str))> = Vec::new();
            // The digest of the rows being read and its place (rows come a digest at a time).
            let mut run: Option<(&str, usize)> = None;
            for (row, ((digest, paper), listed)) in digest_ids.iter().zip(paper_ids.iter()).zip(listed).enumerate() {
                let (digest, paper) = (digest.unwrap_or_default(), paper.unwrap_or_default());
                let Some(dated) = listing.entry(digest, listed) else {
                    if self.keep_rows {
                        undated.push((row, (digest, paper)));
                    }
                    continue;
                };
                let next = u32::try_from(self.paper_index.len()).unwrap_or(u32::MAX);
                let p = *self.paper_index.entry(paper).or_insert(next);
                if p == next {
                    listing.input.papers_mut().push(paper);
                }
                let a = listing.appear(p, dated);
                if self.per_digest {
                    let at = match run {
                        Some((id, at)) if id == digest => at,
                        _ => {
                            let next = self.digest_rows.len();
                            let at = *self.digest_at.entry(digest).or_insert_with(|| {
                                self.digest_rows.push(Vec::new());
                                u32::try_from(next).unwrap_or(u32::MAX)
                            }) as usize;
                            run = Some((digest, at));
                            at
                        }
                    };
                    if let Some(rows) = self.digest_rows.get_mut(at) {
                        rows.push((paper, a));
                    }
                }
                if self.pairs {
                    let first = *self.appearance_of.entry((digest, paper)).or_insert(a);
                    if let Some(slot) = self.row_appearance.get_mut(row) {
                        *slot = first;
                    }
                }
            }
            for (row, key) in undated {
                if let (Some(&a), Some(slot)) = (self.appearance_of.get(&key), self.row_appearance.get_mut(row)) {
                    *slot = a;
                }
            }
        }
        self.base = listing.finish();
        Ok(())
    }

    fn keywords(&self, df: &DataFrame, origins: Origins, out: &mut Input) -> PolarsResult<()> {
        if df.height() == 0 {
            return Ok(());
        }
        let (digests, papers) = (column(df, DIGEST_ID)?, column(df, PAPER_ID)?);
        let (norms, origin) = (column(df, KEYWORD_NORM)?, column(df, ORIGIN)?);
        let mut terms: HashMap<Box<str>, u32> = HashMap::default();
        let rows = digests.iter().zip(papers.iter()).zip(norms.iter()).zip(origin.iter());
        // Rows come an entry at a time (the table's order): its appearance is looked up once,
        // among the papers of its digest (`run`), each digest's first appearance of a paper.
        let mut last: Option<((&str, &str), Option<u32>)> = None;
        let (mut run, mut papers_of_run): (Option<&str>, HashMap<&str, u32>) = (None, HashMap::default());
        for (((digest, paper), norm), origin) in rows {
            if !origins.admits(origin.unwrap_or_default()) {
                continue;
            }
            let key = (digest.unwrap_or_default(), paper.unwrap_or_default());
            let appearance = match last.filter(|(k, _)| *k == key) {
                Some((_, a)) => a,
                None => {
                    if run != Some(key.0) {
                        papers_of_run.clear();
                        let of_digest = self.digest_at.get(key.0).and_then(|&at| self.digest_rows.get(at as usize));
                        for &(p, a) in of_digest.into_iter().flatten() {
                            papers_of_run.entry(p).or_insert(a);
                        }
                        run = Some(key.0);
                    }
                    let a = papers_of_run.get(key.1).copied();
                    last = Some((key, a));
                    a
                }
            };
            let (Some(norm), Some(a)) = (norm, appearance) else { continue };
            let t = intern(&mut terms, &mut out.terms, norm);
            out.links.push((t, a));
        }
        Ok(())
    }

    /// Every appearance of a paper carries the paper's canonical themes.
    fn themes(&self, df: &DataFrame, out: &mut Input) -> PolarsResult<()> {
        if df.height() == 0 || df.column(THEMES_COL).is_err() {
            return Ok(());
        }
        let (ids, lists) = (column(df, PAPER_ID)?, TextLists::of(df, THEMES_COL)?);
        let themes = FlatTexts::of(&lists)?;
        let papers = || {
            ids.iter().enumerate().filter_map(|(i, id)| {
                let p = id.and_then(|id| self.paper_index.get(id))?;
                Some((*p, themes.row(i).iter().copied()))
            })
        };
        link_themes(out, papers);
        Ok(())
    }
}

/// Links the themes of each paper (by its number in `out`) to every appearance of the paper, in
/// the order the papers come; a theme is numbered when first seen.
/// `papers` gives the papers afresh each time it is called (twice: to count, then to link).
pub(crate) fn link_themes<'t, T: Iterator<Item = &'t str>, P: Iterator<Item = (u32, T)>>(
    out: &mut Input,
    papers: impl Fn() -> P,
) {
    // Each paper's appearances, in order: one array cut at each paper's start.
    let (of_paper, start) = counting_order(out.appearances.iter().map(|a| a.paper), out.papers.len());
    let of = |p: u32| {
        let (from, to) = (start.get(p as usize), start.get(p as usize + 1));
        from.zip(to).map_or(&[][..], |(&from, &to)| &of_paper[from as usize..to as usize])
    };
    // The links are reserved whole: grown by doubling they were up to twice their size.
    let links: usize = papers().map(|(p, themes)| of(p).len() * themes.count()).sum();
    out.links.reserve_exact(links);
    let mut terms: HashMap<Box<str>, u32> = HashMap::default();
    for (p, themes) in papers() {
        let appearances = of(p);
        for theme in themes {
            let t = intern(&mut terms, &mut out.terms, theme);
            out.links.extend(appearances.iter().map(|&a| (t, a)));
        }
    }
}

/// The number of a term, given on first sight. The index holds its own copy of each name: a few
/// thousand names, close together in memory, rather than pointers into a table's whole column
/// (a cache miss for every row compared).
pub(crate) fn intern(index: &mut HashMap<Box<str>, u32>, names: &mut Vec<String>, name: &str) -> u32 {
    if let Some(&t) = index.get(name) {
        return t;
    }
    let t = u32::try_from(names.len()).unwrap_or(u32::MAX);
    index.insert(name.into(), t);
    names.push(name.to_owned());
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::columns::{date, frame, text};

    fn texts(name: &str, values: &[&str]) -> Column {
        text(name, values.iter().map(|v| Some(*v)))
    }

    #[test]
    fn a_keyword_row_takes_the_first_appearance_of_its_digest_and_paper_wherever_their_entries_lie() {
        let day = |d| NaiveDate::from_ymd_opt(2025, 10, d);
        let digests = frame(vec![
            texts(DIGEST_ID, &["a", "b"]),
            date(DIGEST_DATE, [day(1), day(2)]).expect("dates"),
            texts(DATE_PRECISION, &["day", "day"]),
        ]);
        // Digest `a` lists p1 twice (the second time with a date of its own) and p2; its entries
        // are split by one of `b` (a digest read from two files).
        let entries = frame(vec![
            texts(DIGEST_ID, &["a", "b", "a", "a"]),
            texts(PAPER_ID, &["p1", "p1", "p2", "p1"]),
            date(LISTED_DATE, [None, None, None, day(5)]).expect("dates"),
        ]);
        let keywords = frame(vec![
            texts(DIGEST_ID, &["a", "a", "a", "b", "c"]),
            texts(PAPER_ID, &["p1", "p1", "p2", "p1", "p9"]),
            texts(KEYWORD_NORM, &["x", "y", "z", "x", "w"]),
            texts(ORIGIN, &["digest"; 5]),
        ]);
        let tables: Tables = [(DIGESTS, digests), (ENTRIES, entries), (KEYWORDS, keywords)]
            .into_iter()
            .map(|(n, df)| (n.to_owned(), df.expect("a frame")))
            .collect();
        let input = inputs(&tables, Origins::All).expect("inputs").keywords;
        assert_eq!(input.appearances.len(), 4, "one appearance per dated entry");
        let links: Vec<(&str, u32)> = input.links.iter().map(|&(t, a)| (input.terms[t as usize].as_str(), a)).collect();
        // p1 in `a` is the first entry's appearance, p2 the third's, p1 in `b` the second's; a
        // digest without entries has none.
        assert_eq!(links, [("x", 0), ("y", 0), ("z", 2), ("x", 1)]);
    }
}
