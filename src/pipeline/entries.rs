//! The entries as deriving holds them: every text once, numbered (`Pool`), and each entry a
//! few numbers (`Row`). An archive repeats its texts: the 981 MB bench archive of real digests has
//! 1.9 million entries but 1.4 million paper ids, 12,000 titles and 10,000 authors; held as
//! columns of texts, its entries were over a gigabyte of a fresh ingest's peak, held this way
//! they are under 200 MB.

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

use crate::store::columns::from_days;
use crate::store::schema::*;

/// The number of a missing text (a null).
const NONE: u32 = u32::MAX;
/// The number of an arXiv id that is its entry's paper id without the `arxiv:` prefix (most are):
/// it is read from the paper id rather than pooled again (2.2 million ids of the 2 GB real
/// archive).
const IN_PAPER: u32 = u32::MAX - 1;
/// The prefix of a paper id made from an arXiv id.
const ARXIV_PREFIX: &str = "arxiv:";
/// The bit of `Row::line` that says the title was taken from a heading.
const FROM_HEADING: u32 = 1 << 31;
/// A missing date.
const NO_DATE: i32 = i32::MIN;

/// Texts stored once each in one buffer and numbered in the order they were first added.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    text: String,
    /// Where each text ends in `text` (it starts where the one before ends): 4-byte numbers, as
    /// a pool holds millions of short texts (a pool is at most 4 GiB of distinct text).
    ends: Vec<u32>,
    /// Numbers by the hash of their text.
    table: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::FixedState,
}

impl Pool {
    /// The number of a text, added if it is new.
    pub(crate) fn add(&mut self, s: &str) -> PolarsResult<u32> {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(s);
        let Pool { text, ends, table, hasher } = self;
        let get = |id: u32| slice(text, ends, id);
        if let Some(&id) = table.find(hash, |&id| get(id) == s) {
            return Ok(id);
        }
        let id = u32::try_from(ends.len())
            .ok()
            .filter(|&id| id < IN_PAPER)
            .ok_or_else(|| polars_err!(ComputeError: "over 4 billion distinct texts"))?;
        let end = u32::try_from(text.len() + s.len())
            .map_err(|_| polars_err!(ComputeError: "over 4 GiB of distinct texts in the entries"))?;
        text.push_str(s);
        ends.push(end);
        let (text, ends) = (&*text, &*ends);
        table.insert_unique(hash, id, |&id| hasher.hash_one(slice(text, ends, id)));
        Ok(id)
    }

    fn add_opt(&mut self, s: Option<&str>) -> PolarsResult<u32> {
        s.map_or(Ok(NONE), |s| self.add(s))
    }

    /// How many texts it holds (their numbers are below).
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The text of a number (empty for `NONE` or a number not given out).
    pub(crate) fn get(&self, id: u32) -> &str {
        slice(&self.text, &self.ends, id)
    }

    fn get_opt(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| self.get(id))
    }
}

fn slice<'t>(text: &'t str, ends: &[u32], id: u32) -> &'t str {
    let id = id as usize;
    let (Some(&end), start) = (ends.get(id), id.checked_sub(1).and_then(|i| ends.get(i)).copied().unwrap_or(0)) else {
        return "";
    };
    text.get(start as usize..end as usize).unwrap_or_default()
}

/// The digest an entry is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DigestKey {
    id: u32,
    file: u32,
    date: Option<NaiveDate>,
}

/// One entry: numbers of its texts in the pool, of its digest, and where its lists' values
/// start in `Entries::lists` (authors, then keywords, then the headings it is listed under).
#[derive(Debug, Clone, Copy)]
struct Row {
    paper: u32,
    digest: u32,
    /// Its place in its digest (`NONE`: none, in a store written before positions were kept).
    position: u32,
    /// Its line (below `FROM_HEADING`: a line past two billion is kept as the last below it),
    /// and whether its title was taken from a heading (`FROM_HEADING`).
    line: u32,
    /// The number of its arXiv id: `NONE`, `IN_PAPER` or a text of the pool.
    arxiv: u32,
    title: u32,
    venue: u32,
    listed_date: i32,
    lists: u32,
    counts: [u32; 3],
}

static EMPTY: Row = Row {
    paper: NONE,
    digest: NONE,
    position: NONE,
    line: 0,
    arxiv: NONE,
    title: NONE,
    venue: NONE,
    listed_date: NO_DATE,
    lists: 0,
    counts: [0; 3],
};

/// The entries of a store, in table order, as far as deriving reads them.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    /// The texts of the rows (but their paper ids) and their digests: some thousands of titles,
    /// digests and venues, looked up in a table that stays in the processor's caches.
    pool: Pool,
    /// The paper ids of the rows (a million of the real archive's 1.9 million entries), read on a
    /// core of their own.
    paper_pool: Pool,
    /// The texts of the lists (authors, keywords, headings).
    list_pool: Pool,
    digests: Vec<DigestKey>,
    rows: Vec<Row>,
    /// The list values of every row, as numbers in `list_pool`.
    lists: Vec<u32>,
}

impl Entries {
    /// The entries of a frame of `entries` columns (`derive::ENTRY_COLUMNS`; the listing date and
    /// headings may be missing, as in stores written before they were kept).
    pub(crate) fn of(df: &DataFrame) -> PolarsResult<Entries> {
        let mut out = Entries::default();
        out.append(df)?;
        Ok(out)
    }

    /// Adds the rows of a frame of `entries` columns after the ones held (see `of`). The paper
    /// ids, the lists and the other columns are read side by side, each into its own pool.
    pub(crate) fn append(&mut self, df: &DataFrame) -> PolarsResult<()> {
        let first = self.rows.len();
        let Entries { pool, paper_pool, list_pool, digests, rows, lists } = self;
        let ((scalars, papers), columns) = rayon::join(
            || rayon::join(|| add_rows(df, pool, digests, rows), || paper_numbers(df, paper_pool)),
            || -> PolarsResult<[(Vec<u32>, Vec<u32>); 3]> {
                let mut columns: [(Vec<u32>, Vec<u32>); 3] = Default::default();
                for (k, name) in [AUTHORS, KEYWORDS_COL, LISTED_UNDER].into_iter().enumerate() {
                    if let Ok(column) = df.column(name) {
                        columns[k] = list_rows(column, list_pool)?;
                    }
                }
                Ok(columns)
            },
        );
        scalars?;
        for (row, paper) in rows[first..].iter_mut().zip(papers?) {
            row.paper = paper;
        }
        let columns = columns?;
        // Each row's three lists side by side.
        lists.reserve(columns.iter().map(|(_, values)| values.len()).sum());
        for (i, row) in rows[first..].iter_mut().enumerate() {
            row.lists = number(lists.len())?;
            for (k, (bounds, values)) in columns.iter().enumerate() {
                let (Some(&start), Some(&end)) = (bounds.get(i), bounds.get(i + 1)) else { continue };
                row.counts[k] = end - start;
                lists.extend_from_slice(values.get(start as usize..end as usize).unwrap_or_default());
            }
        }
        Ok(())
    }

    /// Reserves room for `rows` rows, if the allocator grants it (otherwise the rows grow as
    /// they come). A row is 52 bytes, and millions are appended slice after slice: grown by
    /// doubling, the rows of the 2 GB real archive went from 157 to 314 MB at nine tenths of its
    /// parse, both blocks held while the rows were copied (157 MB more at the peak of the
    /// ingest). Room reserved is address space, not memory, until rows are written to it, and
    /// what is left over is given back by `shrink`.
    pub(crate) fn reserve_rows(&mut self, rows: usize) {
        let _ = self.rows.try_reserve_exact(rows.saturating_sub(self.rows.len()));
    }

    /// Gives back what the vectors hold beyond their rows and texts: appended slice after slice,
    /// they grew by doubling, and up to half of each (100 MB of the real archive's entries) was
    /// room for rows that never came. Each is copied into one of its exact size (the allocator
    /// keeps a block shrunk by less than half in place).
    pub(crate) fn shrink(&mut self) {
        fn exact<T: Copy>(v: &mut Vec<T>) {
            if v.capacity() > v.len() + v.len() / 8 {
                let mut copy = Vec::with_capacity(v.len());
                copy.extend_from_slice(v);
                *v = copy;
            }
        }
        exact(&mut self.rows);
        exact(&mut self.lists);
        exact(&mut self.digests);
        for pool in [&mut self.pool, &mut self.paper_pool, &mut self.list_pool] {
            exact(&mut pool.ends);
            if pool.text.capacity() > pool.text.len() + pool.text.len() / 8 {
                let mut copy = String::with_capacity(pool.text.len());
                copy.push_str(&pool.text);
                pool.text = copy;
            }
        }
    }

    /// Drops the rows from place `n` on (their texts stay in the pool).
    pub(crate) fn truncate(&mut self, n: usize) {
        if let Some(row) = self.rows.get(n) {
            self.lists.truncate(row.lists as usize);
        }
        self.rows.truncate(n);
    }

    /// The places from `from` on whose digest's id `keep` accepts (asked once per digest).
    pub(crate) fn places_kept(&self, from: usize, keep: impl Fn(&str) -> bool) -> Vec<usize> {
        let mut verdict: Vec<Option<bool>> = vec![None; self.digests.len()];
        let mut kept = |row: &Row| {
            let d = row.digest as usize;
            match verdict.get_mut(d) {
                Some(v) => *v.get_or_insert_with(|| keep(self.pool.get(self.digests[d].id))),
                None => false,
            }
        };
        (from..self.rows.len()).filter(|&i| kept(&self.rows[i])).collect()
    }

    /// `places` (of rows) in table order (`schema::sort_keys`: digest date, file and position,
    /// nulls first, texts by their bytes), stably: rows with equal keys keep their order in
    /// `places`. The digests are ranked by date and file once, so millions of rows compare
    /// numbers, not texts.
    pub(crate) fn table_order(&self, mut places: Vec<usize>) -> Vec<usize> {
        let digest_key = |d: &DigestKey| (d.date, self.pool.get(d.file));
        let mut digests: Vec<usize> = (0..self.digests.len()).collect();
        digests.par_sort_by(|&a, &b| digest_key(&self.digests[a]).cmp(&digest_key(&self.digests[b])));
        let mut rank = vec![0u32; self.digests.len()];
        let mut at = 0u32;
        for (n, &d) in digests.iter().enumerate() {
            if n > 0 && digest_key(&self.digests[digests[n - 1]]) != digest_key(&self.digests[d]) {
                at += 1;
            }
            rank[d] = at;
        }
        let key = |i: &usize| match self.rows.get(*i) {
            Some(row) => {
                let position = if row.position == NONE { 0 } else { u64::from(row.position) + 1 };
                (rank.get(row.digest as usize).copied().unwrap_or(u32::MAX), position)
            }
            None => (u32::MAX, u64::MAX),
        };
        places.par_sort_by_key(key);
        places
    }

    /// The rows in a new order: the row at each place of `order` (an entry with no values for a
    /// place out of range). When `order` holds every place once (no stored row was dropped), the
    /// rows are moved in place, a cycle of the permutation at a time: a second array of millions
    /// of rows was 100 MB of the peak of an ingest.
    pub(crate) fn reorder(&mut self, order: &[usize]) {
        let n = self.rows.len();
        let mut done = vec![false; n];
        let permutation = order.len() == n && order.iter().all(|&i| i < n && !std::mem::replace(&mut done[i], true));
        if !permutation {
            let rows: Vec<Row> = order.iter().map(|&i| self.rows.get(i).copied().unwrap_or(EMPTY)).collect();
            self.rows = rows;
            return;
        }
        done.fill(false);
        for start in 0..n {
            if done[start] {
                continue;
            }
            // Along the cycle through `start`: each place takes the row from the place `order`
            // names, which is the next place of the cycle (not yet written); the last takes the
            // first place's row, set aside.
            let first = self.rows[start];
            let mut at = start;
            loop {
                done[at] = true;
                let from = order[at];
                if from == start {
                    self.rows[at] = first;
                    break;
                }
                self.rows[at] = self.rows[from];
                at = from;
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The distinct paper ids of the entries, sorted, and each entry's place among them. Found by
    /// the numbers of the ids' texts: each distinct id is taken once and only those are sorted
    /// (a list of every entry's id and a map from id to place: about 130 MB for 3.9 million
    /// entries).
    pub(crate) fn papers(&self) -> (Vec<u32>, Vec<u32>) {
        let mut place = vec![u32::MAX; self.paper_pool.len()];
        let mut distinct: Vec<(&str, u32)> = Vec::new();
        for row in &self.rows {
            if let Some(p) = place.get_mut(row.paper as usize)
                && *p == u32::MAX
            {
                *p = 0;
                distinct.push((self.paper_pool.get(row.paper), row.paper));
            }
        }
        // The texts are distinct: the order is theirs.
        distinct.par_sort_unstable();
        for (i, &(_, number)) in distinct.iter().enumerate() {
            place[number as usize] = u32::try_from(i).unwrap_or(u32::MAX);
        }
        let of = self.rows.iter().map(|row| place.get(row.paper as usize).copied().unwrap_or(0)).collect();
        let mut ids = Vec::with_capacity(distinct.len());
        ids.extend(distinct.iter().map(|&(_, number)| number));
        (ids, of)
    }

    /// The paper id of a number (`papers` gives paper ids as these).
    pub(crate) fn pooled(&self, number: u32) -> &str {
        self.paper_pool.get(number)
    }

    /// Frees the entries' lists (authors, keywords, headings) and their texts once nothing more
    /// reads them: every entry's lists are empty after. Deriving needs them for the keyword rows
    /// and the papers, not for the analysis' inputs and the `keywords` table built after them
    /// (86 MB of the 2 GB real archive's 3.9 million entries).
    pub(crate) fn drop_lists(&mut self) {
        self.lists = Vec::new();
        self.list_pool = Pool::default();
        for row in &mut self.rows {
            row.counts = [0; 3];
            row.lists = 0;
        }
    }

    /// The text of a number the entries' lists hold (`Texts::ids`).
    pub(crate) fn text(&self, id: u32) -> &str {
        self.list_pool.get(id)
    }

    /// Entry `i` (an entry with no values for a place out of range, which no caller asks for).
    pub(crate) fn get(&self, i: usize) -> Entry<'_> {
        Entry { all: self, row: self.rows.get(i).unwrap_or(&EMPTY) }
    }

    /// The digest of each run of entries of one digest, as they were read (`Entry::digest_run`
    /// gives an entry's run), as (date, id).
    pub(crate) fn digest_runs(&self) -> impl ExactSizeIterator<Item = (Option<NaiveDate>, &str)> + '_ {
        self.digests.iter().map(|d| (d.date, self.pool.get(d.id)))
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = Entry<'_>> + DoubleEndedIterator + '_ {
        self.rows.iter().map(|row| Entry { all: self, row })
    }
}

/// Adds a row for each row of `df` (without its paper id and lists: `NONE` and none) to `rows`,
/// its texts to `pool` and its digest to `digests` (unless it is the digest of the row before).
fn add_rows(df: &DataFrame, pool: &mut Pool, digests: &mut Vec<DigestKey>, rows: &mut Vec<Row>) -> PolarsResult<()> {
    let text = |name: &str| -> PolarsResult<_> { Ok(df.column(name)?.str()?.iter()) };
    let (mut paper, mut digest, mut file) = (text(PAPER_ID)?, text(DIGEST_ID)?, text(SOURCE_FILE)?);
    let (mut arxiv, mut titles, mut sources, mut venues) =
        (text(ARXIV_ID)?, text(TITLE)?, text(TITLE_SOURCE)?, text(VENUE)?);
    let day = df.column(DIGEST_DATE)?.cast(&DataType::Int32)?;
    let mut day = day.i32()?.iter();
    let line = df.column(SOURCE_LINE)?.cast(&DataType::UInt32)?;
    let mut line = line.u32()?.iter();
    // Stores written before positions and listing dates were kept lack them.
    let optional = |name: &str, dtype: DataType| df.column(name).ok().map(|c| c.cast(&dtype)).transpose();
    let position = optional(POSITION, DataType::UInt32)?;
    let mut position = position.as_ref().map(|c| c.u32().map(|ca| ca.iter())).transpose()?;
    let listed = optional(LISTED_DATE, DataType::Int32)?;
    let mut listed = listed.as_ref().map(|c| c.i32().map(|ca| ca.iter())).transpose()?;
    rows.reserve(df.height());
    // The digest of the row before, as texts: an entry's digest is mostly the one before's, and
    // is then not looked up.
    let mut before: Option<(&str, &str, Option<i32>)> = None;
    for _ in 0..df.height() {
        let this = (
            digest.next().flatten().unwrap_or_default(),
            file.next().flatten().unwrap_or_default(),
            day.next().flatten(),
        );
        if before != Some(this) {
            digests.push(DigestKey {
                id: pool.add(this.0)?,
                file: pool.add(this.1)?,
                date: this.2.and_then(from_days),
            });
            before = Some(this);
        }
        let listed_date = listed.as_mut().and_then(|l| l.next().flatten()).unwrap_or(NO_DATE);
        let paper_id = paper.next().flatten().unwrap_or_default();
        let arxiv_id = arxiv.next().flatten();
        let in_paper = arxiv_id.is_some_and(|a| paper_id.strip_prefix(ARXIV_PREFIX) == Some(a));
        let line = line.next().flatten().unwrap_or_default().min(FROM_HEADING - 1);
        let from_heading = if sources.next().flatten() == Some("heading") { FROM_HEADING } else { 0 };
        rows.push(Row {
            paper: NONE,
            digest: number(digests.len() - 1)?,
            position: position.as_mut().and_then(|p| p.next().flatten()).filter(|&p| p != NONE).unwrap_or(NONE),
            line: line | from_heading,
            arxiv: if in_paper { IN_PAPER } else { pool.add_opt(arxiv_id)? },
            title: pool.add_opt(titles.next().flatten())?,
            venue: pool.add_opt(venues.next().flatten())?,
            listed_date,
            lists: 0,
            counts: [0; 3],
        });
    }
    Ok(())
}

/// The number of every row's paper id in `pool`.
fn paper_numbers(df: &DataFrame, pool: &mut Pool) -> PolarsResult<Vec<u32>> {
    let ids = df.column(PAPER_ID)?.str()?;
    let mut numbers = Vec::with_capacity(ids.len());
    for id in ids.iter() {
        numbers.push(pool.add(id.unwrap_or_default())?);
    }
    Ok(numbers)
}

/// Every row's values of a list-of-text column as numbers in `pool` (null values and null lists
/// left out), read in one pass over each chunk's values: where each row's values start (and the
/// last row's end), and the values.
fn list_rows(column: &Column, pool: &mut Pool) -> PolarsResult<(Vec<u32>, Vec<u32>)> {
    let list = column.list()?;
    let mut bounds = Vec::with_capacity(list.len() + 1);
    let mut ids = Vec::new();
    bounds.push(0);
    for array in list.downcast_iter() {
        let values = Series::from_arrow(column.name().clone(), array.values().clone())?;
        let mut values = values.str()?.iter();
        let offsets = array.offsets().as_slice();
        let mut at = offsets.first().copied().unwrap_or_default();
        for i in 0..array.len() {
            let (Some(&start), Some(&end)) = (offsets.get(i), offsets.get(i + 1)) else { break };
            // Values before this row's (a null list's may be skipped over).
            for _ in at..start {
                values.next();
            }
            let valid = array.validity().is_none_or(|v| v.get_bit(i));
            for v in values.by_ref().take(usize::try_from(end - start).unwrap_or(0)) {
                if let Some(v) = v.filter(|_| valid) {
                    ids.push(pool.add(v)?);
                }
            }
            at = end;
            bounds.push(number(ids.len())?);
        }
    }
    Ok((bounds, ids))
}

fn number(n: usize) -> PolarsResult<u32> {
    u32::try_from(n).map_err(|_| polars_err!(ComputeError: "over 4 billion entries or list values"))
}

/// One entry of `Entries`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    all: &'a Entries,
    row: &'a Row,
}

impl<'a> Entry<'a> {
    fn digest(&self) -> DigestKey {
        self.all.digests.get(self.row.digest as usize).copied().unwrap_or(DigestKey {
            id: NONE,
            file: NONE,
            date: None,
        })
    }

    /// The number of its run in `Entries::digest_runs`.
    pub(crate) fn digest_run(&self) -> usize {
        self.row.digest as usize
    }

    pub(crate) fn paper_id(&self) -> &'a str {
        self.all.paper_pool.get(self.row.paper)
    }

    pub(crate) fn digest_id(&self) -> &'a str {
        self.all.pool.get(self.digest().id)
    }

    pub(crate) fn digest_date(&self) -> Option<NaiveDate> {
        self.digest().date
    }

    pub(crate) fn file(&self) -> &'a str {
        self.all.pool.get(self.digest().file)
    }

    pub(crate) fn line(&self) -> u32 {
        self.row.line & !FROM_HEADING
    }

    pub(crate) fn arxiv_id(&self) -> Option<&'a str> {
        match self.row.arxiv {
            IN_PAPER => self.paper_id().get(ARXIV_PREFIX.len()..),
            n => self.all.pool.get_opt(n),
        }
    }

    pub(crate) fn title(&self) -> Option<&'a str> {
        self.all.pool.get_opt(self.row.title)
    }

    /// Whether the title is the entry's heading (not one recovered from its text).
    pub(crate) fn titled_by_heading(&self) -> bool {
        self.row.line & FROM_HEADING != 0
    }

    pub(crate) fn venue(&self) -> Option<&'a str> {
        self.all.pool.get_opt(self.row.venue)
    }

    /// The date a listing gives the entry (Hugging Face listings), else `None`.
    pub(crate) fn listed_date(&self) -> Option<NaiveDate> {
        (self.row.listed_date != NO_DATE).then(|| from_days(self.row.listed_date)).flatten()
    }

    fn list(&self, k: usize) -> Texts<'a> {
        let before: u32 = self.row.counts[..k].iter().sum();
        let start = (self.row.lists + before) as usize;
        let ids = self.all.lists.get(start..start + self.row.counts[k] as usize).unwrap_or_default();
        Texts { ids, pool: &self.all.list_pool }
    }

    pub(crate) fn authors(&self) -> Texts<'a> {
        self.list(0)
    }

    pub(crate) fn keywords(&self) -> Texts<'a> {
        self.list(1)
    }

    /// The section headings the entry is listed under (keywords of origin `heading`).
    pub(crate) fn listed_under(&self) -> Texts<'a> {
        self.list(2)
    }

    /// `file:line`, for the acronym learner's examples.
    pub(crate) fn source(&self) -> String {
        format!("{}:{}", self.file(), self.line())
    }
}

/// The texts of one list of an entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Texts<'a> {
    ids: &'a [u32],
    pool: &'a Pool,
}

impl<'a> Texts<'a> {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The texts as numbers (`Entries::text` gives them back): equal texts, equal numbers.
    pub(crate) fn ids(&self) -> &'a [u32] {
        self.ids
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + Clone + use<'a> {
        let pool = self.pool;
        self.ids.iter().map(move |&id| pool.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::columns::{date, frame, list, text, uint};

    #[test]
    fn a_pool_numbers_each_distinct_text_once_and_gives_it_back() {
        let mut pool = Pool::default();
        let words = ["agents", "", "RAG", "agents", "résumé", "RAG"];
        let ids: Vec<u32> = words.iter().map(|w| pool.add(w).unwrap_or(NONE)).collect();
        assert_eq!(ids, [0, 1, 2, 0, 3, 2]);
        let back: Vec<&str> = ids.iter().map(|&i| pool.get(i)).collect();
        assert_eq!(back, words);
        assert_eq!(pool.get_opt(NONE), None);
        assert_eq!(pool.get(99), "", "a number not given out");
        // Many texts: the table grows and every number still finds its text.
        let many: Vec<String> = (0..10_000).map(|i| format!("paper-{i}")).collect();
        let ids: Vec<u32> = many.iter().map(|w| pool.add(w).unwrap_or(NONE)).collect();
        assert!(many.iter().zip(&ids).all(|(w, &i)| pool.get(i) == w && pool.add(w).ok() == Some(i)));
    }

    #[test]
    fn the_table_order_is_the_stable_sort_of_the_frame_by_its_keys() {
        // Dates with nulls, files out of order, ties on every key (kept in the order given), a
        // null position, and one digest in two places.
        let d = |n: u32| NaiveDate::from_ymd_opt(2025, 9, n);
        let rows: [(Option<NaiveDate>, &str, Option<u32>); 9] = [
            (d(2), "b.md", Some(2)),
            (d(2), "a.md", Some(1)),
            (None, "z.md", Some(1)),
            (d(1), "b.md", Some(1)),
            (d(2), "b.md", Some(1)),
            (d(2), "b.md", None),
            (d(2), "a.md", Some(1)),
            (None, "z.md", Some(1)),
            (d(2), "b.md", Some(2)),
        ];
        let papers: Vec<String> = (0..rows.len()).map(|i| format!("p{i}")).collect();
        let df = frame(vec![
            text(DIGEST_ID, rows.iter().map(|r| Some(r.1))),
            text(SOURCE_FILE, rows.iter().map(|r| Some(r.1))),
            date(DIGEST_DATE, rows.iter().map(|r| r.0)).unwrap_or_else(|_| text("x", [None])),
            uint(POSITION, rows.iter().map(|r| r.2)),
            uint(SOURCE_LINE, rows.iter().map(|_| Some(1))),
            text(PAPER_ID, papers.iter().map(|p| Some(p.as_str()))),
            text(ARXIV_ID, rows.iter().map(|_| None)),
            text(TITLE, rows.iter().map(|_| None)),
            text(TITLE_SOURCE, rows.iter().map(|_| None)),
            text(VENUE, rows.iter().map(|_| None)),
            list(AUTHORS, rows.iter().map(|_| &[] as &[&str])),
            list(KEYWORDS_COL, rows.iter().map(|_| &[] as &[&str])),
        ])
        .unwrap_or_default();
        let keys = crate::store::schema::sort_keys(ENTRIES);
        let want: Vec<String> = crate::store::sort::sort_by_keys(df.clone(), keys)
            .and_then(|s| Ok(s.column(PAPER_ID)?.str()?.iter().map(|p| p.unwrap_or_default().to_owned()).collect()))
            .unwrap_or_default();
        assert_eq!(want.len(), rows.len());
        let entries = Entries::of(&df).unwrap_or_default();
        let got: Vec<&str> =
            entries.table_order((0..rows.len()).collect()).into_iter().map(|i| entries.get(i).paper_id()).collect();
        assert_eq!(got, want);
        // Only the rows of kept digests, from a place on.
        let kept = entries.places_kept(2, |id| id != "b.md");
        assert_eq!(kept, [2, 6, 7]);
    }

    #[test]
    fn a_permutation_moves_the_rows_in_place_as_a_gather_would() {
        let n = 200;
        let papers: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
        let df = frame(vec![
            text(DIGEST_ID, papers.iter().map(|_| Some("d"))),
            text(SOURCE_FILE, papers.iter().map(|_| Some("d.md"))),
            date(DIGEST_DATE, papers.iter().map(|_| None)).unwrap_or_else(|_| text("x", [None])),
            uint(SOURCE_LINE, (0..n).map(|i| Some(i as u32))),
            text(PAPER_ID, papers.iter().map(|p| Some(p.as_str()))),
            text(ARXIV_ID, papers.iter().map(|_| None)),
            text(TITLE, papers.iter().map(|_| None)),
            text(TITLE_SOURCE, papers.iter().map(|_| None)),
            text(VENUE, papers.iter().map(|_| None)),
            list(AUTHORS, papers.iter().map(std::slice::from_ref)),
            list(KEYWORDS_COL, papers.iter().map(|_| &[] as &[&str])),
        ])
        .unwrap_or_default();
        // Slice after slice, then shrunk: the same rows, in vectors of their size.
        let mut grown = Entries::default();
        for _ in 0..5 {
            grown.append(&df).unwrap_or_default();
        }
        let before: Vec<(String, Vec<String>)> =
            grown.iter().map(|e| (e.paper_id().to_owned(), e.authors().iter().map(str::to_owned).collect())).collect();
        grown.shrink();
        assert!(grown.rows.capacity() <= grown.rows.len() + grown.rows.len() / 8);
        assert!(grown.pool.ends.capacity() <= grown.pool.ends.len() + grown.pool.ends.len() / 8);
        let after: Vec<(String, Vec<String>)> =
            grown.iter().map(|e| (e.paper_id().to_owned(), e.authors().iter().map(str::to_owned).collect())).collect();
        assert_eq!((after.len(), &after), (5 * n, &before));
        // Several cycles of several lengths, and fixed points.
        for step in [1, 3, 7, 199] {
            let order: Vec<usize> = (0..n).map(|i| (i * step + 11) % n).collect();
            let mut entries = Entries::of(&df).unwrap_or_default();
            entries.reorder(&order);
            let got: Vec<(String, u32, Vec<&str>)> =
                entries.iter().map(|e| (e.paper_id().to_owned(), e.line(), e.authors().iter().collect())).collect();
            let want: Vec<(String, u32, Vec<&str>)> =
                order.iter().map(|&i| (papers[i].clone(), i as u32, vec![papers[i].as_str()])).collect();
            assert_eq!(got, want, "step {step}");
        }
    }

    #[test]
    fn arxiv_ids_read_from_paper_ids_and_packed_lines_give_back_what_was_stored() {
        // arXiv ids that are their paper ids' tails, one that is not, one after another prefix;
        // lines up to the largest a row keeps (larger ones are kept as that), titles from headings.
        let far = FROM_HEADING - 1;
        let df = frame(vec![
            text(DIGEST_ID, [Some("a"); 5]),
            text(SOURCE_FILE, [Some("a.md"); 5]),
            date(DIGEST_DATE, [None; 5]).unwrap_or_else(|_| text("x", [None])),
            uint(SOURCE_LINE, [Some(far), Some(u32::MAX), Some(7), Some(0), None]),
            text(PAPER_ID, [Some("arxiv:2509.1"), Some("arxiv:2509.2"), Some("doi:10.1/x"), Some("arxiv:"), Some("p")]),
            text(ARXIV_ID, [Some("2509.1"), Some("2509.9"), Some("10.1/x"), Some(""), None]),
            text(TITLE, [None; 5]),
            text(TITLE_SOURCE, [Some("heading"), Some("heading"), None, Some("text"), Some("heading")]),
            text(VENUE, [None; 5]),
            list(AUTHORS, [&[] as &[&str]; 5]),
            list(KEYWORDS_COL, [&[] as &[&str]; 5]),
        ])
        .unwrap_or_default();
        let entries = Entries::of(&df).unwrap_or_default();
        let got: Vec<(Option<&str>, u32, bool)> =
            entries.iter().map(|e| (e.arxiv_id(), e.line(), e.titled_by_heading())).collect();
        assert_eq!(
            got,
            [
                (Some("2509.1"), far, true),
                (Some("2509.9"), far, true),
                (Some("10.1/x"), 7, false),
                (Some(""), 0, false),
                (None, 0, true)
            ]
        );
        assert_eq!(entries.rows.iter().filter(|r| r.arxiv == IN_PAPER).count(), 2, "two taken from the paper ids");
        assert_eq!(std::mem::size_of::<Row>(), 48);
    }

    #[test]
    fn entries_read_from_a_frame_give_back_every_value_and_list() {
        let d = |n: u32| NaiveDate::from_ymd_opt(2025, 9, n);
        let df = frame(vec![
            text(DIGEST_ID, [Some("a"), Some("a"), Some("b")]),
            text(SOURCE_FILE, [Some("a.md"), Some("a.md"), Some("b.md")]),
            date(DIGEST_DATE, [d(1), d(1), None]).unwrap_or_else(|_| text("x", [None])),
            uint(SOURCE_LINE, [Some(3), Some(9), None]),
            text(PAPER_ID, [Some("p1"), Some("p2"), Some("p1")]),
            text(ARXIV_ID, [Some("2509.1"), None, Some("2509.1")]),
            text(TITLE, [Some("T"), None, Some("T")]),
            text(TITLE_SOURCE, [Some("heading"), None, Some("text")]),
            list(AUTHORS, [&["Ann", "Bo"][..], &[], &["Ann"]]),
            list(KEYWORDS_COL, [&["RAG"][..], &["agents", "RAG"], &[]]),
            text(VENUE, [None, Some("ICLR"), None]),
            date(LISTED_DATE, [None, d(5), None]).unwrap_or_else(|_| text("x", [None])),
        ])
        .unwrap_or_default();
        let entries = Entries::of(&df).unwrap_or_default();
        assert_eq!(entries.len(), 3);
        let e: Vec<Entry> = entries.iter().collect();
        fn texts(t: Texts<'_>) -> Vec<&str> {
            t.iter().collect()
        }
        assert_eq!((e[0].paper_id(), e[0].digest_id(), e[0].file(), e[0].line()), ("p1", "a", "a.md", 3));
        assert_eq!((e[0].digest_date(), e[2].digest_date()), (d(1), None));
        assert_eq!((e[0].arxiv_id(), e[1].arxiv_id(), e[1].title()), (Some("2509.1"), None, None));
        assert_eq!((e[0].titled_by_heading(), e[2].titled_by_heading()), (true, false));
        assert_eq!((texts(e[0].authors()), texts(e[0].keywords())), (vec!["Ann", "Bo"], vec!["RAG"]));
        assert_eq!((texts(e[1].authors()), texts(e[1].keywords())), (vec![], vec!["agents", "RAG"]));
        assert_eq!((texts(e[2].authors()), e[2].keywords().is_empty()), (vec!["Ann"], true));
        assert!(e.iter().all(|e| e.listed_under().is_empty()), "a store without the column");
        assert_eq!((e[1].venue(), e[1].listed_date(), e[0].listed_date()), (Some("ICLR"), d(5), None));
        assert_eq!((e[2].line(), e[2].source()), (0, "b.md:0".to_owned()));

        // A second frame after the first, the last row dropped, the rest put in a new order: each
        // row keeps its own values and lists.
        let mut entries = entries;
        entries.append(&df).unwrap_or_default();
        assert_eq!(entries.len(), 6);
        entries.truncate(5);
        entries.reorder(&[4, 0, 3, 9]);
        type Values<'a> = (&'a str, Option<NaiveDate>, Vec<&'a str>, Vec<&'a str>);
        let got: Vec<Values> =
            entries.iter().map(|e| (e.paper_id(), e.digest_date(), texts(e.authors()), texts(e.keywords()))).collect();
        assert_eq!(
            got,
            [
                ("p2", d(1), vec![], vec!["agents", "RAG"]),
                ("p1", d(1), vec!["Ann", "Bo"], vec!["RAG"]),
                ("p1", d(1), vec!["Ann", "Bo"], vec!["RAG"]),
                ("", None, vec![], vec![]),
            ],
            "place 9 is out of range: an entry with no values"
        );
    }
}
