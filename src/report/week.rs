//! What a weekly report says, gathered from the analysis results and the stored tables: the
//! week's digests and papers, top, rising and new keywords, bursts under way, theme shares, the
//! papers that carry the rising themes, and data-quality notes.

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::{DataFrame, PolarsResult};

use crate::analysis::tables::Results;
use crate::analysis::trends::{Row, Status};
use crate::error::{Error, Result};
use crate::store::Tables;
use crate::store::columns::{TextColumn, TextLists, dates, strings, strs, uints};
use crate::store::schema::*;

/// One stored digest of the week.
#[derive(Debug, Clone)]
pub struct DigestRow {
    pub date: NaiveDate,
    pub format: String,
    pub file: String,
    pub entries: u32,
}

/// A keyword or theme in the week's trend table.
#[derive(Debug, Clone)]
pub struct TermRow {
    pub term: String,
    pub papers: u32,
    pub share: f64,
    pub change: Option<f64>,
    pub z: Option<f64>,
    pub status: &'static str,
}

/// A burst that covers the week.
#[derive(Debug, Clone)]
pub struct BurstRow {
    pub term: String,
    pub kind: &'static str,
    pub begin: String,
    pub end: String,
    pub strength: f64,
}

/// A paper that carries a rising theme.
#[derive(Debug, Clone)]
pub struct PaperRow {
    pub title: String,
    pub arxiv_id: Option<String>,
    pub authors: Vec<String>,
}

/// A paper listed in one of the week's digests.
#[derive(Debug, Clone)]
pub struct Listed {
    pub date: NaiveDate,
    pub file: String,
    pub paper: PaperRow,
    /// The listing's upvotes, where its source gives them (Hugging Face).
    pub upvotes: Option<u32>,
}

/// A paper a watch entry selects, on one of its days.
#[derive(Debug, Clone)]
pub struct Watched {
    pub date: NaiveDate,
    pub watch: String,
    pub term: String,
    /// Where the term matched: arxiv id, author, keyword, title or abstract.
    pub place: String,
    pub paper: PaperRow,
}

/// A watch entry's papers of one week: its name, and each paper with the term and where it
/// matched.
pub type WatchedGroup = (String, Vec<(PaperRow, String, String)>);

/// A diagnostic of one of the week's files.
#[derive(Debug, Clone)]
pub struct NoteRow {
    pub file: String,
    pub line: u32,
    pub severity: String,
    pub code: String,
    pub message: String,
}

/// Everything one weekly report shows.
#[derive(Debug, Clone)]
pub struct Week {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub papers: u32,
    pub digests: Vec<DigestRow>,
    pub top: Vec<TermRow>,
    pub rising: Vec<TermRow>,
    pub new: Vec<TermRow>,
    pub bursts: Vec<BurstRow>,
    pub themes: Vec<TermRow>,
    pub carriers: Vec<(String, Vec<PaperRow>)>,
    /// Whether the carriers are of rising themes (else of the themes that gained most).
    pub carriers_rising: bool,
    /// The week's papers by date, at most `LISTED_MAX` of them, and how many there are.
    pub listed: Vec<Listed>,
    pub listed_total: usize,
    /// The week's most upvoted papers (sources with upvotes only), most first.
    pub upvoted: Vec<(PaperRow, u32)>,
    /// Per watch entry with papers this week: its papers, each with the term and where it matched.
    pub watched: Vec<WatchedGroup>,
    /// The week's TL;DR themes that match no canonical theme (distinct labels, by date).
    pub emerging: Vec<String>,
    pub notes: Vec<NoteRow>,
}

/// The stored rows a report needs, read once for all weeks: the texts are borrowed from the
/// tables, and a week's papers are made from them when it is written (an archive lists millions).
#[derive(Debug, Default)]
pub struct Stored<'a> {
    /// The watchlist's papers (set by the caller, which reads what matching needs).
    pub watched: Vec<Watched>,
    /// TL;DR themes that match no canonical theme: (digest date, label).
    emerging: Vec<(NaiveDate, String)>,
    digests: Vec<DigestRow>,
    /// Papers by id, as rows of `paper_rows`.
    papers: HashMap<&'a str, usize>,
    paper_rows: Papers<'a>,
    /// Entries: their file and date, and their papers as `Papers` rows.
    entry_files: TextColumn<'a>,
    entry_dates: Vec<Option<NaiveDate>>,
    entry_votes: Vec<Option<u32>>,
    entry_rows: Papers<'a>,
    notes: Notes<'a>,
    /// Per file, its entries and its notes (indices in table order): a week reads the rows of its
    /// own digests' files only.
    entries_of: HashMap<&'a str, Vec<usize>>,
    notes_of: HashMap<&'a str, Vec<usize>>,
}

/// The title, arXiv id and authors of each row of a table (papers or entries), borrowed from the
/// columns (a vector of every row's title and id was 500 MB of the reports of the 2 GB real
/// archive).
#[derive(Debug, Default)]
struct Papers<'a> {
    titles: TextColumn<'a>,
    arxiv: TextColumn<'a>,
    authors: Option<TextLists>,
}

impl<'a> Papers<'a> {
    fn of(df: &'a DataFrame) -> PolarsResult<Papers<'a>> {
        let (titles, arxiv) = (TextColumn::of(df, TITLE)?, TextColumn::of(df, ARXIV_ID)?);
        Ok(Papers { titles, arxiv, authors: Some(TextLists::of(df, AUTHORS)?) })
    }

    fn row(&self, i: usize) -> PaperRow {
        let title = self.titles.get(i).unwrap_or("(untitled)").to_owned();
        let arxiv_id = self.arxiv.get(i).map(str::to_owned);
        let authors = self.authors.as_ref().and_then(|a| a.row(i).ok()).unwrap_or_default();
        PaperRow { title, arxiv_id, authors: authors.into_iter().map(str::to_owned).collect() }
    }
}

/// The diagnostics of the store, borrowed from the table.
#[derive(Debug, Default)]
struct Notes<'a> {
    files: TextColumn<'a>,
    lines: Vec<Option<u32>>,
    severities: TextColumn<'a>,
    codes: TextColumn<'a>,
    messages: TextColumn<'a>,
}

impl Notes<'_> {
    fn row(&self, i: usize) -> NoteRow {
        let text = |c: &TextColumn| c.get(i).unwrap_or_default().to_owned();
        NoteRow {
            file: text(&self.files),
            line: self.lines.get(i).copied().flatten().unwrap_or(0),
            severity: text(&self.severities),
            code: text(&self.codes),
            message: text(&self.messages),
        }
    }
}

/// The indices of rows by file.
fn by_file<'a>(files: impl Iterator<Item = &'a str>) -> HashMap<&'a str, Vec<usize>> {
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, file) in files.enumerate() {
        out.entry(file).or_default().push(i);
    }
    out
}

/// What the weekly reports read of the store: the analysis' inputs (`analysis::INPUT_COLUMNS`)
/// and what `Stored::read` keeps (digests, papers and entries by file, notes, emerging themes).
/// Not the entries' keywords, headings, links or long texts: with them, reading the real
/// archive's store for its reports took 1.2 GB.
pub const READS: [(&str, Option<&[&str]>); 6] = [
    (DIGESTS, Some(&[DIGEST_ID, DIGEST_DATE, DATE_PRECISION, SOURCE_FILE, FORMAT, ENTRY_COUNT])),
    (ENTRIES, Some(&[DIGEST_ID, PAPER_ID, LISTED_DATE, SOURCE_FILE, UPVOTES, DIGEST_DATE, TITLE, ARXIV_ID, AUTHORS])),
    (KEYWORDS, Some(&[DIGEST_ID, PAPER_ID, KEYWORD_NORM, ORIGIN])),
    (PAPERS, Some(&[PAPER_ID, THEMES_COL, TITLE, ARXIV_ID, AUTHORS])),
    (DIAGNOSTICS, Some(&[SOURCE_FILE, LINE, SEVERITY, CODE, MESSAGE])),
    (THEMES, Some(&[DIGEST_DATE, LABEL, THEME_SCORE])),
];

fn table<'a>(tables: &'a Tables, name: &str) -> Result<&'a DataFrame> {
    tables.get(name).ok_or_else(|| Error::Store(format!("the store has no {name} table")))
}

impl<'a> Stored<'a> {
    pub fn read(tables: &'a Tables) -> Result<Stored<'a>> {
        let polars = |e| Error::polars("report", e);
        let d = table(tables, DIGESTS)?;
        let (files, formats, days, precision, counts) = (
            strings(d, SOURCE_FILE).map_err(polars)?,
            strings(d, FORMAT).map_err(polars)?,
            dates(d, DIGEST_DATE).map_err(polars)?,
            strings(d, DATE_PRECISION).map_err(polars)?,
            uints(d, ENTRY_COUNT).map_err(polars)?,
        );
        let mut digests = Vec::new();
        for i in 0..files.len() {
            if let (Some(date), Some("day")) = (days[i], precision[i].as_deref()) {
                let (file, format) = (files[i].clone().unwrap_or_default(), formats[i].clone().unwrap_or_default());
                digests.push(DigestRow { date, format, file, entries: counts[i].unwrap_or(0) });
            }
        }
        let p = table(tables, PAPERS)?;
        let ids = strs(p, PAPER_ID).map_err(polars)?;
        let papers = ids.iter().enumerate().map(|(i, id)| (id.unwrap_or_default(), i)).collect();
        let paper_rows = Papers::of(p).map_err(polars)?;
        let e = table(tables, ENTRIES)?;
        let entry_files = TextColumn::of(e, SOURCE_FILE).map_err(polars)?;
        let entry_votes =
            if e.column(UPVOTES).is_ok() { uints(e, UPVOTES).map_err(polars)? } else { vec![None; e.height()] };
        let entries_of = by_file(entry_files.iter().map(Option::unwrap_or_default));
        let g = table(tables, DIAGNOSTICS)?;
        let notes = Notes {
            files: TextColumn::of(g, SOURCE_FILE).map_err(polars)?,
            lines: uints(g, LINE).map_err(polars)?,
            severities: TextColumn::of(g, SEVERITY).map_err(polars)?,
            codes: TextColumn::of(g, CODE).map_err(polars)?,
            messages: TextColumn::of(g, MESSAGE).map_err(polars)?,
        };
        let notes_of = by_file(notes.files.iter().map(Option::unwrap_or_default));
        let mut emerging = Vec::new();
        if let Some(t) = tables.get(THEMES).filter(|t| t.height() > 0 && t.column(THEME_SCORE).is_ok()) {
            let (days, labels) = (dates(t, DIGEST_DATE).map_err(polars)?, strings(t, LABEL).map_err(polars)?);
            let scores: Vec<Option<f64>> =
                t.column(THEME_SCORE).and_then(|c| c.f64().map(|c| c.iter().collect())).map_err(polars)?;
            for i in 0..t.height() {
                if let (Some(day), Some(label), None) = (days[i], &labels[i], scores[i]) {
                    emerging.push((day, label.clone()));
                }
            }
        }
        Ok(Stored {
            watched: Vec::new(),
            emerging,
            digests,
            papers,
            paper_rows,
            entry_dates: dates(e, DIGEST_DATE).map_err(polars)?,
            entry_rows: Papers::of(e).map_err(polars)?,
            entry_files,
            entry_votes,
            notes,
            entries_of,
            notes_of,
        })
    }

    /// The rows of `of` (entries or notes by file) of these digests' files, in table order.
    fn rows_of(of: &HashMap<&str, Vec<usize>>, digests: &[DigestRow]) -> Vec<usize> {
        let mut files: Vec<&str> = digests.iter().map(|d| d.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let mut rows: Vec<usize> = files.iter().filter_map(|f| of.get(*f)).flatten().copied().collect();
        rows.sort_unstable();
        rows
    }

    /// The dated entries of these digests' files, in table order.
    fn entries_of(&self, digests: &[DigestRow]) -> Vec<usize> {
        let mut rows = Stored::rows_of(&self.entries_of, digests);
        rows.retain(|&i| self.entry_dates.get(i).copied().flatten().is_some());
        rows
    }

    /// A dated entry as a listed paper.
    fn entry(&self, i: usize) -> Option<Listed> {
        Some(Listed {
            date: self.entry_dates.get(i).copied().flatten()?,
            file: self.entry_files.get(i).unwrap_or_default().to_owned(),
            paper: self.entry_rows.row(i),
            upvotes: self.entry_votes.get(i).copied().flatten(),
        })
    }

    /// What an entry's paper is counted once by: its arXiv id, else its title in lower case.
    fn entry_key(&self, i: usize) -> String {
        match self.entry_rows.arxiv.get(i) {
            Some(id) => id.to_owned(),
            None => self.entry_rows.titles.get(i).unwrap_or("(untitled)").to_lowercase(),
        }
    }

    /// The notes of these digests' files, in table order.
    fn notes_of(&self, digests: &[DigestRow]) -> impl Iterator<Item = NoteRow> {
        Stored::rows_of(&self.notes_of, digests)
            .into_iter()
            .filter(|&i| i < self.notes.files.len())
            .map(|i| self.notes.row(i))
    }

    /// A stored paper by id.
    fn paper(&self, id: &str) -> Option<PaperRow> {
        self.papers.get(id).map(|&i| self.paper_rows.row(i))
    }
}

fn term_rows(rows: &[Row], terms: &[String], period: usize) -> Vec<TermRow> {
    rows.iter()
        .filter(|r| r.period == period)
        .map(|r| TermRow {
            term: terms[r.term].clone(),
            papers: r.papers,
            share: r.share,
            change: r.change,
            z: r.z,
            status: r.status.as_str(),
        })
        .collect()
}

fn by_papers(mut rows: Vec<TermRow>, top: usize) -> Vec<TermRow> {
    rows.sort_by(|a, b| b.papers.cmp(&a.papers).then_with(|| a.term.cmp(&b.term)));
    rows.truncate(top);
    rows
}

/// The report of the week at index `i` of the weekly keyword series. Without `detail`, only what
/// the index shows of it (keywords, digests, papers): no papers, bursts, themes' carriers or
/// notes.
pub fn week(results: &Results, stored: &Stored, i: usize, top: usize, detail: bool) -> Week {
    let series = &results.keywords;
    let (key, period) = (series.keys[i], series.period);
    let (start, end) = (period.start(key), period.end(key));
    let label = series.label(i);
    let keywords = term_rows(&results.keyword_trends, &series.terms, i);
    let mut rising: Vec<TermRow> = keywords.iter().filter(|r| r.status == Status::Rising.as_str()).cloned().collect();
    rising.sort_by(|a, b| b.z.unwrap_or(0.0).total_cmp(&a.z.unwrap_or(0.0)).then_with(|| a.term.cmp(&b.term)));
    rising.truncate(top);
    let new = by_papers(keywords.iter().filter(|r| r.status == Status::New.as_str()).cloned().collect(), top);
    let theme_index = results.themes.keys.binary_search(&key).ok();
    let themes = theme_index
        .map_or_else(Vec::new, |t| by_papers(term_rows(&results.theme_trends, &results.themes.terms, t), usize::MAX));
    let digests: Vec<DigestRow> = stored.digests.iter().filter(|d| d.date >= start && d.date <= end).cloned().collect();
    let mut w = Week {
        prev: i.checked_sub(1).map(|p| series.label(p)),
        next: (i + 1 < series.keys.len()).then(|| series.label(i + 1)),
        papers: series.papers[i],
        top: by_papers(keywords, top),
        rising,
        new,
        bursts: Vec::new(),
        carriers: Vec::new(),
        carriers_rising: false,
        listed: Vec::new(),
        listed_total: 0,
        upvoted: Vec::new(),
        watched: Vec::new(),
        emerging: Vec::new(),
        themes,
        digests,
        notes: Vec::new(),
        label,
        start,
        end,
    };
    if detail {
        w.bursts = bursts(results, key);
        (w.carriers, w.carriers_rising) = carriers(results, stored, &w.themes, (start, end));
        (w.listed, w.listed_total) = listed(stored, &w.digests, LISTED_MAX);
        w.upvoted = upvoted(stored, &w.digests, 5);
        w.watched = watched(stored, (start, end));
        for (_, label) in stored.emerging.iter().filter(|(d, _)| *d >= start && *d <= end) {
            if !w.emerging.contains(label) {
                w.emerging.push(label.clone());
            }
        }
        w.notes = stored.notes_of(&w.digests).collect();
    }
    w
}

/// Bursts of keywords and themes whose span covers the week, strongest first.
fn bursts(results: &Results, key: i64) -> Vec<BurstRow> {
    let mut rows = Vec::new();
    for (series, list, kind) in
        [(&results.keywords, &results.keyword_bursts, "keyword"), (&results.themes, &results.theme_bursts, "theme")]
    {
        for b in list.iter().filter(|b| series.keys[b.begin] <= key && key <= series.keys[b.end]) {
            rows.push(BurstRow {
                term: series.terms[b.term].clone(),
                kind,
                begin: series.label(b.begin),
                end: series.label(b.end),
                strength: b.strength,
            });
        }
    }
    rows.sort_by(|a, b| b.strength.total_cmp(&a.strength).then_with(|| a.term.cmp(&b.term)));
    rows
}

/// The papers of the week that carry the rising themes (or, when none rose, the three themes
/// that gained most), at most eight per theme.
fn carriers(
    results: &Results,
    stored: &Stored,
    themes: &[TermRow],
    week: (NaiveDate, NaiveDate),
) -> (Vec<(String, Vec<PaperRow>)>, bool) {
    let mut chosen: Vec<&TermRow> = themes.iter().filter(|t| t.status == Status::Rising.as_str()).collect();
    let rising = !chosen.is_empty();
    if !rising {
        chosen = themes.iter().filter(|t| t.change.unwrap_or(0.0) > 0.0).collect();
        chosen.sort_by(|a, b| b.change.unwrap_or(0.0).total_cmp(&a.change.unwrap_or(0.0)));
    }
    chosen.truncate(3);
    let input = &results.inputs.themes;
    let found = chosen
        .into_iter()
        .filter_map(|t| {
            let term = u32::try_from(input.terms.iter().position(|x| *x == t.term)?).ok()?;
            let mut ids: Vec<&str> = input
                .links
                .iter()
                .filter(|(tm, _)| *tm == term)
                .filter_map(|(_, app)| input.appearances.get(*app as usize))
                .filter(|a| a.day_precision && a.date >= week.0 && a.date <= week.1)
                .map(|a| &input.papers[a.paper as usize])
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let papers: Vec<PaperRow> = ids.iter().filter_map(|id| stored.paper(id)).take(8).collect();
            (!papers.is_empty()).then(|| (t.term.clone(), papers))
        })
        .collect();
    (found, rising)
}

/// The watched papers of the week, per watch entry (in watchlist order of first appearance),
/// each paper once.
fn watched(stored: &Stored, week: (NaiveDate, NaiveDate)) -> Vec<WatchedGroup> {
    let mut out: Vec<WatchedGroup> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for w in stored.watched.iter().filter(|w| w.date >= week.0 && w.date <= week.1) {
        let key = (w.watch.clone(), w.paper.arxiv_id.clone().unwrap_or_else(|| w.paper.title.to_lowercase()));
        if !seen.insert(key) {
            continue;
        }
        let at = match out.iter().position(|(name, _)| *name == w.watch) {
            Some(i) => i,
            None => {
                out.push((w.watch.clone(), Vec::new()));
                out.len() - 1
            }
        };
        out[at].1.push((w.paper.clone(), w.term.clone(), w.place.clone()));
    }
    out
}

/// The `n` most upvoted papers of the week's digests, each with its highest count; papers
/// without upvotes are not ranked.
fn upvoted(stored: &Stored, digests: &[DigestRow], n: usize) -> Vec<(PaperRow, u32)> {
    let mut best: HashMap<String, (PaperRow, u32)> = HashMap::new();
    for i in stored.entries_of(digests) {
        let Some(votes) = stored.entry_votes.get(i).copied().flatten() else { continue };
        let slot = best.entry(stored.entry_key(i)).or_insert_with(|| (stored.entry_rows.row(i), votes));
        slot.1 = slot.1.max(votes);
    }
    let mut out: Vec<(PaperRow, u32)> = best.into_values().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.title.cmp(&b.0.title)));
    out.truncate(n);
    out
}

/// Papers a week's page lists at most: a page is for reading (the `papers` command lists them
/// all). An archive with hundreds of copies of a full listing on one day has weeks of millions.
pub const LISTED_MAX: usize = 1000;

/// The papers of the week's digests, once each (by arXiv id, else title), by date (ties in table
/// order): the first `max` of them, and how many there are.
fn listed(stored: &Stored, digests: &[DigestRow], max: usize) -> (Vec<Listed>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<usize> =
        stored.entries_of(digests).into_iter().filter(|&i| seen.insert(stored.entry_key(i))).collect();
    let total = rows.len();
    rows.sort_by_key(|&i| stored.entry_dates.get(i).copied().flatten());
    rows.truncate(max);
    (rows.into_iter().filter_map(|i| stored.entry(i)).collect(), total)
}
