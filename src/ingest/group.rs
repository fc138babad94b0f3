//! What a digest is, across files: an index page and the per-paper pages it links (a Jekyll
//! site's day folder) are one digest; a digest and its copy in another syntax in the same folder
//! (a README and its JSON lines, a Markdown file and its HTML rendering) are one digest; a folder
//! of per-paper pages of one day without an index is one digest. Within a group a paper listed
//! several times is one entry with the fields of all its listings.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::formats::content_hash;
use crate::formats::merge::{key, merge_listings};
use crate::model::{Diagnostic, Digest, Entry, Severity};
use crate::store::DigestRecord;

/// A digest read from one file, before grouping.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Piece {
    pub id: String,
    pub path: String,
    pub input: String,
    pub bytes: u64,
    pub digest: Digest,
}

fn folder(path: &str) -> &str {
    path.rsplit_once(['/', '\\']).map_or("", |(dir, _)| dir)
}

/// The syntax family of a path: copies are in another family.
pub fn family(path: &str) -> &'static str {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "json" | "jsonl" | "ndjson" | "json5" => "json",
        "html" | "htm" | "xhtml" => "html",
        _ => "text",
    }
}

/// A relative link resolved against the folder of the page that holds it, `.` and `..` folded.
fn resolve(from: &str, href: &str) -> Option<String> {
    if href.contains("://") || href.starts_with(['#', '/']) || href.starts_with("mailto:") {
        return None;
    }
    let href = href.split(['#', '?']).next()?;
    Some(fold(&Path::new(folder(from)).join(href)))
}

/// A path with `.` and `..` folded away where they can be, as the same file is named from
/// different folders.
fn fold(path: &Path) -> String {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                let pops = out.components().next_back().is_some_and(|c| matches!(c, Component::Normal(_)));
                if !pops || !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.to_string_lossy().into_owned()
}

/// The path without its extension, as pages and their renderings share it.
fn stem(path: &str) -> &str {
    let name_at = path.rfind(['/', '\\']).map_or(0, |i| i + 1);
    path[name_at..].rfind('.').map_or(path, |dot| &path[..name_at + dot])
}

struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, i: usize) -> usize {
        let mut r = i;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut j = i;
        while self.0[j] != r {
            let next = self.0[j];
            self.0[j] = r;
            j = next;
        }
        r
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// The folders of `paths` that hold files of two or more syntax families: only there can a
/// digest have a copy in another syntax.
pub fn mixed_folders<'a>(paths: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    let mut families: HashMap<&str, &str> = HashMap::new();
    let mut mixed = HashSet::new();
    for path in paths {
        let (dir, fam) = (folder(path), family(path));
        match families.get(dir) {
            Some(&have) if have != fam => {
                mixed.insert(dir.to_owned());
            }
            Some(_) => {}
            None => {
                families.insert(dir, fam);
            }
        }
    }
    mixed
}

/// Whether `group` may join this piece with another: a one-paper page (a linked page, or one of a
/// folder of pages), a page that links others by relative paths (an index), or a piece in a
/// folder of `mixed_folders` (a copy). Every other piece is a digest on its own, whatever else
/// is read: it can become its record at once (`alone`).
pub fn may_join(p: &Piece, mixed: &HashSet<String>) -> bool {
    p.digest.entries.len() == 1
        || mixed.contains(folder(&p.path))
        || p.digest.entries.iter().any(|e| e.url.as_deref().and_then(|u| resolve(&p.path, u)).is_some())
}

/// The record of a piece that joins no other (see `may_join`), as `group` would make it.
pub fn alone(p: Piece) -> DigestRecord {
    record(p)
}

fn keys(d: &Digest) -> HashSet<String> {
    d.entries.iter().filter_map(key).collect()
}

/// Groups pieces into digests and turns them into records, with a note for each grouped file.
pub fn group(pieces: Vec<Piece>) -> (Vec<DigestRecord>, Vec<Diagnostic>) {
    let mixed = mixed_folders(pieces.iter().map(|p| p.path.as_str()));
    let outlines: Vec<Outline> = pieces.iter().map(|p| Outline::of(p, &mixed)).collect();
    let mut pieces: Vec<Option<Piece>> = pieces.into_iter().map(Some).collect();
    let mut records = Vec::new();
    let diags = Plan::of(&outlines)
        .records(
            |i| Ok(pieces.get_mut(i).and_then(Option::take)),
            |r| {
                records.push(r);
                Ok(())
            },
        )
        .unwrap_or_default();
    (records, diags)
}

/// An entry's arXiv id, version and link: what a page linked from an index gives the index's row.
#[derive(Debug, Clone, Default)]
struct Ident {
    arxiv_id: Option<String>,
    arxiv_version: Option<u32>,
    url: Option<String>,
}

impl Ident {
    fn of(e: &Entry) -> Ident {
        Ident { arxiv_id: e.arxiv_id.clone(), arxiv_version: e.arxiv_version, url: e.url.clone() }
    }
}

/// A relative link of an entry: the entry's place, the path it resolves to, and the entry's
/// ident when it has no arXiv id (only then does a linked page give it one).
#[derive(Debug, Clone)]
struct Link {
    entry: usize,
    target: String,
    open: Option<Ident>,
}

/// What grouping reads of a piece, without the texts of its entries: where it is, its date, its
/// relative links, the keys of its entries where a copy in another syntax may be (a folder of
/// `mixed_folders`), and the ident of a one-paper page's entry.
#[derive(Debug, Clone)]
pub struct Outline {
    path: String,
    entries: usize,
    generic: bool,
    date: Option<chrono::NaiveDate>,
    links: Vec<Link>,
    keys: HashSet<String>,
    only: Option<Ident>,
}

impl Outline {
    /// The outline of a piece; `mixed` is `mixed_folders` of every path its copies may be in.
    pub fn of(p: &Piece, mixed: &HashSet<String>) -> Outline {
        let entries = &p.digest.entries;
        let links = entries
            .iter()
            .enumerate()
            .filter_map(|(k, e)| {
                let target = resolve(&p.path, e.url.as_deref()?)?;
                Some(Link { entry: k, target, open: e.arxiv_id.is_none().then(|| Ident::of(e)) })
            })
            .collect();
        Outline {
            path: p.path.clone(),
            entries: entries.len(),
            generic: p.digest.format == "generic",
            date: p.digest.date.map(|d| d.date),
            links,
            keys: if mixed.contains(folder(&p.path)) { keys(&p.digest) } else { HashSet::new() },
            only: (entries.len() == 1).then(|| entries.first().map(Ident::of)).flatten(),
        }
    }
}

/// Which pieces are one digest, and the ids the pages linked from an index give its rows.
#[derive(Debug)]
pub struct Plan {
    /// The pieces of each digest, by their smallest number; each in order.
    groups: Vec<Vec<usize>>,
    /// The ident each index row ends with, by (piece, entry), where a linked page gave one.
    given: HashMap<(usize, usize), Ident>,
}

impl Plan {
    /// Groups pieces by their outlines (numbered as given).
    pub fn of(outlines: &[Outline]) -> Plan {
        let n = outlines.len();
        let mut sets = Sets((0..n).collect());
        let folded: Vec<String> = outlines.iter().map(|p| fold(Path::new(&p.path))).collect();
        let by_stem: HashMap<&str, Vec<usize>> = folded.iter().enumerate().fold(HashMap::new(), |mut m, (i, p)| {
            m.entry(stem(p)).or_default().push(i);
            m
        });
        // Index pages and the pages they link; the index's row then carries the page's id.
        let mut links: Vec<(usize, &Link, usize)> = Vec::new();
        for (i, p) in outlines.iter().enumerate() {
            for link in &p.links {
                for &j in by_stem.get(stem(&link.target)).into_iter().flatten() {
                    if j != i && outlines[j].entries == 1 {
                        links.push((i, link, j));
                    }
                }
            }
        }
        for &(i, _, j) in &links {
            sets.union(i, j);
        }
        // Copies in another syntax, and one-paper pages of one day, in one folder: only pieces of
        // one folder and one date are compared, so a folder of thousands of daily files costs no
        // more than its days.
        let mut by_day: BTreeMap<(&str, Option<chrono::NaiveDate>), Vec<usize>> = BTreeMap::new();
        for (i, p) in outlines.iter().enumerate() {
            by_day.entry((folder(&p.path), p.date)).or_default().push(i);
        }
        for ((_, day), members) in &by_day {
            let page = |i: usize| outlines[i].generic && outlines[i].entries == 1;
            let pages: Vec<usize> = members.iter().copied().filter(|&i| day.is_some() && page(i)).collect();
            for w in pages.windows(2) {
                sets.union(w[0], w[1]);
            }
            let families: BTreeSet<&str> = members.iter().map(|&i| family(&outlines[i].path)).collect();
            if families.len() < 2 {
                continue;
            }
            for (a, &i) in members.iter().enumerate() {
                for &j in members.iter().skip(a + 1) {
                    if family(&outlines[i].path) == family(&outlines[j].path) {
                        continue;
                    }
                    let (ki, kj) = (&outlines[i].keys, &outlines[j].keys);
                    let smaller = ki.len().min(kj.len());
                    let shared = ki.intersection(kj).count();
                    if smaller > 0 && shared * 2 >= smaller {
                        sets.union(i, j);
                    }
                }
            }
        }
        // A row without an id takes the linked page's id, version and link, in the order of the
        // links; a one-paper page that was given one gives that on.
        let mut only: Vec<Option<Ident>> = outlines.iter().map(|o| o.only.clone()).collect();
        let mut given: HashMap<(usize, usize), Ident> = HashMap::new();
        for (i, link, j) in links {
            let (Some(page), Some(open)) = (only[j].clone(), &link.open) else { continue };
            let now = given.entry((i, link.entry)).or_insert_with(|| open.clone());
            if now.arxiv_id.is_none() {
                now.arxiv_id = page.arxiv_id;
                now.arxiv_version = page.arxiv_version;
                now.url = page.url.or(now.url.take());
                if outlines[i].entries == 1 {
                    only[i] = Some(now.clone());
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            groups.entry(sets.find(i)).or_default().push(i);
        }
        Plan { groups: groups.into_values().collect(), given }
    }

    /// Each digest's record, a group at a time: `load` gives a piece by its number (each is asked
    /// for once), `emit` takes the record. Returns a note for each grouped file.
    pub fn records(
        self,
        mut load: impl FnMut(usize) -> Result<Option<Piece>>,
        mut emit: impl FnMut(DigestRecord) -> Result<()>,
    ) -> Result<Vec<Diagnostic>> {
        let mut diags = Vec::new();
        for members in self.groups {
            let mut pieces = Vec::with_capacity(members.len());
            for i in members {
                let Some(mut piece) = load(i)? else { continue };
                for (k, e) in piece.digest.entries.iter_mut().enumerate() {
                    if let Some(id) = self.given.get(&(i, k)) {
                        e.arxiv_id.clone_from(&id.arxiv_id);
                        e.arxiv_version = id.arxiv_version;
                        e.url.clone_from(&id.url);
                    }
                }
                pieces.push(piece);
            }
            if !pieces.is_empty() {
                emit(merge_group(pieces, &mut diags))?;
            }
        }
        Ok(diags)
    }
}

/// Pieces that may join others, set aside on disk as they are read, with their outlines in
/// memory: grouping needs every such piece of the archive (the real archive has 54,390 one-paper
/// pages), but only their outlines until a group is merged.
#[derive(Debug)]
pub struct Held {
    path: PathBuf,
    file: Option<BufWriter<File>>,
    /// Where each piece starts in the file, and its length.
    spans: Vec<(u64, usize)>,
    end: u64,
    outlines: Vec<Outline>,
}

impl Held {
    /// Pieces set aside in the file `path` (made when the first comes).
    pub fn new(path: PathBuf) -> Held {
        Held { path, file: None, spans: Vec::new(), end: 0, outlines: Vec::new() }
    }

    /// Sets a piece aside; `mixed` is `mixed_folders` of every path read.
    pub fn push(&mut self, piece: &Piece, mixed: &HashSet<String>) -> Result<()> {
        let io = |e| Error::io(&self.path, e);
        let bytes = rmp_serde::to_vec(piece).map_err(|e| Error::Store(format!("setting a page aside: {e}")))?;
        let file = match &mut self.file {
            Some(file) => file,
            None => {
                if let Some(dir) = self.path.parent() {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                self.file.insert(BufWriter::with_capacity(1 << 20, File::create(&self.path).map_err(io)?))
            }
        };
        file.write_all(&bytes).map_err(io)?;
        self.spans.push((self.end, bytes.len()));
        self.end += bytes.len() as u64;
        self.outlines.push(Outline::of(piece, mixed));
        Ok(())
    }

    /// How many pieces are set aside.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.outlines.len()
    }

    /// Groups the pieces set aside (as `group`), reading them back a group at a time; `emit`
    /// takes each record. Returns a note for each grouped file. The file is removed.
    pub fn records(self, emit: impl FnMut(DigestRecord) -> Result<()>) -> Result<Vec<Diagnostic>> {
        let Held { path, file, spans, outlines, .. } = self;
        let Some(file) = file else { return Ok(Vec::new()) };
        let io = |e| Error::io(&path, e);
        file.into_inner().map_err(|e| io(e.into_error()))?;
        let plan = Plan::of(&outlines);
        drop(outlines);
        let mut file = File::open(&path).map_err(io)?;
        let mut buf = Vec::new();
        let diags = plan.records(
            |i| {
                let Some(&(start, len)) = spans.get(i) else { return Ok(None) };
                file.seek(SeekFrom::Start(start)).map_err(io)?;
                buf.resize(len, 0);
                file.read_exact(&mut buf).map_err(io)?;
                let piece = rmp_serde::from_slice(&buf)
                    .map_err(|e| Error::Store(format!("reading a page set aside in {}: {e}", path.display())))?;
                Ok(Some(piece))
            },
            emit,
        )?;
        drop(file);
        std::fs::remove_file(&path).map_err(io)?;
        Ok(diags)
    }
}

fn record(p: Piece) -> DigestRecord {
    DigestRecord {
        digest_id: p.id,
        source_file: p.path.clone(),
        files: vec![p.path],
        input: p.input,
        format: p.digest.format.clone(),
        bytes: p.bytes,
        digest: p.digest,
    }
}

/// One digest of a group: the piece with the most entries leads (an index), the others add theirs.
fn merge_group(mut members: Vec<Piece>, diags: &mut Vec<Diagnostic>) -> DigestRecord {
    if members.len() == 1 {
        return record(members.remove(0));
    }
    members.sort_by(|a, b| b.digest.entries.len().cmp(&a.digest.entries.len()).then(a.path.cmp(&b.path)));
    let mut ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    let id = content_hash(ids.join(",").as_bytes());
    let mut files: Vec<String> = members.iter().map(|m| m.path.clone()).collect();
    files.sort();
    let bytes = members.iter().map(|m| m.bytes).sum();
    let mut rest = members.split_off(1);
    let lead = members.remove(0);
    let mut digest = lead.digest;
    for m in &rest {
        diags.push(Diagnostic {
            source_file: m.path.clone(),
            line: 0,
            severity: Severity::Info,
            code: "grouped",
            message: format!("read as part of the digest of {} (a linked page or a copy)", lead.path),
        });
    }
    let mut entries = std::mem::take(&mut digest.entries);
    for m in rest.iter_mut() {
        entries.append(&mut m.digest.entries);
        digest.themes.append(&mut m.digest.themes);
        digest.date = digest.date.or(m.digest.date);
        digest.title = digest.title.take().or(m.digest.title.take());
    }
    digest.entries = merge_listings(entries);
    for (i, e) in digest.entries.iter_mut().enumerate() {
        e.position = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    DigestRecord {
        digest_id: id,
        source_file: lead.path,
        files,
        input: lead.input,
        format: digest.format.clone(),
        bytes,
        digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entry;

    fn piece(path: &str, entries: Vec<Entry>) -> Piece {
        let date = crate::formats::dates::date_from_path(path);
        Piece {
            id: path.to_owned(),
            path: path.to_owned(),
            input: "in".into(),
            bytes: 1,
            digest: Digest { format: "generic".into(), date, entries, ..Digest::default() },
        }
    }

    fn paper(id: &str) -> Entry {
        Entry { arxiv_id: Some(id.into()), title: Some(format!("T {id}")), ..Entry::default() }
    }

    #[test]
    fn an_index_and_its_pages_are_one_digest() {
        let row = Entry { title: Some("Row".into()), url: Some("./papers/a.html".into()), ..Entry::default() };
        let pieces = vec![
            piece("d/2025-10-12/index.md", vec![row]),
            piece("d/2025-10-12/papers/a.md", vec![paper("2510.00001")]),
            piece("d/2025-10-13/index.md", vec![paper("2510.00009")]),
        ];
        let (records, diags) = group(pieces);
        assert_eq!(records.len(), 2);
        let day = records.iter().find(|r| r.files.len() == 2).expect("grouped");
        assert_eq!(day.source_file, "d/2025-10-12/index.md");
        assert_eq!(day.digest.entries.len(), 1);
        assert_eq!(day.digest.entries[0].arxiv_id.as_deref(), Some("2510.00001"));
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn a_copy_in_another_syntax_joins_but_a_revision_does_not() {
        let copy = vec![
            piece("t/27-May-2025/IR/README.md", vec![paper("2505.00001"), paper("2505.00002")]),
            piece("t/27-May-2025/IR/papers.jsonl", vec![paper("2505.00002"), paper("2505.00001")]),
        ];
        let (records, _) = group(copy);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].digest.entries.len(), 2);
        let revisions = vec![
            piece("t/27-May-2025/IR/README.md", vec![paper("2505.00001"), paper("2505.00002")]),
            piece("t/27-May-2025/IR/README.rev.md", vec![paper("2505.00001"), paper("2505.00002")]),
        ];
        assert_eq!(group(revisions).0.len(), 2);
    }

    #[test]
    fn pieces_that_may_join_none_are_their_own_records_as_group_makes_them() {
        let row = Entry { title: Some("Row".into()), url: Some("./papers/a.html".into()), ..Entry::default() };
        let two = || vec![paper("2505.00001"), paper("2505.00002")];
        let pieces = vec![
            piece("d/2025-10-12/index.md", vec![row]),
            piece("d/2025-10-12/papers/a.md", vec![paper("2510.00001")]),
            piece("t/27-May-2025/IR/README.md", two()),
            piece("t/27-May-2025/IR/papers.jsonl", two()),
            piece("s/2025-05-27.md", two()),
            piece("s/2025-05-28.md", vec![paper("2505.00003"), paper("2505.00004")]),
        ];
        let mixed = mixed_folders(pieces.iter().map(|p| p.path.as_str()));
        assert_eq!(mixed.into_iter().collect::<Vec<_>>(), ["t/27-May-2025/IR"]);
        let mixed = mixed_folders(pieces.iter().map(|p| p.path.as_str()));
        let joins: Vec<bool> = pieces.iter().map(|p| may_join(p, &mixed)).collect();
        assert_eq!(joins, [true, true, true, true, false, false]);
        let ids = |records: Vec<DigestRecord>| {
            let mut ids: Vec<(String, Vec<String>)> = records.into_iter().map(|r| (r.digest_id, r.files)).collect();
            ids.sort();
            ids
        };
        let whole = ids(group(pieces.clone()).0);
        let (held, alone_ones): (Vec<Piece>, Vec<Piece>) = pieces.into_iter().partition(|p| may_join(p, &mixed));
        let mut split = group(held).0;
        split.extend(alone_ones.into_iter().map(alone));
        assert_eq!(ids(split), whole);
        assert_eq!(whole.len(), 4);
    }

    #[test]
    fn pieces_set_aside_on_disk_group_as_pieces_in_memory() {
        use crate::model::{DatePrecision, DateSource, DigestDate, Theme, TitleSource};
        let full = |id: &str| Entry {
            line: 7,
            title_source: Some(TitleSource::Heading),
            authors: vec!["Ada Lovelace".into(), "Émile Borel".into()],
            authors_truncated: true,
            author_count: Some(9),
            keywords: vec!["graphs".into()],
            abstract_text: Some("An abstract; with \"quotes\" and\nlines.".into()),
            listed_date: chrono::NaiveDate::from_ymd_opt(2025, 10, 12),
            arxiv_version: Some(2),
            listed_under: vec!["## SLAM".into()],
            ..paper(id)
        };
        let link = |href: &str| Entry { title: Some("Row".into()), url: Some(href.into()), ..Entry::default() };
        let mut pieces = vec![
            piece("d/2025-10-12/index.md", vec![link("./papers/a.html"), link("papers/b.md"), full("2510.00003")]),
            piece("d/2025-10-12/papers/a.md", vec![full("2510.00001")]),
            // A page without an id that links the page with one: the index's row gets no id from it.
            piece("d/2025-10-12/papers/b.md", vec![link("./a.md")]),
            piece("t/27-May-2025/IR/README.md", vec![full("2505.00001"), paper("2505.00002")]),
            piece("t/27-May-2025/IR/papers.jsonl", vec![paper("2505.00002"), full("2505.00001")]),
            piece("s/2025-05-27/p1.md", vec![full("2505.00011")]),
            piece("s/2025-05-27/p2.md", vec![paper("2505.00012")]),
            piece("s/2025-05-28.md", vec![paper("2505.00003"), paper("2505.00004")]),
        ];
        pieces[0].digest.themes = vec![Theme {
            position: 1,
            line: 3,
            label: "Agents".into(),
            description: None,
            arxiv_ids: vec!["2510.00001".into()],
        }];
        pieces[0].digest.date = Some(DigestDate {
            date: chrono::NaiveDate::from_ymd_opt(2025, 10, 12).unwrap_or_default(),
            source: DateSource::FolderName,
            precision: DatePrecision::Month,
        });
        pieces[0].digest.tldr = Some("Today: <b>agents</b>".into());
        let mixed = mixed_folders(pieces.iter().map(|p| p.path.as_str()));
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("spill").join("pieces.msgpack");
        let mut held = Held::new(path.clone());
        for p in &pieces {
            held.push(p, &mixed).expect("set aside");
        }
        assert_eq!(held.len(), pieces.len());
        assert!(path.exists());
        let mut from_disk = Vec::new();
        let diags = held
            .records(|r| {
                from_disk.push(r);
                Ok(())
            })
            .expect("read back");
        assert!(!path.exists(), "the file is removed once read");
        let (in_memory, memory_diags) = group(pieces);
        assert_eq!(format!("{from_disk:?}"), format!("{in_memory:?}"));
        assert_eq!(diags, memory_diags);
        assert_eq!(in_memory.len(), 4, "the day's index and pages, the copies, the day of pages, the file alone");
        let day = in_memory.iter().find(|r| r.source_file == "d/2025-10-12/index.md").expect("the index leads");
        let ids: Vec<Option<&str>> = day.digest.entries.iter().map(|e| e.arxiv_id.as_deref()).collect();
        assert!(ids.contains(&Some("2510.00001")) && ids.contains(&Some("2510.00003")), "{ids:?}");
    }
}
