//! The tables derived from `entries` and `themes` over the whole store: `keywords` (normal forms,
//! and extracted keywords for entries that have none), `papers` (with canonical themes), the
//! canonical `theme` of each TL;DR theme, and the analysis tables. Normalisation needs the whole
//! corpus (acronyms are learned from it), so this runs on every commit; what the normaliser
//! learned is kept with the tables (`Learned`), and a commit that only adds rows after the stored
//! ones learns on from it. Such a commit also keeps the stored keyword rows and papers it would
//! derive alike (`Basis`, `Reuse`): it still derives them in memory, but links their segments
//! instead of building and writing them.

use foldhash::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;
use tracing::info_span;

use super::entries::{Entries, Pool, Texts};
use crate::analysis::{self, Inputs, Origins};
use crate::error::{Error, Result};
use crate::normalize::acronyms::Learner;
use crate::normalize::extract::{Extractor, Found, Scratch};
use crate::normalize::taxonomy::{Classified, Prepared, Taxonomy, TopThemes};
use crate::normalize::{Normalizer, Vocabulary, base_key};
use crate::store::columns::{
    counting_order, date, float, frame, list, list_of, lists, repeated_text, strs, text, uint,
};
use crate::store::schema::*;
use crate::store::{Segment, Staging, Store, Tables, io, segment_rows};

/// The columns of `entries` that deriving and the analysis tables read, and its sort keys: ingest
/// keeps only these in memory, as `Entries` (the long texts and links are most of the table's
/// bytes). The abstracts are read through `Abstracts`.
pub const ENTRY_COLUMNS: [&str; 14] = [
    DIGEST_ID,
    SOURCE_FILE,
    DIGEST_DATE,
    POSITION,
    SOURCE_LINE,
    PAPER_ID,
    ARXIV_ID,
    TITLE,
    TITLE_SOURCE,
    AUTHORS,
    KEYWORDS_COL,
    VENUE,
    LISTED_DATE,
    LISTED_UNDER,
];

/// Whether deriving reads a column of a parsed table: of `entries` the `ENTRY_COLUMNS`, of
/// `digests` all but the long texts, of the others all.
pub fn reads(table: &str, column: &str) -> bool {
    match table {
        ENTRIES => ENTRY_COLUMNS.contains(&column),
        DIGESTS => !LONG_TEXT.contains(&column),
        _ => true,
    }
}

/// Where deriving reads the entries' abstracts, in the order of the `entries` rows.
#[derive(Debug, Clone, Copy)]
pub enum Abstracts<'a> {
    /// The `abstract` column of the entries in memory (`None`: no entry has one).
    Column(Option<&'a Column>),
    /// The `entries` table written as Parquet (a file or a folder of segments) in the order of
    /// the rows, read a row group at a time: the abstracts of a large archive are gigabytes, read twice (to learn acronyms, to
    /// extract keywords) rather than held.
    File(&'a Path),
}

impl Abstracts<'_> {
    /// Calls `each` with the number of a first row and the abstracts of it and the rows after it,
    /// over all `rows` in order. A file whose rows are not `rows` (another paper in a place) is an
    /// error rather than abstracts given to the wrong entries.
    fn each(&self, rows: &Entries, each: impl FnMut(usize, &[Option<&str>])) -> Result<()> {
        self.each_from(rows, 0, each)
    }

    /// `each` over the rows from `from` on: the first call may start before `from` (a row group
    /// is read whole), the row groups before it are not read.
    fn each_from(&self, rows: &Entries, from: usize, mut each: impl FnMut(usize, &[Option<&str>])) -> Result<()> {
        match self {
            Abstracts::Column(column) => {
                let texts: Vec<Option<&str>> = match column.filter(|c| c.len() == rows.len()) {
                    Some(c) => c.str().map_err(|e| Error::polars(ENTRIES, e))?.iter().skip(from).collect(),
                    None => vec![None; rows.len().saturating_sub(from)],
                };
                each(from, &texts);
                Ok(())
            }
            Abstracts::File(path) => {
                let mut read = from;
                io::each_row_group_from(path, &[PAPER_ID, ABSTRACT], from, |first, df| {
                    let polars = |e| Error::polars(ENTRIES, e);
                    let (papers, texts) = (strs(&df, PAPER_ID).map_err(polars)?, strs(&df, ABSTRACT).map_err(polars)?);
                    if first + papers.len() > rows.len()
                        || papers
                            .iter()
                            .enumerate()
                            .any(|(i, p)| rows.get(first + i).paper_id() != p.unwrap_or_default())
                    {
                        return Err(Error::Store(format!(
                            "{}: rows out of step with the entries derived",
                            path.display()
                        )));
                    }
                    each(first, &texts);
                    read = first + papers.len();
                    Ok(())
                })?;
                if read == rows.len() {
                    Ok(())
                } else {
                    Err(Error::Store(format!("{}: {read} rows for {} entries", path.display(), rows.len())))
                }
            }
        }
    }
}

/// Rows per chunk of acronym learning.
const LEARN_CHUNK: usize = 4096;

/// What a normaliser learns from a corpus, whatever the vocabulary: the acronyms its texts define
/// (with their counts, first forms and places) and each raw keyword with its number of rows. It is
/// written with the tables derived with it (`LEARNED`), so that the store's normaliser is made
/// without reading its entries again (`normalizer_for`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Learned {
    /// `LEARNED_VERSION` when written: a file of another version is not used.
    version: u32,
    /// How many entries it was learned from (the first rows of the table).
    rows: u64,
    acronyms: Learner,
    /// Every raw keyword of the entries and how many times it is given, sorted.
    keywords: Vec<(String, u64)>,
}

/// The file of a generation that holds its `Learned` (MessagePack).
pub const LEARNED: &str = "learned.msgpack";
/// Raise when what `Learned` holds, or how the normaliser learns it, changes.
const LEARNED_VERSION: u32 = 1;

impl Learned {
    /// The normaliser of this corpus with a vocabulary: the vocabulary, the acronyms learned, and
    /// the spacing of compounds the corpus prefers (each keyword folded on every core).
    fn normalizer(self, vocab: &Vocabulary) -> Normalizer {
        let mut n = Normalizer::new(vocab, self.acronyms.finish());
        let keys: Vec<(String, usize)> = self
            .keywords
            .par_iter()
            .map(|(raw, count)| (n.spacing_key(raw), usize::try_from(*count).unwrap_or(usize::MAX)))
            .collect();
        n.learn_spacing(keys);
        n
    }

    /// How many entries it was learned from: the first rows of the entries it was derived with.
    pub fn learned_from(&self) -> usize {
        usize::try_from(self.rows).unwrap_or(usize::MAX)
    }

    /// What the live generation of `store` was derived with, if it was written with it, in this
    /// version. A file that does not decode is passed over as one of another version is: what it
    /// holds is learned again from the entries.
    pub fn stored(store: &Store) -> Result<Option<Learned>> {
        let Some(bytes) = store.read_file(LEARNED)? else { return Ok(None) };
        let learned = rmp_serde::from_slice::<Learned>(&bytes).ok();
        Ok(learned.filter(|l| l.version == LEARNED_VERSION))
    }
}

/// The file of a generation that says what its keyword rows and papers were derived with
/// (`Basis`, JSON).
pub const BASIS: &str = "basis.json";
/// Raise when how a keyword row or a paper's row is derived from its entries changes, or what
/// `Basis` holds: no row of a generation written with another version is reused.
const BASIS_VERSION: u32 = 2;

/// What the rows of `keywords` and `papers` were derived with besides each row's own entries
/// (fingerprints of the normaliser's decisions, of the taxonomy made with it, and of the
/// extraction vocabulary: `Fingerprints`), and how many entries, keyword rows and papers there
/// were. A commit that keeps every stored entry and adds entries only after them gets every
/// stored keyword row, and the row of every stored paper it does not change, as they are stored
/// when it derives them alike (`Reuse::holds`): their segments are linked rather than built and
/// written again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Basis {
    version: u32,
    #[serde(flatten)]
    prints: Fingerprints,
    entries: u64,
    keyword_rows: u64,
    papers: u64,
}

impl Basis {
    /// What the live generation of `store` was derived with, if it says so in this version.
    fn stored(store: &Store) -> Result<Option<Basis>> {
        let Some(bytes) = store.read_file(BASIS)? else { return Ok(None) };
        let basis = serde_json::from_slice::<Basis>(&bytes).ok();
        Ok(basis.filter(|b| b.version == BASIS_VERSION))
    }

    fn count(n: u64) -> usize {
        usize::try_from(n).unwrap_or(usize::MAX)
    }
}

/// BLAKE3 fingerprints of what every keyword row and paper is derived with besides its entries:
/// the synonyms, acronyms and taxonomy the normaliser starts from (built in and the user's), the
/// normaliser's decisions (`Normalizer::decisions`), the taxonomy made with that normaliser, and
/// the extraction vocabulary (`Extractor::decisions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Fingerprints {
    vocab: String,
    normaliser: String,
    taxonomy: String,
    vocabulary: String,
}

impl Fingerprints {
    /// With the normaliser's fingerprint already taken (`Fingerprints::normaliser`).
    fn of(vocab: &Vocabulary, normaliser: String, taxonomy: &Taxonomy, extractor: &Extractor) -> Fingerprints {
        Fingerprints {
            vocab: Fingerprints::hash(|out| out(&format!("{vocab:?}"))),
            normaliser,
            taxonomy: Fingerprints::hash(|out| out(&format!("{taxonomy:?}"))),
            vocabulary: Fingerprints::hash(|out| extractor.decisions(out)),
        }
    }

    fn normaliser(normalizer: &Normalizer) -> String {
        Fingerprints::hash(|out| normalizer.decisions(out))
    }

    /// The BLAKE3 hash (hex) of the lines `write` writes.
    fn hash(write: impl FnOnce(&mut dyn FnMut(&str))) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(format!("basis {BASIS_VERSION}\n").as_bytes());
        write(&mut |line| {
            hasher.update(line.as_bytes());
        });
        hasher.finalize().to_hex().to_string()
    }
}

/// The stored `keywords` and `papers` of a generation whose entries all stay and come first:
/// what deriving may reuse of them if it derives alike (`Basis`, `Reuse::holds`).
#[derive(Debug, Clone)]
pub(crate) struct Reuse {
    basis: Basis,
    /// The segment files of each table, in order, with their rows.
    keywords: Vec<(PathBuf, usize)>,
    papers: Vec<(PathBuf, usize)>,
}

impl Reuse {
    /// What the live generation of `store` offers when its first `entries` rows are all the
    /// stored entries (`merge_entries`): nothing unless it has a `Basis` of this version for that
    /// many entries, and `keywords` and `papers` as segments with the rows the basis counts.
    pub(crate) fn stored(store: &Store, entries: usize) -> Result<Option<Reuse>> {
        let Some(basis) = Basis::stored(store)?.filter(|b| Basis::count(b.entries) == entries) else {
            return Ok(None);
        };
        let segments = |table: &str, rows: u64| -> Result<Option<Vec<(PathBuf, usize)>>> {
            let path = store.table_path(table)?;
            if !path.is_dir() {
                return Ok(None);
            }
            let files: Vec<(PathBuf, usize)> = io::table_files(&path)?
                .into_iter()
                .map(|f| io::parquet_rows(&f).map(|n| (f, n)))
                .collect::<Result<_>>()?;
            Ok(Some(files).filter(|f| f.iter().map(|(_, n)| n).sum::<usize>() == Basis::count(rows)))
        };
        let (Some(keywords), Some(papers)) = (segments(KEYWORDS, basis.keyword_rows)?, segments(PAPERS, basis.papers)?)
        else {
            return Ok(None);
        };
        Ok(Some(Reuse { basis, keywords, papers }))
    }

    fn entries(&self) -> usize {
        Basis::count(self.basis.entries)
    }

    /// Whether deriving with `now` gives every stored keyword row again (and with them each
    /// stored paper's keyword hits): the same synonyms, acronyms and taxonomy to start from (the
    /// normaliser of what was learned before is made again with them, `Was`), the same taxonomy,
    /// and the same normaliser and vocabulary, or others under which the stored entries' keywords
    /// come out alike (`alike`, from `keyword_rows`: the same normal forms, and the same keywords
    /// extracted from the entries without keywords of their own).
    fn holds(&self, now: &Fingerprints, alike: Option<bool>) -> bool {
        let was = &self.basis.prints;
        now.vocab == was.vocab
            && now.taxonomy == was.taxonomy
            && ((now.normaliser == was.normaliser && now.vocabulary == was.vocabulary) || alike == Some(true))
    }

    /// The stored keyword segments that the keyword rows `rows` (in table order) begin with:
    /// every stored row is an entry's that is still derived alike, so the first rows are the
    /// stored ones exactly when they are all the stored entries' and the rest all new entries'.
    /// Segments of fewer than `least` rows (the last one, left by a day before) are written
    /// again with the new rows, so that days do not leave a small file each.
    fn keyword_links(&self, rows: &[KeywordRow], least: usize) -> Vec<(Range<usize>, PathBuf)> {
        let (stored, entries) = (Basis::count(self.basis.keyword_rows), self.entries());
        let aligned = stored <= rows.len()
            && rows[..stored].iter().all(|k| k.entry() < entries)
            && rows[stored..].iter().all(|k| k.entry() >= entries);
        if !aligned {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut at = 0;
        for (file, n) in &self.keywords {
            if *n >= least {
                out.push((at..at + n, file.clone()));
            }
            at += n;
        }
        out
    }

    /// The stored paper segments whose papers are all unchanged: `runs` are the entries of each
    /// paper in table order, `changed` the papers whose rows may differ from the stored ones
    /// (`changed_papers`); a stored segment is linked when none of its papers changed and no new
    /// paper sorts among them (its papers are one unbroken stretch of the table), and it has
    /// `least` rows or more (smaller ones are written again with their neighbours).
    fn paper_links(&self, runs: &[&[u32]], changed: &[bool], least: usize) -> Vec<(Range<usize>, PathBuf)> {
        let entries = self.entries();
        let stored: Vec<usize> = (0..runs.len()).filter(|&p| runs[p].iter().any(|&e| (e as usize) < entries)).collect();
        if stored.len() != Basis::count(self.basis.papers) || changed.len() != runs.len() {
            return Vec::new();
        }
        let touched = |p: usize| changed[p];
        let mut out = Vec::new();
        let mut first = 0;
        for (file, n) in &self.papers {
            let places = &stored[first..first + n];
            first += n;
            let (Some(&a), Some(&b)) = (places.first(), places.last()) else { continue };
            if *n >= least && b - a + 1 == *n && !(a..=b).any(touched) {
                out.push((a..b + 1, file.clone()));
            }
        }
        out
    }
}

/// The papers (by place) whose rows may differ from the stored ones when the first `stored` entries
/// are the stored ones and their keyword rows are derived alike (`Reuse::holds`): those with an
/// entry after them, and every paper a TL;DR theme of `themes` names when the theme is a new
/// digest's (of a digest with no stored entry), or its canonical theme is not the one it had
/// (`was`, in the same order; none known: every theme), or it names one of those papers: a
/// paper's themes include those of the TL;DR themes that name it.
fn changed_papers(
    rows: &Entries,
    papers: &PaperIndex,
    themes: Option<&DataFrame>,
    was: Option<&[Option<String>]>,
    stored: usize,
) -> Result<Vec<bool>> {
    let mut changed = vec![false; papers.ids.len()];
    for entry in stored..rows.len() {
        if let Some(c) = papers.of.get(entry).and_then(|&place| changed.get_mut(place as usize)) {
            *c = true;
        }
    }
    let Some(themes) = themes.filter(|t| t.height() > 0) else { return Ok(changed) };
    let polars = |e| Error::polars(THEMES, e);
    let stored_digests: foldhash::HashSet<&str> =
        (0..stored.min(rows.len())).map(|i| rows.get(i).digest_id()).collect();
    let (digests, named) = (strs(themes, DIGEST_ID).map_err(polars)?, lists(themes, PAPER_IDS).map_err(polars)?);
    let now = strs(themes, THEME).map_err(polars)?;
    let with_new_entries = changed.clone();
    let mut marked: Vec<usize> = Vec::new();
    for (i, (digest, ids)) in digests.iter().zip(named.iter()).enumerate() {
        let places: Vec<usize> = ids.iter().filter_map(|id| papers.place(rows, id)).collect();
        let new_digest = !stored_digests.contains(digest.unwrap_or_default());
        let reclassified = was.is_none_or(|was| was.get(i).map(Option::as_deref) != Some(now[i]));
        if new_digest || reclassified || places.iter().any(|&p| with_new_entries[p]) {
            marked.extend(places);
        }
    }
    for place in marked {
        if let Some(c) = changed.get_mut(place) {
            *c = true;
        }
    }
    Ok(changed)
}

/// Writes a derived table as segments (`Staging::write_segments`) of `rows` rows in table order:
/// each of `links` (a stored segment file that holds a range of the rows unchanged, in order) is
/// linked, and the rows between them are built by `part`, `part_rows` at a time. Links are
/// dropped if the stored files' columns are not the table's.
fn write_derived(
    staging: &mut Staging,
    (name, rows, part_rows): (&'static str, usize, usize),
    mut links: Vec<(Range<usize>, PathBuf)>,
    part: impl Fn(Range<usize>) -> PolarsResult<DataFrame>,
) -> Result<()> {
    let polars = |e| Error::polars(name, e);
    let like = part(0..0).map_err(polars)?;
    if let Some((_, file)) = links.first()
        && !io::has_columns_of(file, &like)?
    {
        links.clear();
    }
    /// A part of the table: rows to build, or a stored segment file to link.
    enum Piece {
        Rows(Range<usize>),
        Link(PathBuf),
    }
    let step = part_rows.max(1);
    let built = |from: usize, to: usize| (from..to).step_by(step).map(move |s| Piece::Rows(s..(s + step).min(to)));
    let mut pieces: Vec<Piece> = Vec::new();
    let mut at = 0;
    for (range, file) in links {
        pieces.extend(built(at, range.start));
        pieces.push(Piece::Link(file));
        at = range.end;
    }
    pieces.extend(built(at, rows));
    let segments = pieces.into_iter().map(|piece| match piece {
        Piece::Rows(range) => part(range).map(Segment::Rows).map_err(polars),
        Piece::Link(file) => Ok(Segment::Link(file)),
    });
    staging.write_segments(name, &like, segments)
}

/// The normaliser for a corpus: the vocabulary plus acronyms and spacings learned from it.
fn normalizer(rows: &Entries, abstracts: Abstracts, vocab: &Vocabulary) -> Result<Normalizer> {
    Ok(learned(rows, abstracts, None)?.normalizer(vocab))
}

/// What a normaliser learns from the entries `rows`, reading their abstracts from `abstracts`.
/// With `prior`, what was learned from the first of `rows` (as many as it says): learning goes on
/// from it with the rows after them only, which gives what learning from all of them gives (an
/// ingest that only adds rows after the stored ones: a new day).
fn learned(rows: &Entries, abstracts: Abstracts, prior: Option<Learned>) -> Result<Learned> {
    let (mut learner, prior_keywords, from) = match prior.filter(|p| p.learned_from() <= rows.len()) {
        Some(p) => (p.acronyms, p.keywords, usize::try_from(p.rows).unwrap_or(usize::MAX)),
        None => (Learner::default(), Vec::new(), 0),
    };
    abstracts.each_from(rows, from, |first, batch| {
        // A row group read whole may start before `from`.
        let skip = from.saturating_sub(first).min(batch.len());
        let (first, batch) = (first + skip, &batch[skip..]);
        // Chunks of rows learned on every core, then merged in row order (the first form and
        // place of each definition stay the first in the corpus).
        let chunks: Vec<Learner> = batch
            .par_chunks(LEARN_CHUNK)
            .enumerate()
            .map(|(c, texts)| {
                let mut chunk = Learner::default();
                let from = first + c * LEARN_CHUNK;
                for (r, abstract_text) in (from..rows.len()).map(|i| rows.get(i)).zip(texts) {
                    for t in r.keywords().iter().chain(r.title()).chain(*abstract_text) {
                        chunk.add(t, || r.source(), base_key);
                    }
                }
                chunk
            })
            .collect();
        for chunk in chunks {
            learner.append(chunk);
        }
    })?;
    let mut counts: HashMap<&str, u64> = prior_keywords.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    for k in rows.iter().skip(from).flat_map(|r| r.keywords().iter()) {
        *counts.entry(k).or_default() += 1;
    }
    let mut keywords: Vec<(String, u64)> = counts.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    keywords.sort_unstable();
    let rows = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    Ok(Learned { version: LEARNED_VERSION, rows, acronyms: learner, keywords })
}

/// The normaliser the store's tables were (or would be) derived with, for `keywords --explain`
/// and the watchlist: from what the store learned (`learned`, `Learned::stored`) when it has it,
/// otherwise learned again from the entries and abstracts of `tables`.
pub fn normalizer_for(tables: &Tables, vocab: &Vocabulary, learned: Option<Learned>) -> Result<Normalizer> {
    if let Some(learned) = learned {
        return Ok(learned.normalizer(vocab));
    }
    let rows = stored_entries(tables.get(ENTRIES))?;
    let column = tables.get(ENTRIES).and_then(|df| df.column(ABSTRACT).ok());
    normalizer(&rows, Abstracts::Column(column), vocab)
}

/// The entries of a stored entries table (none for a table without rows).
fn stored_entries(entries: Option<&DataFrame>) -> Result<Entries> {
    match entries.filter(|e| e.height() > 0) {
        Some(df) => Entries::of(df).map_err(|e| Error::polars(ENTRIES, e)),
        None => Ok(Entries::default()),
    }
}

/// Rebuilds every derived table from the entries (`rows`, in table order, dropped before the
/// analysis): `keywords`, `papers`, the canonical themes, and the analysis tables with the
/// default settings, reading the abstracts where `sources` says (and learning the normaliser on
/// from what it says was learned from the first rows). What the normaliser learned (`LEARNED`),
/// `keywords` and `papers` are written to `staging` as soon as each is built and not held; the
/// analysis takes its inputs from what deriving holds (`analysis_inputs`) rather than reading
/// them back from those tables.
pub(crate) fn derive(
    tables: &mut Tables,
    mut rows: Entries,
    vocab: &Vocabulary,
    sources: Sources,
    staging: &mut Staging,
) -> Result<()> {
    let settings = analysis::Settings::default();
    let inputs =
        normalised(tables, &mut rows, vocab, sources, Some(staging), Some(settings.origins))?.unwrap_or_default();
    // The analysis reads its inputs only: the entries go first (300 MB of 3.9 million entries).
    drop(rows);
    let _span = info_span!("analysis tables").entered();
    for (name, df) in analysis::tables_of(inputs, &settings)? {
        tables.insert(name.to_owned(), crate::store::sorted(name, df)?);
    }
    Ok(())
}

/// Rebuilds `keywords`, `papers` and the `theme` column of `themes` (what the analysis reads)
/// from tables that hold the entries' abstracts.
pub fn derive_normalised(tables: &mut Tables, vocab: &Vocabulary) -> Result<()> {
    let column = tables.get(ENTRIES).and_then(|df| df.column(ABSTRACT).ok()).cloned();
    let mut rows = stored_entries(tables.get(ENTRIES))?;
    let sources = Sources { abstracts: Abstracts::Column(column.as_ref()), prior: None, reuse: None };
    normalised(tables, &mut rows, vocab, sources, None, None).map(|_| ())
}

/// Where deriving reads the entries' abstracts, what the normaliser learned from the first
/// entries if it is known (see `learned`), and the stored derived rows it may reuse if they are
/// the first entries' (see `Reuse`).
pub(crate) struct Sources<'a> {
    pub abstracts: Abstracts<'a>,
    pub prior: Option<Learned>,
    pub reuse: Option<Reuse>,
}

/// Builds a derived table of `rows` rows from its parts (`part(range)`, in table order): whole
/// into `tables`, or with `staging` as segments (`write_derived`, linking `links`), a part of
/// `part_rows` rows at a time, each written before the next is built, so that the table is never
/// whole in memory.
fn settle(
    tables: &mut Tables,
    staging: Option<&mut Staging>,
    table: (&'static str, usize, usize),
    links: impl FnOnce() -> Vec<(Range<usize>, PathBuf)>,
    part: impl Fn(Range<usize>) -> PolarsResult<DataFrame>,
) -> Result<()> {
    let (name, rows, _) = table;
    match staging {
        Some(staging) => write_derived(staging, table, links(), part),
        None => {
            tables.insert(name.to_owned(), part(0..rows).map_err(|e| Error::polars(name, e))?);
            Ok(())
        }
    }
}

/// Derives `keywords`, `papers` and the canonical themes of `themes` (see `derive`); with
/// `origins`, also the analysis' inputs of these tables, counting the keywords of `origins`.
fn normalised(
    tables: &mut Tables,
    rows: &mut Entries,
    vocab: &Vocabulary,
    Sources { abstracts, prior, reuse }: Sources,
    mut staging: Option<&mut Staging>,
    origins: Option<Origins>,
) -> Result<Option<Inputs>> {
    let span = info_span!("normaliser (learning)").entered();
    // What was learned before, to compare normal forms with (`same_norms`).
    let learned_before = reuse.as_ref().and(prior.clone());
    let learned = learned(rows, abstracts, prior)?;
    if let Some(staging) = staging.as_deref_mut() {
        let bytes = rmp_serde::to_vec(&learned).map_err(|e| Error::Store(format!("{LEARNED}: {e}")))?;
        staging.write_file(LEARNED, &bytes)?;
    }
    let normalizer = learned.normalizer(vocab);
    drop(span);
    let span = info_span!("papers by id").entered();
    let papers = PaperIndex::of(rows);
    drop(span);
    let span = info_span!("keyword rows").entered();
    // How the stored rows were derived, when they may be kept: with this normaliser, or (when its
    // decisions are others) with the one of what was learned from the stored entries.
    let normaliser_print = staging.is_some().then(|| Fingerprints::normaliser(&normalizer));
    let was = reuse.as_ref().zip(normaliser_print.as_ref()).and_then(|(r, print)| {
        let stored = r.entries();
        if *print == r.basis.prints.normaliser {
            Some(Was { normalizer: None, stored })
        } else {
            learned_before.map(|l| Was { normalizer: Some(l.normalizer(vocab)), stored })
        }
    });
    let (keywords, rank, extractor, alike) = keyword_rows(rows, abstracts, &normalizer, &papers, was.as_ref())?;
    drop(was);
    drop(span);
    let span = info_span!("canonical themes").entered();
    let taxonomy = Taxonomy::new(vocab, &normalizer);
    // What the stored rows were derived with must be what these are derived with.
    let prints = normaliser_print.map(|print| Fingerprints::of(vocab, print, &taxonomy, &extractor));
    drop(extractor);
    let reuse = reuse.filter(|r| prints.as_ref().is_some_and(|now| r.holds(now, alike)));
    // The canonical themes the stored TL;DR themes had, to find the papers whose themes change.
    let themes_before: Option<Vec<Option<String>>> = reuse.as_ref().and_then(|_| {
        let column = tables.get(THEMES)?.column(THEME).ok()?.str().ok()?.clone();
        Some(column.iter().map(|t| t.map(str::to_owned)).collect())
    });
    // Each paper's normal forms (by its place in `papers`), in the order of the keyword rows.
    let place_of = keywords.rows.iter().map(|k| papers.of[k.entry()]);
    let (norm_rows, norm_start) = counting_order(place_of, papers.ids.len());
    let norms_of = |place: usize| {
        let rows = &norm_rows[norm_start[place] as usize..norm_start[place + 1] as usize];
        rows.iter().map(|&k| keywords.rows[k as usize].norm)
    };
    // Hits per distinct normal form once (keywords repeat across papers), then summed per paper.
    let norms: foldhash::HashSet<u32> = keywords.rows.par_iter().map(|k| k.norm).collect();
    let step = info_span!("theme hits").entered();
    let norm_hits: HashMap<u32, Vec<usize>> =
        norms.into_par_iter().map(|n| (n, taxonomy.keyword_hits(&[keywords.texts.get(n)]))).collect();
    // A paper's hits are summed when needed rather than held for a million papers; a paper
    // without keyword rows has none.
    let hits = |place: usize| -> Option<Vec<usize>> {
        if norm_start[place] == norm_start[place + 1] {
            return None;
        }
        let mut total = vec![0; taxonomy.names().len()];
        for h in norms_of(place).filter_map(|n| norm_hits.get(&n)) {
            total.iter_mut().zip(h).for_each(|(t, h)| *t += h);
        }
        Some(total)
    };
    drop(step);
    let step = info_span!("paper themes").entered();
    let mut sets = ThemeSets::default();
    let mut paper_themes: Vec<u32> = Vec::with_capacity(papers.ids.len());
    // A part at a time on every core, each list of themes (as places in the taxonomy) then
    // numbered once: a million papers have a few dozen distinct lists.
    let mut numbered: HashMap<TopThemes, u32> = HashMap::default();
    for start in (0..papers.ids.len()).step_by(THEMES_PART) {
        let part: Vec<TopThemes> = (start..(start + THEMES_PART).min(papers.ids.len()))
            .into_par_iter()
            .map(|place| hits(place).map(|h| taxonomy.top_themes(&h)).unwrap_or_default())
            .collect();
        for top in part {
            let set = *numbered.entry(top).or_insert_with(|| {
                let names: Vec<&str> = top.iter().map(|t| taxonomy.names()[t as usize].as_str()).collect();
                sets.of_names(&names)
            });
            paper_themes.push(set);
        }
    }
    drop(step);
    if let Some(themes) = tables.get(THEMES).cloned().filter(|t| t.height() > 0) {
        let _step = info_span!("TL;DR themes").entered();
        let named = Named { index: &papers, rows, themes: &mut paper_themes, sets: &mut sets };
        let themes =
            canonical_themes(&themes, &normalizer, &taxonomy, &hits, named).map_err(|e| Error::polars(THEMES, e))?;
        tables.insert(THEMES.to_owned(), themes);
    }
    drop((norm_hits, norm_rows, norm_start, taxonomy, normalizer));
    drop(span);
    let _span = info_span!("keywords and papers frames").entered();
    // One after the other, each written and freed before the next is built (when written): side
    // by side, the frames and all their inputs were in memory at once (the peak of an ingest).
    // Both are built in their table's order (`keyword_rows`; papers by id), so no sort copies
    // them. The analysis' inputs are taken in between, when the papers' themes can go.
    let span = info_span!("papers").entered();
    // By paper, then date and digest (ties keep the entries' order), so each paper's rows are
    // one run in the order `Paper::from_rows` reads them; the k-th run is the paper in place k.
    let order = by_paper(rows, &papers, &rank);
    let runs: Vec<&[u32]> = order.chunk_by(|&a, &b| papers.of[a as usize] == papers.of[b as usize]).collect();
    let part = |places: std::ops::Range<usize>| papers_frame(rows, &runs[places.clone()], &paper_themes[places], &sets);
    // Papers are long rows (titles, authors, keywords, themes): built and written `ROW_GROUP_ROWS`
    // at a time (a quarter of a whole table's row group: 200 MB less at the peak of the bench
    // corpus's ingest).
    let changed = match &reuse {
        Some(r) => changed_papers(rows, &papers, tables.get(THEMES), themes_before.as_deref(), r.entries())?,
        None => Vec::new(),
    };
    let links = || reuse.as_ref().map(|r| r.paper_links(&runs, &changed, segment_rows() / 2)).unwrap_or_default();
    settle(tables, staging.as_deref_mut(), (PAPERS, runs.len(), io::ROW_GROUP_ROWS), links, part)?;
    let paper_rows = runs.len();
    drop(runs);
    drop(order);
    rows.drop_lists();
    drop(span);
    let inputs = match origins {
        Some(origins) => {
            let _span = info_span!("analysis inputs").entered();
            let parts = Derived { rows, papers: &papers, rank: &rank, keywords: &keywords };
            let inputs = analysis_inputs(&parts, (&paper_themes, &sets), tables.get(DIGESTS), origins);
            Some(inputs.map_err(|e| Error::polars(ENTRIES, e))?)
        }
        None => None,
    };
    drop((paper_themes, sets, papers, rank));
    let _span = info_span!("keywords").entered();
    let table = (KEYWORDS, keywords.rows.len(), io::WHOLE_GROUP_ROWS);
    let links = || reuse.as_ref().map(|r| r.keyword_links(&keywords.rows, segment_rows() / 2)).unwrap_or_default();
    settle(tables, staging.as_deref_mut(), table, links, |part| keywords_frame(rows, &keywords, part))?;
    if let Some(staging) = staging {
        let basis = Basis {
            version: BASIS_VERSION,
            prints: prints.unwrap_or_default(),
            entries: u64::try_from(rows.len()).unwrap_or(u64::MAX),
            keyword_rows: u64::try_from(keywords.rows.len()).unwrap_or(u64::MAX),
            papers: u64::try_from(paper_rows).unwrap_or(u64::MAX),
        };
        let bytes = serde_json::to_vec(&basis).map_err(|e| Error::Store(format!("{BASIS}: {e}")))?;
        staging.write_file(BASIS, &bytes)?;
    }
    Ok(inputs)
}

/// A keyword of an entry: as written, its normal form (both numbers in `Keywords::texts`), and
/// where it comes from. Millions are held while deriving: 16 bytes a row.
#[derive(Debug, Clone, Copy)]
struct KeywordRow {
    entry: u32,
    keyword: u32,
    norm: u32,
    origin: Origin,
}

impl KeywordRow {
    /// The entry's place among the rows.
    fn entry(&self) -> usize {
        self.entry as usize
    }
}

/// The keyword rows of every entry, and their texts (a few thousand spellings and normal forms
/// for millions of rows), each once.
#[derive(Debug, Default)]
struct Keywords {
    rows: Vec<KeywordRow>,
    texts: Pool,
}

impl Keywords {
    fn keyword(&self, k: &KeywordRow) -> &str {
        self.texts.get(k.keyword)
    }

    fn norm(&self, k: &KeywordRow) -> &str {
        self.texts.get(k.norm)
    }
}

/// Where a keyword comes from (the `origin` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Given by the digest.
    Digest,
    /// A heading the entry is listed under.
    Heading,
    /// Found in the title and abstract.
    Extracted,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Digest => "digest",
            Origin::Heading => "heading",
            Origin::Extracted => "extracted",
        }
    }
}

/// The keywords of every entry, in the order of the `keywords` table (`schema::sort_keys`): by
/// digest date (undated first), digest, paper and keyword, ties in the order they were found.
fn keyword_rows(
    rows: &Entries,
    abstracts: Abstracts,
    normalizer: &Normalizer,
    papers: &PaperIndex,
    was: Option<&Was>,
) -> Result<(Keywords, Vec<u32>, Extractor, Option<bool>)> {
    let too_many = || Error::Store(format!("{} entries: more than a store can derive", rows.len()));
    let number = |entry: usize| u32::try_from(entry).map_err(|_| too_many());
    let span = info_span!("normal forms").entered();
    // Each distinct keyword normalised once, on every core. Found with a set of the numbers of
    // their texts: millions of keywords have some thousands of spellings.
    let distinct: foldhash::HashSet<u32> =
        rows.iter().flat_map(|r| r.keywords().ids().iter().chain(r.listed_under().ids())).copied().collect();
    let normal: Vec<(u32, String)> =
        distinct.into_par_iter().map(|id| (id, normalizer.normalize(rows.text(id)).norm)).collect();
    let before = was.map(|was| Before::of(was, rows, &normal));
    let mut texts = Pool::default();
    // Per given keyword (by its number among the entries' texts) its text and normal form in
    // `texts` (none when it normalises to nothing); per text, its normal form.
    let mut given: HashMap<u32, (u32, u32)> = HashMap::default();
    let mut norm_of: HashMap<&str, u32> = HashMap::default();
    let polars = |e| Error::polars(KEYWORDS, e);
    for (id, norm) in normal {
        let (keyword, norm_id) = (texts.add(rows.text(id)).map_err(polars)?, texts.add(&norm).map_err(polars)?);
        norm_of.insert(rows.text(id), norm_id);
        if !norm.is_empty() {
            given.insert(id, (keyword, norm_id));
        }
    }
    let mut out = Vec::new();
    for (entry, r) in rows.iter().enumerate() {
        let listed = r.listed_under().ids().iter().map(|k| (k, Origin::Heading));
        for (k, origin) in r.keywords().ids().iter().map(|k| (k, Origin::Digest)).chain(listed) {
            let Some(&(keyword, norm)) = given.get(k) else { continue };
            out.push(KeywordRow { entry: number(entry)?, keyword, norm, origin });
        }
    }
    drop(span);
    let span = info_span!("extraction vocabulary").entered();
    let extractor = Extractor::new(
        out.iter()
            .filter(|k| k.origin == Origin::Digest)
            .map(|k| (texts.get(k.keyword), texts.get(k.norm), rows.get(k.entry()).paper_id())),
    );
    // What was extracted from the stored entries is compared with what is extracted now only
    // when the normaliser or the vocabulary is another.
    let vocabulary = |e: &Extractor| Fingerprints::hash(|out| e.decisions(out));
    let compared =
        before.as_ref().filter(|b| b.was.normalizer.is_some() || vocabulary(&b.extractor) != vocabulary(&extractor));
    let mut extracted_alike = true;
    drop(span);
    let span = info_span!("extraction").entered();
    // What is found in an entry depends on its title and abstract only: each distinct pair is
    // extracted once, and its keywords numbered in `texts` when an entry first has them (in entry
    // order, as each entry's own would be). Listings repeat papers: of the 1.85 million entries
    // without keywords of the 981 MB bench archive of real digests, the 1.8 million without an
    // abstract have 9,000 distinct titles, the 54,000 with one 356 distinct titles and abstracts.
    let mut memo: foldhash::HashMap<Source, Extracted> = foldhash::HashMap::default();
    let mut abstracts_held = 0;
    let mut failed = None;
    abstracts.each(rows, |first, batch| {
        let title = |entry: usize| rows.get(entry).title().unwrap_or_default();
        // Each entry to extract from, with what it is extracted from (abstracts hashed on every core).
        let wanted: Vec<(usize, Source, &str)> = batch
            .par_iter()
            .enumerate()
            .map(|(i, a)| (first + i, a.unwrap_or_default()))
            .filter(|&(entry, _)| rows.get(entry).keywords().is_empty())
            .map(|(entry, a)| (entry, Source::of(title(entry), a), a))
            .collect();
        let mut new: Vec<(Source, &str)> =
            wanted.iter().filter(|(_, source, _)| !memo.contains_key(source)).map(|&(_, s, a)| (s, a)).collect();
        new.par_sort_unstable_by_key(|&(source, _)| source);
        new.dedup_by_key(|&mut (source, _)| source);
        // The sources of stored entries (which come before the new ones) when they are compared.
        let stored: foldhash::HashSet<Source> = match compared {
            Some(b) => wanted.iter().filter(|(entry, ..)| *entry < b.was.stored).map(|&(_, s, _)| s).collect(),
            None => foldhash::HashSet::default(),
        };
        let done: Vec<(Source, Extracted, bool)> = new
            .into_par_iter()
            .map_init(
                || (Scratch::default(), Scratch::default()),
                |(scratch, scratch_before), (source, a)| {
                    let found = extractor.extract_with(scratch, normalizer, source.title(), a);
                    let differs = compared.filter(|_| stored.contains(&source)).is_some_and(|b| {
                        b.extractor.extract_with(scratch_before, b.normalizer(normalizer), source.title(), a) != found
                    });
                    (source, Extracted::Found(found), differs)
                },
            )
            .collect();
        abstracts_held += done.iter().filter(|(source, ..)| matches!(source, Source::WithAbstract(..))).count();
        extracted_alike &= !done.iter().any(|(.., differs)| *differs);
        memo.extend(done.into_iter().map(|(source, extracted, _)| (source, extracted)));
        for (entry, source, _) in wanted {
            let Some(extracted) = memo.get_mut(&source) else { continue };
            if let Extracted::Found(list) = extracted {
                let mut number_all = || -> Result<Vec<(u32, u32)>> {
                    let mut ids = Vec::with_capacity(list.len());
                    for found in list.iter() {
                        let norm = match norm_of.get(found.norm.as_str()) {
                            Some(&norm) => norm,
                            None => texts.add(&found.norm).map_err(polars)?,
                        };
                        ids.push((texts.add(&found.text).map_err(polars)?, norm));
                    }
                    Ok(ids)
                };
                match number_all() {
                    Ok(ids) => *extracted = Extracted::Numbered(ids),
                    Err(e) => {
                        failed = failed.take().or(Some(e));
                        continue;
                    }
                }
            }
            let Extracted::Numbered(ids) = extracted else { continue };
            match number(entry) {
                Ok(entry) => out.extend(ids.iter().map(|&(keyword, norm)| KeywordRow {
                    entry,
                    keyword,
                    norm,
                    origin: Origin::Extracted,
                })),
                Err(e) => failed = failed.take().or(Some(e)),
            }
        }
        // An archive of distinct abstracts would hold a key per abstract: past
        // `MEMO_ABSTRACTS` the abstracts' keys are let go (titles, at most one per entry, stay,
        // as they did before abstracts were kept).
        if abstracts_held > MEMO_ABSTRACTS {
            memo.retain(|source, _| matches!(source, Source::Title(_)));
            abstracts_held = 0;
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    drop(span);
    let _span = info_span!("keyword order").entered();
    // The table's order (digest date, digest, paper, keyword): entries are ranked by the first
    // three once, the keyword rows grouped by their entry's rank and only the keywords of one
    // entry compared (stably: equal keywords keep the order they were found in).
    let rank = entry_ranks(rows, papers);
    let groups = rank.iter().max().map_or(0, |&r| r as usize + 1);
    let of: Vec<u32> = out.iter().map(|k| rank[k.entry()]).collect();
    let rows = grouped(out, &of, groups, |a, b| texts.get(a.keyword).cmp(texts.get(b.keyword)));
    let alike = before.map(|b| b.norms && extracted_alike);
    Ok((Keywords { rows, texts }, rank, extractor, alike))
}

/// How the stored keyword rows were derived, when deriving may keep them (`Reuse`): from the
/// first `stored` entries, with the normaliser of what was learned from them (`None`: the one
/// deriving now, whose decisions are the same).
pub(crate) struct Was {
    normalizer: Option<Normalizer>,
    stored: usize,
}

/// The stored entries' keywords as they were derived (`Was`): whether every keyword given to or
/// heading them still has the normal form it had, and the extraction vocabulary their given
/// keywords made with those forms.
struct Before<'w> {
    was: &'w Was,
    norms: bool,
    extractor: Extractor,
}

impl<'w> Before<'w> {
    /// From the normal forms `normal` that deriving gives the entries' keywords now (by text
    /// number).
    fn of(was: &'w Was, rows: &Entries, normal: &[(u32, String)]) -> Before<'w> {
        let stored = was.stored.min(rows.len());
        let now_norms: HashMap<u32, &str> = normal.iter().map(|(id, n)| (*id, n.as_str())).collect();
        let norms_then: HashMap<u32, String> = match &was.normalizer {
            Some(then) => {
                let ids: foldhash::HashSet<u32> = (0..stored)
                    .flat_map(|i| {
                        let r = rows.get(i);
                        r.keywords().ids().iter().chain(r.listed_under().ids()).copied().collect::<Vec<u32>>()
                    })
                    .collect();
                ids.into_par_iter().map(|id| (id, then.normalize(rows.text(id)).norm)).collect()
            }
            None => HashMap::default(),
        };
        let norms = norms_then.iter().all(|(id, n)| now_norms.get(id) == Some(&n.as_str()));
        let then = |id: &u32| {
            norms_then.get(id).map_or_else(|| now_norms.get(id).copied().unwrap_or_default(), String::as_str)
        };
        // The stored entries' given keywords with the forms they had, streamed (millions of rows).
        let given = (0..stored)
            .map(|i| rows.get(i))
            .flat_map(|r| r.keywords().ids().iter().map(move |k| (rows.text(*k), *k, r.paper_id())))
            .map(|(text, k, paper)| (text, then(&k), paper))
            .filter(|(_, norm, _)| !norm.is_empty());
        Before { was, norms, extractor: Extractor::new(given) }
    }

    /// The normaliser the stored rows were derived with (`now` when it decides alike).
    fn normalizer<'n>(&'n self, now: &'n Normalizer) -> &'n Normalizer {
        self.was.normalizer.as_ref().unwrap_or(now)
    }
}

/// Titles and abstracts whose extracted keywords are kept for the entries that repeat them, at most,
/// before those with an abstract are let go (about 150 bytes each).
const MEMO_ABSTRACTS: usize = 1 << 16;

/// What keywords are extracted from: an entry's title, and its abstract (if it has one) by a
/// 128-bit hash, as the memo of `keyword_rows` keeps a key per distinct abstract of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Source<'a> {
    Title(&'a str),
    WithAbstract(&'a str, [u8; 16]),
}

impl<'a> Source<'a> {
    fn of(title: &'a str, abstract_text: &str) -> Source<'a> {
        if abstract_text.is_empty() {
            return Source::Title(title);
        }
        let mut hash = [0; 16];
        hash.copy_from_slice(&blake3::hash(abstract_text.as_bytes()).as_bytes()[..16]);
        Source::WithAbstract(title, hash)
    }

    fn title(&self) -> &'a str {
        match self {
            Source::Title(t) | Source::WithAbstract(t, _) => t,
        }
    }
}

/// The keywords extracted from a `Source`: as found, then (once an entry has them) as numbers of
/// their texts and normal forms in `Keywords::texts`.
#[derive(Debug)]
enum Extracted {
    Found(Vec<Found>),
    Numbered(Vec<(u32, u32)>),
}

/// Each entry's place in the order of (digest date, digest, paper); equal keys share a place.
/// The digests (thousands) are sorted by date and id, the entries grouped by their digest's
/// place (`grouped`), and only each digest's entries compared, by their paper's place in
/// `papers` (the papers sorted by id: the order of their ids, without comparing texts).
fn entry_ranks(rows: &Entries, papers: &PaperIndex) -> Vec<u32> {
    // Each run of entries of one digest (as the entries were read) is placed once.
    let runs: Vec<(Option<NaiveDate>, &str)> = rows.digest_runs().collect();
    let mut digests = runs.clone();
    digests.par_sort_unstable();
    digests.dedup();
    let number = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    let run_place: Vec<u32> = runs.iter().map(|d| digests.binary_search(d).map_or(0, number)).collect();
    drop(runs);
    let of: Vec<u32> = rows.iter().map(|r| run_place.get(r.digest_run()).copied().unwrap_or_default()).collect();
    let paper = |i: u32| papers.of.get(i as usize).copied().unwrap_or_default();
    let all: Vec<u32> = (0..rows.len()).map(number).collect();
    let order = grouped(all, &of, digests.len(), |&a, &b| paper(a).cmp(&paper(b)));
    let key = |i: u32| (of[i as usize], paper(i));
    let mut rank = vec![0u32; rows.len()];
    let mut at = 0u32;
    for (n, &i) in order.iter().enumerate() {
        if n > 0 && key(order[n - 1]) != key(i) {
            at += 1;
        }
        rank[i as usize] = at;
    }
    rank
}

fn keywords_frame(rows: &Entries, all: &Keywords, part: std::ops::Range<usize>) -> PolarsResult<DataFrame> {
    let keywords = all.rows.get(part).unwrap_or_default();
    let entry = |k: &KeywordRow| rows.get(k.entry());
    // Millions of rows: each column on its own core.
    let columns: Vec<PolarsResult<Column>> = (0..6)
        .into_par_iter()
        .map(|c| match c {
            0 => Ok(text(PAPER_ID, keywords.iter().map(|k| Some(entry(k).paper_id())))),
            1 => Ok(text(DIGEST_ID, keywords.iter().map(|k| Some(entry(k).digest_id())))),
            2 => date(DIGEST_DATE, keywords.iter().map(|k| entry(k).digest_date())),
            3 => Ok(repeated_text(KEYWORD, keywords.iter().map(|k| Some(all.keyword(k))))),
            4 => Ok(repeated_text(KEYWORD_NORM, keywords.iter().map(|k| Some(all.norm(k))))),
            _ => Ok(repeated_text(ORIGIN, keywords.iter().map(|k| Some(k.origin.as_str())))),
        })
        .collect();
    frame(columns.into_iter().collect::<PolarsResult<Vec<Column>>>()?)
}

/// Sets `theme` and `theme_score` of every TL;DR theme, and adds each theme to the papers it
/// names.
fn canonical_themes(
    themes: &DataFrame,
    normalizer: &Normalizer,
    taxonomy: &Taxonomy,
    hits: &(dyn Fn(usize) -> Option<Vec<usize>> + Sync),
    named: Named,
) -> PolarsResult<DataFrame> {
    let Named { index, rows, themes: paper_themes, sets } = named;
    let (labels, descriptions, papers) = (strs(themes, LABEL)?, strs(themes, DESCRIPTION)?, lists(themes, PAPER_IDS)?);
    let mut canonical = Vec::with_capacity(themes.height());
    let mut scores = Vec::with_capacity(themes.height());
    // Labels and descriptions repeat across days ("LLM Agents"): each distinct text is normalised
    // and matched once.
    let mut texts: Vec<&str> =
        labels.iter().map(|l| l.unwrap_or_default()).chain(descriptions.iter().filter_map(|d| *d)).collect();
    texts.par_sort_unstable();
    texts.dedup();
    let prepared: HashMap<&str, Prepared> =
        texts.into_par_iter().map(|t| (t, taxonomy.prepare(normalizer, t))).collect();
    // Each row's classification, with the places of the papers it names (found once: a paper named
    // but not listed has no row in `papers`).
    let found: Vec<(Classified, Vec<usize>)> = (0..themes.height())
        .into_par_iter()
        .map(|i| {
            // Every text was prepared above; the fallback only keeps this total.
            let get = |t: &str| {
                prepared.get(t).map_or_else(
                    || std::borrow::Cow::Owned(taxonomy.prepare(normalizer, t)),
                    std::borrow::Cow::Borrowed,
                )
            };
            let label = get(labels[i].unwrap_or_default());
            let description = descriptions[i].map(get);
            let places: Vec<usize> = papers[i].iter().filter_map(|p| index.place(rows, p)).collect();
            let named_hits: Vec<Vec<usize>> = places.iter().filter_map(|&place| hits(place)).collect();
            let named_hits: Vec<&[usize]> = named_hits.iter().map(Vec::as_slice).collect();
            (taxonomy.classify_prepared(&label, description.as_deref(), &named_hits), places)
        })
        .collect();
    let mut reasons = Vec::with_capacity(themes.height());
    for (label, (found, places)) in labels.iter().zip(found) {
        let label = label.unwrap_or_default();
        reasons.push(found.reason);
        let found = found.matched;
        let theme = found.as_ref().map_or_else(|| label.to_owned(), |m| m.theme.clone());
        for place in places {
            if let Some(set) = paper_themes.get_mut(place) {
                *set = sets.with(*set, &theme);
            }
        }
        scores.push(found.map(|m| m.score));
        canonical.push(theme);
    }
    let mut out = themes.clone();
    out.with_column(text(THEME, canonical.iter().map(|t| Some(t.as_str()))))?;
    out.with_column(float(THEME_SCORE, scores))?;
    out.with_column(text(THEME_REASON, reasons.iter().map(|r| Some(r.as_str()))))?;
    Ok(out)
}

/// Papers whose themes are found a part at a time.
const THEMES_PART: usize = 1 << 16;

/// The themes of every paper as the number of its list: a million papers have some hundreds of
/// distinct lists of themes. List 0 is the empty one.
#[derive(Debug)]
struct ThemeSets {
    names: Vec<String>,
    name_ids: HashMap<String, u32>,
    sets: Vec<Vec<u32>>,
    set_ids: HashMap<Vec<u32>, u32>,
}

impl Default for ThemeSets {
    fn default() -> Self {
        let mut sets = ThemeSets {
            names: Vec::new(),
            name_ids: HashMap::default(),
            sets: Vec::new(),
            set_ids: HashMap::default(),
        };
        sets.set(Vec::new());
        sets
    }
}

impl ThemeSets {
    fn name(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.to_owned());
        self.name_ids.insert(name.to_owned(), id);
        id
    }

    fn set(&mut self, ids: Vec<u32>) -> u32 {
        if let Some(&id) = self.set_ids.get(&ids) {
            return id;
        }
        let id = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        self.sets.push(ids.clone());
        self.set_ids.insert(ids, id);
        id
    }

    /// The number of a list of themes.
    fn of_names(&mut self, names: &[&str]) -> u32 {
        let ids = names.iter().map(|n| self.name(n)).collect();
        self.set(ids)
    }

    /// The list `set` with `name` added at its end, unless it has it.
    fn with(&mut self, set: u32, name: &str) -> u32 {
        let id = self.name(name);
        let mut ids = self.sets.get(set as usize).cloned().unwrap_or_default();
        if ids.contains(&id) {
            return set;
        }
        ids.push(id);
        self.set(ids)
    }

    /// The themes of a list, in order.
    fn names_of(&self, set: u32) -> impl Iterator<Item = &str> + '_ {
        let ids = self.sets.get(set as usize).map_or(&[][..], Vec::as_slice);
        ids.iter().map(|&id| self.names.get(id as usize).map_or("", String::as_str))
    }
}

/// The papers TL;DR themes name: their places (`index`), and the list of themes of each.
struct Named<'p> {
    index: &'p PaperIndex,
    rows: &'p Entries,
    themes: &'p mut [u32],
    sets: &'p mut ThemeSets,
}

/// `papers`: one row per distinct paper. Title and venue come from the newest appearance that
/// has them (a heading title before a recovered one), authors from the longest list, keywords
/// are the union over appearances in date order, themes the canonical themes of its keywords
/// and of the TL;DR themes that name it.
fn papers_frame(rows: &Entries, runs: &[&[u32]], themes: &[u32], sets: &ThemeSets) -> PolarsResult<DataFrame> {
    let papers: Vec<Paper> = runs.par_iter().map(|run| Paper::from_rows(rows, run)).collect();
    // Each column on its own core.
    let columns: Vec<PolarsResult<Column>> = (0..10)
        .into_par_iter()
        .map(|c| match c {
            0 => Ok(text(PAPER_ID, papers.iter().map(|p| Some(p.paper_id)))),
            1 => Ok(text(ARXIV_ID, papers.iter().map(|p| p.arxiv_id))),
            2 => Ok(repeated_text(TITLE, papers.iter().map(|p| p.title))),
            3 => Ok(list_of(AUTHORS, papers.iter().map(|p| p.authors.into_iter().flat_map(|a| a.iter())))),
            4 => Ok(list(KEYWORDS_COL, papers.iter().map(|p| p.keywords.as_slice()))),
            5 => Ok(list_of(THEMES_COL, themes.iter().map(|&set| sets.names_of(set)))),
            6 => date(FIRST_SEEN, papers.iter().map(|p| p.first_seen)),
            7 => date(LAST_SEEN, papers.iter().map(|p| p.last_seen)),
            8 => Ok(uint(APPEARANCES, papers.iter().map(|p| Some(p.appearances)))),
            _ => Ok(repeated_text(VENUE, papers.iter().map(|p| p.venue))),
        })
        .collect();
    frame(columns.into_iter().collect::<PolarsResult<Vec<Column>>>()?)
}

/// Each entry's paper as a number: the distinct paper ids sorted (a million texts, not two; as
/// the numbers of their texts in the entries, so that the index does not borrow them) and each
/// entry's place among them.
#[derive(Debug)]
struct PaperIndex {
    ids: Vec<u32>,
    of: Vec<u32>,
}

impl PaperIndex {
    fn of(rows: &Entries) -> PaperIndex {
        let (ids, of) = rows.papers();
        PaperIndex { ids, of }
    }

    /// The place of a paper id among the papers of `rows` (those the index was made of), if some
    /// entry has it.
    fn place(&self, rows: &Entries, id: &str) -> Option<usize> {
        self.ids.binary_search_by(|&n| rows.pooled(n).cmp(id)).ok()
    }
}

/// The rows in the order of a stable sort by (paper, date, digest): the rows grouped by paper
/// (`grouped`), each paper's few rows sorted on their own by their `entry_ranks` (`rank`), which
/// among the rows of one paper are in the order of their digests' date and id.
fn by_paper(rows: &Entries, papers: &PaperIndex, rank: &[u32]) -> Vec<u32> {
    let rank = |i: u32| rank.get(i as usize).copied().unwrap_or_default();
    let all = (0..rows.len()).map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect();
    grouped(all, &papers.of, papers.ids.len(), |&a, &b| rank(a).cmp(&rank(b)))
}

/// What deriving holds that the analysis' inputs come from: the entries, their papers, their
/// places in the keyword order (`entry_ranks`: equal for the entries of one paper in one
/// digest), and the keyword rows in table order.
struct Derived<'d, 'a> {
    rows: &'a Entries,
    papers: &'d PaperIndex,
    rank: &'d [u32],
    keywords: &'d Keywords,
}

/// The analysis' inputs: what `analysis::inputs` reads from the tables deriving writes (a test
/// compares the two), taken from what deriving holds. Each entry's paper number and rank stand
/// in for the ids the reader looks up (two texts per row in maps of millions).
fn analysis_inputs(
    derived: &Derived,
    (paper_themes, sets): (&[u32], &ThemeSets),
    digests: Option<&DataFrame>,
    origins: Origins,
) -> PolarsResult<Inputs> {
    let Derived { rows, papers, rank, keywords } = *derived;
    let empty = DataFrame::default();
    let mut listing = analysis::Listing::new(digests.filter(|d| d.height() > 0).unwrap_or(&empty))?;
    // Per paper (by its place among the sorted ids) its number in the input, given on its first
    // dated entry; per rank the first dated entry's appearance.
    let mut number = vec![u32::MAX; papers.ids.len()];
    let mut appearance_of = vec![u32::MAX; rank.iter().max().map_or(0, |&r| r as usize + 1)];
    listing.input.appearances_mut().reserve(rows.len());
    // At most every paper, reserved whole (a million ids grown by doubling took up to twice).
    let bytes = papers.ids.iter().map(|&n| rows.pooled(n).len()).sum();
    listing.input.papers_mut().reserve(papers.ids.len(), bytes);
    for (i, r) in rows.iter().enumerate() {
        let Some(dated) = listing.entry(r.digest_id(), r.listed_date()) else { continue };
        let place = papers.of[i] as usize;
        if number[place] == u32::MAX {
            number[place] = u32::try_from(listing.input.papers.len()).unwrap_or(u32::MAX);
            listing.input.papers_mut().push(r.paper_id());
        }
        let a = listing.appear(number[place], dated);
        let first = &mut appearance_of[rank[i] as usize];
        if *first == u32::MAX {
            *first = a;
        }
    }
    let base = listing.finish();
    let mut out = Inputs { keywords: base.clone(), themes: base };
    // Each normal form's term, by the number of its text in `keywords.texts` (each text has one),
    // numbered in the order of first use as `analysis::intern` numbers texts.
    let mut term_of = vec![u32::MAX; keywords.texts.len()];
    let input = &mut out.keywords;
    let admitted = || keywords.rows.iter().filter(|k| origins.admits(k.origin.as_str()));
    // Reserved whole: millions of links, which grown by doubling took up to twice their size.
    input.links.reserve_exact(admitted().filter(|k| appearance_of[rank[k.entry()] as usize] != u32::MAX).count());
    for k in admitted() {
        let a = appearance_of[rank[k.entry()] as usize];
        if a != u32::MAX {
            let Some(t) = term_of.get_mut(k.norm as usize) else { continue };
            if *t == u32::MAX {
                *t = u32::try_from(input.terms.len()).unwrap_or(u32::MAX);
                input.terms.push(keywords.norm(k).to_owned());
            }
            input.links.push((*t, a));
        }
    }
    // Papers in the order of `papers` (by id), each with the themes it is stored with.
    let themed =
        || paper_themes.iter().zip(&number).filter(|(_, n)| **n != u32::MAX).map(|(set, n)| (*n, sets.names_of(*set)));
    analysis::link_themes(&mut out.themes, themed);
    Ok(out)
}

/// `items` in the order of a stable sort by (`group[i]`, `within`), where every group number
/// is below `groups`: a counting sort by group (which keeps the items' order), then each
/// group's few items sorted on their own. Millions of items compare texts only within a group.
/// The order and group starts are 4-byte numbers, and the groups are sorted a few pieces per core
/// (each piece whole groups) rather than listed one by one: with millions of items in millions of
/// groups, the lists of 8-byte places and the slice of every group were about 180 MB of the peak
/// (5.6 million keyword rows of 3.9 million entries).
fn grouped<T: Copy + Send>(
    items: Vec<T>,
    group: &[u32],
    groups: usize,
    within: impl Fn(&T, &T) -> std::cmp::Ordering + Sync,
) -> Vec<T> {
    let (places, start) = counting_order(group.iter().copied(), groups);
    // Reserved whole: collected from a filter, millions of rows grew by doubling to up to twice.
    let mut order: Vec<T> = Vec::with_capacity(places.len());
    order.extend(places.iter().filter_map(|&i| items.get(i as usize).copied()));
    drop((items, places));
    let len = order.len();
    // Cuts at group starts, about `len / pieces` items apart.
    let step = len / (rayon::current_num_threads() * 8) + 1;
    let mut cuts = vec![0usize];
    for &s in &start {
        let s = s as usize;
        if s < len && s >= cuts.last().copied().unwrap_or(0) + step {
            cuts.push(s);
        }
    }
    cuts.push(len);
    let mut pieces: Vec<(usize, &mut [T])> = Vec::with_capacity(cuts.len());
    let mut rest = order.as_mut_slice();
    for w in cuts.windows(2) {
        let (piece, tail) = std::mem::take(&mut rest).split_at_mut(w[1] - w[0]);
        pieces.push((w[0], piece));
        rest = tail;
    }
    pieces.par_iter_mut().for_each(|(from, piece)| {
        let (from, to) = (*from, *from + piece.len());
        // The group boundaries after `from` inside the piece, then its end.
        let first = start.partition_point(|&s| (s as usize) <= from);
        let inner = start[first..].iter().map(|&s| s as usize).take_while(|&s| s < to);
        let mut low = from;
        for bound in inner.chain(std::iter::once(to)) {
            if bound > low {
                let part = &mut piece[low - from..bound - from];
                if part.len() > 1 {
                    part.sort_by(&within);
                }
                low = bound;
            }
        }
    });
    order
}

#[derive(Debug)]
struct Paper<'a> {
    paper_id: &'a str,
    arxiv_id: Option<&'a str>,
    title: Option<&'a str>,
    authors: Option<Texts<'a>>,
    keywords: Vec<&'a str>,
    first_seen: Option<NaiveDate>,
    last_seen: Option<NaiveDate>,
    appearances: u32,
    venue: Option<&'a str>,
}

impl<'a> Paper<'a> {
    /// The paper of the entries `run` (places in `rows`, in date and digest order).
    fn from_rows(rows: &'a Entries, run: &[u32]) -> Paper<'a> {
        let all = || run.iter().map(|&i| rows.get(i as usize));
        let newest_first = || all().rev();
        let title = newest_first()
            .find(|r| r.titled_by_heading() && r.title().is_some())
            .or_else(|| newest_first().find(|r| r.title().is_some()))
            .and_then(|r| r.title());
        let authors = all().map(|r| r.authors()).max_by_key(Texts::len);
        let mut keywords: Vec<&str> = Vec::new();
        for k in all().flat_map(|r| r.keywords().iter()) {
            if !keywords.iter().any(|have| have.eq_ignore_ascii_case(k)) {
                keywords.push(k);
            }
        }
        let mut digests: Vec<&str> = all().map(|r| r.digest_id()).collect();
        digests.sort_unstable();
        digests.dedup();
        Paper {
            paper_id: all().next().map(|r| r.paper_id()).unwrap_or_default(),
            arxiv_id: all().find_map(|r| r.arxiv_id()),
            title,
            authors,
            keywords,
            first_seen: all().filter_map(|r| r.digest_date()).min(),
            last_seen: all().filter_map(|r| r.digest_date()).max(),
            appearances: u32::try_from(digests.len()).unwrap_or(u32::MAX),
            venue: newest_first().find_map(|r| r.venue()),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    /// A `Reuse` of stored tables derived from `entries` entries, with segment files of these rows.
    fn reuse(entries: u64, keywords: &[usize], papers: &[usize]) -> Reuse {
        let files = |table: &str, sizes: &[usize]| -> Vec<(PathBuf, usize)> {
            sizes.iter().enumerate().map(|(i, &n)| (PathBuf::from(format!("{table}/part-{i}")), n)).collect()
        };
        let basis = Basis {
            version: BASIS_VERSION,
            prints: Fingerprints::default(),
            entries,
            keyword_rows: keywords.iter().sum::<usize>() as u64,
            papers: papers.iter().sum::<usize>() as u64,
        };
        Reuse { basis, keywords: files("keywords", keywords), papers: files("papers", papers) }
    }

    fn names(links: &[(Range<usize>, PathBuf)]) -> Vec<(Range<usize>, String)> {
        links.iter().map(|(r, f)| (r.clone(), f.display().to_string())).collect()
    }

    #[test]
    fn stored_rows_are_derived_alike_when_the_normal_forms_and_what_is_extracted_are() {
        let day = |d| Some((d, DatePrecision::Day));
        let paper = |arxiv: &str, text: &str, keywords: &[&str]| Entry {
            abstract_text: Some(text.to_owned()),
            ..entry(1, arxiv, "t", keywords, None)
        };
        // Two stored days: keywords given, and a listing without keywords, extracted from.
        let stored = vec![
            record("a", day(1), vec![paper("2509.00001", "On tuning.", &["QRX tuning", "lattice decoding"])], vec![]),
            record("b", day(2), vec![paper("2509.00002", "On decoding.", &["lattice decoding"])], vec![]),
            record("c", day(3), vec![paper("2509.00003", "We use lattice decoding and sieve kernels.", &[])], vec![]),
        ];
        let vocab = Vocabulary::builtin();
        let derived = |records: &[DigestRecord]| {
            let entries = frames::entries_sorted(records).unwrap_or_default();
            let rows = stored_entries(Some(&entries)).unwrap_or_default();
            let learned = learned(&rows, Abstracts::Column(entries.column(ABSTRACT).ok()), None);
            (entries, rows, learned.unwrap_or_else(|e| panic!("{e}")))
        };
        let (stored_entries_frame, stored_rows_then, before) = derived(&stored);
        let stored_rows = |k: &Keywords| -> Vec<(usize, String, String)> {
            k.rows
                .iter()
                .filter(|r| r.entry() < 3)
                .map(|r| (r.entry(), k.keyword(r).into(), k.norm(r).into()))
                .collect()
        };
        // The stored keyword rows as the stored entries alone gave them.
        let then = {
            let abstracts = Abstracts::Column(stored_entries_frame.column(ABSTRACT).ok());
            let normalizer = before.clone().normalizer(&vocab);
            let (k, ..) =
                keyword_rows(&stored_rows_then, abstracts, &normalizer, &PaperIndex::of(&stored_rows_then), None)
                    .unwrap_or_default();
            stored_rows(&k)
        };
        assert!(!then.is_empty());
        // Whether the stored rows come out alike with the new days `days` added, and whether they
        // do: the stored entries' keyword rows compared.
        let alike = |days: Vec<DigestRecord>| {
            let mut records = stored.clone();
            records.extend(days);
            let (entries, rows, now) = derived(&records);
            let now = now.normalizer(&vocab);
            let was = Was { normalizer: Some(before.clone().normalizer(&vocab)), stored: 3 };
            let abstracts = || Abstracts::Column(entries.column(ABSTRACT).ok());
            let papers = PaperIndex::of(&rows);
            let (keywords, _, _, alike) =
                keyword_rows(&rows, abstracts(), &now, &papers, Some(&was)).unwrap_or_default();
            (alike, stored_rows(&keywords) == then)
        };
        let defining = |d, arxiv, long: &str, keywords: &[&str]| {
            record(d, day(4), vec![paper(arxiv, &format!("We propose {long}."), keywords)], vec![])
        };
        // An acronym no stored keyword has: the normaliser is another, the stored rows are not.
        assert_eq!(alike(vec![defining("d", "2509.00004", "Zeta Quark Kernels (ZQK)", &["ZQK"])]), (Some(true), true));
        // An acronym a stored keyword has: that keyword's normal form is another.
        let qrx = defining("d", "2509.00004", "Quasi Random Xylophones (QRX)", &["xylophones"]);
        assert_eq!(alike(vec![qrx]), (Some(false), false));
        // A keyword given to a second paper joins the vocabulary: found in the stored listing's
        // abstract, or in nothing stored.
        let second = |keyword| {
            vec![
                record("d", day(4), vec![paper("2509.00004", "x", &[keyword])], vec![]),
                record("e", day(5), vec![paper("2509.00005", "y", &[keyword])], vec![]),
            ]
        };
        assert_eq!(alike(second("sieve kernels")), (Some(false), false));
        assert_eq!(alike(second("quantum widgets")), (Some(true), true));
        // Which fingerprints must be equal: the files and the taxonomy always, the normaliser and
        // vocabulary unless the stored rows come out alike.
        let prints = |n: &str, t: &str, v: &str| Fingerprints {
            vocab: "files".into(),
            normaliser: n.into(),
            taxonomy: t.into(),
            vocabulary: v.into(),
        };
        let mut kept = reuse(3, &[], &[]);
        kept.basis.prints = prints("n", "t", "v");
        assert!(kept.holds(&prints("n", "t", "v"), None));
        assert!(kept.holds(&prints("other", "t", "other"), Some(true)));
        assert!(!kept.holds(&prints("n", "t", "other"), Some(false)));
        assert!(!kept.holds(&prints("other", "t", "v"), None));
        assert!(!kept.holds(&prints("n", "other", "v"), Some(true)));
        // Other synonyms or taxonomy files: the normaliser made again of what was learned
        // before would not be the one the rows were derived with.
        let other_files = Fingerprints { vocab: "other".into(), ..prints("n", "t", "v") };
        assert!(!kept.holds(&other_files, None) && !kept.holds(&other_files, Some(true)));
    }

    #[test]
    fn stored_keyword_segments_are_linked_only_when_the_rows_begin_with_all_the_stored_entries_rows() {
        let row = |entry| KeywordRow { entry, keyword: 0, norm: 0, origin: Origin::Digest };
        // Ten stored entries gave six rows (segments of 3, 2 and 1); entries 10 and 11 are new.
        let stored = reuse(10, &[3, 2, 1], &[]);
        let rows: Vec<KeywordRow> = [0, 1, 1, 2, 5, 9, 10, 11].into_iter().map(row).collect();
        let want = [(0..3, "keywords/part-0".to_owned()), (3..5, "keywords/part-1".to_owned())];
        // The last segment, under the least size, is written again with the new rows.
        assert_eq!(names(&stored.keyword_links(&rows, 2)), want);
        assert_eq!(names(&stored.keyword_links(&rows, 1)).len(), 3);
        // A new entry's row among the first six: the stored rows are not where they were.
        let mut moved = rows.clone();
        moved.swap(5, 6);
        assert!(stored.keyword_links(&moved, 1).is_empty());
        // Fewer rows than were stored (an entry now has fewer keywords): nothing is linked.
        assert!(stored.keyword_links(&rows[..5], 1).is_empty());
        assert!(reuse(10, &[3, 2, 2], &[]).keyword_links(&rows, 1).is_empty());
    }

    #[test]
    fn a_stored_paper_segment_is_linked_only_when_no_paper_of_it_changed_and_no_new_paper_sorts_among_them() {
        // Ten stored entries; 10, 11 and 12 are new. Papers in table order, by their entries:
        let runs: Vec<&[u32]> = vec![
            &[0],     // 0: stored, segment 0
            &[1, 2],  // 1: stored, segment 0
            &[3],     // 2: stored, segment 1
            &[10],    // 3: a new paper among segment 1's
            &[4],     // 4: stored, segment 1
            &[5, 11], // 5: stored, listed again by the new day: segment 2
            &[6],     // 6: stored, segment 2
            &[7],     // 7: stored, segment 3
            &[8, 9],  // 8: stored, segment 3
            &[12],    // 9: a new paper after every stored one
        ];
        let stored = reuse(10, &[], &[2, 2, 2, 2]);
        let mut changed: Vec<bool> = runs.iter().map(|r| r.iter().any(|&e| e >= 10)).collect();
        let want = [(0..2, "papers/part-0".to_owned()), (7..9, "papers/part-3".to_owned())];
        assert_eq!(names(&stored.paper_links(&runs, &changed, 2)), want);
        // Segments under the least size are written again.
        assert!(stored.paper_links(&runs, &changed, 3).is_empty());
        // A stored paper with no new entry that changed all the same (a new TL;DR theme names it).
        changed[8] = true;
        assert_eq!(names(&stored.paper_links(&runs, &changed, 2)), want[..1]);
        // Stored papers that do not add up to the stored table: nothing is linked.
        assert!(reuse(10, &[], &[2, 2, 2, 3]).paper_links(&runs, &changed, 1).is_empty());
    }
    use crate::model::{DatePrecision, DateSource, Digest, DigestDate, Entry, Theme};
    use crate::store::{DigestRecord, frames};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, d).unwrap_or_default()
    }

    fn entry(position: u32, arxiv: &str, title: &str, keywords: &[&str], listed: Option<u32>) -> Entry {
        Entry {
            position,
            line: position * 10,
            title: Some(title.to_owned()),
            arxiv_id: (!arxiv.is_empty()).then(|| arxiv.to_owned()),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            abstract_text: keywords.is_empty().then(|| format!("We study {title} with large language models (LLMs).")),
            listed_date: listed.map(day),
            ..Entry::default()
        }
    }

    fn record(id: &str, date: Option<(u32, DatePrecision)>, entries: Vec<Entry>, themes: Vec<Theme>) -> DigestRecord {
        let date = date.map(|(d, precision)| DigestDate { date: day(d), source: DateSource::FileName, precision });
        DigestRecord {
            digest_id: id.to_owned(),
            source_file: format!("{id}.md"),
            files: vec![format!("{id}.md")],
            input: String::new(),
            format: "markdown".to_owned(),
            bytes: 1,
            digest: Digest { date, entries, themes, ..Digest::default() },
        }
    }

    #[test]
    fn the_inputs_deriving_hands_the_analysis_equal_those_read_back_from_its_tables() {
        use DatePrecision::{Day, Month};
        let agents = Theme {
            position: 1,
            line: 3,
            label: "Agents".to_owned(),
            arxiv_ids: vec!["2509.00001".to_owned()],
            ..Theme::default()
        };
        let records = vec![
            // A paper twice in one digest (one appearance's keywords), one without keywords.
            record(
                "a",
                Some((1, Day)),
                vec![
                    entry(1, "2509.00001", "Tool use by LLM agents", &["LLM agents", "tool use"], None),
                    entry(2, "2509.00002", "Retrieval augmented generation", &[], None),
                    entry(3, "2509.00001", "Tool use by LLM agents", &["Large Language Models"], None),
                ],
                vec![agents],
            ),
            // Dated only to the month; a paper listed with its own day.
            record(
                "b",
                Some((1, Month)),
                vec![
                    entry(1, "2509.00001", "Tool use by LLM agents", &["tool-use"], None),
                    entry(2, "2509.00003", "Speech models", &["speech"], Some(20)),
                ],
                vec![],
            ),
            // Undated, but its entry is listed with a day; a digest without entries.
            record("c", None, vec![entry(1, "", "A paper without an id", &["RAG"], Some(9))], vec![]),
            record("d", Some((5, Day)), vec![], vec![]),
            // Every entry listed with a day of its own: the digest's day is not covered.
            record(
                "e",
                Some((30, Day)),
                vec![
                    entry(1, "2509.00004", "Vision transformers", &["ViT"], Some(28)),
                    entry(
                        2,
                        "2509.00002",
                        "Retrieval augmented generation",
                        &["retrieval-augmented generation"],
                        Some(29),
                    ),
                ],
                vec![],
            ),
            // An undated digest whose entry has no date either: no appearance.
            record("f", None, vec![entry(1, "2509.00005", "Undated", &["speech"], None)], vec![]),
        ];
        let table = |df: PolarsResult<DataFrame>| df.unwrap_or_default();
        let mut tables = Tables::new();
        tables.insert(DIGESTS.to_owned(), table(frames::digests_sorted(&records)));
        tables.insert(ENTRIES.to_owned(), table(frames::entries_sorted(&records)));
        tables.insert(THEMES.to_owned(), table(frames::themes(&records)));
        let column = tables.get(ENTRIES).and_then(|df| df.column(ABSTRACT).ok()).cloned();
        let vocab = Vocabulary::builtin();
        for origins in [Origins::All, Origins::Digest, Origins::Extracted] {
            let abstracts = Abstracts::Column(column.as_ref());
            let mut rows = stored_entries(tables.get(ENTRIES)).unwrap_or_default();
            let sources = Sources { abstracts, prior: None, reuse: None };
            let derived = normalised(&mut tables, &mut rows, &vocab, sources, None, Some(origins));
            let derived = derived.ok().flatten().unwrap_or_default();
            let read = analysis::inputs(&tables, origins).unwrap_or_default();
            assert!(!read.keywords.links.is_empty() && !read.themes.links.is_empty(), "{read:?}");
            assert_eq!(derived, read, "{origins:?}");
        }
    }

    #[test]
    fn what_a_normaliser_learned_is_written_and_read_back_whole_and_normalises_alike() {
        let defined = |position, arxiv: &str, title: &str, keywords: &[&str]| Entry {
            abstract_text: Some(format!("We use Multi-Agent Tool Policy Optimization (MATPO) for {title}.")),
            ..entry(position, arxiv, title, keywords, None)
        };
        let records = vec![
            record(
                "a",
                Some((1, DatePrecision::Day)),
                vec![defined(1, "2509.00001", "agents", &["MATPO", "multiagent"])],
                vec![],
            ),
            record(
                "b",
                Some((2, DatePrecision::Day)),
                vec![entry(1, "2509.00002", "x", &["multi agent", "multi agent"], None)],
                vec![],
            ),
        ];
        let entries = frames::entries_sorted(&records).unwrap_or_default();
        let rows = stored_entries(Some(&entries)).unwrap_or_default();
        let column = entries.column(ABSTRACT).ok();
        let learned = learned(&rows, Abstracts::Column(column), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            learned.keywords.iter().map(|(k, n)| (k.as_str(), *n)).collect::<Vec<_>>(),
            [("MATPO", 1), ("multi agent", 2), ("multiagent", 1)]
        );
        let bytes = rmp_serde::to_vec(&learned).unwrap_or_default();
        let read: Learned = rmp_serde::from_slice(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, learned);
        let vocab = Vocabulary::builtin();
        let (a, b) = (learned.normalizer(&vocab), read.normalizer(&vocab));
        for term in ["MATPO", "multiagent", "Multi-Agent", "LLMs"] {
            assert_eq!(a.normalize(term).norm, b.normalize(term).norm, "{term}");
        }
        assert_eq!(a.normalize("MATPO").norm, "multi agent tool policy optimization");
        assert_eq!(a.normalize("multiagent").norm, "multi agent", "the spacing the corpus prefers");
    }

    #[test]
    fn learning_on_from_what_the_first_entries_taught_equals_learning_from_all() {
        let defining = |position, arxiv: &str, long: &str, keywords: &[&str]| Entry {
            abstract_text: Some(format!("With {long} (QK) and Mixture of Experts (MoE).")),
            ..entry(position, arxiv, "t", keywords, None)
        };
        let day = |d| Some((d, DatePrecision::Day));
        let records = vec![
            record("a", day(1), vec![defining(1, "2509.00001", "Quantum Kernel", &["QK", "multiagent"])], vec![]),
            record("b", day(2), vec![defining(1, "2509.00002", "Query Key", &["multi agent"])], vec![]),
            // Later rows: a definition that overtakes the first one, and more of a spelling.
            record("c", day(3), vec![defining(1, "2509.00003", "query key", &["multi agent"])], vec![]),
            record("d", day(4), vec![entry(1, "2509.00004", "u", &["multiagent", "QK"], None)], vec![]),
        ];
        let learn = |records: &[DigestRecord], prior: Option<Learned>| {
            let entries = frames::entries_sorted(records).unwrap_or_default();
            let rows = stored_entries(Some(&entries)).unwrap_or_default();
            learned(&rows, Abstracts::Column(entries.column(ABSTRACT).ok()), prior).unwrap_or_else(|e| panic!("{e}"))
        };
        let whole = learn(&records, None);
        assert_eq!(whole.learned_from(), 4);
        for first in 0..=records.len() {
            let prior = learn(&records[..first], None);
            assert_eq!(prior.learned_from(), first);
            assert_eq!(learn(&records, Some(prior)), whole, "learned on after {first} rows");
        }
        let n = whole.normalizer(&Vocabulary::builtin());
        assert_eq!(n.normalize("QK").norm, "query key", "2 definitions against 1");
        assert_eq!(n.normalize("multiagent").norm, "multi agent");
    }

    #[test]
    fn entries_that_share_a_title_and_abstract_get_what_each_would_get_on_its_own() {
        let with = |position: u32, arxiv: &str, title: &str, abstract_text: Option<&str>| Entry {
            abstract_text: abstract_text.map(str::to_owned),
            ..entry(position, arxiv, title, &[], None)
        };
        let given = |position: u32, arxiv: &str, keywords: &[&str]| entry(position, arxiv, "Given", keywords, None);
        let rag = "Retrieval augmented generation for tool use";
        let records = vec![
            // The vocabulary: keywords given to two papers each.
            record(
                "a",
                Some((1, DatePrecision::Day)),
                vec![
                    given(1, "2509.00001", &["retrieval-augmented generation", "tool use", "speech recognition"]),
                    given(2, "2509.00002", &["Retrieval augmented generation", "tool-use", "speech recognition"]),
                ],
                vec![],
            ),
            // The same title and abstract twice, the title with another abstract, the title alone
            // twice and another title alone.
            record(
                "b",
                Some((2, DatePrecision::Day)),
                vec![
                    with(1, "2509.00003", rag, Some("We add speech recognition to agents.")),
                    with(2, "2509.00004", rag, Some("We add speech recognition to agents.")),
                    with(3, "2509.00005", rag, Some("Nothing of the vocabulary.")),
                    with(4, "2509.00006", rag, None),
                    with(5, "2509.00007", "Speech recognition at scale", Some("")),
                    with(6, "2509.00008", rag, None),
                ],
                vec![],
            ),
        ];
        let entries = frames::entries_sorted(&records).unwrap_or_default();
        let rows = stored_entries(Some(&entries)).unwrap_or_default();
        let abstracts = Abstracts::Column(entries.column(ABSTRACT).ok());
        let vocab = Vocabulary::builtin();
        let normalizer = normalizer(&rows, abstracts, &vocab).unwrap_or_default();
        let (keywords, ..) =
            keyword_rows(&rows, abstracts, &normalizer, &PaperIndex::of(&rows), None).unwrap_or_default();
        let extracted = |entry: usize| -> Vec<(String, String)> {
            let mut found: Vec<(String, String)> = keywords
                .rows
                .iter()
                .filter(|k| k.entry() == entry && k.origin == Origin::Extracted)
                .map(|k| (keywords.keyword(k).to_owned(), keywords.norm(k).to_owned()))
                .collect();
            found.sort();
            found
        };
        let digest_rows: Vec<KeywordRow> =
            keywords.rows.iter().filter(|k| k.origin == Origin::Digest).copied().collect();
        let extractor = Extractor::new(
            digest_rows.iter().map(|k| (keywords.keyword(k), keywords.norm(k), rows.get(k.entry()).paper_id())),
        );
        let texts: Vec<Option<&str>> =
            entries.column(ABSTRACT).and_then(|c| c.str()).map(|c| c.iter().collect()).unwrap_or_default();
        let mut nonempty = 0;
        for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.keywords().is_empty()) {
            let abstract_text = texts.get(i).copied().flatten().unwrap_or_default();
            let own = extractor.extract(&normalizer, r.title().unwrap_or_default(), abstract_text);
            let mut want: Vec<(String, String)> = own.into_iter().map(|f| (f.text, f.norm)).collect();
            want.sort();
            nonempty += usize::from(!want.is_empty());
            assert_eq!(extracted(i), want, "entry {i}: {:?}", r.title());
        }
        assert!(nonempty >= 4, "the vocabulary is found in most entries ({nonempty})");
    }

    #[test]
    fn entries_are_ranked_and_papers_ordered_as_by_their_texts() {
        use DatePrecision::Day;
        let e = |position: u32, arxiv: &str| entry(position, arxiv, "T", &["k"], None);
        // Digests on one day (ids out of order), another day and none; papers repeated within
        // and across digests, out of order within each.
        let records = vec![
            record("b", Some((2, Day)), vec![e(1, "2509.00009"), e(2, "2509.00001"), e(3, "2509.00009")], vec![]),
            record("a", Some((2, Day)), vec![e(1, "2509.00005"), e(2, "2509.00001")], vec![]),
            record("c", Some((1, Day)), vec![e(1, "2509.00005"), e(2, "2509.00003")], vec![]),
            record("d", None, vec![e(1, "2509.00002"), e(2, "2509.00009")], vec![]),
        ];
        let entries = frames::entries_sorted(&records).unwrap_or_default();
        let rows = stored_entries(Some(&entries)).unwrap_or_default();
        let papers = PaperIndex::of(&rows);
        let rank = entry_ranks(&rows, &papers);
        let key = |i: usize| {
            let r = rows.get(i);
            (r.digest_date(), r.digest_id(), r.paper_id())
        };
        for i in 0..rows.len() {
            for j in 0..rows.len() {
                assert_eq!(rank[i].cmp(&rank[j]), key(i).cmp(&key(j)), "entries {i} and {j}");
            }
        }
        let mut want: Vec<u32> = (0..rows.len() as u32).collect();
        want.sort_by_key(|&i| {
            let r = rows.get(i as usize);
            (r.paper_id(), r.digest_date(), r.digest_id())
        });
        assert_eq!(by_paper(&rows, &papers, &rank), want);
    }

    #[test]
    fn a_keyword_row_stays_at_16_bytes() {
        // Millions are held at the peak of a large ingest.
        assert!(std::mem::size_of::<KeywordRow>() <= 16, "{}", std::mem::size_of::<KeywordRow>());
        let names: Vec<&str> = [Origin::Digest, Origin::Heading, Origin::Extracted].map(Origin::as_str).to_vec();
        assert_eq!(names, ["digest", "heading", "extracted"]);
    }

    #[test]
    fn theme_lists_are_numbered_once_and_grow_as_lists_of_texts_do() {
        let mut sets = ThemeSets::default();
        let names = |sets: &ThemeSets, set: u32| sets.names_of(set).map(str::to_owned).collect::<Vec<String>>();
        let agents = sets.of_names(&["Agents", "RAG"]);
        assert_eq!(sets.of_names(&["Agents", "RAG"]), agents, "the same list, the same number");
        assert_ne!(sets.of_names(&["RAG", "Agents"]), agents, "order counts");
        assert_eq!(sets.of_names(&[]), 0);
        assert_eq!(names(&sets, 0), Vec::<String>::new());
        // Adding a theme a list has keeps it; a new one goes at the end, as a list's push would.
        assert_eq!(sets.with(agents, "RAG"), agents);
        let more = sets.with(agents, "Speech");
        assert_eq!(names(&sets, more), ["Agents", "RAG", "Speech"]);
        assert_eq!(names(&sets, agents), ["Agents", "RAG"], "the first list is unchanged");
        let vision = sets.with(0, "Vision");
        assert_eq!(names(&sets, vision), ["Vision"]);
        assert!(names(&sets, 999).is_empty(), "a number not given out");
    }

    #[test]
    fn grouping_equals_a_stable_sort_by_group_then_within() {
        // (group, key, original place): many ties on both, so the order among equals is tested.
        let items: Vec<(usize, usize, usize)> = (0..500).map(|i| ((i * 7919) % 13, (i * 31) % 5, i)).collect();
        let mut want = items.clone();
        want.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let group: Vec<u32> = items.iter().map(|i| i.0 as u32).collect();
        assert_eq!(super::grouped(items, &group, 13, |a, b| a.1.cmp(&b.1)), want);
        assert!(super::grouped(Vec::<u8>::new(), &[], 0, |a, b| a.cmp(b)).is_empty());
    }
}
